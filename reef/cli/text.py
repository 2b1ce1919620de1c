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

from reef.cli._common import DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, emit, err, kv_table, open_community, progress
from reef.cli._errors import handled
from reef.i18n import plural

__all__ = ["text_app", "enrich"]

text_app = typer.Typer(no_args_is_help=True, help="Text understanding: analyse files, measure the models.")


@handled
def enrich(
    force: Annotated[bool, typer.Option("--force", help="Re-analyse every item, even unchanged ones.")] = False,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fill content_features with text features of new or changed content items (incremental)."""
    community = open_community(db, config)
    with progress(not as_json) as cb:
        summary = community.enrich(force=force, on_progress=cb).as_dict()
    emit(summary, as_json, lambda s: kv_table("Enrich", s, lang="en"))


@text_app.command("analyze")
@handled
def text_analyze(
    input: Annotated[Path, typer.Option("--input", help="CSV, TSV, JSONL or Excel (.xlsx) file to read.")],  # noqa: A002
    output: Annotated[Path, typer.Option("--output", help="CSV, JSONL or Parquet file to write (by extension).")],
    column: Annotated[str, typer.Option("--column", help="Column holding the text.")] = "text",
    keep_pii: Annotated[bool, typer.Option("--keep-pii", help="Do not mask personal data in the output.")] = False,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Analyse one text column of a file and write one row of features per input row (never over the input)."""
    from reef.config import load_config
    from reef.text.files import analyze_file

    summary = analyze_file(input, output, column=column, mask=not keep_pii, config=load_config(config))
    emit(summary, as_json, lambda s: kv_table("Text analysis", s, lang="en"))
    if summary["invalid_records"]:  # on stderr, so --json output stays one JSON document
        lines = ", ".join(map(str, summary["invalid_lines"]))
        more = ", …" if summary["invalid_records"] > len(summary["invalid_lines"]) else ""
        one = summary["invalid_records"] == 1
        err.print(f"Warning: {plural(summary['invalid_records'], 'record')} of {input} could not be read "
                  f"({'line' if len(summary['invalid_lines']) == 1 and not more else 'lines'} {lines}{more}); "
                  f"{'it is kept as an empty row' if one else 'they are kept as empty rows'} flagged invalid_record.",
                  style="yellow", markup=False, highlight=False)
    if summary["short_rows"]:
        lines = ", ".join(map(str, summary["short_lines"]))
        more = ", …" if summary["short_rows"] > len(summary["short_lines"]) else ""
        one = summary["short_rows"] == 1
        err.print(f"Warning: {plural(summary['short_rows'], 'row')} of {input} {'has' if one else 'have'} fewer fields than "
                  f"the header ({'line' if len(summary['short_lines']) == 1 and not more else 'lines'} {lines}{more}); "
                  f"{'its missing fields are empty and it is' if one else 'their missing fields are empty and they are'} "
                  "flagged short_row.", style="yellow", markup=False, highlight=False)
    if summary.get("not_text_records"):
        shown = ", ".join(f"line {r['line']}: {r['type']}" for r in summary["not_text_rows"])
        more = ", …" if summary["not_text_records"] > len(summary["not_text_rows"]) else ""
        one = summary["not_text_records"] == 1
        err.print(f"Warning: {plural(summary['not_text_records'], 'record')} of {input} {'holds' if one else 'hold'} no text "
                  f"in field {column} but an object or a list of non-strings ({shown}{more}); "
                  f"{'it is kept as an empty row' if one else 'they are kept as empty rows'} flagged not_text.",
                  style="yellow", markup=False, highlight=False)


@text_app.command("eval")
@handled
def text_eval(
    out: Annotated[Optional[Path], typer.Option("--out", help="Figures file to write (default docs/text-quality.md).")] = None,
    data: Annotated[Optional[Path], typer.Option("--data", help="Folder with ccf-car-aspects and cold (default ../shared/data or REEF_DATA).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Measure the text layer on its held-out sets and write the figures file."""
    from reef.text.evaluate import write_quality

    with progress(not as_json) as cb:
        results = write_quality(out, data_dir=data, on_progress=cb)

    def render(r):
        for section, figures in r.items():
            if isinstance(figures, dict):
                kv_table(section, {k: v for k, v in figures.items() if k != "errors"})
        kv_table("", {"written to": r["written_to"]})

    emit(results, as_json, render)
