"""Dismiss quarantined rows the operator has given up on (an abandoned file), keeping a record of them.

Dismissed rows move from ``quarantine`` to ``quarantine_dismissed`` (same columns plus ``dismissed_at``), so every
count of held rows (今日's alert, ``reef status``, the report) stops counting them while nothing is lost silently.
Importing the file again quarantines its bad rows afresh.
"""
from __future__ import annotations

from datetime import datetime, timezone

from reef.store.connection import Store

__all__ = ["dismiss_quarantine"]

_COLS = "import_id, file, line, entity, field, reason, raw, quarantined_at"


def dismiss_quarantine(store: Store, *, import_id: int | None = None, everything: bool = False) -> int:
    """Move the quarantined rows of import ``import_id`` (or all, with ``everything``) to ``quarantine_dismissed``;
    returns how many. One of the two must be given, so a bare call dismisses nothing by accident."""
    if (import_id is None) == (not everything):
        raise ValueError("give either import_id or everything=True")
    where, params = ("TRUE", []) if everything else ("import_id = ?", [int(import_id)])
    with store.transaction():
        n = int(store.fetch_value(f"SELECT count(*) FROM quarantine WHERE {where}", params))
        store.execute(f"INSERT INTO quarantine_dismissed SELECT {_COLS}, ? FROM quarantine WHERE {where}",
                      [datetime.now(timezone.utc), *params])
        store.execute(f"DELETE FROM quarantine WHERE {where}", params)
    return n
