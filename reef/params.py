"""Checks of the parameters every surface takes (paging, dates, counts, choices), with one message per
mistake, so CLI, API and notebook users read the same error.

Example:
    >>> check_paging(2, 50, max_per_page=500)
    >>> parse_day("since", "2026-05-01T08:00")
    '2026-05-01'
    >>> check_positive("top", 5), check_choice("role", "all", ("connector", "all"))
    (5, 'all')
    >>> check_whole("window", "99999999999999999999")
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'window': '99999999999999999999'. Expected a whole number from -1000000000 to 1000000000.
    >>> like_contains("100%_off")
    '%100\\\\%\\\\_off%'
"""
from __future__ import annotations

import numbers
from datetime import date
from typing import Any

from reef.errors import InvalidParameterError

__all__ = ["MAX_PAGE", "MAX_WHOLE", "MAX_DAYS", "LIKE_ESCAPE", "DAY_EXAMPLE", "DAY_PATTERN", "check_paging", "check_whole", "parse_day",
           "check_positive", "check_range", "check_choice", "check_known", "like_contains", "page_of", "equals_filter",
           "filter_schema", "check_text", "check_flag", "TEXT_EXPECTED"]

MAX_PAGE = 1_000_000_000  # far past any real table; keeps the row offset inside a 64-bit integer
# The largest whole number any parameter takes (a page, a row count, a number of weeks): a larger one is a mistake or
# a probe, refused before it reaches DuckDB (BIGINT overflow) or date arithmetic (OverflowError) as a 500.
MAX_WHOLE = MAX_PAGE
MAX_DAYS = 36_525  # a span in days (an effect window): a century, far past any community's history
# What parse_day reads, as the HTTP API's schema documents it: a date (years 0001 to 9999) and whatever follows it, a
# timestamp's time for instance, which is ignored (no $ at the end: a JSON Schema pattern matches anywhere unless anchored).
DAY_EXAMPLE = "2026-05-01"
DAY_PATTERN = r"^(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
LIKE_ESCAPE = "\\"  # the escape character of the patterns built by like_contains: write `LIKE ? ESCAPE '\\'`


def check_paging(page: int, per_page: int, *, max_per_page: int | None = None) -> None:
    """Raise :class:`InvalidParameterError` naming ``page`` or ``per_page`` when either is out of range."""
    if not 1 <= page <= MAX_PAGE:
        raise InvalidParameterError("page", page, f"an integer from 1 to {MAX_PAGE}")
    top = max_per_page or MAX_PAGE
    if not 1 <= per_page <= top:
        raise InvalidParameterError("per_page", per_page, f"an integer from 1 to {top}")


def check_whole(name: str, value: Any) -> int | None:
    """``value`` (an int, or the text of a query parameter) as an int from ``-MAX_WHOLE`` to :data:`MAX_WHOLE`;
    None when empty. The server checks every integer query parameter of every route with it before the route runs.

    >>> check_whole("page", " 7"), check_whole("page", "")
    (7, None)
    """
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        raise InvalidParameterError(name, value, "a whole number") from None
    if not -MAX_WHOLE <= number <= MAX_WHOLE:
        raise InvalidParameterError(name, value, f"a whole number from {-MAX_WHOLE} to {MAX_WHOLE}")
    return number


