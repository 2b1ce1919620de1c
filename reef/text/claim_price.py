r"""Price claims: when an amount of money in a car post is what a car costs.

Split out of :mod:`reef.text.claims`, which finds the numbers; this module decides, for the price rule, whether
an amount is a car's price (new, used, quoted, budgeted, a level, a bound, a discount) and not a service, a part,
a tax or a mileage written with 万, and normalises it to 万元. It also holds the clause and sentence helpers the other
claim rules share (:func:`cue_near`, :func:`sentence_end`). docs/text-claims.md ("Round 2 rules" to "Round 5 rules")
lists the forms and the look-alikes.

Example:
    >>> import re
    >>> m = re.search(rf"(?P<num>\d+)(?P<num2>)(?P<unit>{PRICE_UNIT})", "优惠9000送膜")
    >>> price_value(m, "优惠9000送膜", "优惠9000送膜", 0, 0, set())
    (0.9, None)
"""
from __future__ import annotations

import re

from reef.text.numerals import parse_span

__all__ = ["PRICE_UNIT", "PRICE_CUE", "SENTENCE_END", "BARE_DISCOUNT", "price_value", "money_amount", "cue_near",
           "sentence_end"]

SENTENCE_END = "。！？!?；;\n"

# The empty unit last: "20万", "1万3" carry 万 in the number. w for 万 only after at most two digits:
# "310w" is a model code (宝骏310W), not 3.1 million.
PRICE_UNIT = (r"万元|万块钱|万块|万多元|万多块钱|万多块|多万元|多万块钱|多万块|多万|万|元|块钱|块|(?<![\d.]\d\d\d)[wW](?![a-zA-Z])"
               r"|千块钱|千块|千元|千|(?<![\d.]\d\d)[kK](?![a-zA-Z])|")  # round 5: K for 千, only after 优惠 ("优惠5K")
PRICE_CUE = re.compile(r"售价|价格|价位|价钱|落地|指导价|报价|收价|收购价|卖价|车价|裸车|优惠|起售|起步价|万元?起|上路"
                        r"|全款|成交价|入手|预算|花了|买的|买了|卖|便宜|贵|官降|降价|加价|开价|出价|要价|标价|叫价|喊价"
                        r"|人民币|降个|(?<![数阈均峰保])值(?!得|回)")
_STRONG_PRICE = re.compile(r"售价|价格|指导价|报价|裸车|落地|起售|官降|降价|优惠|加价|人民币")
# A price in a sentence about these is what a service or a part costs (or a sales volume, a pay), not the car.
_SERVICE = re.compile(r"保养|维修|修|配件|机油|轮胎|贴膜|保险|税|油费|加油|(?<!置)换(?!车|购|新车|了?[一两]?[台辆部])|灯|零件"
                      r"|工时|材料|贷|利息|月供|销量|[月年]销|工资|薪|收入")
_FITTING = re.compile(r"(?:加装|装潢|改装|精品)了?\s*$")  # "加装一万装潢": fitting-out, right before the amount
_SERVICE_AFTER = re.compile(r"\s*(?:左右|多)?\s*(?:的)?\s*(?:购置税|税|保险|车险|油费|保养|利息|手续费|罚款|维修费|工时费|油钱)")
# "30万的车", "10万车", "20万买新的", "28万那款": an amount that names what a car costs.
_CAR_AFTER = re.compile(r"\s*(?:左右|多|出头|以内|之内|以下|以上|上下|级别?)?\s*(?:的|那|这)?\s*(?:车(?![主友次险位库辆])|SUV|suv|轿车"
                        r"|新车|二手|豪车|进口|合资|国产|MPV|mpv|款|(?:20)?[01]\d\s*款)"
                        r"|\s*(?:左右|多|出头|以内|之内|以下|以上)?\s*的[^\d\s，,。！？修洗停租养保行地]{1,2}(?:车(?![主友次险费位库])|SUV|suv)"
                        r"|\s*(?:左右|多|出头)?\s*的?(?:水平|档次|价位|操控|质感|做工|用料)"  # "6.7万的水平": a level
                        r"|\s*(?:左右|多|出头|以内|之内|内|以下|以上)?\s*(?:就|就能|能|可以|就可以|都|也|才)?\s*"
                        r"(?:买|入手|入|提车|提|拿下|落地|裸车)")
