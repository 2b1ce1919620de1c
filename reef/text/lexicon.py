"""Packaged lexicons: the segmenter's car dictionary, car model names, seed aspect cues.

All files live in ``reef/text/resources`` and are read once per process (cached), so
nothing is fetched at run time and a fork-based worker pool shares them.

Example:
    >>> bool(car_models_pattern().search("我的汉EV续航很稳"))
    True
    >>> "续航与充电" in seed_aspects()
    True
    >>> [bool(seed_aspects()["智能与车机"].search(t)) for t in ("OTA升级后很流畅", "这个 notation 看不懂")]
    [True, False]
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


def _alternatives(regex: str) -> list[str]:
    """The top-level ``|`` alternatives of ``regex`` (a ``|`` inside parentheses or after a backslash stays)."""
    parts, depth, start, escaped = [], 0, 0, False
    for i, ch in enumerate(regex):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
    return parts + [regex[start:]]


def _whole_latin(cue: str) -> str:
    """``cue`` that, where it starts or ends with an ASCII letter or digit, matches only as a whole Latin word: the
    智能与车机 cue OTA matched inside "notation" and "quota", while "OTA升级" must still match. Not after a letter or
    digit, not before a letter; a digit may follow, as a version or a list number does in Chinese posts ("OTA3.0",
    "支持Carplay6.车厢" in the CCF data)."""
    head = "(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", cue) else ""
    tail = "(?![A-Za-z])" if re.search(r"[A-Za-z0-9]$", cue) else ""
    return f"{head}(?:{cue}){tail}" if head or tail else cue


@lru_cache(maxsize=1)
def seed_aspects() -> dict[str, re.Pattern]:
    """Aspect name -> cue regex: the aspects without labelled training data, and fire cues for 安全性. Latin cues
    (OTA, HUD, CarPlay, 4S店) match only as whole Latin words (:func:`_whole_latin`)."""
    out: dict[str, re.Pattern] = {}
    for line in _lines("aspect_lexicon.txt"):
        name, _, cues = line.partition("\t")
        out[name.strip()] = re.compile("|".join(_whole_latin(c) for c in _alternatives(cues.strip())), re.IGNORECASE)
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
