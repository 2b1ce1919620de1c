"""Operator surfaces of the network capability: API views, Excel sheets, the 今日 boost panel and the
网络 dashboard page (关键节点, 活动与涟漪, 互助榜), following docs/surfaces.md; the 种子名单 page is in
:mod:`reef.network.seed_page`.

``network_overview`` is the one library function the page calls: it reads the precomputed tables
only (fast on large stores). The page is registered only when the server extra is installed.

Example:
    >>> from reef.actions.views import VIEWS
    >>> import reef.network.surfaces
    >>> "network_connectors" in VIEWS
    True
    >>> from reef.store import open_store
    >>> network_overview(open_store(":memory:"))["available"]
    False
"""
from __future__ import annotations

from typing import Any

from reef.actions.overview import register_panel
from reef.actions.privacy import mask_rows
from reef.actions.views import TableView, register_view
from reef.export.tables import Sheet, register_sheet
from reef.store.coverage import results_warning

__all__ = ["boost_panel", "network_overview", "campaign_page"]

register_view(TableView("network_connectors", "network_connectors", {"zh": "关键节点", "en": "Key connectors"}, key=("member_id",),
                        filters=("role",), search=("member_id", "name"),
                        sortable=("rank", "score", "expertise", "brokerage", "reach", "followon", "distinct_others"),
                        order="rank", text_columns=("name",)))
register_view(TableView("network_boost", "network_boost", {"zh": "助推名单", "en": "Boost list"}, key=("campaign_id", "member_id"),
                        filters=("campaign_id", "ring"), search=("member_id", "name"), sortable=("engagement", "ring"),
                        order="engagement DESC", text_columns=("name", "seed_name", "snippet", "acknowledgement")))
register_view(TableView("network_helpers", "network_helpers", {"zh": "互助榜", "en": "Mutual help"}, key=("member_id",),
                        filters=("paid_forward",), search=("member_id", "name"),
                        sortable=("rank", "help_credit", "people_helped", "mentees"), order="rank", text_columns=("name",)))
register_view(TableView("network_ripple", "network_ripple", {"zh": "涟漪扩散", "en": "Campaign ripples"}, key=("campaign_id", "member_id"),
                        date_column="adopted_at", filters=("campaign_id", "ring"), search=("member_id",),
                        sortable=("ring", "adopted_at"), order="campaign_id, ring, adopted_at"))

register_sheet(Sheet("关键节点", "network_connectors", "rank", ("name",), labels=("role",)))
register_sheet(Sheet("助推名单", "network_boost", "campaign_id, engagement DESC", ("name", "seed_name", "snippet", "acknowledgement")))
register_sheet(Sheet("互助榜", "network_helpers", "rank", ("name",)))

# The analyses whose tables the 网络 page reads (its coverage warning looks at their latest runs).
_OVERVIEW = ("network_connectors", "network_ripple", "network_helpers")


# A campaign's name beside its id (operators know campaigns by name); campaigns without a row keep their id.
_CAMPAIGN_NAMES = "LEFT JOIN (SELECT campaign_id, any_value(name) AS name FROM campaigns GROUP BY 1) c USING (campaign_id)"


def _has(store, table: str, column: str | None = None) -> bool:
    if not store.table_exists(table):
        return False
    if column is None:
        return True
    # Stores analysed before network_boost kept its columns when empty lack them: look before selecting them.
    return bool(store.fetch_value("SELECT count(*) FROM information_schema.columns WHERE table_name = $t AND column_name = $c",
                                  {"t": table, "c": column}))


def network_overview(store, *, top: int = 20, masked: bool = True, lang: str = "zh") -> dict[str, Any]:
    """Top connectors, rings per campaign, the boost list and the help leaderboard (names masked for viewers), and
    ``warning`` (in ``lang``) when those analyses last ran at an as_of outside the data."""
    out: dict[str, Any] = {"available": _has(store, "network_connectors"), "connectors": [], "rings": [], "boost": [],
                           "helpers": [], "warning": results_warning(store, _OVERVIEW, lang)}
    if out["available"]:
        out["connectors"] = store.fetch_dicts("""SELECT rank, member_id, name, role, score, askers, distinct_others,
            round(brokerage_part, 2) AS brokerage, round(followon, 2) AS followon FROM network_connectors
            WHERE role = 'connector' ORDER BY rank LIMIT $n""", {"n": top})
    if _has(store, "network_ripple"):
        out["rings"] = store.fetch_dicts(f"""SELECT campaign_id, any_value(c.name) AS campaign_name, ring, count(*) AS adopters,
                min(adopted_at)::DATE::VARCHAR AS first_day
            FROM network_ripple r {_CAMPAIGN_NAMES} WHERE ring IS NOT NULL GROUP BY campaign_id, ring ORDER BY 1, 3""")
    if _has(store, "network_boost", "acknowledgement"):
        out["boost"] = store.fetch_dicts(f"""SELECT campaign_id, c.name AS campaign_name, member_id, b.name, ring, engagement, snippet,
                acknowledgement
            FROM network_boost b {_CAMPAIGN_NAMES} ORDER BY engagement DESC, ring, member_id LIMIT $n""", {"n": top})
    if _has(store, "network_helpers"):
        out["helpers"] = store.fetch_dicts("""SELECT rank, member_id, name, answers, accepted, people_helped,
            round(help_credit, 1) AS help_credit, mentees, paid_forward FROM network_helpers ORDER BY rank LIMIT $n""", {"n": top})
    if masked:
        for key, cols in (("connectors", ("name",)), ("boost", ("name", "snippet", "acknowledgement")), ("helpers", ("name",))):
            out[key] = mask_rows(out[key], cols)
    return out


