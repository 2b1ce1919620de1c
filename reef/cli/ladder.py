"""``reef ladder``, ``reef member``, ``reef funnel``, ``reef recognise`` and ``reef contest``: the emergence ladder.

Each brings the ``ladder`` analysis up to date at ``--as-of`` (free when it already is), calls one
library function from :mod:`reef.ladder` and renders the result.

Example:
    >>> import typer
    >>> app = typer.Typer(); register(app); len(app.registered_commands)
    5
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import ConfigOpt, DbOpt, JsonOpt, LangOpt, emit, handled, kv_table, open_community, out, rows_table

__all__ = ["register"]

DEFAULT_DB = Path("reef.duckdb")
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Place members as of this date or datetime (default: end of the data).")]


def _store(db: Path, config: Optional[Path], as_of: Optional[str]):
    community = open_community(db, config)
    community.analyze(as_of=as_of, only=["ladder"])
    return community.store


def _zh(lang: Optional[str]) -> bool:
    return (lang or "zh").lower() != "en"


@handled
def ladder(stage: Annotated[Optional[int], typer.Option("--stage", min=0, max=4, help="Only members at this stage (0-4).")] = None,
           top: Annotated[int, typer.Option("--top", min=1, help="Show at most this many members.")] = 20,
           as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
           as_json: JsonOpt = False) -> None:
    """Members by rank (stage, then potential 0-100 for the next stage) with momentum and the evidence."""
    from reef.ladder import ladder_list

    rows = ladder_list(_store(db, config, as_of), stage=stage, top=top)
    zh = _zh(lang)
    emit(rows, as_json, lambda rs: rows_table("成长阶梯" if zh else "Emergence ladder",
                                              [{**r, "evidence": r["evidence_zh" if zh else "evidence_en"],
                                                "stage_name": r["stage_name" if zh else "stage_name_en"],
                                                "momentum": _momentum(r)} for r in rs],
                                              ["rank", "member_id", "name", "stage", "stage_name", "potential", "momentum",
                                               "evidence"]))


def _momentum(row: dict) -> str:
    """The trend (0 lapsed, 0.5 steady, 1 new or rising) with an arrow when the member is rising."""
    if row.get("momentum") is None:
        return ""
    return f"{row['momentum']:.2f}" + (" ↑" if row.get("rising") else "")


@handled
def member(member_id: Annotated[str, typer.Argument(help="Member id.")], as_of: AsOfOpt = None, lang: LangOpt = None,
           db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """One member's stage, evidence and timeline of stage changes with reasons."""
    from reef.ladder import member_timeline

    data = member_timeline(_store(db, config, as_of), member_id)
    zh = _zh(lang)

    def render(d: dict) -> None:
        kv_table(f"{d['member_id']} {d['name'] or ''}", {"stage": f"{d['stage']} {d['stage_name' if zh else 'stage_name_en']}",
                                                         "potential": d["potential"], "evidence": d["evidence_zh" if zh else "evidence_en"],
                                                         "flags": ", ".join(d["flags"] or [])})
        rows_table("阶梯变化" if zh else "Timeline", [{**e, "reason": e["reason_zh" if zh else "reason_en"]} for e in d["timeline"]],
                   ["at", "event", "from_stage", "to_stage", "reason"])

    emit(data, as_json, render)


@handled
def funnel(as_of: AsOfOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Counts per stage, conversion by monthly join cohort, median days to reach each stage, stuck members."""
    from reef.ladder import ladder_funnel

    data = ladder_funnel(_store(db, config, as_of))

    def render(d: dict) -> None:
        rows_table("Stages", d["stages"], ["stage", "name", "name_en", "members"])
        rows_table("Conversion by join month", d["cohorts"], ["cohort", "members", "reached_1", "reached_2", "reached_3", "reached_4"])
        kv_table("Median days from joining to first reaching", {str(k): v for k, v in d["median_days_to_reach"].items()})
        rows_table("Stuck members", d["stuck"][:20], ["member_id", "name", "stage", "potential", "days_at_stage"])

    emit(data, as_json, render)


@handled
def recognise(top: Annotated[int, typer.Option("--top", min=1, help="Show at most this many alerts.")] = 20,
              as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
              as_json: JsonOpt = False) -> None:
    """Recognise-now alerts of the last ladder.alert_hours: stage-4 crossings, first proactive acts, first posts and answers."""
    from reef.ladder import ladder_alerts

    rows = ladder_alerts(_store(db, config, as_of), top=top)
    zh = _zh(lang)
    emit(rows, as_json, lambda rs: rows_table("立即认可" if zh else "Recognise now",
                                              [{**r, "message": r["message_zh" if zh else "message_en"]} for r in rs],
                                              ["rank", "alert", "member_id", "name", "stage", "at", "message"]))


@handled
def contest(campaign: Annotated[str, typer.Option("--campaign", help="Campaign id of the content call.")],
            top: Annotated[int, typer.Option("--top", min=1, help="Show at most this many entries.")] = 20,
            as_of: AsOfOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Judge a themed content call fairly: text quality, originality, media, engagement per exposure and audience."""
    from reef.ladder import contest_scores

    store = _store(db, config, as_of)
    data = contest_scores(store, campaign, as_of=store.fetch_value("SELECT max(as_of) FROM ladder_members"), top=top)
    out.print(f"{data['campaign'] or campaign}") if not as_json else None
    emit(data, as_json, lambda d: rows_table("Contest", d["entries"], ["rank", "content_id", "name", "kind", "score", "text_quality",
                                                                       "originality", "media", "engagement", "likes", "weighted_likes"]))


def register(app: typer.Typer) -> None:
    """Add the ladder commands to the ``reef`` app."""
    for fn in (ladder, member, funnel, recognise, contest):
        app.command(fn.__name__)(fn)
