"""Reading operator actions and the audit log: one action, the 任务 list (filtered, paginated, masked for viewers),
the audit entries, and the actions already recorded today (what :data:`reef.actions.kinds.ONCE_A_DAY` checks).
"""
from __future__ import annotations

from typing import Any

from reef.actions.kinds import _TEXT_DETAILS, _check
from reef.errors import NotFoundError
from reef.params import check_paging, parse_day

__all__ = ["actions_today", "list_actions", "audit_entries", "group_choices"]


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def _moment(key: str) -> str:
    # attrs hold UTC text; as TIMESTAMPTZ they come out in the session's (the store's) zone, as created_at does.
    return f"TRY_CAST(attrs->>'{key}' AS TIMESTAMPTZ) AS {key}"


_COLUMNS = ("action_id, kind, operator, member_id, content_id, campaign_id, "
            "(SELECT any_value(c.name) FROM campaigns c WHERE c.campaign_id = operator_actions.campaign_id) AS campaign_name, "
            "group_id, created_at, status, note, "
            "coalesce(attrs->>'text', CASE WHEN kind = 'recognise' THEN note END) AS text, "
            "attrs->>'team' AS team, attrs->>'role' AS role, attrs->>'layer' AS layer, "
            "attrs->>'brief' AS brief, attrs->>'due' AS due, attrs->>'task' AS task, attrs->>'topic' AS topic, "
            "(status = 'open' AND TRY_CAST(attrs->>'due' AS DATE) < current_date) AS overdue, "
            f"{_moment('done_at')}, {_moment('cancelled_at')}, attrs->>'withdraw_reason' AS withdraw_reason, "
            "attrs->>'source' AS source, "
            f"attrs->>'updated_by' AS updated_by, {_moment('updated_at')}")


def actions_today(store, kind: str, *, campaign: str | None = None, member: str | None = None) -> dict[tuple, str]:
    """The first live (not cancelled) ``kind`` action recorded today (the store's zone) per (member, campaign, content),
    optionally of one ``campaign`` or ``member``: what :data:`reef.actions.kinds.ONCE_A_DAY` checks, and what 活动与涟漪
    shows instead of the button.

    >>> from reef.store import open_store
    >>> actions_today(open_store(":memory:"), "boost")
    {}
    """
    rows = store.fetch_all(
        "SELECT member_id, campaign_id, content_id, arg_min(action_id, (created_at, length(action_id), action_id)) "
        "FROM operator_actions WHERE kind = $k AND status <> 'cancelled' AND CAST(created_at AS DATE) = current_date "
        "AND ($c IS NULL OR campaign_id = $c) AND ($m IS NULL OR member_id = $m) GROUP BY ALL",
        {"k": kind, "c": campaign, "m": member})
    return {(m, c, x): a for m, c, x, a in rows}


def _get(store, action_id: str) -> dict[str, Any]:
    rows = store.fetch_dicts(f"SELECT {_COLUMNS} FROM operator_actions WHERE action_id = ?", [action_id])
    if not rows:
        raise NotFoundError(f"No action with id {action_id}.", hint="List actions with `reef action list`.")
    return _iso(rows[0])


