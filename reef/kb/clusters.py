"""Repeated questions: near-duplicates and paraphrases clustered into canonical questions.

Two questions are *similar* when the cosine of their TF-IDF vectors (words and character bigrams,
fillers like 求助/谢谢 dropped) reaches ``[kb] cluster_similarity``, or when their MinHash signatures
from ``content_features`` agree on a whole LSH band of 16 values (copy-paste, Jaccard ~0.95+).
With ``[kb] cluster_density`` 0 (the default) clusters are the connected components of that graph,
which chain: A~B~C is one cluster even when A and C are dissimilar. Above 0 they are its Leiden
partition under the Constant Potts Model with that resolution (fixed seed): however a cluster is
split in two, at least that share of the pairs across the split are similar, so at 0.5 a chain is
split. 0.5 cost adjusted Rand on the simulator and is not the default (docs/kb.md).
The canonical question is the member closest to the cluster's centroid; the cluster's best answer
is the highest-scored best answer of its members, with the answerer credited.

Writes ``kb_clusters`` (one row per cluster) and the column ``cluster_id`` of ``kb_questions``.

Example:
    >>> cluster_labels(["冬天续航掉多少？", "冬季续航掉多少呢", "怎么装家用充电桩"], threshold=0.5).tolist()
    [0, 0, 1]
"""
from __future__ import annotations

import numpy as np

from reef.errors import MissingDependencyError
from reef.kb.index import tfidf_vectors
from reef.kb.params import KbParams
from reef.lazy import lazy_module

sparse = lazy_module("scipy.sparse")

__all__ = ["cluster_labels", "questions", "write_clusters"]


