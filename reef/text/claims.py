"""Numeric spec claims: range, 0-100 acceleration, charging, consumption, price, battery, warranty.

Rules, not a model: a claim is only emitted when a number carries a unit that fits an
attribute *and* an attribute cue sits in the same clause, because a community wants
few false "wrong spec" alerts more than it wants every number. Values are normalised to
one unit per attribute (km, s, min, kW, L/100km, kWh/100km, 万元, kWh, 年), so they can be
compared with the official spec sheet. Owners' colloquial forms count ("它就值20万", "优惠五千",
"1万3", "市区13-14个"); differences ("比18款低2万"), mileages ("13万都没有烧机油") and model years
("13年森") do not. Whether an amount is a car's price is decided in :mod:`reef.text.claim_price`.
docs/text-claims.md ("Round 2 rules" to "Round 5 rules") lists the rules and the look-alikes they skip.

Example:
    >>> [(c["attribute"], c["value"], c["unit"]) for c in extract_claims("汉EV续航五百二十公里，零百3.9秒")]
    [('range', 520.0, 'km'), ('acceleration_0_100', 3.9, 's')]
    >>> [(c["attribute"], c["value"]) for c in extract_claims("优惠5、6千，它就值20万，市区十升左右")]
    [('price', 0.5), ('price', 20.0), ('consumption_fuel', 10.0)]
"""
from __future__ import annotations

import bisect
import re
from typing import Any

from reef.text.claim_cues import GOVERNED, other_cue
from reef.text.claim_price import PRICE_CUE, PRICE_UNIT, SENTENCE_END, price_value
from reef.text.lexicon import car_models_pattern
from reef.text.numerals import NUMBER_PATTERN, parse_number, parse_span

# CLAIM_RULES to text_pieces: the rules' parts, public for scripts/claim_tagger_candidates.py, which replays them.
__all__ = ["extract_claims", "clause_spans", "CLAIM_ATTRIBUTES", "ATTRIBUTE_NAMES", "CLAIM_RULES", "RULE_NEEDS",
           "DELTA_BEFORE", "DELTA_AFTER", "COMMA_DECIMAL", "BLOCK_BEFORE", "text_pieces"]

CLAIM_ATTRIBUTES = ("range", "acceleration_0_100", "charging_time", "charging_power", "consumption_fuel",
                    "consumption_electric", "price", "battery_capacity", "warranty")
# (Chinese, English) names of the attributes for operator text.
ATTRIBUTE_NAMES = {"range": ("续航", "range"), "acceleration_0_100": ("百公里加速", "0-100 km/h"),
                   "charging_time": ("充电时间", "charging time"), "charging_power": ("充电功率", "charging power"),
                   "consumption_fuel": ("油耗", "fuel consumption"), "consumption_electric": ("电耗", "energy consumption"),
                   "price": ("价格", "price"), "battery_capacity": ("电池容量", "battery capacity"), "warranty": ("质保", "warranty")}

N = NUMBER_PATTERN
_RANGE = rf"(?P<num>{N})(?:\s*[-~～到至、]\s*(?P<num2>{N}))?"  # "7、8个" is 7 to 8
_CLAUSE_SPLIT = re.compile(r"([。！？!?；;\n]|(?<!\d)[,，](?=\D))")
_SOC = re.compile(r"(?P<lo>\d{1,2})\s*%?\s*(?:-|~|到|至)\s*(?P<hi>\d{2,3})\s*%")





