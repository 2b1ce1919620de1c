"""Where the ladder's time goes: every SQL statement of one ``compute_ladder`` run that takes over ``--min`` seconds.

    .venv/bin/python benchmarks/profile_ladder.py --db /tmp/speed/l50m.duckdb

The store is one prepared by ``bench_ladder.py`` (``--synthetic N --runs 0``); run it after a ladder run so the file
is in the page cache (a warm run). Prints the total wall and CPU time and the slow statements (wall and CPU seconds of the process) in the order they ran; the rest
of the time is Polars and numpy. Timing wraps ``Store.execute``, so statements are timed as the ladder issues them.
"""
from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--min", type=float, default=1.0, help="report statements slower than this (seconds)")
    args = ap.parse_args()

    import reef.store.connection as conn
    from reef.analyses.runner import resolve_as_of
    from reef.ladder.analysis import compute_ladder
    from reef.store import open_store

    slow: list[tuple[float, float, str]] = []
    execute = conn.Store.execute

    def timed(self, sql, params=None):
        t0, c0 = time.perf_counter(), time.process_time()
        result = execute(self, sql, params)
        if (took := time.perf_counter() - t0) > args.min:
            slow.append((took, time.process_time() - c0, " ".join(sql.split())[:140]))
        return result

    conn.Store.execute = timed
    store = open_store(args.db)
    t0, c0 = time.perf_counter(), time.process_time()
    compute_ladder(store, resolve_as_of(store, None), store.config)
    print(f"compute_ladder: {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU")
    for took, cpu, sql in slow:
        print(f"{took:6.1f} s {cpu:6.1f} CPU s  {sql}")


if __name__ == "__main__":
    main()
