"""Operator surfaces of the layers: API views (paged, filterable) and export sheets.

The member-to-circle table can hold a million rows, so it is a view (paged by the API) but not an
export sheet; the circles, leaders, plaza and council tables are small and exported.

Example:
    >>> from reef.actions.views import VIEWS
    >>> import reef.layers.surfaces
    >>> VIEWS["layers_circle_members"].order
    'circle_id, confidence DESC'
"""
from __future__ import annotations

from reef.actions.views import TableView, register_view
from reef.export.tables import Sheet, register_sheet
from reef.i18n import register_code_labels
from reef.layers.wording import TOPIC_NAMES, TenureNames

__all__ = ["org_page"]

# Free text masked for viewers: names, and evidence and circle names that quote what members wrote.
_EVIDENCE = ("name", "evidence_zh", "evidence_en")
_COUNCIL_TEXT = (*_EVIDENCE, "circle_name")
_CIRCLE_TEXT = ("name", "summary_zh", "summary_en", "top_terms")
_TOPIC_TEXT = ("topic", "evidence_zh", "evidence_en")

register_view(TableView("layers_circles", "layers_circles", {"zh": "兴趣小组", "en": "Interest groups"}, key=("circle_id",),
                        filters=("trend",), search=("circle_id", "name"), sortable=("rank", "size", "health", "member_growth", "post_growth"),
                        order="rank", text_columns=_CIRCLE_TEXT))
register_view(TableView("layers_circle_members", "layers_circle_members", {"zh": "小组成员", "en": "Circle members"}, key=("circle_id", "member_id"),
                        filters=("circle_id", "seed"), search=("member_id",), sortable=("confidence", "ties", "terms"),
                        order="circle_id, confidence DESC", export=False))
register_view(TableView("layers_circle_leaders", "layers_circle_leaders", {"zh": "小组长人选", "en": "Suggested group leaders"}, key=("circle_id", "member_id"),
                        filters=("circle_id", "stage"), search=("member_id", "name"), sortable=("rank", "score", "trusters"),
                        order="circle_id, rank", text_columns=_EVIDENCE))
register_view(TableView("layers_plaza", "layers_plaza", {"zh": "广场话题发起者", "en": "Plaza topic starters"}, key=("member_id",),
                        search=("member_id", "name"), sortable=("rank", "score", "mean_repliers", "threads"), order="rank",
                        text_columns=_EVIDENCE))
register_view(TableView("layers_plaza_topics", "layers_plaza_topics", {"zh": "受欢迎话题", "en": "Topics that work"}, key=("topic",),
                        filters=("topic_type",), search=("topic",), sortable=("lift", "threads", "mean_repliers"),
                        order="lift DESC NULLS LAST", text_columns=_TOPIC_TEXT))
register_view(TableView("layers_council_candidates", "layers_council_candidates", {"zh": "顾问团候选", "en": "Council candidates"}, key=("member_id",),
                        filters=("eligible", "stage", "circle_id"), search=("member_id", "name"), sortable=("quality", "tenure_days", "trusters"),
                        order="quality DESC", text_columns=_COUNCIL_TEXT))
register_view(TableView("layers_council", "layers_council", {"zh": "顾问团建议名单", "en": "Proposed council"}, key=("seat", "member_id"),
                        search=("member_id", "name"), sortable=("seat",), order="seat", text_columns=_COUNCIL_TEXT))

# the plaza topics' kinds of topic (a circle's trend is named already)
register_code_labels({"aspect": ("车辆方面", "car aspect"), "tag": ("标签", "tag"), "kind": ("内容类型", "kind of post")})
register_sheet(Sheet("兴趣小组", "layers_circles", "rank", _CIRCLE_TEXT, labels=("trend",)))
register_sheet(Sheet("小组长人选", "layers_circle_leaders", "circle_id, rank", _EVIDENCE))
register_sheet(Sheet("广场话题发起者", "layers_plaza", "rank", _EVIDENCE))
# A topic that is a kind of post by its name (攻略, not guide), an aspect in English in the English workbook; the
# council's tenure bands in words (730d+ is 两年以上).
register_sheet(Sheet("受欢迎话题", "layers_plaza_topics", "lift DESC NULLS LAST", _TOPIC_TEXT, labels=("topic_type", "topic"),
                     codes={"topic": TOPIC_NAMES}))
register_sheet(Sheet("顾问团候选", "layers_council_candidates", "quality DESC", _COUNCIL_TEXT, labels=("tenure",),
                     codes={"tenure": TenureNames()}))
register_sheet(Sheet("顾问团建议名单", "layers_council", "seat", _COUNCIL_TEXT, labels=("tenure",), codes={"tenure": TenureNames()}))


def _active_teams(store, limit: int = 50) -> list[dict]:
    """Open project-team seats (``add_to_team`` actions) grouped by team, newest team first; each team's ``members``
    are ``{member_id, name, role}`` in the order they were added, ``seats`` how many."""
    from reef.actions.views import member_names

    if not store.fetch_value("SELECT count(*) FROM operator_actions WHERE kind = 'add_to_team' AND status = 'open'"):
        return []
    teams = store.fetch_dicts("""SELECT attrs->>'team' AS team, count(*) AS seats,
            list({'member_id': member_id, 'role': attrs->>'role'} ORDER BY created_at) AS members, max(created_at) AS latest
        FROM operator_actions WHERE kind = 'add_to_team' AND status = 'open'
        GROUP BY 1 ORDER BY latest DESC LIMIT ?""", [limit])
    names = member_names(store, [m["member_id"] for t in teams for m in t["members"]])
    for t in teams:
        t["members"] = [{**m, "name": names.get(m["member_id"])} for m in t["members"]]
    return teams


