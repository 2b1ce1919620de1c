"""Benchmark the knowledge reef at scale: index N posts, search latency, clustering and gaps.

    .venv/bin/python benchmarks/bench_kb.py --posts 1000000 [--work /tmp/bench-kb] [--queries 1000] [--workers 2]

1. Community: the simulator (``members = posts / 10`` over 60 days gives about ``posts`` content items),
   imported once into ``--work``. Text features come from the simulator's ground truth
   (``truth_content``: intents, aspects, sentiment) instead of the text model, which has its own
   benchmark (benchmarks/bench_enrich.py); not timed.
2. Index: every post (title and body, code/LaTeX/links stripped) tokenised in ``--workers``
   processes, BM25F built over all of them, the LSA model trained on a seeded sample of
   ``[kb] semantic_max_docs`` threads, every post encoded. Target: under 5 minutes on 2 cores.
3. Search: ``--queries`` question titles of the community against that index (hybrid: BM25 +
   LSA); p50 / p95 / p99 per query. Target: p95 under 100 ms.
4. Clustering and gaps: the kb analyses' library calls on the whole store (questions and best
   answers, repeated-question clusters, topic map and gaps with outdated answers, essence, the
   community LSA model, the crisis timeline). Target: clustering and gaps under 10 minutes.

Every step reports wall time, CPU time (this process plus its workers) and peak RSS. The machine
is shared: CPU time is the steadier figure.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Timer:
    """Wall and CPU seconds (self + finished children) of a block, and peak RSS after it."""

    def __init__(self, label: str, results: dict):
        self.label, self.results = label, results

    def __enter__(self):
        self.w, self.c = time.perf_counter(), self._cpu()
        return self

    @staticmethod
    def _cpu() -> float:
        s, ch = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + ch.ru_utime + ch.ru_stime

    def __exit__(self, *exc):
        rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        self.results[self.label] = {"wall_s": time.perf_counter() - self.w, "cpu_s": self._cpu() - self.c, "peak_rss_mb": rss / 1024}
        r = self.results[self.label]
        print(f"  {self.label:<38} wall {r['wall_s']:8.1f} s   cpu {r['cpu_s']:8.1f} s   peak RSS {r['peak_rss_mb']:7.0f} MB", flush=True)


def community(work: Path, posts: int):
    """The simulated store (built once), with content_features from the simulator's truth."""
    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    path = work / f"kb-{posts}.duckdb"
    fresh = not path.exists()
    store = open_store(path)
    if fresh:
        print(f"simulating about {posts:,} posts ...", flush=True)
        simulate_to_store(store, SimulationSpec(members=max(posts // 10, 200), days=60, seed=7, end_date="2026-06-30"))
    if not store.fetch_value("SELECT count(*) FROM content_features"):
        store.execute("""
            INSERT INTO content_features (content_id, sentiment, sentiment_score, aspects, aspect_names, intents, toxicity, claims, pii,
                                          text_simplified)
            SELECT c.content_id, t.sentiment, t.sentiment * 0.5,
                   list_transform(coalesce(t.aspects, []), lambda a: {'aspect': a, 'sentiment': t.sentiment::TINYINT, 'score': 1.0::FLOAT, 'source': 'truth'}),
                   coalesce(t.aspects, []), coalesce(t.intents, []), 0.0, [], [], coalesce(c.title, '') || ' ' || coalesce(c.body, '')
            FROM content c LEFT JOIN truth_content t USING (content_id)""")
    return store


def _tokenize_chunk(rows):
    from reef.kb.hybrid import doc_fields

    return [doc_fields(t, b) for t, b in rows]


def bench_index(store, workers: int, results: dict):
    from reef.config import load_config
    from reef.kb.hybrid import HybridIndex, SearchParams
    from reef.kb.search import community_threads
    from reef.kb.semantic import LsaEncoder

    p = SearchParams.from_config(load_config())
    rows = store.fetch_all("SELECT title, body FROM content WHERE kind NOT IN ('poll_vote', 'event') ORDER BY content_id")
    as_of = store.fetch_value("SELECT max(created_at) FROM content")
    print(f"index over {len(rows):,} posts", flush=True)
    with Timer("index: tokenise all posts", results):
        chunks = [rows[i:i + 20000] for i in range(0, len(rows), 20000)]
        if workers > 1:
            with get_context("spawn").Pool(workers) as pool:
                docs = [d for part in pool.imap(_tokenize_chunk, chunks) for d in part]
        else:
            docs = [d for c in chunks for d in _tokenize_chunk(c)]
    del rows
    with Timer("index: LSA on sampled threads", results):
        enc = LsaEncoder(p.semantic_dims, p.semantic_min_df, max_docs=p.semantic_max_docs, seed=p.semantic_seed).fit(
            community_threads(store, p, as_of))
    with Timer("index: BM25F + encode every post", results):
        index = HybridIndex(p).fit(docs, encoder=enc)
    total = {k: sum(results[f"index: {s}"][k] for s in ("tokenise all posts", "LSA on sampled threads", "BM25F + encode every post"))
             for k in ("wall_s", "cpu_s")}
    results["index: total"] = {**total, "peak_rss_mb": results["index: BM25F + encode every post"]["peak_rss_mb"]}
    print(f"  {'index: total':<38} wall {total['wall_s']:8.1f} s   cpu {total['cpu_s']:8.1f} s", flush=True)
    return index, len(docs)


def bench_search(store, index, queries: int, results: dict) -> None:
    from reef.kb.hybrid import query_tokens

    titles = [r[0] for r in store.fetch_all("""SELECT title FROM content WHERE kind = 'thread' AND title IS NOT NULL
                                                ORDER BY hash(content_id) LIMIT $n""", {"n": queries})]
    lat, cpu = [], []
    for t in titles:
        t0, c0 = time.perf_counter(), time.process_time()
        index.search(query_tokens(t, title_weight=index.params.search_query_title_weight), k=10)
        lat.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    q, qc = np.percentile(lat, [50, 95, 99]), np.percentile(cpu, [50, 95, 99])
    mode = "full LSA scan" if index.vectors_ is None or len(index.vectors_) <= index.params.semantic_full_scan_max else \
        f"LSA re-ranks the top {index.params.semantic_rerank_candidates} BM25 candidates"
    results["search"] = {"queries": len(lat), "p50_ms": q[0], "p95_ms": q[1], "p99_ms": q[2], "cpu_p50_ms": qc[0], "cpu_p95_ms": qc[1],
                         "mode": mode}
    print(f"  search ({len(lat)} queries, {mode}): wall p50 {q[0]:.1f} / p95 {q[1]:.1f} / p99 {q[2]:.1f} ms; "
          f"CPU p50 {qc[0]:.1f} / p95 {qc[1]:.1f} ms", flush=True)


def bench_analyses(store, results: dict) -> None:
    from reef.kb.clusters import write_clusters
    from reef.kb.crisis import write_crisis_daily
    from reef.kb.essence import write_essence
    from reef.kb.gaps import write_gaps, write_topics
    from reef.kb.qa import write_qa
    from reef.kb.search import build_index, write_semantic

    as_of = store.fetch_value("SELECT max(created_at) FROM content")
    cfg = store.config
    with Timer("kb_qa: questions + best answers", results):
        n = write_qa(store, as_of, cfg)
    with Timer(f"kb_qa: cluster {n:,} questions", results):
        k = write_clusters(store, as_of, cfg)
    with Timer(f"kb_gaps: topic map + gaps ({k:,} clusters)", results):
        write_topics(store, as_of, cfg)
        write_gaps(store, as_of, cfg)
    with Timer("kb_essence", results):
        write_essence(store, as_of, cfg)
    with Timer("kb_search: community LSA model", results):
        write_semantic(store, as_of, cfg)
    with Timer("reef ask: index over clusters", results):
        build_index(store)
    with Timer("kb_crisis: hourly wave tests", results):
        write_crisis_daily(store, as_of, cfg)
    keys = [k for k in results if k.startswith(("kb_qa", "kb_gaps"))]
    results["clustering and gaps: total"] = {**{m: sum(results[k][m] for k in keys) for m in ("wall_s", "cpu_s")},
                                             "peak_rss_mb": max(results[k]["peak_rss_mb"] for k in keys)}
    r = results["clustering and gaps: total"]
    print(f"  {'clustering and gaps: total':<38} wall {r['wall_s']:8.1f} s   cpu {r['cpu_s']:8.1f} s", flush=True)


def run(posts: int, work: str | Path, *, queries: int = 1000, workers: int = 2, skip_index: bool = False) -> dict:
    """Every measurement above as a dict (label -> wall_s / cpu_s / peak_rss_mb, and ``search``)."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    store = community(work, posts)
    results["store"] = {"content": store.fetch_value("SELECT count(*) FROM content"), "members": store.fetch_value("SELECT count(*) FROM members"),
                        "load_before": os.getloadavg()[0]}
    print(f"store: {results['store']['content']:,} content items, {results['store']['members']:,} members "
          f"(machine shared, load average {results['store']['load_before']:.1f}; CPU time is the steadier figure)", flush=True)
    if not skip_index:
        index, n = bench_index(store, workers, results)
        results["store"]["indexed_posts"] = n
        bench_search(store, index, queries, results)
        del index
    bench_analyses(store, results)
    results["store"]["load_after"] = os.getloadavg()[0]
    store.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--work", default="/tmp/bench-kb")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-index", action="store_true", help="only the analyses")
    a = ap.parse_args()
    run(a.posts, a.work, queries=a.queries, workers=a.workers, skip_index=a.skip_index)


if __name__ == "__main__":
    main()
