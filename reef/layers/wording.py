"""How the layers' stored words read in each language: terms and circle names (an aspect has an English name),
plaza topics (a kind of post is a word: guide is 攻略) and the council's tenure bands (``730d+`` is 两年以上).

The analyses store what they measured (Chinese terms, kind codes, ``<365d`` bands); readers, the export and the pages
word them here, so the CLI, the API, the dashboard and the workbook say the same thing.

Example:
    >>> term_label("续航与充电", "en"), term_label("改装", "en"), circle_label("充电与续航·价格·电耗", "en")
    ('range and charging', '改装', 'range and charging·price·电耗')
    >>> tenure_label("730d+"), tenure_label("365-730d", "en"), tenure_label("<365d"), tenure_label("<200d")
    ('两年以上', '1-2 years', '不满一年', '不满200天')
    >>> topic_label("guide", "kind"), topic_label("价格", "aspect", "en")
    ('攻略', 'price')
"""
from __future__ import annotations

import re

from reef.i18n import ASPECT_EN, code_label, plural

__all__ = ["term_label", "circle_label", "topic_label", "tenure_label", "TenureNames", "TOPIC_NAMES", "KIND_NAMES"]

# Kinds of plaza thread by name (the export's 受欢迎话题 and the CLI's table say 攻略, not guide).
KIND_NAMES: dict[str, tuple[str, str]] = {"thread": ("帖子", "thread"), "photo": ("图片", "photo"), "video": ("视频", "video"),
                                          "poll": ("投票", "poll"), "event": ("活动", "event"), "guide": ("攻略", "guide")}
# The plaza topics' names on the export sheet: kinds of post, and the 14 aspects in English.
TOPIC_NAMES: dict[str, tuple[str, str]] = {**KIND_NAMES, **{zh: (zh, en) for zh, en in ASPECT_EN.items()}}
_JOINERS = re.compile(r"[与和及、&/]")
# An aspect by the words it joins (续航与充电: {续航, 充电}), so a tag joining the same words reads as the aspect in English.
_SAME_WORDS = {frozenset(_JOINERS.split(zh)): zh for zh in ASPECT_EN if len(_JOINERS.split(zh)) > 1}
_BAND = re.compile(r"^(?:<(\d+)d|(\d+)-(\d+)d|(\d+)d\+)$")


def term_label(term: str | None, lang: str = "zh") -> str | None:
    """A circle's term in ``lang``: an aspect by its English name in English; tags and words as members wrote them."""
    if term is None or lang != "en":
        return term
    if term in ASPECT_EN:
        return ASPECT_EN[term]
    same = _SAME_WORDS.get(frozenset(w for w in _JOINERS.split(term) if w))  # the tag 充电与续航 is the aspect 续航与充电
    return ASPECT_EN[same] if same else term


def circle_label(name: str | None, lang: str = "zh") -> str | None:
    """A circle's name (terms joined with ·) in ``lang``, each term by :func:`term_label`."""
    if not name or lang != "en":
        return name
    return "·".join(term_label(t, lang) or "" for t in str(name).split("·"))


def topic_label(topic: str | None, topic_type: str | None, lang: str = "zh") -> str | None:
    """A plaza topic in ``lang``: a kind of post by its name (攻略 / guide), an aspect in English in English, a tag
    as written."""
    if topic is None:
        return None
    if topic_type == "kind":
        return KIND_NAMES.get(topic, (code_label(topic, lang),) * 2)[1 if lang == "en" else 0]
    return term_label(topic, lang) if topic_type == "aspect" else topic


def _span(days: int, lang: str) -> str:
    if days % 365 == 0:
        years = days // 365
        if lang == "en":
            return plural(years, "year")
        return ("一两三四五六七八九十"[years - 1] if 1 <= years <= 10 else str(years)) + "年"
    return f"{days}天" if lang != "en" else plural(days, "day")


def tenure_label(band: str | None, lang: str = "zh") -> str | None:
    """A council tenure band (:func:`reef.layers.council.tenure_band`: ``<365d``, ``365-730d``, ``730d+``) in words;
    anything else as it is."""
    m = _BAND.match(band or "")
    if not m:
        return band
    below, low, high, above = m.groups()
    en = lang == "en"
    if below:
        return f"under {_span(int(below), 'en')}" if en else f"不满{_span(int(below), lang)}"
    if above:
        return f"{_span(int(above), 'en')} or more" if en else f"{_span(int(above), lang)}以上"
    lo, hi = int(low), int(high)
    # a range reads in the plural whatever its ends ("0-1 years"): no count for reef.i18n.plural
    if lo % 365 == 0 and hi % 365 == 0:
        return f"{lo // 365}-{hi // 365}" + (" years" if en else "年")
    return f"{lo}-{hi}" + (" days" if en else "天")


class TenureNames(dict):
    """The export's names of every tenure band (``Sheet.codes``): any band of any ``council_tenure_bands``.

    >>> "730d+" in TenureNames(), TenureNames()["730d+"], "c01" in TenureNames()
    (True, ('两年以上', '2 years or more'), False)
    """

    def __bool__(self) -> bool:  # holds every band although it stores none (code_name tests ``names and ...``)
        return True

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and bool(_BAND.match(code))

    def __getitem__(self, code: str) -> tuple[str, str]:
        return tenure_label(code, "zh"), tenure_label(code, "en")
