"""Where one ``compute_ladder`` run spends its time, step by step: wall and CPU seconds of each library step.

    .venv/bin/python benchmarks/ladder_steps.py --db /tmp/lad50m.duckdb

The store is one prepared by ``bench_ladder.py`` (``--synthetic N --runs 0``). Each step the ladder calls
(``build_likes``, ``build_items``, ``build_windows``, the replay, the dating, the writes, the alerts' replays of stage-4
members ...) is wrapped and timed where ``compute_ladder`` calls it; the total and the load average are printed
first. ``benchmarks/profile_ladder.py`` times the SQL statements instead; ``bench_ladder.py`` is the benchmark of record.
"""
from __future__ import annotations

import argparse
import os
import time

_STEPS = ("build_likes", "build_items", "build_windows", "replay", "date_promotions", "date_demotions", "_events",
          "_rank", "_write", "_help", "drop_temp_tables")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    args = ap.parse_args()

    import reef.ladder.alerts as alerts
    import reef.ladder.analysis as analysis
    import reef.ladder.welcome as welcome
    from reef.analyses.runner import resolve_as_of
    from reef.store import open_store

    timings: list[tuple[str, float, float]] = []

    def wrap(module, name: str) -> None:
        step = getattr(module, name)

        def timed(*a, **kw):
            t0, c0 = time.perf_counter(), time.process_time()
            out = step(*a, **kw)
            timings.append((name, time.perf_counter() - t0, time.process_time() - c0))
            return out

        setattr(module, name, timed)

    for name in _STEPS:
        wrap(analysis, name)
    wrap(alerts, "stages_before")
    wrap(welcome, "build_unfit")
    store = open_store(args.db)
    as_of = resolve_as_of(store, None)
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    analysis.compute_ladder(store, as_of, store.config)
    print(f"compute_ladder: {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU; "
          f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    for name, wall, cpu in timings:
        print(f"{name:18s} {wall:6.1f} s {cpu:6.1f} s CPU")


if __name__ == "__main__":
    main()
