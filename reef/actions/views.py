"""Read views the surfaces share: paginated, filterable tables and the member profile.

A :class:`TableView` declares how one store table is read by the HTTP API, the dashboard and
the exports: its date column (``since``/``until``), equality filters (stage, circle, aspect ...),
searchable and sortable columns and which columns carry free text to mask. Capabilities add
theirs with :func:`register_view` (docs/surfaces.md); the server turns each into
``GET /api/v1/views/<name>`` without further code.

Example:
    >>> from reef.store import open_store
    >>> page_view(open_store(":memory:"), "member_summary")["available"]
    False
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reef.actions.privacy import mask_rows
from reef.errors import InvalidParameterError, NotFoundError

__all__ = ["TableView", "VIEWS", "register_view", "page_view", "member_profile"]


@dataclass(frozen=True)
class TableView:
    name: str
    table: str
    title: dict[str, str]
    date_column: str | None = None
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    sortable: tuple[str, ...] = ()
    order: str = "1"
    text_columns: tuple[str, ...] = ()
    export: bool = True  # one sheet of `reef export`
    sheet: dict[str, str] = field(default_factory=dict)


VIEWS: dict[str, TableView] = {}


def register_view(view: TableView) -> TableView:
    """Add (or replace) a view; names are URL path segments, so snake_case only."""
    if not view.name.replace("_", "").isalnum():
        raise InvalidParameterError("name", view.name, "a snake_case view name")
    VIEWS[view.name] = view
    return view


register_view(TableView("activity_daily", "activity_daily", {"zh": "每日活跃", "en": "Daily activity"},
                        date_column="day", sortable=("day", "active_members", "new_members", "content_total"),
                        order="day DESC"))
register_view(TableView("member_summary", "member_summary", {"zh": "成员概况", "en": "Member summary"},
                        date_column="last_activity_at", filters=("account_type",), search=("member_id", "name"),
                        sortable=("content_total", "interactions_received", "interactions_given", "tenure_days",
                                  "last_activity_at", "member_id"),
                        order="interactions_received DESC, member_id", text_columns=("name",)))
register_view(TableView("imports", "imports", {"zh": "导入记录", "en": "Imports"}, date_column="finished_at",
                        filters=("format",), order="import_id DESC"))
register_view(TableView("quarantine", "quarantine", {"zh": "隔离数据", "en": "Quarantine"},
                        date_column="quarantined_at", filters=("entity", "import_id"), search=("reason", "file"),
                        order="quarantined_at DESC, file, line", text_columns=("raw",)))


def _day(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InvalidParameterError(name, value, "a date like 2026-05-01") from None


def _columns(store, table: str) -> list[str]:
    return [r[0] for r in store.fetch_all(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' "
        "ORDER BY ordinal_position", [table])]


def page_view(store, name: str, *, since: Any = None, until: Any = None, filters: dict[str, Any] | None = None,
              q: str | None = None, sort: str | None = None, page: int = 1, per_page: int = 50,
              masked: bool = True, max_per_page: int = 500) -> dict[str, Any]:
    """One page of view ``name``: ``{"items", "page", "per_page", "total", "pages", "available"}``.

    ``available`` is False when the table does not exist yet (its analysis has not run).
    """
    view = VIEWS.get(name)
    if view is None:
        raise NotFoundError(f"No view named '{name}'.", hint="Known views: " + ", ".join(sorted(VIEWS)))
    if page < 1 or not 1 <= per_page <= max_per_page:
        raise InvalidParameterError("per_page", per_page, f"page >= 1 and 1 <= per_page <= {max_per_page}")
    empty = {"view": name, "items": [], "page": page, "per_page": per_page, "total": 0, "pages": 1}
    cols = _columns(store, view.table)
    if not cols:
        return {**empty, "available": False}
    where, params = [], []
    lo, hi = _day("since", since), _day("until", until)
    if view.date_column and lo:
        where.append(f'CAST("{view.date_column}" AS DATE) >= CAST(? AS DATE)')
        params.append(lo)
    if view.date_column and hi:
        where.append(f'CAST("{view.date_column}" AS DATE) <= CAST(? AS DATE)')
        params.append(hi)
    for key, value in (filters or {}).items():
        if key not in view.filters:
            raise InvalidParameterError("filter", key, "one of " + (", ".join(view.filters) or "(none)"))
        if value not in (None, ""):
            where.append(f'CAST("{key}" AS VARCHAR) = ?')
            params.append(str(value))
    if q and view.search:
        where.append("(" + " OR ".join(f'"{c}" ILIKE ?' for c in view.search) + ")")
        params += [f"%{q}%"] * len(view.search)
    order = view.order
    if sort:
        col = sort.lstrip("-")
        if col not in view.sortable:
            raise InvalidParameterError("sort", sort, "one of " + ", ".join(view.sortable) + " (prefix - for descending)")
        order = f'"{col}" {"DESC" if sort.startswith("-") else "ASC"} NULLS LAST'
    sql_where = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(store.fetch_value(f'SELECT count(*) FROM "{view.table}"{sql_where}', params))
    rows = store.fetch_dicts(f'SELECT * FROM "{view.table}"{sql_where} ORDER BY {order} LIMIT ? OFFSET ?',
                             params + [per_page, (page - 1) * per_page])
    rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]
    if masked:
        rows = mask_rows(rows, view.text_columns)
    return {**empty, "items": rows, "total": total, "pages": max(1, -(-total // per_page)), "available": True}


def member_profile(store, member_id: str, *, masked: bool = True, contributions: int = 20) -> dict[str, Any]:
    """Everything the 成员 page shows: the member, their summary, latest contributions,
    interactions given and received by kind, and the actions the team took."""
    from reef.actions.log import list_actions

    rows = store.fetch_dicts("SELECT * FROM members WHERE member_id = ?", [member_id])
    if not rows:
        raise NotFoundError(f"No member with id '{member_id}'.")
    iso = lambda r: {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}  # noqa: E731
    member = iso(rows[0])
    summary = None
    if _columns(store, "member_summary"):
        found = store.fetch_dicts("SELECT * FROM member_summary WHERE member_id = ?", [member_id])
        summary = iso(found[0]) if found else None
    content = [iso(r) for r in store.fetch_dicts(
        "SELECT content_id, kind, created_at, title, left(body, 500) AS body, thread_id, group_id FROM content "
        "WHERE author_id = ? AND deleted_at IS NULL ORDER BY created_at DESC LIMIT ?", [member_id, contributions])]
    given = dict(store.fetch_all("SELECT kind, count(*) FROM interactions WHERE actor_id = ? GROUP BY 1 ORDER BY 2 DESC",
                                 [member_id]))
    received = dict(store.fetch_all(
        "SELECT i.kind, count(*) FROM interactions i LEFT JOIN content c ON i.target_content_id = c.content_id "
        "WHERE coalesce(i.target_member_id, c.author_id) = ? AND i.actor_id IS DISTINCT FROM ? GROUP BY 1 ORDER BY 2 DESC",
        [member_id, member_id]))
    if masked:
        member = mask_rows([member], ("name",))[0]
        content = mask_rows(content, ("title", "body"))
    return {"member": member, "summary": summary, "contributions": content,
            "interactions_given": given, "interactions_received": received,
            "actions": list_actions(store, member_id=member_id, per_page=100)["items"]}