def _circle_actions(store, circle_ids) -> dict[str, dict[str, list[dict]]]:
    """Recorded (open or done, not cancelled) ``appoint_leader`` and ``invite`` actions per circle id:
    ``{circle_id: {"appointed": [{member_id, name, status}], "invited": [...]}}``, oldest first."""
    from reef.actions.views import member_names

    ids = [c for c in circle_ids if c]
    if not ids:
        return {}
    rows = store.fetch_dicts("""SELECT group_id, kind, member_id, status FROM operator_actions
        WHERE kind IN ('appoint_leader', 'invite') AND status <> 'cancelled' AND list_contains($ids, group_id)
        ORDER BY created_at, action_id""", {"ids": ids})
    names = member_names(store, [r["member_id"] for r in rows])
    out: dict[str, dict[str, list[dict]]] = {}
    for r in rows:
        entry = out.setdefault(r["group_id"], {"appointed": [], "invited": []})
        key = "appointed" if r["kind"] == "appoint_leader" else "invited"
        if all(m["member_id"] != r["member_id"] for m in entry[key]):
            entry[key].append({"member_id": r["member_id"], "name": names.get(r["member_id"]), "status": r["status"]})
    return out


def org_page(store, *, lang: str = "zh", page: int = 1, per_page: int = 20, masked: bool = True) -> dict:
    """The 组织 page: interest circles (paged, with their ids) with their suggested leaders (``appointed`` when an
    ``appoint_leader`` action names them), the members appointed and invited there (``appointed``, ``invited``), plaza
    starters, the proposed council and the active project teams, and ``warning`` when these analyses last ran at an as_of outside the data.
    Names and evidence are masked for viewers."""
    from reef.actions.privacy import mask_rows
    from reef.layers.api import council_slate, interest_groups, plaza_starters

    groups = interest_groups(store, top=per_page, offset=(page - 1) * per_page, lang=lang)
    total = groups["total"]
    plaza = plaza_starters(store, top=10, lang=lang)
    council = council_slate(store, lang=lang) if store.table_exists("layers_council_candidates") else {"slate": [], "coverage": []}
    recorded = _circle_actions(store, [c["circle_id"] for c in groups["circles"]])
    for c in groups["circles"]:  # what the operators already did about each circle: appointed leaders, invitations
        done = recorded.get(c["circle_id"], {"appointed": [], "invited": []})
        c["appointed"], c["invited"] = done["appointed"], done["invited"]
        chosen = {m["member_id"] for m in done["appointed"]}
        c["leader_list"] = [{**l, "appointed": l["member_id"] in chosen} for l in c["leader_list"]]
    teams = _active_teams(store)
    if masked:  # circle names and top terms quote members' tags and words, as the views' text columns say
        groups["circles"] = mask_rows(groups["circles"], ("name", "top_terms", "summary"))
        for c in groups["circles"]:
            c["leader_list"] = mask_rows(c["leader_list"], ("name", "evidence"))
            c["appointed"], c["invited"] = mask_rows(c["appointed"], ("name",)), mask_rows(c["invited"], ("name",))
        teams = mask_rows(teams, ("team",))  # typed by an operator, masked as the 任务 list masks it
        for t in teams:
            t["members"] = mask_rows(t["members"], ("name", "role"))
        plaza["starters"] = mask_rows(plaza["starters"], ("name", "evidence"))
        plaza["topics"] = mask_rows(plaza.get("topics", []), ("topic", "evidence"))
        council["slate"] = mask_rows(council["slate"], ("name", "evidence", "circle_name"))
        council["excluded"] = mask_rows(council.get("excluded", []), ("name", "evidence", "circle_name"))
    return {"available": total > 0, "as_of": groups["as_of"], "circles": groups["circles"],
            "pager": {"page": page, "pages": max(1, -(-total // per_page)), "total": total},
            "plaza": plaza, "council": council, "teams": teams,
            "warning": groups.get("warning") or plaza.get("warning") or council.get("warning")}


def _register_page() -> None:
    try:
        from reef.server.pages import Page, lang_of, paged_loader, register_page
    except ImportError:  # no server extra: the views and sheets still work through the library
        return

    def team_page(store, request, who) -> dict:
        """组建项目团队: the form (operators), the proposal for the brief in the query; 422 when it is refused."""
        from reef.layers.team_builder import team_builder

        data = team_builder(store, request.query_params, lang=lang_of(request), masked=who.masked)
        return {"data": data, "status_code": 422 if data["error"] else 200}

    register_page(Page("org", "/org", "nav.org", "org.html", paged_loader(org_page), order=85))
    # Not cached: the empty form's default deadline is counted from today (team_builder.form_defaults reads the
    # clock), so a cached page kept yesterday's deadline until the next write.
    register_page(Page("org_team", "/org/team", "org.team_title", "org_team.html", team_page, nav=False, cached=False))


_register_page()
