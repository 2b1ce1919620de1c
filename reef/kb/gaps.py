"""The topic map (aspect x car model x ownership stage) and the gaps: the to-do list for content calls.

``kb_topics``: per aspect, car model (the asker's) and ownership stage, the questions asked, the
share answered and accepted, the newest answer and its age in days (freshness; ``stale`` after
``[kb] stale_days``) and ``mark``, what the topic map flags: ``stale`` or, for a topic with no answer at all (not
stale: kb_gaps 8), ``topic_unanswered`` (话题无人回答, as the gaps call it). ``kb_gaps``: repeated questions (``kb_clusters``) asked at least
``[kb] gap_min_asked`` times that are mostly unanswered or only poorly answered, repeated questions
whose best answer a newer OTA version or model year has overtaken on their topic (``outdated``,
:mod:`reef.kb.versions`), and topics whose answers are stale, each with a priority (times asked x
unanswered share) and an operator-facing reason in Chinese and English. ``label`` is what the row is called on
the surfaces, agreeing with its figures: an ``unanswered`` question some of whose askings were answered is
``mostly_unanswered`` (多数未回答), one none of whose askings has an answer but some have replies from other
members is ``replied_unanswered`` (有回复，尚无公认答案: never 无人回答), and a topic that has no answer at all is of
kind ``unanswered`` with the label ``topic_unanswered`` (话题无人回答: kb_gaps 7; before, its kind was ``stale``, 回答陈旧,
though it has no answer to be stale); otherwise the label is the kind.

Example:
    >>> gap_reason_zh("unanswered", 7, 0.0)
    '被问了7次，回答率0%'
"""
from __future__ import annotations

from reef.kb.params import KbParams
from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["write_topics", "write_gaps", "outdated_table", "gap_reason_zh", "gap_label_sql", "topic_mark_sql"]


def gap_label_sql(store) -> str:
    """The SQL for a ``kb_gaps`` row's label: its ``label`` column, or for a table written before there was one
    (kb_gaps version 3, until the next ``reef analyze``) the same rule read from the kind and the answered share."""
    has = store.fetch_value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'kb_gaps' AND column_name = 'label'")
    if has:
        return "label"
    return ("CASE WHEN kind = 'unanswered' AND answered_share > 0 THEN 'mostly_unanswered' "
            "WHEN kind = 'stale' AND coalesce(answered_share, 0) = 0 THEN 'topic_unanswered' ELSE kind END")

def topic_mark_sql(store) -> str:
    """The SQL for a ``kb_topics`` row's ``stale`` and ``mark`` columns: stored since kb_gaps 8; for a table written
    before (until the next ``reef analyze``), where ``stale`` was true for a topic with no answer at all, the same rule
    read from the newest answer's age (none: ``topic_unanswered``, not stale)."""
    has = store.fetch_value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'kb_topics' AND column_name = 'mark'")
    if has:
        return "stale, mark"
    return ("(stale AND answer_age_days IS NOT NULL) AS stale, CASE WHEN answer_age_days IS NULL THEN 'topic_unanswered' "
            "WHEN stale THEN 'stale' END AS mark")


_REASON_ZH = {"unanswered": "被问了{n}次，回答率{r:.0%}", "poorly_answered": "被问了{n}次，但最佳回答质量偏低",
              "stale": "最近的回答已过时（{n}天前）"}


def gap_reason_zh(kind: str, n: int, rate: float) -> str:
    return _REASON_ZH[kind].format(n=n, r=rate)


def write_topics(store, as_of, config) -> int:
    """Write ``kb_topics`` from ``kb_questions``."""
    p = KbParams.from_config(config)
    store.execute("""
        CREATE OR REPLACE TABLE kb_topics AS
        -- a topic's freshness is its newest answer, whichever answer ranks best
        WITH last AS (SELECT question_id, max(created_at) AS last_answer_at FROM kb_answers GROUP BY 1),
        q AS (SELECT q.*, last.last_answer_at, unnest(CASE WHEN len(aspects) = 0 THEN ['其他'] ELSE aspects END) AS aspect
              FROM kb_questions q LEFT JOIN last USING (question_id))
        SELECT aspect, coalesce(car_model, '未知') AS car_model, stage, any_value(stage_en) AS stage_en,
               count(*) AS questions, count(DISTINCT cluster_id) AS distinct_questions,
               avg(answered::INT) AS answered_share, avg(best_accepted::INT) AS accepted_share,
               sum(answers) AS answers, max(last_answer_at) AS newest_answer_at, max(created_at) AS newest_question_at,
               date_diff('day', max(last_answer_at), $ts) AS answer_age_days,
               -- a topic with no answer at all has no stale answer: it is unanswered (mark topic_unanswered, as the gaps say)
               coalesce(date_diff('day', max(last_answer_at), $ts) > $stale, false) AS stale,
               CASE WHEN max(last_answer_at) IS NULL THEN 'topic_unanswered'
                    WHEN date_diff('day', max(last_answer_at), $ts) > $stale THEN 'stale' END AS mark
        FROM q GROUP BY 1, 2, 3 ORDER BY questions DESC""", {"ts": as_of, "stale": p.stale_days})
    return int(store.fetch_value("SELECT count(*) FROM kb_topics"))


