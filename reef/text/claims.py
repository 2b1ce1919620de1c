"""Numeric spec claims: range, 0-100 acceleration, charging, consumption, price, battery, warranty.

Rules, not a model: a claim is only emitted when a number carries a unit that fits an
attribute *and* an attribute cue sits in the same clause, because a community wants
few false "wrong spec" alerts more than it wants every number. Values are normalised to
one unit per attribute (km, s, min, kW, L/100km, kWh/100km, 万元, kWh, 年), so they can be
compared with the official spec sheet. Owners' colloquial forms count ("它就值20万", "优惠五千",
"1万3", "市区13-14个"); differences ("比18款低2万"), mileages ("13万都没有烧机油") and model years
("13年森") do not. docs/text.md ("Round 2 rules") lists the rules and the look-alikes they skip.

Example:
    >>> [(c["attribute"], c["value"], c["unit"]) for c in extract_claims("汉EV续航五百二十公里，零百3.9秒")]
    [('range', 520.0, 'km'), ('acceleration_0_100', 3.9, 's')]
    >>> [(c["attribute"], c["value"]) for c in extract_claims("优惠5、6千，它就值20万，市区十升左右")]
    [('price', 0.5), ('price', 20.0), ('consumption_fuel', 10.0)]
"""
from __future__ import annotations

import re
from typing import Any

from reef.text.lexicon import car_models_pattern
from reef.text.numerals import NUMBER_PATTERN, parse_colloquial_range, parse_number

__all__ = ["extract_claims", "CLAIM_ATTRIBUTES"]

CLAIM_ATTRIBUTES = ("range", "acceleration_0_100", "charging_time", "charging_power", "consumption_fuel",
                    "consumption_electric", "price", "battery_capacity", "warranty")

N = NUMBER_PATTERN
_RANGE = rf"(?P<num>{N})(?:\s*[-~～到至、]\s*(?P<num2>{N}))?"  # "7、8个" is 7 to 8
_SENTENCE_END = "。！？!?；;\n"
_CLAUSE_SPLIT = re.compile(r"([。！？!?；;\n]|(?<!\d)[,，](?=\D))")
_SOC = re.compile(r"(?P<lo>\d{1,2})\s*%?\s*(?:-|~|到|至)\s*(?P<hi>\d{2,3})\s*%")
# After a bare 个, words that leave it meaning litres ("8个多", "8个可能不到"), not a classifier ("3个人").
_GE_LITRES = re.compile(r"多|左右|以|上下|出头|吧|啊|了|的|呢|就|都|也|还|算|正常|而已|之间|可能|应该|估计|不到|不会"
                        r"|没|往|差不多|[，。！？,.!?\s\d一二三四五六七八九]|$")
# The empty unit last: "20万", "1万3" carry 万 in the number. w for 万 only after at most two digits:
# "310w" is a model code (宝骏310W), not 3.1 million.
_PRICE_UNIT = (r"万元|万块钱|万块|万多元|万多块钱|万多块|万|元|块钱|块|(?<![\d.]\d\d\d)[wW](?![a-zA-Z])"
               r"|千块钱|千块|千元|千|")

_PRICE_CUE = re.compile(r"售价|价格|价位|价钱|落地|指导价|报价|收价|收购价|卖价|车价|裸车|优惠|起售|起步价|万元?起|上路"
                        r"|全款|成交价|入手|预算|花了|买的|买了|卖|便宜|贵|官降|降价|加价|开价|出价|要价|标价|叫价|喊价"
                        r"|人民币|(?<![数阈均峰保])值(?!得)")

