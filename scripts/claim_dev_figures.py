"""Claim precision / recall on the development fixtures, overall and per source.

Prints a markdown table (set, part, sentences, gold claims, precision, recall) for
claims.jsonl, claims_300.jsonl, claims_fresh_300.jsonl, claims_test_300.jsonl (development sets; the
test set since round 3) and the report-only claims_holdout.jsonl, as ``reef.text.evaluate.claim_scores``
measures them. It never opens claims_check_300.jsonl: that blind set is measured once by the lead.
``--errors`` also prints every disagreement with the gold labels of the development sets (not of
claims_holdout). The figures in docs/text-claims.md ("Round 2 rules", "Round 3 rules") come from this script.

``--compare OLD.py`` is the precision guard for a rule change: it loads a saved copy of the old
``reef/text/claims.py``, runs old and new over every CCF sentence (as benchmarks/bench_claims.py splits and
normalises them) and prints the counts and a seeded sample of up to 40 claims only the new rules produce, and
every claim they drop, to read by hand.

Usage: .venv/bin/python scripts/claim_dev_figures.py [--errors] [--compare /tmp/claims_old.py [--seed 20261122]]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
from pathlib import Path

from reef.text.evaluate import claim_scores, default_fixtures_dir

SETS = ("claims.jsonl", "claims_300.jsonl", "claims_fresh_300.jsonl", "claims_test_300.jsonl", "claims_holdout.jsonl")


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


def compare(old_path: Path, seed: int = 20261122, sample: int = 40) -> None:
    """Print the claims the current rules add to, and drop from, an old copy of claims.py on all CCF sentences."""
    from reef.text.claims import extract_claims

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_claims import ccf_sentences

    spec = importlib.util.spec_from_file_location("claims_old", old_path)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    added, dropped = [], []
    for s in ccf_sentences():
        a = {(c["attribute"], c["value"], c["start"]): c for c in old.extract_claims(s)}
        b = {(c["attribute"], c["value"], c["start"]): c for c in extract_claims(s)}
        added += [(s, b[k]) for k in b.keys() - a.keys()]
        dropped += [(s, a[k]) for k in a.keys() - b.keys()]
    print(f"\n## CCF sentences: {len(added)} claims only the new rules produce, {len(dropped)} only the old")
    for label, items in (("new", random.Random(seed).sample(added, min(sample, len(added)))), ("dropped", dropped)):
        for s, c in sorted(items, key=lambda x: x[1]["attribute"]):
            print(f"- {label} {c['attribute']} {c['value']} <<{s[c['start']:c['end']]}>> {c['evidence'][:90]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--compare", type=Path, help="a saved copy of the old reef/text/claims.py")
    ap.add_argument("--seed", type=int, default=20261122)
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
    if args.compare:
        compare(args.compare, args.seed)


if __name__ == "__main__":
    main()
