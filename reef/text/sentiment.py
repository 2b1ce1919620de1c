"""Post and per-aspect sentiment from two linear models, read at post and at clause level.

Why two models: whether a CCF post is opinionated at all (neutral vs polar) is a CCF-specific
call, learnt by the 3-class ``ccf_sentiment`` model; *which way* a polar text leans is general
knowledge, learnt by the binary ``ccf_polarity`` model from CCF polar posts plus ~35,000
labelled product reviews and the HowNet polarity words (read at training time only, see
docs/models/ccf_polarity.md). They combine hierarchically::

    P(neutral) = p0 from ccf_sentiment;  P(pos) = (1 - p0) * q;  P(neg) = (1 - p0) * (1 - q)

with ``q = sigmoid(slope * polarity score)``, mixed with the 3-class model's own P(pos | polar) by
the tuned ``direction_mix`` (0.5 since ccf_sentiment-4). An aspect's sentiment mixes the post's probabilities with those of
its clause (the clause the aspect model scores highest for a CCF aspect; the clauses matching
the cue for a lexicon aspect); the weights are tuned on CCF validation posts by
scripts/train_ccf.py and stored with the sentiment model (``clause_weight``,
``lexicon_clause_weight``).

Example:
    >>> split_clauses(["外观", "漂亮", "，", "但是", "车机", "太卡", "！"])
    [['外观', '漂亮'], ['但是', '车机', '太卡']]
    >>> hierarchical(np.array([[0.1, 0.6, 0.3]]), np.array([2.0]), 1.0).round(2).tolist()
    [[0.05, 0.6, 0.35]]
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

__all__ = ["split_clauses", "hierarchical", "SentimentEvidence", "sentiment_evidence", "mix"]

# Characters that end a clause; a token made only of them is a boundary.
_BOUNDARY = frozenset("，。！？；,.!?;~～…、\n")


def split_clauses(tokens: Sequence[str]) -> list[list[str]]:
    """Token lists of the clauses of one text (split at punctuation tokens); [] for no tokens."""
    out: list[list[str]] = []
    current: list[str] = []
    for tok in tokens:
        if tok[:1] in _BOUNDARY and all(ch in _BOUNDARY for ch in tok):  # first char rules out most tokens
            if current:
                out.append(current)
            current = []
        elif tok.strip():
            current.append(tok)
    if current:
        out.append(current)
    return out


def hierarchical(p3: np.ndarray, polarity: np.ndarray, slope: float, direction_mix: float = 0.0) -> np.ndarray:
    """(n, 3) probabilities ordered (-1, 0, 1) from 3-class probabilities and polarity scores.

    ``direction_mix``: share of P(pos | polar) taken from the 3-class model itself.
    """
    p3 = np.asarray(p3, dtype=np.float64)
    p0 = p3[:, 1]
    q = 1.0 / (1.0 + np.exp(-slope * np.asarray(polarity, dtype=np.float64)))
    if direction_mix:
        q = (1 - direction_mix) * q + direction_mix * p3[:, 2] / np.maximum(p3[:, 0] + p3[:, 2], 1e-12)
    return np.column_stack([(1 - p0) * (1 - q), p0, (1 - p0) * q])


def mix(post: np.ndarray, clause: np.ndarray, clause_weight: float) -> np.ndarray:
    """Per-aspect probabilities: the post's and the clause's, weighted."""
    return (1.0 - clause_weight) * post + clause_weight * clause


class SentimentEvidence:
    """What the sentiment decision needs for one batch: post probabilities and aspect pairs.

    ``post``: (n, 3) probabilities ordered (-1, 0, 1). ``pairs``: one tuple per detected aspect,
    (text index, aspect, score, source, clause probabilities (3,)), in output order.
    """

    def __init__(self, post: np.ndarray, pairs: list[tuple[int, str, float, str, np.ndarray]]):
        self.post, self.pairs = post, pairs

    def aspect_probs(self, clause_weight: float, lexicon_weight: float | None = None) -> np.ndarray:
        """(pairs, 3) probabilities of every detected aspect; lexicon aspects may weigh their clause apart."""
        if not self.pairs:
            return np.zeros((0, 3))
        rows = np.array([p[0] for p in self.pairs])
        weight = np.array([clause_weight if lexicon_weight is None or p[3] == "model" else lexicon_weight
                           for p in self.pairs])[:, None]
        return mix(self.post[rows], np.vstack([p[4] for p in self.pairs]), weight)


def _class_order(model) -> list[int]:
    return [int(np.flatnonzero(model.classes_ == c)[0]) for c in (-1, 0, 1)]


def _score(models: dict[str, Any], texts: Sequence[str], tokens: Sequence[Sequence[str]], base) -> tuple:
    """(3-class probabilities, polarity scores, aspect probabilities) of texts from shared features."""
    sent, pol, asp = models["sentiment"], models["polarity"], models["aspects"]
    feats = base if base is not None else asp.featurize(texts, tokens)
    p3 = sent.predict_proba(texts, tokens, features=sent.featurize(texts, tokens, base=feats))[:, _class_order(sent)]
    z = pol.decision_function(texts, tokens, features=pol.featurize(texts, tokens, base=feats))[:, 0]
    pa = asp.predict_proba(texts, tokens, features=feats)
    return p3, z, pa


def sentiment_evidence(texts: Sequence[str], tokens: Sequence[Sequence[str]], models: dict[str, Any], *,
                       threshold: float, cues: dict, features=None, extend: bool | None = None,
                       direction_mix: float | None = None) -> tuple[SentimentEvidence, np.ndarray]:
    """Post probabilities, aspect pairs with their clause probabilities, and aspect probabilities.

    ``models``: {"sentiment", "polarity", "aspects"} (NgramLinearModel); ``cues``: lexicon aspect ->
    regex (:func:`reef.text.lexicon.seed_aspects`; a cue naming a model aspect adds it, source "lexicon", only
    to a text where the model did not find it, so an aspect appears once); ``features``: the texts' shared n-gram
    features when already computed. ``extend``: an aspect's clause also takes the next clause
    when that one names no aspect ("车机经常死机，太垃圾了"); ``direction_mix``: share of the
    direction taken from the 3-class model instead of the polarity model. Both default to the
    values stored with the sentiment model. Texts must have words (the caller filters empty ones).
    """
    meta = models["sentiment"].meta_
    extend = bool(meta.get("extend_window", False)) if extend is None else extend
    direction_mix = float(meta.get("direction_mix", 0.0)) if direction_mix is None else direction_mix
    slope = float(models["polarity"].meta_.get("slope", 1.0))
    labels = models["aspects"].meta_["labels"]
    p3, z, p_asp = _score(models, texts, tokens, features)
    post = hierarchical(p3, z, slope, direction_mix)
    clauses = [split_clauses(t) or [list(t)] for t in tokens]
    flat_tokens = [c for cs in clauses for c in cs]
    flat_texts = ["".join(c) for c in flat_tokens]
    starts = np.concatenate([[0], np.cumsum([len(cs) for cs in clauses])]).astype(int)
    pairs: list[tuple[int, str, float, str, np.ndarray]] = []
    if flat_texts:
        c3, cz, c_asp = _score(models, flat_texts, flat_tokens, None)
        clause_p = hierarchical(c3, cz, slope, direction_mix)
        cue_hits = {name: np.array([bool(cue.search(t)) for t in flat_texts]) for name, cue in cues.items()}
        named = c_asp.max(1) >= threshold  # clauses that name an aspect themselves
        for hit in cue_hits.values():
            named |= hit

    def window(k: int, hi: int) -> np.ndarray:
        if extend and k + 1 < hi and not named[k + 1]:
            return (clause_p[k] + clause_p[k + 1]) / 2
        return clause_p[k]

    for i in range(len(texts)):
        lo, hi = int(starts[i]), int(starts[i + 1])
        found = set()
        for j in np.flatnonzero(p_asp[i] >= threshold):
            k = lo + int(np.argmax(c_asp[lo:hi, j]))
            pairs.append((i, labels[j], float(p_asp[i, j]), "model", window(k, hi)))
            found.add(labels[j])
        for name, cue in cues.items():
            # a cue for a model aspect (安全性's fire cues) adds it only when the model did not find it
            if name in found or not cue.search(texts[i]):
                continue
            hits = [window(k, hi) for k in range(lo, hi) if cue_hits[name][k]]
            # a cue split by a clause boundary matches no single clause: fall back to the post
            evidence = np.mean(hits, axis=0) if hits else post[i]
            pairs.append((i, name, 1.0, "lexicon", evidence))
    return SentimentEvidence(post, pairs), p_asp
