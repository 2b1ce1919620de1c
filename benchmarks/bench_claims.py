"""Speed of ``extract_claims`` on every sentence of the CCF posts (median of several runs).

Claims run on every post at enrichment, so a rule that slows this down slows ``reef enrich``.
Sentences: the CCF posts (../shared/data/ccf-car-aspects) split at 。！？!?；; and newlines,
normalised as ``reef.text.analyze`` does (OpenCC to simplified) before timing. Prints wall and
CPU seconds (the machine may be shared: CPU time is the steadier figure) and sentences/s.

Usage: .venv/bin/python benchmarks/bench_claims.py [--runs 3]
"""
from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from reef.text.claims import extract_claims
from reef.text.datasets import load_ccf
from reef.text.normalize import normalize_texts

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ccf-car-aspects"
_SPLIT = re.compile(r"[。！？!?；;\n]+")


def ccf_sentences() -> list[str]:
    """Every non-empty sentence of the CCF posts, normalised to simplified."""
    raw = [s for post in sorted(load_ccf(DATA)) for s in _SPLIT.split(post) if s.strip()]
    return [r["text"] for r in normalize_texts(raw)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    sentences = ccf_sentences()
    extract_claims(sentences[0])  # compile patterns outside the timing
    walls, cpus, found = [], [], 0
    for _ in range(args.runs):
        w, c = time.perf_counter(), time.process_time()
        found = sum(len(extract_claims(s)) for s in sentences)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"extract_claims: {len(sentences)} CCF sentences, {found} claims, median of {args.runs}: "
          f"wall {wall:.3f}s, CPU {cpu:.3f}s ({len(sentences) / cpu:,.0f} sentences per CPU-second)")


if __name__ == "__main__":
    main()
