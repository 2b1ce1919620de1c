"""Numeric spec claims: range, 0-100 acceleration, charging, consumption, price, battery, warranty.

Rules, not a model: a claim is only emitted when a number carries a unit that fits an
attribute *and* an attribute cue sits in the same clause, because a community wants
few false "wrong spec" alerts more than it wants every number. Values are normalised to
one unit per attribute (km, s, min, kW, L/100km, kWh/100km, 万元, kWh, 年), so they can be
compared with the official spec sheet.

Example:
    >>> [(c["attribute"], c["value"], c["unit"]) for c in extract_claims("汉EV续航五百二十公里，零百3.9秒")]
    [('range', 520.0, 'km'), ('acceleration_0_100', 3.9, 's')]
"""
from __future__ import annotations

import re
from typing import Any

from reef.text.numerals import NUMBER_PATTERN, parse_number
from reef.text.lexicon import car_models_pattern

__all__ = ["extract_claims", "CLAIM_ATTRIBUTES"]

CLAIM_ATTRIBUTES = ("range", "acceleration_0_100", "charging_time", "charging_power", "consumption_fuel",
                    "consumption_electric", "price", "battery_capacity", "warranty")

N = NUMBER_PATTERN
_RANGE = rf"(?P<num>{N})(?:\s*[-~～到至、]\s*(?P<num2>{N}))?"  # "7、8个" is 7 to 8
_SENTENCE_END = "。！？!?；;\n"
_CLAUSE_SPLIT = re.compile(r"([。！？!?；;\n]|(?<!\d)[,，](?=\D))")
_SOC = re.compile(r"(?P<lo>\d{1,2})\s*%?\s*(?:-|~|到|至)\s*(?P<hi>\d{2,3})\s*%")

# (attribute, number+unit regex, cue regex, unit scale to canonical, canonical unit)
_RULES: list[tuple[str, re.Pattern, re.Pattern, dict[str, float], str]] = [
    ("range", re.compile(rf"{_RANGE}\s*(?P<unit>公里|km|KM|Km|千米)(?![/每])"),
     re.compile(r"续航|纯电里程|满电|CLTC|WLTC|NEDC|EPA|能跑|实测|表显"), {}, "km"),
    ("acceleration_0_100", re.compile(rf"{_RANGE}\s*(?P<unit>秒|s(?![a-zA-Z]))"),
     re.compile(r"零百|破百|百公里加速|0\s*[-到~]\s*100|加速"), {}, "s"),
    ("charging_time", re.compile(rf"{_RANGE}\s*(?P<unit>分钟|min|小时|个小时|h(?![a-zA-Z]))"),
     re.compile(r"充电|快充|慢充|超充|充满|充到|补能|充"), {"小时": 60.0, "个小时": 60.0, "h": 60.0}, "min"),
    ("charging_power", re.compile(rf"{_RANGE}\s*(?P<unit>kW|KW|kw|千瓦)(?!h|H|时)"),
     re.compile(r"充电|快充|超充|充电桩|桩|充"), {}, "kW"),
    # A bare 个 only where it can mean litres: "8个多", "7、8个左右", "10个", not "3个人".
    ("consumption_fuel", re.compile(rf"{_RANGE}\s*(?P<unit>L|升|个油|个(?=多|左右|以|上下|出头|吧|啊|了|的|呢|就|都|也|还|算|正常|而已|之间|[，。！？,.!?\s\d一二三四五六七八九]|$))(?![a-zA-Z])"),
     re.compile(r"油耗|百公里|每百公里|/100km|省油|费油"), {}, "L/100km"),
    # "油耗8.8" / "综合油耗达到过6.8": a bare number right after 油耗 is litres per 100 km.
    ("consumption_fuel", re.compile(r"(?<=油耗)(?:在|是|到了|到|达到过|达到|达|才|只有|大概|约|基本|也就|显示|为|低于|高于|:|：)?\s*"
                                    r"(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?:点多)?(?![\d.])"
                                    r"(?!\s*(?:万|千|公里|km|KM|年|月|天|%|块|元|次|度|个|升|L|秒|分|小时|码))"),
     re.compile(r"油耗"), {}, "L/100km"),
    ("consumption_fuel", re.compile(r"(?P<num>\d{1,2}\.\d+)(?P<num2>)(?P<unit>)(?=\s*(?:的)?(?:综合|平均|百公里)?油耗)"),
     re.compile(r"油耗"), {}, "L/100km"),
    ("consumption_electric", re.compile(rf"{_RANGE}\s*(?P<unit>kWh|度电|度|千瓦时)"),
     re.compile(r"电耗|能耗|百公里|每百公里|/100km"), {}, "kWh/100km"),
    ("battery_capacity", re.compile(rf"{_RANGE}\s*(?P<unit>kWh|KWH|kwh|度|千瓦时)"),
     re.compile(r"电池|电量|电池包|带电量"), {}, "kWh"),
    ("price", re.compile(rf"{_RANGE}\s*(?P<unit>万元|万块|万|元|块)(?!公里|km|多公里|量|辆|台)"),
     re.compile(r"售价|价格|价位|落地|指导价|报价|裸车|优惠|起售|起步|上路|全款|成交价|入手|预算|花了|买的|买了|卖|便宜|贵|官降|降价"),
     {"元": 1e-4, "块": 1e-4}, "万元"),
    ("warranty", re.compile(rf"{_RANGE}\s*(?P<unit>年|万公里)"),
     re.compile(r"质保|保修|包修|免费维修"), {"万公里": 1.0}, "年"),
]
_QUALIFIERS = {
    "range": re.compile(r"CLTC|WLTC|NEDC|EPA|实际|实测|表显|冬天|冬季|高速"),
    "price": re.compile(r"落地|指导价|裸车|优惠|起售|官降|降价|预算"),
    "charging_time": _SOC,
}
_WAITING = re.compile(r"排队|等了|等待|排了")
_STRONG_PRICE = re.compile(r"售价|价格|指导价|报价|裸车|落地|起售|官降|降价|优惠")
# A number right after these is a difference, not the value itself (a discount or budget is a
# price claim, told apart by its qualifier).
_DELTA_BEFORE = re.compile(r"(?:便宜了?|贵了?|差|高出?|多卖个?|多了|少了|多出|上升|下降|增加|降低|减少|再抽|抽)"
                           r"\s*(?:了|个|约|大概|将近|近|不到)?\s*$")