# "40万以内……什么车": a price bound with a car or a purchase later in the clause.
_BOUND = re.compile(r"\s*(?:以内|之内|内|以下|以上)")
_BOUND_CAR = re.compile(r"车(?![主友次险费位库])|买|SUV|suv|MPV|原装进口")
# "优惠9000", "优惠了20000": a discount in 元 with the unit left out.
BARE_DISCOUNT = re.compile(r"(?:优惠|降价|官降|让利|返现)了?\s*$")
# Price words that reach across the clauses of a sentence ("价格定位……，28万完全是和xc60PK了").
_SENTENCE_PRICE = re.compile(r"价格|价位|价钱|售价|报价|出价|开价|指导价|裸车|落地|预算|优惠|降价|官降|多少钱|(?<![数阈均峰保])值(?!得|回)")
# Round 4: a clause that names a cost or a gain other than the car's price before the amount ("手续费1.2万",
# "经销商利润、经营成本……5万左右", "首付3万"); and an owner's verdict right after a bare amount ("20～21万左右我觉得合理").
_NON_CAR_COST = re.compile(r"手续费|利润|成本|运费|运输费|[^购置]税|保费|工资|首付|月供|利息|维修费|油费|油钱|电费|停车费|过路费|罚款|赚")
# "全时四驱，进口的，33万": an amount alone in its clause, in a sentence listing what a car is, is its price.
_SPEC_LIST = re.compile(r"四驱|两驱|进口|合资|顶配|高配|低配|中配|豪华版|舒适版|尊贵版|手动挡|自动挡|\d\.\d\s*[TL]")
_MILEAGE_WORD = re.compile(r"公里|km|KM|开了|跑了|里程|行驶|表显")
_CAR_PRICE = re.compile(r"价格|售价|指导价|车价|裸车|落地|到岸价")  # a car's price named after the cost word
_VERDICT_AFTER = re.compile(r"\s*(?:左右|多|出头)?\s*(?:我觉得|我认为|也|还|都)?\s*(?:算是?|属于|比较|很|挺)?\s*"
                            r"(?:合理|正常|划算|合算|不贵|良心|公道|实惠)")
# A bare 万 next to these is a mileage: "开了13万", "13万都没有烧机油", "4万就换了", "6万5时".
_MILEAGE_BEFORE = re.compile(r"(?:开了?|跑了?|开到|跑到|行驶了?|里程数?|公里数|走了|表显)"
                             r"\s*(?:[\d一二两三四五六七八九十半]+个?多?(?:年|月)半?多?)?"  # "开了两年3万"
                             r"\s*(?:了|到|过|近|将近|快|才|已经|有|约|大概)?\s*$")
_MILEAGE_AFTER = re.compile(r"\s*(?:多|左右|出头)?\s*(?:公里|km|里程|后|以后|之后|时(?!尚)|的时候|就换|换|保养|一保|一换|都没|没|开始|烧)")
_DISCOUNT = re.compile(r"优惠|降价|官降|让利|返现|加价|降个")  # a 千 amount is a price only as a discount ("优惠五千")
# Round 5: a used car bought in by a dealer or a buyer: "4s店收8万元", "6.2万收来的" (not 收费, 收入).
_BUY_IN_BEFORE = re.compile(r"(?:店|商|行|回|人家|别人|车贩子?)收(?:购|了)?\s*$")
_BUY_IN_AFTER = re.compile(r"\s*多?\s*收(?:来|回来|过来)")  # not "18万收的是什么税"
_LANDED = re.compile(r"落地|上路价|裸车|指导价|车价")  # a car's total or list price: it includes the insurance, the tax
_SUM_TALK = re.compile(r"\s*(?:块钱|块|元)?\s*(?:也|可|真|确实|还)?\s*(?:不是|是)(?:个|一个|笔|一笔)?(?:小数|大数|小钱|大钱)")
_MONEY_SCALE = {**dict.fromkeys(("万", "万元", "万块", "万块钱", "万多元", "万多块", "万多块钱", "w", "W", "多万", "多万元",
                                  "多万块", "多万块钱"), 1e4),
                **dict.fromkeys(("千", "千块", "千元", "千块钱", "k", "K"), 1e3), **dict.fromkeys(("元", "块", "块钱", ""), 1.0)}


def sentence_end(text: str, start: int) -> int:
    """Where the sentence holding ``text[start]`` ends: its first sentence-end character, or the end of the text."""
    ends = [i for i in (text.find(ch, start) for ch in SENTENCE_END) if i != -1]
    return min(ends) if ends else len(text)


def cue_near(clause: str, start: int, cue: re.Pattern) -> bool:
    """Whether ``cue`` is in the clause before the number at ``start`` or within 12 characters after it."""
    # The window after starts one character early, so a cue around the number counts ("送三年九次保养").
    return cue.search(clause, 0, start) is not None or cue.search(clause[max(0, start - 1):start + 12]) is not None


