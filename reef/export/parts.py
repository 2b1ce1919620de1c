"""A small read as a file to download: ``parts`` (each ``title``, ``headers`` and ``rows`` of cells) as one CSV file or an
Excel workbook, as the seeding plan's and the contest's downloads write them (reef.network.seed_download,
reef.ladder.contest_view). A CSV cell that starts like a formula stays text (:func:`reef.export.files.formula_safe`).

Example:
    >>> parts_csv([{"title": "T", "headers": ["a", "b"], "rows": [[1, "=x"]]}]).decode("utf-8-sig").splitlines()
    ['T', 'a,b', "1,'=x"]
"""
from __future__ import annotations

import csv
import io
from typing import Any

from reef.errors import MissingDependencyError

__all__ = ["parts_csv", "parts_xlsx"]


def parts_csv(parts: list[dict[str, Any]]) -> bytes:
    """The parts as one CSV file (UTF-8 with a BOM): per part a title row, a header row, the rows, a blank line between."""
    from reef.export.files import formula_safe

    buf = io.StringIO()
    writer = csv.writer(buf)
    for i, part in enumerate(parts):
        if i:
            writer.writerow([])
        writer.writerow([part["title"]])
        writer.writerow(part["headers"])
        writer.writerows([formula_safe(c) for c in row] for row in part["rows"])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def parts_xlsx(parts: list[dict[str, Any]]) -> bytes:
    """The parts as an Excel workbook: a sheet per part, bold frozen header, autofilter, numbers as numbers, the rest text."""
    try:
        import xlsxwriter
    except ImportError:
        raise MissingDependencyError("xlsxwriter", "server") from None
    buf = io.BytesIO()
    with xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_urls": False, "strings_to_formulas": False,
                                   "strings_to_numbers": False}) as book:
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for part in parts:
            ws = book.add_worksheet(part["title"][:31])
            ws.write_row(0, 0, part["headers"], head)
            ws.freeze_panes(1, 0)
            for r, row in enumerate(part["rows"], start=1):
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        ws.write_number(r, c, value)
                    else:
                        ws.write_string(r, c, str(value), wrap)
            for c, header in enumerate(part["headers"]):  # CJK characters take two columns
                width = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in str("" if x is None else x)[:80])
                            for x in [header, *(row[c] for row in part["rows"])])
                ws.set_column(c, c, min(max(width + 2, 8), 60))
            if part["rows"]:
                ws.autofilter(0, 0, len(part["rows"]), len(part["headers"]) - 1)
            ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})  # ids are text on purpose
    return buf.getvalue()