# (attribute, number+unit regex, cue regex, unit scale to canonical, canonical unit)
_RULES: list[tuple[str, re.Pattern, re.Pattern, dict[str, float], str]] = [
    ("range", re.compile(rf"{_RANGE}\s*(?P<unit>公里|km|KM|Km|千米)(?![/每])"),
     re.compile(r"续航|纯电里程|满电|CLTC|WLTC|NEDC|EPA|能跑|实测|表显|一箱油"), {}, "km"),
    ("acceleration_0_100", re.compile(rf"{_RANGE}\s*(?P<unit>秒|s(?![a-zA-Z]))"),
     re.compile(r"零百|破百|百公里加速|0\s*[-到~]\s*100|加速"), {}, "s"),
    ("charging_time", re.compile(rf"{_RANGE}\s*(?P<unit>分钟|min|小时|个小时|h(?![a-zA-Z]))"),
     re.compile(r"充电|快充|慢充|超充|充满|充到|补能|充"), {"小时": 60.0, "个小时": 60.0, "h": 60.0}, "min"),
    ("charging_power", re.compile(rf"{_RANGE}\s*(?P<unit>kW|KW|kw|千瓦)(?!h|H|时)"),
     re.compile(r"充电|快充|超充|充电桩|桩|充"), {}, "kW"),
    ("consumption_fuel", re.compile(rf"{_RANGE}\s*(?P<unit>L|升|个油|个(?!月|人|小时|钟|星期|礼拜|工作日))(?![a-zA-Z])"),
     re.compile(r"油耗|百公里|每百公里|/\s*100|省油|费油"), {}, "L/100km"),
    # "油耗8.8" / "油耗始终在8.2" / "油耗可以低至5.5左右": a bare number governed by 油耗 is litres per 100 km.
    ("consumption_fuel", re.compile(r"(?<=油耗)(?:(?:在|是|到了|到|达到过|达到|达|才|只有|大概|大约|约|基本上?|也就|显示|表显|为"
                                    r"|低于|高于|始终|一直|可以|能|就|都|也|还|一般|平均|低至|高达|最低|最高|保持在|维持在"
                                    r"|稳定在|从|:|：)\s*){0,3}"
                                    r"(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?:点多)?(?![\d.])"
                                    r"(?!\s*(?:万|千|公里|km|KM|年|月|天|%|块|元|次|度|个|升|L|秒|分|小时|码|毛|角|钱))"),
     re.compile(r"油耗"), {}, "L/100km"),
    ("consumption_fuel", re.compile(r"(?P<num>\d{1,2}\.\d+)(?P<num2>)(?P<unit>)(?=\s*(?:的)?(?:综合|平均|百公里)?油耗)"),
     re.compile(r"油耗"), {}, "L/100km"),
    # "油耗从8点多降到了7": the value it went to, when 油耗 governs the clause.
    ("consumption_fuel", re.compile(r"(?<=[降升涨掉]到)了?\s*(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?![\d.])"
                                    r"(?!\s*(?:万|千|公里|km|KM|年|月|天|%|块|元|次|度|个|升|L|秒|分|小时|码|毛|角|钱))"),
     re.compile(r"油耗"), {}, "L/100km"),
    ("consumption_electric", re.compile(rf"{_RANGE}\s*(?P<unit>kWh|度电|度|千瓦时)"),
     re.compile(r"电耗|能耗|百公里|每百公里|/100km"), {}, "kWh/100km"),
    ("battery_capacity", re.compile(rf"{_RANGE}\s*(?P<unit>kWh|KWH|kwh|度|千瓦时)"),
     re.compile(r"电池|电量|电池包|带电量"), {}, "kWh"),
    ("price", re.compile(rf"{_RANGE}\s*(?P<unit>{_PRICE_UNIT})(?!公里|km|多公里|量|辆|台|转|米|人(?!民币)|次)"),
     _PRICE_CUE, {}, "万元"),
    ("warranty", re.compile(rf"{_RANGE}\s*(?P<unit>年|万公里)"),
     re.compile(r"质保|保修|包修|免费维修|延保|免费保养"), {"万公里": 1.0}, "年"),
]
# Substrings each rule's match must contain (same order as _RULES): a quick test before the regex.
_NEEDS = (("公里", "km", "KM", "Km", "千米"), ("秒", "s"), ("分钟", "min", "小时", "h"), ("kW", "KW", "kw", "千瓦"),
          ("L", "升", "个"), ("油耗",), ("油耗",), ("到",), ("kWh", "度", "千瓦时"), ("kWh", "KWH", "kwh", "度", "千瓦时"),
          ("万", "元", "块", "w", "W", "千"), ("年", "万公里"))
assert len(_NEEDS) == len(_RULES)
_QUALIFIERS = {
    "range": re.compile(r"CLTC|WLTC|NEDC|EPA|实际|实测|表显|冬天|冬季|高速"),
    "price": re.compile(r"落地|指导价|裸车|优惠|起售|官降|降价|预算"),
    "charging_time": _SOC,
}
_WAITING = re.compile(r"排队|等了|等待|排了")
_STRONG_PRICE = re.compile(r"售价|价格|指导价|报价|裸车|落地|起售|官降|降价|优惠|加价|人民币")
# A number right after these is a difference, not the value itself (a discount or budget is a
# price claim, told apart by its qualifier): "便宜2万", "比18款低2万", "再加5万", "多两万预算".
_DELTA_BEFORE = re.compile(r"(?:便宜了?|贵了?|差了?|(?<!最)高出?|(?<![最降])低了?|多卖个?|多了|少了|多出|上升|下降|增加"
                           r"|降低|减少|再抽|抽|再加|再添|再多|多加|多花|加了|省下?了?|差价|相差|(?<![最不很许大好太差个万千百十\d])多)"
                           r"\s*(?:了|个|约|大概|将近|近|不到)?\s*$")
