"""Store health: what ``reef status`` and ``reef quarantine`` show, and the report's health section.

Example:
    >>> from reef.store import open_store
    >>> store_status(open_store(":memory:"))["tables"]["members"]
    0
"""
from __future__ import annotations

from typing import Any

from reef.errors import InvalidParameterError
from reef.model.schema import ENTITIES
from reef.params import like_contains
from reef.store.connection import Store

__all__ = ["store_status", "store_scans", "live_bookkeeping", "quarantine_rows", "last_runs", "counts_by_kind"]


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def last_runs(store: Store, limit: int = 20, as_of: Any = None) -> list[dict[str, Any]]:
    """The latest recorded run of each analysis (newest first); with ``as_of``, the latest at that as_of."""
    rows = store.fetch_dicts(
        """SELECT name, version, as_of, status, rows, finished_at, message,
                  date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds
           FROM (SELECT *, row_number() OVER (PARTITION BY name ORDER BY finished_at DESC) AS rn FROM analysis_runs
                 WHERE ? IS NULL OR as_of = ?)
           WHERE rn = 1 ORDER BY finished_at DESC LIMIT ?""", [as_of, as_of, limit])
    return [{k: _iso(v) for k, v in r.items()} for r in rows]


def counts_by_kind(store, table: str, as_of=None) -> dict[str, int]:
    """Rows of ``table`` (``content`` or ``interactions``) by kind, most first: all the store holds, or what existed
    at ``as_of`` (the report's 今日概览 reads it as of its date)."""
    source, params = (table, None) if as_of is None else (f"{table}_at($ts)", {"ts": as_of})
    return dict(store.fetch_all(f"SELECT kind, count(*) FROM {source} GROUP BY 1 ORDER BY 2 DESC, 1", params))


def store_status(store: Store, as_of: Any = None) -> dict[str, Any]:
    """Counts per table, date range, staff accounts, imports, quarantine by reason, last analysis runs. With ``as_of``
    (a timestamp) the table counts are of the rows that existed then; the rest is the store's state now.

    ``first_at``/``last_at`` span members' joins, content and interactions; ``first_content_at`` is what the as-of
    coverage warning compares with. ``imports.quarantined`` sums every import's quarantined rows (a bad row imported
    twice counts twice); ``quarantine.total`` counts the rows the quarantine table holds."""
    source = (lambda name: f'"{name}"') if as_of is None else (lambda name: f"{name}_at($ts)")
    tables = {name: int(store.fetch_value(f"SELECT count(*) FROM {source(name)}", {"ts": as_of} if as_of is not None else None))
              for name in ENTITIES}
    return {"store": store.path, "tables": tables, **store_scans(store), **live_bookkeeping(store)}


def store_scans(store: Store) -> dict[str, Any]:
    """The parts of the status that scan the big tables: content and interactions by kind (most first), the date range
    and the staff accounts, over everything the store holds now (never an as_of). ``store_overview`` precomputes these
    very figures, so ``GET /api/v1/status`` answers what ``reef status`` does."""
    lo, hi = store.fetch_all(
        "SELECT min(t), max(t) FROM (SELECT joined_at AS t FROM members UNION ALL "
        "SELECT created_at FROM content UNION ALL SELECT created_at FROM interactions)")[0]
    # first_at counts members' join dates (often years before the data's first post); the as-of coverage warning
    # reads the first content item, so both are given by name.
    first_content, first_join = store.fetch_all("SELECT (SELECT min(created_at) FROM content), (SELECT min(joined_at) FROM members)")[0]
    staff = dict(store.fetch_all(
        "SELECT account_type, count(*) FROM members WHERE account_type IN ('staff', 'brand', 'bot') GROUP BY 1 ORDER BY 1"))
    content_kinds, interaction_kinds = counts_by_kind(store, "content"), counts_by_kind(store, "interactions")
    return {
        "content_by_kind": content_kinds,
        "interactions_by_kind": interaction_kinds,
        "first_at": _iso(lo),
        "last_at": _iso(hi),
        "first_content_at": _iso(first_content),
        "first_member_joined_at": _iso(first_join),
        "staff_accounts": {"total": sum(staff.values()), **staff},
    }


def live_bookkeeping(store: Store) -> dict[str, Any]:
    """The small tables every status reads live: imports, quarantine by reason, the last analysis runs."""
    imports = store.fetch_dicts(
        "SELECT count(*) AS count, max(finished_at) AS last_at, coalesce(sum(imported), 0) AS imported, "
        "coalesce(sum(updated), 0) AS updated, coalesce(sum(duplicate), 0) AS duplicate, "
        "coalesce(sum(quarantined), 0) AS quarantined FROM imports")[0]
    from reef.ingest.reasons import reason_kind_counts

    # Prefixes are few (the text before a value); all of them feed the counts by kind, the first 20 are listed.
    reasons = store.fetch_all(
        "SELECT reason_class, count(*) FROM (SELECT regexp_extract(reason, '^[^'':(0-9]*') AS reason_class FROM quarantine) "
        "GROUP BY 1 ORDER BY 2 DESC, 1")
    by_reason = {(r or "").strip() or "other": n for r, n in reasons}
    return {"imports": {k: _iso(v) for k, v in imports.items()},
            "quarantine": {"total": int(store.fetch_value("SELECT count(*) FROM quarantine")),
                           "by_reason": dict(list(by_reason.items())[:20]), "by_kind": reason_kind_counts(by_reason)},
            "analysis_runs": last_runs(store)}


def quarantine_rows(store: Store, limit: int = 50, reason: str | None = None) -> list[dict[str, Any]]:
    """Quarantined rows, newest first; each with its ``reason_code`` (:func:`reef.ingest.reasons.reason_code`) and
    ``where`` (file:line). ``reason`` keeps the rows of that reason code (``missing_field``), or else those whose reason
    contains it as text, in the stored English or in the Chinese the table shows (case-insensitive). ``raw`` and
    ``reason`` have personal data masked, as in the export (an admin's unmasked export is the way to the originals)."""
    from reef.actions.privacy import mask_rows
    from reef.ingest.reasons import REASON_CODES, reason_code, reason_code_sql, reason_text

    if limit < 1:
        raise InvalidParameterError("limit", limit, "a positive integer")
    where, params = "true", []
    wanted = (reason or "").strip()
    if reason is not None and wanted.lower() in REASON_CODES:
        where = reason_code_sql(wanted.lower())
    elif reason is not None:
        # The Chinese is made from the English on display: match it over the distinct reasons, which are far fewer
        # than the rows (the stored text is matched in SQL as before).
        needle = wanted.casefold()
        shown = [r for (r,) in store.fetch_all("SELECT DISTINCT reason FROM quarantine WHERE reason IS NOT NULL")
                 if needle and needle in reason_text(r, "zh").casefold()]
        where = "(reason ILIKE ? ESCAPE '\\' OR list_contains(?::VARCHAR[], reason))"
        params = [like_contains(reason), shown]
    sql = ("SELECT import_id, file, line, entity, field, reason, raw, quarantined_at FROM quarantine "
           f"WHERE {where} ORDER BY quarantined_at DESC, file, line LIMIT ?")
    rows = store.fetch_dicts(sql, [*params, limit])
    for r in rows:
        r["quarantined_at"] = _iso(r["quarantined_at"])
        r["where"] = f"{r['file']}:{r['line']}" if r["line"] is not None else r["file"]
        r["reason_code"] = reason_code(r["reason"])
    # the rejected row and its reason quote what was imported (phones, plates): masked as the export masks them
    return mask_rows(rows, ("raw", "reason"))
