"""What an export holds and at which moment: the 说明 / About sheet of the workbook and the README.txt of CSV and
Parquet exports.

Result tables hold the as_of of the analysis run that last wrote them (:mod:`reef.analyses.provenance`), and a read
command given ``--as-of`` rewrites them at that moment; so every export lists, per sheet, the analysis and its as_of,
and warns (the export's ``warning``, the sheet, the README) when the sheets come from different moments or from a
moment before the data ends.

The 说明 sheet speaks the operator's words: sheet, rows, as_of (its header names the time zone) and a note; the
stored table and the analysis (with the version of the code that computed it) stay at the right under headers that
say they are technical (for whoever supports the team). Below the table: when the data ends, when the workbook was
generated (both in the store's zone), what the 成员 sheet counts (every account ever imported; current members and
those who left; the community size the dashboard shows) and the warnings: results computed at another moment, or by
an older version of an analysis than the one installed (:func:`version_warning`: ``reef analyze`` brings them up to
date; the export does not run analyses, as ``reef report`` does, so a download stays quick).

Example:
    >>> about_headers("en", "Asia/Shanghai")
    ['Sheet', 'Rows', 'As of (Asia/Shanghai)', 'Note', 'Technical: table', 'Technical: analysis (version)']
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from reef.i18n import plural

__all__ = ["provenance", "about_headers", "about_rows", "write_about_sheet", "readme_text", "version_warning", "members_line",
           "ABOUT_TITLE", "README_NAME"]

ABOUT_TITLE = {"zh": "说明", "en": "About"}
README_NAME = "README.txt"
_HEADERS = {"zh": ["工作表", "行数", "评估时点（{zone}）", "备注", "技术信息：数据表", "技术信息：分析（版本）"],
            "en": ["Sheet", "Rows", "As of ({zone})", "Note", "Technical: table", "Technical: analysis (version)"]}
_README_HEADERS = {"zh": ["工作表", "文件", "行数", "来源分析", "评估时点", "备注"], "en": ["Sheet", "File", "Rows", "Analysis", "As of", "Note"]}


def provenance(store, sheets: list, lang: str) -> tuple[dict[str, Any], str | None]:
    """Per sheet key ``{"analysis", "as_of"}`` (None for data tables) and the export's warning, keyed by the sheets'
    titles in ``lang`` (:func:`reef.analyses.provenance.as_of_warning`)."""
    from reef.analyses.provenance import as_of_warning, result_analysis, result_as_of
    from reef.export.workbook import sheet_title

    info = {s.key: {"analysis": result_analysis(s.table), "as_of": result_as_of(store, s.table)} for s in sheets}
    warnings = [as_of_warning(store, {sheet_title(s, lang): info[s.key]["as_of"] for s in sheets}, lang),
                version_warning(store, {sheet_title(s, lang): info[s.key]["analysis"] for s in sheets}, lang)]
    return info, "\n".join(w for w in warnings if w) or None


def _versions(store) -> dict[str, str]:
    """The version of each analysis's latest successful run ({name: version})."""
    if not store.table_exists("analysis_runs"):
        return {}
    return dict(store.fetch_all("SELECT name, arg_max(version, finished_at) FROM analysis_runs "
                                "WHERE status IN ('ok', 'skipped') GROUP BY name"))


def version_warning(store, analyses: dict[str, str | None], lang: str = "zh") -> str | None:
    """A warning naming the sheets (``analyses``: {sheet title: analysis or None}) whose results were computed by
    another version of their analysis than the installed one (an upgrade since the last ``reef analyze``); None when
    every result is current or not computed yet."""
    from reef.analyses.registry import discover

    registry, ran = discover(), _versions(store)
    old = {title: (name, ran[name], registry[name].version) for title, name in analyses.items()
           if name and name in registry and name in ran and str(ran[name]) != str(registry[name].version)}
    if not old:
        return None
    en = lang == "en"
    shown = list(old)[:6] + (["..."] if len(old) > 6 else [])
    names = (", " if en else "、").join(shown)
    return (f"Warning: {names} come from an older version of their analysis than the installed Reef computes; "
            "run `reef analyze` to bring them up to date before sharing this export." if en else
            f"注意：{names}的结果由旧版本的分析计算，与当前安装的 Reef 不一致；分享本导出前请运行 `reef analyze` 更新。")


