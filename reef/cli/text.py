"""``reef enrich`` and the ``reef text`` commands: each parses options, calls one library function, renders.

Example:
    >>> from typer.testing import CliRunner
    >>> CliRunner().invoke(text_app, ["--help"]).exit_code
    0
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import (DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, emit, err, kv_table, open_community, progress,
                              resolve_lang)
from reef.cli._errors import handled
from reef.cli._figures import figure_tables
from reef.cli._labels import labels, word
from reef.i18n import plural

__all__ = ["text_app", "enrich"]

text_app = typer.Typer(no_args_is_help=True, help="Text understanding: analyse files, measure the models.")


@handled
def enrich(
    force: Annotated[bool, typer.Option("--force", help="Re-analyse every item, even unchanged ones.")] = False,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fill content_features with text features of new or changed content items (incremental)."""
    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before any item is analysed
    community = open_community(db, config)
    lang = resolve_lang(lang, community.config)
    with progress(not as_json) as cb:
        summary = community.enrich(force=force, on_progress=cb).as_dict()
    emit(summary, as_json, lambda s: kv_table(word("enrich", lang), s, lang=lang, labels=labels(prefix="enrich.")))


def _skipped_zh(reason: str) -> str:
    """Why :func:`reef.text.evaluate.evaluate_text` skipped a set, in Chinese.

    >>> _skipped_zh("data not found at /d/cold"), _skipped_zh("a judged claim set is missing")
    ('找不到数据：/d/cold', '缺少一个已评判的说法集')
    """
    for english, chinese in (("data not found at ", "找不到数据："), ("no fixture ", "缺少测试集文件：")):
        if reason.startswith(english):
            return chinese + reason[len(english):].replace(" or ", " 或 ")
    return {"a judged claim set is missing": "缺少一个已评判的说法集"}.get(reason, reason)


def _lines(values: list, more: bool, lang: str) -> str:
    """Line numbers (or ``line: type`` pairs) of a summary list as a table cell: ``3、5、…`` / ``3, 5, …``."""
    shown = [f"{v['line']}{'：' if lang == 'zh' else ': '}{v['type']}" if isinstance(v, dict) else str(v) for v in values]
    return ("、" if lang == "zh" else ", ").join(shown + (["…"] if more else []))


def _warnings(summary: dict, input: Path, column: str, lang: str) -> list[str]:  # noqa: A002
    """The summary's warnings (unreadable records, short rows, records holding no text) in ``lang``."""
    said = []
    for count, listed in (("invalid_records", "invalid_lines"), ("short_rows", "short_lines"),
                          ("not_text_records", "not_text_rows")):
        n = summary.get(count)
        if n:
            values = summary[listed]
            said.append((_warning_zh if lang == "zh" else _warning_en)(count, n, values, n > len(values), input, column))
    return said


def _warning_zh(count: str, n: int, values: list, more: bool, input: Path, column: str) -> str:  # noqa: A002
    if count == "not_text_records":
        where = "；".join(f"第 {v['line']} 行：{v['type']}" for v in values) + ("；…" if more else "")
        return f"警告：{input} 中有 {n} 条记录的 {column} 字段不是文本，而是对象或含非字符串的列表（{where}）；已保留为空行，标记为 not_text。"
    lines = _lines(values, more, "zh")
    if count == "short_rows":
        return f"警告：{input} 中有 {n} 行的字段少于表头（第 {lines} 行）；缺少的字段为空，已标记为 short_row。"
    return f"警告：{input} 中有 {n} 条记录无法读取（第 {lines} 行）；已保留为空行，标记为 invalid_record。"


def _warning_en(count: str, n: int, values: list, more: bool, input: Path, column: str) -> str:  # noqa: A002
    one, tail = n == 1, ", …" if more else ""
    if count == "not_text_records":
        shown = ", ".join(f"line {r['line']}: {r['type']}" for r in values)
        return (f"Warning: {plural(n, 'record')} of {input} {'holds' if one else 'hold'} no text "
                f"in field {column} but an object or a list of non-strings ({shown}{tail}); "
                f"{'it is kept as an empty row' if one else 'they are kept as empty rows'} flagged not_text.")
    lines = f"{'line' if len(values) == 1 and not more else 'lines'} {', '.join(map(str, values))}{tail}"
    if count == "short_rows":
        return (f"Warning: {plural(n, 'row')} of {input} {'has' if one else 'have'}" + " fewer fields than "  # a verb, no count
                f"the header ({lines}); "
                f"{'its missing fields are empty and it is' if one else 'their missing fields are empty and they are'} "
                "flagged short_row.")
    return (f"Warning: {plural(n, 'record')} of {input} could not be read ({lines}); "
            f"{'it is kept as an empty row' if one else 'they are kept as empty rows'} flagged invalid_record.")


@text_app.command("analyze")
@handled
def text_analyze(
    input: Annotated[Path, typer.Option("--input", help="CSV, TSV, JSONL or Excel (.xlsx) file to read.")],  # noqa: A002
    output: Annotated[Path, typer.Option("--output", help="CSV, JSONL or Parquet file to write (by extension).")],
    column: Annotated[str, typer.Option("--column", help="Column holding the text.")] = "text",
    keep_pii: Annotated[bool, typer.Option("--keep-pii", help="Do not mask personal data in the output.")] = False,
    lang: LangOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Analyse one text column of a file and write one row of features per input row (never over the input)."""
    from reef.config import load_config
    from reef.text.files import analyze_file

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before the output is written
    cfg = load_config(config)
    lang = resolve_lang(lang, cfg)
    summary = analyze_file(input, output, column=column, mask=not keep_pii, config=cfg)
    lists = {"invalid_lines": "invalid_records", "short_lines": "short_rows", "not_text_rows": "not_text_records"}
    shown = {k: (_lines(v, summary[lists[k]] > len(v), lang) if k in lists else v) for k, v in summary.items()}
    emit(summary, as_json, lambda s: kv_table(word("text_analysis", lang), shown, lang=lang, labels=labels(prefix="text.")))
    for line in _warnings(summary, input, column, lang):  # on stderr, so --json output stays one JSON document
        err.print(line, style="yellow", markup=False, highlight=False)


@text_app.command("eval")
@handled
def text_eval(
    out: Annotated[Optional[Path], typer.Option("--out", help="Figures file to write (default docs/text-quality.md).")] = None,
    data: Annotated[Optional[Path], typer.Option("--data", help="Folder with ccf-car-aspects and cold (default ../shared/data or REEF_DATA).")] = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Measure the text layer on its held-out sets and write the figures file."""
    from reef.config import load_config
    from reef.text.evaluate import write_quality

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before the measuring
    lang = resolve_lang(lang, load_config())  # no --config: --lang, else general.language of REEF_CONFIG, else zh
    with progress(not as_json) as cb:
        results = write_quality(out, data_dir=data, on_progress=cb)
    names = labels(prefix="eval.")

    def figures_in(figures: dict) -> dict:
        shown = {k: v for k, v in figures.items() if k != "errors"}
        if lang == "zh" and "skipped" in shown:  # the library's reason, in the table's language
            shown["skipped"] = _skipped_zh(str(shown["skipped"]))
        return shown

    def render(r):
        # a section is a held-out set (ccf_held_out, claims_300 ...), named as docs/text-quality.md names it
        for section, figures in r.items():
            if isinstance(figures, dict):  # nested figures as lines and per-intent tables, never Python dicts
                figure_tables(section, figures_in(figures), lang, names)
        kv_table("", {k: r[k] for k in ("model_version", "written_to")}, lang=lang, labels=names)

    emit(results, as_json, render)