def _paged(store, base: str, where: list[str], params: list[Any], order: str, page: int, per_page: int,
           columns: str = "*", max_per_page: int | None = None) -> dict[str, Any]:
    check_paging(page, per_page, max_per_page=max_per_page)
    sql_where = " WHERE " + " AND ".join(where) if where else ""
    total = int(store.fetch_value(f"SELECT count(*) FROM {base}{sql_where}", params))
    rows = store.fetch_dicts(f"SELECT {columns} FROM {base}{sql_where} ORDER BY {order} LIMIT ? OFFSET ?",
                             params + [per_page, (page - 1) * per_page])
    return {"items": [_iso(r) for r in rows], "page": page, "per_page": per_page, "total": total,
            "pages": max(1, -(-total // per_page))}


# Details typed by an operator besides the free texts (short names, not codes): masked for viewers too.
_TYPED_NAMES = ("team", "role", "topic")


def list_actions(store, *, member_id: str | None = None, status: str | None = None, kind: str | None = None,
                 group_id: str | None = None, team: str | None = None, topic: str | None = None, since: Any = None,
                 until: Any = None, page: int = 1, per_page: int = 50, max_per_page: int | None = None,
                 masked: bool = False) -> dict[str, Any]:
    """Actions newest first, filtered by member, status, kind, group, team, topic and creation date; paginated.

    Each item carries its details as columns (``text``, ``team``, ``role``, ``layer``, ``brief``,
    ``due``, ``task``, ``topic``: a seed action's topic, null for actions recorded before it was kept), ``overdue`` (an open task past its due date) and ``withdraw_reason`` (set when a done action
    was withdrawn: :func:`reef.actions.log.withdraw_action`). ``masked``: personal data in the typed texts (note,
    recognition text, brief, withdrawal reason, and the team, role and topic an operator typed) masked, as viewers see
    them and as the export masks them (its ``attrs`` and ``topic`` columns); ``team`` and ``topic`` then filter on
    the masked value, the one the reader sees (the unmasked one matches nothing it hides).
    """
    _check(kind, status, None)
    from reef.actions.privacy import MASK_FUNCTION

    where, params = [], []
    for col, value in (("member_id", member_id), ("status", status), ("kind", kind), ("group_id", group_id),
                       ("attrs->>'team'", team), ("attrs->>'topic'", topic)):
        if value is not None:
            # A masked reader filters on what it sees (the masked team or topic), as a view's q searches masked
            # text: matching the unmasked value would confirm a guess of what the masking hides.
            typed = masked and col.startswith("attrs->>")
            where.append(f"{MASK_FUNCTION}({col}) = ?" if typed else f"{col} = ?")
            params.append(value)
    lo, hi = parse_day("since", since), parse_day("until", until)
    if lo is not None:
        where.append("CAST(created_at AS DATE) >= CAST(? AS DATE)")
        params.append(lo)
    if hi is not None:
        where.append("CAST(created_at AS DATE) <= CAST(? AS DATE)")
        params.append(hi)
    out = _paged(store, "operator_actions", where, params, "created_at DESC, action_id DESC", page, per_page, _COLUMNS,
                 max_per_page=max_per_page)
    if masked:
        from reef.actions.privacy import mask_rows

        out["items"] = mask_rows(out["items"], ("note", "withdraw_reason") + _TEXT_DETAILS + _TYPED_NAMES)
    return out


def audit_entries(store, *, username: str | None = None, action: str | None = None,
                  page: int = 1, per_page: int = 50, max_per_page: int | None = None) -> dict[str, Any]:
    """The audit log newest first, optionally for one user or one action name; paginated."""
    where, params = [], []
    for col, value in (("username", username), ("action", action)):
        if value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    return _paged(store, "audit_log", where, params, "audit_id DESC", page, per_page, max_per_page=max_per_page)


def group_choices(store, limit: int = 300, lang: str = "zh") -> list[dict[str, Any]]:
    """The group ids an action may name (what :func:`reef.actions.log.record_action` accepts for invite,
    appoint_leader and assign_task): interest circles (``layers_circles``, c01 ...) first, then the store's groups,
    each ``{group_id, name, source}`` with ``source`` = ``circle`` or ``group``; at most ``limit``. A circle's name is
    in ``lang`` (:func:`reef.layers.wording.circle_label`: its aspects in English in English); a group's as stored.

    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> _ = s.execute("INSERT INTO groups (group_id, name) VALUES ('g-1', '改装圈')")
    >>> group_choices(s)
    [{'group_id': 'g-1', 'name': '改装圈', 'source': 'group'}]
    """
    from reef.layers.wording import circle_label

    rows: list[dict[str, Any]] = []
    if store.table_exists("layers_circles"):
        rows = [{**r, "name": circle_label(r["name"], lang)} for r in store.fetch_dicts(
            "SELECT circle_id AS group_id, name, 'circle' AS source FROM layers_circles ORDER BY circle_id LIMIT ?", [limit])]
    return rows + store.fetch_dicts("SELECT group_id, any_value(name) AS name, 'group' AS source FROM groups "
                                    "GROUP BY group_id ORDER BY group_id LIMIT ?", [max(0, limit - len(rows))])
