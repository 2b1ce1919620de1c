"""Excel workbooks (``.xlsx``): the first sheet is read as a CSV file, through the CSV reader and the same checks.

Reef exports Excel (``reef export``), and operators' CRM and forum exports often are Excel too. A workbook's first
sheet is written to a UTF-8 CSV file of the same name in a temporary folder and read by :func:`reef.ingest.csv.stage_csv`
under the workbook's own name (quarantine, history, the entity from the file name), so Chinese headers, look-alike
columns, the id-column check and every row check behave as for a CSV file. Cells become text as Excel shows them:
dates and times in ISO form (a time without a zone is read in ``general.timezone``, as in a CSV), whole numbers
without ``.0``, booleans ``true``/``false``, empty cells empty; rows with no value are skipped. Other sheets are not
read. Needs ``openpyxl`` (the ``server`` extra, which the Excel export uses too); the old binary ``.xls`` is not read.

Example:
    >>> is_xlsx(Path("members.xlsx")), is_xlsx(Path("members.csv"))
    (True, False)
"""
from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from reef.errors import Location, MissingDependencyError, UnreadableFileError

__all__ = ["is_xlsx", "xlsx_to_csv"]


def is_xlsx(path: Path) -> bool:
    """True for an Excel workbook by its name (``.xlsx``, ``.xlsm``)."""
    return path.name.lower().endswith((".xlsx", ".xlsm"))


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def xlsx_to_csv(path: Path, folder: Path) -> Path:
    """Write the first sheet of workbook ``path`` as ``folder/<stem>.csv`` (UTF-8) and return that path."""
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
        sheet = book.worksheets[0]
        with open(target, "w", encoding="utf-8", newline="") as fh:
            # the header is quoted: a separator inside a column name (价格;元) must not decide the file's separator
            rows = ([_text(v) for v in row] for row in sheet.iter_rows(values_only=True)
                    if any(v is not None and v != "" for v in row))
            header = next(rows, None)
            if header is not None:
                csv.writer(fh, quoting=csv.QUOTE_ALL).writerow(header)
                csv.writer(fh).writerows(rows)
    finally:
        book.close()
    if target.stat().st_size == 0:
        raise UnreadableFileError("The workbook's first sheet is empty.", where=Location(file=str(path)))
    return target
