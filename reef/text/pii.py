"""Personal data in member text: phone numbers, licence plates, VINs, ID-card numbers, WeChat and QQ ids.

Each kind has a shape check and, where one exists, a checksum (ID card: ISO 7064 MOD 11-2;
VIN: ISO 3779 check digit, which Chinese VINs carry too), so prices, mileages and order
numbers that merely look like phones are not flagged. Spans index the text as given.

Example:
    >>> [(s["kind"], s["text"]) for s in find_pii("加我微信 car_fan2024，电话13812345678")]
    [('wechat', 'car_fan2024'), ('phone', '13812345678')]
    >>> mask_pii("电话13812345678")
    '电话138****5678'
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["find_pii", "mask_pii", "PII_KINDS"]

PII_KINDS = ("phone", "plate", "vin", "id_card", "wechat", "qq")

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PATTERNS: dict[str, re.Pattern] = {
    # Mainland mobile: 1[3-9] + 9 digits, optional +86 and separators; not inside a longer number.
    "phone": re.compile(r"(?<![\d.])(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?![\d.]|\s*(?:元|块|万|公里|km|次))"),
    # Plates: province + letter + 5 (fuel) or 6 (new-energy) alphanumerics, optional separator.
    "plate": re.compile(rf"(?<![A-Za-z0-9])[{_PROVINCES}][A-HJ-NP-Z][·\s]?[A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳]{{1,2}}(?![A-Za-z0-9])"),
    "vin": re.compile(r"(?<![A-Za-z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])"),
    "id_card": re.compile(r"(?<![\dXx])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])"),
    "wechat": re.compile(r"(?:微信|威信|薇信|VX|vx|Vx|wx|WX|weixin|wechat|V信|v信)(?:号)?\s*[:：是为]?\s*(?P<id>[a-zA-Z][-_a-zA-Z0-9]{5,19})"),
    "qq": re.compile(r"(?:QQ|qq|扣扣|企鹅)(?:号|群)?\s*[:：是为]?\s*(?P<id>[1-9]\d{4,10})(?!\d)"),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_VALUES = {**{str(d): d for d in range(10)},
               **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9,
               **dict(zip("STUVWXYZ", range(2, 10)))}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _vin_ok(vin: str) -> bool:
    if not (any(c.isalpha() for c in vin) and any(c.isdigit() for c in vin)):
        return False  # 17 digits is an order number, 17 letters is a word
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


def _id_ok(number: str) -> bool:
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def find_pii(text: str) -> list[dict[str, Any]]:
    """PII spans in ``text``: dicts with kind, start, end and the matched text, in order."""
    if not text:
        return []
    spans: list[dict[str, Any]] = []
    for kind, pattern in _PATTERNS.items():
        for m in pattern.finditer(text):
            group = "id" if kind in ("wechat", "qq") else 0
            start, end = m.span(group)
            value = m.group(group)
            if kind == "vin" and not _vin_ok(value.upper()):
                continue
            if kind == "id_card" and not _id_ok(value):
                continue
            if kind == "wechat" and value.isdigit():
                continue
            spans.append({"kind": kind, "start": start, "end": end, "text": value})
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"])))
    kept: list[dict[str, Any]] = []
    for span in spans:  # an ID card contains phone-like digits: keep the longest, earliest span
        if kept and span["start"] < kept[-1]["end"]:
            continue
        kept.append(span)
    return kept


def _mask_one(kind: str, value: str) -> str:
    if kind == "phone":
        digits = re.sub(r"\D", "", value)[-11:]
        return f"{digits[:3]}****{digits[-4:]}"
    if kind == "plate":
        return value[:2] + "*" * (len(value) - 3) + value[-1]
    if kind in ("vin", "id_card"):
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return value[:1] + "*" * (len(value) - 1)


def mask_pii(text: str, spans: list[dict[str, Any]] | None = None, *, char: str | None = None) -> str:
    """Mask every PII span, keeping a hint of its shape (``138****5678``).

    With ``char`` every character of every span is replaced by it instead.
    """
    if not text:
        return text
    spans = find_pii(text) if spans is None else spans
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s["start"]):
        value = text[span["start"]:span["end"]]
        out.append(text[last:span["start"]])
        out.append(char * len(value) if char else _mask_one(span["kind"], value))
        last = span["end"]
    out.append(text[last:])
    return "".join(out)
