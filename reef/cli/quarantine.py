"""Store bookkeeping commands: ``reef status``, ``reef quarantine`` and ``reef quarantine-clear``.

Example:
    >>> from typer.testing import CliRunner
    >>> from reef.cli import app
    >>> CliRunner().invoke(app, ["quarantine-clear", "--help"]).exit_code
    0
"""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from reef.cli._common import DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, emit, kv_table, open_community, resolve_lang, rows_table, to_second
from reef.cli._errors import handled, options_one_of
from reef.i18n import code_label, plural
from reef.ingest.reasons import reason_text

__all__ = ["register"]


@handled
def status(lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Counts per table, date range, staff accounts, imports, quarantine by reason, last analysis runs."""
    from reef.cli._labels import RUN_LABELS, word
    from reef.ingest.reasons import reason_label
    from reef.reads import status as read_status

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before the store is opened
    community = open_community(db, config, read_only=True)
    data, lang = read_status(community.store).data, resolve_lang(lang, community.config)
    zh = lang == "zh"

    def render(s: dict) -> None:
        # Named so they do not read as contradictions: a member's join date is not data, and a bad row imported
        # twice is quarantined twice but held once.
        pairs = [(code_label(t, lang) if zh else t, n) for t, n in s["tables"].items()]
        pairs += [(word(k, lang), s[k]) for k in ("first_content_at", "first_member_joined_at", "first_at", "last_at")]
        pairs += [(word("staff_accounts", lang), s["staff_accounts"]["total"]), (word("imports", lang), s["imports"]["count"]),
                  (word("quarantined_summed", lang), s["imports"]["quarantined"]),
                  (word("quarantined_held", lang), s["quarantine"]["total"])]
        kv_table(f"{word('store', lang)} {s['store']}", pairs, lang=lang)
        if s["quarantine"]["by_reason"]:  # in Chinese by kind of reason, as the dashboard and the report count them
            rows = ([{"reason": reason_label(c, lang), "rows": n} for c, n in s["quarantine"]["by_kind"].items()] if zh else
                    [{"reason": r, "rows": n} for r, n in s["quarantine"]["by_reason"].items()])
            rows_table(word("by_reason", lang), rows, ["reason", "rows"], lang=lang, labels=RUN_LABELS)
        if s["analysis_runs"]:
            # finish times to the second, as every heading shows a moment (--json keeps the microseconds)
            rows_table(word("runs", lang), [{**r, "status": code_label(r["status"], lang), "as_of": to_second(r["as_of"]),
                                             "finished_at": to_second(r["finished_at"])} for r in s["analysis_runs"]],
                       ["name", "version", "status", "rows", "as_of", "finished_at"], lang=lang, labels=RUN_LABELS)

    emit(data, as_json, render)


@handled
def quarantine(
    limit: Annotated[int, typer.Option(help="Show at most this many rows.")] = 50,
    reason: Annotated[Optional[str], typer.Option(help="Only rows of this reason code (missing_field, no_entity ...; see --json's reason_code), or whose reason contains this text, in English or in the Chinese shown (case-insensitive).")] = None,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List quarantined rows with file:line and reason (in --lang; --json keeps the stored English and a reason_code)."""
    from reef.reads import quarantine as read_quarantine

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before the store is opened
    community = open_community(db, config, read_only=True)
    rows, lang = read_quarantine(community.store, limit=limit, reason=reason).data, resolve_lang(lang, community.config)
    emit(rows, as_json, lambda rs: rows_table(f"隔离的行（显示 {len(rs)} 条）" if lang == "zh" else f"Quarantined rows ({len(rs)} shown)",
                                              [{**r, "entity": code_label(r["entity"], lang), "reason": reason_text(r["reason"], lang)}
                                               for r in rs], ["where", "entity", "field", "reason"], lang=lang,
                                              labels={"where": ("位置", "where"), "field": ("字段", "field")}))


@handled
def quarantine_clear(
    import_id: Annotated[Optional[int], typer.Option("--import", help="Dismiss the quarantined rows of this import (its id in `reef status`).")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Dismiss every quarantined row.")] = False,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Operator recorded in the audit log (default: the shell user).")] = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Dismiss quarantined rows (of one import, or all): kept in quarantine_dismissed, no longer counted as held."""
    import getpass

    from reef.ingest.dismiss import dismiss_quarantine

    given = [o for o, on in (("--import", import_id is not None), ("--all", everything)) if on]
    if len(given) != 1:  # before the store is opened, worded as every flag conflict (reef.cli._errors)
        raise options_one_of(["--import ID", "--all"], given, hint="`reef status` lists the import ids.",
                             hint_zh="导入ID见 `reef status`。")
    community = open_community(db, config)
    n = dismiss_quarantine(community.store, import_id=import_id, everything=everything, by=by or getpass.getuser(),
                           role="cli", client="cli")
    lang = resolve_lang(lang, community.config)
    emit({"dismissed": n}, as_json, lambda d: typer.echo(f"已移出隔离区 {d['dismissed']} 行（保留在 quarantine_dismissed）。" if lang == "zh"
                                                          else f"Dismissed {plural(d['dismissed'], 'quarantined row')} (kept in quarantine_dismissed)."))


def register(app: typer.Typer) -> None:
    """Add the bookkeeping commands to ``app``."""
    app.command()(status)
    app.command()(quarantine)
    app.command("quarantine-clear")(quarantine_clear)