def boost_panel(store, *, lang: str = "zh", masked: bool = True) -> dict[str, Any] | None:
    """今日 panel: ring 2-3 members to acknowledge now, each with the suggested public reply."""
    if not _has(store, "network_boost", "acknowledgement"):
        return None
    rows = store.fetch_dicts(f"""SELECT campaign_id, coalesce(c.name, campaign_id) AS campaign, member_id, b.name, ring, acknowledgement
                                 FROM network_boost b {_CAMPAIGN_NAMES} ORDER BY engagement DESC, ring, member_id LIMIT 10""")
    if masked:
        rows = mask_rows(rows, ("name", "acknowledgement"))
    if not rows:
        return None
    zh = lang != "en"
    return {"title": "助推名单（第 2、3 圈）" if zh else "Boost list (rings 2-3)",
            "lines": [f"{r['name'] or r['member_id']}（{r['campaign']}，第 {r['ring']} 圈）：{r['acknowledgement']}" if zh else
                      f"{r['name'] or r['member_id']} ({r['campaign']}, ring {r['ring']}): {r['acknowledgement']}" for r in rows]}


register_panel("network_boost", boost_panel)


def campaign_page(store, *, campaign: str | None = None, page: int = 1, per_page: int = 30,
                  masked: bool = True, lang: str = "zh") -> dict[str, Any]:
    """活动与涟漪: every seeded campaign, and for ``campaign`` (default: the largest) its adopters by ring,
    new adopters per day and ring, and one page of the boost list with the suggested acknowledgements."""
    from reef.actions.views import page_query

    out: dict[str, Any] = {"available": _has(store, "network_ripple"), "campaigns": [], "campaign": None, "rings": [],
                           "daily": {"days": [], "by_ring": []}, "boost": {"items": [], "page": page, "per_page": per_page, "total": 0, "pages": 1},
                           "warning": results_warning(store, ("network_ripple",), lang),
                           "boost_empty": None}  # set below when the whole list (not just this page) is empty
    if not out["available"]:
        return out
    names = "LEFT JOIN (SELECT campaign_id, any_value(name) AS name, any_value(topic) AS topic FROM campaigns GROUP BY 1) c USING (campaign_id)"
    out["campaigns"] = store.fetch_dicts(f"""SELECT campaign_id, c.name, c.topic, count(*) AS adopters, max(ring) AS rings,
            min(adopted_at)::DATE::VARCHAR AS first_day, max(adopted_at)::DATE::VARCHAR AS last_day
        FROM network_ripple {names} WHERE ring IS NOT NULL GROUP BY ALL ORDER BY adopters DESC, campaign_id""")
    known = [c["campaign_id"] for c in out["campaigns"]]
    if not known:
        return out
    target = campaign if campaign in known else known[0]
    out["campaign"] = target
    out["campaign_name"] = next((c["name"] for c in out["campaigns"] if c["campaign_id"] == target and c["name"]), target)
    # its topic prefills the 种子名单 form linked from the page (seeding the topic anew)
    out["campaign_topic"] = next((c["topic"] for c in out["campaigns"] if c["campaign_id"] == target and c["topic"]), None)
    out["rings"] = store.fetch_dicts("""SELECT ring, count(*) AS adopters, count(DISTINCT via_member_id) AS carriers,
            min(adopted_at)::DATE::VARCHAR AS first_day, sum(items) AS items
        FROM network_ripple WHERE campaign_id = $c AND ring IS NOT NULL GROUP BY ring ORDER BY ring""", {"c": target})
    daily = store.fetch_all("""SELECT adopted_at::DATE::VARCHAR AS day, ring, count(*) FROM network_ripple
        WHERE campaign_id = $c AND ring IS NOT NULL GROUP BY ALL ORDER BY day, ring""", {"c": target})
    days = sorted({d for d, _, _ in daily})
    at = {d: i for i, d in enumerate(days)}
    counts = {r["ring"]: [0] * len(days) for r in out["rings"]}
    for d, ring, n in daily:
        counts[ring][at[d]] = n
    out["daily"] = {"days": days, "by_ring": sorted(counts.items())}  # new adopters per day, one list per ring
    # topic posters no link leads to from the seeds: not in the rings above, said below them (as reef ripple's row)
    out["unreached"] = int(store.fetch_value("SELECT count(*) FROM network_ripple WHERE campaign_id = $c AND ring IS NULL",
                                             {"c": target}))
    if _has(store, "network_boost", "acknowledgement"):
        out["boost"] = page_query(store, """SELECT member_id, name, ring, seed_member_id, seed_name, content_id, engagement,
                                                   snippet, acknowledgement FROM network_boost WHERE campaign_id = $c""",
                                  {"c": target}, order="engagement DESC, ring, member_id", page=page, per_page=per_page,
                                  masked=masked, text_columns=("name", "seed_name", "snippet", "acknowledgement"))
        # A row boosted today already (record_action keeps one boost a day per member, campaign and content) says so
        # instead of offering the button again.
        from reef.actions.listing import actions_today

        done = actions_today(store, "boost", campaign=target)
        for item in out["boost"]["items"]:
            item["recorded"] = done.get((item["member_id"], target, item["content_id"]))
    if not out["boost"]["total"]:  # an empty boost list says why, as reef ripple does (reef.network.campaign)
        from reef.network.campaign import boost_empty_reason

        net = store.config.section("network")
        rings = [int(r) for r in net["boost_rings"]]
        outer = sum(r["adopters"] for r in out["rings"] if r["ring"] in rings)
        out["boost_empty"] = boost_empty_reason("no_engagement" if outer else "no_outer_rings", lang, rings=rings,
                                                adopters=outer, min_engagement=int(net["boost_min_engagement"]))
    return out


