"""Ladder speed and memory: median wall and CPU seconds of the `ladder` analysis, and peak memory.

Two sources of data:

* ``--synthetic N`` (large sizes): writes canonical Parquet of ~N events with numpy/pyarrow
  (members = N/50, content 30 %, interactions 70 %, power-law activity, every content kind the
  ladder reads), imports it with :func:`reef.ingest.import_paths`, then fills ``content_features``
  with synthetic features (intents, toxicity, a few claims, MinHash signatures on original items
  with 3 % near-duplicates) in SQL — no text model and no Python loop over events, so 50M events
  are prepared in minutes. Preparation is not timed.
* otherwise: simulates a community (``--members``/``--days``) or uses ``--db``, enriches it once.

Then times ``compute_ladder`` (and, with ``--with-helpers``, the ``network_helpers`` analysis it depends on) at the
end of the data and at ``--as-of`` 30 days earlier, each inside a transaction that is rolled back: ``--cold-runs``
first-run figures (store closed, its file evicted from the OS page cache, reopened) and ``--runs`` warm ones. CPU seconds (all threads of the process) are printed beside wall
seconds and the load average because the machine is shared (2 cores); a linear extrapolation of CPU
time to ``--extrapolate-to`` events is printed last and labelled as such.

    .venv/bin/python benchmarks/bench_ladder.py --synthetic 5000000 --runs 3 --db /tmp/lad5m.duckdb
    .venv/bin/python benchmarks/bench_ladder.py --db /tmp/lad5m.duckdb --cold-runs 3 --runs 3 --with-helpers
    .venv/bin/python benchmarks/bench_ladder.py [--members 20000] [--days 90] [--runs 3] [--db PATH]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["generate", "fill_features", "evict_file", "main"]

_T0 = np.datetime64("2025-01-01T00:00:00", "us")
_DAY = 86_400_000_000
_CONTENT_KINDS = (("thread", 15), ("photo", 5), ("video", 1), ("guide", 1), ("event", 0.3), ("answer", 10), ("reply", 67.7))
_INTER_KINDS = (("like", 60), ("vote", 10), ("checkin", 8), ("share", 5), ("bookmark", 5), ("quote", 2), ("accept", 2),
                ("reply", 8))


def _ids(prefix: str, n: int) -> pa.Array:
    return pc.binary_join_element_wise(pa.scalar(prefix), pc.cast(pa.array(np.arange(n)), pa.string()), "")


def _ts(us: np.ndarray) -> pa.Array:
    return pa.array(_T0 + us.astype("timedelta64[us]"), pa.timestamp("us", tz="Asia/Shanghai"))


def _pick(rng, table, n):
    names = [k for k, _ in table]
    w = np.array([x for _, x in table], float)
    return np.array(names)[rng.choice(len(names), size=n, p=w / w.sum())]


def generate(events: int, out: Path, seed: int = 5, days: int = 400) -> dict[str, int]:
    """Write members/content/interactions Parquet for ~``events`` events; returns row counts."""
    rng = np.random.default_rng(seed)
    n_mem = max(events // 50, 20)
    n_content = (events - n_mem) * 3 // 10
    n_inter = events - n_mem - n_content
    joined = rng.integers(0, days * _DAY, size=n_mem)
    acct = np.where(rng.random(n_mem) < 0.001, "staff", "member")
    members = pa.table({"member_id": _ids("m", n_mem), "name": _ids("车友", n_mem), "joined_at": _ts(joined),
                        "account_type": pa.array(acct)})
    # Power-law activity: a few members write most of the content (as in real communities).
    author = np.minimum((rng.pareto(1.2, size=n_content) * n_mem / 50).astype(np.int64), n_mem - 1)
    author = rng.permutation(n_mem)[author]
    kind = _pick(rng, _CONTENT_KINDS, n_content)
    created = joined[author] + (rng.random(n_content) * (days * _DAY - joined[author])).astype(np.int64)
    is_orig = np.isin(kind, ["thread", "photo", "video", "guide", "event"])
    orig_idx = np.flatnonzero(is_orig)
    parent = orig_idx[rng.integers(0, len(orig_idx), size=n_content)]
    created = np.where(is_orig, created, created[parent] + rng.integers(0, 3 * _DAY, size=n_content))
    ids = _ids("c", n_content)
    parent_ids = pc.if_else(pa.array(is_orig), pa.scalar(None, pa.string()), pc.take(ids, pa.array(parent)))
    body_len = np.where(is_orig, rng.integers(20, 600, n_content), rng.integers(2, 120, n_content))
    campaign = pc.if_else(pa.array(is_orig & (rng.random(n_content) < 0.02)), pa.scalar("camp-1"), pa.scalar(None, pa.string()))
    content = pa.table({"content_id": ids, "kind": pa.array(kind), "author_id": pc.take(members["member_id"], pa.array(author)),
                        "created_at": _ts(created), "parent_id": parent_ids, "thread_id": pc.coalesce(parent_ids, ids),
                        "campaign_id": campaign, "body_len": pa.array(body_len)})
    ikind = _pick(rng, _INTER_KINDS, n_inter)
    actor = np.minimum((rng.pareto(1.0, size=n_inter) * n_mem / 20).astype(np.int64), n_mem - 1)
    actor = rng.permutation(n_mem)[actor]
    target = rng.integers(0, n_content, n_inter)
    interactions = pa.table({"interaction_id": _ids("i", n_inter), "kind": pa.array(ikind),
                             "actor_id": pc.take(members["member_id"], pa.array(actor)),
                             "target_content_id": pc.take(ids, pa.array(target)),
                             "created_at": _ts(created[target] + rng.integers(0, 5 * _DAY, size=n_inter)),
                             "value": pc.if_else(pa.array(ikind == "vote"), 1.0, pa.scalar(None, pa.float64()))})
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(members, out / "members.parquet")
    pq.write_table(content, out / "content_raw.parquet", row_group_size=500_000)
    pq.write_table(interactions, out / "interactions.parquet", row_group_size=500_000)
    return {"members": n_mem, "content": n_content, "interactions": n_inter}


def _content_parquet(out: Path) -> Path:
    """Bodies of the drawn lengths (one DuckDB pass; Arrow has no vectorised repeat-to-length)."""
    import duckdb

    con = duckdb.connect()
    text = "续航表现比预期好冬天开暖风掉电明显" * 40
    con.execute(f"""COPY (SELECT * EXCLUDE (body_len), left('{text}', body_len) AS body
                          FROM read_parquet('{out / 'content_raw.parquet'}'))
                    TO '{out / 'content.parquet'}' (FORMAT PARQUET, ROW_GROUP_SIZE 500000)""")
    (out / "content_raw.parquet").unlink()
    return out / "content.parquet"


def fill_features(store) -> int:
    """Synthetic ``content_features``: intents, toxicity, claims and MinHash (originals, 3 % near-duplicates)."""
    store.execute("""
        INSERT INTO content_features (content_id, model_version, intents, toxicity, claims, minhash, aspects)
        SELECT content_id, 'synthetic',
               CASE WHEN h % 10 = 0 THEN ['question'] WHEN h % 10 = 1 THEN ['thanks'] WHEN h % 10 = 2 THEN ['praise']
                    WHEN h % 10 = 3 THEN ['answer'] WHEN h % 10 = 4 THEN ['experience'] WHEN h % 50 = 5 THEN ['disagreement']
                    WHEN h % 50 = 15 THEN ['clarification'] ELSE []::VARCHAR[] END,
               CAST((h % 1000) / 1000.0 * 0.6 AS FLOAT),
               CASE WHEN h % 20 = 7 THEN [{'model': NULL, 'attribute': 'range', 'value': 500.0, 'value_max': NULL, 'unit': 'km',
                                           'qualifier': NULL, 'start': 0, 'end': 5, 'evidence': NULL}] ELSE [] END,
               CASE WHEN kind IN ('thread', 'photo', 'video', 'guide')
                    THEN list_transform(range(64), lambda i: CAST(hash(CASE WHEN h % 33 = 0 THEN h % 1000 ELSE h END, i) % 4294967295 AS UINTEGER)) END,
               []
        FROM (SELECT content_id, kind, hash(content_id) AS h FROM content)""")
    return int(store.fetch_value("SELECT count(*) FROM content_features"))


def _prepare_synthetic(db: Path, events: int) -> None:
    from reef.ingest import import_paths
    from reef.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="reef-lad-"))
    t = time.perf_counter()
    counts = generate(events, tmp)
    files = [tmp / "members.parquet", _content_parquet(tmp), tmp / "interactions.parquet"]
    print(f"generated {counts} in {time.perf_counter() - t:.0f}s", flush=True)
    store = open_store(db)
    t = time.perf_counter()
    import_paths(store, [str(f) for f in files])
    print(f"imported in {time.perf_counter() - t:.0f}s", flush=True)
    t = time.perf_counter()
    fill_features(store)
    store.checkpoint()
    store.close()
    print(f"synthetic features in {time.perf_counter() - t:.0f}s", flush=True)
    for f in files:
        f.unlink()


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (5 min {five:.1f})"


def evict_file(path: Path) -> None:
    """Drop one file's pages from the OS page cache (``posix_fadvise`` DONTNEED; other files are untouched), so the next
    read comes from disk as on a store that was just copied in or written long ago."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _timed(fn) -> tuple[float, float]:
    started, cpu0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - started, time.process_time() - cpu0


