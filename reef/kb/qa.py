"""Questions, their answers and the best answer per question, with the answerer credited.

A question is a thread whose text asks (intent ``question``, unless its only question cues are an opinion prompt
such as 大家怎么看？ closing an experience share or a roll call such as 有人吗: :mod:`reef.kb.asking`) or a Stack
Exchange question, asked by a member (not a staff or brand account); ``replies`` counts every reply (kind ``reply`` or ``answer``) to it by someone
else, answer or not. Its answers are ``answer`` items under it, or forum replies (回帖, kind ``reply``) that answer
(intent ``answer``), by someone other than the asker. A comment (kind ``comment``) is neither: on Stack Exchange it
asks for details below the question (the answers are their own kind), in the simulator it is a short remark, and
the help ledger (互助榜) and the ladder credit no comment as an answer either. Every answer gets the logit of the best-answer model
(:mod:`reef.kb.answer_rank`: votes, thanks, the answerer's expertise on the question's tags and
aspects, length and evidence, arrival) plus ``[kb] w_accept`` when the asker accepted it; the best
is the highest. ``use_accept=False`` ranks without the accept flag (to check the ranking against
what askers chose).

Writes ``kb_questions`` (one row per question) and ``kb_answers`` (one row per answer with rank).

Example:
    >>> from reef.store import open_store
    >>> from reef.kb.qa import write_qa
    >>> s = open_store(":memory:")
    >>> from datetime import datetime, timezone
    >>> write_qa(s, datetime(2026, 1, 1, tzinfo=timezone.utc), None) if s.fetch_value(
    ...     "SELECT count(*) FROM information_schema.tables WHERE table_name = 'content_features'") else 0
    0
"""
from __future__ import annotations

from reef.kb.params import DAILY, STAGES, KbParams
from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["write_qa", "load_qa", "load_answers", "ownership_stage"]

_QA_SQL = """
WITH c AS (SELECT * FROM content_at($ts)),
f AS (SELECT content_id, intents, aspect_names, sentiment, toxicity, len(claims) AS n_claims, text_simplified, minhash
      FROM content_features),
q AS (SELECT c.content_id AS question_id, c.author_id AS asker_id, c.created_at, c.title, c.body, c.group_id,
             f.aspect_names AS aspects, coalesce(c.tags, []) AS tags, f.text_simplified, m.car_model,
             coalesce(c.attrs->>'se_post_type' IN ('1', 'Question'), false) AS _by_type
      FROM c JOIN f USING (content_id) LEFT JOIN members_at($ts) m ON m.member_id = c.author_id
      WHERE c.kind = 'thread' AND (list_contains(f.intents, 'question') OR c.attrs->>'se_post_type' IN ('1', 'Question'))
        -- a staff or brand account's question is an FAQ prompt, not a community question left open (docs/kb.md)
        AND coalesce(m.account_type, 'member') NOT IN ('brand', 'staff')),
-- replies by anyone but the asker, answer or not: what the help ledger (互助榜) credits as an answer act; a comment
-- is no reply here, as it is no answer there (on Stack Exchange it asks for details below the question)
rp AS (SELECT c.parent_id AS question_id, count(*) AS replies FROM c JOIN q ON c.parent_id = q.question_id
       WHERE c.kind IN ('reply', 'answer') AND c.author_id IS DISTINCT FROM q.asker_id GROUP BY 1)
SELECT q.*, coalesce(rp.replies, 0) AS replies FROM q LEFT JOIN rp USING (question_id)"""

_ANS_SQL = """
WITH c AS (SELECT * FROM content_at($ts)), i AS (SELECT * FROM interactions_at($ts)),
q AS (SELECT question_id, asker_id FROM kb_questions),
a AS (SELECT c.content_id AS answer_id, q.question_id, c.author_id AS answerer_id, c.created_at, c.body, c.body_html,
             f.intents, f.sentiment, f.toxicity, len(f.claims) AS n_claims, f.aspect_names
      FROM c JOIN q ON c.parent_id = q.question_id JOIN content_features f USING (content_id)
      -- an answer item, or a forum reply (回帖) that answers; a comment never is, whatever its intent (docs/kb.md)
      WHERE (c.kind = 'answer' OR (c.kind = 'reply' AND list_contains(f.intents, 'answer')))
        AND c.author_id IS DISTINCT FROM q.asker_id),
-- an accept is the asker's word (a Stack Exchange accept is imported with the question's owner as its actor)
sig AS (SELECT i.target_content_id AS answer_id,
               count(*) FILTER (WHERE i.kind = 'accept' AND i.actor_id IS NOT DISTINCT FROM x.asker_id) AS accepts,
               count(*) FILTER (WHERE i.kind IN ('like', 'bookmark')) + coalesce(sum(i.value) FILTER (WHERE i.kind = 'vote'), 0) AS votes
        FROM i JOIN (SELECT a.answer_id, q.asker_id FROM a JOIN q USING (question_id)) x ON x.answer_id = i.target_content_id
        GROUP BY 1),
-- thanks under an answer, except the answerer's own
th AS (SELECT c.parent_id AS answer_id, count(*) AS thanks FROM c JOIN a ON a.answer_id = c.parent_id JOIN content_features f
       ON f.content_id = c.content_id
       WHERE c.author_id IS DISTINCT FROM a.answerer_id AND list_contains(f.intents, 'thanks') GROUP BY 1),
-- the asker's own thanks under the question credit the answer that came just before it
ath AS (SELECT (SELECT a2.answer_id FROM a a2 WHERE a2.question_id = q.question_id AND a2.created_at <= c.created_at
                ORDER BY a2.created_at DESC LIMIT 1) AS answer_id, count(*) AS thanks
        FROM c JOIN q ON c.parent_id = q.question_id AND c.author_id = q.asker_id JOIN content_features f USING (content_id)
        WHERE list_contains(f.intents, 'thanks') GROUP BY 1)
SELECT a.*, coalesce(sig.accepts, 0) AS accepts, coalesce(sig.votes, 0) AS votes,
       coalesce(th.thanks, 0) + coalesce(ath.thanks, 0) AS thanks
FROM a LEFT JOIN sig USING (answer_id) LEFT JOIN th USING (answer_id) LEFT JOIN ath USING (answer_id)"""


