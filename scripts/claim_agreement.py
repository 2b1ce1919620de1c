"""How far two blind labellers of the same claim set agree: labeller 2 scored against labeller 1 like a method.

Each pair of files holds the same sentences (same ids), labelled independently from the same conventions. Claims are
compared as ``reef.text.evaluate.claim_scores`` compares them (per sentence, sets of (attribute, value rounded to 3,
unit)), so the precision and recall of labeller 2 against labeller 1 sit on the same scale as the extractor's figures:
the level two careful people reach under these conventions. Printed per set, per source and pooled, with the
sentences where they differ (``--diff``).

Usage:
    .venv/bin/python scripts/claim_agreement.py GOLD.jsonl SECOND.jsonl [GOLD2.jsonl SECOND2.jsonl ...] [--diff]

Example (round 6; docs/text-claims.md):
    .venv/bin/python scripts/claim_agreement.py tests/text/fixtures/claims_round6a_300.jsonl \
        tests/text/fixtures/agreement/claims_round6a_300.second.jsonl tests/text/fixtures/claims_round6b_300.jsonl \
        tests/text/fixtures/agreement/claims_round6b_300.second.jsonl
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from reef.text.evaluate import claim_key, prf


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def paired(gold_path: Path, second_path: Path) -> list[tuple[dict, set, set]]:
    """(row, labeller-1 keys, labeller-2 keys) per sentence; the two files must hold the same ids and texts."""
    gold, second = _rows(gold_path), {r["id"]: r for r in _rows(second_path)}
    if set(second) != {r["id"] for r in gold}:
        raise SystemExit(f"{second_path}: ids differ from {gold_path}")
    out = []
    for r in gold:
        s = second[r["id"]]
        if s["text"] != r["text"]:
            raise SystemExit(f"{second_path}: text of {r['id']} differs from {gold_path}")
        out.append((r, {claim_key(c) for c in r["claims"]}, {claim_key(c) for c in s["claims"]}))
    return out


def line(label: str, rows: list[tuple[dict, set, set]]) -> str:
    p, r, g = prf([(a, b) for _, a, b in rows])
    same = sum(a == b for _, a, b in rows)
    f1 = 2 * p * r / max(p + r, 1e-9)
    return f"| {label} | {len(rows)} | {g} | {sum(len(b) for _, _, b in rows)} | {p:.3f} | {r:.3f} | {f1:.3f} | {same / len(rows):.3f} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", type=Path, nargs="+", help="pairs: labeller 1 (gold), labeller 2")
    ap.add_argument("--diff", action="store_true", help="print the sentences where the two labellings differ")
    args = ap.parse_args()
    if len(args.files) % 2:
        raise SystemExit("give the files in pairs: GOLD SECOND ...")
    pairs = [(args.files[i], args.files[i + 1]) for i in range(0, len(args.files), 2)]
    print("| set, part | sentences | labeller 1 claims | labeller 2 claims | precision | recall | F1 | sentences identical |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    pooled: list[tuple[dict, set, set]] = []
    for gold, second in pairs:
        rows = paired(gold, second)
        pooled += rows
        print(line(gold.stem, rows))
        for src in sorted({r.get("source") for r, _, _ in rows if r.get("source")}):
            print(line(f"{gold.stem}, {src}", [x for x in rows if x[0].get("source") == src]))
    if len(pairs) > 1:
        print(line("pooled", pooled))
        for src in sorted({r.get("source") for r, _, _ in pooled if r.get("source")}):
            print(line(f"pooled, {src}", [x for x in pooled if x[0].get("source") == src]))
    if args.diff:
        print()
        for r, a, b in pooled:
            if a != b:
                print(f"- {r['id']} `{r['text'][:80]}` labeller 1 only {sorted(a - b)}, labeller 2 only {sorted(b - a)}")


if __name__ == "__main__":
    main()
