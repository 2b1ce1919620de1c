"""Claim precision / recall on the development fixtures, overall and per source.

Prints a markdown table (set, part, sentences, gold claims, precision, recall) for
claims.jsonl, claims_300.jsonl, claims_fresh_300.jsonl (development sets) and the report-only
claims_holdout.jsonl, as ``reef.text.evaluate.claim_scores`` measures them. It never opens
claims_test_300.jsonl: that blind set is measured once by the lead. ``--errors`` also prints
every disagreement with the gold labels of the development sets (not of claims_holdout). The figures in docs/text.md ("Round 2 rules") come
from this script.

Usage: .venv/bin/python scripts/claim_dev_figures.py [--errors]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from reef.text.evaluate import claim_scores, default_fixtures_dir

SETS = ("claims.jsonl", "claims_300.jsonl", "claims_fresh_300.jsonl", "claims_holdout.jsonl")


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def figures(fixtures: Path | None = None) -> list[tuple[str, str, dict]]:
    """(set, part, claim_scores) for every set, overall and per source where the set has sources."""
    out = []
    for name in SETS:
        rows = _rows((fixtures or default_fixtures_dir()) / name)
        out.append((name, "all", claim_scores(rows)))
        for source in sorted({r["source"] for r in rows if r.get("source")}):
            out.append((name, source, claim_scores([r for r in rows if r.get("source") == source])))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    print("| set | part | sentences | gold claims | precision | recall |\n|---|---|---|---|---|---|")
    results = figures()
    for name, part, s in results:
        print(f"| {name} | {part} | {s['sentences']} | {s['gold_claims']} | {s['precision']:.3f} | {s['recall']:.3f} |")
    if args.errors:
        for name, part, s in results:
            if part != "all" or name == "claims_holdout.jsonl":
                continue  # the holdout set is report-only: its errors are not read while tuning
            print(f"\n## {name}: {len(s['errors'])} disagreements")
            for e in s["errors"]:
                print(f"- {e['text']}\n    missed {e['missed']}  extra {e['extra']}")


if __name__ == "__main__":
    main()
