"""Sentiment of English text: VADER's rule-based lexicon (registry package ``vaderSentiment``, lexicon inside it).

Why: Reef's sentiment models learnt from Chinese car forums; on English their n-grams mean nothing and every
English post read neutral (score about -0.05), so a Stack Exchange community showed no negative member at all.
VADER needs no training data and no download. Its ``compound`` (-1..1) becomes Reef's three probabilities:
P(pos) = max(c, 0), P(neg) = max(-c, 0), P(neutral) = 1 - |c|, so ``sentiment_score`` (P(pos) - P(neg)) is the
compound itself, in Reef's range. The label uses ``[text] en_positive`` / ``en_negative`` (VADER's published
±0.05); these probabilities are no calibrated figures (measured: docs/text-quality.md, English sentiment).

Example:
    >>> p = english_sentiment(["Thanks, this is a great answer!", "This does not work, terrible."])
    >>> [round(float(x), 2) for x in p[:, 2] - p[:, 0]]
    [0.8, -0.48]
    >>> decide_english(p, positive=0.05, negative=-0.05).tolist()
    [1, -1]
"""
from __future__ import annotations

from functools import lru_cache
from importlib import metadata

import numpy as np

from reef.errors import MissingDependencyError

__all__ = ["english_sentiment", "decide_english", "vader_version", "ENGLISH"]

ENGLISH = ("en",)  # the languages (reef.text.normalize) VADER reads


@lru_cache(maxsize=1)
def _analyzer():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as exc:  # pragma: no cover - part of the text extra
        raise MissingDependencyError("vaderSentiment", "text") from exc
    return SentimentIntensityAnalyzer()


def vader_version() -> str:
    """``vader-<version>`` of the installed package: part of the features version, so an upgrade re-enriches."""
    try:
        return "vader-" + metadata.version("vaderSentiment")
    except metadata.PackageNotFoundError:
        return "vader-missing"


def english_sentiment(texts: list[str]) -> np.ndarray:
    """(n, 3) float32 probabilities (negative, neutral, positive) from VADER's compound of each text."""
    analyzer = _analyzer()
    c = np.array([analyzer.polarity_scores(t)["compound"] for t in texts], dtype=np.float32).reshape(-1)
    return np.stack([np.maximum(-c, 0), 1 - np.abs(c), np.maximum(c, 0)], axis=1).astype(np.float32)


def decide_english(probs: np.ndarray, *, positive: float, negative: float) -> np.ndarray:
    """-1/0/1 per row: the compound (P(pos) - P(neg)) at least ``positive`` is 1, at most ``negative`` is -1."""
    c = probs[:, 2] - probs[:, 0]
    return np.where(c >= positive, 1, np.where(c <= negative, -1, 0)).astype(np.int8)
