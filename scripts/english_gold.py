"""English sentiment gold set: draw Stack Exchange texts, and score Reef's English sentiment against the hand labels.

Reef does not read the sentiment of English text (its models are Chinese; every English item reads neutral), so its
macro-F1 here equals the always-neutral baseline: the figures say what an operator gets, docs/text.md, English text.
VADER (registry package ``vaderSentiment``) was measured on the same texts and not adopted; its figures are printed
as well when that package happens to be importable (it is no dependency of Reef).

The keys and labels live in tests/text/fixtures/english_sentiment_200.jsonl (keys only: the texts are read from
../shared/data at run time, never copied into the repository); the labelling guidelines are
tests/text/fixtures/english_sentiment_guidelines.md.

    .venv/bin/python scripts/english_gold.py --draw 200     # print the seeded uniform draw (key and text) to label
    .venv/bin/python scripts/english_gold.py                # score analyze() (and VADER if installed) on the labels

The draw is uniform over every question, answer and comment of the two dumps pooled (seed 36); a post is its title
and body as `reef import` stores it (title, newline, body).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SITES = ("se-quantumcomputing", "se-bicycles-meta")
sys.path.insert(0, str(ROOT))  # this checkout's reef, not an installed one
FIXTURE = ROOT / "tests" / "text" / "fixtures" / "english_sentiment_200.jsonl"
SEED = 36


def site_texts(data: Path, site: str) -> dict[str, str]:
    """``{"<site>/p<id>" or "<site>/c<id>": text}`` of the site's questions and answers (title + newline + body) and
    comments; other post types (tag wikis) are left out."""
    out: dict[str, str] = {}
    with gzip.open(data / site / "Posts.xml.gz") as fh:
        for _, el in ET.iterparse(fh):
            if el.tag == "row" and el.get("PostTypeId") in ("1", "2"):
                title, body = el.get("Title"), el.get("Body") or ""
                out[f"{site}/p{el.get('Id')}"] = f"{title}\n{body}" if title else body
            el.clear()
    with gzip.open(data / site / "Comments.xml.gz") as fh:
        for _, el in ET.iterparse(fh):
            if el.tag == "row":
                out[f"{site}/c{el.get('Id')}"] = el.get("Text") or ""
            el.clear()
    return out


def all_texts(data: Path = DATA) -> dict[str, str]:
    texts: dict[str, str] = {}
    for site in SITES:
        texts.update(site_texts(data, site))
    return texts


def draw(texts: dict[str, str], n: int, seed: int = SEED) -> list[str]:
    """``n`` keys drawn uniformly without replacement, in a fixed order (sorted keys, seeded sample)."""
    return random.Random(seed).sample(sorted(texts), n)


def macro_f1(gold: list[int], pred: list[int]) -> float:
    scores = []
    for c in (-1, 0, 1):
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / 3


def figures(gold: list[int], pred: list[int]) -> dict:
    """Macro-F1, accuracy and the confusion counts (``"gold->predicted"``) of ``pred`` against ``gold``."""
    pairs = list(zip(gold, pred))
    return {"macro_f1": round(macro_f1(gold, pred), 4), "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4),
            "confusion": {f"{g}->{p}": pairs.count((g, p)) for g in (-1, 0, 1) for p in (-1, 0, 1)}}


def vader_labels(texts: list[str], positive: float = 0.05, negative: float = -0.05) -> list[int] | None:
    """VADER's -1/0/1 with its published thresholds (compound >= 0.05 positive, <= -0.05 negative), or None when
    ``vaderSentiment`` is not installed."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    compound = [SentimentIntensityAnalyzer().polarity_scores(t)["compound"] for t in texts]
    return [1 if c >= positive else -1 if c <= negative else 0 for c in compound]


def score(rows: list[dict], texts: dict[str, str]) -> dict:
    """Reef's reading (``analyze()``) of the labelled English rows against the labels, the always-neutral baseline
    and, when ``vaderSentiment`` is importable, the rejected candidate VADER (``"vader"``; None without it)."""
    from reef.text import analyze

    table = analyze([texts[r["key"]] for r in rows]).to_pylist()
    keep = [(r["label"], t["sentiment"], t["text"]) for r, t in zip(rows, table) if t["language"] == "en"]
    gold = [g for g, _, _ in keep]
    vader = vader_labels([x for _, _, x in keep])
    return {"labelled": len(rows), "english": len(keep), "gold": {c: gold.count(c) for c in (-1, 0, 1)},
            "reef": figures(gold, [p for _, p, _ in keep]), "always_neutral": figures(gold, [0] * len(gold)),
            "vader": None if vader is None else figures(gold, vader)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draw", type=int, help="print this many drawn keys and texts (JSON lines) to label")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args(argv)
    texts = all_texts(args.data)
    if args.draw:
        for key in draw(texts, args.draw):
            print(json.dumps({"key": key, "text": texts[key]}, ensure_ascii=False))
        return 0
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(json.dumps(score(rows, texts), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
