"""``reef connectors``, ``reef ripple``, ``reef seed-plan`` and ``reef helpers``: parse, call the library, render
(with the as-of coverage warning on stderr when the data does not cover ``--as-of``: :mod:`reef.cli._coverage`).

Example:
    >>> import typer
    >>> from typer.testing import CliRunner
    >>> app = typer.Typer(); register(app)
    >>> CliRunner().invoke(app, ["connectors", "--help"]).exit_code
    0
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import (ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, err, kv_table, open_community, out, read,
                              rows_table, to_second)
from reef.cli._coverage import emit_noted
from reef.cli._errors import handled
from reef.errors import ReefError, with_cli_hint
from reef.cli._labels import labels, word
from reef.reads import network as reads
from reef.i18n import code_label
from reef.network.campaign import boost_empty_reason
from reef.network.seed_download import SEED_COLUMNS, SEED_KEYS, file_format, reach_figure, save_seed_plan
from reef.network.seedplan import empty_reason, seed_plan_view

__all__ = ["register"]

DEFAULT_DB = Path("reef.duckdb")
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Compute as of this date or time (a date alone is its 00:00 local time: that day is not included; default: end of the data).")]
TopOpt = Annotated[int, typer.Option("--top", help="Rows to show.")]


@handled
def connectors(db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_of: AsOfOpt = None, top: TopOpt = 20,
               role: Annotated[str, typer.Option("--role", help="connector, broadcaster, member or all.")] = "connector",
               lang: LangOpt = None, as_json: JsonOpt = False) -> None:
    """Key connectors: whom others ask, mention, quote and agree with; every score with its parts and examples."""
    r = read(reads.connectors, db, config, role=role, top=top, as_of=as_of, lang=lang)
    ts, lang = to_second(r.as_of), r.lang
    zh = lang == "zh"
    emit_noted(r.data, as_json, lambda r: rows_table(f"关键节点（截至 {ts}）" if zh else f"Key connectors (as of {ts})",
                                                   [{**x, "role": code_label(x["role"], lang),  # examples: ids joined, never a Python list
                                                     "examples": ("、" if zh else ", ").join(map(str, x.get("examples") or []))}
                                                    for x in r],
                                                   ["rank", "member_id", "name", "role", "score", "askers", "distinct_others",
                                                    "expertise_part", "brokerage_part", "reach_part", "followon_part", "examples"],
                                                   lang=lang), r.note)


@handled
def ripple(campaign: Annotated[Optional[str], typer.Option("--campaign", help="Campaign id (seeds, topic and start from it).")] = None,
           topic: Annotated[Optional[str], typer.Option("--topic", help="Topic terms, space separated (any matches).")] = None,
           seeds: Annotated[Optional[str], typer.Option("--seeds", help="Seed member ids, comma separated.")] = None,
           since: Annotated[Optional[str], typer.Option("--since", help="Start date of the topic.")] = None,
           db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
           as_json: JsonOpt = False) -> None:
    """Ring-by-ring adoption of a seeded topic, the reach curve and the boost list with acknowledgements."""
    r = read(reads.ripple, db, config, campaign=campaign, topic=topic, seeds=seeds, since=since, as_of=as_of, lang=lang)
    result, lang = r.data, r.lang
    zh = lang == "zh"

    def render(r):
        kv_table("涟漪" if zh else "Ripple", {k: (("、" if zh else ", ").join(r[k]) if isinstance(r[k], list) else r[k])
                                              for k in ("campaign_id", "topic", "seeds", "since", "adopters", "reached", "unreached")},
                 lang=lang, labels=labels("seeds", "since", "reached", "unreached"))
        # what the two headline figures count, and who the rest are
        out.print(word("ripple.figures", lang) + (word("ripple.unreached", lang).format(n=r["unreached"]) if r["unreached"] else ""),
                  markup=False)
        # the ring-less row holds the topic's posters no link leads to from the seeds: say so rather than leave it blank
        rows_table("按圈层" if zh else "By ring", [{**x, "ring": word("unreached", lang) if x["ring"] is None else x["ring"]}
                                                  for x in r["rings"]], ["ring", "adopters", "first_at", "last_at"], lang=lang)
        if r["boost"]:
            rows_table("助推名单" if zh else "Boost list", r["boost"],
                       ["member_id", "name", "ring", "seed_member_id", "engagement", "acknowledgement"], lang=lang)
        elif r.get("boost_empty"):  # an empty table says nothing: say why there is no one to boost
            out.print(boost_empty_reason(**r["boost_empty"], lang=lang), markup=False)

    emit_noted(result, as_json, render, r.note)


@handled
def seed_plan(k: Annotated[Optional[int], typer.Option("--k", help="Number of seeds (default network.seed_k).")] = None,
              topic: Annotated[Optional[str], typer.Option("--topic", help="Only members who wrote on these terms.")] = None,
              circle: Annotated[Optional[str], typer.Option("--circle", help="Only members who posted in this group (name or id).")] = None,
              exclude: Annotated[Optional[str], typer.Option("--exclude", help="Member ids to leave out, comma separated.")] = None,
              runs: Annotated[Optional[int], typer.Option("--runs", help="Monte-Carlo cascades (default network.mc_runs).")] = None,
              seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed (default network.seed).")] = None,
              out_path: Annotated[Optional[Path], typer.Option("--out", help="Also write the plan to this file, as the seed-plan "
                                                               "page downloads it: .xlsx (Excel) or .csv.")] = None,
              db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
              as_json: JsonOpt = False) -> None:
    """Choose k seed members by IMM; expected reach with a 95% CI against top-degree, PageRank, random and brand."""
    if out_path is not None:
        try:
            file_format(out_path)  # a wrong suffix fails before the plan is run
        except ReefError as exc:
            raise with_cli_hint(exc, "The plan is written as an Excel workbook or a CSV file, e.g. --out seed-plan.xlsx.",
                                "种子名单可存为 Excel 工作簿或 CSV 文件，例如 --out seed-plan.xlsx。") from None
    r = read(reads.seed_plan, db, config, k=k, topic=topic, circle=circle, exclude=exclude, runs=runs, seed=seed,
             as_of=as_of, lang=lang)
    result, lang = r.data, r.lang

    views: list[dict] = []  # the page's view of the plan (reef.network.seedplan.seed_plan_view), unmasked, built once

    def view() -> dict:
        if not views:
            views.append(seed_plan_view(open_community(db, config).store, result, masked=False, lang=lang))
        return views[0]

    def render(r):  # the tables of that view (r differs from result only in its warning, which the view reads itself)
        render_seed_plan(view(), lang)

    if out_path is not None:  # the download route's file (reef.network.seed_download), unmasked as the tables are
        save_seed_plan(view(), out_path, lang)
        err.print(("种子名单已写入 " if lang == "zh" else "Seed plan written to ") + str(out_path), markup=False)
    if result.get("empty") and not as_json:  # the library's warning is English (JSON keeps it): say why in the operator's language
        result = {**result, "warning": empty_reason(result["empty"], lang)}
    # an empty plan's reason (its warning) and the coverage warning, one per line, on stderr after the tables
    emit_noted(result, as_json, render, r.note)


def render_seed_plan(view: dict, lang: str) -> None:
    """A :func:`reef.network.seedplan.seed_plan_view` as tables: the summary with the headline, the seeds with why
    and what to check first, the reach against the alternatives, the members left out with why."""
    zh, sep = lang == "zh", "；" if lang == "zh" else "; "
    pick = lambda key: SEED_KEYS[key][not zh]  # noqa: E731
    req = view.get("request") or {}
    pairs = [(pick("as_of"), str(view["as_of"])[:10]), (pick("topic"), req.get("topic")), (pick("circle"), req.get("circle_name")),
             (pick("candidates"), view.get("candidates")), (pick("members"), view.get("members")),
             (pick("excluded"), view.get("excluded")), (pick("headline"), view.get("headline")), (pick("rr_sets"), view.get("rr_sets"))]
    kv_table("种子名单" if zh else "Seed plan", [(key, v) for key, v in pairs if v is not None], lang=lang)
    if view["seeds"]:
        rows_table("推荐的种子" if zh else "Recommended seeds",
                   [{**x, "reasons": sep.join(x["reasons"]), "flags": sep.join(f["text"] for f in x["flags"])} for x in view["seeds"]],
                   ["order", "member_id", "name", "reasons", "flags"], lang=lang, labels=SEED_COLUMNS)
    if view["reach"]:
        rows_table("预期覆盖（与对照方案比较）" if zh else "Expected reach, against the alternatives",
                   [{**x, **{c: reach_figure(x.get(c)) for c in ("mean", "ci_low", "ci_high")}} for x in view["reach"]],
                   ["label", "mean", "ci_low", "ci_high", "size"], lang=lang, labels=SEED_COLUMNS)
    if view["exclusions"]:
        rows_table("排除的成员" if zh else "Members left out",
                   [{**x, "why": sep.join(w["text"] for w in x["reasons"])} for x in view["exclusions"]],
                   ["member_id", "name", "why"], lang=lang, labels=SEED_COLUMNS)


# In the help summary, paid_forward counts newcomers who went on to help (a leader's row counts their acts).
_SUMMARY_HEADS = {"paid_forward": ("回馈他人的新人数", "Newcomers who paid it forward")}


@handled
def helpers(db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_of: AsOfOpt = None, top: TopOpt = 20,
            member: Annotated[Optional[str], typer.Option("--member", help="Show this member's ledger of help acts.")] = None,
            lang: LangOpt = None, as_json: JsonOpt = False) -> None:
    """Mutual-help ledger: leaderboard, mentorships, pay-it-forward; --member for one member's acts."""
    r = read(reads.helpers, db, config, member=member, top=top, as_of=as_of, lang=lang)
    data, lang, note = r.data, r.lang, r.note
    zh = lang == "zh"
    if member:
        emit_noted(data, as_json, lambda d: rows_table(f"互助记录 {member}" if zh else f"Help acts of {member}", d["acts"],
                                                       ["act_at", "act", "helper_id", "helped_id", "content_id", "credit"],
                                                       lang=lang), note)
        return

    def render(d):
        kv_table("互助概况" if zh else "Help summary", {k: v for k, v in d["summary"].items() if not isinstance(v, dict)},
                 lang=lang, labels=_SUMMARY_HEADS)
        rows_table("互助榜" if zh else "Helpers", d["leaders"], ["rank", "member_id", "name", "help_credit", "answers", "accepted",
                                                    "thanked", "people_helped", "mentees", "paid_forward"], lang=lang)

    emit_noted(data, as_json, render, note)


def register(app: typer.Typer) -> None:
    """Add the network commands to the ``reef`` app."""
    app.command("connectors")(connectors)
    app.command("ripple")(ripple)
    app.command("seed-plan")(seed_plan)
    app.command("helpers")(helpers)
