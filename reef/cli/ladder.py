"""``reef ladder``, ``reef member``, ``reef funnel``, ``reef recognise``, ``reef contest`` and ``reef campaigns`` (the
campaigns a contest can judge): the emergence ladder.

Each calls one library function from :mod:`reef.reads.ladder` (the ``Community`` method of the same name calls it
too), which brings the ``ladder`` analysis up to date at ``--as-of``, and renders the result, with the as-of coverage warning on stderr
when the data does not cover that moment (:mod:`reef.cli._coverage`).

Example:
    >>> import typer
    >>> app = typer.Typer(); register(app); len(app.registered_commands)
    6
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import checked, ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, kv_table, out, read, rows_table
from reef.params import check_range
from reef.cli._coverage import emit_noted
from reef.cli._errors import handled, options_conflict
from reef.i18n import code_label, plural
from reef.reads import ladder as reads

__all__ = ["register"]

DEFAULT_DB = Path("reef.duckdb")
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Place members as of this date or datetime (a date alone is its 00:00 local time: that day is not included; default: end of the data).")]


_EVENTS = {"start": "起点", "promote": "升级", "demote": "降级"}


def _table(title: str, rows: list[dict], columns: list[str], zh: bool, labels: dict | None = None) -> None:
    rows_table(title, rows, columns, lang="zh" if zh else "en", labels=labels)


@handled
def ladder(stage: Annotated[Optional[int], typer.Option("--stage", callback=checked(check_range, "stage", 0, 4), help="Only members at this stage (0-4).")] = None,
           top: Annotated[int, typer.Option("--top", min=1, help="Show at most this many members.")] = 20,
           as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
           as_json: JsonOpt = False) -> None:
    """Members by rank (stage, then potential 0-100 for the next stage) with momentum and the evidence."""
    r = read(reads.ladder, db, config, stage=stage, top=top, as_of=as_of, lang=lang)
    zh, note = r.lang == "zh", r.note
    emit_noted(r.data, as_json, lambda rs: _table("成长阶梯" if zh else "Emergence ladder",
                                                [{**r, "evidence": r["evidence_zh" if zh else "evidence_en"],
                                                  "stage_name": r["stage_name" if zh else "stage_name_en"],
                                                  "momentum": _momentum(r)} for r in rs],
                                                ["rank", "member_id", "name", "stage", "stage_name", "potential", "momentum",
                                                 "evidence"], zh), note)


def _momentum(row: dict) -> str:
    """The trend (0 lapsed, 0.5 steady, 1 new or rising) with an arrow when the member is rising."""
    if row.get("momentum") is None:
        return ""
    return f"{row['momentum']:.2f}" + (" ↑" if row.get("rising") else "")


@handled
def member(member_id: Annotated[str, typer.Argument(help="Member id.")], as_of: AsOfOpt = None, lang: LangOpt = None,
           db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """One member's stage, evidence and timeline of stage changes with reasons."""
    r = read(reads.member, db, config, member_id, as_of=as_of, lang=lang)
    data, zh, note = r.data, r.lang == "zh", r.note

    def render(d: dict) -> None:
        keys = ("stage", "potential", "evidence", "flags")  # named by reef.i18n's column labels, as the tables are
        # the id alone when the member has no name (a Weibo uid): no trailing space in the heading
        kv_table(" ".join(x for x in (d["member_id"], d["name"]) if x), dict(zip(keys, (f"{d['stage']} {d['stage_name' if zh else 'stage_name_en']}",
                                                                       d["potential"], d["evidence_zh" if zh else "evidence_en"],
                                                                       ", ".join(d["flags"] or [])))), lang="zh" if zh else "en")
        _table("阶梯变化" if zh else "Timeline", [{**e, "reason": e["reason_zh" if zh else "reason_en"],
                                                  "event": _EVENTS.get(e["event"], e["event"]) if zh else e["event"]}
                                                 for e in d["timeline"]],
               ["at", "event", "from_stage", "to_stage", "reason"], zh)

    emit_noted(data, as_json, render, note)


@handled
def funnel(as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
           as_json: JsonOpt = False) -> None:
    """Counts per stage, conversion by monthly join cohort, median days to reach each stage, stuck members."""
    from reef.ladder.funnel import cohort_note, complete_cohorts, median_basis_note

    r = read(reads.funnel, db, config, as_of=as_of, lang=lang)
    data, zh, note = r.data, r.lang == "zh", r.note

    def render(d: dict) -> None:
        _table("各阶段人数" if zh else "Stages", [{**s, "stage_name": s["name" if zh else "name_en"]} for s in d["stages"]],
               ["stage", "stage_name", "members"], zh)
        _table("按加入月份的转化（到达各阶段的比例）" if zh else "Conversion by join month", complete_cohorts(d),
               ["cohort", "members", "reached_1", "reached_2", "reached_3", "reached_4"], zh)
        if note := cohort_note(d.get("cohort_basis"), "zh" if zh else "en"):  # --json lists those months too
            out.print(note)
        _table("从加入到首次到达各阶段的中位天数" if zh else "Median days from joining to first reaching", _medians(d, zh),
               ["stage", "stage_name", "median_days"], zh, _MEDIAN_HEAD)
        out.print(median_basis_note(d.get("median_basis"), "zh" if zh else "en"))
        _table("长期停留在同一阶段" if zh else "Stuck members", d["stuck"][:20],
               ["member_id", "name", "stage", "potential", "days_at_stage"], zh)

    emit_noted(data, as_json, render, note)


