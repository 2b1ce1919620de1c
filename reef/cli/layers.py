"""``reef groups``, ``reef plaza`` and ``reef council``: the organisation layers (docs/layers.md).

Each brings its analysis up to date at ``--as-of`` (free when it already is), calls one reader from
:mod:`reef.layers.api` and renders the result (rich tables, or ``--json``); the readers' ``warning`` (as_of outside
the data) goes to stderr after the tables.

Example:
    >>> import typer
    >>> from typer.testing import CliRunner
    >>> app = typer.Typer(); register(app)
    >>> CliRunner().invoke(app, ["council", "--help"]).exit_code
    0
"""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from reef.cli._common import checked, DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, kv_table, out, prepared, read, rows_table, to_second
from reef.params import check_positive
from reef.cli._coverage import emit_noted
from reef.cli._errors import handled
from reef.cli._labels import word
from reef.i18n import code_label, plural
from reef.reads import ops as reads

__all__ = ["register", "prepared"]

AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Compute as of this date or time (a date alone is its 00:00 local time: that day is not included; default: end of the data).")]
TopOpt = Annotated[int, typer.Option("--top", min=1, help="Rows to show.")]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first (paging).")]
# In the circle list a row's name is the circle's (named by its top terms), not a member's nickname.
_CIRCLE_NAME = {"name": ("小组名称", "Group name")}
# A circle member's ``terms`` is how many distinct terms their row holds (a count), not the circle's top terms.
_MEMBER_HEADS = {"terms": ("用词数", "Distinct terms"), "ties": ("圈内联系", "Ties"), "confidence": ("归属置信度", "Confidence")}


def _pct(value, signed: bool = False) -> str | None:
    """A share as the dashboard shows it: 0.028 -> +3% (``signed``), 0.7061 -> 71%; None stays empty, except a
    change (``signed``) with nothing to compare with, which reads — as the circle's summary and the report word it."""
    if value is None:
        return "—" if signed else None
    return f"{100 * float(value):+.0f}%" if signed else f"{100 * float(value):.0f}%"


@handled
def groups(circle: Annotated[Optional[str], typer.Option("--circle", help="Show one circle (id, e.g. c03): leaders and a page of members.")] = None,
           top: TopOpt = 20, offset: OffsetOpt = 0, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
           as_of: AsOfOpt = None, as_json: JsonOpt = False) -> None:
    """Interest groups: circles found from what members write and whom they talk to, with size, growth, health and leaders."""
    r = read(reads.groups, db, config, circle=circle, top=top, offset=offset, as_of=as_of, lang=lang)
    data, ts, language = r.data, to_second(r.as_of), r.lang
    zh = language == "zh"
    if circle:

        def render_one(d: dict) -> None:
            c = d["circle"]
            heads = (("主要词语", "规模", "主要版块", "健康度", "趋势", "概况") if zh else
                     ("top terms", "size", "main board", "health", "trend", "summary"))
            values = (("、" if zh else ", ").join(c["top_terms"]), c["size"], c.get("main_board"), c.get("health"),
                      code_label(c.get("trend"), language), c.get("summary"))
            kv_table(f"{'兴趣小组' if zh else 'Interest group'} {c['circle_id']} {c['name']}", dict(zip(heads, values)), lang=language)
            cols = ["rank", "member_id", "name", "stage", "score", "expertise_part", "help_part", "stage_part", "affinity_part", "evidence"]
            rows_table("建议小组长" if zh else "Suggested leaders", d["leaders"], cols, lang=language)
            # the reader's order: strongest belonging first, confidence x ln(1 + ties + terms) (docs/cli.md)
            cols = ["member_id", "name", "confidence", "graph_part", "text_part", "second_circle_id", "ties", "terms"]
            shown = [{**m, **{k: _pct(m.get(k)) for k in ("confidence", "graph_part", "text_part")}} for m in d["members"]]
            rows_table(f"成员（第{offset + 1}-{offset + len(d['members'])}位，共{d['total_members']}位；按归属强度排序："
                       f"置信度×ln(1+圈内联系+用词数)）" if zh else
                       f"Members ({offset + 1}-{offset + len(d['members'])} of {d['total_members']}; strongest belonging first: "
                       f"confidence x ln(1 + ties + terms))", shown, cols, lang=language, labels=_MEMBER_HEADS)

        emit_noted(data, as_json, render_one)
        return

    def render(d: dict) -> None:
        rows = [{**c, "leaders": ("、" if zh else ", ").join(f"{x['name']}（{x['member_id']}）" if zh and x["name"] else
                                                            f"{x['name']} ({x['member_id']})" if x["name"] else x["member_id"]
                                                            for x in c["leader_list"]),
                 "top_terms": ("、" if zh else ", ").join(c["top_terms"][:6]), "trend": code_label(c.get("trend"), language),
                 "member_growth": _pct(c.get("member_growth"), True), "post_growth": _pct(c.get("post_growth"), True)}
                for c in d["circles"]]
        cols = ["circle_id", "name", "top_terms", "size", "member_growth", "post_growth", "health", "trend", "leaders"]
        rows_table(f"兴趣小组（截至 {ts}；{d['total']}个小组，{d['assigned']}位成员）" if zh else
                   f"Interest groups (as of {ts}; {plural(d['total'], 'circle')}, {plural(d['assigned'], 'member')})", rows, cols,
                   lang=language, labels=_CIRCLE_NAME)

    emit_noted(data, as_json, render)


