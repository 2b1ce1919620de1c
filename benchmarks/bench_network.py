"""Speed and memory of the network layer on a synthetic graph.

    .venv/bin/python benchmarks/bench_network.py [members] [edges] [runs]   # default 1,000,000 10,000,000 3

Builds a power-law interaction graph straight into ``network_edges`` (reply/ask/mention kinds),
then times: connectors (PageRank, approximate betweenness, reach, parts), IMM seed plan k=20 on
the same ties as cascade edges, and ripple tracking of a 100k-adopter synthetic reply tree.
Each run starts from a fresh store; the medians over the runs and the peak RSS are printed last.
No assertions: figures go to docs/network.md.
"""
from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reef.config import load_config  # noqa: E402
from reef.network.connectors import compute_connectors  # noqa: E402
from reef.network.influence import CascadeGraph, imm, monte_carlo, rr_spread  # noqa: E402
from reef.network.ripple import propagate_rings  # noqa: E402
from reef.store import open_store  # noqa: E402


class _Clock:
    """Wall and CPU seconds (CPU over all threads: other jobs share the 2 cores, so wall alone misleads)."""

    def __init__(self) -> None:
        self.w, self.c = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        return time.perf_counter() - self.w, time.process_time() - self.c

    def __str__(self) -> str:
        w, c = self.lap()
        return f"{w:.1f} s wall / {c:.1f} s CPU"


def main(n: int = 1_000_000, m: int = 10_000_000, runs: int = 3) -> None:
    laps: dict[str, list[tuple[float, float]]] = {}
    for r in range(runs):
        print(f"--- run {r + 1} of {runs}")
        for step, lap in one_run(n, m).items():
            laps.setdefault(step, []).append(lap)
    print(f"--- median of {runs} runs (wall / CPU)")
    for step, values in laps.items():
        print(f"{step}: {statistics.median(v[0] for v in values):.1f} s wall / "
              f"{statistics.median(v[1] for v in values):.1f} s CPU")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def one_run(n: int, m: int) -> dict[str, tuple[float, float]]:
    """One fresh store; returns (wall, CPU) seconds per step."""
    laps: dict[str, tuple[float, float]] = {}
    rng = np.random.default_rng(7)
    cfg = load_config(None)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "b.duckdb")
        t = _Clock()
        # Preferential targets: a few members draw most replies (Zipf), sources uniform.
        dst = np.minimum(rng.zipf(1.6, m) - 1, n - 1)
        src = rng.integers(0, n, m)
        keep = src != dst
        kinds = rng.choice(np.array(["reply", "ask", "mention", "agree"]), m)
        ids = np.char.add("m", np.arange(n).astype(str))
        tbl = pa.table({"src": ids[src[keep]], "dst": ids[dst[keep]], "kind": kinds[keep],
                        "n": np.ones(int(keep.sum()), np.int32), "weight": rng.random(int(keep.sum()))})
        store.con.register("_b", tbl)
        store.execute("CREATE TABLE network_edges AS SELECT src, dst, kind, sum(n)::INTEGER AS n, sum(weight) AS weight FROM _b GROUP BY ALL")
        store.con.unregister("_b")
        del tbl
        print(f"graph: {n:,} members, {m:,} acts -> network_edges {t}")
        laps["graph"] = t.lap()
        t = _Clock()
        parts = compute_connectors(store, datetime.now(timezone.utc), cfg)
        print(f"connector parts: {t} ({parts.num_rows:,} rows)")
        laps["connectors"] = t.lap()
        laps["graph + connectors"] = tuple(a + b for a, b in zip(laps["graph"], laps["connectors"]))
        # Seed plan: cascade edges with Bernoulli probabilities like the learned ones (mostly small).
        p = np.minimum(rng.exponential(0.02, int(keep.sum())), 0.5)
        t = _Clock()
        g = CascadeGraph.from_edges(n, dst[keep].astype(np.int64), src[keep].astype(np.int64), p)
        res = imm(g, 20, epsilon=float(cfg.get("network.imm_epsilon")), seed=1)
        print(f"IMM k=20: {t} ({res.rr_sets:,} RR sets)")
        laps["imm k=20"] = t.lap()
        # What seed_plan does above network.mc_max_members: plan + 3 baselines scored on one batch of fresh RR sets.
        t = _Clock()
        outdeg = np.diff(g.out_ptr)
        sets = {"plan": res.seeds, "top_degree": np.argsort(-outdeg)[:20], "random": rng.choice(n, 20, replace=False)}
        reach = rr_spread(g, sets, count=int(cfg.get("network.rr_eval_sets")), seed=2)
        print(f"reach of 3 seed sets from {cfg.get('network.rr_eval_sets'):,} RR sets: {t} "
              + ", ".join(f"{k} {v['mean']:.0f} ±{(v['ci_high'] - v['ci_low']) / 2:.0f}" for k, v in reach.items()))
        laps["rr reach"] = t.lap()
        laps["seed plan (imm + reach)"] = tuple(a + b for a, b in zip(laps["imm k=20"], laps["rr reach"]))
        t = _Clock()
        spread = monte_carlo(g, res.seeds, runs=50, seed=2)
        print(f"for comparison, 50 forward Monte-Carlo cascades of the plan: {t} (reach {spread['mean']:.0f})")
        # Ripple: a 100k-adopter random recursive tree.
        k = 100_000
        t = _Clock()
        parent = np.concatenate([[-1], rng.integers(0, np.arange(1, k))])
        rings = propagate_rings(np.arange(k), parent, np.full(k, -1), parent < 0)
        print(f"ripple of {k:,} adopters: {t} (max ring {rings.max()})")
        laps["ripple 100k"] = t.lap()
        store.close()
    return laps


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
