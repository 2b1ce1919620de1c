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
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reef.text.datasets import intent_pool  # noqa: E402
from reef.text.evaluate import default_data_dir  # noqa: E402

SEED = 2611
PER_SOURCE = 150
DEV_PER_SOURCE = 75


def draw(data_dir: Path, seed: int = SEED, per_source: int = PER_SOURCE) -> list[dict]:
    """The drawn rows, in draw order per source (CCF first), with their part."""
    rows = []
    for offset, source in enumerate(("ccf", "weibo")):
        pool = intent_pool(data_dir, source)
        keys = sorted(pool)
        random.Random(seed + offset).shuffle(keys)
        for i, key in enumerate(keys[:per_source]):
            rows.append({"key": key, "source": source, "part": "dev" if i < DEV_PER_SOURCE else "held_out",
                         "text": pool[key], "intents": []})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=default_data_dir())
    args = ap.parse_args()
    for row in draw(args.data):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
