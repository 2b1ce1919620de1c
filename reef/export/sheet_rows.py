"""The data rows of one workbook sheet: fetched in batches, masked, converted and written cell by cell.

A workbook of a 110,663-member store holds 11.9M cells (阶梯 alone: 58 columns a member), so the work per cell is
what an export costs: each column's masking and conversion are chosen once (:func:`converter`, the same values as
:func:`reef.export.workbook.cell_value`), rows stay tuples, and the sheet stops at Excel's row limit, saying so
(:func:`row_limit_warning`) instead of reading the rest for nothing.

Example:
    >>> from reef.export.workbook import Column
    >>> convert = converter(Column("score", "Score", "number"), "en", None)
    >>> convert(0.123456), convert(None), convert(2 ** 60)
    (0.1235, None, '1152921504606846976')
"""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Callable

from reef.actions.privacy import column_masker
from reef.export.workbook import EXCEL_MAX_TEXT, Column, _number, cell_value

__all__ = ["converter", "display_width", "write_sheet_rows", "row_limit_warning", "EXCEL_MAX_ROWS"]

EXCEL_MAX_ROWS = 1_048_576  # rows in an Excel sheet, the header row included
_EXACT = 2 ** 53  # integers a double holds exactly


def converter(column: Column, lang: str, zone) -> Callable[[Any], Any]:
    """``cell_value`` for one column: the common stored types of its kind on a short path, the rest through
    :func:`reef.export.workbook.cell_value` (identical results)."""
    kind = column.kind

    def general(value: Any) -> Any:
        return cell_value(value, column, lang, zone)

    if kind == "number":
        def number(value: Any) -> Any:
            t = type(value)
            if t is int:
                return value if -_EXACT < value < _EXACT else str(value)
            if t is float:
                return _number(value) if math.isfinite(value) else None
            return None if value is None else general(value)
        return number
    if kind == "text":
        return lambda value: value[:EXCEL_MAX_TEXT] if type(value) is str else None if value is None else general(value)
    if kind == "id":
        return lambda value: value if type(value) is str else None if value is None else general(value)
    if kind == "datetime":
        def moment(value: Any) -> Any:
            if type(value) is datetime and value.tzinfo is not None:
                value = value.astimezone(zone).replace(tzinfo=None)
                return value if value.year >= 1900 else value.isoformat()
            return None if value is None else general(value)
        return moment
    return general


def display_width(value: Any) -> int:
    """Columns ``value`` takes in a sheet (CJK characters two), from its first 80 characters."""
    text = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:80])


def write_sheet_rows(ws, cur, names: list[str], columns: list[Column], text: tuple[str, ...], unmask: bool, lang: str,
                     zone, formats: dict[str, Any], widths: list[int], batch: int) -> tuple[int, int | None]:
    """Write the rows of ``cur`` (its columns ``names``) under the header; ``widths`` grow to fit the first 200 rows.
    Returns the rows written and, when the sheet had more than Excel holds, how many it had (else None)."""
    index = {name: i for i, name in enumerate(names)}
    picks = [index[c.name] for c in columns]
    convert = [converter(c, lang, zone) for c in columns]
    maskers = [] if unmask else [(i, fn) for i, name in enumerate(names) if (fn := column_masker(name, text)) is not None]
    kinds = [formats[c.kind if c.kind in formats else "datetime"] for c in columns]
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
    n, room = 0, EXCEL_MAX_ROWS - 1
    while rows := cur.fetchmany(batch):
        for at, raw in enumerate(rows):
            if n >= room:  # Excel's row limit: the rest is in CSV / Parquet; count it to say how many were left out
                return n, n + len(rows) - at + sum(len(more) for more in iter(lambda: cur.fetchmany(batch), []))
            n += 1
            if maskers:
                raw = list(raw)
                for i, fn in maskers:
                    raw[i] = fn(raw[i])
            for col, (pick, fn) in enumerate(zip(picks, convert)):
                value = fn(raw[pick])
                if value is None:
                    continue
                if isinstance(value, str):
                    write_string(n, col, value)
                elif isinstance(value, (datetime, date)):
                    write_datetime(n, col, value, kinds[col])
                else:
                    write_number(n, col, value)
                if n <= 200:
                    widths[col] = max(widths[col], min(display_width(value) + 2, 60))
    return n, None


def row_limit_warning(sheets: list[dict[str, Any]], lang: str, warning: str | None = None) -> str | None:
    """``warning`` and a line naming the sheets cut at Excel's row limit (``total``: the rows they had) with what to
    use instead; ``warning`` alone when no sheet was cut."""
    from reef.i18n import plural

    cut = [s for s in sheets if s.get("total")]
    if not cut:
        return warning
    if lang == "en":
        line = "; ".join(f"Sheet {s['sheet']} has {plural(s['total'], 'row')}: Excel holds {plural(s['rows'], 'row')} "
                         f"under the header, so the rest are not in this workbook" for s in cut) + \
            ". Export them whole as CSV or Parquet (reef export --format csv)."
    else:
        line = "；".join(f"工作表 {s['sheet']} 有 {s['total']} 行，Excel 每表最多容纳表头下 {s['rows']} 行，其余未写入本工作簿"
                        for s in cut) + "。完整数据请导出为 CSV 或 Parquet（reef export --format csv）。"
    return "\n".join(w for w in (warning, line) if w)
