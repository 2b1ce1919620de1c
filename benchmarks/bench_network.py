"""Speed and memory of the network layer on a synthetic graph.

    .venv/bin/python benchmarks/bench_network.py [members] [edges]     # default 1,000,000 10,000,000

Builds a power-law interaction graph straight into ``network_edges`` (reply/ask/mention kinds),
then times: connectors (PageRank, approximate betweenness, reach, parts), IMM seed plan k=20 on
the same ties as cascade edges, and ripple tracking of a 100k-adopter synthetic reply tree.
Prints peak RSS. No assertions: figures go to docs/network.md.
"""
from __future__ import annotations

import resource
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

    def __str__(self) -> str:
        return f"{time.perf_counter() - self.w:.1f} s wall / {time.process_time() - self.c:.1f} s CPU"


def main(n: int = 1_000_000, m: int = 10_000_000) -> None:
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
        t = _Clock()
        parts = compute_connectors(store, datetime.now(timezone.utc), cfg)
        print(f"connector parts: {t} ({parts.num_rows:,} rows)")
        # Seed plan: cascade edges with Bernoulli probabilities like the learned ones (mostly small).
        p = np.minimum(rng.exponential(0.02, int(keep.sum())), 0.5)
        t = _Clock()
        g = CascadeGraph.from_edges(n, dst[keep].astype(np.int64), src[keep].astype(np.int64), p)
        res = imm(g, 20, epsilon=float(cfg.get("network.imm_epsilon")), seed=1)
        print(f"IMM k=20: {t} ({res.rr_sets:,} RR sets)")
        # What seed_plan does above network.mc_max_members: plan + 3 baselines scored on one batch of fresh RR sets.
        t = _Clock()
        outdeg = np.diff(g.out_ptr)
        sets = {"plan": res.seeds, "top_degree": np.argsort(-outdeg)[:20], "random": rng.choice(n, 20, replace=False)}
        reach = rr_spread(g, sets, count=int(cfg.get("network.rr_eval_sets")), seed=2)
        print(f"reach of 3 seed sets from {cfg.get('network.rr_eval_sets'):,} RR sets: {t} "
              + ", ".join(f"{k} {v['mean']:.0f} ±{(v['ci_high'] - v['ci_low']) / 2:.0f}" for k, v in reach.items()))
        t = _Clock()
        spread = monte_carlo(g, res.seeds, runs=50, seed=2)
        print(f"for comparison, 50 forward Monte-Carlo cascades of the plan: {t} (reach {spread['mean']:.0f})")
        # Ripple: a 100k-adopter random recursive tree.
        k = 100_000
        t = _Clock()
        parent = np.concatenate([[-1], rng.integers(0, np.arange(1, k))])
        rings = propagate_rings(np.arange(k), parent, np.full(k, -1), parent < 0)
        print(f"ripple of {k:,} adopters: {t} (max ring {rings.max()})")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