def outdated_table(store, as_of, config):
    """Repeated questions whose answers a newer OTA version or model year has overtaken: read on the cluster's
    newest answer (to any of its askings) and the versions any of its answers names, so a question answered again
    after the version arrived is not outdated. One row per question and kind (``ota``, ``model_year``), with
    ``best_at`` (when the best answer was written) and ``answered_at`` (the newest answer)."""
    from reef.kb.versions import arrivals, outdated_answers

    p = KbParams.from_config(config)
    answers = store.fetch_arrow("""
        WITH a AS (SELECT q.cluster_id, a.created_at, a.body FROM kb_answers a JOIN kb_questions q USING (question_id)
                   WHERE a.created_at IS NOT NULL),
        n AS (SELECT cluster_id, max(created_at) AS answered_at, string_agg(body, chr(10)) AS body FROM a GROUP BY 1)
        SELECT k.cluster_id AS key, b.created_at AS best_at, n.answered_at, k.aspects, n.body
        FROM kb_clusters k JOIN kb_answers b ON b.answer_id = k.best_answer_id JOIN n USING (cluster_id)
        WHERE b.created_at IS NOT NULL""").to_pandas()
    out = outdated_answers(answers, arrivals(store, as_of, min_authors=p.version_min_authors, config=config))
    return out.merge(answers[["key", "best_at"]], on="key", how="left")


def write_gaps(store, as_of, config) -> int:
    """Write ``kb_gaps`` from ``kb_clusters``, ``kb_topics`` and outdated best answers."""
    p = KbParams.from_config(config)
    outdated = outdated_table(store, as_of, config)
    for col in ("answered_at", "newer_at", "best_at"):
        outdated[col] = pd.to_datetime(outdated[col], utc=True)
    with store.registered("_kb_outdated", outdated.astype({"key": "int64"})):
        _write_gaps(store, as_of, p)
    return int(store.fetch_value("SELECT count(*) FROM kb_gaps"))


