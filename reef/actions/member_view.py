"""The member reads the surfaces share: the 成员 profile (:func:`member_profile`), the member's history
(:func:`member_timeline`: actions and ladder stage changes) and names by id (:func:`member_names`).

The profile reads the precomputed activity of ``store_overview`` (``overview_members``) and falls back to the
canonical tables while that analysis has not run on the current data. :mod:`reef.actions.views` imports these
names too (their home before this module), so ``from reef.actions.views import member_timeline`` still works.

Example:
    >>> from reef.store import open_store
    >>> member_names(open_store(":memory:"), ["m1"])
    {}
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from reef.actions.privacy import mask_rows
from reef.analyses.overview_readers import member_activity

__all__ = ["member_profile", "member_timeline", "member_names", "live_activity"]


def member_profile(store, member_id: str, *, masked: bool = True, contributions: int = 20) -> dict[str, Any]:
    """Everything the 成员 page shows: the member, their summary, latest contributions,
    interactions given and received by kind, and the actions the team took."""
    from reef.actions.listing import list_actions
    from reef.actions.views import table_columns

    rows = store.fetch_dicts("SELECT * FROM members WHERE member_id = ?", [member_id])
    if not rows:
        from reef.ladder.queries import unknown_member

        raise unknown_member(store, member_id)  # the words of `reef member` (the id quoted, known ids in the hint)
    iso = lambda r: {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}  # noqa: E731
    member = iso(rows[0])
    summary = None
    if table_columns(store, "member_summary"):
        found = store.fetch_dicts("SELECT * FROM member_summary WHERE member_id = ?", [member_id])
        summary = iso(found[0]) if found else None
        if masked and summary is not None:
            summary = mask_rows([summary], ("name",))[0]
    activity = member_activity(store, member_id, contributions=contributions) or live_activity(
        store, member_id, contributions)
    content = [iso(r) for r in activity["contributions"]]
    given, received = activity["interactions_given"], activity["interactions_received"]
    if masked:
        member = mask_rows([member], ("name",))[0]
        content = mask_rows(content, ("title", "body"))
    actions = list_actions(store, member_id=member_id, per_page=100, masked=masked)["items"]
    from reef.layers.standing import roles_held

    roles = roles_held(store, [member_id]).get(member_id, [])
    if masked:  # a team and a role on it are typed by an operator, masked as the actions are
        roles = mask_rows(roles, ("team", "role", "label_zh", "label_en"))
    return {"member": member, "summary": summary, "contributions": content,
            "interactions_given": given, "interactions_received": received,
            "actions": actions, "timeline": member_timeline(store, member_id, actions), "roles": roles}


def live_activity(store, member_id: str, contributions: int) -> dict[str, Any]:
    """What ``overview_members`` holds for one member, read from the canonical tables (seconds on a
    1M-member store: the fallback while ``store_overview`` has not run on the current data)."""
    content = store.fetch_dicts(
        "SELECT content_id, kind, created_at, title, left(body, 500) AS body, thread_id, group_id FROM content "
        "WHERE author_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, content_id DESC LIMIT ?",
        [member_id, contributions])
    given = dict(store.fetch_all("SELECT kind, count(*) FROM interactions WHERE actor_id = ? GROUP BY 1 ORDER BY 2 DESC, 1",
                                 [member_id]))
    # Received as member_summary counts it: acts on the member or on their (undeleted) content by someone else.
    received = dict(store.fetch_all(
        "SELECT i.kind, count(*) FROM interactions i "
        "LEFT JOIN content c ON i.target_content_id = c.content_id AND c.deleted_at IS NULL "
        "WHERE coalesce(i.target_member_id, c.author_id) = ? AND i.actor_id IS DISTINCT FROM ? GROUP BY 1 ORDER BY 2 DESC, 1",
        [member_id, member_id]))
    return {"contributions": content, "interactions_given": given, "interactions_received": received}


def _action_detail(a: dict[str, Any]) -> str:
    parts = [a.get("group_id"), a.get("team"), a.get("role"), a.get("layer"), a.get("brief") or a.get("text"),
             ("due " + a["due"]) if a.get("due") else None]
    return " · ".join(str(p) for p in parts if p)


def member_timeline(store, member_id: str, actions: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The member's history newest first: actions taken (and marked done or cancelled, or withdrawn: 已撤回 with the
    reason as its detail) and stage changes from the ladder when it ran. Each entry: ``at``, ``source``, ``kind``,
    ``label_zh``/``label_en``, ``detail``."""
    from reef.actions.kinds import ACTION_KINDS
    from reef.actions.listing import list_actions
    from reef.actions.views import table_columns

    if actions is None:
        actions = list_actions(store, member_id=member_id, per_page=500)["items"]
    entries = []
    for a in actions:
        zh, en = ACTION_KINDS.get(a["kind"], (a["kind"], a["kind"]))
        base = {"source": "action", "kind": a["kind"], "action_id": a["action_id"], "detail": _action_detail(a),
                "operator": a.get("operator"), "status": a.get("status")}
        created = {**base, "at": a["created_at"], "label_zh": zh, "label_en": en}
        entries.append(created)
        if a.get("done_at") and a.get("created_at") and _when(a["done_at"]) > _when(a["created_at"]):
            entries.append({**base, "at": a["done_at"], "label_zh": f"完成：{zh}", "label_en": f"Done: {en}"})
        if a.get("status") == "cancelled":
            cancelled = {"label_zh": f"已撤回：{zh}", "label_en": f"Withdrawn: {en}", "detail": a["withdraw_reason"]} \
                if a.get("withdraw_reason") else {"label_zh": f"已取消：{zh}", "label_en": f"Cancelled: {en}"}
            at = a.get("cancelled_at") or a.get("updated_at")  # an imported cancelled action may carry neither
            if at and a.get("created_at") and _when(at) > _when(a["created_at"]):
                entries.append({**base, "at": at, **cancelled})
            else:
                created.update(cancelled)  # no later moment to show it at: mark the action itself
    if table_columns(store, "ladder_events"):
        for e in store.fetch_dicts('SELECT "at", event, from_stage, to_stage, reason_zh, reason_en FROM ladder_events '
                                   'WHERE member_id = ?', [member_id]):
            entries.append({"source": "ladder", "kind": e["event"], "at": e["at"].isoformat(), "detail": "",
                            "label_zh": f"阶段 {e['from_stage']} → {e['to_stage']}：{e['reason_zh'] or ''}",
                            "label_en": f"Stage {e['from_stage']} -> {e['to_stage']}: {e['reason_en'] or ''}"})
    return sorted(entries, key=lambda x: _when(x["at"]), reverse=True)


def _when(value: Any) -> datetime:
    # Stored times carry different offsets (the store's zone, UTC in attrs): compare instants, not strings.
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def member_names(store, ids) -> dict[str, str]:
    """``{member_id: name}`` of the members among ``ids`` that have a name (unmasked: callers mask what they show).

    >>> from reef.store import open_store
    >>> member_names(open_store(":memory:"), ["m1"])
    {}
    """
    ids = sorted({str(i) for i in ids if i})
    if not ids or not store.table_exists("members"):
        return {}
    return dict(store.fetch_all("SELECT member_id, any_value(name) FROM members WHERE list_contains($ids, member_id) "
                                "AND name IS NOT NULL GROUP BY 1", {"ids": ids}))
