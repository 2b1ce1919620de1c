"""Excel workbooks (``.xlsx``): the data sheet is read as a CSV file, through the CSV reader and the same checks.

Reef exports Excel (``reef export``), and operators' CRM and forum exports often are Excel too. A workbook's data
sheet (the first whose first 20 rows name the entity's id column, ``member_id`` or ``用户ID``, else the first holding
a value) is written from that header row on to a UTF-8 CSV file of the same name in a temporary folder, one line per
sheet row, and read by :func:`reef.ingest.csv.stage_csv` under the workbook's own name (quarantine with Excel's row
numbers, history, the entity from the file name), so Chinese headers, look-alike columns, the id-column check and every
row check behave as for a CSV file. Cells become text as Excel shows them: dates and times in ISO form (a time without
a zone is read in ``general.timezone``, as in a CSV), whole numbers without ``.0`` (zero-padded under a ``000``
format), booleans ``true``/``false``, empty cells empty; rows with no value are skipped. A number in a timestamp column
(a date cell whose date format was lost, or a workbook written without one) is the Excel serial date it stands for, in
the workbook's date system, when it falls in 1970..2099 (no epoch in seconds or milliseconds is that small); a number
of 16 digits or more is written as the float Excel held, in scientific notation (an id of it is refused as rounded:
Excel keeps 15 significant digits, openpyxl and pandas write 16, so the digits cannot be trusted). Other sheets are not read
(a summary warning names those holding a table). Needs ``openpyxl`` (the ``server`` extra, which the Excel export uses
too); the old binary ``.xls`` is not read.

Example:
    >>> is_xlsx(Path("members.xlsx")), is_xlsx(Path("members.csv"))
    (True, False)
"""
from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from reef.errors import Location, MissingDependencyError, UnreadableFileError

__all__ = ["is_xlsx", "xlsx_to_csv"]


def is_xlsx(path: Path) -> bool:
    """True for an Excel workbook by its name (``.xlsx``, ``.xlsm``)."""
    return path.name.lower().endswith((".xlsx", ".xlsm"))


_HEADER_SCAN = 20  # rows of a sheet looked at for the header (a title row or two above it is common)


def _text(value: Any, number_format: str | None = None) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and abs(value) >= 1e15:
        # Excel keeps 15 significant digits (openpyxl writes 16): a number this long was rounded, so it is written as the
        # float it is, and an id of it is refused as rounded rather than stored as other digits
        return f"{float(value):.16e}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and number_format and set(number_format) == {"0"}:
        return str(value).zfill(len(number_format))  # a cell formatted 000 shows 7 as 007, as the CSV copy must
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def _timestamp_columns(entity: str | None, header: list[Any]) -> set[int]:
    """Positions of the header's columns that hold a timestamp field of ``entity`` (by name or Chinese alias)."""
    from reef.ingest.aliases import map_columns
    from reef.model.schema import entity_for_name

    known = entity_for_name(entity) if entity else None
    if known is None:
        return set()
    names = [str(h).strip() if h is not None else "" for h in header]
    try:
        mapped = map_columns(known, [n for n in names if n])
    except Exception:  # noqa: BLE001 - two columns for one field: the CSV reader says it; no column is converted here
        return set()
    stamps = {f.name for f in known.fields if f.type == "TIMESTAMPTZ"}
    return {i for i, n in enumerate(names) if (mapped.get(n) or n.lower()) in stamps}


def _serial_date(value: Any, epoch: datetime) -> Any:
    """A number in a timestamp column as the date it stands for in the workbook's date system (1900 or 1904), to the
    second; a number outside 1970..2099 is left as it is (refused as a timestamp, with the Excel hint)."""
    from reef.ingest.value_hints import SERIAL_RANGE

    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    from openpyxl.utils.datetime import from_excel

    if epoch.year != 1899:  # the 1904 system: its serials are 1462 days smaller
        low, high = SERIAL_RANGE[0] - 1462, SERIAL_RANGE[1] - 1462
    else:
        low, high = SERIAL_RANGE
    if not low <= value < high:
        return value
    at = from_excel(value, epoch)
    return (at + timedelta(microseconds=500_000)).replace(microsecond=0)


def _key_headers(entity: str | None) -> set[str]:
    from reef.ingest.aliases import HEADER_ALIASES, header_key
    from reef.model.schema import entity_for_name

    known = entity_for_name(entity) if entity else None
    if known is None:
        return set()
    return {header_key(known.key), *(header_key(a) for a in HEADER_ALIASES.get(known.name, {}).get(known.key, ()))}