def _write_gaps(store, as_of, p: KbParams) -> None:
    from reef.i18n import code_label

    aspects = [a for (a,) in store.fetch_all("SELECT DISTINCT aspect FROM kb_topics")]
    store.execute("""
        CREATE OR REPLACE TABLE kb_gaps AS
        WITH c AS (SELECT *, answered / times_asked AS answered_share FROM kb_clusters WHERE times_asked >= $min_asked),
        -- one row per question: the OTA and the model-year reasons in one sentence, OTA first
        od AS (SELECT key, newer_at, answered_at, best_at, CASE kind WHEN 'ota' THEN 0 ELSE 1 END AS ord,
                      -- no version known when the answer was written (none had arrived on the topic, the answers name none): say so
                      format('{}，此后出现了{}（{}起）',
                             coalesce('当时该话题最新为' || CASE kind WHEN 'ota' THEN 'OTA ' || answer_version ELSE answer_version || '款' END,
                                      CASE kind WHEN 'ota' THEN '当时该话题还没有人讨论过任何OTA版本' ELSE '当时该话题还没有人讨论过任何年款' END),
                             CASE kind WHEN 'ota' THEN 'OTA ' || newer ELSE newer || '款' END, strftime(newer_at, '%Y-%m-%d')) AS part_zh,
                      format('{}, {} has been discussed on this topic since {}',
                             coalesce('newest then: ' || CASE kind WHEN 'ota' THEN 'OTA ' || answer_version ELSE 'model year ' || answer_version END,
                                      CASE kind WHEN 'ota' THEN 'no OTA version had been discussed on this topic then'
                                           ELSE 'no model year had been discussed on this topic then' END),
                             CASE kind WHEN 'ota' THEN 'OTA ' || newer ELSE 'model year ' || newer END, strftime(newer_at, '%Y-%m-%d')) AS part_en
               FROM _kb_outdated),
        oa AS (SELECT key, max(newer_at) AS newer_at, max(answered_at) AS answered_at, max(best_at) AS best_at,
                      string_agg(part_zh, '；' ORDER BY ord) AS parts_zh, string_agg(part_en, '; ' ORDER BY ord) AS parts_en
               FROM od GROUP BY key),
        o AS (SELECT oa.*, k.canonical_id, k.canonical_title, k.aspects, k.stage, k.times_asked, k.answered / k.times_asked AS answered_share,
                     k.best_score, k.last_asked,
                     -- the newest answer to any asking is the one read; name it when it is not the best
                     strftime(coalesce(best_at, answered_at), '%Y-%m-%d') AS best_day,
                     CASE WHEN strftime(answered_at, '%Y-%m-%d') > strftime(coalesce(best_at, answered_at), '%Y-%m-%d')
                          THEN strftime(answered_at, '%Y-%m-%d') END AS newest_day
              FROM oa JOIN kb_clusters k ON k.cluster_id = oa.key),
        g AS (
            -- replies that the text layer does not read as answers are not "nobody answered" (docs/kb.md)
            SELECT 'unanswered' AS kind, CASE WHEN answered_share > 0 THEN 'mostly_unanswered'
                                              WHEN coalesce(replied, 0) > 0 THEN 'replied_unanswered' ELSE 'unanswered' END AS label,
                   cluster_id, canonical_id, canonical_title AS title, aspects, stage, times_asked,
                   answered_share, best_score, last_asked AS last_at, times_asked * (1 - answered_share) AS priority, NULL AS detail_zh, NULL AS detail_en,
                   NULL AS title_en  -- a question's title is the member's own words, in any language
            FROM c WHERE answered_share < 0.5
            UNION ALL
            SELECT 'poorly_answered', 'poorly_answered', cluster_id, canonical_id, canonical_title, aspects, stage, times_asked,
                   answered_share, best_score, last_asked, times_asked * 0.5, NULL, NULL, NULL
            FROM c WHERE answered_share >= 0.5 AND coalesce(best_score, 0) < $poor
            UNION ALL
            SELECT 'outdated', 'outdated', key, canonical_id, canonical_title, aspects, stage, times_asked, answered_share, best_score, newer_at,
                   times_asked * 0.5,
                   '最佳回答写于' || best_day || coalesce('，最新回答写于' || newest_day, '') || '：' || parts_zh,
                   'best answer written ' || best_day || coalesce(', newest answer ' || newest_day, '') || ': ' || parts_en,
                   NULL
            FROM o
            UNION ALL
            -- a topic with no answer at all has no stale answer: it is unanswered (label topic_unanswered), as its reason says
            SELECT CASE WHEN answer_age_days IS NULL THEN 'unanswered' ELSE 'stale' END,
                   CASE WHEN answer_age_days IS NULL THEN 'topic_unanswered' ELSE 'stale' END,
                   NULL, NULL, aspect || ' · ' || car_model || ' · ' || stage, [aspect], stage, questions,
                   answered_share, NULL, newest_question_at, questions * 0.25,
                   CASE WHEN answer_age_days IS NULL THEN '该话题还没有任何回答' END,
                   CASE WHEN answer_age_days IS NULL THEN 'no answer on this topic yet' END,
                   -- the topic's name for English readers
                   coalesce(map_extract(MAP($ak, $av), aspect)[1], aspect) || ' · '
                   || CASE car_model WHEN '未知' THEN 'unknown model' ELSE car_model END || ' · ' || stage_en
            FROM kb_topics WHERE questions >= $min_asked AND mark IS NOT NULL)  -- the newest answer is old, or there is none
        SELECT row_number() OVER (ORDER BY priority DESC, kind, title) AS rank, * EXCLUDE (detail_zh, detail_en, title_en),
               coalesce(title_en, title) AS title_en,
               CASE WHEN label = 'replied_unanswered' THEN format('被问了{}次，有回复，尚无公认答案（回答率0%）', times_asked)
                    WHEN label = 'topic_unanswered' THEN detail_zh
                    ELSE
               CASE kind WHEN 'unanswered' THEN format('被问了{}次，回答率{}%', times_asked, round(100 * answered_share)::INT)
                         WHEN 'poorly_answered' THEN format('被问了{}次，但最佳回答质量偏低', times_asked)
                         WHEN 'outdated' THEN detail_zh
                         ELSE coalesce(detail_zh, '该话题最近的回答已过时') END END AS reason_zh,
               CASE WHEN label = 'replied_unanswered' THEN format('asked {} times, replied to but no recognised answer yet (0% answered)', times_asked)
                    WHEN label = 'topic_unanswered' THEN detail_en ELSE
               CASE kind WHEN 'unanswered' THEN format('asked {} times, {}% answered', times_asked, round(100 * answered_share)::INT)
                         WHEN 'poorly_answered' THEN format('asked {} times, best answer is weak', times_asked)
                         WHEN 'outdated' THEN detail_en
                         ELSE coalesce(detail_en, 'newest answer on this topic is stale') END END AS reason_en
        FROM g ORDER BY rank""",
                  {"min_asked": p.gap_min_asked, "poor": p.poor_answer_score, "ak": aspects or [""],
                   "av": [code_label(a, "en") for a in aspects] or [""]})