def about_headers(lang: str, zone: str = "") -> list[str]:
    """The 说明 sheet's headers; the as_of column names ``zone`` (the store's ``general.timezone``)."""
    return [h.replace("{zone}", zone) for h in _HEADERS["en" if lang == "en" else "zh"]]


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
    """One row per exported sheet: its title, rows, as_of (local minute), a note, then the technical columns: the
    stored table and the analysis with the version that computed it."""
    from reef.analyses.provenance import as_of_text

    ran = _versions(store)
    return [[e["sheet"], e["rows"], as_of_text(store, e.get("as_of")), _note(store, e, lang), e.get("table") or e["file"],
             f"{e['analysis']} ({ran[e['analysis']]})" if e.get("analysis") in ran else e.get("analysis") or ""]
            for e in entries]


def _readme_rows(store, entries: list[dict[str, Any]], lang: str) -> list[list[Any]]:
    """The README's listing: the file each sheet is written to comes second (the files are named by their table)."""
    from reef.analyses.provenance import as_of_text

    return [[e["sheet"], e["file"], e["rows"], e.get("analysis") or "", as_of_text(store, e.get("as_of")), _note(store, e, lang)]
            for e in entries]


def members_line(store, lang: str) -> str | None:
    """What the 成员 sheet counts, beside the other totals operators meet: every account ever imported (a row each),
    those still members at the end of the data and those who left, and the community size (current members without
    staff, brand and bot accounts: the dashboard's 社群规模). None without members."""
    if not store.table_exists("members"):
        return None
    total, left, size = store.fetch_all(
        "SELECT count(*), count(left_at), count(*) FILTER (WHERE left_at IS NULL AND coalesce(account_type, 'member') = 'member') "
        "FROM members")[0]
    if lang == "en":
        return (f"Members sheet: {plural(total, 'account')} ever imported, one row each: "
                f"{plural(total - left, 'current member')} and {left} who {'has' if left == 1 else 'have'} left (column "
                f"Membership). Community size on the dashboard: {size} (current members without staff, brand and bot accounts).")
    return (f"成员表：共 {total} 个曾导入的账号，每个一行：在籍 {total - left} 人，已离开 {left} 人（见“在籍状态”列）。"
            f"仪表盘的“社群规模”为 {size}（在籍成员中去掉员工、品牌和机器人账号）。")


def write_about_sheet(store, ws, head, done: list[dict[str, Any]], lang: str, warning: str | None) -> None:
    """The 说明 / About sheet (an xlsxwriter worksheet; ``head`` the header format): one row per sheet (rows,
    analysis, as_of, note), a frozen header and an autofilter like every sheet, then the warning, if any."""
    headers = about_headers(lang, str(store.config.get("general.timezone")))
    ws.write_row(0, 0, headers, head)
    ws.freeze_panes(1, 0)
    rows = about_rows(store, done, lang)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, row)
    ws.autofilter(0, 0, len(rows), len(headers) - 1)
    for i, width in enumerate((20, 10, 24, 24, 22, 26)):
        ws.set_column(i, i, width)
    lines = [_data_end_line(store, lang), _generated_line(store, lang), members_line(store, lang), *(warning or "").split("\n")]
    for i, line in enumerate(l for l in lines if l):
        ws.write_string(len(rows) + 2 + i, 0, line)


def _generated_line(store, lang: str) -> str:
    """When the export was written, a minute in the store's zone, the zone named."""
    from datetime import datetime, timezone

    from reef.analyses.provenance import as_of_text

    now, zone = as_of_text(store, datetime.now(timezone.utc)), str(store.config.get("general.timezone"))
    return f"Generated: {now} ({zone})" if lang == "en" else f"生成时间：{now}（{zone}）"


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
    lines[2:2] = [_generated_line(store, lang)] + [x for x in [members_line(store, lang)] if x]
    if warning:
        lines += [*warning.split("\n"), ""]
    lines.append("\t".join(_README_HEADERS["en" if en else "zh"]))
    lines += ["\t".join(str(v) for v in row) for row in _readme_rows(store, entries, lang)]
    return "\n".join(lines) + "\n"
