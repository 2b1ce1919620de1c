"""Speed and memory of the organisation layers on a large simulated community.

    .venv/bin/python benchmarks/bench_layers.py [--members 1000000] [--days 60] [--activity 0.15] [--runs 3]
                                                [--db PATH] [--only groups,council]

Preparation (timed apart, not part of the targets): the simulator writes the community at reduced
activity; ``content_features`` is filled from the simulator's truth (the aspects, intents and sentiment a
perfect text layer would return: enriching millions of items is the text layer's own benchmark); the
interaction graph, the help ledger and the ladder are computed by their own code (the ladder falls back
to stages from the truth's latent types if it fails, and says so). With ``--db`` an existing prepared
store is reused (prepared stores are kept when ``--db`` names a new file).

Targets, one function each (``--only`` picks; other layers add theirs to ``TARGETS``):

* ``groups`` — the ``layers_groups`` analysis (terms, Leiden, voting, names, health, leaders): < 5 minutes
  at 1M members;
* ``council`` — the ``layers_council`` analysis and ``reef council --seats 9`` (the reader re-slating from
  the stored candidates): < 10 seconds.

Prints the median of ``--runs`` runs (wall and CPU seconds: the machine is shared, so CPU time over all
threads is the fairer figure), and the peak RSS of the process. No assertions: figures go to docs/layers.md.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reef.config import load_config  # noqa: E402
from reef.store import open_store  # noqa: E402


class Clock:
    """Wall and CPU seconds of a block."""

    def __enter__(self):
        self.w, self.c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.w, time.process_time() - self.c


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _truth_features(store) -> int:
    """content_features from truth_content: what a perfect text layer would have said."""
    store.execute("DELETE FROM content_features")
    store.execute("""
        INSERT INTO content_features (content_id, model_version, sentiment, aspect_names, intents, toxicity, claims, minhash, aspects)
        SELECT t.content_id, 'truth', CAST(t.sentiment AS TINYINT), t.aspects, t.intents,
               CASE WHEN list_contains(t.intents, 'personal_attack') THEN 0.9 ELSE 0.05 END, [], NULL, []
        FROM truth_content t""")
    return int(store.fetch_value("SELECT count(*) FROM content_features"))


def _truth_ladder(store, as_of) -> None:
    """Stages from the latent types, for when the ladder cannot run (it is another capability's code)."""
    store.execute("""
        CREATE OR REPLACE TABLE ladder_members AS
        SELECT m.member_id, m.name,
               CAST(CASE t.latent_type WHEN 'leader' THEN 4 WHEN 'connector' THEN 3 WHEN 'burnout_core' THEN 3 WHEN 'creator' THEN 2
                    WHEN 'participant' THEN 1 ELSE 0 END AS TINYINT) AS stage,
               '阶段' AS stage_name, 'stage' AS stage_name_en, 50.0 AS potential,
               CAST(CASE WHEN t.latent_type = 'troll' THEN 3 ELSE 0 END AS INTEGER) AS life_hostile, m.joined_at, $ts AS as_of
        FROM members m JOIN truth_members t USING (member_id) WHERE m.account_type = 'member'""", {"ts": as_of})


def prepare(db: Path, members: int, days: int, activity: float) -> None:
    from reef.analyses.runner import resolve_as_of
    from reef.simulate import SimulationSpec, simulate_to_store

    cfg = load_config(None)
    store = open_store(db)
    with Clock() as t:
        summary = simulate_to_store(store, SimulationSpec(members=members, days=days, seed=7, activity=activity, end_date="2026-06-30"))
    print(f"simulate {members:,} members x {days} days at activity {activity}: {summary.as_dict().get('events', '?'):,} events, "
          f"{t.wall:.0f} s wall / {t.cpu:.0f} s CPU", flush=True)
    as_of = resolve_as_of(store, None)
    with Clock() as t, store.transaction():
        n = _truth_features(store)
    print(f"content_features from truth: {n:,} rows, {t.wall:.0f} s", flush=True)
    from reef.network.analyses import network_graph, network_helpers

    with Clock() as t, store.transaction():
        network_graph(store, as_of, cfg)
        network_helpers(store, as_of, cfg)
    print(f"network_graph + network_helpers: {store.fetch_value('SELECT count(*) FROM network_edges'):,} edges, "
          f"{t.wall:.0f} s wall / {t.cpu:.0f} s CPU", flush=True)
    try:
        from reef.ladder.analysis import compute_ladder

        with Clock() as t, store.transaction():
            compute_ladder(store, as_of, cfg)
        print(f"ladder: {t.wall:.0f} s wall / {t.cpu:.0f} s CPU", flush=True)
    except Exception as exc:  # another capability's code: the benchmark of the layers must not depend on it
        print(f"ladder failed ({type(exc).__name__}: {exc}); stages from the truth's latent types instead", flush=True)
        with store.transaction():
            _truth_ladder(store, as_of)
    store.execute("CREATE TABLE IF NOT EXISTS _bench_as_of AS SELECT $ts::TIMESTAMPTZ AS as_of", {"ts": as_of})
    store.checkpoint()
    store.close()


def _as_of(store):
    return store.fetch_value("SELECT as_of FROM _bench_as_of")


def _report(name: str, target: str, rows: list[tuple[float, float]]) -> None:
    walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
    print(f"{name}: median of {len(rows)} run(s) {statistics.median(walls):.1f} s wall / {statistics.median(cpus):.1f} s CPU "
          f"(runs: {', '.join(f'{w:.1f}/{c:.1f}' for w, c in rows)}); target {target}; peak RSS so far {peak_mb():,.0f} MB", flush=True)


def bench_groups(db: Path, runs: int) -> None:
    """The layers_groups analysis, end to end, as the runner calls it."""
    from reef.layers.analyses import layers_groups

    cfg = load_config(None)
    rows = []
    for _ in range(runs):
        store = open_store(db)
        as_of = _as_of(store)
        with Clock() as t, store.transaction():
            assigned = layers_groups(store, as_of, cfg)
        rows.append((t.wall, t.cpu))
        circles = store.fetch_all("SELECT circle_id, name, size, health, trend FROM layers_circles ORDER BY rank LIMIT 10")
        store.close()
    print(f"groups: {assigned:,} members assigned to {len(circles)}+ circles: "
          + "; ".join(f"{c} {n} ({s:,}, health {h}, {tr})" for c, n, s, h, tr in circles), flush=True)
    _report("groups", "< 300 s", rows)


def bench_council(db: Path, runs: int) -> None:
    """The layers_council analysis, and the --seats reader that re-slates from the stored candidates."""
    from reef.layers.analyses import layers_council
    from reef.layers.api import council_slate

    cfg = load_config(None)
    store = open_store(db)
    if not store.table_exists("layers_circle_members"):
        store.close()
        bench_groups(db, 1)
        store = open_store(db)
    as_of = _as_of(store)
    rows, reads = [], []
    for _ in range(runs):
        with Clock() as t, store.transaction():
            seats = layers_council(store, as_of, cfg)
        rows.append((t.wall, t.cpu))
        with Clock() as r:
            slate = council_slate(store, seats=9, config=cfg)
        reads.append((r.wall, r.cpu))
    cands = store.fetch_value("SELECT count(*) FROM layers_council_candidates")
    store.close()
    print(f"council: {seats} seats from {cands:,} candidates kept (pool {slate['pool']}, fallback {slate['fallback']}); coverage "
          + ", ".join(f"{d} {s['covered']}/{s['values']}" for d, s in slate["summary"].items()), flush=True)
    _report("council analysis", "< 10 s", rows)
    _report("council --seats 9 (reader)", "< 10 s", reads)


TARGETS = {"groups": bench_groups, "council": bench_council}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--activity", type=float, default=0.15)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", type=Path, help="prepared store to reuse (prepared and kept when the file does not exist)")
    ap.add_argument("--only", default=",".join(TARGETS), help="comma-separated targets: " + ", ".join(TARGETS))
    args = ap.parse_args()
    unknown = set(args.only.split(",")) - set(TARGETS)
    if unknown:
        ap.error(f"unknown targets {sorted(unknown)}; choose from {', '.join(TARGETS)}")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "layers.duckdb"
        if not db.exists():
            with Clock() as t:
                prepare(db, args.members, args.days, args.activity)
            print(f"prepared in {t.wall:.0f} s wall; peak RSS {peak_mb():,.0f} MB (shared 2-core machine)", flush=True)
        for name in args.only.split(","):
            TARGETS[name](db, args.runs)
    print(f"peak RSS {peak_mb():,.0f} MB", flush=True)


if __name__ == "__main__":
    main()
