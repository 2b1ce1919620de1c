"""The CSV and Parquet files of an export, and the query every sheet (workbook, CSV, Parquet) reads.

CSV keeps the stored columns and values (a Chinese ``<column>_zh`` beside each code column, a ``day`` as its date),
headed in the export's language (:func:`reef.export.workbook.csv_headers`) or by the column keys; it is UTF-8 with
a byte-order mark so Excel opens Chinese correctly, and a cell that starts like a formula stays text
(:func:`formula_safe`). Parquet is for programs and keeps keys and codes (typed columns survive; a ``day`` is a
date). Personal data is masked unless unmasked; rows are fetched and masked in batches.

Example:
    >>> formula_safe("=1+1"), formula_safe("-1")
    ("'=1+1", '-1')
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any, Iterator

from reef.actions.privacy import mask_rows

__all__ = ["sheet_query", "write_files", "formula_safe", "BATCH"]

BATCH = 50_000  # rows fetched and masked at a time


def sheet_query(store, sheet) -> tuple[str, tuple[str, ...]]:
    """The sheet's query and its free-text columns to mask. It reads the table, or the reader's relation the sheet
    names (``Sheet.source``: 立即认可 adds the recognition). A table with ``member_id`` and no ``name`` gets the
    member's name (from ``members``) as a last column ``name``, which is masked like every name. The order keeps
    only the terms the stored table can bind (:func:`reef.export.safety.sheet_order`)."""
    from reef.export.safety import sheet_order

    relation = sheet.relation(store)
    text, order = sheet.text_columns, sheet_order(store, sheet.table, sheet.order, relation)
    where = f" WHERE {sheet.where}" if sheet.where else ""
    sql = f'SELECT * FROM {relation} AS _t{where} ORDER BY {order}'
    columns = [d[0] for d in store.execute(f'SELECT * FROM {relation} AS _t LIMIT 0').description]
    if "member_id" in columns and "name" not in columns and sheet.table != "members" and store.table_exists("members"):
        sql = (f'SELECT *, (SELECT any_value(m.name) FROM members m WHERE m.member_id = _t.member_id) AS name '
               f'FROM {relation} AS _t{where} ORDER BY {order}')
        text = (*text, "name")
    return sql, text


def _batches(store, sheet, unmask: bool) -> tuple[list[str], Iterator[list[dict[str, Any]]]]:
    from zoneinfo import ZoneInfo

    from reef.export.workbook import code_name, day_value, is_day

    zone = ZoneInfo(str(store.config.get("general.timezone")))

    sql, text = sheet_query(store, sheet)
    cur = store.execute(sql)
    columns = [d[0] for d in cur.description]
    labels = [c for c in sheet.labels if c in columns]
    days = [c for c in columns if is_day(c)]
    shown = [x for c in columns for x in ((c, f"{c}_zh") if c in labels else (c,))]

    def gen() -> Iterator[list[dict[str, Any]]]:
        while rows := cur.fetchmany(BATCH):
            dicts = [dict(zip(columns, r)) for r in rows]
            dicts = dicts if unmask else mask_rows(dicts, text)
            for row in dicts:  # Parquet keeps the codes alone: it is read by programs, not by operators
                row.update({f"{c}_zh": code_name(row[c], sheet.codes.get(c)) for c in labels})
                row.update({c: day_value(row[c], zone) for c in days})  # a day is a date, as in the workbook
            yield dicts
    return shown, gen()


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.isoformat(sep=" ")  # CSV keeps the offset: a program reads the moment exactly
    return str(value)



_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def formula_safe(value: Any) -> Any:
    """A text cell that starts like a formula would run as one when a CSV is opened in Excel or WPS (OWASP "CSV
    injection"): a leading apostrophe keeps it text. Other values pass through."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value  # a plain number such as -1 or +86 is left alone
    return value


def _csv_cell(value: Any) -> Any:
    return formula_safe(_cell(value))


def _csv_text(columns: list[str], batches, header: list[str] | None = None) -> tuple[str, int]:
    buf, n = io.StringIO(), 0
    writer = csv.writer(buf)
    writer.writerow([formula_safe(h) for h in header or columns])
    for batch in batches:
        for row in batch:
            writer.writerow([_csv_cell(row[c]) for c in columns])
            n += 1
    return "\ufeff" + buf.getvalue(), n


def _arrow(store, sheet, unmask: bool):
    from zoneinfo import ZoneInfo

    import pyarrow as pa

    from reef.actions.privacy import mask_table
    from reef.export.workbook import day_value, is_day

    sql, text = sheet_query(store, sheet)
    table = store.fetch_arrow(sql)
    zone = ZoneInfo(str(store.config.get("general.timezone")))
    for i, field in enumerate(table.schema):  # a day kept as its local midnight is the date it names, as in the workbook
        if is_day(field.name) and pa.types.is_timestamp(field.type):
            days = [day_value(v, zone) for v in table.column(i).to_pylist()]
            table = table.set_column(i, field.name, pa.array(days, pa.date32()))
    return table if unmask else mask_table(table, text=text)


def write_files(store, out: Path, sheets: list, unmask: bool, fmt: str, header_lang: str | None, zipped: bool,
           readme) -> list[dict[str, Any]]:
    """CSV or Parquet files in the folder ``out`` or the zip ``out``, and ``readme(done)``'s text as README.txt."""
    from reef.export.about import README_NAME
    from reef.export.workbook import csv_headers

    done = []
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) if zipped else None
    try:
        for sheet in sheets:
            if fmt == "csv":
                columns, batches = _batches(store, sheet, unmask)
                header = csv_headers(sheet.table, columns, header_lang) if header_lang else None
                text, n = _csv_text(columns, batches, header)
                if archive is not None:
                    archive.writestr(f"{sheet.key}.csv", text.encode("utf-8"))
                else:
                    (out / f"{sheet.key}.csv").write_text(text, encoding="utf-8", newline="")
            else:
                import pyarrow.parquet as pq

                table = _arrow(store, sheet, unmask)  # typed columns (UBIGINT, lists) survive as they are
                n = table.num_rows
                sink = io.BytesIO() if archive is not None else out / f"{sheet.key}.parquet"
                pq.write_table(table, sink)
                if archive is not None:
                    archive.writestr(f"{sheet.key}.parquet", sink.getvalue())
            done.append({"sheet": sheet.sheet, "table": sheet.table, "file": f"{sheet.key}.{fmt}", "rows": n})
        text = readme(done)
        if archive is not None:
            archive.writestr(README_NAME, text.encode("utf-8"))
        else:
            (out / README_NAME).write_text(text, encoding="utf-8")
    finally:
        if archive is not None:
            archive.close()
    return done
