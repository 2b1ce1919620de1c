"""Search for newcomers: ``reef ask "冬天续航掉多少"`` returns canonical questions with their best
answers and the members who wrote them.

One document per repeated-question cluster (so a question asked 40 times shows once): its members'
titles, a body, and the best answers' text; the hybrid index (:mod:`reef.kb.hybrid`: BM25F on
rjieba tokens + synonym concepts, fused with LSA trained on the community's own threads) ranks
them. The index is built on first use and cached per store until ``kb_qa`` reruns.

Example:
    >>> docs = [{"title": "零下的时候续航衰减厉害吗", "body": ""}, {"title": "怎么装家充桩", "body": ""}]
    >>> search_docs(docs, "冬天续航掉多少", k=1)[0][0]
    0
"""
from __future__ import annotations

from reef.kb.hybrid import HybridIndex, SearchParams, doc_fields, query_tokens
from reef.kb.index import clean_text, tokenize

__all__ = ["ask", "search_docs", "build_index", "community_threads", "write_semantic"]

_CACHE: dict = {}


def search_docs(docs: list[dict], query: str, k: int = 10, params: SearchParams | None = None) -> list[tuple[int, float]]:
    """Rank ``docs`` (dicts with title/body/answer) for ``query``: (index, score) best first."""
    p = params or SearchParams()
    fields = [doc_fields(d.get("title"), d.get("body"), d.get("answer")) for d in docs]
    return HybridIndex(p).fit(fields).search(query_tokens(query, title_weight=p.search_query_title_weight), k=k)


def community_threads(store, params: SearchParams, as_of=None, *, exclude=frozenset()) -> list[list[str]]:
    """Token lists of whole threads (root post and every reply/answer) as of ``as_of`` (default: the
    last ``kb_qa`` run), a seeded sample of at most ``semantic_max_docs``: what the community-trained
    LSA model learns from, each thread's posts in the order they were written. Threads whose root id is in ``exclude``
    are left out (held-out evaluation)."""
    if as_of is None:
        as_of = store.fetch_value("SELECT arg_max(as_of, finished_at) FROM analysis_runs WHERE name = 'kb_qa' AND status = 'ok'")
    rows = store.fetch_all("""
        WITH t AS (SELECT coalesce(thread_id, content_id) AS thread, coalesce(title, '') || ' ' || coalesce(body, '') AS text,
                          created_at, content_id
                   FROM content_at($ts) WHERE kind NOT IN ('poll_vote', 'event')),
        pick AS (SELECT DISTINCT thread FROM t WHERE NOT list_contains($ex, thread) ORDER BY hash(thread::VARCHAR || $seed) LIMIT $n)
        -- the thread's posts in the order they were written: in the stored order, the same posts gave another model
        -- whenever the table's rows lay otherwise (a store whose later rows were deleted, a re-import)
        SELECT string_agg(left(text, 2000), ' ' ORDER BY created_at, content_id) FROM t JOIN pick USING (thread)
        GROUP BY thread ORDER BY thread""",
                           {"seed": str(params.semantic_seed), "n": params.semantic_max_docs, "ts": as_of, "ex": sorted(exclude) or [""]})
    return [tokenize(clean_text(r[0])) for r in rows if r[0]]


def write_semantic(store, as_of, config) -> int:
    """Fit the community LSA model (``[kb] semantic_model = "community"``) and store it in
    ``kb_semantic`` (one row: the ``.npz`` bytes); return the threads it learned from."""
    from reef.kb.semantic import train_lsa

    p = SearchParams.from_config(config)
    docs = community_threads(store, p, as_of) if p.semantic_model == "community" and p.semantic_weight > 0 else []
    model = train_lsa(docs, p)
    store.execute("CREATE OR REPLACE TABLE kb_semantic (model BLOB, threads INTEGER, dims INTEGER, terms INTEGER, as_of TIMESTAMPTZ)")
    if model is not None:
        store.execute("INSERT INTO kb_semantic VALUES ($m, $n, $d, $t, $ts)",
                      {"m": model.to_bytes(), "n": len(docs), "d": int(model.components_.shape[0]), "t": len(model.vocab_), "ts": as_of})
    return len(docs)


