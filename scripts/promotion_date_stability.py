"""Do promotion dates stay put when the ladder runs on another day? (docs/ladder.md, "Timeline and hysteresis")

Simulates one community, runs the ladder as of the data's end minus ``--shift`` days and as of the data's end, and
counts the promotions both runs found (same member, same stages, dated before the earlier as_of) that carry the same
date in both: with the shipped dating (:mod:`reef.ladder.dating`) and with the dating before it (each promotion at
its checkpoint bucket's last act, ``date_promotions`` replaced as ``tests/ladder/test_ladder_promotion_dates.py``
does).

Usage: python scripts/promotion_date_stability.py [--members 800] [--days 120] [--seed 5] [--shift 3]
"""
from __future__ import annotations

import argparse
import tempfile
from datetime import timedelta
from pathlib import Path

import polars as pl


def _promotions(store, as_of) -> dict[tuple, object]:
    from reef.ladder.analysis import compute_ladder

    compute_ladder(store, as_of, store.config)
    rows = store.fetch_all("""SELECT member_id, from_stage, to_stage, "at" FROM ladder_events
                              WHERE event = 'promote' AND "at" < $t ORDER BY member_id, "at" """, {"t": as_of})
    out: dict[tuple, object] = {}
    for m, f, t, at in rows:  # the n-th promotion of a member between the same stages
        n = sum(1 for k in out if k[:3] == (m, f, t))
        out[(m, f, t, n)] = at
    return out


def stability(store, early, late) -> tuple[int, int]:
    """(promotions found by both runs, of them dated the same)."""
    a, b = _promotions(store, early), _promotions(store, late)
    both = [k for k in a if k in b]
    return len(both), sum(a[k] == b[k] for k in both)


def main() -> None:
    import reef.ladder.analysis as analysis
    from reef.api import simulate_community
    from reef.store import open_store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=800)
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--shift", type=int, default=3, help="days between the two runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "reef.duckdb")
        simulate_community(store, members=args.members, days=args.days, seed=args.seed)
        late = store.fetch_value("SELECT max(created_at) FROM content")
        early = late - timedelta(days=args.shift)
        shipped = stability(store, early, late)
        analysis.date_promotions = lambda store, as_of, p, ev: ev.with_columns(
            act_at=pl.lit(None, dtype=pl.Datetime("us", "UTC")))  # the bucket's last act, as before
        before = stability(store, early, late)
        store.close()
    print(f"{args.members} members, {args.days} days, seed {args.seed}; runs {args.shift} days apart")
    print("| dating | promotions found by both runs | same date in both |")
    print("|---|---|---|")
    print(f"| the act that completed the requirement (shipped) | {shipped[0]} | {shipped[1]} |")
    print(f"| the bucket's last act (before) | {before[0]} | {before[1]} |")


if __name__ == "__main__":
    main()
