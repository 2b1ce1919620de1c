"""Ladder speed and memory: median seconds of the `ladder` analysis over runs, and peak memory.

Simulates a community (or uses --db), enriches it once (not timed), then times `compute_ladder`
at the end of the data and at an earlier --as-of, each inside a transaction that is rolled back.

    .venv/bin/python benchmarks/bench_ladder.py [--members 20000] [--days 90] [--runs 3] [--db PATH]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from reef.analyses import run_analyses
from reef.api import simulate_community
from reef.ladder import compute_ladder
from reef.store import open_store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=20000)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "bench.duckdb"
    store = open_store(db)
    if not store.fetch_value("SELECT count(*) FROM members"):
        simulate_community(store, members=args.members, days=args.days, seed=7)
    run_analyses(store, only=["text_features"])
    events = store.fetch_value("SELECT (SELECT count(*) FROM content) + (SELECT count(*) FROM interactions)")
    members = store.fetch_value("SELECT count(*) FROM members")
    end = store.fetch_value("SELECT max(created_at) FROM interactions") + timedelta(seconds=1)
    for label, as_of in (("end of data", end), ("--as-of 30 days earlier", end - timedelta(days=30))):
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            store.execute("BEGIN TRANSACTION")
            compute_ladder(store, as_of, store.config)
            store.execute("ROLLBACK")
            times.append(time.perf_counter() - started)
        print(f"{label}: members {members:,}, events {events:,}, median {statistics.median(times):.2f} s over {args.runs} runs "
              f"({events / statistics.median(times):,.0f} events/s)")
    print(f"peak memory (RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