_DELTA_AFTER = re.compile(r"\s*(?:的)?差距")
# A price in a sentence about these is what a service or a part costs, not the car.
_SERVICE = re.compile(r"保养|维修|修|配件|机油|轮胎|贴膜|保险|税|油费|加油")
_REMAINING = re.compile(r"剩余|剩下|还剩|剩")
# Cheap gate: most posts have no number followed by a unit, and one scan is faster than the rules.
_ANY_UNIT = re.compile(rf"(?:{N})\s*(?:公里|km|KM|Km|千米|秒|s|分钟|min|小时|个|h|kW|KW|kw|千瓦|L|升|度|万|元|块|年)"
                       r"|\d\s*(?:的)?(?:综合|平均|百公里)?油耗|油耗\s*(?:在|是|到了|到|达到过|达到|达|才|只有|大概|约|基本|也就|显示|为|低于|高于|:|：)?\s*\d")
# Numbers that sit inside these are never spec claims (dates, plates, model codes).
_BLOCK_BEFORE = re.compile(r"[A-Za-z]$")


def _sentence_end(text: str, start: int) -> int:
    ends = [i for i in (text.find(ch, start) for ch in _SENTENCE_END) if i != -1]
    return min(ends) if ends else len(text)


def _cue_before(clause: str, start: int, cue: re.Pattern) -> bool:
    return cue.search(clause, 0, start) is not None or cue.search(clause[start:start + 12]) is not None


