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

from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, handled, kv_table, read, resolve_lang, rows_table
from reef.cli._coverage import emit_noted
from reef.reads import kb as reads

__all__ = ["register", "kb_app"]

kb_app = typer.Typer(no_args_is_help=True, help="The knowledge reef: Q&A, essence, repeated questions, topic map, gaps.")
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Read the community as of this date or datetime (default: end of the data).")]
TopOpt = Annotated[int, typer.Option("--top", min=1, help="Show at most this many rows.")]
# The topic map's stage is the car's ownership stage (the dashboard's 用车阶段), not a member's ladder stage.
_OWNERSHIP_STAGE = {"stage": ("用车阶段", "ownership stage")}


def _lang(lang: Optional[str], db: Path, config: Optional[Path]) -> str:
    """--lang, else general.language of the store's configuration (fr and the like are an error)."""
    from reef.config import load_config

    return resolve_lang(lang, load_config(config, store_path=db))


@handled
def qa(top: TopOpt = 20, unanswered: Annotated[bool, typer.Option("--unanswered", help="Only questions without an answer.")] = False,
       aspect: Annotated[Optional[str], typer.Option("--aspect", help="Only questions on this aspect (e.g. 续航与充电).")] = None,
       as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Questions with their best answer and the answerer credited, newest first."""
    language = _lang(lang, db, config)  # checked before the work, so --json meets a bad --lang too
    r = read(reads.qa, db, config, top=top, unanswered=unanswered, aspect=aspect, as_of=as_of, lang=lang)
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
def repeated(top: TopOpt = 20, min_asked: Annotated[int, typer.Option("--min-asked", min=1, help="Only questions asked at least this often.")] = 2,
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
    emit_noted(r.data, as_json, lambda rs: rows_table("知识地图" if language == "zh" else "Topic map", rs,
                                                    ["aspect", "car_model", "stage", "questions", "answered_share", "answer_age_days", "stale"],
                                                    lang=language, labels=_OWNERSHIP_STAGE), note)


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
def ask(query: Annotated[str, typer.Argument(help="The question, e.g. 冬天续航掉多少")],
        top: Annotated[Optional[int], typer.Option("--top", min=1, help="Results (default kb.search_top).")] = None,
        answered: Annotated[bool, typer.Option("--answered", help="Only questions that have an answer.")] = False,
        as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None,
        as_json: JsonOpt = False) -> None:
    """Search the reef for newcomers: best answers with their authors (BM25F on Chinese tokens + synonyms, fused with LSA)."""
    language = _lang(lang, db, config)
    r = read(reads.ask, db, config, query, top=top, answered=answered, as_of=as_of, lang=lang)
    note = r.note
    emit_noted(r.data, as_json, lambda rs: rows_table(query, rs, ["rank", "question", "times_asked", "answer", "answerer", "accepted"],
                                                    lang=language), note)


@handled
def crisis(aspect: Annotated[Optional[str], typer.Option("--aspect", help="Aspect to examine (default: the most significant).")] = None,
           hours: Annotated[int, typer.Option("--hours", min=1, help="Length of the recent window in hours.")] = 24,
           days: Annotated[int, typer.Option("--days", min=1, help="Days of timeline to show.")] = 14,
           as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """The breakwater: negative-wave test per aspect, the reef's buffer, posts to surface, a day-by-day timeline."""
    r = read(reads.crisis, db, config, aspect=aspect, hours=hours, days=days, as_of=as_of, lang=lang)
    data, language = r.data, r.lang
    zh = language == "zh"

    def render(d: dict) -> None:
        rows_table("负面声量检验" if zh else "Negative-wave test", d["aspects"],
                   ["aspect", "observed", "baseline", "tested", "expected", "p_value", "new_authors", "alarm"], lang=language)
        kv_table(("防波堤：" if zh else "Buffer: ") + (d["aspect"] or ("无方面数据" if zh else "no aspect in the data")), d["buffer"])
        rows_table("值得置顶的事实帖" if zh else "Posts to surface", d["surface"], ["content_id", "title", "author", "credibility"],
                   lang=language)
        rows_table("时间线" if zh else "Timeline", d["timeline"],
                   ["day", "observed", "baseline", "tested", "expected", "p_value", "new_author_share", "reach", "buffer",
                    "specifics_replies", "alarm", "first_alarm_at"], lang=language)

    emit_noted(data, as_json, render, r.note)


@handled
def guide(kind: Annotated[str, typer.Option("--kind", help="newbie (新手百科) or chronicle (年款与OTA编年史).")] = "newbie",
          out: Annotated[Path, typer.Option("--out", help="Folder to write <kind>.md / <kind>.html into.")] = Path("guides"),
          fmt: Annotated[str, typer.Option("--format", help="md, html or all (both).")] = "all",
          as_of: AsOfOpt = None, lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Compile a guide from the reef: the 新手百科 (best answers by ownership stage and aspect, authors credited,
    PII masked) or the model-year / OTA chronicle, as Markdown and self-contained HTML."""
    r = read(reads.guide, db, config, kind=kind, out=out, fmt=fmt, as_of=as_of, lang=lang)
    language = r.lang
    emit_noted(r.data, as_json,
               lambda rs: rows_table("指南" if language == "zh" else "Guide", rs, ["kind", "path", "bytes"], lang=language),
               r.note)


for _fn in (qa, essence, repeated, topics, gaps):
    kb_app.command(_fn.__name__)(_fn)


def register(app: typer.Typer) -> None:
    """Add ``kb`` (group), ``ask``, ``crisis`` and ``guide`` to the ``reef`` app."""
    app.add_typer(kb_app, name="kb")
    app.command("ask")(ask)
    app.command("crisis")(crisis)
    app.command("guide")(guide)
