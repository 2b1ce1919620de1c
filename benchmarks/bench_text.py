"""Throughput of reef.text.analyze on realistic posts (median of several runs).

Usage: .venv/bin/python benchmarks/bench_text.py [--n 20000] [--runs 3]
Texts: CCF posts (80-200 characters when joined in pairs) if ../shared/data is present,
else a synthetic mix. Prints texts/second and the projected time for 1M posts on this machine.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from reef.text import analyze

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ccf-car-aspects"


def corpus(n: int) -> list[str]:
    if DATA.exists():
        from reef.text.datasets import load_ccf
        base = sorted(load_ccf(DATA))
    else:
        base = ["汉EV冬季续航实测，满电跑了四百公里，车机偶尔卡顿，售后态度不错", "请问充电桩怎么申请？物业不让装怎么办"]
    out = []
    i = 0
    while len(out) < n:
        text = base[i % len(base)] + base[(i * 7 + 3) % len(base)]
        out.append(text[:200])
        i += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    texts = corpus(args.n)
    analyze(texts[:100])  # load models once, outside the timing
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        analyze(texts)
        times.append(time.perf_counter() - start)
    med = statistics.median(times)
    rate = len(texts) / med
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"analyze: {len(texts)} texts, mean {sum(map(len, texts)) / len(texts):.0f} chars, median {med:.2f}s "
          f"over {args.runs} runs -> {rate:,.0f} texts/s (1 process); 1M posts ~ {1e6 / rate / 60:.1f} min; "
          f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
