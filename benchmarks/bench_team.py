"""Speed of a project-team proposal (``reef team``) on a large synthetic store.

    .venv/bin/python benchmarks/bench_team.py [members] [edges] [runs]     # default 1,000,000 10,000,000 5

Builds the tables a proposal reads straight into a store: ``layers_role_fitness`` for the
candidates (20% of the members, fitness skewed like the simulator's), ``layers_aspect_fitness``
(three aspects per candidate), ``network_edges`` (power-law graph: Zipf targets, uniform sources)
and 2,000 open ``add_to_team`` operator actions. Then times ``propose_team`` on the example brief
and on random briefs (``runs`` each), median wall and CPU seconds, and peak RSS. Of the fitness
analysis only its graph step (``layers_team_partners``, the candidates' partner lists) is timed;
the rest runs with ``reef analyze`` next to the ladder. No assertions: figures go to docs/layers.md.
"""
from __future__ import annotations

import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reef.layers.team import propose_team  # noqa: E402
from reef.layers.team_brief import ASPECTS, load_brief  # noqa: E402
from reef.layers.team_ties import write_partner_lists  # noqa: E402
from reef.store import open_store  # noqa: E402


def _load(store, name: str, table: pa.Table, sql: str) -> None:
    store.con.register(name, table)
    try:
        store.execute(sql)
    finally:
        store.con.unregister(name)


def build(store, n: int, m: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    ids = np.char.add("m", np.char.zfill(np.arange(n).astype(str), 7))
    dst = np.minimum(rng.zipf(1.6, m) - 1, n - 1)
    src = rng.integers(0, n, m)
    keep = src != dst
    kinds = rng.choice(np.array(["reply", "answer", "ask", "mention", "agree", "like"]), m)
    _load(store, "_e", pa.table({"src": ids[src[keep]], "dst": ids[dst[keep]], "kind": kinds[keep], "w": rng.random(int(keep.sum()))}),
          "CREATE OR REPLACE TABLE network_edges AS SELECT src, dst, kind, count(*)::INTEGER AS n, sum(w) AS weight FROM _e GROUP BY ALL")
    cand = np.sort(rng.choice(n, n // 5, replace=False))
    k = len(cand)
    f = {c: np.where(rng.random(k) < 0.7, rng.random(k) ** 3, 0.0) for c in ("writer_fit", "visual_fit", "structurer_fit")}
    circles = np.array([f"g-{i}" for i in range(7)])
    table = pa.table({
        "member_id": ids[cand], "name": np.char.add("车主", cand.astype(str)), "stage": rng.integers(2, 5, k),
        "stage_name": np.full(k, "创作者"), "stage_name_en": np.full(k, "creator"), "potential": rng.random(k) * 100,
        "long_posts": rng.integers(0, 20, k), "long_likes": rng.random(k) * 10, "photos": rng.integers(0, 20, k),
        "videos": rng.integers(0, 5, k), "media_likes": rng.random(k) * 10, "guides": rng.integers(0, 8, k),
        "answers": rng.integers(0, 30, k), "accepted": rng.integers(0, 10, k), "thanked": rng.integers(0, 10, k),
        "groups": pa.array([[str(circles[i % 7]), str(circles[(i * 3 + 1) % 7])] for i in range(k)]),
        "burnout": rng.random(k) < 0.01, "cooling": rng.random(k) < 0.01, "care": rng.random(k) < 0.002, **f})
    _load(store, "_f", table, "CREATE OR REPLACE TABLE layers_role_fitness AS SELECT *, now() AS as_of FROM _f")
    rows = np.repeat(np.arange(k), 3)
    asp = np.array(ASPECTS)[rng.integers(0, len(ASPECTS), len(rows))]
    _load(store, "_a", pa.table({"member_id": ids[cand[rows]], "aspect": asp, "fit": rng.random(len(rows)) ** 3,
                                 "answers": rng.integers(0, 30, len(rows)), "accepted": rng.integers(0, 10, len(rows)),
                                 "thanked": rng.integers(0, 10, len(rows)), "posts": rng.integers(0, 10, len(rows))}),
          "CREATE OR REPLACE TABLE layers_aspect_fitness AS SELECT DISTINCT ON (member_id, aspect) * FROM _a")
    busy = rng.choice(cand, 2000, replace=False)
    _load(store, "_o", pa.table({"action_id": [f"b{i}" for i in range(len(busy))], "member_id": ids[busy],
                                 "attrs": [json.dumps({"team": f"t{i % 3}", "role": "writer"}) for i in range(len(busy))]}),
          "INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs) "
          "SELECT action_id, 'add_to_team', 'bench', member_id, now(), 'open', attrs::JSON FROM _o")


def random_brief(rng: random.Random, k: int) -> dict:
    roles = [{"role": r, "count": rng.randint(1, 2)} for r in ("writer", "visual", "structurer")]
    roles += [{"role": "expert", "aspect": a, "count": 1} for a in rng.sample(ASPECTS, 3)]
    return {"name": f"bench{k}", "deadline": "2026-12-31", "roles": roles, "size": sum(r["count"] for r in roles) + 1,
            "aspects": rng.sample(ASPECTS, 2)}


def main(n: int = 1_000_000, m: int = 10_000_000, runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "team.duckdb")
        t0, c0 = time.perf_counter(), time.process_time()
        build(store, n, m)
        print(f"built: {n:,} members, {store.fetch_all('SELECT count(*) FROM layers_role_fitness')[0][0]:,} candidates, "
              f"{store.fetch_all('SELECT count(*) FROM network_edges')[0][0]:,} edges in {time.perf_counter() - t0:.0f} s wall / "
              f"{time.process_time() - c0:.0f} s CPU")
        t0, c0 = time.perf_counter(), time.process_time()
        rows = write_partner_lists(store, store.config)  # the analysis-side step that keeps proposals off the graph
        print(f"layers_team_partners ({rows:,} candidates with partners, part of the fitness analysis): "
              f"{time.perf_counter() - t0:.1f} s wall / {time.process_time() - c0:.1f} s CPU")
        rng = random.Random(7)
        briefs = [("example brief (6 seats)", [load_brief(ROOT / "docs" / "examples" / "team-brief.toml")] * runs),
                  ("random briefs (10-13 seats, 3 experts)", [random_brief(rng, k) for k in range(runs)])]
        propose_team(store, briefs[0][1][0])  # warm-up: imports and DuckDB caches
        for label, items in briefs:
            wall, cpu = [], []
            for b in items:
                w, c = time.perf_counter(), time.process_time()
                res = propose_team(store, b)
                wall.append(time.perf_counter() - w)
                cpu.append(time.process_time() - c)
            print(f"{label}: median {statistics.median(wall):.2f} s wall / {statistics.median(cpu):.2f} s CPU "
                  f"(max {max(wall):.2f} s wall) over {len(items)} runs; {res['candidates']} candidates pooled, "
                  f"gain over greedy top-skill {res['baseline']['improvement']:+.3f}")
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
