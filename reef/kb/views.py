"""Read the knowledge-reef tables for the CLI, API and web: one function per view, plain dicts out.

Each needs its analysis to have run (``reef analyze`` or the CLI's automatic refresh).

Example:
    >>> from reef.store import open_store
    >>> callable(gaps_list)
    True
"""
from __future__ import annotations

from reef.actions.privacy import mask_rows
from reef.kb.crisis import ALL
from reef.kb.gaps import gap_label_sql
from reef.kb.params import KbParams
from reef.params import check_positive

__all__ = ["qa_list", "essence_list", "repeated_list", "topics_list", "gaps_list", "crisis_report", "surface_posts", "check_aspect"]

# Member names and titles are free text: a phone or WeChat id in either is masked in every list here, as in `reef ask`.
_NAMES_AND_TEXT = ("question", "best_answerer", "title", "author_name", "author")


def check_aspect(aspect: str | None, *, extra: tuple[str, ...] = ()) -> None:
    """An unknown aspect is an error naming the known ones (it would otherwise just find nothing): in English by their
    English names (which ``--aspect`` and ``?aspect=`` take as well), in Chinese by the stored ones.

    >>> check_aspect("xx")
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'aspect': 'xx'. Expected one of power, price, interior, ...
    """
    from reef.errors import InvalidParameterError
    from reef.errors_zh import invalid_value_zh
    from reef.i18n import code_label
    from reef.text.datasets import CCF_ASPECTS
    from reef.text.lexicon import seed_aspects

    known = tuple(dict.fromkeys((*CCF_ASPECTS, *seed_aspects(), *extra)))  # 安全性 is in both: once
    if aspect is None or aspect in known:
        return
    error = InvalidParameterError("aspect", aspect, "one of " + ", ".join(code_label(a, "en") for a in known))
    error.message_zh = invalid_value_zh("aspect", aspect, "one of " + ", ".join(known))
    raise error


def qa_list(store, *, top: int = 20, unanswered: bool = False, aspect: str | None = None) -> list[dict]:
    """Questions with their best answer and the answerer credited, newest first."""
    check_aspect(aspect)
    check_positive("top", top)
    return mask_rows(store.fetch_dicts("""
        SELECT q.question_id, coalesce(nullif(q.title, ''), left(q.body, 40)) AS question, q.created_at, q.asker_id,
               q.answers, q.best_answer_id, q.best_answerer_id, m.name AS best_answerer, round(q.best_score, 2) AS best_score,
               q.best_accepted, q.stage, q.cluster_id
        FROM kb_questions q LEFT JOIN members m ON m.member_id = q.best_answerer_id
        WHERE (NOT $un OR NOT q.answered) AND ($asp IS NULL OR list_contains(q.aspects, $asp))
        ORDER BY q.created_at DESC, q.question_id LIMIT $top""", {"un": unanswered, "asp": aspect, "top": top}), _NAMES_AND_TEXT)


def essence_list(store, *, top: int = 20, lang: str = "zh") -> list[dict]:
    """Posts of lasting value, best first, with the explanation in ``lang``."""
    check_positive("top", top)
    col = "explanation_en" if lang == "en" else "explanation_zh"
    return mask_rows(store.fetch_dicts(f"""SELECT content_id, kind, title, author_id, author_name, created_at, round(score, 2) AS score,
                                        round(viral_share, 2) AS viral_share, {col} AS explanation
                                 FROM kb_essence ORDER BY kb_essence.score DESC, content_id LIMIT $top""", {"top": top}), _NAMES_AND_TEXT)


