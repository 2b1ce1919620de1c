"""Packaged lexicons: the segmenter's car dictionary, car model names, seed aspect cues.

All files live in ``reef/text/resources`` and are read once per process (cached), so
nothing is fetched at run time and a fork-based worker pool shares them.

Example:
    >>> bool(car_models_pattern().search("我的汉EV续航很稳"))
    True
    >>> "续航与充电" in seed_aspects()
    True
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from reef.errors import MissingDependencyError

__all__ = ["resource_text", "car_dictionary", "car_models_pattern", "seed_aspects", "segmenter"]


def resource_text(name: str) -> str:
    """The text of one packaged resource file."""
    return resources.files("reef.text").joinpath("resources", name).read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in resource_text(name).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def car_dictionary() -> list[tuple[str, int]]:
    """(word, frequency) pairs of the car-domain user dictionary."""
    out = []
    for line in _lines("car_dict.txt"):
        word, _, freq = line.rpartition(" ")
        if not word or not freq.isdigit():
            word, freq = line, "50000"
        out.append((word, int(freq)))
    return out


@lru_cache(maxsize=1)
def car_models_pattern() -> re.Pattern:
    """One compiled regex matching any known car model name."""
    alternatives = _lines("car_models.txt")
    body = "|".join(f"(?:{a})" for a in alternatives)
    return re.compile(rf"(?<![A-Za-z0-9.])(?:{body})(?![A-Za-z0-9])")


@lru_cache(maxsize=1)
def seed_aspects() -> dict[str, re.Pattern]:
    """Aspect name -> cue regex: the aspects without labelled training data, and fire cues for 安全性."""
    out: dict[str, re.Pattern] = {}
    for line in _lines("aspect_lexicon.txt"):
        name, _, cues = line.partition("\t")
        out[name.strip()] = re.compile(cues.strip(), re.IGNORECASE)
    return out


@lru_cache(maxsize=1)
def segmenter():
    """An rjieba segmenter loaded with the car dictionary (``.cut(text)`` -> tokens)."""
    try:
        import rjieba
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise MissingDependencyError("rjieba", "text") from exc
    jieba = rjieba.Jieba()
    for word, freq in car_dictionary():
        jieba.add_word(word, freq, None)
    return jieba