_DELTA_AFTER = re.compile(r"\s*(?:的)?差距")
# A price in a sentence about these is what a service or a part costs (or a sales volume, a pay), not the car.
_SERVICE = re.compile(r"保养|维修|修|配件|机油|轮胎|贴膜|保险|税|油费|加油|(?<!置)换(?!车|购|新车|了?[一两]?[台辆部])|灯|零件"
                      r"|工时|材料|贷|利息|月供|销量|[月年]销|工资|薪|收入")
_SERVICE_AFTER = re.compile(r"\s*(?:左右|多)?\s*(?:的)?\s*(?:购置税|税|保险|车险|油费|保养|利息|手续费|罚款|维修费|工时费|油钱)")
_REMAINING = re.compile(r"剩余|剩下|还剩|剩")
# "30万的车", "10万车", "20万买新的", "28万那款": an amount that names what a car costs.
_CAR_AFTER = re.compile(r"\s*(?:左右|多|出头|以内|以下|以上|上下|级别?)?\s*(?:的|那|这)?\s*(?:车(?![主友次险])|SUV|suv|轿车"
                        r"|新车|二手|豪车|进口|合资|国产|MPV|mpv|款)"
                        r"|\s*(?:左右|多|出头)?\s*(?:就|就能|能|可以|就可以|都|也|才)?\s*(?:买|入手|入|提车|提|拿下|落地|裸车)")
# Price words that reach across the clauses of a sentence ("价格定位……，28万完全是和xc60PK了").
_SENTENCE_PRICE = re.compile(r"价格|价位|价钱|售价|报价|出价|开价|指导价|裸车|落地|预算|优惠|降价|官降|多少钱|(?<![数阈均峰保])值(?!得)")
# A bare 万 next to these is a mileage: "开了13万", "13万都没有烧机油", "4万就换了", "6万5时".
_MILEAGE_BEFORE = re.compile(r"(?:开了?|跑了?|开到|跑到|行驶了?|里程数?|公里数|走了|表显)"
                             r"\s*(?:[\d一二两三四五六七八九十半]+个?多?(?:年|月)半?多?)?"  # "开了两年3万"
                             r"\s*(?:了|到|过|近|将近|快|才|已经|有|约|大概)?\s*$")
_MILEAGE_AFTER = re.compile(r"\s*(?:多|左右|出头)?\s*(?:公里|km|里程|后|以后|之后|时|的时候|就换|换|保养|一保|一换|都没|没|开始|烧)")
_DISCOUNT = re.compile(r"优惠|降价|官降|让利|返现|加价")  # a 千 amount is a price only as a discount ("优惠五千")
# A driving condition right before litres makes them a consumption ("跑长途八升多", "市区13-14个").
_DRIVING = re.compile(r"(?:(?:市区|市内|城市|城区|高速|长途|国道|省道|郊区|综合|平均|堵车|拥堵|畅通|山路|冬天|夏天|冬季|夏季)"
                      r"[^\d，,。；;！!？?]{0,3}|跑(?:了|着|出|到|下来)?)\s*$")
_OIL = re.compile(r"机油|换油|加油|加了|加满|加到|油箱|一箱|桶|瓶|差速|变速箱|防冻液|刻度|排量|烧|容量|\d\s*(?:公里|km|KM)")
_ENGINE_AFTER = re.compile(r"\s*(?:排量|自吸|涡轮|增压|发动机|手动|自动|四驱|两驱|的车|版)")
# "13年森", "09年11月", "13款": a calendar year, not a warranty.
_YEAR_AFTER = re.compile(r"\s*(?:款|森|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|的车|车(?!险)|买|提|生产|出厂|上牌|登记|底|初|之前|以前|开始)")
_NOT_WARRANTY_AFTER = re.compile(r"\s*(?:的)?(?:保险|车险|贷款|驾龄|车龄)")
# Cheap gate: most posts have no number followed by a unit, and one scan is faster than the rules.
_ANY_UNIT = re.compile(rf"(?:{N})\s*(?:公里|km|KM|Km|千米|秒|s|分钟|min|小时|个|h|kW|KW|kw|千瓦|L|升|度|万|千|元|块|年|w|W)"
                       r"|万\d|\d\s*(?:的)?(?:综合|平均|百公里)?油耗|油耗\s*\D{0,8}\d")