@handled
def plaza(top: TopOpt = 20, offset: OffsetOpt = 0,
          topics: Annotated[int, typer.Option("--topics", callback=checked(check_positive, "topics", minimum=0), help="Topics that work to show.")] = 10,
          lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_of: AsOfOpt = None, as_json: JsonOpt = False) -> None:
    """Open plaza: members whose threads draw many, diverse, new and friendly repliers (public topic starters), and the topics that work."""
    r = read(reads.plaza, db, config, top=top, offset=offset, topics=topics, as_of=as_of, lang=lang)
    data, ts, language = r.data, to_second(r.as_of), r.lang
    zh = language == "zh"

    def render(d: dict) -> None:
        cols = ["rank", "member_id", "name", "score", "threads", "mean_repliers", "mean_newcomers", "circles", "sentiment", "evidence"]
        rows_table(f"广场话题发起者（截至 {ts}）" if zh else f"Plaza topic starters (as of {ts})", d["starters"], cols,
                   lang=language)
        topics = [{**t, "topic_type": word(f"topic.{t['topic_type']}", "zh", t["topic_type"]),  # kinds and types by name
                   "topic": code_label(t["topic"]) if t["topic_type"] == "kind" else t["topic"]} for t in d["topics"]] if zh else d["topics"]
        cols = ["topic_type", "topic", "threads", "mean_repliers", "mean_newcomers", "lift"]
        rows_table("受欢迎话题" if zh else "Topics that work", topics, cols, lang=language)

    emit_noted(data, as_json, render)


@handled
def council(seats: Annotated[Optional[int], typer.Option("--seats", min=1, help="Seats on the council (default: layers.council_seats).")] = None,
            lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_of: AsOfOpt = None, as_json: JsonOpt = False) -> None:
    """Advisory council: a balanced slate of long-tenured, broadly trusted, constructive members, with its coverage."""
    from reef.layers.council import exclusion_label

    r = read(reads.council, db, config, seats=seats, as_of=as_of, lang=lang)
    data, ts, language = r.data, to_second(r.as_of), r.lang
    zh = language == "zh"

    def render(d: dict) -> None:
        note = (("；含阶段3成员（阶段4候选不足）" if zh else "; stage 3 included (too few stage-4 candidates)") if d["fallback"] else "")
        counts = d.get("counts", {}).get("label") or (f"入选池{d['pool']}人" if zh else f"{d['pool']} in the pool")
        rows_table(f"核心顾问团建议名单：{len(d['slate'])}/{d['seats']}席；{counts}{note}（截至 {ts}）" if zh else
                   f"Proposed council: {len(d['slate'])} of {plural(d['seats'], 'seat')}; {counts}{note} (as of {ts})",
                   [{**s, "covers": ("、" if zh else ", ").join(code_label(c, language) for c in s["covers"]),
                     "roles": ("、" if zh else ", ").join(s.get("roles") or [])} for s in d["slate"]],
                   ["seat", "member_id", "name", "stage", "tenure_days", "car_model", "region", "circle_name", "quality", "covers",
                    "roles", "evidence"], lang=language)
        rows_table("覆盖" if zh else "Coverage", [{"dimension": code_label(k, language), **v,
                                                   "members_represented": f"{100 * v['members_represented']:.1f}%"}
                                                  for k, v in d["summary"].items()],
                   ["dimension", "values", "covered", "members_represented"], lang=language)
        if d.get("note"):
            out.print(d["note"])
        if d["excluded"]:
            rows_table("未入选的强候选" if zh else "Strong candidates left out",
                       [{**x, "excluded_because": ("、" if zh else ", ").join(exclusion_label(k, language) for k in x["excluded_because"] or [])}
                        for x in d["excluded"]], ["member_id", "name", "stage", "quality", "excluded_because"], lang=language)

    emit_noted(data, as_json, render)


def register(app: typer.Typer) -> None:
    """Add the layers commands to the ``reef`` app."""
    app.command("groups")(groups)
    app.command("plaza")(plaza)
    app.command("council")(council)
    # Further layer commands register here, one line each (e.g. app.command("team")(team)).