def _register_page() -> None:
    try:
        from reef.server.pages import Page, lang_of, page_number, page_size, register_page
        from reef.web.messages import WEB_MESSAGES
    except ImportError:  # no server extra: API views and sheets still work through the library
        return
    WEB_MESSAGES.update({
        "nav.network": ("网络", "Network"), "network.connectors": ("关键节点", "Key connectors"),
        "network.ripples": ("活动与涟漪", "Campaigns and ripples"), "network.boost": ("助推名单", "Boost list"),
        "network.helpers": ("互助榜", "Mutual help"), "network.none": ("尚无网络分析结果：请运行 `reef analyze`。",
                                                                  "No network results yet: run `reef analyze`."),
        "network.empty": ("暂无。", "None yet."), "network.campaign": ("活动", "Campaign"), "network.ring": ("圈层", "Ring"),
        "network.adopters": ("参与人数", "Adopters"), "network.first_day": ("首次参与", "First adoption"),
        "network.score": ("得分", "Score"), "network.askers": ("提问者", "Askers"), "network.trusters": ("信任者", "Trusters"),
        "network.brokerage": ("桥梁度", "Brokerage"), "network.followon": ("后续回复/条", "Follow-on / item"),
        "network.engagement": ("互动", "Engagement"), "network.ack": ("建议致谢语", "Suggested acknowledgement"),
        "network.answers": ("回答", "Answers"), "network.accepted": ("被采纳", "Accepted"),
        "network.helped": ("帮助人数", "People helped"), "network.credit": ("互助积分", "Help credit"),
        "network.mentees": ("带新人", "Mentees"), "network.pif": ("传递善意", "Paid forward"),
        "campaigns.unreached": ("另有 {n} 位成员在话题上发过帖，但没有任何链接通向种子（未经种子触达），不计入上表。",
                                "Another {n:member} posted on the topic but no link leads to them from the seeds (not "
                                "reached from the seeds); they are not in the table above."),
    })
    def load_network(store, request, who):
        from reef.ladder import member_flags

        data = network_overview(store, masked=who.masked, lang=lang_of(request))
        # The ladder's flags (like ring ...) marked next to members on the boost list: check before boosting them.
        return {"data": data, "flags": member_flags(store, [b["member_id"] for b in data["boost"]])}

    register_page(Page("network", "/network", "nav.network", "network.html", load_network))
    register_page(Page("campaigns", "/campaigns", "nav.campaigns", "campaigns.html",
                       lambda store, request, who: {"data": campaign_page(
                           store, campaign=request.query_params.get("campaign"), page=page_number(request),
                           per_page=page_size(request), masked=who.masked, lang=lang_of(request)),
                           # after 记录助推: the action recorded, or the one already recorded today
                           "recorded": request.query_params.get("recorded", ""),
                           "already": request.query_params.get("already", "")}, order=55))
    from reef.network.seed_page import register as register_seed_page

    register_seed_page()  # 种子名单 (GET /seed-plan), linked from 网络 and 活动与涟漪


_register_page()