def _pairs_cosine(x: sparse.csr_matrix, threshold: float, block: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (i < j) with cosine >= threshold, blockwise so memory stays bounded."""
    rows, cols = [], []
    xt = x.T.tocsc()
    for start in range(0, x.shape[0], block):
        sims = (x[start:start + block] @ xt).tocoo()
        keep = (sims.data >= threshold) & (sims.row + start < sims.col)
        rows.append(sims.row[keep] + start); cols.append(sims.col[keep])
    return (np.concatenate(rows), np.concatenate(cols)) if rows else (np.array([], int), np.array([], int))


def _pairs_minhash(sigs: list, bands: int = 16, every_pair: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Pairs that share at least one whole band of their MinHash signatures (a star per band, or every pair)."""
    rows, cols = [], []
    buckets: dict = {}
    for i, sig in enumerate(sigs):
        if sig is None or len(sig) == 0:
            continue
        width = len(sig) // bands
        for b in range(bands):
            buckets.setdefault((b, tuple(sig[b * width:(b + 1) * width])), []).append(i)
    for members in buckets.values():
        if 1 < len(members) <= 500:  # a huge bucket is a boilerplate signature, not a duplicate
            # the density rule must see copies as similar to each other; components need only a star
            k = len(members)
            i, j = np.triu_indices(k, k=1) if every_pair else (np.zeros(k - 1, int), np.arange(1, k))
            rows.append(np.asarray(members)[i]); cols.append(np.asarray(members)[j])
    return (np.concatenate(rows), np.concatenate(cols)) if rows else (np.array([], int), np.array([], int))


def _cpm_leiden(n: int, upper: sparse.coo_matrix, density: float, seed: int) -> np.ndarray:
    """Leiden on the Constant Potts Model (unweighted), igraph's compiled version with its generator seeded."""
    try:
        import igraph as ig
    except ImportError:
        raise MissingDependencyError("igraph", "kb") from None
    import random

    graph = ig.Graph(n=n, edges=np.column_stack([upper.row, upper.col]).tolist(), directed=False)
    ig.set_random_number_generator(random.Random(seed))
    try:  # until no node moves (-1): the partition then no longer depends on an iteration count
        part = graph.community_leiden(objective_function="CPM", resolution=density, n_iterations=-1)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(part.membership)


def cluster_labels(texts: list[str], *, threshold: float = 0.5, density: float = 0.0, minhashes: list | None = None,
                   seed: int = 7) -> np.ndarray:
    """Cluster label per text (0..k-1, in order of first appearance); ``density`` 0 = connected components."""
    n = len(texts)
    if n == 0:
        return np.array([], int)
    x = tfidf_vectors(texts)
    r, c = _pairs_cosine(x, threshold)
    if minhashes is not None:
        r2, c2 = _pairs_minhash(minhashes, bands=4, every_pair=density > 0)
        r, c = np.concatenate([r, r2]), np.concatenate([c, c2])
    # one unweighted edge per similar pair (a pair found by both tests, or in several bands, counts once)
    upper = sparse.coo_matrix((np.ones(len(r)), (np.minimum(r, c), np.maximum(r, c))), shape=(n, n)).tocsr().tocoo()
    if density <= 0 or upper.nnz == 0:
        from scipy.sparse.csgraph import connected_components

        _, labels = connected_components(upper, directed=False)
    else:
        labels = _cpm_leiden(n, upper, density, seed)
    _, first = np.unique(labels, return_index=True)
    remap = {lab: k for k, lab in enumerate(labels[np.sort(first)])}
    return np.array([remap[lab] for lab in labels])


def questions(store) -> list[dict]:
    """``kb_questions`` in clustering order: id, text (title, else body) and MinHash signature."""
    return store.fetch_arrow("""SELECT q.question_id, coalesce(nullif(q.title, ''), q.text_simplified) AS text, f.minhash
                                FROM kb_questions q LEFT JOIN content_features f ON f.content_id = q.question_id
                                ORDER BY q.created_at, q.question_id""").to_pylist()


def write_clusters(store, as_of, config) -> int:
    """Cluster ``kb_questions`` and write ``kb_clusters``; return the number of clusters."""
    p = KbParams.from_config(config)
    q = questions(store)
    labels = cluster_labels([r["text"] or "" for r in q], threshold=p.cluster_similarity, density=p.cluster_density,
                            minhashes=[r["minhash"] for r in q])
    x = tfidf_vectors([r["text"] or "" for r in q]) if q else None
    canon = {}
    for lab in np.unique(labels):
        idx = np.flatnonzero(labels == lab)
        centroid = np.asarray(x[idx].mean(axis=0)).ravel()
        canon[int(lab)] = q[idx[int(np.argmax(x[idx] @ centroid))]]["question_id"]
    # One Arrow insert (row-by-row executemany is slow, and refuses an empty community).
    import pyarrow as pa

    labelled = pa.table({
        "question_id": pa.array([r["question_id"] for r in q], pa.string()),
        "cluster_id": pa.array([int(lab) for lab in labels], pa.int32()),
        "canonical_id": pa.array([canon[int(lab)] for lab in labels], pa.string()),
    })
    with store.registered("_kb_labels_arrow", labelled):
        store.execute("CREATE OR REPLACE TEMP TABLE _kb_labels AS SELECT * FROM _kb_labels_arrow")
    store.execute("""CREATE OR REPLACE TABLE kb_questions AS
                     SELECT q.* EXCLUDE (cluster_id), l.cluster_id FROM (SELECT *, NULL::INTEGER AS cluster_id FROM kb_questions) q
                     LEFT JOIN _kb_labels l USING (question_id)""")
    store.execute("""
        CREATE OR REPLACE TABLE kb_clusters AS
        WITH b AS (SELECT cluster_id, arg_max(best_answer_id, best_score) AS best_answer_id,
                          arg_max(best_answerer_id, best_score) AS best_answerer_id, max(best_score) AS best_score
                   FROM kb_questions WHERE answered GROUP BY 1),
        asp AS (SELECT cluster_id, list(DISTINCT a ORDER BY a) AS aspects
                FROM (SELECT cluster_id, unnest(aspects) AS a FROM kb_questions) GROUP BY 1),
        canon AS (SELECT DISTINCT l.cluster_id, l.canonical_id, coalesce(nullif(q.title, ''), q.text_simplified) AS canonical_title
                  FROM _kb_labels l JOIN kb_questions q ON q.question_id = l.canonical_id),
        agg AS (SELECT cluster_id, count(*) AS times_asked, count(DISTINCT asker_id) AS askers,
                       count(*) FILTER (WHERE answered) AS answered, count(*) FILTER (WHERE best_accepted) AS accepted,
                       count(*) FILTER (WHERE replies > 0) AS replied,
                       min(created_at) AS first_asked, max(created_at) AS last_asked
                FROM kb_questions GROUP BY 1),
        -- the stage most of its askers are at; a tie goes to the later name, not to whichever thread counted first
        st AS (SELECT cluster_id, arg_max(stage, (n, stage)) AS stage
               FROM (SELECT cluster_id, stage, count(*) AS n FROM kb_questions WHERE stage IS NOT NULL GROUP BY 1, 2) GROUP BY 1)
        SELECT agg.cluster_id, canon.canonical_id, canon.canonical_title, agg.* EXCLUDE (cluster_id), st.stage,
               coalesce(asp.aspects, []) AS aspects, b.best_answer_id, b.best_answerer_id, b.best_score
        FROM agg JOIN canon USING (cluster_id) LEFT JOIN st USING (cluster_id) LEFT JOIN asp USING (cluster_id)
        LEFT JOIN b USING (cluster_id)
        ORDER BY times_asked DESC, cluster_id""")
    return int(store.fetch_value("SELECT count(*) FROM kb_clusters"))