def _runs(db: Path, as_of, n: int, *, cold: bool, helpers: bool) -> list[dict]:
    """``n`` timed runs of (network_helpers and) compute_ladder, each in a transaction that is rolled back.

    Cold runs close the store, evict its file from the page cache and open it again before each run: DuckDB's buffer
    pool and the OS cache are both empty, as for the first run on a fresh store."""
    from reef.ladder import compute_ladder
    from reef.network.analyses import network_helpers
    from reef.store import open_store

    out = []
    for _ in range(n):
        if cold:
            open_store(db).close()
            evict_file(db)
        store = open_store(db)
        row = {"load_before": os.getloadavg()[0]}
        store.execute("BEGIN TRANSACTION")
        if helpers:
            row["helpers"] = _timed(lambda: network_helpers(store, as_of, store.config))
        row["ladder"] = _timed(lambda: compute_ladder(store, as_of, store.config))
        store.execute("ROLLBACK")
        row["load_after"] = os.getloadavg()[0]
        out.append(row)
    return out


def _report(label: str, rows: list[dict], members: int, events: int) -> None:
    med = statistics.median
    for key in ("helpers", "ladder"):
        if key not in rows[0]:
            continue
        walls, cpus = [r[key][0] for r in rows], [r[key][1] for r in rows]
        name = "network_helpers" if key == "helpers" else "ladder"
        print(f"{label}: {name}: members {members:,}, events {events:,}, median wall {med(walls):.1f} s, CPU {med(cpus):.1f} s "
              f"over {len(rows)} runs (wall {', '.join(f'{w:.1f}' for w in walls)})", flush=True)
    if "helpers" in rows[0]:
        tot = [r["helpers"][0] + r["ladder"][0] for r in rows]
        print(f"{label}: network_helpers + ladder: median wall {med(tot):.1f} s, CPU "
              f"{med(r['helpers'][1] + r['ladder'][1] for r in rows):.1f} s", flush=True)
    print(f"{label}: load average (1 min) {min(r['load_before'] for r in rows):.1f}-{max(r['load_after'] for r in rows):.1f} "
          f"during the runs; peak RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=20000)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--runs", type=int, default=3, help="warm runs (store open, file in the page cache)")
    ap.add_argument("--cold-runs", type=int, default=0,
                    help="first-run figures: before each of these runs the store is closed, its file evicted from the OS "
                         "page cache and the store reopened (the first run on a fresh store)")
    ap.add_argument("--no-as-of", action="store_true", help="skip the runs at --as-of 30 days before the end")
    ap.add_argument("--synthetic", type=int, help="generate ~N canonical events as Parquet instead of simulating")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--with-helpers", action="store_true",
                    help="also time the network_helpers analysis (the ladder's other dependency after enrichment) before each run")
    ap.add_argument("--extrapolate-to", type=int, default=50_000_000,
                    help="also print a clearly labelled linear extrapolation of CPU time to this many events")
    args = ap.parse_args()
    from reef.store import open_store

    db = args.db or Path(tempfile.mkdtemp()) / "bench.duckdb"
    if args.synthetic and not db.exists():  # an existing --db is reused as is
        _prepare_synthetic(db, args.synthetic)
    store = open_store(db)
    if args.synthetic and not store.fetch_value("SELECT count(*) FROM content_features"):
        fill_features(store)
    if not store.fetch_value("SELECT count(*) FROM members"):
        from reef.analyses import run_analyses
        from reef.api import simulate_community

        simulate_community(store, members=args.members, days=args.days, seed=7)
        run_analyses(store, only=["text_features"])
    store.checkpoint()
    events = store.fetch_value("SELECT (SELECT count(*) FROM content) + (SELECT count(*) FROM interactions)")
    members = store.fetch_value("SELECT count(*) FROM members")
    end = store.fetch_value("SELECT max(created_at) FROM interactions") + timedelta(seconds=1)
    threads, memory = store.fetch_all("SELECT current_setting('threads'), current_setting('memory_limit')")[0]
    print(f"{os.cpu_count()} cores, DuckDB threads {threads}, memory_limit {memory}, store file "
          f"{db.stat().st_size / 1e9:.2f} GB; load average {_load()} at the start; the machine is shared", flush=True)
    cpu_end = None
    points = [("end of data", end)] + ([] if args.no_as_of else [("--as-of 30 days earlier", end - timedelta(days=30))])
    for label, as_of in points:
        if args.cold_runs:
            _report(f"{label}, first run on a fresh store (file evicted from the page cache)",
                    _runs(db, as_of, args.cold_runs, cold=True, helpers=args.with_helpers), members, events)
        if args.runs:
            rows = _runs(db, as_of, args.runs, cold=False, helpers=args.with_helpers)
            _report(f"{label}, warm", rows, members, events)
            cpu_end = cpu_end if cpu_end is not None else statistics.median(r["ladder"][1] for r in rows)
    print(f"peak memory (RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.extrapolate_to and events and cpu_end:
        x = cpu_end * args.extrapolate_to / events
        print(f"EXTRAPOLATED, not measured (linear in events from the end-of-data warm CPU time): {args.extrapolate_to:,} events "
              f"-> CPU about {x:.0f} s; wall between {x / 2:.0f} s (both cores busy all along) and {x:.0f} s (one core)")


if __name__ == "__main__":
    main()
