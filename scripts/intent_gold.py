"""Build the intent gold set from two blind labellers and an adjudication of the texts they labelled differently.

Steps (tests/text/fixtures/intents_guidelines.md holds the conventions):

1. ``disagreements DRAFT FIRST SECOND > /tmp/to_adjudicate.jsonl``: the texts whose label sets differ, with both
   labellings, for a third reader (who sees both, not the product's output) to decide.
2. ``build DRAFT FIRST SECOND ADJUDICATED``: writes tests/text/fixtures/intents_300.jsonl (key, source, part,
   intents; no text) and the two labellings to tests/text/fixtures/agreement/intents_300.{first,second}.jsonl
   (keys and labels only). A text's gold is the agreed set, or the adjudicated set where they differed. Prints the
   agreement (Cohen's kappa per intent).

3. ``train TRAIN_DRAFT LABELS...``: writes tests/text/fixtures/intents_train.jsonl (key, source, part, intents) from
   the training draw (``select_intent_texts.py --train``) and its single labellings (each file labels some of its
   keys; together every key once).

DRAFT is the output of scripts/select_intent_texts.py (key, source, part, text). FIRST / SECOND / ADJUDICATED are
JSONL of {"key", "intents"}.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reef.text.evaluate import read_jsonl as _rows  # noqa: E402
from reef.text.intent_scores import labeller_agreement  # noqa: E402
from reef.text.intents import INTENTS  # noqa: E402

FIXTURES = ROOT / "tests" / "text" / "fixtures"


def _labels(path: Path, keys: list[str]) -> dict[str, list[str]]:
    return _labels_of(_rows(path), keys, str(path))


def _labels_of(labelled: list[dict], keys: list[str], where: str) -> dict[str, list[str]]:
    rows = {r["key"]: r["intents"] for r in labelled}
    if set(rows) != set(keys) or len(rows) != len(labelled):
        raise SystemExit(f"{where}: keys differ from the draft ({len(set(keys) ^ set(rows))} differ)")
    bad = {i for v in rows.values() for i in v} - set(INTENTS)
    if bad:
        raise SystemExit(f"{where}: unknown intents {sorted(bad)}")
    return {k: [i for i in INTENTS if i in rows[k]] for k in keys}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=["disagreements", "build", "train"])
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args()
    draft = _rows(args.files[0])
    if args.step == "train":
        labels = [r for path in args.files[1:] for r in _rows(path)]
        decided = _labels_of(labels, [r["key"] for r in draft], "the training labellings")
        with open(FIXTURES / "intents_train.jsonl", "w", encoding="utf-8") as fh:
            for r in draft:
                fh.write(json.dumps({"key": r["key"], "source": r["source"], "part": r["part"],
                                     "intents": decided[r["key"]]}, ensure_ascii=False) + "\n")
        print(f"wrote intents_train.jsonl ({len(draft)} texts)")
        return
    keys = [r["key"] for r in draft]
    first, second = _labels(args.files[1], keys), _labels(args.files[2], keys)
    differ = [r for r in draft if set(first[r["key"]]) != set(second[r["key"]])]
    if args.step == "disagreements":
        for r in differ:
            print(json.dumps({"key": r["key"], "text": r["text"], "first": first[r["key"]],
                              "second": second[r["key"]]}, ensure_ascii=False))
        return
    decided = _labels(args.files[3], [r["key"] for r in differ])
    gold = FIXTURES / "intents_300.jsonl"
    with open(gold, "w", encoding="utf-8") as fh:
        for r in draft:
            intents = decided.get(r["key"], first[r["key"]])
            fh.write(json.dumps({"key": r["key"], "source": r["source"], "part": r["part"], "intents": intents},
                                ensure_ascii=False) + "\n")
    for name, labels in (("first", first), ("second", second)):
        with open(FIXTURES / "agreement" / f"intents_300.{name}.jsonl", "w", encoding="utf-8") as fh:
            for k in keys:
                fh.write(json.dumps({"key": k, "intents": labels[k]}, ensure_ascii=False) + "\n")
    agreement = labeller_agreement([{"key": k, "intents": first[k]} for k in keys],
                                   [{"key": k, "intents": second[k]} for k in keys])
    print(f"wrote {gold} ({len(draft)} texts, {len(differ)} adjudicated)")
    print(json.dumps(agreement, ensure_ascii=False))


if __name__ == "__main__":
    main()
