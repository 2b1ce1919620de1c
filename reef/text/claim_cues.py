r"""Claim cues for every attribute but price: when a number with a unit is the spec claim its rule looks for.

Split out of :mod:`reef.text.claims`, which finds the numbers (prices are decided in :mod:`reef.text.claim_price`).
Fuel consumption has the most look-alikes: litres of oil or a tank, an engine size ("2.0L"), a counted 个 ("3个人"),
a difference ("油耗下降1个"); a range is not a remaining range or a trip, a warranty not a model year. The forms and
their look-alikes are listed in docs/text-claims.md ("Round 2 rules" to "Round 5 rules").

Example:
    >>> import re
    >>> m = re.search(r"(?P<num>\d+)(?P<num2>)(?P<unit>个)", "市区13个左右")
    >>> other_cue("consumption_fuel", m, "市区13个左右", "市区13个左右", m.start(), m.end(),
    ...           re.compile("油耗"), 0, 0, set(), 13.0)
    True
"""
from __future__ import annotations

import re

from reef.text.claim_price import cue_near, sentence_end

__all__ = ["GOVERNED", "other_cue"]

# 油耗 a few words before a bare number, with no comparison, speed, cost or distance word between.
GOVERNED = re.compile(r"油耗(?P<gap>[^\d，,。！？!?；;:：\n]{0,10})$")
_NOT_GOVERNED = re.compile(r"比|差|减少|增加|节省|省|多了|少了|高了|低了|高出|[降升涨掉](?!到)|时速|速度|公里|价|钱|元|块|毛|排量|年|月"
                           r"|第|次|人|个|名|怠速")
# After a bare 个, words that leave it meaning litres ("8个多", "8个可能不到"), not a classifier ("3个人").
_GE_LITRES = re.compile(r"多|左右|以|上下|出头|吧|啊|了|的|呢|就|都|也|还|算|正常|而已|之间|可能|应该|估计|不到|不会"
                        r"|没|往|差不多|很|挺|纯|市|高速|综合|[，。！？,.!?\s\d一二三四五六七八九]|$")
# Round 5: a bare number right before 油耗 under 4 L is an engine size ("我的2.5油耗", "不管2.5或2.0百公里油耗"),
# and a bare number whose subject is a speed is a speed ("均速一直降到23").
_BEFORE_FUEL_WORD = re.compile(r"\s*(?:的)?(?:综合|平均|百公里|实际)?油耗")
_SPEED_SUBJECT = re.compile(r"均速|时速|车速|速度|转速|码数")
_WAITING = re.compile(r"排队|等了|等待|排了")
_REMAINING = re.compile(r"剩余|剩下|还剩|剩")
_REMAINING_AFTER = re.compile(r"还剩|剩下|剩余|还有[^\d，,。]{0,3}[格半]")
# A driving condition right before litres makes them a consumption ("跑长途八升多", "市区13-14个").
_DRIVING = re.compile(r"(?:(?:市区|市内|城市|城区|高速|长途|国道|省道|郊区|综合|平均|堵车|拥堵|畅通|山路|冬天|夏天|冬季|夏季)"
                      r"[^\d，,。；;！!？?]{0,3}|跑(?:了|着|出|到|下来|个)?"
                      r"|(?:时速|定速|车速|均速)\s*\d{2,3}(?:\s*[-~～到至]\s*\d{2,3})?\s*(?:km/h|km|公里|码|迈)?\s*(?:的话|时|之间|的时候)?"  # a speed: "120km时速8个多"
                      r"(?:\s*[，,]|\s*(?:也|都|就|大概|基本)?\s*(?:是|在|有))?"  # round 5: "时速60-90之间，8L", "均速14的时候也是10升"
                      r"|\d{2,3}\s*(?:km/h|km|公里|码|迈)?\s*(?:时速|定速|的速度))\s*$")
_OIL = re.compile(r"机油|换油|加油|加了|加满|加到|油箱|一箱|桶|瓶|差速|变速箱|防冻液|刻度|排量|烧|容量|\d\s*(?:公里|km|KM)(?!\s*(?:/h|每小时|时速|定速|的速度))")
_ENGINE_AFTER = re.compile(r"\s*(?:排量|自吸|涡轮|增压|发动机|手动|自动|四驱|两驱|的车|版)")
# "13年森", "09年11月", "13款": a calendar year, not a warranty.
_YEAR_AFTER = re.compile(r"\s*(?:款|森|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|的车|车(?!险)|买|提|生产|出厂|上牌|登记|底|初|之前|以前|开始)")
_NOT_WARRANTY_AFTER = re.compile(r"\s*(?:的)?(?:保险|车险|贷款|驾龄|车龄)")


