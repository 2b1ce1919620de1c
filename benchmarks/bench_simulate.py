"""Simulator throughput: events/s of simulate_to_parquet and peak memory.

Usage: python benchmarks/bench_simulate.py [MEMBERS] [DAYS] [RUNS]   (default 100000 60 3)
Prints the median of RUNS runs and the process's peak resident memory.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time

from reef.simulate import SimulationSpec, simulate_to_parquet


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("members", type=int, nargs="?", default=100_000)
    ap.add_argument("days", type=int, nargs="?", default=60)
    ap.add_argument("runs", type=int, nargs="?", default=3)
    args = ap.parse_args(argv[1:])
    members, days, runs = args.members, args.days, args.runs
    rates, events = [], 0
    for i in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            summary = simulate_to_parquet(out, SimulationSpec(members=members, days=days, seed=7))
            secs = time.perf_counter() - t0
        events = summary.events
        rates.append(events / secs)
        print(f"run {i + 1}: {events:,} events ({summary.counts['content']:,} content) in {secs:.1f} s", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"simulate_to_parquet members={members:,} days={days}: median {statistics.median(rates):,.0f} events/s "
          f"over {runs} runs, {events:,} events per run, peak memory {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main(sys.argv)
