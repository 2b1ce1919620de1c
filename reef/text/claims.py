"""Numeric spec claims: range, 0-100 acceleration, charging, consumption, price, battery, warranty.

Rules, not a model: a claim is only emitted when a number carries a unit that fits an
attribute *and* an attribute cue sits in the same clause, because a community wants
few false "wrong spec" alerts more than it wants every number. Values are normalised to
one unit per attribute (km, s, min, kW, L/100km, kWh/100km, 万元, kWh, 年), so they can be
compared with the official spec sheet. Owners' colloquial forms count ("它就值20万", "优惠五千",
"1万3", "市区13-14个"); differences ("比18款低2万"), mileages ("13万都没有烧机油") and model years
("13年森") do not. Whether an amount is a car's price is decided in :mod:`reef.text.claim_price`.
docs/text-claims.md ("Round 2 rules" to "Round 4 rules") lists the rules and the look-alikes they skip.

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
from reef.text.claim_price import PRICE_CUE, PRICE_UNIT, cue_near, price_value
from reef.text.numerals import NUMBER_PATTERN, parse_number, parse_span

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
                        r"|没|往|差不多|很|挺|纯|市|高速|综合|[，。！？,.!?\s\d一二三四五六七八九]|$")


# 油耗 a few words before a bare number, with no comparison, speed, cost or distance word between.
_GOVERNED = re.compile(r"油耗(?P<gap>[^\d，,。！？!?；;:：\n]{0,10})$")
_NOT_GOVERNED = re.compile(r"比|差|减少|增加|节省|省|多了|少了|高了|低了|高出|[降升涨掉](?!到)|时速|速度|公里|价|钱|元|块|毛|排量|年|月"
                           r"|第|次|人|个|名|怠速")

# (attribute, number+unit regex, cue regex, unit scale to canonical, canonical unit)
_RULES: list[tuple[str, re.Pattern, re.Pattern, dict[str, float], str]] = [
    ("range", re.compile(rf"{_RANGE}\s*(?P<unit>公里|km|KM|Km|千米)(?![/每])"),
     re.compile(r"续航|纯电里程|满电|CLTC|WLTC|NEDC|EPA|能跑|实测|(?<!油)表显|一箱油"), {}, "km"),
    ("acceleration_0_100", re.compile(rf"{_RANGE}\s*(?P<unit>秒|s(?![a-zA-Z]))"),
     re.compile(r"零百|破百|百公里加速|0\s*[-到~]\s*100|加速"), {}, "s"),
    ("charging_time", re.compile(rf"{_RANGE}\s*(?P<unit>分钟|min|小时|个小时|h(?![a-zA-Z]))"),
     re.compile(r"充电|快充|慢充|超充|充满|充到|补能|充(?!分|值|实|足|当)"), {"小时": 60.0, "个小时": 60.0, "h": 60.0}, "min"),
    ("charging_power", re.compile(rf"{_RANGE}\s*(?P<unit>kW|KW|kw|千瓦)(?!h|H|时)"),
     re.compile(r"充电|快充|超充|充电桩|桩|充(?!分|值|实|足|当)"), {}, "kW"),
    # "二个油封": 个油 before a noun character is a counted noun (round 4), not "8个油".
    ("consumption_fuel", re.compile(rf"{_RANGE}\s*(?P<unit>L|升|个油(?!封|箱|门|泵|管|缸|嘴|表|桶|壶|枪|卡|漆|底|盘|品|站|味|液|膜)"
                                    r"|个(?!月|人|小时|钟|星期|礼拜|工作日|油))(?![a-zA-Z])"),
     re.compile(r"油耗|百公里|每百公里|/\s*100|省油|费油"), {}, "L/100km"),
    # "油耗8.8" / "油耗始终在8.2" / "油耗可以低至5.5左右": a bare number governed by 油耗 is litres per 100 km.
    ("consumption_fuel", re.compile(r"(?<=油耗)(?:(?:在|是|到了|到|达到过|达到|达|才|只有|大概|大约|约|基本上?|也就|显示|表显|为"
                                    r"|低于|高于|始终|一直|可以|能|就|都|也|还|一般|平均|低至|高达|最低|最高|保持在|维持在"
                                    r"|稳定在|从|常年|经常|通常|长期|多在|:|：)\s*){0,3}"
                                    r"(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?:点多)?(?![\d.])"
                                    r"(?!\s*(?:万|千|公里|km|KM|年|月|天|%|块|元|次|度|个|升|L|秒|分|小时|码|毛|角|钱))"),
     re.compile(r"油耗"), {}, "L/100km"),
    ("consumption_fuel", re.compile(r"(?P<num>\d{1,2}\.\d+)(?P<num2>)(?P<unit>)(?=\s*(?:的)?(?:综合|平均|百公里)?油耗)"),
     re.compile(r"油耗"), {}, "L/100km"),
    # "油耗从8点多降到了7": the value it went to, when 油耗 governs the clause.
    ("consumption_fuel", re.compile(r"(?<=[降升涨掉]到)了?\s*(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?![\d.])"
                                    r"(?!\s*(?:万|千|公里|km|KM|年|月|天|%|块|元|次|度|个|升|L|秒|分|小时|码|毛|角|钱))"),
     re.compile(r"油耗"), {}, "L/100km"),
    # "以前没高过9.5现在是11个油耗": a bare number bounded by 没高过 / 没超过, 油耗 in the clause (round 4).
    ("consumption_fuel", re.compile(r"(?<=没[高低超]过)(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?![\d.])"
                                    r"(?!\s*(?:万|千|公里|km|KM|年|月|天|%|块|元|次|度|个|升|L|秒|分|小时|码|毛|角|钱))"),
     re.compile(r"油耗"), {}, "L/100km"),
    # "平均油耗常年在11.4到11.7之间": a bare span closed by 之间, governed by 油耗 in the clause.
    ("consumption_fuel", re.compile(r"(?P<num>\d{1,2}(?:\.\d+)?)\s*[-~～到至]\s*(?P<num2>\d{1,2}(?:\.\d+)?)(?P<unit>)"
                                    r"(?=\s*(?:升|L|个)?\s*之间)"), re.compile(r"油耗"), {}, "L/100km"),
    # "油耗有点高，平均从8.2到了8.9个": the value it went from, when 油耗 is in the sentence.
    ("consumption_fuel", re.compile(r"(?<=从)(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?:点多)?(?=\s*(?:升|L|个)?\s*"
                                    r"[降升涨掉]?到了?\s*\d)"), re.compile(r"油耗"), {}, "L/100km"),
    # "油耗最低跑到6.6", "油耗北京环路上下班8.8": 油耗 governs the first bare number a few words later in its clause.
    ("consumption_fuel", re.compile(r"油耗[^\d，,。！？!?；;:：\n]{0,10}?(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?![\d.])"
                                    r"(?=\s*(?:升|L|个(?![月人])"
                                    r"|左右|上下|以上|以下|以内|多|出头|点多|了|的|吧|啊|呢|呀|就|是|[-~～到至]|[，,。！？!?；;\s]|$))"),
     _GOVERNED, {}, "L/100km"),
    ("consumption_electric", re.compile(rf"{_RANGE}\s*(?P<unit>kWh|度电|度|千瓦时)"),
     re.compile(r"电耗|能耗|百公里|每百公里|/100km"), {}, "kWh/100km"),
    ("battery_capacity", re.compile(rf"{_RANGE}\s*(?P<unit>kWh|KWH|kwh|度|千瓦时)"),
     re.compile(r"电池|电量|电池包|带电量"), {}, "kWh"),
    ("price", re.compile(rf"{_RANGE}\s*(?P<unit>{PRICE_UNIT})(?!公里|km|多公里|量|辆|台|转|米|人(?!民币)|次)"),
     PRICE_CUE, {}, "万元"),
    ("warranty", re.compile(rf"{_RANGE}\s*(?P<unit>年|万公里)"),
     re.compile(r"质保|保修|包修|免费维修|延保|免费保养|送[\d一二两三四五六七八九十]{1,2}年[\d一二三四五六七八九十]{0,2}次?保养"
                r"|年\s*[\d一二三四五六七八九十]{1,2}万公里\s*(?:免费)?(?:保养|质保|保修)|全车\s*[\d一二三四五六七八九十]{1,2}年"
                r"|车\s*[1-9一二三四五六七八九十]年\s*[\d一二三四五六七八九十]{1,2}万公里"),
     {"万公里": 1.0}, "年"),
]
# Substrings each rule's match must contain (same order as _RULES): a quick test before the regex.
_NEEDS = (("公里", "km", "KM", "Km", "千米"), ("秒", "s"), ("分钟", "min", "小时", "h"), ("kW", "KW", "kw", "千瓦"),
          ("L", "升", "个"), ("油耗",), ("油耗",), ("到",), ("过",), ("之间",), ("从",), ("油耗",), ("kWh", "度", "千瓦时"),
          ("kWh", "KWH", "kwh", "度", "千瓦时"),
          ("万", "元", "块", "w", "W", "千", "优惠", "降价", "让利", "返现"), ("年", "万公里"))
assert len(_NEEDS) == len(_RULES)
_NEEDS_RE = [re.compile("|".join(map(re.escape, needs))) for needs in _NEEDS]  # one C-level scan per rule
_QUALIFIERS = {
    "range": re.compile(r"CLTC|WLTC|NEDC|EPA|实际|实测|表显|冬天|冬季|高速"),
    "price": re.compile(r"落地|指导价|裸车|优惠|起售|官降|降价|预算"),
    "charging_time": _SOC,
}
_WAITING = re.compile(r"排队|等了|等待|排了")
# A number right after these is a difference, not the value itself (a discount or budget is a
# price claim, told apart by its qualifier): "便宜2万", "比18款低2万", "再加5万", "多两万预算".
_DELTA_BEFORE = re.compile(r"(?:便宜了?|贵了?|差了?|(?<!最)高出?|(?<![最降])低了?|多卖个?|多了|少了|多出|上升|下降|增加"
                           r"|降低|减少|再抽|抽|再加|再添|再多|多加|多花|加了|上加|省下?了?|差价|相差|(?<![最不很许大好太差个万千百十\d])多)"
                           r"\s*(?:了|个|约|大概|将近|近|不到)?\s*$")
_DELTA_AFTER = re.compile(r"\s*(?:的)?差距")
_REMAINING = re.compile(r"剩余|剩下|还剩|剩")
# A driving condition right before litres makes them a consumption ("跑长途八升多", "市区13-14个").
_DRIVING = re.compile(r"(?:(?:市区|市内|城市|城区|高速|长途|国道|省道|郊区|综合|平均|堵车|拥堵|畅通|山路|冬天|夏天|冬季|夏季)"
                      r"[^\d，,。；;！!？?]{0,3}|跑(?:了|着|出|到|下来|个)?"
                      r"|(?:时速|定速|车速)\s*\d{2,3}(?:\s*[-~～到至]\s*\d{2,3})?\s*(?:km/h|km|公里|码|迈)?\s*(?:的话|时|之间)?"  # a speed: "120km时速8个多"
                      r"|\d{2,3}\s*(?:km/h|km|公里|码|迈)?\s*(?:时速|定速|的速度))\s*$")
_OIL = re.compile(r"机油|换油|加油|加了|加满|加到|油箱|一箱|桶|瓶|差速|变速箱|防冻液|刻度|排量|烧|容量|\d\s*(?:公里|km|KM)(?!\s*(?:/h|每小时|时速|定速|的速度))")
_ENGINE_AFTER = re.compile(r"\s*(?:排量|自吸|涡轮|增压|发动机|手动|自动|四驱|两驱|的车|版)")
# "13年森", "09年11月", "13款": a calendar year, not a warranty.
_YEAR_AFTER = re.compile(r"\s*(?:款|森|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|的车|车(?!险)|买|提|生产|出厂|上牌|登记|底|初|之前|以前|开始)")
_NOT_WARRANTY_AFTER = re.compile(r"\s*(?:的)?(?:保险|车险|贷款|驾龄|车龄)")
# Cheap gate: most posts have no number followed by a unit, and one scan is faster than the rules.
_ANY_UNIT = re.compile(rf"(?:{N})\s*(?:公里|km|KM|Km|千米|秒|s|分钟|min|小时|个|h|kW|KW|kw|千瓦|L|升|度|多?万|千|元|块|年|w|W)"
                       r"|万\d|\d\s*(?:的)?(?:综合|平均|百公里)?油耗|油耗\s*\D{0,8}\d|优惠了?\s*\d{4}")
# Numbers that sit inside these are never spec claims (dates, plates, model codes).
_COMMA_DECIMAL = re.compile(r"(?<![\d.，])(\d)，(\d)(?=\s*(?:个(?![人月])|升|L|到了?\s*\d，\d\s*(?:个|升|L)))")
_BLOCK_BEFORE = re.compile(r"(?!(?<=[kK])[mM]$)[A-Za-z]$")  # "10km20个油耗": a unit, not a model code


def _sentence_end(text: str, start: int) -> int:
    ends = [i for i in (text.find(ch, start) for ch in _SENTENCE_END) if i != -1]
    return min(ends) if ends else len(text)










def extract_claims(text: str) -> list[dict[str, Any]]:
    """Return the spec claims in ``text`` (normalised simplified Chinese) as dicts.

    Each dict has model (or None), attribute, value, value_max (for "500-600公里"), unit,
    qualifier (CLTC/实际/落地/10-80% ...), start, end (offsets into ``text``) and evidence.
    """
    claims: list[dict[str, Any]] = []
    if not text or not _ANY_UNIT.search(text):
        return claims
    if "，" in text and "油耗" in text:  # "从8，2到了8，9个": a full-width comma as the decimal point
        text = _COMMA_DECIMAL.sub(r"\1.\2", text)  # same length, so offsets still hold
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
        for (attribute, pattern, cue, scale, unit), needs in zip(_RULES, _NEEDS_RE):
            if not needs.search(clause):
                continue  # cheaper than running a rule whose unit word is absent
            for m in pattern.finditer(clause):
                s, e = (m.start("num"), m.end()) if cue is _GOVERNED else m.span()  # the number, not 油耗 before it
                if any(s < te and ts < e for ts, te in taken):
                    continue  # one number, one attribute: the first (most specific) rule wins
                if s > 0 and (_BLOCK_BEFORE.search(clause[:s]) or clause[s - 1].isdigit()):
                    continue
                if attribute in ("price", "consumption_fuel", "acceleration_0_100", "range") and (
                        _DELTA_BEFORE.search(clause, max(0, s - 6), s) or _DELTA_AFTER.match(clause, e)):
                    continue  # "优惠1.6万" is a price, "便宜1.6万", "油耗下降1个", "加速1.9秒差距" are differences
                if attribute == "price":
                    money = price_value(m, clause, text, offset, sentence_start, carried)
                    if money is None:
                        continue
                    value, value2 = money
                else:
                    value, value2 = parse_span(m["num"], m["num2"])
                    if value is None or not _other_cue(attribute, m, clause, text, s, e, cue, offset, sentence_start,
                                                       carried, value):
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
    if cue is _GOVERNED:
        g = _GOVERNED.search(clause, max(0, s - 12), s)
        return (g is not None and not _NOT_GOVERNED.search(g["gap"]) and 3 <= value <= 25
                and clause[max(0, s - 14):s].find("怠速油耗") == -1  # idling: litres per hour
                and not (value <= 3 and clause[e:e + 1] == "的"))  # "赶上3.0的日系": an engine size
    litres = attribute == "consumption_fuel" and unit_ in ("L", "升", "个")
    if unit_ == "个" and not (_GE_LITRES.match(clause, e) or re.search(r"油耗[^\d，,。]{0,4}$", clause[:s])):
        return False  # "3个人": 个 is a classifier
    if unit_ in ("个", "个油") and clause[m.start("unit") + 1:m.start("unit") + 3] in ("油耗", "耗") and value < 5:
        return False  # "一个油耗会增高": 个 is a classifier; "15个油耗" is litres
    # "油耗……，我的市区13-14个": for 个 the cue may sit anywhere in the sentence.
    # Litres, and "从8.2到", may take 油耗 from anywhere in the sentence ("常年维持在8L，…油耗确实不错").
    sentence_cue = attribute == "consumption_fuel" and (
        unit_ == "个" or (litres and 3 <= value <= 25 and not _OIL.search(clause, max(0, s - 12), e + 4))
        or (unit_ == "" and clause[s - 1:s] == "从")) and cue.search(
        text[sentence_start:_sentence_end(text, offset + e)]) is not None
    driving = litres and 3 <= value <= 25 and _DRIVING.search(clause, max(0, s - 10), s) is not None \
        and not _OIL.search(clause)
    has_cue = cue_near(clause, s, cue) or attribute in carried
    # "应该在7秒以内吧，有……的加速成绩么": a time bound, with an acceleration result named later in the sentence.
    accel_sentence = attribute == "acceleration_0_100" and unit_ == "秒" and 2.5 <= value <= 15 and re.match(
        r"\s*(?:以内|之内|左右|多|出头)", clause[e:]) is not None and re.search(
        r"加速成绩|零百|破百|百公里加速", text[offset + e:_sentence_end(text, offset + e)]) is not None
    if not (has_cue or unit_ == "个油" or sentence_cue or driving or accel_sentence):
        return False
    if unit_ == "个" and not (sentence_cue or driving or ("consumption_fuel" in carried and 3 <= value <= 25)):
        return False
    if (litres and unit_ != "个" and not driving and not m["num2"] and re.fullmatch(r"\d\.\d", m["num"]) and not cue.search(clause, 0, s)
            and attribute not in carried and clause[e:e + 1] != "/"):
        return False  # "同款2.5L": engine displacement
    if litres and unit_ != "个" and re.fullmatch(r"\d\.\d", m["num"]) and (
            re.search(r"(?:款|排量)\s*$", clause[:s]) or _ENGINE_AFTER.match(clause, e)):
        return False  # "同款2.5L", "2.0L自吸" stay displacements even after a consumption figure
    if attribute == "consumption_fuel" and not 1.5 <= value <= 30:
        return False
    if attribute == "consumption_fuel" and unit_ == "" and value <= 3 and re.match(r"\s*的", clause[e:]):
        return False  # "我2.0的油耗": an engine size  # "烧60L汽油" is a tank, not litres per 100 km
    if attribute == "range" and (re.search(r"(?:/|每)\s*$", clause[:s]) or (
            re.search(r"跑满\s*$", clause[:s]) and not re.search(r"一箱|满电|续航|满油|加满", clause))):
        return False  # "8.8升/100千米": a denominator; "跑满一千公里油表……": a trip, not a full-tank range
    if attribute == "range" and (_REMAINING.search(clause, max(0, s - 8), s) or not 20 <= value <= 2000 or
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