def _load_model(path: str):
    """The best-answer model file named by ``kb.best_answer_model``; a file that is missing or not a model is a
    ConfigError naming the key."""
    from reef.errors import ConfigError, Location
    from reef.kb.answer_rank import BestAnswerModel

    try:
        return BestAnswerModel.load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"Cannot read the best-answer model {path!r}: {exc}.", where=Location(field="kb.best_answer_model"),
                          hint='Give the path of a file from scripts/train_kb_best_answer.py, or "builtin".') from exc


def ownership_stage(text: str | None) -> tuple[str, str]:
    """(zh, en) ownership stage of a question from cue words; daily use when none matches."""
    t = (text or "").lower()
    for zh, en, cues in STAGES:
        if any(c in t for c in cues):
            return zh, en
    return DAILY


def _score(ans: pd.DataFrame, questions: pd.DataFrame, p: KbParams, use_accept: bool) -> pd.DataFrame:
    from reef.kb.answer_rank import FEATURES, BestAnswerModel, answer_features

    if ans.empty:
        return ans.assign(score=[], rank=[], **{f: [] for f in FEATURES})
    model = BestAnswerModel.builtin() if p.best_answer_model == "builtin" else _load_model(p.best_answer_model)
    asked = dict(zip(questions["question_id"], questions["created_at"]))
    topics = {q: list(a if a is not None else []) + list(t if t is not None else [])
              for q, a, t in zip(questions["question_id"], questions["aspects"], questions["tags"])}
    feats = answer_features(ans, asked, topics)
    ans = pd.concat([ans.reset_index(drop=True), feats], axis=1)
    ans["score"] = model.decision_function(feats) + ((p.w_accept * (ans["accepts"] > 0)) if use_accept else 0.0)
    ans["rank"] = ans.sort_values(["score", "created_at"], ascending=[False, True]).groupby("question_id").cumcount().reindex(ans.index) + 1
    return ans


def load_answers(store, as_of) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(questions, answers with accepts, votes and thanks) as of ``as_of``, not yet scored."""
    import numpy as np

    from reef.kb.asking import asks

    questions = store.fetch_arrow(_QA_SQL, {"ts": as_of}).to_pandas()
    # an opinion prompt or a roll call is no question an answer settles (reef/kb/asking.py); a Stack Exchange
    # question is one by its post type
    keep = [bool(t) or asks(x) for t, x in zip(questions["_by_type"], questions["text_simplified"])]
    questions = questions.loc[np.asarray(keep, dtype=bool)].drop(columns=["_by_type"]).reset_index(drop=True)
    with store.registered("kb_questions_df", questions[["question_id", "asker_id"]]):
        ans = store.fetch_arrow(_ANS_SQL.replace("FROM kb_questions", "FROM kb_questions_df"), {"ts": as_of}).to_pandas()
    return questions, ans


def load_qa(store, as_of, config, *, use_accept: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(questions, scored answers) as of ``as_of`` without writing the answer table."""
    questions, ans = load_answers(store, as_of)
    return questions, _score(ans, questions, KbParams.from_config(config), use_accept)


def write_qa(store, as_of, config) -> int:
    """Write ``kb_questions`` and ``kb_answers``; return the number of questions."""
    p = KbParams.from_config(config)
    questions, ans = load_qa(store, as_of, config)
    stages = [ownership_stage(f"{t or ''} {b or ''}") for t, b in zip(questions["title"], questions["body"])]
    questions["stage"] = [s[0] for s in stages]
    questions["stage_en"] = [s[1] for s in stages]
    best = ans[ans["rank"] == 1].set_index("question_id") if not ans.empty else pd.DataFrame()
    n_ans = ans.groupby("question_id").size() if not ans.empty else pd.Series(dtype=int)
    questions["answers"] = questions["question_id"].map(n_ans).fillna(0).astype(int)
    for col, src in (("best_answer_id", "answer_id"), ("best_answerer_id", "answerer_id"), ("best_score", "score"),
                     ("best_accepted", "accepts"), ("best_at", "created_at")):
        questions[col] = questions["question_id"].map(best[src]) if not best.empty else None
    questions["best_accepted"] = questions["best_accepted"].fillna(0).astype(float) > 0
    questions["answered"] = questions["answers"] > 0
    questions["poorly_answered"] = questions["answered"] & (questions["best_score"].astype(float) < p.poor_answer_score)
    q_out = questions.drop(columns=["minhash"], errors="ignore")
    with store.registered("kb_q_df", q_out):
        store.execute("CREATE OR REPLACE TABLE kb_questions AS SELECT * FROM kb_q_df")
    a_out = ans.drop(columns=["intents", "aspect_names", "body_html"], errors="ignore")
    with store.registered("kb_a_df", a_out):
        store.execute("CREATE OR REPLACE TABLE kb_answers AS SELECT * FROM kb_a_df")
    return len(questions)