def money_amount(m: re.Match, value: float, value2: float | None) -> tuple[float, float | None] | None:
    """An amount in 万元, or None when the number carries no money unit ("30" alone)."""
    unit, num, num2 = m["unit"], m["num"], m["num2"] or ""
    scale = _MONEY_SCALE[unit]
    if unit != "" and scale < 1e3 and value2 is not None and re.search("[万千]", num2) and not re.search("[万千]", num):
        value *= 1e4 if "万" in num2 else 1e3  # "13.98-16.98万元": the 万 of the upper end counts for both
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
    if _SUM_TALK.match(clause, e):
        return False  # round 5: "五万不是个小数目": a sum of money judged, not what a car costs
    near_car = ("万" in clause[s:e] or unit in ("w", "W")) and _CAR_AFTER.match(clause, e) is not None  # "7W入的手"
    service = _SERVICE.search(text, max(sentence_start, offset + s - 12), offset + s)
    car_amount = "万" in clause[s:e] or unit in ("w", "W")  # a service or a part costs less than 1万 元
    strong = service and car_amount and _CAR_PRICE.search(text, service.end(), offset + s)
    if service and ((strong and re.search("[，,]", text[service.end():strong.start()]))  # "没送保养，我想把价格……压到"
                    or ("万" in clause[s:e] and BARE_DISCOUNT.search(clause, 0, s))  # "做保养6月份优惠2万"
                    or (car_amount and _LANDED.search(text, service.end(), offset + s))):  # round 5: "加保险落地上路价格27万多"
        service = None  # the service word belongs to an earlier clause than the car's price word
    if _FITTING.search(clause, max(0, s - 4), s) or not near_car and (service or _SERVICE_AFTER.match(clause, e)):
        return False  # "保养报价是467元", "换中段2.4万": a service or a part, not the car
    cost = [c for c in _NON_CAR_COST.finditer(clause, 0, s)]
    if cost and not BARE_DISCOUNT.search(clause, 0, s) and not _CAR_PRICE.search(clause, cost[-1].end(), s):
        return False  # "手续费1.2万", "利润……5万左右": money, not what the car costs ("关税……到岸价格2万元" is)
    money_unit = unit not in ("", "万", "w", "W", "多万")  # 元 / 块 / 万元 ...: money, never a mileage
    if not money_unit and (_MILEAGE_BEFORE.search(clause, max(0, s - 8), s) or _MILEAGE_AFTER.match(clause, e)):
        return False
    if unit.startswith("千") or (unit == "" and "万" not in clause[s:e]):
        return _DISCOUNT.search(clause, 0, s) is not None or "price" in carried  # 千: a discount
    if near_car or "price" in carried or cue_near(clause, s, PRICE_CUE):
        return True
    if "万" in clause[s:e] and (_BUY_IN_BEFORE.search(clause, max(0, s - 6), s) or _BUY_IN_AFTER.match(clause, e)):
        return True  # round 5: a dealer's offer for a used car ("4s店收8万元", "6.2万收来的")
    if "万" in clause[s:e] and _VERDICT_AFTER.match(clause, e):
        return True  # "20～21万左右我觉得合理", "10-15万正常"
    if (money_unit and _STRONG_PRICE.search(clause, e)) or ("万" in clause[s:e] and _STRONG_PRICE.search(clause, e, e + 12)):
        return True  # "24.48万元是……裸车最低价格", "十一万到十二万之间属于正常价格"
    if "万" in clause[s:e] and _BOUND.match(clause, e) and _BOUND_CAR.search(clause, e):
        return True  # "40万内除了唐，加速最快的是什么车"
    if _SENTENCE_PRICE.search(text, sentence_start, offset + s):
        return True  # a price word earlier in the sentence carries to a bare amount ("我的价格……底线，20万")
    sentence = text[sentence_start:sentence_end(text, offset + e)]
    alone = re.search(r"(?:^|[，,])\s*$", clause[:s]) and re.match(r"\s*(?:[，,]|$)", clause[e:])
    return ("万" in clause[s:e] and alone is not None
            and _SPEC_LIST.search(sentence) is not None and _MILEAGE_WORD.search(sentence) is None)


def price_value(m: re.Match, clause: str, text: str, offset: int, sentence_start: int,
                carried: set[str]) -> tuple[float, float | None] | None:
    """The car price (万元, and the range's upper end) of the price-rule match ``m`` in ``clause``, or None.

    ``text`` is the whole text, ``offset`` where the clause starts in it, ``sentence_start`` where its sentence
    starts, ``carried`` the attributes already claimed earlier in the sentence.
    """
    s, e = m.span()
    unit = m["unit"]
    if (not unit and m["num"].isdigit() and not m["num2"] and 1000 <= int(m["num"]) <= 200_000
            and BARE_DISCOUNT.search(clause, 0, s)):
        return int(m["num"]) / 1e4, None  # "优惠9000": 元 left out
    if not unit and not re.search("[万千]", m[0]):
        return None  # a bare number: no money unit
    if unit in ("k", "K") and not BARE_DISCOUNT.search(clause, 0, s):
        return None  # "8K-1W一保养", "一米就要2、3k": K is 千 only right after a discount word
    value, value2 = parse_span(m["num"], m["num2"])
    if value is None or not _price_cue(text, clause, s, e, unit, offset, sentence_start, carried):
        return None
    money = money_amount(m, value, value2)
    if money is None:
        return None
    if (unit in ("元", "块", "块钱") and "万" not in m["num"] and not _STRONG_PRICE.search(clause)
            and not _CAR_AFTER.match(clause, e)):
        return None  # "花了1500元贴膜" is a purchase, not the car's price
    if not 0.1 <= money[0] <= 5000:
        return None  # under 1,000 元 is a part or a meal, not a car or a discount on one
    if money[0] < 1 and not (_DISCOUNT.search(clause) or "price" in carried):
        return None  # round 5: under 1万 元 is a fee or a quote ("上牌，价格2000元"), not a discount, unless its clause
        # names one or a price was claimed earlier in the sentence ("优惠五千，砍到最后也只给九千")
    return money