def build_index(store, config=None) -> tuple[HybridIndex, list[dict]]:
    """(index, rows) over the repeated-question clusters of ``kb_clusters``. Every aggregate has a fixed order (titles
    and answers sorted, the body of the cluster's first question), so the index does not depend on how the store's
    rows happen to lie (it did: a store holding later posts gave other scores as of the same moment)."""
    from pathlib import Path

    from reef.kb.semantic import LsaEncoder

    p = SearchParams.from_config(config if config is not None else store.config)
    rows = store.fetch_dicts("""
        WITH best AS (SELECT q.cluster_id, q.question_id, q.created_at, q.title, q.body, left(a.body, 300) AS answer
                      FROM kb_questions q LEFT JOIN kb_answers a ON a.answer_id = q.best_answer_id)
        SELECT k.cluster_id, k.canonical_id, k.canonical_title, k.times_asked, k.answered, k.best_answer_id,
               k.best_answerer_id, m.name AS best_answerer_name, a.body AS best_answer, a.accepts > 0 AS accepted,
               list(DISTINCT b.title ORDER BY b.title) FILTER (WHERE b.title IS NOT NULL) AS title_list,
               arg_min(b.body, (b.created_at, b.question_id)) AS body,
               string_agg(DISTINCT b.answer, ' ' ORDER BY b.answer) AS answers
        FROM kb_clusters k LEFT JOIN kb_answers a ON a.answer_id = k.best_answer_id
        LEFT JOIN members m ON m.member_id = k.best_answerer_id JOIN best b USING (cluster_id)
        GROUP BY ALL ORDER BY k.cluster_id""")
    docs = [doc_fields(" ".join(r["title_list"] or []), r["body"], r["answers"]) for r in rows]
    encoder, semantic_docs = None, None
    if p.semantic_weight > 0 and p.semantic_model not in ("community", "none"):
        encoder = LsaEncoder.load(Path(p.semantic_model).expanduser())
    elif p.semantic_model == "community" and p.semantic_weight > 0:
        # The kb_search analysis stores the model; without it (not run yet) train one now.
        blob = store.fetch_value("SELECT model FROM kb_semantic LIMIT 1") if store.table_exists("kb_semantic") else None
        if blob is not None:
            encoder = LsaEncoder.from_bytes(bytes(blob))
        else:
            semantic_docs = community_threads(store, p)
    if p.semantic_model == "none":
        from dataclasses import replace

        p = replace(p, semantic_weight=0.0)
    return HybridIndex(p).fit(docs, semantic_docs=semantic_docs, encoder=encoder), rows


def _index(store):
    # Keyed by the store's path, not the handle: the server gives each request its own cursor.
    key = (store.path if store.path != ":memory:" else id(store.con),
           store.fetch_value("SELECT max(finished_at)::VARCHAR FROM analysis_runs WHERE name IN ('kb_qa', 'kb_search') AND status = 'ok'"))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = build_index(store)
    return _CACHE[key]


def _closest_title(row: dict, query: list[str]) -> str:
    """The cluster member's title sharing most words with the query (the canonical one on ties): a
    cluster may hold several phrasings, show the one the newcomer will recognise."""
    words = set(query)
    titles = [row["canonical_title"]] + [t for t in (row["title_list"] or []) if t != row["canonical_title"]]
    return max(titles, key=lambda t: len(words & set(tokenize(t))) if t else -1) or row["canonical_title"]


def ask(store, query: str, *, top: int = 10, answered_only: bool = False) -> list[dict]:
    """Best answers for ``query`` (needs the ``kb_qa`` analysis): question, answer (PII masked), author."""
    from reef.text import mask_pii

    idx, rows = _index(store)
    q = query_tokens(query, title_weight=idx.params.search_query_title_weight)
    hits = idx.search(q, k=top)
    if answered_only:  # widen until enough answered questions are found or the hits run out
        k = top
        while len(hits) == k and sum(1 for i, _ in hits if rows[i]["best_answer_id"]) < top:
            k *= 4
            hits = idx.search(q, k=k)
    out = []
    for i, score in hits:
        r = rows[i]
        if answered_only and not r["best_answer_id"]:
            continue
        out.append({"rank": len(out) + 1, "score": round(score, 3), "question_id": r["canonical_id"],
                    "question": mask_pii(_closest_title(r, q["semantic"]) or "") or None,
                    "times_asked": r["times_asked"], "answer_id": r["best_answer_id"],
                    "answer": mask_pii(r["best_answer"]) if r["best_answer"] else None,
                    "answerer_id": r["best_answerer_id"],
                    "answerer": mask_pii(r["best_answerer_name"]) if r["best_answerer_name"] else None,  # names hold phones too
                    "accepted": bool(r["accepted"])})
        if len(out) == top:
            break
    return out
