"""``reef kb qa|essence|repeated|topics|gaps``, ``reef ask``, ``reef crisis`` and ``reef guide``: the knowledge reef and breakwater.

Each calls one library function from :mod:`reef.reads.kb` (the ``Community`` method calls it too), which brings the
kb analyses up to date at ``--as-of``, and renders the result, with the as-of coverage warning on stderr
when the data does not cover that moment (:mod:`reef.cli._coverage`).

Example:
    >>> import typer
    >>> app = typer.Typer(); register(app); len(app.registered_commands), len(app.registered_groups)
    (3, 1)
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import checked, DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, kv_table, read, resolve_lang, rows_table
from reef.params import check_positive
from reef.cli._coverage import emit_noted
from reef.cli._errors import handled
from reef.cli._labels import word
from reef.i18n import plural
from reef.reads import kb as reads

__all__ = ["register", "kb_app"]

kb_app = typer.Typer(no_args_is_help=True, help="The knowledge reef: Q&A, essence, repeated questions, topic map, gaps.")
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Read the community as of this date or datetime (a date alone is its 00:00 local time: that day is not included; default: end of the data).")]
TopOpt = Annotated[int, typer.Option("--top", min=1, help="Show at most this many rows.")]
# The topic map's stage is the car's ownership stage (the dashboard's 用车阶段), not a member's ladder stage.
_OWNERSHIP_STAGE = {"stage": ("用车阶段", "ownership stage")}
_TOPIC_MAP = {**_OWNERSHIP_STAGE, "mark": ("回答情况", "answers")}


def _lang(lang: Optional[str], db: Path, config: Optional[Path]) -> str:
    """--lang, else general.language of the store's configuration (fr and the like are an error)."""
    from reef.config import load_config

    return resolve_lang(lang, load_config(config, store_path=db))


