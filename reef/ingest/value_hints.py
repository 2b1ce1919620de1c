"""Hints for a value refused as a timestamp, said with its reason: a day and month whose order is ambiguous
(``3/5/2024``) and an Excel serial date number (``45356.33``) get what it is and the form to use instead.

The stored reason stays ``not a valid timestamp: '<value>'`` (re-imports compare it, see :mod:`reef.ingest.reasons`);
the hint is read off the value when the reason is shown, in the operator's language. Neither value is converted: the
order of 3/5 is a guess, and in a CSV a number may be anything (an XLSX cell in a timestamp column is read as a serial
date by :mod:`reef.ingest.xlsx`, where the workbook says which date system it uses).

Example:
    >>> timestamp_hint("3/5/2024", "en")
    'ambiguous date: 3/5/2024 is 2024-03-05 (month/day) or 2024-05-03 (day/month); write it as YYYY-MM-DD; '
    >>> "45356.33 即 2024-03-05 07:55" in timestamp_hint("45356.33", "zh")
    True
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

__all__ = ["timestamp_hint", "SERIAL_RANGE"]

_SLASHED = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\S.*)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
# Excel serial days of 1970-01-01 .. 2099-12-31 (1900 date system): no epoch (9-10 or 12-13 digits) is in this range.
SERIAL_RANGE = (25569, 73051)
_EXCEL_DAY0 = datetime(1899, 12, 30)


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return datetime(int(y), int(m), int(d)).strftime("%Y-%m-%d")
    except ValueError:
        return None


def timestamp_hint(value: str, lang: str = "zh") -> str:
    """What ``value`` (a text refused as a timestamp) likely is and the form to write, ending in a separator; '' if nothing."""
    text = value.strip()
    m = _SLASHED.fullmatch(text)
    if m:
        a, b, y = m.groups()
        md, dm = _date(y, a, b), _date(y, b, a)
        if md and dm and md != dm:
            return (f"日期有歧义：{text} 可能是 {md}（月/日）或 {dm}（日/月）；请写成 年-月-日（YYYY-MM-DD）；",
                    f"ambiguous date: {text} is {md} (month/day) or {dm} (day/month); write it as YYYY-MM-DD; ")[lang == "en"]
        one = md or dm
        if one:
            return (f"日期 {text} 的日月顺序不会被猜测（应是 {one}）；请写成 年-月-日（YYYY-MM-DD）；",
                    f"the day/month order of {text} is not guessed (it would be {one}); write it as YYYY-MM-DD; ")[lang == "en"]
        return ""
    if _SERIAL.fullmatch(text) and SERIAL_RANGE[0] <= float(text) < SERIAL_RANGE[1]:
        at = (_EXCEL_DAY0 + timedelta(days=float(text))).strftime("%Y-%m-%d %H:%M")
        return (f"这像是 Excel 的日期序列号（{text} 即 {at}）：请在 Excel 中将该列设置为日期格式后重新导出（或从平台重新导出），"
                "不要导出为数字；",
                f"it looks like an Excel serial date ({text} is {at}): format the column as a date in Excel and save or "
                "export again (or export again from the platform), not as a number; ")[lang == "en"]
    return ""
