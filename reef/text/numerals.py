"""Numbers written in Arabic or Chinese numerals, as owners write them.

Handles ``520``, ``3.9``, ``2.5万``, ``五百二十``, ``三点九``, ``二十万``, ``两千``,
``一百五`` (colloquial 150) and full-width digits. Returns ``None`` for anything that
is not a number, so callers can skip instead of guessing.

Example:
    >>> parse_number("五百二十")
    520.0
    >>> parse_number("3.9")
    3.9
    >>> parse_number("2.5万")
    25000.0
"""
from __future__ import annotations

import re

__all__ = ["parse_number", "NUMBER_PATTERN"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

# A number as it appears in text: Arabic (optionally followed by 万/千) or a run of Chinese numerals.
# Chinese runs must not start with 十-less unit characters alone (e.g. "万" by itself is not a number).
NUMBER_PATTERN = (
    r"(?:\d+(?:\.\d+)?(?:[万千])?"
    r"|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+)?)"
)


def _parse_chinese_integer(text: str) -> int | None:
    total = 0          # completed 万/亿 groups
    section = 0        # the part below the current big unit
    digit: int | None = None
    last_unit = 1
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                return None  # "五五" is not a numeral we read (years/codes); refuse rather than guess
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            section += (1 if digit is None else digit) * unit  # "十二" means 12
            digit, last_unit = None, unit
        elif ch in _BIG_UNITS:
            unit = _BIG_UNITS[ch]
            section += digit or 0
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, digit, last_unit = 0, None, unit
        else:
            return None
    if digit is not None:
        # Colloquial "一百五" = 150, "两万三" = 23000: a trailing digit scales to one below the last unit.
        if last_unit >= 100 and text[-2] not in _DIGITS:
            section += digit * (last_unit // 10)
        else:
            section += digit
    return total + section


def parse_number(text: str) -> float | None:
    """Parse one number token (Arabic, Chinese, or Arabic with 万/千) to a float, or None."""
    if not text:
        return None
    text = text.strip().translate(_FULLWIDTH).replace(",", "")
    mult = 1.0
    if text[-1] in "万千" and len(text) > 1 and (text[-2].isdigit() or text[-2] == "."):
        mult = 10_000.0 if text[-1] == "万" else 1000.0
        text = text[:-1]
    try:
        return float(text) * mult
    except ValueError:
        pass
    integer, _, fraction = text.partition("点")
    if not integer or integer[0] in _BIG_UNITS or integer[0] in "百千":
        return None
    value = _parse_chinese_integer(integer)
    if value is None:
        return None
    if fraction:
        if any(ch not in _DIGITS for ch in fraction):
            return None
        return float(f"{value}.{''.join(str(_DIGITS[c]) for c in fraction)}")
    return float(value)


