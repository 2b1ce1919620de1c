"""Point-in-time reads.

Every analysis takes ``as_of`` and reads the canonical tables through the ``<table>_at(ts)``
macros created by the first migration, so it sees only what existed before that moment.

An empty value (``""``, or only spaces: often an unset variable) is refused rather than read as "no date",
with the same message the CLI gives for ``--as-of ""``; only None means the end of the data.

Example:
    >>> as_of_timestamp("2026-03-01", "Asia/Shanghai").isoformat()
    '2026-03-01T00:00:00+08:00'
    >>> local_iso(as_of_timestamp("2026-03-01T00:00Z"), "Asia/Shanghai")
    '2026-03-01T08:00:00+08:00'
    >>> iso_sql("created_at")[:40]
    "regexp_replace(strftime(created_at, '%Y-"
    >>> "left_at" in as_stood_sql("members")
    True
    >>> as_of_timestamp(" ")
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'as_of': ' '. Expected a date like 2026-03-01 or a datetime like 2026-03-01T08:00+08:00. Leave it out for the end of the data.
    >>> as_of_timestamp("0001-01-01")
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'as_of': '0001-01-01'. Expected a date like 2026-03-01 or a datetime like 2026-03-01T08:00+08:00, in the years 1900 to 2999.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from reef.errors import InvalidParameterError

__all__ = ["as_of_timestamp", "AS_OF_EXPECTED", "AS_OF_EMPTY_HINT", "AS_OF_YEARS", "AS_OF_EXAMPLES", "AS_OF_PATTERN",
           "LATER_EVENTS", "as_stood_sql", "iso_sql", "local_iso"]

# The two forms an as-of is written in (a date; a date and time with its offset), as every message and the HTTP API's
# schema show them; one wording for a bad or empty as-of, wherever it is parsed (library, CLI callback, HTTP API).
AS_OF_EXAMPLES = ("2026-03-01", "2026-03-01T08:00+08:00")
AS_OF_EXPECTED = f"a date like {AS_OF_EXAMPLES[0]} or a datetime like {AS_OF_EXAMPLES[1]}"
AS_OF_EMPTY_HINT = "Leave it out for the end of the data."  # no Python words: an HTTP client reads it too
# The years an as-of may fall in, far past any community's history either way: year 1 or 9999 overflowed turning the
# moment into UTC or stepping a window back or forth (an OverflowError: a 500 over HTTP, a job failed as a bug).
AS_OF_YEARS = (1900, 2999)
# The forms of as-of the HTTP API documents (its schema's ``pattern``): a date in AS_OF_YEARS, optionally a time (T or a
# space; seconds and up to six decimals optional) and an offset (Z, +08:00, +0800 or +08; none: general.timezone).
# Every text it matches that is a real calendar day, as_of_timestamp reads (tests/store/test_as_of_pattern.py); it
# leaves out forms fromisoformat reads that nobody types (20260301, 2026-W09-1).
# [0-9], not \d: a client's regex (ECMA-262, as JSON Schema says) and Python's differ on what else \d matches.
AS_OF_PATTERN = (r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9]"
                 r"(:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?$")


def as_of_timestamp(value: str | date | datetime | None, zone: str = "Asia/Shanghai", *, name: str = "as_of") -> datetime | None:
    """Parse an ``--as-of`` value (date or datetime, naive read in ``zone``); None means now.

    ``name`` is the parameter named in the error (``since`` for a start date, ``--as-of`` on the command line).
    """
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        raise InvalidParameterError(name, value, AS_OF_EXPECTED, hint=AS_OF_EMPTY_HINT, hint_zh="省略它即到数据的末尾。")
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidParameterError(name, value, AS_OF_EXPECTED) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(zone))
    if not AS_OF_YEARS[0] <= dt.year <= AS_OF_YEARS[1]:  # checked before any conversion, which may overflow
        raise InvalidParameterError(name, value, f"{AS_OF_EXPECTED}, in the years {AS_OF_YEARS[0]} to {AS_OF_YEARS[1]}")
    return dt


def iso_sql(column: str) -> str:
    """A SQL expression giving TIMESTAMPTZ ``column`` as ISO 8601 text in the session's (the store's) zone:
    ``2026-06-01T21:56:03+08:00``. ``CAST(... AS VARCHAR)`` gives ``2026-06-01 21:56:03+08``, which
    ``datetime.fromisoformat`` before 3.11 and polars refuse; every time a query hands out as text uses this."""
    # DuckDB's %z writes whole-hour offsets as "+08" and others as "+05:30": complete the first to "+08:00".
    return f"regexp_replace(strftime({column}, '%Y-%m-%dT%H:%M:%S%z'), '([+-][0-9][0-9])$', '\\1:00')"


def local_iso(moment: datetime | None, zone: str) -> str | None:
    """``moment`` in ``zone`` as ISO 8601 with its offset (seconds, no fraction); None stays None."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(str(zone))).isoformat(timespec="seconds")


# Columns recording an event on a row after it was created: as of ts, one at or after ts had not happened yet.
LATER_EVENTS = {"members": ("left_at",), "content": ("deleted_at", "edited_at"), "campaigns": ("ended_at",),
                "official_facts": ("valid_to",)}
_DONE, _CANCELLED = "TRY_CAST(attrs->>'done_at' AS TIMESTAMPTZ)", "TRY_CAST(attrs->>'cancelled_at' AS TIMESTAMPTZ)"
def as_stood_sql(entity: str) -> str:
    """A query of the canonical table ``entity`` as it stood at ``$ts``: the rows of ``<entity>_at($ts)`` with the
    events recorded on them later undone (:data:`LATER_EVENTS` cleared, an operator action done or cancelled later
    back to its status then). What ``Community.table(name, as_of=...)`` returns; the analyses read the macros, whose
    later-event columns they do not use (tests/analyses/test_as_of_isolation.py)."""
    if entity == "operator_actions":
        done = f"""json_merge_patch(CASE WHEN {_CANCELLED} >= $ts THEN json_merge_patch(attrs, '{{"cancelled_at": null, "withdraw_reason": null}}')
                                         ELSE attrs END, CASE WHEN {_DONE} >= $ts THEN '{{"done_at": null}}' ELSE '{{}}' END)"""
        status = f"""CASE WHEN {_CANCELLED} >= $ts THEN (CASE WHEN {_DONE} < $ts THEN 'done' ELSE 'open' END)
                          WHEN status = 'done' AND {_DONE} >= $ts THEN 'open' ELSE status END"""
        return f"SELECT * REPLACE ({status} AS status, ({done})::JSON AS attrs) FROM operator_actions_at($ts)"
    columns = LATER_EVENTS.get(entity, ())
    if not columns:
        return f'SELECT * FROM "{entity}_at"($ts)'
    replaced = ", ".join(f'CASE WHEN "{c}" < $ts THEN "{c}" END AS "{c}"' for c in columns)
    return f'SELECT * REPLACE ({replaced}) FROM "{entity}_at"($ts)'
