"""Times as text with their offset: the one shape of a time in every ``--json`` output and in the dicts the Python
API returns (docs/cli.md, "JSON output"): ISO 8601 with ``T`` and a ``±HH:MM`` offset in the store's zone, dates as
``YYYY-MM-DD``, whatever shape the library handed the time in (a datetime, DuckDB's ``2026-06-01 21:56:03+08``, a
page's local ``2026-06-01 21:56``).

Example:
    >>> json_ready({"at": "2026-06-01 13:56:03+00", "days": [date(2026, 6, 1)]}, "Asia/Shanghai")
    {'at': '2026-06-01T21:56:03+08:00', 'days': ['2026-06-01']}
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

__all__ = ["json_time", "json_ready"]

# A time as text: as DuckDB casts it ("2026-06-01 21:56:03+08"), ISO 8601 ("...T...+08:00", "...Z") or a local time
# as pages show it ("2026-06-01 21:56", no offset: a time in the store's zone).
_TIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?|Z)?")


def json_time(value: Any, zone: str | None = None) -> Any:
    """One time as every --json output gives it: ISO 8601 with ``T`` and a ``±HH:MM`` offset in ``zone`` (the
    store's general.timezone; None keeps the value's own offset); a date as ``YYYY-MM-DD``. A string holding a
    time (a naive one is read in ``zone``) is rewritten the same way; anything else is returned unchanged.

    >>> json_time("2026-06-01 13:56:03+00", "Asia/Shanghai"), json_time("2026-06-01 21:56", "Asia/Shanghai")
    ('2026-06-01T21:56:03+08:00', '2026-06-01T21:56:00+08:00')
    >>> json_time(date(2026, 6, 1)), json_time("2026-06-01 to 2026-06-07", "Asia/Shanghai")
    ('2026-06-01', '2026-06-01 to 2026-06-07')
    >>> json_time("2026-02-30 10:00:00", "Asia/Shanghai")
    '2026-02-30 10:00:00'
    """
    from zoneinfo import ZoneInfo

    if isinstance(value, str):
        if not _TIME_TEXT.fullmatch(value) or (zone is None and _TIME_TEXT.fullmatch(value).group(3) is None):
            return value  # without a zone a naive time cannot be given an offset
        try:
            value = datetime.fromisoformat(value)
        except ValueError:  # shaped like a time but none (2026-02-30): member text, kept as written
            return value
    if isinstance(value, datetime):
        if value.tzinfo is None and zone:  # a naive time from the store is a time in its zone
            value = value.replace(tzinfo=ZoneInfo(zone))
        return (value.astimezone(ZoneInfo(zone)) if zone and value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_ready(data: Any, zone: str | None = None) -> Any:
    """``data`` with every time in it (nested in dicts, lists and tuples) written by :func:`json_time`."""
    if isinstance(data, dict):
        return {k: json_ready(v, zone) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_ready(v, zone) for v in data]
    return json_time(data, zone)
