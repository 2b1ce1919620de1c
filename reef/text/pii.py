"""Personal data in member text: phone numbers, licence plates, VINs, ID-card numbers, WeChat and QQ ids.

Each kind has a shape check and, where one exists, a checksum (ID card: ISO 7064 MOD 11-2;
VIN: ISO 3779 check digit, which Chinese VINs carry too), so prices, mileages and order
numbers that merely look like phones are not flagged. A phone-shaped number is a count or an
amount, not a phone, when a unit or counter follows it (元, 万, 公里, km, 次, 个, 分, 积分 ...)
or an amount label comes right before it (积分, 余额, 价格, 里程 ..., a linking word such as
是 or 还有 allowed between). A 17-character code right after a
VIN label (车架号, VIN ...) is taken without the check digit: people mistype it, and the
label already says what it is. Landlines need a separator or parentheses after the area code
(``010-12345678``, ``(021)12345678``); 400/800 brand hotlines are public and never flagged.
Numbers inside URLs or right after an order / part-number label are not personal data.
Phone numbers written in Chinese numerals (一三八…) are not detected. Spans index the text as given.

Example:
    >>> [(s["kind"], s["text"]) for s in find_pii("加我微信 car_fan2024，电话13812345678")]
    [('wechat', 'car_fan2024'), ('phone', '13812345678')]
    >>> mask_pii("电话13812345678，座机0755-1234567")
    '电话138****5678，座机0755-***4567'
    >>> [s["text"] for s in find_pii("积分 13800000000 个，13912345678个人微信也是")]
    ['13912345678']
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["find_pii", "mask_pii", "PII_KINDS"]

PII_KINDS = ("phone", "plate", "vin", "id_card", "wechat", "qq")

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# A number followed by a unit is a price, distance or count, not a phone. A unit character that starts a word
# ("元旦", "万一", "次日", "度假", "个人", "分机", "分享", "分钟", "条件") is not a unit, and a full stop ends a
# sentence unless a digit follows. 分 (points) is a unit only when a particle, punctuation or nothing follows it.
_NOT_UNIT = (r"(?!\d|\.\d|\s*(?:[美欧日港]?元(?!旦|宵)|块|[万亿](?!一|分)|公里|千米|km|KM|次(?![日年月周])"
             r"|kWh|度(?!假|过)|rpm|个(?!人|体|性|别|案)|积分|金币|分(?!\w)|分(?=[了吧啊呀呢哦的])"
             r"|条(?!件|款|例)|辆|件))")
# A number right after an amount label (积分, 余额, 价格, 里程 ...), with at most a linking word or two between
# ("余额还有", "积分是", "里程："), is a count or an amount too. Any other word between ("价格咨询", "积分兑换热线")
# keeps it a phone: the label then says what the number is for. 询价, 报价 and 评价 are not labels.
_AMOUNT_LABEL = re.compile(r"(?:积分|余额|金额|总额|存款|价格|[售总单标定]价|指导价|落地价|裸车价|里程|表显|公里数"
                           r"|分数|得分|销量|数量|库存|金币|粉丝数?|播放量|阅读量|点赞数?)"
                           r"(?:[\s:：]|是|为|有|还有|剩下?|仅|只有|才|约|达到?|高达|共计?|累计|一共|总共){0,3}$")
# Area codes: 010, 02x, then four-digit 03xx-09xx; subscriber numbers (7-8 digits) never start with 0.
_AREA = r"(?:010|02\d|0[3-9]\d{2})"
_SUBSCRIBER = r"[1-9]\d{2,3}[-\s]?\d{4}"
_VIN_CHARS = "A-HJ-NPR-Z0-9"
# A WeChat id: a letter, then 5-19 letters, digits, - or _; a URL written right after it ("微信abc_123https://…") is not
# part of it, so the id still ends where the link starts.
_URL_START = r"(?i:https?://|www\.)"
_WECHAT_ID = rf"(?P<id>[a-zA-Z](?:(?!{_URL_START})[-_a-zA-Z0-9]){{5,19}})(?!(?!{_URL_START})[-_a-zA-Z0-9])"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # Mainland mobile: 1[3-9] + 9 digits, optional +86 and separators; not inside a longer number.
    ("phone", re.compile(rf"(?<![\d.])(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s.]?\d{{4}}){{2}}{_NOT_UNIT}")),
    # Landline: the area code must be set off by a separator or parentheses, so digit runs, years
    # ("2010-2012") and part numbers ("0755-123") do not match. A parenthesis sets the code off by itself, whatever
    # comes before it ("Tel(021)…", "13812345678(021)…").
    ("phone", re.compile(rf"(?:(?<![A-Za-z0-9.\-])(?:\+86[-\s]?|0)(?:10|2\d|[3-9]\d{{2}})[-\s]"
                         rf"|[(（](?:\+86[-\s]?)?{_AREA}[)）][-\s]?){_SUBSCRIBER}{_NOT_UNIT}")),
    # Plates: province + letter + 5 (fuel) or 6 (new-energy) alphanumerics, optional separator;
    # the tail is checked in _plate_ok. The province character starts a plate whatever precedes it: a phone number,
    # WeChat id or VIN written right before one ("微信abc_123456粤B12345") must not hide it.
    ("plate", re.compile(rf"[{_PROVINCES}][A-HJ-NP-Z][·•\s\-]?[A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳]{{1,2}}(?![A-Za-z0-9])")),
    ("vin", re.compile(rf"(?<![A-Za-z0-9])[{_VIN_CHARS}]{{17}}(?![A-Za-z0-9])")),
    # Labelled VIN: any case, no check digit needed (group "labelled" marks it).
    ("vin", re.compile(rf"(?:车架号码?|车辆识别(?:代号|代码|码|号)|(?<![A-Za-z])(?i:VIN)(?:码|号)?|识别码)\s*[:：/是为]?\s*"
                       rf"(?P<labelled>[{_VIN_CHARS}{_VIN_CHARS.lower()}]{{17}})(?![A-Za-z0-9])")),
    ("id_card", re.compile(r"(?<![\dXx])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")),
    ("wechat", re.compile(r"(?P<add>加\S{0,2}?)?(?:微信|威信|薇信|(?<![A-Za-z@])(?:VX|vx|Vx|wx|WX|weixin|wechat|V信|v信))"
                          r"(?P<号>号码?|ID|id|Id)?\s*(?P<sep>[:：是为])?\s*" + _WECHAT_ID)),
    # "加V：abc_123456": V alone means WeChat only right after 加.
    ("wechat", re.compile(r"(?P<add>加)\s*[Vv](?:号|信)?\s*(?P<sep>[:：])?\s*" + _WECHAT_ID)),
    ("qq", re.compile(r"(?:(?<![A-Za-z])(?:QQ|qq|Qq)|扣扣|企鹅)(?:号码?|群)?\s*[:：是为]?\s*(?P<id>[1-9]\d{4,10})(?!\d)")),
    ("qq", re.compile(r"(?<![A-Za-z0-9._%+\-])(?P<id>[1-9]\d{4,10})@(?i:qq\.com)")),
]
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
_NUMBER_LABEL = re.compile(r"(?:订单|单号|编号|流水号|运单|工单|货号|型号|零件号|料号|序列号|批次)[号码]?\s*[:：]?\s*$")
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_VALUES = {**{str(d): d for d in range(10)},
               **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9,
               **dict(zip("STUVWXYZ", range(2, 10)))}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _vin_ok(vin: str, labelled: bool = False) -> bool:
    if not (any(c.isalpha() for c in vin) and any(c.isdigit() for c in vin)):
        return False  # 17 digits is an order number, 17 letters is a word
    if labelled:  # GB 16735 / ISO 3779: the last four characters of a VIN are digits
        return vin[-4:].isdigit()
    if len(set(vin)) < 6:
        return False  # "V5555555555555555" passes the check digit but is a repeated key
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


def _id_ok(number: str) -> bool:
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def _plate_ok(text: str, start: int, value: str) -> bool:
    tail = value[2:].lstrip("·• -")
    if len(tail) == 6:  # new-energy: D/F first (small car) or last (large), the rest digits
        return (tail[0] in "DF" and tail[1:].isdigit()) or (tail[-1] in "DF" and tail[:-1].isdigit())
    # Fuel plates with two or more letters ("新GLC300") read like model names: need a separator or a label.
    if sum(c.isalpha() and c.isascii() for c in tail) >= 2:
        end = start + len(value)
        return (value[2] in "·• -" or re.search(r"(?:车牌|牌照|号牌|车号)\S{0,3}$", text[max(0, start - 6):start]) is not None
                or re.match(r"\S?(?:牌照|号牌|车牌)", text[end:end + 3]) is not None)
    return True


def _wechat_ok(m: re.Match) -> bool:
    value = m.group("id")
    if any(c.isdigit() or c in "-_" for c in value):
        return True
    # A letters-only word after 微信 ("微信 CarPlay") is an id only when the text says so.
    g = m.groupdict()
    return bool(g.get("号") or g.get("sep") or g.get("add"))


# Full-width digits and letters (１３８…, ＶＩＮ) read as their ASCII forms; one character each, so spans still
# index the text as given.
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)} | {c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)} | \
    {c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)} | {0xFF1A: ord(":")}


# ASCII letters only: str.upper() changes the length of some letters ("ß" -> "SS") and would shift the spans.
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


# What every pattern above needs at least: 7 digits (a phone: 11, or a landline's 7-8 after its area code; an ID card:
# 18; a QQ id: 5, after a cue), a province (a plate), 17 letters and digits in a row (a VIN), or a WeChat / QQ cue.
# A text with none of them is skipped before the ten patterns run: display names like 车友583161 are most of what the
# ladder and the help ledger mask (323k names took 4 s of the ledger's 15 at a million members).
_NON_DIGIT = re.compile(r"\D")
_CUES = re.compile(rf"[{_PROVINCES}]|[A-Za-z0-9]{{17}}|微信|威信|薇信|加|扣扣|企鹅|(?i:vx|wx|weixin|wechat|qq|v信)")


def _may_hold_pii(text: str) -> bool:
    return len(_NON_DIGIT.sub("", text)) >= 7 or _CUES.search(text) is not None


def find_pii(text: str) -> list[dict[str, Any]]:
    """PII spans in ``text``: dicts with kind, start, end and the matched text, in order."""
    if not text:
        return []
    original, text = text, text.translate(_HALF_WIDTH)
    if not _may_hold_pii(text):
        return []
    urls = [m.span() for m in _URL.finditer(text)]
    spans: list[dict[str, Any]] = []
    for kind, pattern in _PATTERNS:
        # Plates are written in lower case too (粤b12345); their letters are checked upper case.
        for m in pattern.finditer(text.translate(_ASCII_UPPER) if kind == "plate" else text):
            group = next((g for g in ("id", "labelled") if g in pattern.groupindex), 0)
            start, end = m.span(group)
            value = m.group(group)
            if kind == "vin" and not _vin_ok(value.upper(), labelled=group == "labelled"):
                continue
            if kind == "id_card" and not _id_ok(value):
                continue
            if kind == "plate" and not _plate_ok(text, start, value):
                continue
            if kind == "wechat" and not _wechat_ok(m):
                continue
            if kind == "phone" and (_NUMBER_LABEL.search(text[max(0, start - 8):start])
                                    or _AMOUNT_LABEL.search(text[max(0, start - 10):start])):
                continue
            if any(a <= start and end <= b for a, b in urls):
                continue
            spans.append({"kind": kind, "start": start, "end": end, "text": original[start:end]})
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"])))
    kept: list[dict[str, Any]] = []
    for span in spans:  # an ID card contains phone-like digits: keep the longest, earliest span
        if kept and span["start"] < kept[-1]["end"]:
            continue
        kept.append(span)
    return kept


_PHONE_HEAD = re.compile(r"\+?86[-\s]?(?=1[3-9])|(?:\+86[-\s]?|0)(?:10|2\d|[3-9]\d{2})[-\s]|[(（][^)）]*[)）][-\s]?")


def _mask_phone(value: str) -> str:
    # Keep the country / area code and the last four digits; mask up to four digits before them.
    head = _PHONE_HEAD.match(value)
    cut = head.end() if head else 0
    chars, kept_tail, masked = list(value), 0, 0
    for i in range(len(chars) - 1, cut - 1, -1):
        if chars[i] == "*" and kept_tail == 4:  # masked already (a masked table masked again): keep it as it is
            masked += 1
        if not chars[i].isdigit():
            continue
        if kept_tail < 4:
            kept_tail += 1
        elif masked < 4:
            chars[i], masked = "*", masked + 1
    return "".join(chars)


def _mask_one(kind: str, value: str) -> str:
    if kind == "phone":
        return _mask_phone(value)
    if kind == "plate":
        return value[:2] + "*" * (len(value) - 3) + value[-1]
    if kind in ("vin", "id_card"):
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return value[:1] + "*" * (len(value) - 1)


def mask_pii(text: str, spans: list[dict[str, Any]] | None = None, *, char: str | None = None) -> str:
    """Mask every PII span, keeping a hint of its shape (``138****5678``, ``010-****5678``).

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
