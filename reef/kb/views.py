"""Read the knowledge-reef tables for the CLI, API and web: one function per view, plain dicts out.

Each needs its analysis to have run (``reef analyze`` or the CLI's automatic refresh).

Example:
    >>> from reef.store import open_store
    >>> callable(gaps_list)
    True
"""
from __future__ import annotations

from reef.actions.privacy import mask_rows
from reef.kb.crisis import ALL, DAY, hourly_table, load_signals
from reef.kb.gaps import gap_label_sql
from reef.kb.params import KbParams
from reef.params import check_choice, check_positive

__all__ = ["qa_list", "essence_list", "repeated_list", "topics_list", "gaps_list", "crisis_report", "surface_posts"]

# Member names and titles are free text: a phone or WeChat id in either is masked in every list here, as in `reef ask`.
_NAMES_AND_TEXT = ("question", "best_answerer", "title", "author_name", "author")


def _check_aspect(aspect: str | None, *, extra: tuple[str, ...] = ()) -> None:
    """An unknown aspect is an error naming the known ones (it would otherwise just find nothing)."""
    if aspect is None:
        return
    from reef.text.datasets import CCF_ASPECTS
    from reef.text.lexicon import seed_aspects

    check_choice("aspect", aspect, (*CCF_ASPECTS, *seed_aspects(), *extra))


def qa_list(store, *, top: int = 20, unanswered: bool = False, aspect: str | None = None) -> list[dict]:
    """Questions with their best answer and the answerer credited, newest first."""
    _check_aspect(aspect)
    check_positive("top", top)
    return mask_rows(store.fetch_dicts("""
        SELECT q.question_id, coalesce(nullif(q.title, ''), left(q.body, 40)) AS question, q.created_at, q.asker_id,
               q.answers, q.best_answer_id, q.best_answerer_id, m.name AS best_answerer, round(q.best_score, 2) AS best_score,
               q.best_accepted, q.stage, q.cluster_id
        FROM kb_questions q LEFT JOIN members m ON m.member_id = q.best_answerer_id
        WHERE (NOT $un OR NOT q.answered) AND ($asp IS NULL OR list_contains(q.aspects, $asp))
        ORDER BY q.created_at DESC LIMIT $top""", {"un": unanswered, "asp": aspect, "top": top}), _NAMES_AND_TEXT)


def essence_list(store, *, top: int = 20, lang: str = "zh") -> list[dict]:
    """Posts of lasting value, best first, with the explanation in ``lang``."""
    check_positive("top", top)
    col = "explanation_en" if lang == "en" else "explanation_zh"
    return mask_rows(store.fetch_dicts(f"""SELECT content_id, kind, title, author_id, author_name, created_at, round(score, 2) AS score,
                                        round(viral_share, 2) AS viral_share, {col} AS explanation
                                 FROM kb_essence ORDER BY score DESC LIMIT $top""", {"top": top}), _NAMES_AND_TEXT)


def repeated_list(store, *, top: int = 20, min_asked: int = 2) -> list[dict]:
    """Canonical questions asked at least ``min_asked`` times, with their best answer and answerer."""
    return mask_rows(store.fetch_dicts("""
        SELECT k.cluster_id, k.canonical_title AS question, k.times_asked, k.askers, k.answered, k.accepted,
               k.best_answer_id, k.best_answerer_id, m.name AS best_answerer, k.last_asked
        FROM kb_clusters k LEFT JOIN members m ON m.member_id = k.best_answerer_id
        WHERE k.times_asked >= $min ORDER BY k.times_asked DESC, k.cluster_id LIMIT $top""", {"min": min_asked, "top": top}),
        _NAMES_AND_TEXT)


def topics_list(store, *, top: int = 30, lang: str = "zh") -> list[dict]:
    """The topic map: aspect x car model x ownership stage with volume, coverage and freshness."""
    from reef.i18n import code_label

    stage = "stage_en" if lang == "en" else "stage"
    rows = store.fetch_dicts(f"""SELECT aspect, car_model, {stage} AS stage, questions, distinct_questions,
                                        round(answered_share, 2) AS answered_share, round(accepted_share, 2) AS accepted_share,
                                        answer_age_days, stale
                                 FROM kb_topics ORDER BY questions DESC LIMIT $top""", {"top": top})
    if lang == "en":  # the stored aspect and the unknown model are Chinese codes
        for r in rows:
            r["aspect"] = code_label(r["aspect"], "en")
            r["car_model"] = "unknown" if r["car_model"] == "未知" else r["car_model"]
    return rows


def gaps_list(store, *, top: int = 20, lang: str = "zh") -> list[dict]:
    """The to-do list for content calls: gaps by priority with the reason; ``label`` is the code to show for the row
    (``kind``, or ``mostly_unanswered`` / ``topic_unanswered`` where that is what the figures say)."""
    reason, title = ("reason_en", "coalesce(title_en, title)") if lang == "en" else ("reason_zh", "title")
    return store.fetch_dicts(f"""SELECT rank, kind, {gap_label_sql(store)} AS label, {title} AS title, times_asked,
                                        round(answered_share, 2) AS answered_share,
                                        round(priority, 1) AS priority, {reason} AS reason, canonical_id
                                 FROM kb_gaps ORDER BY rank LIMIT $top""", {"top": top})


