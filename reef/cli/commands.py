"""The ``reef`` commands. Each parses its options, calls one library function and renders the result.

Example:
    >>> from typer.testing import CliRunner
    >>> CliRunner().invoke(app, ["version"]).exit_code
    0
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from reef.cli._common import (DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, emit, err, kv_table, new_store_or_nothing, open_community, out,
                              cell, progress, resolve_lang, rows_table, to_json, to_second)
from reef.cli._coverage import as_of_note, emit_noted
from reef.cli._errors import EXIT_FILE_QUARANTINED, handled
from reef.cli._labels import RUN_LABELS, WORDS, analysis_note, word
from reef.cli._usage import ReefGroup
from reef.i18n import code_label
from reef.ingest.reasons import reason_text

# Headers local to the import summary and the analysis runs (zh, en): a "name" here is an analysis, no nickname.
_COUNT_LABELS = {"read": ("读取", "Read"), "rows": ("行数", "Rows")}

__all__ = ["app"]

app = typer.Typer(
    name="reef", no_args_is_help=True, add_completion=False, rich_markup_mode=None, cls=ReefGroup,  # usage errors in zh/en
    help="Reef: KOC community operations for car-owner communities. Every command has --help.",
)
config_app = typer.Typer(no_args_is_help=True, help="Inspect the configuration.")
app.add_typer(config_app, name="config")
from reef.cli.text import enrich as _enrich, text_app  # noqa: E402 - text commands live in reef/cli/text.py

app.add_typer(text_app, name="text")
from reef.cli.server import register as _register_server  # noqa: E402 - serve, user, export
_register_server(app)
from reef.cli.ladder import register as _register_ladder  # noqa: E402 - ladder, member, funnel, recognise, contest
_register_ladder(app)
app.command("enrich")(_enrich)
from reef.cli.network import register as _register_network  # noqa: E402 - connectors, ripple, seed-plan, helpers
_register_network(app)
from reef.cli.kb import register as _register_kb  # noqa: E402 - kb qa/essence/repeated/topics/gaps, ask, crisis
_register_kb(app)
from reef.cli.risks import register as _register_risks  # noqa: E402 - risks, alerts
_register_risks(app)
from reef.cli.layers import register as _register_layers  # noqa: E402 - groups, plaza, council
_register_layers(app)
from reef.cli.actions import register as _register_actions  # noqa: E402 - action add/list/done, effect
_register_actions(app)
from reef.cli.team import register as _register_team  # noqa: E402 - team (project-team proposer)
_register_team(app)
from reef.cli.quarantine import register as _register_quarantine  # noqa: E402 - status, quarantine, quarantine-clear
_register_quarantine(app)



@app.command()
@handled
def simulate(
    db: DbOpt = DEFAULT_DB,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write Parquet files to this folder instead of a store.")] = None,
    members: Annotated[Optional[int], typer.Option(help="Number of members (default: simulate.members).")] = None,
    days: Annotated[Optional[int], typer.Option(help="Days of history (default: simulate.days).")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Random seed; the same seed gives the same community.")] = None,
    lang: LangOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Simulate a Chinese car-owner community (with ground truth) into the store or as Parquet."""
    from reef.api import simulate_community
    from reef.config import load_config

    lang = resolve_lang(lang, load_config(config))  # before anything is written: a bad --lang leaves no store behind
    with progress(not as_json) as cb:
        if out_dir is not None:
            summary = simulate_community(out_dir=out_dir, members=members, days=days, seed=seed,
                                         config=load_config(config), on_progress=cb)
        else:
            with new_store_or_nothing(db):
                community = open_community(db, config, create=True)
                summary = simulate_community(community.store, members=members, days=days, seed=seed, on_progress=cb)
    emit(summary, as_json, lambda s: kv_table(word("simulation", lang), {word(k, lang): v for k, v in s.items()
                                                                          if not isinstance(v, (dict, list))}, lang=lang))


