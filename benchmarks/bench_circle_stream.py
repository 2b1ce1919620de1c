"""Cost of the circle-decay CUSUM query per stream (``risks.circle_cusum_stream``: posts or members) on a big store.

The synthetic risk-benchmark store (``benchmarks/bench_risks.py --prepare-only --db ...``) writes no groups, so the
full radar benchmark never exercises the circle query. This script gives every post a synthetic circle (the author's
hash modulo ``--circles``, so every poster belongs to one: the worst case for the members stream, which joins every
act in the window to its author's circle) through a temporary view, and times ``reef.risks.heat.circle_cusum`` for
both streams, alternating, at the store's last risk-base day. Prints the median wall and CPU seconds of ``--runs``
calls per stream and the peak RSS. The store is opened read-only.

Usage: .venv/bin/python benchmarks/bench_circle_stream.py --db /tmp/riskspeed/r50m.duckdb [--circles 25] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from datetime import datetime
from pathlib import Path

import reef.risks.heat as heat
from reef.config import load_config
from reef.risks.incremental import base_views
from reef.store import open_store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="a prepared risk-benchmark store (with its risk base)")
    ap.add_argument("--circles", type=int, default=25)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    store = open_store(args.db, read_only=True)
    state = json.loads(store.fetch_all("SELECT * FROM risk_base_state")[0][1])
    ts = datetime.fromisoformat(state["upto"])
    c = dict(load_config().section("risks"))
    base_views(store, ts, int(c["horizon_days"]))
    store.execute("CREATE OR REPLACE TEMP VIEW _risk_posts_circles AS SELECT * REPLACE "
                  f"('g' || CAST(hash(author_id) % {int(args.circles)} AS VARCHAR) AS group_id) FROM _risk_posts")
    heat.MEMBER_POSTS = "SELECT * FROM _risk_posts_circles"  # the radar's posts, now each in a synthetic circle
    span = int(c["circle_cusum_days"]) + int(c["circle_cusum_baseline_days"])
    window = {"ts": ts, "days": span}
    posts = store.fetch_value("SELECT count(*) FROM _risk_posts WHERE created_at >= $ts::TIMESTAMPTZ - to_days($days)", window)
    acts = store.fetch_value("SELECT count(*) FROM interactions_at($ts) WHERE created_at >= $ts::TIMESTAMPTZ - to_days($days)",
                             window)
    print(f"{args.db}: as of {ts:%Y-%m-%d}, {posts:,} posts and {acts:,} interactions in the CUSUM's {span} days, "
          f"{args.circles} synthetic circles")
    times: dict[str, list[tuple[float, float]]] = {"posts": [], "members": []}
    for _ in range(args.runs):
        for stream in times:
            wall, cpu = time.perf_counter(), time.process_time()
            heat.circle_cusum(store, ts, dict(c, circle_cusum_stream=stream))
            times[stream].append((time.perf_counter() - wall, time.process_time() - cpu))
    for stream, runs in times.items():
        print(f"{stream}: median wall {statistics.median(w for w, _ in runs):.2f} s, "
              f"median CPU {statistics.median(p for _, p in runs):.2f} s over {len(runs)} runs")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB; "
          f"load average at the end {os.getloadavg()[0]:.1f} (2 cores)")
    store.close()


if __name__ == "__main__":
    main()
