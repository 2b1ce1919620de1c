"""Write the main tables to one Excel workbook (a sheet each) or to CSV / Parquet.

The workbook is the operators' (:mod:`reef.export.workbook`: headers, dates, codes and numbers in the export's
language, a frozen header row and an autofilter). CSV keeps the stored columns and values (adding a Chinese
``<column>_zh`` beside each code column) under headers in the export's language, or under the column keys with
``raw_headers`` (data work); Parquet is for programs and keeps keys and codes. Every sheet with a ``member_id`` and no
``name`` gets the member's name beside it (关怀名单, 风险提醒, 运营行动 ...), masked like every name.

Personal data is masked unless ``unmask=True`` (admins only: the HTTP API checks the role, the
CLI needs ``--unmask``); every export is audited. CSV is written as UTF-8 with a byte-order mark
so Excel opens Chinese correctly; workbooks stream rows (xlsxwriter constant-memory mode), so a
1M-member store exports without holding a sheet in memory. Tables that do not exist yet (an
analysis not run, a capability not built) are skipped and listed in the result. CSV and Parquet files are in
:mod:`reef.export.files`.

Each sheet's analysis and as_of (result tables describe the moment of the run that wrote them) are listed in the
result's ``tables``, on the workbook's first sheet 说明 / About and in a README.txt beside CSV and Parquet files,
with a ``warning`` when the sheets mix moments or precede the data's end (:mod:`reef.export.about`). The output is
written aside and renamed into place, so a failed export leaves nothing new (:mod:`reef.export.safety`).

Example:
    >>> from reef.store import open_store
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.xlsx"
    >>> export_tables(open_store(":memory:"), out)["sheets"][0]["sheet"]
    '成员'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from reef.actions.log import audit
from reef.errors import InvalidParameterError, MissingDependencyError
from reef.export.about import provenance, readme_text
from reef.export.files import BATCH, formula_safe, sheet_query, write_files
from reef.export.safety import staged
from reef.export.sheet_rows import display_width as _display_width, row_limit_warning

__all__ = ["Sheet", "SHEETS", "register_sheet", "export_tables", "export_file_name", "formula_safe", "FORMATS"]

FORMATS = ("xlsx", "csv", "parquet")


@dataclass(frozen=True)
class Sheet:
    sheet: str  # Chinese sheet name (Excel allows at most 31 characters)
    table: str  # store table; also the CSV / Parquet file name
    order: str = "1"
    text_columns: tuple[str, ...] = ()  # free text scanned for personal data
    where: str = ""  # a fixed SQL filter (e.g. the 关怀名单 rows of risk_evidence); never user input
    name: str = ""  # CSV / Parquet file name when several sheets read one table (default: the table)
    labels: tuple[str, ...] = ()  # code columns (a role, a status): their names in the workbook, a Chinese twin ``<column>_zh`` in CSV
    sheet_en: str = ""  # English sheet name (default: reef.export.workbook.SHEET_EN, else a view's English title)
    # A library reader's relation read in place of the table (SQL without parameters, given the store): the table's
    # rows with what the reader adds (立即认可: the recognition); the sheet is written while the table exists.
    source: Callable[[Any], str] | None = None
    # Names of a code column's values on this sheet, where they differ from reef.i18n.code_label's:
    # {column: {code: (Chinese, English)}} (立即认可's recognised_status: done is 已认可, not 已完成).
    codes: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.name or self.table

    def relation(self, store) -> str:
        """What the sheet reads, as a FROM item: the quoted table, or its ``source`` in parentheses."""
        return f"({self.source(store)})" if self.source is not None else f'"{self.table}"'

    def select(self) -> str:
        where = f" WHERE {self.where}" if self.where else ""
        return f'SELECT * FROM "{self.table}"{where} ORDER BY {self.order}'


# operator_actions with its details out of attrs (what reef.actions.listing reads too)
_ACTION_DETAILS = ("SELECT *, attrs->>'team' AS team, attrs->>'role' AS role, attrs->>'layer' AS layer, "
                   "attrs->>'due' AS due, attrs->>'topic' AS topic FROM operator_actions")
_LAYER_NAMES = {"plaza": ("广场", "plaza"), "group": ("兴趣小组", "interest group"), "team": ("项目团队", "project team"),
                "council": ("顾问团", "advisory council")}

# members with whether each is still one: every account ever imported is a row; those who left say so (在籍 / 已离开),
# so the sheet's total (all rows) and the current members (the dashboard's, member_summary's) are both readable.
_MEMBERS = ("SELECT member_id, name, CASE WHEN left_at IS NULL THEN 'current' ELSE 'left' END AS membership, "
            "* EXCLUDE (member_id, name) FROM members")
_MEMBERSHIP = {"current": ("在籍", "current member"), "left": ("已离开", "left")}

SHEETS: list[Sheet] = [
    Sheet("成员", "members", "member_id", ("name",), labels=("account_type", "membership"), source=lambda store: _MEMBERS,
          codes={"membership": _MEMBERSHIP}),
    Sheet("成员概况", "member_summary", "interactions_received DESC, member_id", ("name",), labels=("account_type",)),
    Sheet("每日活跃", "activity_daily", "day"),
    # attrs carries the action's details (recognition text, team, role, layer, brief, due, topic): free text, masked too.
    # The details operators sort and filter by (the project team, the role on it, the task's layer and due date, a seed
    # action's topic) get their own columns; attrs keeps the rest. The topic is typed text, so it is masked like attrs.
    Sheet("运营行动", "operator_actions", "created_at, action_id", ("note", "attrs", "topic"), labels=("kind", "status", "layer"),
          source=lambda store: _ACTION_DETAILS, codes={"layer": _LAYER_NAMES}),
    Sheet("导入记录", "imports", "import_id"),
    Sheet("隔离数据", "quarantine", "quarantined_at, file, line", ("raw", "reason")),
]


def register_sheet(sheet: Sheet) -> Sheet:
    """Add a capability's table (阶梯, 关键节点, 助推名单 ...) to every export."""
    if len(sheet.sheet) > 31:
        raise InvalidParameterError("sheet", sheet.sheet, "at most 31 characters (an Excel limit)")
    SHEETS[:] = [s for s in SHEETS if s.key != sheet.key] + [sheet]
    return sheet


