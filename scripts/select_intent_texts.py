"""Draw the 300 real texts of the intent gold set (tests/text/fixtures/intents_300.jsonl).

The intent cues of reef/text/intents.py were written without labelled data; this set measures them.
150 CCF car-forum posts and 150 Weibo comments/reposts of ../shared/data/weibo-ced (the repost chain
"//@..." cut off, the text before it kept), drawn by a seeded shuffle from every text of 8-200
characters (CCF: unique post texts; Weibo: texts with at least 4 CJK characters that are not a bare
"转发微博"). Uniform draws, not filtered by any cue, so every intent is measured at its real rate.

The committed fixture holds only keys (``ccf:<sha1 of the post text, 16 hex>`` / ``weibo:<mid>``)
and labels; the texts stay in ../shared/data and are looked up by
:func:`reef.text.datasets.intent_texts`. The draft printed here (key, source, text, empty labels) is
for the labellers, who write labels without seeing the cues' output.

Split, fixed before any label was written: ``part = "dev"`` for the first 75 drawn of each source,
``"held_out"`` for the other 75. A later change to the cues may be developed on ``dev`` only and is
judged on ``held_out``; the first measurement (cues as they were on 2026-11-22) is blind on both.

Usage: .venv/bin/python scripts/select_intent_texts.py > /tmp/intents_draft.jsonl

``--train`` draws the training set tests/text/fixtures/intents_train.jsonl instead: 600 texts per source, seed
2612, every key of intents_300.jsonl excluded, ``part = "train"``; each text labelled once, by one of four
labellers (chunks of 300), with the same guidelines. Models and cue changes may be fitted on it and tuned on the
gold set's ``dev`` part; the gold set's ``held_out`` part is measured once per adopted change.
Usage: .venv/bin/python scripts/select_intent_texts.py --train > /tmp/intents_train_draft.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reef.text.datasets import intent_pool  # noqa: E402
from reef.text.evaluate import default_data_dir, read_jsonl  # noqa: E402

SEED = 2611
PER_SOURCE = 150
DEV_PER_SOURCE = 75
TRAIN_SEED = 2612
TRAIN_PER_SOURCE = 600
GOLD = Path(__file__).resolve().parents[1] / "tests" / "text" / "fixtures" / "intents_300.jsonl"


def draw(data_dir: Path, seed: int = SEED, per_source: int = PER_SOURCE, exclude: set[str] = frozenset(),
         part: str | None = None) -> list[dict]:
    """The drawn rows, in draw order per source (CCF first), with their part (``part`` overrides dev/held_out)."""
    rows = []
    for offset, source in enumerate(("ccf", "weibo")):
        pool = intent_pool(data_dir, source)
        keys = sorted(pool)
        random.Random(seed + offset).shuffle(keys)
        keys = [k for k in keys if k not in exclude]
        for i, key in enumerate(keys[:per_source]):
            rows.append({"key": key, "source": source,
                         "part": part or ("dev" if i < DEV_PER_SOURCE else "held_out"),
                         "text": pool[key], "intents": []})
    return rows


def draw_train(data_dir: Path) -> list[dict]:
    """The training draw: seed 2612, 600 per source, the gold set's keys excluded."""
    gold = {r["key"] for r in read_jsonl(GOLD)}
    return draw(data_dir, TRAIN_SEED, TRAIN_PER_SOURCE, exclude=gold, part="train")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=default_data_dir())
    ap.add_argument("--train", action="store_true", help="draw the training set instead of the gold set")
    args = ap.parse_args()
    for row in (draw_train(args.data) if args.train else draw(args.data)):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
