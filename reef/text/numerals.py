"""Numbers written in Arabic or Chinese numerals, as owners write them.

Handles ``520``, ``3.9``, ``2.5万``, ``五百二十``, ``三点九``, ``二十万``, ``两千``,
``一百五`` (colloquial 150), split amounts (``1万3`` = 13,000, ``24万6``, ``2万零500``,
``7万5千``) and full-width digits. Returns ``None`` for anything that is not a number, so
callers can skip instead of guessing. :func:`parse_colloquial_range` reads "七八万" (70,000 to
80,000), which is a range, not one number.

Example:
    >>> parse_number("五百二十")
    520.0
    >>> parse_number("3.9")
    3.9
    >>> parse_number("2.5万")
    25000.0
    >>> parse_number("1万3"), parse_number("2万零500")
    (13000.0, 20500.0)
    >>> parse_colloquial_range("七八万")
    (70000.0, 80000.0)
"""
from __future__ import annotations

import math
import re
import sys

__all__ = ["parse_number", "parse_colloquial_range", "parse_span", "NUMBER_PATTERN"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
# Digits with an optional sign and decimal point: what float() should read here. float() alone also takes "nan",
# "inf", "1e5" and "1_000", none of which is a number an owner writes.
_ARABIC = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")
_FLOAT_MAX = int(sys.float_info.max)  # a Chinese numeral beyond it ("一亿亿亿…") is no float: refused, not an error

# A number as it appears in text: Arabic (optionally followed by 万/千) or a run of Chinese numerals.
# Chinese runs must not start with 十-less unit characters alone (e.g. "万" by itself is not a number).
# "1万3" / "24万6" / "7万5千" / "2万零500" / "2万500": an amount split at 万, the tail in thousands
# (one digit) or in units (after 零, or three-four digits); not "3万5年" or "6万8万" (two amounts).
_SPLIT_TAIL = r"(?:零\d{1,4}|\d千?|\d{3,4})(?![\d.万千年月日天号次个款])"
NUMBER_PATTERN = (
    r"(?:\d+(?:\.\d+)?(?:万" + _SPLIT_TAIL + r"|[万千])?"
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
            if total > _FLOAT_MAX:  # stop before the integer grows with every further 亿
                return None
        else:
            return None
    if digit is not None:
        # Colloquial "一百五" = 150, "两万三" = 23000: a trailing digit scales to one below the last unit.
        if last_unit >= 100 and text[-2] not in _DIGITS:
            section += digit * (last_unit // 10)
        else:
            section += digit
    return total + section if total + section <= _FLOAT_MAX else None


_SPLIT = re.compile(r"(\d+(?:\.\d+)?)万(零)?(\d+)(千)?")
_CN_DIGITS = "一二三四五六七八九"
_PAIR = re.compile(rf"(十|[{_CN_DIGITS}]十)?([{_CN_DIGITS}两])([{_CN_DIGITS}])(十|百|千|万|十万|百万|千万)?")
_MULTIPLIERS = {None: 1, "十": 10, "百": 100, "千": 1000, "万": 10_000, "十万": 100_000, "百万": 1_000_000,
                "千万": 10_000_000}


def parse_number(text: str) -> float | None:
    """Parse one number token (Arabic, Chinese, or Arabic with 万/千) to a float, or None."""
    value = _parse(text.strip().translate(_FULLWIDTH).replace(",", "")) if text else None
    return value if value is None or math.isfinite(value) else None  # 400 digits overflow to inf: not a reading


def _parse(text: str) -> float | None:
    if not text:
        return None
    split = _SPLIT.fullmatch(text)
    if split:
        head, zero, tail, thousand = split.groups()
        if zero or len(tail) >= 3:  # "2万零500", "2万500": the tail is in units
            return None if thousand else float(head) * 10_000 + int(tail)
        if len(tail) == 1:  # "1万3" = 13,000; "7万5千" the same with 千 written
            return float(head) * 10_000 + int(tail) * 1000
        return None
    mult = 1.0
    if text[-1] in "万千" and len(text) > 1 and (text[-2].isdigit() or text[-2] == "."):
        mult = 10_000.0 if text[-1] == "万" else 1000.0
        text = text[:-1]
    if _ARABIC.fullmatch(text):
        return float(text) * mult
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


def parse_colloquial_range(text: str) -> tuple[float, float] | None:
    """Two adjacent Chinese digits as a rough range: "七八万" -> (70000.0, 80000.0), "两三万", "十七八".

    Only ascending neighbours from two up ("七八", "三四十"): "五五", "八七" or "一二" stay unread
    (codes, years).
    """
    m = _PAIR.fullmatch(text.strip()) if text else None
    if not m:
        return None
    tens, lo, hi, unit = m.groups()
    a, b = _DIGITS[lo], _DIGITS[hi]
    if b != a + 1 or a == 1:  # "一二" is more often 12 or a year than "one or two"
        return None
    base = 0 if tens is None else (_DIGITS[tens[0]] if len(tens) == 2 else 1) * 10
    mult = _MULTIPLIERS[unit]
    return float((base + a) * mult), float((base + b) * mult)


def parse_span(num: str, num2: str | None) -> tuple[float | None, float | None]:
    """A number and the upper end of its range, if any; "七八万" alone is the range 70,000-80,000."""
    value, value2 = parse_number(num), parse_number(num2) if num2 else None
    if value is None and value2 is None:
        value, value2 = parse_colloquial_range(num) or (None, None)
    return value, value2