def _xlsx(store, out: Path, sheets: list[Sheet], unmask: bool, lang: str, info: dict[str, Any],
          warning: str | None) -> list[dict[str, Any]]:
    try:
        import xlsxwriter
    except ImportError:
        raise MissingDependencyError("xlsxwriter", "server") from None
    from zoneinfo import ZoneInfo

    from reef.export.about import ABOUT_TITLE, write_about_sheet
    from reef.export.sheet_rows import write_sheet_rows
    from reef.export.workbook import sheet_title, workbook_columns

    zone_name = str(store.config.get("general.timezone"))
    zone = ZoneInfo(zone_name)
    done = []
    with xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_urls": False,
                                        "strings_to_formulas": False, "strings_to_numbers": False}) as book:
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
        formats = {"datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
                   "date": book.add_format({"num_format": "yyyy-mm-dd"})}
        about = book.add_worksheet(ABOUT_TITLE[lang])  # first, written last: it lists every sheet's rows and as_of
        for sheet in sheets:
            title = sheet_title(sheet, lang)
            ws = book.add_worksheet(title)
            sql, text = sheet_query(store, sheet)
            cur = store.execute(sql)
            names = [d[0] for d in cur.description]
            columns = workbook_columns(sheet.table, [(d[0], str(d[1])) for d in cur.description], sheet.labels, lang, zone_name,
                                       sheet.codes)
            ws.write_row(0, 0, [c.header for c in columns], head)
            ws.freeze_panes(1, 0)
            widths = [min(max(_display_width(c.header) // 2 + 2, 8), 40) for c in columns]
            n, total = write_sheet_rows(ws, cur, names, columns, text, unmask, lang, zone, formats, widths, BATCH)
            for i, width in enumerate(widths):
                ws.set_column(i, i, width)
            if columns:
                ws.autofilter(0, 0, n, len(columns) - 1)
            ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})  # ids are text on purpose
            done.append({"sheet": title, "table": sheet.table, "file": sheet.key, "rows": n, "total": total})
        write_about_sheet(store, about, head, _with_as_of(done, sheets, info), lang, row_limit_warning(done, lang, warning))
    return done



def export_file_name(store, fmt: str = "xlsx") -> str:
    """``reef-export-<day>.xlsx`` (``.zip`` for CSV or Parquet files): the day of the newest row in the store, in its
    zone (``general.timezone``); today when the store is empty."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from reef.analyses.runner import data_end

    zone = ZoneInfo(str(store.config.get("general.timezone")))
    end = data_end(store)  # one second after the newest timestamp
    day = (end - timedelta(seconds=1)).astimezone(zone).date() if end is not None else datetime.now(zone).date()
    return f"reef-export-{day.isoformat()}.{'xlsx' if fmt == 'xlsx' else 'zip'}"


def export_tables(store, out: str | Path | None = None, *, fmt: str | None = None, unmask: bool = False, by: str | None = None,
                  role: str | None = None, client: str | None = None, lang: str | None = None,
                  raw_headers: bool = False) -> dict[str, Any]:
    """Export every existing sheet table to ``out`` and audit it.

    ``fmt`` defaults from the suffix: ``.xlsx`` -> one workbook; otherwise ``csv`` (or
    ``parquet``) files in the folder ``out``, or inside ``out`` when it ends in ``.zip``. Without ``out``,
    :func:`export_file_name` in the current folder. ``lang`` (default ``general.language``) is the language of the
    workbook and of the CSV header rows (the workbook's headers; :func:`reef.export.workbook.csv_headers`);
    ``raw_headers`` heads the CSV columns with their keys (``member_id``) for data work. Parquet keeps the keys.
    """
    from reef.analyses import discover
    from reef.i18n import check_lang

    discover()  # each capability registers its sheets when its package is imported
    lang = check_lang(lang or str(store.config.get("general.language")))
    if out is None:
        out = Path(export_file_name(store, fmt or "xlsx"))
    out = Path(out)
    fmt = fmt or ("xlsx" if out.suffix == ".xlsx" else "parquet" if out.suffix == ".parquet" else "csv")
    if fmt not in FORMATS:
        raise InvalidParameterError("format", fmt, "one of " + ", ".join(FORMATS))
    if fmt == "xlsx" and out.suffix != ".xlsx":
        raise InvalidParameterError("out", str(out), "a file name ending in .xlsx for the xlsx format")
    if out.suffix == ".parquet":
        out = out.with_suffix("")  # one Parquet file per table, in this folder
    present = [s for s in SHEETS if store.table_exists(s.table)]
    missing = [s.table for s in SHEETS if not store.table_exists(s.table)]
    info, warning = provenance(store, present, lang)

    def readme(done: list[dict[str, Any]]) -> str:
        from reef.export.workbook import sheet_title

        titled = [{**d, "sheet": sheet_title(s, lang)} for d, s in zip(done, present)]
        return readme_text(store, _with_as_of(titled, present, info), warning, lang, fmt)

    zipped = fmt != "xlsx" and out.suffix == ".zip"
    with staged(out, folder=fmt != "xlsx" and not zipped) as tmp:  # on failure nothing new is left behind
        if fmt == "xlsx":
            sheets = _xlsx(store, tmp, present, unmask, lang, info, warning)
            warning = row_limit_warning(sheets, lang, warning)  # a sheet cut at Excel's row limit says so
            sheets = [{k: v for k, v in d.items() if k != "total"} for d in sheets]
        else:
            sheets = write_files(store, tmp, present, unmask, fmt, None if raw_headers or fmt != "csv" else lang, zipped, readme)
            from reef.export.workbook import sheet_title

            # the files are named by key; the listing names each sheet in ``lang`` as the workbook and the README do
            # (`reef export --format csv --lang en` listed 成员, 成员概况 … before)
            sheets = [{**d, "sheet": sheet_title(s, lang)} for d, s in zip(sheets, present)]
    sheets = _with_as_of(sheets, present, info)
    if not store.read_only:
        audit(store, by, role, "export", str(out.name), {"format": fmt, "unmask": unmask, "raw_headers": raw_headers,
                                                         "sheets": [s["table"] for s in sheets]}, client)
    tables = [{**s, "as_of": s["as_of"].isoformat() if s["as_of"] is not None else None} for s in sheets]
    return {"out": str(out), "format": fmt, "masked": not unmask, "lang": lang, "raw_headers": raw_headers and fmt == "csv",
            "sheets": [{k: s[k] for k in ("sheet", "table", "rows")} for s in sheets], "tables": tables,
            "warning": warning, "skipped": missing}


def _with_as_of(done: list[dict[str, Any]], sheets: list[Sheet], info: dict[str, Any]) -> list[dict[str, Any]]:
    """The written sheets with the analysis and the as_of of the run that produced each (None: data as stored)."""
    return [{**d, **info[s.key]} for d, s in zip(done, sheets)]
