"""Search for newcomers: ``reef ask "冬天续航掉多少"`` returns canonical questions with their best
answers and the members who wrote them.

BM25 over Chinese tokens (rjieba words plus character bigrams of long words), BM25F-style field
boosts (question title 2, body 1, best answer 0.5) and query/document expansion with the car-owner
synonym groups (``resources/synonyms.txt``: 冬天/冬季/零下 -> @冬季). No embedding model is used:
none that reads Chinese ships offline in a registry package here (docs/kb.md).
Results are grouped by repeated-question cluster, so one question asked 40 times shows once.

Example:
    >>> docs = [{"title": "零下的时候续航衰减厉害吗", "body": ""}, {"title": "怎么装家充桩", "body": ""}]
    >>> search_docs(docs, "冬天续航掉多少", k=1)[0][0]
    0
"""
from __future__ import annotations

from reef.kb.index import BM25Index, concepts, tokenize

__all__ = ["ask", "search_docs", "doc_tokens"]

BOOSTS = {"title": 2.0, "body": 1.0, "answer": 0.5, "concepts": 1.5}
_CACHE: dict = {}


def doc_tokens(doc: dict) -> dict[str, list[str]]:
    """Tokenised fields of one document, with the concept field from title and body."""
    out = {f: tokenize(doc.get(f)) for f in ("title", "body", "answer") if doc.get(f)}
    out["concepts"] = concepts(f"{doc.get('title') or ''} {doc.get('body') or ''}")
    return out


def query_tokens(query: str) -> list[str]:
    return tokenize(query) + concepts(query)


def search_docs(docs: list[dict], query: str, k: int = 10) -> list[tuple[int, float]]:
    """Rank ``docs`` (dicts with title/body/answer) for ``query``: (index, score) best first."""
    idx = BM25Index.build(docs, boosts=BOOSTS, tokens=[doc_tokens(d) for d in docs])
    return idx.search(query_tokens(query), k=k)


def _index(store):
    """(index, rows) over the canonical question of every cluster, cached until kb_qa reruns."""
    key = (id(store), store.fetch_value("SELECT max(finished_at)::VARCHAR FROM analysis_runs WHERE name = 'kb_qa' AND status = 'ok'"))
    if key not in _CACHE:
        rows = store.fetch_dicts("""
            WITH best AS (SELECT q.cluster_id, q.title, q.body, a.body AS answer
                          FROM kb_questions q LEFT JOIN kb_answers a ON a.answer_id = q.best_answer_id)
            SELECT k.cluster_id, k.canonical_id, k.canonical_title, k.times_asked, k.answered, k.best_answer_id,
                   k.best_answerer_id, m.name AS best_answerer_name, a.body AS best_answer, a.accepts > 0 AS accepted,
                   string_agg(DISTINCT b.title, ' ') AS titles, any_value(b.body) AS body,
                   string_agg(DISTINCT left(b.answer, 300), ' ') AS answers
            FROM kb_clusters k LEFT JOIN kb_answers a ON a.answer_id = k.best_answer_id
            LEFT JOIN members m ON m.member_id = k.best_answerer_id JOIN best b USING (cluster_id)
            GROUP BY ALL""")
        docs = [doc_tokens({"title": r["titles"], "body": r["body"], "answer": r["answers"]}) for r in rows]
        _CACHE.clear()
        _CACHE[key] = (BM25Index.build(docs, boosts=BOOSTS, tokens=docs), rows)
    return _CACHE[key]


def ask(store, query: str, *, top: int = 10, answered_only: bool = False) -> list[dict]:
    """Best answers for ``query`` (needs the ``kb_qa`` analysis): question, answer (PII masked), author."""
    from reef.text import mask_pii

    idx, rows = _index(store)
    hits = idx.search(query_tokens(query), k=top * 3 if answered_only else top)
    out = []
    for i, score in hits:
        r = rows[i]
        if answered_only and not r["best_answer_id"]:
            continue
        out.append({"rank": len(out) + 1, "score": round(score, 3), "question_id": r["canonical_id"], "question": r["canonical_title"],
                    "times_asked": r["times_asked"], "answer_id": r["best_answer_id"],
                    "answer": mask_pii(r["best_answer"]) if r["best_answer"] else None,
                    "answerer_id": r["best_answerer_id"], "answerer": r["best_answerer_name"], "accepted": bool(r["accepted"])})
        if len(out) == top:
            break
    return out