# Numbers that sit inside these are never spec claims (dates, plates, model codes).
_BLOCK_BEFORE = re.compile(r"[A-Za-z]$")
_MONEY_SCALE = {**dict.fromkeys(("万", "万元", "万块", "万块钱", "万多元", "万多块", "万多块钱", "w", "W"), 1e4),
                **dict.fromkeys(("千", "千块", "千元", "千块钱"), 1e3), **dict.fromkeys(("元", "块", "块钱", ""), 1.0)}


def _sentence_end(text: str, start: int) -> int:
    ends = [i for i in (text.find(ch, start) for ch in _SENTENCE_END) if i != -1]
    return min(ends) if ends else len(text)


def _cue_before(clause: str, start: int, cue: re.Pattern) -> bool:
    return cue.search(clause, 0, start) is not None or cue.search(clause[start:start + 12]) is not None


def _values(num: str, num2: str | None) -> tuple[float | None, float | None]:
    """Parse a number (and the range's upper end); "七八万" is the range 7-8万."""
    value, value2 = parse_number(num), parse_number(num2) if num2 else None
    if value is None and value2 is None:
        value, value2 = parse_colloquial_range(num) or (None, None)
    return value, value2


def _money(m: re.Match, value: float, value2: float | None) -> tuple[float, float | None] | None:
    """An amount in 万元, or None when the number carries no money unit ("30" alone)."""
    unit, num, num2 = m["unit"], m["num"], m["num2"] or ""
    scale = _MONEY_SCALE[unit]
    if unit == "":
        if not re.search("[万千]", num + num2):
            return None
        if value2 is not None and not re.search("[万千]", num):  # "30~40万": 万 written once, on the upper end
            scale = 1e4 if "万" in num2 else 1e3
            value2 /= scale
    return value * scale / 1e4, None if value2 is None else value2 * scale / 1e4


def _price_cue(text: str, clause: str, s: int, e: int, unit: str, offset: int, sentence_start: int,
               carried: set[str]) -> bool:
    """Whether the amount at clause[s:e] is what a car costs (not a service, a part or a mileage)."""
    near_car = "万" in clause[s:e] and _CAR_AFTER.match(clause, e) is not None
    if not near_car and (_SERVICE.search(text, max(sentence_start, offset + s - 12), offset + s)
                         or _SERVICE_AFTER.match(clause, e)):
        return False  # "保养报价是467元", "换中段2.4万": a service or a part, not the car
    money_unit = unit not in ("", "万", "w", "W")  # 元 / 块 / 万元 ...: money, never a mileage
    if not money_unit and (_MILEAGE_BEFORE.search(clause, max(0, s - 8), s) or _MILEAGE_AFTER.match(clause, e)):
        return False
    if unit.startswith("千") or (unit == "" and "万" not in clause[s:e]):
        return _DISCOUNT.search(clause, 0, s) is not None or "price" in carried  # 千: a discount
    if near_car or "price" in carried or _cue_before(clause, s, _PRICE_CUE):
        return True
    if money_unit and _STRONG_PRICE.search(clause, e):  # "24.48万元是……裸车最低价格"
        return True
    # A price word earlier in the sentence carries to a bare amount ("我的价格……底线，20万").
    return _SENTENCE_PRICE.search(text, sentence_start, offset + s) is not None


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
        for (attribute, pattern, cue, scale, unit), needs in zip(_RULES, _NEEDS):
            if not any(x in clause for x in needs):
                continue  # cheaper than running a rule whose unit word is absent
            for m in pattern.finditer(clause):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue  # one number, one attribute: the first (most specific) rule wins
                if s > 0 and (_BLOCK_BEFORE.search(clause[:s]) or clause[s - 1].isdigit()):
                    continue
                if attribute in ("price", "consumption_fuel", "acceleration_0_100", "range") and (
                        _DELTA_BEFORE.search(clause, max(0, s - 6), s) or _DELTA_AFTER.match(clause, e)):
                    continue  # "优惠1.6万" is a price, "便宜1.6万", "油耗下降1个", "加速1.9秒差距" are differences
                if attribute == "price" and not m["unit"] and not re.search("[万千]", m[0]):
                    continue  # a bare number: no money unit
                value, value2 = _values(m["num"], m["num2"])
                if value is None:
                    continue
                if attribute == "price":
                    ok = _price_cue(text, clause, s, e, m["unit"], offset, sentence_start, carried)
                    money = _money(m, value, value2) if ok else None
                    if money is None:
                        continue
                    if (m["unit"] in ("元", "块", "块钱") and "万" not in m["num"] and not _STRONG_PRICE.search(clause)
                            and not _CAR_AFTER.match(clause, e)):
                        continue  # "花了1500元贴膜" is a purchase, not the car's price
                    value, value2 = money
                    if not 0.1 <= value <= 5000:
                        continue  # under 1,000 元 is a part or a meal, not a car or a discount on one
                elif not _other_cue(attribute, m, clause, text, s, e, cue, offset, sentence_start, carried, value):
                    continue
                factor = scale.get(m["unit"], 1.0)
                if attribute == "consumption_fuel" and m["unit"] in ("个", "个油"):
                    tenth = re.match(r"([一二三四五六七八九])(?![个十百千万月人])", clause[e:])
                    if tenth and m["num"].isdigit():  # "11个五" is 11.5
                        value += parse_number(tenth.group(1)) / 10
                u = "万公里" if attribute == "warranty" and m["unit"] == "万公里" else unit
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
                claims.append({"model": model, "attribute": attribute, "value": round(value * factor, 4),
                               "value_max": round(value2 * factor, 4) if value2 is not None else None, "unit": u,
                               "qualifier": qualifier, "start": offset + s, "end": offset + e,
                               "evidence": clause.strip()})
        carried |= found
    claims.sort(key=lambda c: c["start"])
    return claims


