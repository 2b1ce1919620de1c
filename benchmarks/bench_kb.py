"""Benchmark the knowledge reef at scale: index N posts, search latency, clustering and gaps.

    .venv/bin/python benchmarks/bench_kb.py --posts 1000000 [--work /tmp/bench-kb] [--queries 1000] [--workers 2]
        [--steps index,analyses,crisis-room] [--runs 3]

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
5. Crisis room (危机室): the live report :func:`reef.kb.room.crisis_report` at two moments, inside
   the simulator's planted PR wave (a day after ``truth_scenarios`` ``pr_crisis`` starts, when the
   detector has alarmed) and at the end of the data, each after ``kb_crisis`` ran at that moment
   (as ``reef analyze`` would leave the store).
   Timed: the report (what ``reef crisis`` prints after its analyses are up to date); the page
   ``GET /crisis`` through the FastAPI TestClient as a viewer, read cache emptied each run (its
   one library call :func:`reef.kb.surfaces.crisis_page` is the report plus the coverage note and
   the timeline's paging; the report's section calls the same); and
   :func:`reef.kb.crisis_alerts.crisis_alerts`, which 今日 and ``reef alerts`` call instead of the
   report (it reads ``crisis_daily``). Each the median of ``--runs`` calls. Needs ``kb_questions``
   and ``kb_essence`` (the posts to pin read them): written first, untimed, when missing. The
   cheap way to time it alone on an existing store: ``--steps crisis-room``.

Every step reports wall time, CPU time (this process plus its workers) and peak RSS (the process's
high-water mark so far, earlier steps included). The machine is shared: CPU time is the steadier figure.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from multiprocessing import get_context
from pathlib import Path
from statistics import median

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

    @staticmethod
    def rss_mb() -> float:
        return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024

    def __exit__(self, *exc):
        self.results[self.label] = {"wall_s": time.perf_counter() - self.w, "cpu_s": self._cpu() - self.c, "peak_rss_mb": self.rss_mb()}
        show(self.label, self.results[self.label])


def show(label: str, r: dict) -> None:
    print(f"  {label:<38} wall {r['wall_s']:8.1f} s   cpu {r['cpu_s']:8.1f} s   peak RSS {r['peak_rss_mb']:7.0f} MB", flush=True)


def timed_runs(label: str, fn, runs: int, results: dict):
    """Median wall and CPU seconds of ``runs`` calls of ``fn`` (every run's CPU kept), peak RSS after them; fn's last answer."""
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), Timer._cpu()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(Timer._cpu() - c)
    results[label] = {"wall_s": median(walls), "cpu_s": median(cpus), "peak_rss_mb": Timer.rss_mb(), "runs": runs,
                      "cpu_each_s": [round(c, 2) for c in cpus]}
    show(label + f" (median of {runs})", results[label])
    return out


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


def wave_moment(store):
    """A day into the simulator's planted PR wave (``truth_scenarios``): the detector has alarmed by then, so the room
    is as PR opens it in a crisis. None for a store without one."""
    if not store.table_exists("truth_scenarios"):
        return None
    return store.fetch_value("""SELECT least(started_at + INTERVAL 1 DAY, ended_at) FROM truth_scenarios
                                WHERE scenario = 'pr_crisis'""")


def bench_crisis_room(store, runs: int, results: dict) -> None:
    """Step 5: the crisis room's report, page and alerts at the wave's moment and the end of the data."""
    import dataclasses

    from fastapi.testclient import TestClient

    from reef.actions import add_user
    from reef.analyses import discover, run_analyses
    from reef.kb.crisis_alerts import crisis_alerts
    from reef.kb.room import crisis_report
    from reef.server import create_app

    cfg = store.config
    if not (store.table_exists("kb_questions") and store.table_exists("kb_essence")):  # the pins' credibility reads them
        from reef.kb.essence import write_essence
        from reef.kb.qa import write_qa

        print("  (writing kb_questions and kb_essence first, untimed)", flush=True)
        end = store.fetch_value("SELECT max(created_at) FROM content")
        write_qa(store, end, cfg)
        write_essence(store, end, cfg)
    # kb_crisis alone through the runner (recorded, as the page reads it); the text features are already there.
    registry = {"kb_crisis": dataclasses.replace(discover()["kb_crisis"], depends_on=())}
    add_user(store, "bench-viewer", "viewer", password="bench-viewer-密码", replace=True)
    app = create_app(store.path, store=store)
    moments = [("in the wave", wave_moment(store)), ("end of data", store.fetch_value("SELECT max(created_at) FROM content"))]
    with TestClient(app) as client:
        assert client.post("/api/v1/login", json={"username": "bench-viewer", "password": "bench-viewer-密码"}).status_code == 200

        def page():
            app.state.read_cache.bump()  # every run computes the page, as the first visit after an analysis does
            r = client.get("/crisis")
            assert r.status_code == 200, r.status_code

        for name, moment in moments:
            if moment is None:
                print(f"  crisis room {name}: no planted wave in this store", flush=True)
                continue
            print(f"crisis room {name} (as of {moment})", flush=True)
            with Timer(f"crisis: kb_crisis run ({name})", results):
                run_analyses(store, as_of=moment, only=["kb_crisis"], registry=registry, force=True)
            rep = timed_runs(f"crisis: crisis_report ({name})", lambda: crisis_report(store, moment, cfg), runs, results)
            results[f"crisis: crisis_report ({name})"].update(aspect=rep["aspect"], alarm=rep["alarm"], wave_posts=rep["wave"]["total"],
                                                               topic_terms=len(rep["buffer"]["terms"]))
            print(f"    opens on {rep['aspect']} (alarm {rep['alarm']}), {rep['wave']['total']:,} wave posts, "
                  f"{rep['buffer']['topic_posts']:,} on-topic buffer posts, terms {rep['buffer']['terms']}", flush=True)
            timed_runs(f"crisis: GET /crisis page ({name})", page, runs, results)
            alerts = timed_runs(f"crisis: crisis_alerts, 今日 + alerts ({name})", lambda: crisis_alerts(store, "zh"), runs, results)
            print(f"    {len(alerts)} crisis alert(s): {', '.join(a['subject'] for a in alerts) or 'none'}", flush=True)
    app.state.jobs.shutdown()


STEPS = ("index", "analyses", "crisis-room")


def run(posts: int, work: str | Path, *, queries: int = 1000, workers: int = 2, skip_index: bool = False,
        steps: tuple[str, ...] = STEPS, runs: int = 3) -> dict:
    """Every measurement above as a dict (label -> wall_s / cpu_s / peak_rss_mb, and ``search``); ``steps``: which of
    :data:`STEPS` (``index`` includes search)."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    store = community(work, posts)
    results["store"] = {"content": store.fetch_value("SELECT count(*) FROM content"), "members": store.fetch_value("SELECT count(*) FROM members"),
                        "load_before": os.getloadavg()[0]}
    print(f"store: {results['store']['content']:,} content items, {results['store']['members']:,} members "
          f"(machine shared, load average {results['store']['load_before']:.1f}; CPU time is the steadier figure)", flush=True)
    if "index" in steps and not skip_index:
        index, n = bench_index(store, workers, results)
        results["store"]["indexed_posts"] = n
        bench_search(store, index, queries, results)
        del index
    if "analyses" in steps:
        bench_analyses(store, results)
    if "crisis-room" in steps:
        bench_crisis_room(store, runs, results)
    results["store"]["load_after"] = os.getloadavg()[0]
    store.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--work", default="/tmp/bench-kb")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-index", action="store_true", help="leave out the index and search step")
    ap.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated, of {', '.join(STEPS)} (index includes search)")
    ap.add_argument("--runs", type=int, default=3, help="calls per crisis-room measurement (the median is reported)")
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    steps = tuple(s.strip() for s in a.steps.split(",") if s.strip())
    if set(steps) - set(STEPS):
        ap.error(f"--steps: unknown {', '.join(sorted(set(steps) - set(STEPS)))}; one of {', '.join(STEPS)}")
    r = run(a.posts, a.work, queries=a.queries, workers=a.workers, skip_index=a.skip_index, steps=steps, runs=max(1, a.runs))
    if a.json:
        Path(a.json).write_text(json.dumps(r, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