# (attribute, number+unit regex, cue regex, unit scale to canonical, canonical unit)
CLAIM_RULES: list[tuple[str, re.Pattern, re.Pattern, dict[str, float], str]] = [
    ("range", re.compile(rf"{_RANGE}(?:多|余)?\s*(?P<unit>公里|km|KM|Km|千米)(?![/每])"),  # "续航400多公里" keeps 400
     re.compile(r"续航|纯电里程|满电|CLTC|WLTC|NEDC|EPA|能跑|实测|(?<!油)表显|一箱油"), {}, "km"),
    ("acceleration_0_100", re.compile(rf"{_RANGE}\s*(?P<unit>秒|s(?![a-zA-Z]))"),
     re.compile(r"零百|破百|百公里加速|0\s*[-到~]\s*100|加速"), {}, "s"),
    ("charging_time", re.compile(rf"{_RANGE}\s*(?P<unit>分钟|min|小时|个小时|h(?![a-zA-Z]))"),
     re.compile(r"充电|快充|慢充|超充|充满|充到|补能|充(?!分|值|实|足|当)"), {"小时": 60.0, "个小时": 60.0, "h": 60.0}, "min"),
    ("charging_power", re.compile(rf"{_RANGE}\s*(?P<unit>kW|KW|kw|千瓦)(?!h|H|时)"),
     re.compile(r"充电|快充|超充|充电桩|桩|充(?!分|值|实|足|当)"), {}, "kW"),
    # "二个油封": 个油 before a noun character is a counted noun (round 4), not "8个油".
    ("consumption_fuel", re.compile(rf"{_RANGE}\s*(?P<unit>L|升|个油(?!封|箱|门|泵|管|缸|嘴|表|桶|壶|枪|卡|漆|底|盘|品|站|味|液|膜|位|尺|路|孔)"
                                    r"|个(?!多?(?:月|人|小时|钟|星期|礼拜|工作日|天)|油))(?![a-zA-Z])"),
     re.compile(r"油耗|百公里|每百公里|/\s*100|省油|费油"), {}, "L/100km"),
    # "油耗8.8" / "油耗始终在8.2" / "油耗可以低至5.5左右": a bare number governed by 油耗 is litres per 100 km.
    ("consumption_fuel", re.compile(r"(?<=油耗)(?:(?:在|是|到了|到|达到过|达到|达|才|只有|大概|大约|约|基本上?|也就|显示|表显|为"
                                    r"|低于|高于|始终|一直|可以|能|就|都|也|还|一般|平均|低至|高达|最低|最高|保持在|维持在"
                                    r"|稳定在|从|常年|经常|通常|长期|多在|:|：)\s*){0,3}"
                                    r"(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)(?P<unit>)(?:点多|点几)?(?!\d|\.\d)"  # "7.0.喜欢": a full stop
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
    ("consumption_fuel", re.compile(r"油耗[^\d，,。！？!?；;:：\n]{0,10}?(?P<num>\d{1,2}(?:\.\d+)?|[一二三四五六七八九十]{1,3}(?=点[多几]))"
                                    r"(?P<num2>)(?P<unit>)(?!\d|\.\d)(?=\s*(?:升|L|个(?![月人])|点几|\.(?!\d)"  # round 5: "八点多", "8点几"
                                    r"|左右|上下|以上|以下|以内|多|出头|点多|了|的|吧|啊|呢|呀|就|是|[-~～到至]|[，,。！？!?；;\s]|$))"),
     GOVERNED, {}, "L/100km"),
    ("consumption_electric", re.compile(rf"{_RANGE}\s*(?P<unit>kWh|度电|度|千瓦时)"),
     re.compile(r"电耗|能耗|百公里|每百公里|/100km"), {}, "kWh/100km"),
    ("battery_capacity", re.compile(rf"{_RANGE}\s*(?P<unit>kWh|KWH|kwh|度|千瓦时)"),
     re.compile(r"电池|电量|电池包|带电量"), {}, "kWh"),
    ("price", re.compile(rf"{_RANGE}\s*(?P<unit>{PRICE_UNIT})(?!公里|km|多公里|量|辆|台|转|米|人(?!民币)|次)"),
     PRICE_CUE, {}, "万元"),
    ("warranty", re.compile(rf"{_RANGE}\s*(?P<unit>年|万公里)"),
     re.compile(r"质保|保修|包修|免费维修|延保|免费保养|送[\d一二两三四五六七八九十]{1,2}年[\d一二三四五六七八九十]{0,2}次?保养"
                r"|年\s*[\d一二三四五六七八九十]{1,2}万公里\s*(?:免费)?(?:保养|质保|保修)|全车\s*[\d一二三四五六七八九十]{1,2}年"
                r"|车\s*[1-9一二三四五六七八九十]年\s*[\d一二三四五六七八九十]{1,2}万公里"
                r"|送\s*[\d一二三四五六七八九十]{1,2}万公里\s*(?:免费)?[保包]养"),  # round 5: "送十万公里包养" (包养 for 保养)
     {"万公里": 1.0}, "年"),
]
# Substrings each rule's match must contain (same order as CLAIM_RULES): a quick test before the regex.
_NEEDS = (("公里", "km", "KM", "Km", "千米"), ("秒", "s"), ("分钟", "min", "小时", "h"), ("kW", "KW", "kw", "千瓦"),
          ("L", "升", "个"), ("油耗",), ("油耗",), ("到",), ("过",), ("之间",), ("从",), ("油耗",), ("kWh", "度", "千瓦时"),
          ("kWh", "KWH", "kwh", "度", "千瓦时"),
          ("万", "元", "块", "w", "W", "千", "优惠", "降价", "让利", "返现"), ("年", "万公里"))
assert len(_NEEDS) == len(CLAIM_RULES)
RULE_NEEDS = [re.compile("|".join(map(re.escape, needs))) for needs in _NEEDS]  # one C-level scan per rule
_QUALIFIERS = {
    "range": re.compile(r"CLTC|WLTC|NEDC|EPA|实际|实测|表显|冬天|冬季|高速"),
    "price": re.compile(r"落地|指导价|裸车|优惠|起售|官降|降价|预算"),
    "charging_time": _SOC,
}
# A number right after these is a difference, not the value itself (a discount or budget is a
# price claim, told apart by its qualifier): "便宜2万", "比18款低2万", "再加5万", "多两万预算". Round 5: "价格上下5万左右"
# (a spread), "再下浮1万元" (not "下浮个5万", a cut), "ES加1万3" (an option), "再便宜也就一万多", "便宜最多3万".
DELTA_BEFORE = re.compile(r"(?:便宜了?|贵了?|差了?|(?<!最)高出?|(?<![最降])低了?|多卖个?|多了|少了|多出|上升|下降|增加"
                           r"|[升涨降掉]了|降低|减少|再抽|抽|再加|再添|再多|多加|多花|加了|上加|省下?了?|差价|相差|(?<![最不很许大好太差个万千百十\d])多"
                           r"|上下|再[上下]浮|省油\s*(?:了|至少|起码|最少)|多出的|(?<![增追])加个?)"
                           r"\s*(?:了|个|约|大概|将近|近|不到|也就|最多|顶多|至少|也)?\s*$")
DELTA_AFTER = re.compile(r"\s*(?:的)?差距")
# Cheap gate: most posts have no number followed by a unit, and one scan is faster than the rules.
_ANY_UNIT = re.compile(rf"(?:{N})(?:多|余)?\s*(?:公里|km|KM|Km|千米|秒|s|分钟|min|小时|个|h|kW|KW|kw|千瓦|L|升|度|多?万|千|元|块|年|w|W)"
                       r"|万\d|\d\s*(?:的)?(?:综合|平均|百公里)?油耗|油耗\s*\D{0,8}(?:\d|[一二三四五六七八九十]点[多几])"
                       r"|优惠了?\s*(?:\d{4}|\d{1,2}\s*[kK])")
# Numbers that sit inside these are never spec claims (dates, plates, model codes).
COMMA_DECIMAL = re.compile(r"(?<![\d.，])(\d)，(\d)(?=\s*(?:个(?![人月])|升|L|到了?\s*\d，\d\s*(?:个|升|L)))")
BLOCK_BEFORE = re.compile(r"(?!(?<=[kK])[mM]$)[A-Za-z]$")  # "10km20个油耗": a unit, not a model code
_PIECE_CHARS = 400


def extract_claims(text: str) -> list[dict[str, Any]]:
    """Return the spec claims in ``text`` (normalised simplified Chinese) as dicts.

    Each dict has model (or None), attribute, value, value_max (for "500-600公里"), unit,
    qualifier (CLTC/实际/落地/10-80% ...), start, end (offsets into ``text``) and evidence.
    The model is the last car model named before the number anywhere in the text.
    """
    if not text:
        return []
    if "，" in text and "油耗" in text:  # "从8，2到了8，9个": a full-width comma as the decimal point
        text = COMMA_DECIMAL.sub(r"\1.\2", text)  # same length, so offsets still hold
    claims: list[dict[str, Any]] = []
    for base, piece in text_pieces(text):
        for claim in _piece_claims(piece):
            claim["start"] += base
            claim["end"] += base
            claims.append(claim)
    if claims:  # one scan for model names, then each claim takes the last one that ends before it
        mentions = [(m.end(), m.group(0)) for m in car_models_pattern().finditer(text)]
        ends = [end for end, _ in mentions]
        for claim in claims:
            i = bisect.bisect_right(ends, claim["start"])
            claim["model"] = mentions[i - 1][1] if i else None
    return claims


def text_pieces(text: str, size: int = _PIECE_CHARS):
    """Cut ``text`` into runs of at most ``size`` characters: after a sentence end, else a comma, else anywhere.

    Every rule reads at most the sentence around a number, so a normal post is cut only between sentences;
    the bound keeps a pathological one (a 1 MB paste, "1万1万1万…" with no punctuation) linear in its length.
    """
    start = 0
    while len(text) - start > size:
        window = text[start + size // 2:start + size]
        cut = max(window.rfind(ch) for ch in SENTENCE_END)
        if cut < 0:
            cut = max(window.rfind("，"), window.rfind(","))
        cut = start + size // 2 + (cut if cut >= 0 else len(window) - 1) + 1
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


def clause_spans(text: str):
    """Yield (clause, offset, sentence_start) for every clause of ``text`` that is not a lone punctuation mark.

    Example:
        >>> [(c, o, s) for c, o, s in clause_spans("续航500公里，充电30分钟。油耗8个")]
        [('续航500公里', 0, 0), ('充电30分钟', 8, 0), ('油耗8个', 15, 15)]
    """
    pos = sentence_start = 0
    for clause in _CLAUSE_SPLIT.split(text):
        if not clause:
            continue
        offset = text.find(clause, pos)
        pos = offset + len(clause)
        if len(clause) == 1 and clause in "。！？!?；;\n,，":
            if clause in SENTENCE_END:
                sentence_start = pos
            continue
        yield clause, offset, sentence_start


def _piece_claims(text: str) -> list[dict[str, Any]]:
    """The claims of one piece of at most ``_PIECE_CHARS`` characters, offsets into it, model not yet set."""
    claims: list[dict[str, Any]] = []
    if not _ANY_UNIT.search(text):
        return claims
    carried: set[str] = set()  # attributes claimed earlier in the same sentence ("官方3.8秒，我测4.1秒")
    current = 0
    for clause, offset, sentence_start in clause_spans(text):
        if sentence_start != current:
            carried, current = set(), sentence_start
        taken: list[tuple[int, int]] = []
        found: set[str] = set()
        for (attribute, pattern, cue, scale, unit), needs in zip(CLAIM_RULES, RULE_NEEDS):
            if not needs.search(clause):
                continue  # cheaper than running a rule whose unit word is absent
            for m in pattern.finditer(clause):
                s, e = (m.start("num"), m.end()) if cue is GOVERNED else m.span()  # the number, not 油耗 before it
                if any(s < te and ts < e for ts, te in taken):
                    continue  # one number, one attribute: the first (most specific) rule wins
                if s > 0 and (BLOCK_BEFORE.search(clause[:s]) or clause[s - 1].isdigit()):
                    continue
                if attribute in ("price", "consumption_fuel", "acceleration_0_100", "range") and (
                        DELTA_BEFORE.search(clause, max(0, s - 6), s) or DELTA_AFTER.match(clause, e)):
                    continue  # "优惠1.6万" is a price, "便宜1.6万", "油耗下降1个", "加速1.9秒差距" are differences
                if attribute == "price":
                    money = price_value(m, clause, text, offset, sentence_start, carried)
                    if money is None:
                        continue
                    value, value2 = money
                else:
                    value, value2 = parse_span(m["num"], m["num2"])
                    if value is None or not other_cue(attribute, m, clause, text, s, e, cue, offset, sentence_start,
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
                taken.append((s, e))
                found.add(attribute)
                claims.append({"model": None, "attribute": attribute, "value": round(value * factor, 4),
                               "value_max": round(value2 * factor, 4) if value2 is not None else None, "unit": u,
                               "qualifier": qualifier, "start": offset + s, "end": offset + e,
                               "evidence": clause.strip()})
        carried |= found
    claims.sort(key=lambda c: c["start"])
    return claims
