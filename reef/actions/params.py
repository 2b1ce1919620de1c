"""Checks of the paging and date parameters every read surface takes, with one message per mistake.

Example:
    >>> check_paging(2, 50, max_per_page=500)
    >>> parse_day("since", "2026-05-01T08:00")
    '2026-05-01'
"""
from __future__ import annotations

from datetime import date
from typing import Any

from reef.errors import InvalidParameterError

__all__ = ["MAX_PAGE", "check_paging", "parse_day"]

MAX_PAGE = 1_000_000_000  # far past any real table; keeps the row offset inside a 64-bit integer


def check_paging(page: int, per_page: int, *, max_per_page: int | None = None) -> None:
    """Raise :class:`InvalidParameterError` naming ``page`` or ``per_page`` when either is out of range."""
    if not 1 <= page <= MAX_PAGE:
        raise InvalidParameterError("page", page, f"an integer from 1 to {MAX_PAGE}")
    top = max_per_page or MAX_PAGE
    if not 1 <= per_page <= top:
        raise InvalidParameterError("per_page", per_page, f"an integer from 1 to {top}")


def parse_day(name: str, value: Any) -> str | None:
    """``value`` (a date, or a timestamp whose date is taken) as ``YYYY-MM-DD``; None when empty."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InvalidParameterError(name, value, "a date like 2026-05-01") from None
