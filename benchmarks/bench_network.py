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
from reef.network.influence import CascadeGraph, imm, monte_carlo  # noqa: E402
from reef.network.ripple import propagate_rings  # noqa: E402
from reef.store import open_store  # noqa: E402


def main(n: int = 1_000_000, m: int = 10_000_000) -> None:
    rng = np.random.default_rng(7)
    cfg = load_config(None)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "b.duckdb")
        t = time.perf_counter()
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
        t_build = time.perf_counter() - t
        t = time.perf_counter()
        parts = compute_connectors(store, datetime.now(timezone.utc), cfg)
        t_conn = time.perf_counter() - t
        print(f"graph: {n:,} members, {m:,} acts -> build {t_build:.1f} s; connectors parts {t_conn:.1f} s ({parts.num_rows:,} rows)")
        # Seed plan: cascade edges with Bernoulli probabilities like the learned ones (mostly small).
        t = time.perf_counter()
        p = np.minimum(rng.exponential(0.02, int(keep.sum())), 0.5)
        g = CascadeGraph.from_edges(n, dst[keep].astype(np.int64), src[keep].astype(np.int64), p)
        res = imm(g, 20, epsilon=float(cfg.get("network.imm_epsilon")), seed=1)
        spread = monte_carlo(g, res.seeds, runs=200, seed=2)
        print(f"seed plan k=20: {time.perf_counter() - t:.1f} s ({res.rr_sets:,} RR sets, reach {spread['mean']:.0f})")
        # Ripple: a 100k-adopter random recursive tree.
        k = 100_000
        t = time.perf_counter()
        parent = np.concatenate([[-1], rng.integers(0, np.arange(1, k))])
        rings = propagate_rings(np.arange(k), parent, np.full(k, -1), parent < 0)
        print(f"ripple of {k:,} adopters: {time.perf_counter() - t:.2f} s (max ring {rings.max()})")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