def _filled(row) -> bool:
    return any(c.value is not None and c.value != "" for c in row)


def _pick(book, keys: set[str]) -> tuple[Any, int | None, list[str]]:
    """The sheet to read, the row number of its header (None: its first row with a value) and the other sheets that
    hold a table (a row of two values or more). The header is the first row (of the first 20) naming the entity's id column, on the first sheet that has
    one; else the first sheet with any value is read from its first row with a value, as before."""
    from reef.ingest.aliases import header_key

    chosen, header, filled, tables = None, None, [], []
    for sheet in book.worksheets:
        widths = []
        for n, row in enumerate(sheet.iter_rows(max_row=_HEADER_SCAN), start=1):
            widths.append(sum(c.value is not None and c.value != "" for c in row))
            if header is None and keys and any(isinstance(c.value, str) and header_key(c.value) in keys for c in row):
                chosen, header = sheet, n
        if any(widths):
            filled.append(sheet)
        if any(w > 1 for w in widths):  # a table; a sheet of notes (one column of text) is not said
            tables.append(sheet)
    if chosen is None:
        chosen = filled[0] if filled else book.worksheets[0]
    return chosen, header, [s.title for s in tables if s is not chosen]


def xlsx_to_csv(path: Path, folder: Path, *, entity: str | None = None, notes: list[dict] | None = None) -> Path:
    """Write the data sheet of workbook ``path`` as ``folder/<stem>.csv`` (UTF-8) and return that path.

    Each row of the sheet is the same line of the copy (rows above the header and empty rows as empty lines, which the
    CSV reader skips), so a quarantined row's line is its Excel row number. ``entity`` (else the file name's) tells the
    header by its id column; other sheets holding data are not read and are said in ``notes`` (warning dicts)."""
    try:
        import openpyxl
    except ImportError:
        raise MissingDependencyError("openpyxl", "server") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged or mis-named workbook: one line naming it
        raise UnreadableFileError(f"Cannot read the Excel workbook ({type(exc).__name__}: {str(exc)[:120]}).",
                                  where=Location(file=str(path)),
                                  hint="Save it again from Excel as .xlsx, or as CSV UTF-8 (逗号分隔) and import that.") from None
    target = folder / (path.name.rsplit(".", 1)[0] + ".csv")
    try:
        if entity is None:
            from reef.ingest.files import entity_from_filename

            entity = entity_from_filename(path)
        sheet, header, others = _pick(book, _key_headers(entity))
        wrote = False
        with open(target, "w", encoding="utf-8", newline="") as fh:
            out, head = csv.writer(fh), csv.writer(fh, quoting=csv.QUOTE_ALL)
            for n, row in enumerate(sheet.iter_rows(), start=1):
                if not _filled(row) or (header is not None and n < header):
                    out.writerow([])  # keeps the line numbers; a blank line is no record
                    continue
                values = [c.value for c in row]
                if not wrote:
                    stamps, epoch = _timestamp_columns(entity, values), getattr(book, "epoch", datetime(1899, 12, 30))
                else:
                    values = [_serial_date(v, epoch) if k in stamps else v for k, v in enumerate(values)]
                # the header is quoted: a separator inside a column name (价格;元) must not decide the file's separator
                (out if wrote else head).writerow([_text(v, getattr(c, "number_format", None)) for v, c in zip(values, row)])
                wrote = True
    finally:
        book.close()
    if not wrote:
        raise UnreadableFileError("The workbook has no sheet with a value.", where=Location(file=str(path)))
    if others and notes is not None:
        from reef.i18n import plural

        shown = plural(len(others), "other sheet") + " (" + ", ".join(others) + ")"
        notes.append({"code": "sheets_not_read", "file": str(path), "sheets": others,
                      "message": f"only sheet '{sheet.title}' was read; {shown} with data too not imported: save each as its own .xlsx or CSV file named after what it holds "
                                 "(members.xlsx, content.xlsx ...) and import those",
                      "message_zh": f"只读取了工作表「{sheet.title}」；工作表「{'」「'.join(others)}」中也有数据，未导入："
                                    "请将每个工作表另存为单独的 .xlsx 或 CSV 文件（按内容命名，如 members.xlsx、content.xlsx）后再导入"})
    return target