def crisis_report(store, as_of, config, *, aspect: str | None = None, hours: int = 24, days: int = 14, surface: int = 5) -> dict:
    """Live breakwater view: every aspect's wave test on the last ``hours`` (the detector of
    :mod:`reef.kb.wave`), and for the aspect under attack (alarmed first, else the most significant,
    or ``aspect``) its buffer, the posts to surface and the day-by-day timeline."""
    import pandas as pd

    _check_aspect(aspect, extra=(ALL,))
    from reef.analyses.runner import resolve_as_of

    as_of = resolve_as_of(store, as_of)
    p = KbParams.from_config(config)
    lookback = p.crisis_baseline_days + max(p.crisis_baseline_weeks * 7, p.crisis_new_author_days) + 2
    sig = load_signals(store, as_of, config, since=as_of - pd.Timedelta(days=lookback))
    table = hourly_table(store, as_of, config, sig, window_hours=hours)
    tests = []
    if not table.empty:
        last = table[table["t"] == table["t"].max()]
        tests = [{"aspect": r["aspect"], "observed": int(r["observed"]), "baseline": round(float(r["baseline"]), 2),
                  "ratio": round(float(r["observed"]) / max(float(r["baseline"]), 1e-9), 2), "tested": int(r["tested"]),
                  "expected": round(float(r["expected"]), 2), "p_value": float(r["p_value"]), "new_authors": int(r["new_authors"]),
                  "alarm": bool(r["alarm"])} for _, r in last.iterrows()]
    tests.sort(key=lambda r: (r["aspect"] == ALL, not r["alarm"], r["p_value"]))
    target = aspect or (tests[0]["aspect"] if tests else None)
    t1 = as_of.timestamp()
    buf = sig["buffer"]
    buffer = int(((buf["aspect"] == target) & (buf["t"] < t1 - hours * 3600) & (buf["t"] >= t1 - p.crisis_buffer_days * DAY)).sum())
    wave = next((r["observed"] for r in tests if r["aspect"] == target), 0)
    posts = surface_posts(store, as_of, target, n=surface) if target else []
    timeline = store.fetch_dicts("""SELECT day, observed, round(baseline, 1) AS baseline, tested, round(expected, 1) AS expected, p_value,
                                           round(new_author_share, 2) AS new_author_share, reach, buffer, round(buffer_ratio, 1) AS buffer_ratio,
                                           specifics_replies, alarm, first_alarm_at
                                    FROM crisis_daily WHERE aspect = $asp AND day < $ts ORDER BY day DESC LIMIT $d""",
                                 {"asp": target, "d": days, "ts": as_of}) if store.table_exists("crisis_daily") else []
    return {"as_of": as_of.isoformat(), "window_hours": hours, "aspects": tests, "aspect": target,
            "buffer": {"factual_posts_before": buffer, "wave_posts": wave, "ratio": round(buffer / max(wave, 1), 1)},
            "surface": posts, "timeline": list(reversed(timeline))}


def surface_posts(store, as_of, aspect: str, *, n: int = 5) -> list[dict]:
    """Posts to surface during a wave on ``aspect``: factual, non-negative posts on the aspect from before
    the last day, by the author's credibility (best answers and accepts) and the evidence they carry
    (spec claims, numbers, bookmarks). Complaints, disagreements and attacks are never suggested, whatever their
    sentiment score."""
    return mask_rows(store.fetch_dicts("""
        WITH cred AS (SELECT best_answerer_id AS author_id, count(*) AS best_answers, count(*) FILTER (WHERE best_accepted) AS accepted
                      FROM kb_questions WHERE best_answerer_id IS NOT NULL GROUP BY 1),
        e AS (SELECT content_id, bookmarks, cites FROM kb_essence)
        SELECT c.content_id, coalesce(nullif(c.title, ''), left(c.body, 60)) AS title, c.author_id, m.name AS author, c.created_at,
               len(f.claims) AS claims, coalesce(cred.best_answers, 0) AS author_best_answers, coalesce(e.bookmarks, 0) AS bookmarks,
               ln(1 + coalesce(cred.best_answers, 0)) + 2 * ln(1 + coalesce(cred.accepted, 0)) + (len(f.claims) > 0)::INT
               + regexp_matches(c.body, '\\d')::INT * 0.5 + ln(1 + coalesce(e.bookmarks, 0) + coalesce(e.cites, 0)) AS credibility
        FROM content_at($ts) c JOIN content_features f USING (content_id) LEFT JOIN members_at($ts) m ON m.member_id = c.author_id
        LEFT JOIN cred ON cred.author_id = c.author_id LEFT JOIN e USING (content_id)
        WHERE list_contains(f.aspect_names, $asp) AND f.sentiment >= 0 AND c.created_at < $ts - INTERVAL 1 DAY
          AND (len(list_intersect(f.intents, ['experience', 'answer', 'guide'])) > 0 OR len(f.claims) > 0)
          -- a complaint or an attack read as neutral is still no post to pin during a wave
          AND len(list_intersect(f.intents, ['complaint', 'personal_attack', 'disagreement'])) = 0
        ORDER BY credibility DESC, c.created_at DESC LIMIT $n""", {"ts": as_of, "asp": aspect, "n": n}), _NAMES_AND_TEXT)
