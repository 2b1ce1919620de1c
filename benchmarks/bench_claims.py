"""Speed of ``extract_claims`` on every sentence of the CCF posts (median of several runs).

Claims run on every post at enrichment, so a rule that slows this down slows ``reef enrich``.
Sentences: the CCF posts (../shared/data/ccf-car-aspects) split at 。！？!?；; and newlines,
normalised as ``reef.text.analyze`` does (OpenCC to simplified) before timing. Prints wall and
CPU seconds (the machine may be shared: CPU time is the steadier figure) and sentences/s.
With ``--pathological`` it also times texts of 20,000 characters (the length ``reef.text.analyze``
cuts a post to) that defeat the clause and sentence split: no punctuation, a number every few
characters. They must stay well under a second, or one spam post stalls an enrichment batch.

Usage: .venv/bin/python benchmarks/bench_claims.py [--runs 3] [--pathological]
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
    ap.add_argument("--pathological", action="store_true", help="also time 20,000-character texts without punctuation")
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
    if args.pathological:
        for name, text in PATHOLOGICAL.items():
            cpus = []
            for _ in range(args.runs):
                c = time.process_time()
                found = len(extract_claims(text))
                cpus.append(time.process_time() - c)
            print(f"pathological {name!r}: {len(text):,} characters, {found} claims, median CPU {statistics.median(cpus):.3f}s")


# 20,000-character texts with no sentence end or comma (a spam paste, a digit dump).
PATHOLOGICAL = {"1万 repeated": "1万" * 10_000, "油耗在8.2， repeated": "油耗在8.2，" * 2_500,
                "digits": "123456789" * 2_222, "8个 repeated": "8个" * 10_000,
                "specs without punctuation": "续航500公里零百3.9秒充电30分钟" * 1_000}


if __name__ == "__main__":
    main()