def page_of(rows: list, page: int, per_page: int) -> dict[str, Any]:
    """One page of an in-memory list, in the shape paged API answers use: ``items``, ``page``, ``per_page``,
    ``total`` and ``pages`` (at least 1).

    >>> page_of(list(range(5)), 2, 2)
    {'items': [2, 3], 'page': 2, 'per_page': 2, 'total': 5, 'pages': 3}
    """
    first = (page - 1) * per_page
    return {"items": rows[first:first + per_page], "page": page, "per_page": per_page, "total": len(rows),
            "pages": max(1, -(-len(rows) // per_page))}


def parse_day(name: str, value: Any) -> str | None:
    """``value`` (a date, or a timestamp whose date is taken) as ``YYYY-MM-DD``; None when empty."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InvalidParameterError(name, value, f"a date like {DAY_EXAMPLE}") from None


_WHOLE_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_NUMBER_TYPES = {"FLOAT", "DOUBLE", "REAL"}
_TRUTH = {"true": True, "1": True, "false": False, "0": False}


def equals_filter(name: str, value: Any, sql_type: str) -> tuple[str, Any]:
    """The SQL test and its parameter for ``name = value`` on a column of DuckDB type ``sql_type``: a value the column
    cannot hold (``stage=abc`` on an integer column, ``answered=maybe`` on a boolean) is an invalid parameter, not a
    filter that silently matches nothing.

    >>> equals_filter("stage", " 3", "TINYINT")
    ('"stage" = ?', 3)
    >>> equals_filter("answered", "True", "BOOLEAN"), equals_filter("kind", "gap", "VARCHAR")
    (('"answered" = ?', True), ('CAST("kind" AS VARCHAR) = ?', 'gap'))
    >>> equals_filter("stage", "abc", "TINYINT")
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'stage': 'abc'. Expected a whole number.
    """
    kind, text = sql_type.upper(), str(value).strip()
    if kind in _WHOLE_TYPES:
        try:
            number = int(text)
        except ValueError:
            raise InvalidParameterError(name, value, "a whole number") from None
        if abs(number) >= 2**63:
            raise InvalidParameterError(name, value, "a whole number") from None
        return f'"{name}" = ?', number
    if kind in _NUMBER_TYPES or kind.startswith("DECIMAL"):
        try:
            return f'"{name}" = ?', float(text)
        except ValueError:
            raise InvalidParameterError(name, value, "a number") from None
    if kind == "BOOLEAN":
        if text.lower() not in _TRUTH:
            raise InvalidParameterError(name, value, "true or false")
        return f'"{name}" = ?', _TRUTH[text.lower()]
    if kind == "DATE" or kind.startswith("TIMESTAMP"):
        return f'CAST("{name}" AS DATE) = CAST(? AS DATE)', parse_day(name, text)
    return f'CAST("{name}" AS VARCHAR) = ?', str(value)


def filter_schema(sql_type: str) -> dict[str, Any]:
    """The JSON Schema of the values :func:`equals_filter` takes for a column of DuckDB type ``sql_type`` (the HTTP
    API documents a view's filters with it).

    >>> filter_schema("TINYINT")["type"], filter_schema("BOOLEAN"), filter_schema("VARCHAR")
    ('integer', {'type': 'boolean'}, {'type': 'string'})
    """
    kind = sql_type.upper()
    if kind in _WHOLE_TYPES:
        return {"type": "integer", "minimum": 1 - 2**63, "maximum": 2**63 - 1}
    if kind in _NUMBER_TYPES or kind.startswith("DECIMAL"):
        return {"type": "number"}
    if kind == "BOOLEAN":  # true or false (1 and 0 too, any case)
        return {"type": "boolean"}
    if kind == "DATE" or kind.startswith("TIMESTAMP"):
        return {"type": "string", "pattern": DAY_PATTERN, "example": DAY_EXAMPLE}
    return {"type": "string"}


def check_positive(name: str, value: int, *, minimum: int = 1, maximum: int = MAX_WHOLE) -> int:
    """``value`` when it is a whole number from ``minimum`` to ``maximum`` (a row count, a number of seeds or runs;
    :data:`MAX_WHOLE` unless said).

    >>> check_positive("top", 10**20)
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'top': 100000000000000000000. Expected an integer from 1 to 1000000000.
    """
    # Any whole number type (a notebook's numpy.int64 too), never a bool or a float; the value comes back a Python int.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise InvalidParameterError(name, value, "a positive integer" if minimum == 1 else f"an integer of at least {minimum}")
    if value > maximum:
        raise InvalidParameterError(name, value, f"an integer from {minimum} to {maximum}")
    return int(value)


def check_range(name: str, value: Any, low: int, high: int) -> Any:
    """``value`` when it is None or a whole number from ``low`` to ``high`` (a ladder stage, weeks of trend).

    >>> check_range("stage", 9, 0, 4)
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'stage': 9. Expected an integer from 0 to 4.
    """
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
        raise InvalidParameterError(name, value, f"an integer from {low} to {high}")
    return value


def check_choice(name: str, value: Any, choices: tuple | list) -> Any:
    """``value`` when it is one of ``choices``. A value not given (None) is said to be missing (every check here
    words its error through :class:`reef.errors.InvalidParameterError`'s one template, never as Python's ``None``).

    >>> check_choice("role", None, ("connector", "all"))
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Missing value for 'role'. Expected one of connector, all.
    """
    if value not in choices:
        raise InvalidParameterError(name, value, "one of " + ", ".join(map(str, choices)))
    return value


def check_known(kind: str, names, allowed, *, hint: str | None = None) -> None:
    """Refuse the first of ``names`` that is not in ``allowed`` (a misspelled filter or option): a parameter nobody
    reads would otherwise be ignored in silence and the answer look filtered when it is not.

    >>> check_known("query parameter", ["page", "stage"], ("page", "stage"))
    >>> check_known("query parameter", ["stag"], ("page", "stage"))
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'query parameter': 'stag'. Expected one of page, stage.
    """
    unknown = sorted(set(names) - set(allowed))
    if unknown:
        raise InvalidParameterError(kind, unknown[0], "one of " + ", ".join(sorted(allowed)), hint=hint)


TEXT_EXPECTED = "text, such as an id or a name"


def check_text(name: str, value: Any) -> str | None:
    """``value`` as the text an id, name or search is compared with: a text as it is, a whole number as its digits
    (a notebook's ``member(5)`` or numpy id is the id ``'5'``, as ``reef member 5`` reads it), None as None; anything
    else (a float, a list, a bool) is an InvalidParameterError naming ``name``, not a DuckDB cast error.

    >>> check_text("member_id", "m0224"), check_text("member_id", 5), check_text("member", None)
    ('m0224', '5', None)
    >>> check_text("campaign", ["camp-1"])
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'campaign': 'camp-1'. Expected text, such as an id or a name.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return str(value)  # a numpy str_ too, as a plain str
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    raise InvalidParameterError(name, value, TEXT_EXPECTED)


def check_flag(name: str, value: Any) -> bool:
    """``value`` when it is True or False (a numpy bool too, returned as a Python bool): a text such as ``"no"`` is
    refused, where Python's truth would read it as True.

    >>> check_flag("unmask", False)
    False
    >>> check_flag("unmask", "no")
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'unmask': 'no'. Expected true or false.
    """
    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool") and hasattr(value, "item"):
        return bool(value)
    raise InvalidParameterError(name, value, "true or false")


def like_contains(text: str) -> str:
    """A LIKE/ILIKE pattern matching values that contain ``text`` literally: ``%``, ``_`` and the escape character
    typed by a user are escaped, so the query must say ``ESCAPE '\\'`` (:data:`LIKE_ESCAPE`)."""
    escaped = str(text).replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{escaped}%"