def _other_cue(attribute: str, m: re.Match, clause: str, text: str, s: int, e: int, cue: re.Pattern, offset: int,
               sentence_start: int, carried: set[str], value: float) -> bool:
    """Whether a non-price number is a claim of ``attribute``: its cue, and none of the look-alikes."""
    unit_ = m["unit"]
    litres = attribute == "consumption_fuel" and unit_ in ("L", "升", "个")
    if unit_ == "个" and not (_GE_LITRES.match(clause, e) or re.search(r"油耗[^\d，,。]{0,4}$", clause[:s])):
        return False  # "3个人": 个 is a classifier
    if unit_ in ("个", "个油") and clause[m.start("unit") + 1:m.start("unit") + 3] in ("油耗", "耗") and value < 5:
        return False  # "一个油耗会增高": 个 is a classifier; "15个油耗" is litres
    # "油耗……，我的市区13-14个": for 个 the cue may sit anywhere in the sentence.
    sentence_cue = unit_ == "个" and attribute == "consumption_fuel" and cue.search(
        text[sentence_start:_sentence_end(text, offset + e)]) is not None
    driving = litres and 3 <= value <= 25 and _DRIVING.search(clause, max(0, s - 10), s) is not None \
        and not _OIL.search(clause)
    has_cue = _cue_before(clause, s, cue) or attribute in carried
    if not (has_cue or unit_ == "个油" or sentence_cue or driving):
        return False
    if unit_ == "个" and not (sentence_cue or driving):
        return False
    if (litres and unit_ != "个" and not driving and re.fullmatch(r"\d\.\d", m["num"]) and not cue.search(clause, 0, s)
            and attribute not in carried and clause[e:e + 1] != "/"):
        return False  # "同款2.5L": engine displacement
    if litres and unit_ != "个" and re.fullmatch(r"\d\.\d", m["num"]) and (
            re.search(r"(?:款|排量)\s*$", clause[:s]) or _ENGINE_AFTER.match(clause, e)):
        return False  # "同款2.5L", "2.0L自吸" stay displacements even after a consumption figure
    if attribute == "consumption_fuel" and not 1.5 <= value <= 30:
        return False  # "烧60L汽油" is a tank, not litres per 100 km
    if attribute == "range" and (_REMAINING.search(clause, 0, s) or not 20 <= value <= 2000 or
                                 (re.search(r"油耗|电耗", clause) and "续航" not in clause)):
        return False  # remaining range, a distance driven, an odometer, or a reading beside consumption
    if attribute == "charging_time" and _WAITING.search(clause):
        return False  # queueing at a charger is not charging time
    if attribute == "battery_capacity" and re.search(r"百公里|电耗|能耗", clause):
        return False
    if attribute == "acceleration_0_100" and unit_ == "s" and not re.search(r"零百|破百|百公里加速|0\s*[-到~]\s*100", clause):
        return False
    if attribute == "warranty" and unit_ == "年" and (
            _YEAR_AFTER.match(clause, e) or _NOT_WARRANTY_AFTER.match(clause, e) or
            (value >= 11 and not re.search(r"(?:质保|保修|包修|延保)\D{0,3}$", clause[:s]))):
        return False  # "13年森已经过保修期": a model year; "上5年保险": insurance
    return True