@app.command("import")
@handled
def import_(
    paths: Annotated[List[Path], typer.Argument(help="Files (or a Stack Exchange dump folder) to import.")],
    fmt: Annotated[str, typer.Option("--format", help="auto, jsonl, csv, parquet, xlsx, weibo or stackexchange.")] = "auto",
    entity: Annotated[Optional[str], typer.Option(help="Entity of every row when the files do not say (members, content ...).")] = None,
    encoding: Annotated[Optional[str], typer.Option(help="Encoding of the CSV and JSONL files (gb18030, gbk, utf-8 ...) instead of the detected one.")] = None,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import files into the store: validated, deduplicated, bad rows quarantined, all or nothing. Columns left unused
    that look like an expected field (text for body) are warned about on stderr (--json: "warnings")."""
    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before anything is imported
    with new_store_or_nothing(db), progress(not as_json) as cb:
        community = open_community(db, config, create=True)
        summary = community.import_files(paths, fmt=fmt, entity=entity, on_progress=cb, encoding=encoding).as_dict()
    lang = resolve_lang(lang, community.config)

    def render(s: dict) -> None:
        zh = lang == "zh"
        rows = [{"entity": code_label(e, lang), **c} for e, c in s["by_entity"].items()]
        rows.append({"entity": "合计" if zh else "total", **{k: s[k] for k in ("read", "imported", "updated", "duplicate", "quarantined")}})
        rows_table(f"{'导入' if zh else 'Import'} {s['import_id']}", rows, ["entity", "read", "imported", "updated", "duplicate", "quarantined"],
                   lang=lang, labels=_COUNT_LABELS)
        if s["quarantine_reasons"]:  # each reason in full, translated (reason_text), never a cut English prefix
            rows_table("主要隔离原因（详见 `reef quarantine`）" if zh else "Top quarantine reasons (see `reef quarantine`)",
                       [{"reason": reason_text(r, lang), "rows": n} for r, n in list(s["quarantine_reasons"].items())[:10]],
                       ["reason", "rows"], lang=lang, labels=_COUNT_LABELS)
        for m in s.get("mapped_columns", []):  # Chinese headers read as fields (reef.ingest.aliases): said, not guessed at
            out.print(f"{m['file']}: " + m["message_zh" if zh else "message"], markup=False, highlight=False)
        for w in s["warnings"]:  # on stderr, after the tables: the import succeeded, but this deserves a look
            err.print(("警告：" if lang == "zh" else "Warning: ") + f"{w['file']}: " + w["message_zh" if lang == "zh" else "message"],
                      markup=False, highlight=False)

    emit(summary, as_json, render)
    if any(w.get("code") == "file_quarantined" for w in summary["warnings"]):
        # committed, but a file of it came in not at all: a script must not read that as success (docs/cli.md)
        raise typer.Exit(EXIT_FILE_QUARANTINED)


@app.command()
@handled
def analyze(
    as_of: Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Run as of this date or datetime (a date alone is its 00:00 local time: that day is not included; default: end of the data).")] = None,
    only: Annotated[Optional[List[str]], typer.Option("--only", help="Run only this analysis (and its dependencies); repeatable.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Recompute even when up to date.")] = False,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run every registered analysis in dependency order, incrementally."""
    from reef.reads import run

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before anything runs
    community = open_community(db, config)
    lang = resolve_lang(lang, community.config)
    with progress(not as_json) as cb:
        report = run(community.store, as_of=as_of, only=only or None, force=force, on_progress=cb, lang=lang)
    # as_dict(): as_of in the store's time zone, as the user gave it (--as-of 2026-05-01 reads 2026-05-01T00:00:00+08:00,
    # not 16:00 UTC), and the coverage warning in --lang: what Community.analyze(lang=...).as_dict() gives too
    emit_noted(report.as_dict(), as_json, lambda r: rows_table(
        f"分析（截至 {to_second(r['as_of'])}）" if lang == "zh" else f"Analyses as of {to_second(r['as_of'])}",
        [{**x, "status": code_label(x["status"], lang), "message": analysis_note(x.get("message"), lang)} for x in r["results"]],
        ["name", "version", "status", "rows", "seconds", "message"], lang=lang, labels=RUN_LABELS))


@app.command("analyses")
@handled
def analyses_(lang: LangOpt = None, as_json: JsonOpt = False) -> None:
    """List the registered analyses and any capability that could not be loaded."""
    from reef.analyses import discovery_problems, registered
    from reef.config import load_config

    if lang is not None:
        resolve_lang(lang)
    lang = resolve_lang(lang, load_config())  # no store: --lang, else general.language of REEF_CONFIG, else zh
    data = {"analyses": [{"name": a.name, "version": a.version, "depends_on": list(a.depends_on),
                          "writes": list(a.writes), "module": a.module, "description": a.description,
                          "description_zh": a.description_zh or None}  # the JSON is the same in both languages
                         for a in registered()],
            "skipped": discovery_problems()}

    def render(d: dict) -> None:  # each analysis's description in --lang (English where a plugin gave no Chinese)
        rows_table(word("registered_analyses", lang), [{**a, "depends_on": ", ".join(a["depends_on"]), "writes": ", ".join(a["writes"]),
                                                        "description": (a["description_zh"] if lang == "zh" else None) or a["description"]}
                                                       for a in d["analyses"]], ["name", "version", "depends_on", "writes", "description"],
                   lang=lang, labels={**RUN_LABELS, **{k: WORDS[k] for k in ("depends_on", "writes", "description")}})
        for module, why in d["skipped"].items():
            err.print(f"{module}{'：' if lang == 'zh' else ': '}{why}")

    emit(data, as_json, render)


@app.command()
@handled
def report(
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Folder for reef-report-<day>.html and .md (the as-of day), or the HTML file itself (weekly.html; Markdown beside it). Default: report.out_dir.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Report as of this date (a date alone is its 00:00 local time: that day is not included; default: end of the data).")] = None,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the operations report (Markdown and self-contained HTML), bringing analyses up to date first."""
    from reef.analyses.runner import resolve_as_of

    community = open_community(db, config)
    path = community.report(out_dir, as_of=as_of, lang=lang)
    lang = resolve_lang(lang, community.config)
    note = as_of_note(community.store, resolve_as_of(community.store, as_of), lang)  # also in the report
    sep = ": " if lang == "en" else "："
    emit_noted({"report": str(path), "report_md": str(path.with_suffix(".md"))}, as_json,
               lambda d: out.print("\n".join(f"{word(k, lang)}{sep}{d[k]}" for k in ("report", "report_md"))), note)


@app.command()
@handled
def demo(
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Folder for the demo store and report (default: report.out_dir).")] = None,
    members: Annotated[Optional[int], typer.Option(help="Number of members (default: simulate.members).")] = None,
    days: Annotated[Optional[int], typer.Option(help="Days of history (default: simulate.days).")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Random seed.")] = None,
    lang: LangOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Simulate a community into a fresh store, run every analysis, write the report, say where it is."""
    from reef.api import run_demo
    import shlex

    from reef.cli._common import invoked_as, resolve_lang
    from reef.config import load_config
    from reef.i18n import t

    language = resolve_lang(lang, load_config(config))  # before the simulation: --lang fr fails at once
    with progress(not as_json) as cb:
        result = run_demo(out_dir, members=members, days=days, seed=seed, lang=language, config_path=config, on_progress=cb)

    def render(r: dict) -> None:
        results = r["analyses"]["results"]
        out.print(t("demo.done", language, members=r["members"], days=r["days"]))
        kv_table("", {code_label(k, language): v for k, v in r["tables"].items() if v}, lang=language)
        out.print(t("demo.analyses", language, ok=sum(x["status"] in ("ok", "skipped") for x in results),
                    failed=sum(x["status"] in ("failed", "blocked") for x in results)))
        out.print(t("demo.store", language, path=r["store"]))
        out.print(t("demo.report", language, path=r["report"]), style="bold green")
        out.print(t("demo.next", language, prog=invoked_as(), db=shlex.quote(str(r["store"]))), markup=False)

    emit(result, as_json, render)


@config_app.command("show")
@handled
def config_show(lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Show the merged configuration and which file set each key; every value is checked first (a bad one is exit
    code 2 naming the file and the key), so this is also how to check a configuration file."""
    from reef.api import describe_config
    from reef.config import load_config
    from reef.config_checks import check_config

    if lang is not None:
        resolve_lang(lang)  # a bad --lang names the option, before the configuration is read
    cfg = load_config(config, store_path=db)
    check_config(cfg)
    language = resolve_lang(lang, cfg)
    rows = describe_config(cfg)
    from reef.risks.sending import public_url_note
    from reef.robot_config import configured_robots

    note = public_url_note(cfg, language) if configured_robots(cfg) else None
    if note:  # robots are configured and their messages could not link the dashboard: said once, on stderr
        err.print(note)
    names = {k: WORDS[f"config.{k}"] for k in ("key", "value", "source")}  # the keys and values stay as written in TOML
    emit(rows, as_json, lambda rs: rows_table(word("configuration", language), [{**r, "value": cell(r["value"])} for r in rs],
                                              ["key", "value", "source"], lang=language, labels=names))


@app.command()
@handled
def version(lang: LangOpt = None, as_json: JsonOpt = False) -> None:
    """Print Reef's version and the store schema version."""
    from reef import __version__
    from reef.config import load_config
    from reef.model.schema import SCHEMA_VERSION

    if lang is not None:
        resolve_lang(lang)
    zh = resolve_lang(lang, load_config()) == "zh"
    emit({"reef": __version__, "schema": SCHEMA_VERSION}, as_json,
         lambda d: out.print(f"reef {d['reef']}（数据结构版本 {d['schema']}）" if zh else f"reef {d['reef']} (schema {d['schema']})"))


_ = to_json  # re-exported for tests