def repeated_list(store, *, top: int = 20, min_asked: int = 2) -> list[dict]:
    """Canonical questions asked at least ``min_asked`` times, with their best answer and answerer."""
    return mask_rows(store.fetch_dicts("""
        SELECT k.cluster_id, k.canonical_title AS question, k.times_asked, k.askers, k.answered, k.accepted,
               k.best_answer_id, k.best_answerer_id, m.name AS best_answerer, k.last_asked
        FROM kb_clusters k LEFT JOIN members m ON m.member_id = k.best_answerer_id
        WHERE k.times_asked >= $min ORDER BY k.times_asked DESC, k.cluster_id LIMIT $top""", {"min": min_asked, "top": top}),
        _NAMES_AND_TEXT)


def topics_list(store, *, top: int = 30, lang: str = "zh") -> list[dict]:
    """The topic map: aspect x car model x ownership stage with volume, coverage and freshness; ``mark`` is the
    topic's flag (``stale``, ``topic_unanswered`` for a topic with no answer at all, or None), as the gaps name it."""
    from reef.i18n import code_label

    from reef.kb.gaps import topic_mark_sql

    stage = "stage_en" if lang == "en" else "stage"
    rows = store.fetch_dicts(f"""SELECT aspect, car_model, {stage} AS stage, questions, distinct_questions,
                                        round(answered_share, 2) AS answered_share, round(accepted_share, 2) AS accepted_share,
                                        answer_age_days, {topic_mark_sql(store)}
                                 FROM kb_topics ORDER BY questions DESC, aspect, car_model, kb_topics.stage LIMIT $top""", {"top": top})
    if lang == "en":  # the stored aspect and the unknown model are Chinese codes
        for r in rows:
            r["aspect"] = code_label(r["aspect"], "en")
            r["car_model"] = "unknown" if r["car_model"] == "未知" else r["car_model"]
    return rows


def gaps_list(store, *, top: int = 20, lang: str = "zh") -> list[dict]:
    """The to-do list for content calls: gaps by priority with the reason; ``label`` is the code to show for the row
    (``kind``, or ``mostly_unanswered`` / ``topic_unanswered`` where that is what the figures say)."""
    reason, title = ("reason_en", "coalesce(title_en, title)") if lang == "en" else ("reason_zh", "title")
    return mask_rows(store.fetch_dicts(f"""SELECT rank, kind, {gap_label_sql(store)} AS label, {title} AS title, times_asked,
                                        round(answered_share, 2) AS answered_share,
                                        round(priority, 1) AS priority, {reason} AS reason, canonical_id
                                 FROM kb_gaps ORDER BY rank LIMIT $top""", {"top": top}), _NAMES_AND_TEXT)


def surface_posts(store, as_of, aspect: str, *, n: int = 5, wave_texts: list[str] | tuple = ()) -> list[dict]:
    """Posts to pin on ``aspect`` (:mod:`reef.kb.pin`): factual, non-negative posts from before the last day, on the
    topic of ``wave_texts`` when given (else by credibility), at most ``kb.crisis_surface_per_author`` per author.
    Complaints, disagreements and attacks are never suggested, whatever their sentiment score."""
    import pandas as pd

    from reef.kb.pin import candidate_tokens, pin_candidates, rank_pins, wave_terms

    p = KbParams.from_config(store.config)
    cands = pin_candidates(store, as_of, aspect, before=pd.Timestamp(as_of) - pd.Timedelta(days=1),
                           since=pd.Timestamp("1970-01-01", tz="UTC"))
    tokens = candidate_tokens(cands) if wave_texts else None  # no wave: no topic, nothing to cut
    terms = wave_terms(list(wave_texts), [c["text"] for c in cands], p.crisis_topic_terms, background_tokens=tokens)
    posts = rank_pins(cands, terms, n=n, per_author=p.crisis_surface_per_author, min_terms=p.crisis_topic_min_terms,
                      tokens=tokens)["posts"]
    return mask_rows(posts, _NAMES_AND_TEXT)


def crisis_report(store, as_of, config=None, **kw) -> dict:
    """The crisis room's one reading: :func:`reef.kb.room.crisis_report`."""
    from reef.kb.room import crisis_report as report

    return report(store, as_of, config, **kw)