_MEDIAN_HEAD = {"median_days": ("中位天数", "median days")}


def _medians(d: dict, zh: bool) -> list[dict]:
    """One row per stage 1-4; a stage no counted member has reached says so instead of vanishing."""
    from reef.ladder.params import STAGE_NAMES

    got = {int(k): v for k, v in (d.get("median_days_to_reach") or {}).items()}
    missing = "—（统计对象中尚无人到达）" if zh else "— (no member counted has reached it)"
    return [{"stage": s, "stage_name": STAGE_NAMES[s][0 if zh else 1], "median_days": missing if got.get(s) is None else got[s]}
            for s in range(1, 5)]


@handled
def recognise(top: Annotated[int, typer.Option("--top", min=1, help="Show at most this many alerts.")] = 20,
              days: Annotated[Optional[int], typer.Option("--days", min=1, help="Every alert of the last N days, recognised or not (at most ladder.alert_backlog_days).")] = None,
              since: Annotated[Optional[str], typer.Option("--since", help="Every alert from this date or datetime on, recognised or not (at most ladder.alert_backlog_days back).")] = None,
              as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
              as_json: JsonOpt = False) -> None:
    """Recognise-now alerts: stage-4 crossings, first proactive acts, first posts and answers. By default those of the
    last ladder.alert_hours (marked new) and the older ones of the last ladder.alert_backlog_days still unrecognised;
    those still to recognise first, then the ones already recognised or planned (the Recognised column says which)."""
    from reef.ladder.params import STAGE_NAMES
    from reef.ladder.recognised import recognised_label

    if days is not None and since is not None:  # before the store is opened, as every flag conflict
        raise options_conflict("--since", "--days", either=True)
    r = read(reads.recognise, db, config, top=top, days=days, since=since, as_of=as_of, lang=lang)
    language, note = r.lang, r.note
    en = language == "en"

    def row(a: dict) -> dict:
        stage = a.get("stage")
        stage_txt = f"{stage} {STAGE_NAMES[stage][1 if en else 0]}" if stage is not None and 0 <= stage < len(STAGE_NAMES) else stage
        return {**a, "alert": code_label(a["alert"], language), "stage": stage_txt, "message": a[f"message_{language}"],
                "is_new": ("new" if en else "新") if a.get("is_new") else "", "recognised": recognised_label(a, language)}

    emit_noted(r.data, as_json, lambda rs: _table("Recognise now" if en else "立即认可", [row(a) for a in rs],
                                                ["rank", "is_new", "alert", "member_id", "name", "stage", "at", "content_id",
                                                 "message", "recognised"], not en), note)


@handled
def contest(campaign: Annotated[str, typer.Option("--campaign", help="Campaign id of the content call.")],
            top: Annotated[int, typer.Option("--top", min=1, help="Show at most this many entries.")] = 20,
            as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
            as_json: JsonOpt = False) -> None:
    """Judge a themed content call fairly: text quality, originality, media, engagement per exposure and audience."""
    r = read(reads.contest, db, config, campaign, top=top, as_of=as_of, lang=lang)
    data, zh, note = r.data, r.lang == "zh", r.note
    title = f"征集评审：{data['campaign'] or campaign}" if zh else f"Contest: {data['campaign'] or campaign}"
    def show(d):
        rows = [{**e, "member_id": e.get("author_id"), "kind": code_label(e.get("kind"), "zh") if zh else e.get("kind")}
                for e in d["entries"]]  # two members can share a name: the ID tells them apart
        from reef.ladder.contest_view import CONTEST_COLUMNS, contest_labels

        _table(title, rows, list(CONTEST_COLUMNS), zh, contest_labels(d))  # each part with its 满分: they add up to 总分
        shown, judged = len(d["entries"]), d["entries_judged"]
        out.print((f"共{judged}份投稿参评" + (f"，显示前{shown}份" if shown < judged else "") + "；同分同名次") if zh else
                  (f"{plural(judged, 'entry', 'entries')} judged" + (f", top {shown} shown" if shown < judged else "") + "; equal scores share a rank"))
        if d["entries_of_members_who_left"]:
            n = d["entries_of_members_who_left"]
            out.print(f"另有{n}份投稿的作者已离开社区，未参评" if zh else f"{n} more entries are not judged: their authors have left")

    emit_noted(data, as_json, show, note)


@handled
def campaigns(as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
              as_json: JsonOpt = False) -> None:
    """Campaigns newest first with their dates and the entries `reef contest` judges: find the id to judge."""
    from reef.ladder.contest_view import CAMPAIGN_LABELS

    r = read(reads.campaigns, db, config, as_of=as_of, lang=lang)
    zh = r.lang == "zh"

    def show(rows: list[dict]) -> None:
        _table("活动（征集评审用 reef contest --campaign 活动ID）" if zh else "Campaigns (judge one: reef contest --campaign ID)",
               [{**c, "started_at": (c["started_at"] or "")[:10], "ended_at": (c["ended_at"] or "")[:10]} for c in rows],
               ["campaign_id", "name", "topic", "started_at", "ended_at", "entries_judged"], zh, CAMPAIGN_LABELS)

    emit_noted(r.data, as_json, show, r.note)


def register(app: typer.Typer) -> None:
    """Add the ladder commands to the ``reef`` app."""
    for fn in (ladder, member, funnel, recognise, contest, campaigns):
        app.command(fn.__name__)(fn)