def extract_claims(text: str) -> list[dict[str, Any]]:
    """Return the spec claims in ``text`` (normalised simplified Chinese) as dicts.

    Each dict has model (or None), attribute, value, value_max (for "500-600公里"), unit,
    qualifier (CLTC/实际/落地/10-80% ...), start, end (offsets into ``text``) and evidence.
    """
    claims: list[dict[str, Any]] = []
    if not text or not _ANY_UNIT.search(text):
        return claims
    models_re = car_models_pattern()
    pos = 0
    carried: set[str] = set()  # attributes claimed earlier in the same sentence ("官方3.8秒，我测4.1秒")
    sentence_start = 0
    for clause in _CLAUSE_SPLIT.split(text):
        if not clause:
            continue
        offset = text.find(clause, pos)
        pos = offset + len(clause)
        if len(clause) == 1 and clause in "。！？!?；;\n,，":
            if clause in _SENTENCE_END:
                carried = set()
                sentence_start = pos
            continue
        taken: list[tuple[int, int]] = []
        found: set[str] = set()
        for attribute, pattern, cue, scale, unit in _RULES:
            for m in pattern.finditer(clause):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue  # one number, one attribute: the first (most specific) rule wins
                if s > 0 and (_BLOCK_BEFORE.search(clause[:s]) or clause[s - 1].isdigit()):
                    continue
                unit_alone = attribute == "consumption_fuel" and m["unit"] == "个油"  # "8个油" needs no cue
                # "省油，基本上都是8个多": for 个 the 油耗 cue may sit anywhere in the sentence.
                sentence_cue = attribute == "consumption_fuel" and m["unit"] == "个" and cue.search(
                    text[sentence_start:_sentence_end(text, offset + e)]) is not None
                if not _cue_before(clause, s, cue) and attribute not in carried and not unit_alone and not sentence_cue:
                    continue
                if (attribute == "consumption_fuel" and m["unit"] in ("L", "升") and re.fullmatch(r"\d\.\d", m["num"])
                        and not cue.search(clause, 0, s) and attribute not in carried and clause[e:e + 1] != "/"):
                    continue  # "同款2.5L": engine displacement
                if attribute in ("price", "consumption_fuel", "acceleration_0_100", "range") and (
                        _DELTA_BEFORE.search(clause, max(0, s - 6), s) or _DELTA_AFTER.match(clause, e)):
                    continue  # "优惠1.6万", "油耗下降1个", "加速1.9秒差距": not the value itself
                if attribute == "range" and (_REMAINING.search(clause, 0, s) or
                                             (re.search(r"油耗|电耗", clause) and "续航" not in clause)):
                    continue  # remaining range on the dashboard, or an odometer reading beside consumption
                if attribute == "price" and _SERVICE.search(text, max(sentence_start, offset + s - 12), offset + s):
                    continue  # "保养报价是467元": a service, not the car
                if m["unit"] in ("个", "个油") and clause[m.start("unit") + 1:m.start("unit") + 3] in ("油耗", "耗"):
                    continue  # "一个油耗会增高": 个 is a classifier here
                if attribute == "range" and (parse_number(m["num"]) or 0) < 20:
                    continue  # no car's range is under 20 km: a distance driven
                if attribute == "charging_time" and _WAITING.search(clause):
                    continue  # queueing at a charger is not charging time
                if attribute == "battery_capacity" and re.search(r"百公里|电耗|能耗", clause):
                    continue
                if attribute == "consumption_fuel" and m["unit"] == "个" and not sentence_cue:
                    continue
                if attribute == "acceleration_0_100" and m["unit"] == "s" and not re.search(r"零百|破百|百公里加速|0\s*[-到~]\s*100", clause):
                    continue
                if attribute == "price" and m["unit"] in ("元", "块") and m["num"][-1] != "万" and not _STRONG_PRICE.search(clause):
                    continue  # "花了1500元贴膜" is a purchase, not the car's price
                if attribute == "price" and m["unit"] == "万" and re.match(r"\s*(?:多|左右)?\s*(?:公里|km)", clause[e:]):
                    continue
                value = parse_number(m["num"])
                if value is None or attribute == "consumption_fuel" and not 1.5 <= value <= 30:
                    continue  # "烧60L汽油" is a tank, not litres per 100 km
                factor = scale.get(m["unit"], 1.0)
                if attribute == "consumption_fuel" and m["unit"] in ("个", "个油"):
                    tenth = re.match(r"([一二三四五六七八九])(?![个十百千万月人])", clause[e:])
                    if tenth and m["num"].isdigit():  # "11个五" is 11.5
                        value += parse_number(tenth.group(1)) / 10
                if attribute == "price" and m["num"][-1] == "万":
                    factor, value = 1.0, value / 10_000  # "20万" parsed as 200000; keep it in 万元
                u = unit
                if attribute == "warranty" and m["unit"] == "万公里":
                    u = "万公里"
                value2 = parse_number(m["num2"]) if m["num2"] else None
                qualifier = None
                if attribute in _QUALIFIERS:
                    q = _QUALIFIERS[attribute].search(clause)
                    qualifier = q.group(0).replace(" ", "") if q else None
                    if q is not None and attribute == "charging_time":
                        qualifier = f"{q['lo']}-{q['hi']}%"
                if attribute == "warranty" and re.search(r"终身", clause):
                    qualifier = "终身"
                model = None
                for mm in models_re.finditer(text, 0, offset + s):
                    model = mm.group(0)
                taken.append((s, e))
                found.add(attribute)
                claims.append({
                    "model": model,
                    "attribute": attribute,
                    "value": round(value * factor, 4),
                    "value_max": round(value2 * factor, 4) if value2 is not None else None,
                    "unit": u,
                    "qualifier": qualifier,
                    "start": offset + s,
                    "end": offset + e,
                    "evidence": clause.strip(),
                })
        carried |= found
    claims.sort(key=lambda c: c["start"])
    return claims
