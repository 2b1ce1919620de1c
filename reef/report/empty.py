"""Why a report section is empty, said to a manager: nothing existed yet by the report's date, or the analysis ran
and found nothing. The report brings every analysis up to date before it reads them, so "run `reef analyze`" is
never the reason inside a report (a section whose analysis failed is left out and named under 分析运行).

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> empty_text(open_store(":memory:"), datetime(2025, 6, 1, tzinfo=timezone.utc), "en", ("无", "None found."))
    'No data before this date (2025-06-01): nothing to report here yet.'
    >>> empty_text(open_store(":memory:"), None, "en", ("无", "None found."))
    'None found.'
"""
from __future__ import annotations

from typing import Any

__all__ = ["before_data", "empty_text"]

_NO_DATA = ("所选日期（{day}）之前还没有数据，这里暂无内容。", "No data before this date ({day}): nothing to report here yet.")


def before_data(store, as_of: Any) -> bool:
    """True when no content item existed by ``as_of`` (None: the end of the data, never before it)."""
    if as_of is None or not store.table_exists("content"):
        return False
    return not store.fetch_value("SELECT EXISTS (SELECT 1 FROM content_at($ts))", {"ts": as_of})


def empty_text(store, as_of: Any, lang: str, none: tuple[str, str]) -> str:
    """The one line an empty section shows: "no data before this date" when nothing existed by ``as_of``, else
    ``none`` (``(zh, en)``: what the analysis found, with no terminal command in it)."""
    en = lang == "en"
    if before_data(store, as_of):
        from reef.store.coverage import local_time

        day = local_time(as_of, str(store.config.get("general.timezone")), "%Y-%m-%d")
        return _NO_DATA[en].format(day=day)
    return none[en]
