"""Daily update of the interaction graph: incremental advance vs full rebuild, on a simulated store.

    .venv/bin/python benchmarks/bench_graph_update.py [members] [days] [updates]   # default 100,000 60 5

Simulates a community (the real simulator, no text enrichment), builds ``network_edges`` as of
``updates + 1`` days before the end, then for each of the last ``updates`` days times the
incremental advance (``refresh_edges``) and, on the same day, a full ``build_edges``. Prints the
median of each, wall and CPU, edge counts and peak RSS. No assertions; figures go to docs/network.md.
"""
from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reef.network.graph import build_edges  # noqa: E402
from reef.network.incremental import refresh_edges  # noqa: E402
from reef.simulate import SimulationSpec, simulate_to_store  # noqa: E402
from reef.store import open_store  # noqa: E402


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main(members: int = 100_000, days: int = 60, updates: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "g.duckdb")
        _, w, c = _timed(lambda: simulate_to_store(store, SimulationSpec(members=members, days=days, seed=11)))
        n_content = store.fetch_value("SELECT count(*) FROM content")
        n_inter = store.fetch_value("SELECT count(*) FROM interactions")
        print(f"simulated {members:,} members / {days} days: {n_content:,} content, {n_inter:,} interactions ({w:.0f} s wall)")
        end = store.fetch_value("SELECT max(created_at) FROM content") + timedelta(seconds=1)
        cfg = store.config
        refresh_edges(store, end - timedelta(days=updates + 1), cfg)
        inc, full = [], []
        for d in range(updates, 0, -1):
            day = end - timedelta(days=d)
            mode, w, c = _timed(lambda: refresh_edges(store, day, cfg))
            edges = store.fetch_value("SELECT count(*) FROM network_edges")
            inc.append((w, c))
            _, fw, fc = _timed(lambda: build_edges(store, day, cfg))
            full.append((fw, fc))
            refresh_edges(store, day, cfg)  # same as_of, nothing changed: puts the state back on this day
            print(f"{day:%Y-%m-%d}: {mode} {w:.2f} s wall / {c:.2f} s CPU; full rebuild {fw:.2f} s wall / {fc:.2f} s CPU; {edges:,} edges")
        for name, runs in (("incremental daily update", inc), ("full rebuild", full)):
            print(f"median {name}: {statistics.median(r[0] for r in runs):.2f} s wall / "
                  f"{statistics.median(r[1] for r in runs):.2f} s CPU over {len(runs)} days")
        store.close()
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