def other_cue(attribute: str, m: re.Match, clause: str, text: str, s: int, e: int, cue: re.Pattern, offset: int,
               sentence_start: int, carried: set[str], value: float) -> bool:
    """Whether a non-price number is a claim of ``attribute``: its cue, and none of the look-alikes."""
    unit_ = m["unit"]
    if cue is GOVERNED:
        g = GOVERNED.search(clause, max(0, s - 12), s)
        return (g is not None and not _NOT_GOVERNED.search(g["gap"]) and 3 <= value <= 25
                and clause[max(0, s - 14):s].find("怠速油耗") == -1  # idling: litres per hour
                and not (value <= 3 and clause[e:e + 1] == "的"))  # "赶上3.0的日系": an engine size
    litres = attribute == "consumption_fuel" and unit_ in ("L", "升", "个")
    if unit_ == "个" and not (_GE_LITRES.match(clause, e) or re.search(r"油耗[^\d，,。]{0,4}$", clause[:s])):
        return False  # "3个人": 个 is a classifier
    if unit_ in ("个", "个油") and (clause[s - 1:s] == "第" or (
            not m["num"][0].isdigit() and re.search(r"(?:这|那|哪|前面|后面)\s*$", clause[:s]))):
        return False  # round 5: "第二个10000公里", "选这两个", "前面三个": an ordinal or a pointed-at count
    if unit_ in ("个", "个油") and clause[m.start("unit") + 1:m.start("unit") + 3] in ("油耗", "耗") and value < 5:
        return False  # "一个油耗会增高": 个 is a classifier; "15个油耗" is litres
    # "油耗……，我的市区13-14个": for 个 the cue may sit anywhere in the sentence.
    # Litres, and "从8.2到", may take 油耗 from anywhere in the sentence ("常年维持在8L，…油耗确实不错").
    sentence_cue = attribute == "consumption_fuel" and (
        unit_ == "个" or (litres and 3 <= value <= 25 and not _OIL.search(clause, max(0, s - 12), e + 4))
        or (unit_ == "" and clause[s - 1:s] == "从")) and cue.search(
        text[sentence_start:sentence_end(text, offset + e)]) is not None
    driving = litres and 3 <= value <= 25 and _DRIVING.search(clause, max(0, s - 14), s) is not None \
        and not _OIL.search(clause)
    has_cue = cue_near(clause, s, cue) or attribute in carried
    # "应该在7秒以内吧，有……的加速成绩么": a time bound, with an acceleration result named later in the sentence.
    accel_sentence = attribute == "acceleration_0_100" and unit_ == "秒" and 2.5 <= value <= 15 and re.match(
        r"\s*(?:以内|之内|左右|多|出头)", clause[e:]) is not None and re.search(
        r"加速成绩|零百|破百|百公里加速", text[offset + e:sentence_end(text, offset + e)]) is not None
    # Round 5: "你H9百公里12秒多": 百公里 right before a time in seconds is a 0-100 time.
    accel_direct = attribute == "acceleration_0_100" and unit_ == "秒" and re.search(r"百公里\s*$", clause[:s]) is not None
    if not (has_cue or unit_ == "个油" or sentence_cue or driving or accel_sentence or accel_direct):
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
    if attribute == "consumption_fuel" and unit_ == "" and value < 4 and _BEFORE_FUEL_WORD.match(clause, e):
        return False  # round 5: "我的2.5油耗", "2.0和2.5油耗差不多": an engine size names whose consumption it is
    if attribute == "consumption_fuel" and unit_ == "" and (not _BEFORE_FUEL_WORD.match(clause, e)
            and _SPEED_SUBJECT.search(clause[:s].rsplit("油耗", 1)[-1])):
        return False  # round 5: "均速一直降到23，油耗8.8": the bare number is a speed, not a consumption
    if attribute == "range" and (re.search(r"(?:/|每)\s*$", clause[:s]) or (
            re.search(r"跑满\s*$", clause[:s]) and not re.search(r"一箱|满电|续航|满油|加满", clause))):
        return False  # "8.8升/100千米": a denominator; "跑满一千公里油表……": a trip, not a full-tank range
    if attribute == "range" and (_REMAINING.search(clause, max(0, s - 8), s) or not 20 <= value <= 2000 or
                                 (re.search(r"油耗|电耗", clause) and "续航" not in clause)):
        return False  # remaining range, a distance driven, an odometer, or a reading beside consumption
    if attribute == "range" and "续航" not in clause and _REMAINING_AFTER.search(text, offset + e,
                                                                             sentence_end(text, offset + e)):
        return False  # round 5: "一箱油，640km，还剩两个格": a distance with fuel still left is a trip, not a range
    if attribute == "range" and re.search(r"(?:跑|开|走)了\s*(?:大概|大约|约|差不多|将近|不到|才|只)?\s*$", clause[max(0, s - 8):s]) \
            and not re.search(r"一箱|满电|续航|满油|加满|充满", clause):
        return False  # "充了一次电跑了三十多公里", "我只跑了400公里": a distance driven, not a range
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
