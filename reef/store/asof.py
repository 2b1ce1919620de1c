"""Point-in-time reads.

Every analysis takes ``as_of`` and reads the canonical tables through the ``<table>_at(ts)``
macros created by the first migration, so it sees only what existed before that moment.

Example:
    >>> as_of_timestamp("2026-03-01", "Asia/Shanghai").isoformat()
    '2026-03-01T00:00:00+08:00'
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from reef.errors import InvalidParameterError

__all__ = ["as_of_timestamp"]


def as_of_timestamp(value: str | date | datetime | None, zone: str = "Asia/Shanghai", *, name: str = "as_of") -> datetime | None:
    """Parse an ``--as-of`` value (date or datetime, naive read in ``zone``); None means now.

    ``name`` is the parameter named in the error (``since`` for a start date).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidParameterError(name, value, "a date like 2026-03-01 or a datetime like 2026-03-01T08:00+08:00") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(zone))
    return dt
