"""What an export holds and at which moment: the 说明 / About sheet of the workbook and the README.txt of CSV and
Parquet exports.

Result tables hold the as_of of the analysis run that last wrote them (:mod:`reef.analyses.provenance`), and a read
command given ``--as-of`` rewrites them at that moment; so every export lists, per sheet, the analysis and its as_of,
and warns (the export's ``warning``, the sheet, the README) when the sheets come from different moments or from a
moment before the data ends.

Example:
    >>> [h for h in about_headers("en")]
    ['Sheet', 'File', 'Rows', 'Analysis', 'As of', 'Note']
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

__all__ = ["provenance", "about_headers", "about_rows", "write_about_sheet", "readme_text", "ABOUT_TITLE", "README_NAME"]

ABOUT_TITLE = {"zh": "说明", "en": "About"}
README_NAME = "README.txt"
_HEADERS = {"zh": ["工作表", "文件", "行数", "来源分析", "评估时点", "备注"], "en": ["Sheet", "File", "Rows", "Analysis", "As of", "Note"]}


def provenance(store, sheets: list, lang: str) -> tuple[dict[str, Any], str | None]:
    """Per sheet key ``{"analysis", "as_of"}`` (None for data tables) and the export's warning, keyed by the sheets'
    titles in ``lang`` (:func:`reef.analyses.provenance.as_of_warning`)."""
    from reef.analyses.provenance import as_of_warning, result_analysis, result_as_of
    from reef.export.workbook import sheet_title

    info = {s.key: {"analysis": result_analysis(s.table), "as_of": result_as_of(store, s.table)} for s in sheets}
    warning = as_of_warning(store, {sheet_title(s, lang): info[s.key]["as_of"] for s in sheets}, lang)
    return info, warning


def about_headers(lang: str) -> list[str]:
    return list(_HEADERS["en" if lang == "en" else "zh"])


def _note(store, entry: dict[str, Any], lang: str) -> str:
    from reef.analyses.runner import data_end

    if entry.get("as_of") is None:
        if entry.get("analysis"):
            return "not computed yet" if lang == "en" else "尚未计算"
        return "data as stored" if lang == "en" else "原始数据"
    end = data_end(store)
    if end is not None and entry["as_of"] < end:
        return "before the end of the data" if lang == "en" else "早于数据截止时点"
    return ""


def about_rows(store, entries: list[dict[str, Any]], lang: str) -> list[list[Any]]:
    """One row per exported sheet: its title, file, rows, analysis, as_of (local minute) and a note."""
    from reef.analyses.provenance import as_of_text

    return [[e["sheet"], e["file"], e["rows"], e.get("analysis") or "", as_of_text(store, e.get("as_of")), _note(store, e, lang)]
            for e in entries]


def write_about_sheet(store, ws, head, done: list[dict[str, Any]], lang: str, warning: str | None) -> None:
    """The 说明 / About sheet (an xlsxwriter worksheet; ``head`` the header format): one row per sheet (rows,
    analysis, as_of, note), a frozen header and an autofilter like every sheet, then the warning, if any."""
    headers = about_headers(lang)
    ws.write_row(0, 0, headers, head)
    ws.freeze_panes(1, 0)
    rows = about_rows(store, done, lang)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, row)
    ws.autofilter(0, 0, len(rows), len(headers) - 1)
    for i, width in enumerate((18, 22, 10, 18, 18, 24)):
        ws.set_column(i, i, width)
    ws.write_string(len(rows) + 2, 0, _data_end_line(store, lang))
    if warning:
        ws.write_string(len(rows) + 3, 0, warning)


def _data_end_line(store, lang: str) -> str:
    from reef.analyses.provenance import as_of_text
    from reef.analyses.runner import data_end

    end, zone = data_end(store), str(store.config.get("general.timezone"))
    if end is None:
        return "The store holds no data." if lang == "en" else "数据库中没有数据。"
    end -= timedelta(seconds=1)  # data_end is one second after the newest row
    return f"Data ends: {as_of_text(store, end)} ({zone})" if lang == "en" else f"数据截止：{as_of_text(store, end)}（{zone}）"


def readme_text(store, entries: list[dict[str, Any]], warning: str | None, lang: str, fmt: str) -> str:
    """The README.txt beside CSV / Parquet files: the same listing as the 说明 sheet, and the warning."""
    en = lang == "en"
    zone = str(store.config.get("general.timezone"))
    lines = ["Reef export (" + fmt + ")" if en else "Reef 导出（" + fmt + "）", _data_end_line(store, lang),
             ("As of: the moment each result was computed (the analysis run that wrote it; times in " + zone + ")." if en else
              "评估时点：各结果的计算时点（写入它的分析运行；时间为 " + zone + "）。"), ""]
    if warning:
        lines += [warning, ""]
    lines.append("\t".join(about_headers(lang)))
    lines += ["\t".join(str(v) for v in row) for row in about_rows(store, entries, lang)]
    return "\n".join(lines) + "\n"
