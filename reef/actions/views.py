"""Read views the surfaces share: paginated, filterable tables (the member profile is :mod:`reef.actions.member_view`).

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
from typing import Any, Callable

from reef.actions.privacy import ATTRS_COLUMNS, CONTACT_COLUMNS, FREE_TEXT_COLUMNS, MASK_FUNCTION, mask_rows, register_mask_function
from reef.errors import InvalidParameterError, NotFoundError
from reef.params import check_choice, check_paging, equals_filter, like_contains, parse_day

__all__ = ["TableView", "VIEWS", "register_view", "page_view", "page_query", "table_columns", "filter_types",
           "member_profile", "member_timeline", "member_names"]


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
    # A library reader's relation read in place of the table (SQL without parameters, given the store), for a view
    # whose rows a reader completes (ladder_alerts: the recognition, reef.ladder.recognised.recognised_relation).
    source: Callable[[Any], str] | None = None
    # Fold ``q`` to simplified characters before matching (a view whose ``search`` includes the text layer's
    # ``text_simplified``: 續航 finds what 续航 finds, as ``reef ask`` and the 知识礁 page do).
    fold_query: bool = False
    # The values a filter may take, where they are a fixed set: another value is refused (422) rather than finding
    # nothing in silence (/api/v1/kb_gaps?kind=bogus).
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Columns holding stored codes (an aspect: 续航与充电, 其他): each row also carries ``<column>_label``, the code in
    # the reader's language (:func:`reef.i18n.code_label`), the column itself keeps the code a filter takes.
    label_columns: tuple[str, ...] = ()
    # A label column's own words ({column: {code: (zh, en)}}), for codes that are words of one view only (the topic
    # map's stages: 改装 is a stage there but a member's tag elsewhere, so it is not in the shared catalogue).
    codes: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    # The columns that identify a row (unique together): every page ends its order with them, so ties of ``order`` or
    # of ``sort`` never make a row appear on two pages or on none; listed in GET /api/v1/views as the merge key of an
    # incremental pull.
    key: tuple[str, ...] = ()

    @property
    def sort_orders(self) -> tuple[str, ...]:
        """The values ``sort`` takes: each sortable column, ascending, or with ``-`` before it, descending."""
        return tuple(order for column in self.sortable for order in (column, "-" + column))


VIEWS: dict[str, TableView] = {}


def register_view(view: TableView) -> TableView:
    """Add (or replace) a view; names are URL path segments, so snake_case only."""
    if not view.name.replace("_", "").isalnum():
        raise InvalidParameterError("name", view.name, "a snake_case view name")
    VIEWS[view.name] = view
    return view


register_view(TableView("activity_daily", "activity_daily", {"zh": "每日活跃", "en": "Daily activity"}, key=("day",),
                        date_column="day", sortable=("day", "active_members", "new_members", "content_total"),
                        order="day DESC"))
register_view(TableView("member_summary", "member_summary", {"zh": "成员概况", "en": "Member summary"}, key=("member_id",),
                        date_column="last_activity_at", filters=("account_type",), search=("member_id", "name"),
                        sortable=("content_total", "interactions_received", "interactions_given", "tenure_days",
                                  "last_activity_at", "member_id"),
                        order="interactions_received DESC, member_id", text_columns=("name",)))
register_view(TableView("imports", "imports", {"zh": "导入记录", "en": "Imports"}, key=("import_id",), date_column="finished_at",
                        filters=("format",), sortable=("import_id", "finished_at", "rows_read", "imported", "quarantined"),
                        order="import_id DESC"))
register_view(TableView("quarantine", "quarantine", {"zh": "隔离数据", "en": "Quarantine"}, key=("import_id", "file", "line", "entity", "field", "reason"),
                        date_column="quarantined_at", filters=("entity", "import_id"), search=("reason", "file"),
                        sortable=("import_id", "quarantined_at", "file", "line", "entity", "field"),
                        order="quarantined_at DESC, file, line", text_columns=("raw", "reason")))


def table_columns(store, table: str) -> list[str]:
    """The table's columns, or [] when it does not exist yet. An empty SELECT costs a fifth of an
    information_schema lookup, and every page and API read calls this (``table`` is a registered name)."""
    import duckdb

    try:
        return [d[0] for d in store.execute(f'SELECT * FROM "{table}" LIMIT 0').description]
    except duckdb.CatalogException:
        return []


def _relation(store, view: TableView) -> str:
    return f"({view.source(store)}) AS _v" if view.source is not None else f'"{view.table}"'


def filter_types(store, view: TableView) -> dict[str, str]:
    """The DuckDB type of each column of ``view`` as a page reads it ({} before its table exists): what its filters
    take (:func:`reef.params.equals_filter`)."""
    if not table_columns(store, view.table):
        return {}
    return {d[0]: str(d[1]) for d in store.execute(f"SELECT * FROM {_relation(store, view)} LIMIT 0").description}


def page_view(store, name: str, *, since: Any = None, until: Any = None, filters: dict[str, Any] | None = None,
              q: str | None = None, sort: str | None = None, page: int = 1, per_page: int = 50,
              masked: bool = True, max_per_page: int = 500, lang: str = "zh") -> dict[str, Any]:
    """One page of view ``name``: ``{"items", "page", "per_page", "total", "pages", "available"}``; ``lang`` names
    the codes of the view's ``label_columns`` (``<column>_label``).

    ``available`` is False when the table does not exist yet (its analysis has not run).
    """
    view = VIEWS.get(name)
    if view is None:  # each capability registers its views when its package is imported: load them all first
        from reef.analyses import discover

        discover()
        view = VIEWS.get(name)
    if view is None:
        raise NotFoundError(f"No view named '{name}'.", hint="Known views: " + ", ".join(sorted(VIEWS)))
    check_paging(page, per_page, max_per_page=max_per_page)
    empty = {"view": name, "items": [], "page": page, "per_page": per_page, "total": 0, "pages": 1}
    cols = table_columns(store, view.table)
    if not cols:
        return {**empty, "available": False}
    where, params = [], []
    lo, hi = parse_day("since", since), parse_day("until", until)
    if view.date_column and lo:
        where.append(f'CAST("{view.date_column}" AS DATE) >= CAST(? AS DATE)')
        params.append(lo)
    if view.date_column and hi:
        where.append(f'CAST("{view.date_column}" AS DATE) <= CAST(? AS DATE)')
        params.append(hi)
    relation = _relation(store, view)
    types: dict[str, str] = {}
    for key, value in (filters or {}).items():
        if key not in view.filters:
            raise InvalidParameterError("filter", key, "one of " + (", ".join(view.filters) or "(none)"))
        if value not in (None, "") and key in view.choices:
            check_choice(key, str(value), view.choices[key])
        if value not in (None, ""):
            # typed by the column read: stage=abc on an integer column is refused, not a filter matching nothing
            types = types or filter_types(store, view)
            test, param = equals_filter(key, value, types.get(key, "VARCHAR"))
            where.append(test)
            params.append(param)
    if q and view.search and view.fold_query:
        from reef.text.normalize import to_simplified

        q = to_simplified(q)
    if q and view.search:
        # A viewer searches what they are shown: matching the raw text would confirm a masked phone digit by digit.
        searched = [c for c in view.search if not (masked and c in CONTACT_COLUMNS | ATTRS_COLUMNS)]
        hidden = set(view.text_columns) | FREE_TEXT_COLUMNS
        if masked and any(c in hidden for c in searched):
            register_mask_function(store.con)
        terms = [f'{MASK_FUNCTION}("{c}")' if masked and c in hidden else f'"{c}"' for c in searched]
        # What was typed matches literally: % and _ are characters to find, not wildcards.
        where.append("(" + (" OR ".join(f"{t} ILIKE ? ESCAPE '\\'" for t in terms) or "false") + ")")
        params += [like_contains(q)] * len(terms)
    order = view.order
    if sort:
        col = sort[1:] if sort.startswith("-") else sort  # one minus: "--day" names no column
        if sort not in view.sort_orders:
            expected = ("one of " + ", ".join(view.sortable) + " (prefix - for descending)") if view.sortable else \
                "no value: this list is not sortable"
            raise InvalidParameterError("sort", sort, expected)
        order = f'"{col}" {"DESC" if sort.startswith("-") else "ASC"} NULLS LAST, {view.order}'
    if view.key:  # a total order: LIMIT/OFFSET pages of tied rows are otherwise in no defined order
        order += ", " + ", ".join(f'"{c}" NULLS LAST' for c in view.key)
    sql_where = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(store.fetch_value(f'SELECT count(*) FROM {relation}{sql_where}', params))
    rows = store.fetch_dicts(f'SELECT * FROM {relation}{sql_where} ORDER BY {order} LIMIT ? OFFSET ?',
                             params + [per_page, (page - 1) * per_page])
    rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]
    if masked:
        rows = mask_rows(rows, view.text_columns)
    if view.label_columns:
        from reef.i18n import code_label

        def label(column: str, code):
            own = view.codes.get(column, {}).get(code)
            return own[0 if lang == "zh" else 1] if own else code_label(code, lang)

        rows = [{**r, **{f"{c}_label": label(c, r.get(c)) for c in view.label_columns if c in r}} for r in rows]
    return {**empty, "items": rows, "total": total, "pages": max(1, -(-total // per_page)), "available": True}


def page_query(store, sql: str, params: dict[str, Any] | None = None, *, order: str, page: int = 1,
               per_page: int = 50, masked: bool = True, text_columns: tuple[str, ...] = ()) -> dict[str, Any]:
    """One page of a capability's read query (``$name`` parameters), in the shape of :func:`page_view`.

    For dashboard readers whose rows need a join or a range filter a plain view cannot express.
    """
    check_paging(page, per_page)
    params = dict(params or {})
    total = int(store.fetch_value(f"SELECT count(*) FROM ({sql})", params))
    rows = store.fetch_dicts(f"SELECT * FROM ({sql}) ORDER BY {order} LIMIT $_limit OFFSET $_offset",
                             {**params, "_limit": per_page, "_offset": (page - 1) * per_page})
    rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]
    if masked:
        rows = mask_rows(rows, text_columns)
    return {"items": rows, "page": page, "per_page": per_page, "total": total,
            "pages": max(1, -(-total // per_page)), "available": True}


# The member reads (profile, timeline, names) live in reef.actions.member_view; imported here too, as before.
from reef.actions.member_view import member_names, member_profile, member_timeline  # noqa: E402
