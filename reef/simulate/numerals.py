"""Numbers as car owners write them: Arabic, Chinese numerals, decimals with 点.

Example:
    >>> zh_number(620)
    '六百二十'
    >>> zh_number(5.4)
    '五点四'
    >>> zh_number(10005)
    '一万零五'
"""
from __future__ import annotations

__all__ = ["zh_number"]

_DIGITS = "零一二三四五六七八九"
_UNITS = ("", "十", "百", "千")


def _below_10k(n: int, leading: bool = True) -> str:
    out, zero = [], False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[d] + _UNITS[pos])
    text = "".join(out)
    # 一十五 is written 十五 when it starts the number.
    return text[1:] if leading and text.startswith("一十") else text


def zh_number(x: float) -> str:
    """Write a non-negative number below 100 million in Chinese numerals."""
    if x < 0:
        raise ValueError("zh_number takes non-negative numbers")
    whole = int(x)
    frac = round(x - whole, 3)
    if whole == 0:
        text = "零"
    elif whole < 10_000:
        text = _below_10k(whole)
    else:
        high, low = divmod(whole, 10_000)
        text = _below_10k(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + _below_10k(low, leading=False)
    if frac:
        digits = f"{frac:.3f}".split(".")[1].rstrip("0")
        text += "点" + "".join(_DIGITS[int(c)] for c in digits)
    return text
