"""The knowledge-reef reads: ``reef kb qa|essence|repeated|topics|gaps``, ``reef ask``, ``reef crisis`` and
``reef guide`` (and ``Community.kb_qa`` ... ``Community.guide``), each with its kb analyses up to date at ``as_of``."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reef.reads import Read, check_counts, prepare

__all__ = ["qa", "essence", "repeated", "topics", "gaps", "ask", "crisis", "guide"]


def qa(store, *, top: int = 20, unanswered: bool = False, aspect: str | None = None, as_of: Any = None,
       lang: str | None = None) -> Read:
    """Questions with their best answer, newest first (:func:`reef.kb.views.qa_list`)."""
    from reef.kb.views import qa_list

    moment, code, note = prepare(store, as_of, ["kb_qa"], lang, subject="kb", counts={"top": top})
    return Read(qa_list(store, top=top, unanswered=unanswered, aspect=aspect), note, moment, code)


def essence(store, *, top: int = 20, as_of: Any = None, lang: str | None = None) -> Read:
    """Posts of lasting reference value, scored and explained (:func:`reef.kb.views.essence_list`)."""
    from reef.kb.views import essence_list

    moment, code, note = prepare(store, as_of, ["kb_essence"], lang, subject="kb", counts={"top": top})
    return Read(essence_list(store, top=top, lang=code), note, moment, code)


def repeated(store, *, top: int = 20, min_asked: int = 2, as_of: Any = None, lang: str | None = None) -> Read:
    """Repeated questions with the best answer (:func:`reef.kb.views.repeated_list`)."""
    from reef.kb.views import repeated_list

    moment, code, note = prepare(store, as_of, ["kb_qa"], lang, subject="kb", counts={"min_asked": min_asked, "top": top})
    return Read(repeated_list(store, top=top, min_asked=min_asked), note, moment, code)


def topics(store, *, top: int = 30, as_of: Any = None, lang: str | None = None) -> Read:
    """The topic map: aspect x car model x ownership stage (:func:`reef.kb.views.topics_list`)."""
    from reef.kb.views import topics_list

    moment, code, note = prepare(store, as_of, ["kb_gaps"], lang, subject="kb", counts={"top": top})
    return Read(topics_list(store, top=top, lang=code), note, moment, code)


def gaps(store, *, top: int = 20, as_of: Any = None, lang: str | None = None) -> Read:
    """Questions asked often but unanswered, outdated answers, stale topics (:func:`reef.kb.views.gaps_list`)."""
    from reef.kb.views import gaps_list

    moment, code, note = prepare(store, as_of, ["kb_gaps"], lang, subject="kb", counts={"top": top})
    return Read(gaps_list(store, top=top, lang=code), note, moment, code)


def ask(store, query: str, *, top: int | None = None, answered: bool = False, as_of: Any = None,
        lang: str | None = None) -> Read:
    """Search the reef: best answers with their authors (:func:`reef.kb.search.ask`; ``top`` default kb.search_top)."""
    from reef.kb.search import ask as ask_reef

    check_counts({"top": top})  # before the query's check, as before prepare's
    if not (query or "").strip():  # a blank query finds nothing by construction: say so rather than print no rows
        from reef.errors import InvalidParameterError
        from reef.errors_zh import invalid_value_zh

        # the example in the language of the words around it: English in English, Chinese in Chinese
        error = InvalidParameterError("query", query, "a non-blank question such as 'how much range is lost in winter'")
        error.message_zh = invalid_value_zh("query", query, "a non-blank question such as 冬天续航掉多少")
        raise error
    moment, code, note = prepare(store, as_of, ["kb_qa", "kb_search"], lang, subject="kb")
    rows = ask_reef(store, query, top=top or int(store.config.get("kb.search_top")), answered_only=answered)
    return Read(rows, note, moment, code)


def crisis(store, *, aspect: str | None = None, hours: int | None = None, days: int = 14, as_of: Any = None,
           lang: str | None = None) -> Read:
    """The breakwater: negative-wave test per aspect, the wave's posts to answer first, the buffer, posts to pin, the
    timeline (:func:`reef.kb.room.crisis_report`; ``hours`` default ``kb.crisis_window_hours``)."""
    from reef.kb.room import crisis_report

    moment, code, note = prepare(store, as_of, ["kb_crisis", "kb_qa", "kb_essence"], lang, subject="kb",
                                 counts={"hours": hours, "days": days})
    # posts' titles and authors masked, as every other kb list is in the CLI and the API
    return Read(crisis_report(store, moment, store.config, aspect=aspect, hours=hours, days=days, masked=True), note, moment, code)


def guide(store, *, kind: str = "newbie", out: str | Path = "guides", fmt: str = "all", as_of: Any = None,
          lang: str | None = None) -> Read:
    """Write the 新手百科 or the model-year / OTA chronicle (:func:`reef.kb.guide.write_guide`); the files written."""
    from reef.kb.guide import write_guide

    moment, code, note = prepare(store, as_of, ["kb_qa", "kb_essence"], lang, subject="kb")
    paths = write_guide(store, moment, store.config, kind, Path(out), fmt=fmt, lang=code)
    return Read([{"kind": kind, "path": str(p), "bytes": p.stat().st_size} for p in paths], note, moment, code)