@handled
def qa(top: TopOpt = 20, unanswered: Annotated[bool, typer.Option("--unanswered", help="Only questions without an answer.")] = False,
       aspect: Annotated[Optional[str], typer.Option("--aspect", help="Only questions on this aspect, by its English name (\"range and charging\") or its Chinese one.")] = None,
       as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Questions with their best answer and the answerer credited, newest first."""
    from reef.i18n import aspect_code

    language = _lang(lang, db, config)  # checked before the work, so --json meets a bad --lang too
    r = read(reads.qa, db, config, top=top, unanswered=unanswered, aspect=aspect_code(aspect), as_of=as_of, lang=lang)
    note = r.note
    emit_noted(r.data, as_json, lambda rs: rows_table("问答" if language == "zh" else "Q&A", rs,
                                                    ["question_id", "question", "answers", "best_answerer", "best_score", "best_accepted"],
                                                    lang=language), note)


@handled
def essence(top: TopOpt = 20, as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
            as_json: JsonOpt = False) -> None:
    """Posts of lasting reference value (not one-day virality), scored and explained."""
    language = _lang(lang, db, config)
    r = read(reads.essence, db, config, top=top, as_of=as_of, lang=lang)
    note = r.note
    emit_noted(r.data, as_json, lambda rs: rows_table("精华" if language == "zh" else "Essence", rs,
                                                    ["content_id", "title", "author_name", "score", "explanation"], lang=language), note)


@handled
def repeated(top: TopOpt = 20, min_asked: Annotated[int, typer.Option("--min-asked", callback=checked(check_positive, "min_asked"), help="Only questions asked at least this often.")] = 2,
             as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Repeated questions: canonical question, times asked, best answer and its author."""
    language = _lang(lang, db, config)
    r = read(reads.repeated, db, config, top=top, min_asked=min_asked, as_of=as_of, lang=lang)
    note = r.note
    emit_noted(r.data, as_json, lambda rs: rows_table("重复问题" if language == "zh" else "Repeated questions", rs,
                                                    ["cluster_id", "question", "times_asked", "answered", "best_answerer"], lang=language),
               note)


@handled
def topics(top: TopOpt = 30, as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
           as_json: JsonOpt = False) -> None:
    """Topic map: aspect x car model x ownership stage with volume, answer coverage and freshness."""
    language = _lang(lang, db, config)
    r = read(reads.topics, db, config, top=top, as_of=as_of, lang=lang)
    note = r.note
    from reef.i18n import code_label

    # the mark as the gaps name it (回答陈旧 / 话题无人回答), never a yes under "stale" for a topic nobody answered
    emit_noted(r.data, as_json, lambda rs: rows_table("知识地图" if language == "zh" else "Topic map",
                                                    [{**x, "mark": code_label(x["mark"], language)} for x in rs],
                                                    ["aspect", "car_model", "stage", "questions", "answered_share", "answer_age_days", "mark"],
                                                    lang=language, labels=_TOPIC_MAP), note)


@handled
def gaps(top: TopOpt = 20, as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
         as_json: JsonOpt = False) -> None:
    """Gaps: questions asked often but unanswered or poorly answered, answers outdated by a newer OTA or model year, stale topics."""
    from reef.i18n import code_label

    language = _lang(lang, db, config)
    r = read(reads.gaps, db, config, top=top, as_of=as_of, lang=lang)
    note = r.note
    emit_noted(r.data, as_json, lambda rs: rows_table("知识缺口" if language == "zh" else "Gaps",
                                                    # the row's label (agrees with its figures); JSON keeps the codes
                                                    [{**r, "kind": code_label(r["label"], language)} for r in rs],
                                                    ["rank", "kind", "title", "times_asked", "priority", "reason"], lang=language), note)


@handled
def ask(query: Annotated[str, typer.Argument(help="The question, in the language the members write (the reef is searched as written), e.g. 冬天续航掉多少 (range lost in winter)")],
        top: Annotated[Optional[int], typer.Option("--top", min=1, help="Results (default kb.search_top).")] = None,
        answered: Annotated[bool, typer.Option("--answered", help="Only questions that have an answer.")] = False,
        as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
        as_json: JsonOpt = False) -> None:
    """Search the reef for newcomers: best answers with their authors (BM25F on Chinese tokens + synonyms, fused with LSA)."""
    language = _lang(lang, db, config)
    r = read(reads.ask, db, config, query, top=top, answered=answered, as_of=as_of, lang=lang)
    note = r.note
    def render(rs: list[dict]) -> None:
        from reef.cli._common import out
        from reef.web.messages import tr

        if not rs:  # the 知识礁 page's sentence, not a bare empty table
            out.print(tr("kb.no_results", language))
            return
        # An answer imported from HTML (Stack Exchange) keeps the source's line breaks beside each paragraph's: one
        # blank line between paragraphs in the table, not four (--json keeps the text as stored).
        rows_table(query, [{**x, "answer": re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", (x.get("answer") or "").strip()) or None}
                           for x in rs], ["rank", "question", "times_asked", "answer", "answerer", "accepted"], lang=language)

    emit_noted(r.data, as_json, render, note)


_CRISIS_LABELS = {
    "aspect": ("方面", "Aspect"), "observed": ("负面帖", "Negative posts"), "baseline": ("基线", "Baseline"), "ratio": ("倍数", "Ratio"),
    "p_value": ("p 值", "p-value"), "new_authors": ("新抱怨者", "New complainers"), "alarm": ("预警", "Alarm"),
    "first_alarm_at": ("本轮首次预警", "First alarm"), "wave_first_alarm_at": ("本轮首次预警", "First alarm of this wave"),
    "day_first_alarm_at": ("当天首次预警", "First alarm that day"), "last_alarm_at": ("最近预警", "Last alarm"), "day": ("日期", "Day"),
    "new_author_share": ("新抱怨者占比", "New complainers (share)"), "reach": ("触达", "Reach"),
    "specifics_replies": ("追问细节的回复", "Replies asking for specifics"), "title": ("标题", "Title"), "author": ("作者", "Author"),
    "stage": ("阶梯阶段", "Ladder stage"), "answered": ("回应", "Answered"), "content_id": ("内容", "Content"),
    "reason": ("推荐理由", "Why"), "credibility": ("可信度", "Credibility"), "hour": ("小时", "Hour"), "posts": ("负面帖", "Negative posts"),
    "aspect_posts": ("该方面全部事实帖", "Factual posts on the aspect"), "topic_posts": ("同话题事实帖", "Factual posts on the wave's topic"),
    "wave_posts": ("声浪负面帖", "Wave posts"), "buffer_ratio": ("缓冲比（同话题 / 声浪）", "Buffer ratio (on topic / wave)"),
    "terms": ("声浪话题词", "Wave topic words"), "fact": ("官方资料", "Official fact"),
    "shared": ("与所选方面同帖", "Same posts as the opened aspect"),
}


def _partial_words(r: dict, en: bool) -> str:
    """The window a timeline row's counts cover when it is not the whole calendar day (the day as_of falls in)."""
    if not r["partial"]:
        return ""
    if r.get("window_start"):  # every count of the row covers the trailing window, as the alert's sentence says
        import pandas as pd

        start = pd.Timestamp(r["window_start"]).strftime("%m-%d %H:%M")  # local text, or its ISO form in --json
        return (f" (last {plural(r['window_hours'], 'hour')}: {start} to {r['until']})" if en
                else f"（过去 {r['window_hours']} 小时：{start} 至 {r['until']}）")
    return f" (until {r['until']})" if en else f"（截至 {r['until']}）"


def crisis_display(d: dict, lang: str) -> dict:
    """The crisis report's rows in operator words: aspects named in ``lang``, yes/no, rounded p-values, local times."""
    from reef.i18n import code_label
    from reef.kb.crisis_alerts import p_text as _p

    en = lang == "en"
    yes, no = ("yes", "no") if en else ("是", "否")
    sep = ", " if en else "、"

    def answered(p: dict) -> str:  # the 危机室 page's words, so the page and the terminal say the same
        from reef.web.messages import tr

        return tr("crisis.staff_replied" if p["staff_replied"] else "crisis.responded" if p["responded"] else "crisis.unanswered",
                  "en" if en else "zh")

    return {
        "aspects": [{**a, "aspect": code_label(a["aspect"], lang), "p_value": _p(a["p_value"]), "alarm": yes if a["alarm"] else no,
                     "shared": None if a.get("shared") is None else f"{100 * a['shared']:.0f}%"} for a in d["aspects"]],
        "buffer": {"aspect_posts": d["buffer"]["aspect_posts"], "topic_posts": d["buffer"]["topic_posts"],
                   "wave_posts": d["buffer"]["wave_posts"], "buffer_ratio": d["buffer"]["ratio"], "terms": sep.join(d["buffer"]["terms"])},
        "wave": [{"content_id": p["content_id"], "title": p["title"], "author": p["author"] or p["author_id"],
                  "stage": ((p["stage_name_en"] if en else p["stage_name"]) or "") + ((" (core)" if en else "（核心）") if p["core"] else ""),
                  "reach": p["reach"], "answered": answered(p)} for p in d["wave"]["posts"]],
        "growth": [g for g in d["growth"] if g["posts"]],
        "facts": [{"fact": " ".join(x for x in (f["model"], code_label(f["attribute"], lang), f["value_en" if en else "value_zh"]) if x)
                   + f" ({f['source']})" * bool(f["source"])} for f in d["facts"]],
        "surface": [{**p, "reason": p["reason_en" if en else "reason_zh"]} for p in d["surface"]],
        "timeline": [{**r, "day": r["day"] + _partial_words(r, en), "day_first_alarm_at": r["first_alarm_at"],
                      "p_value": _p(r["p_value"]), "alarm": yes if r["alarm"] else no} for r in d["timeline"]],
    }


@handled
def crisis(aspect: Annotated[Optional[str], typer.Option("--aspect", help="Aspect to examine, in Chinese or English (default: the most recent alarm, then the strongest).")] = None,
           hours: Annotated[Optional[int], typer.Option("--hours", callback=checked(check_positive, "hours"), help="Length of the recent window in hours (default kb.crisis_window_hours).")] = None,
           days: Annotated[int, typer.Option("--days", callback=checked(check_positive, "days"), help="Days of timeline to show.")] = 14,
           as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """The breakwater: negative-wave test per aspect, the wave's posts to answer first, the buffer, posts to pin, the timeline."""
    from reef.i18n import aspect_code, code_label

    r = read(reads.crisis, db, config, aspect=aspect_code(aspect), hours=hours, days=days, as_of=as_of, lang=lang)
    data, language = r.data, r.lang
    zh = language == "zh"
    L = {k: v[0 if zh else 1] for k, v in _CRISIS_LABELS.items()}

    def table(title: str, rows: list[dict], cols: list[str]) -> None:
        rows_table(title, rows, cols, lang=language, labels=_CRISIS_LABELS)

    def render(d: dict) -> None:
        v = crisis_display(d, language)
        name = code_label(d["aspect"], language) if d["aspect"] else ("尚未检验任何方面" if zh else "no aspect tested")
        window = (f"近 {d['window_hours']} 小时（{d['window']['start']} 至 {d['window']['end']}）" if zh
                  else f"last {plural(d['window_hours'], 'hour')} ({d['window']['start']} to {d['window']['end']})")
        table(("负面声量检验：" if zh else "Negative-wave test: ") + window, v["aspects"],
              ["aspect", "observed", "baseline", "ratio", "p_value", "new_authors", "alarm", "first_alarm_at", "last_alarm_at", "shared"])
        from reef.cli._common import out
        from reef.kb.room import untested_words
        from reef.web.messages import tr

        if d.get("untested"):  # why the table above is empty: the baseline's first days, or no negative post at all
            out.print(untested_words(d["untested"], language))
        past = d.get("past_wave")
        if past:  # an old wave is named as past, never listed as today's
            out.print(tr("crisis.past_wave", language, aspect=code_label(past["aspect"], language), first=past["first_alarm_at"],
                     last=past["last_alarm_at"], days=past["days_ago"], recent=d["recent_days"]))
        head = ((f"声浪：{name}，自 {d['wave_start']} 起（先回应的在前）" if zh else f"The wave: {name} since {d['wave_start']} (answer first at the top)")
                if d.get("current_wave") else tr("crisis.calm_title", language, hours=d["window_hours"], aspect=name))
        if d.get("current_wave"):  # the wave's size: the page's and the report's sentence
            w = d["wave"]
            out.print(tr("crisis.wave_summary", language, start=d["wave_start"], first=d["first_alarm_at"] or "—", n=w["total"],
                         authors=w["authors"], unanswered=w["unanswered"], core=w["core_authors"]))
        table(head, v["wave"], ["content_id", "title", "author", "stage", "reach", "answered"])
        if d["wave"].get("ladder_behind"):
            out.print(tr("crisis.ladder_behind", language, at=d["wave"]["ladder_as_of"][:16].replace("T", " ")))
        table("近 48 小时每小时负面帖" if zh else "Negative posts per hour, last 48 hours", v["growth"], ["hour", "posts"])
        if not d.get("current_wave"):  # no wave: no buffer of a wave, no facts to correct it with (the page's sentence)
            out.print(tr("crisis.no_wave", language))
        else:
            kv_table(("缓冲：" if zh else "Buffer: ") + name, [(L[k], val) for k, val in v["buffer"].items()], lang=language)
            if v["facts"]:
                table("可引用的官方资料" if zh else "Official facts to cite", v["facts"], ["fact"])
            else:
                out.print(tr("crisis.no_facts", language))
        table("建议置顶的事实帖" if zh else "Posts to pin", v["surface"], ["content_id", "title", "author", "reason"])
        table("时间线（自然日；未结束的一天按所注的过去若干小时计）" if zh else "Timeline (calendar days; the day not over counts the stated last hours)",
              v["timeline"], ["day", "observed", "baseline", "ratio", "p_value", "new_author_share", "reach", "specifics_replies", "alarm",
                              "day_first_alarm_at", "wave_first_alarm_at"])

    emit_noted(data, as_json, render, r.note)


@handled
def guide(kind: Annotated[str, typer.Option("--kind", help="newbie (the newcomer's guide) or chronicle (the model-year and OTA chronicle).")] = "newbie",
          out: Annotated[Path, typer.Option("--out", help="Folder to write <kind>.md / <kind>.html into.")] = Path("guides"),
          fmt: Annotated[str, typer.Option("--format", help="md, html or all (both).")] = "all",
          as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Compile a guide from the reef: the newcomer's guide (best answers by ownership stage and aspect, authors credited,
    PII masked) or the model-year / OTA chronicle, as Markdown and self-contained HTML."""
    r = read(reads.guide, db, config, kind=kind, out=out, fmt=fmt, as_of=as_of, lang=lang)
    language = r.lang
    emit_noted(r.data, as_json,
               lambda rs: rows_table("指南" if language == "zh" else "Guide", [{**g, "kind": word(f"guide.{g['kind']}", language, g["kind"])} for g in rs],
                                    ["kind", "path", "bytes"], lang=language),
               r.note)


for _fn in (qa, essence, repeated, topics, gaps):
    kb_app.command(_fn.__name__)(_fn)


def register(app: typer.Typer) -> None:
    """Add ``kb`` (group), ``ask``, ``crisis`` and ``guide`` to the ``reef`` app."""
    app.add_typer(kb_app, name="kb")
    app.command("ask")(ask)
    app.command("crisis")(crisis)
    app.command("guide")(guide)
