"""Dismiss quarantined rows the operator has given up on (an abandoned file), keeping a record of them.

Dismissed rows move from ``quarantine`` to ``quarantine_dismissed`` (same columns plus ``dismissed_at``), so every
count of held rows (今日's alert, ``reef status``, the report) stops counting them while nothing is lost silently.
Importing the file again quarantines its bad rows afresh. Each dismissal is audited (``quarantine.dismiss``).

Example:
    >>> from reef.store import open_store
    >>> dismiss_quarantine(open_store(":memory:"), everything=True, by="ops")
    0
"""
from __future__ import annotations

from datetime import datetime, timezone

from reef.errors import InvalidParameterError, Location, NotFoundError, with_api_hint, with_cli_hint
from reef.store.connection import Store

__all__ = ["dismiss_quarantine"]

_COLS = "import_id, file, line, entity, field, reason, raw, quarantined_at"


def dismiss_quarantine(store: Store, *, import_id: int | None = None, everything: bool = False, by: str | None = None,
                       role: str | None = None, client: str | None = None) -> int:
    """Move the quarantined rows of import ``import_id`` (or all, with ``everything``) to ``quarantine_dismissed``;
    returns how many. One of the two must be given, so a bare call dismisses nothing by accident. ``by``, ``role``
    and ``client`` name who did it in the audit log."""
    from reef.actions.log import audit

    # the library names status(); the CLI `reef status`, the API GET /api/v1/status, the dashboard its Imports page
    page, page_zh = "The Imports page (/imports) lists the imports and their held rows.", "“数据导入”页列出各次导入及其暂存的行。"
    if (import_id is None) == (not everything):
        # the message names no front door's syntax (it reaches HTTP users too); each door's hint names its own words
        exc = InvalidParameterError("import_id", import_id, "an import id or all imports (not both)",
                                    hint="Name the import whose held rows to dismiss (its id in status()), or pass "
                                         "everything=True, not both.")
        with_api_hint(exc, 'Send import_id (its id in GET /api/v1/status) or "all": true, not both.', page=page, page_zh=page_zh)
        raise with_cli_hint(exc, "Pass --import ID (its id in `reef status`) or --all, not both.")
    if not everything and not store.fetch_value("SELECT count(*) FROM imports WHERE import_id = ?", [int(import_id)]):
        exc = NotFoundError(f"No import with id {import_id}.", where=Location(field="import_id"),
                            hint="status() lists the imports and their ids.")
        with_api_hint(exc, "GET /api/v1/status lists the imports and their ids.", page=page, page_zh=page_zh)
        raise with_cli_hint(exc, "`reef status` lists the imports and their ids.")
    where, params = ("TRUE", []) if everything else ("import_id = ?", [int(import_id)])
    with store.transaction():
        n = int(store.fetch_value(f"SELECT count(*) FROM quarantine WHERE {where}", params))
        store.execute(f"INSERT INTO quarantine_dismissed SELECT {_COLS}, ? FROM quarantine WHERE {where}",
                      [datetime.now(timezone.utc), *params])
        store.execute(f"DELETE FROM quarantine WHERE {where}", params)
        if n:
            audit(store, by, role, "quarantine.dismiss", "all" if everything else f"import:{int(import_id)}", {"rows": n}, client)
    return n
