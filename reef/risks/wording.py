"""How the radar's notes and alerts say its statistics in an operator's words (text only: no computation here).

A *surprise* s (-log10 of a tail probability) is said as the odds of seeing it by chance (显著性4.3 read as nothing to
an operator; 偶然出现的概率约1/20,000 does); a CUSUM's accumulated evidence is said against the level that raises
the alert; a number expected by chance says so in plain words; English counts take their singular at 1.

Example:
    >>> odds(4.3), odds(0.4), odds(7)
    ('1/20,000', '1/3', '<1/1,000,000')
    >>> chance(4.3)
    ('偶然出现的概率约1/20,000', 'odds of this by chance about 1/20,000')
    >>> plural(1, "thread"), plural(3, "core member")
    ('1 thread', '3 core members')
    >>> part_value("hostility", 0.0138), part_value("newcomers", 2.94, "en"), part_baseline("burnout", 11.28)
    ('1.4%', '2.9 h', '偶然约11.3人')
"""
from __future__ import annotations

import math

from reef.i18n import counted

__all__ = ["odds", "about", "chance", "evidence", "expected_by_chance", "plural", "change", "part_value", "part_baseline"]


def change(x: float) -> str:
    """A relative change as a signed whole percentage; one that rounds to 0 is ``+0%``, never ``-0%`` (Python's
    ``f"{-0.0:+.0%}"``, which a steady count or an empty store gave as a "fall" of nothing).

    >>> change(-0.0), change(-0.004), change(0.25), change(-0.5)
    ('+0%', '+0%', '+25%', '-50%')
    """
    r = round(float(x), 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{r:+.0%}"


def odds(surprise: float) -> str:
    """The odds 10^-surprise as ``1/N`` (two significant figures; below one in a million: ``<1/1,000,000``)."""
    if surprise >= 6:
        return "<1/1,000,000"
    n = 10 ** max(float(surprise), 0.0)
    digits = max(int(math.floor(math.log10(n))) - 1, 0)
    return f"1/{round(n, -digits):,.0f}"


def about(surprise: float) -> tuple[str, str]:
    """(zh, en): the odds after "about" (约1/20,000), or "below" one in a million (不到1/1,000,000)."""
    return ("不到1/1,000,000", "below 1/1,000,000") if surprise >= 6 else (f"约{odds(surprise)}", f"about {odds(surprise)}")


def chance(surprise: float) -> tuple[str, str]:
    """(zh, en): how likely chance alone is to give what was seen."""
    zh, en = about(surprise)
    return f"偶然出现的概率{zh}", f"odds of this by chance {en}"


def evidence(value: float, alert_at: float, what_zh: str = "下滑", what_en: str = "decline") -> tuple[str, str]:
    """(zh, en): a CUSUM's accumulated evidence against the level that raises the alert.

    >>> evidence(18.7, 5)[0]
    '持续下滑的累计证据18.7，达到5即提醒，已是提醒线的3.7倍'
    """
    zh = f"持续{what_zh}的累计证据{value:.1f}，达到{alert_at:g}即提醒"
    en = f"accumulated evidence of a {what_en} {value:.1f}, alerting at {alert_at:g}"
    if alert_at > 0 and value >= alert_at:
        zh += f"，已是提醒线的{value / alert_at:.1f}倍"
        en += f", {value / alert_at:.1f} times that level"
    return zh, en


def expected_by_chance(n: float, unit_zh: str = "人") -> tuple[str, str]:
    """(zh, en): how many chance alone would put there.

    >>> expected_by_chance(8.46)[0]
    '纯属偶然时也会有约8.5人'
    """
    return f"纯属偶然时也会有约{n:.1f}{unit_zh}", f"about {n:.1f} expected by chance alone"


def plural(n: float, one: str, many: str | None = None) -> str:
    """``n`` with its English noun: singular at exactly 1, else ``many`` (default: ``one`` + "s")."""
    return f"{n:g} {one if n == 1 else (many or one + 's')}" if isinstance(n, float) else f"{n} {one if n == 1 else (many or one + 's')}"


# A part's raw value and baseline in their units (zh, en templates of {v}; {p}: v as a percentage; {c:noun}: v rounded
# and counted, reef.i18n.counted). Parts not listed show their value with three significant digits.
_PCT = ("{p}", "{p}")
_VALUES = {
    "activity": ("较基线{d}", "{d} vs baseline"), "circle_decay": ("{v:.0f}分（降温最明显的圈子）", "{v:.0f} (the coolest circle's score)"),
    "homogenisation": ("近重复{p}", "{p} near-duplicates"), "novelty": ("新颖度{p}", "novelty {p}"),
    "burnout": ("占核心{p}", "{p} of core"), "cliques": ("回复给核心{p}", "{p} of core replies to core"), "hostility": _PCT,
    "dilution": _PCT, "polarisation": ("高{pp}个百分点", "{pp} points higher"), "newcomers": ("{v:.1f}小时", "{v:.1f} h"),
    "conflict": ("{v:.0f}个帖子", "{c:thread}"), "drift": ("{v:.0f}人", "{c:member}"),
    "complaints": ("{v:.0f}条", "{c:complaint}"), "unresolved": ("{v:.0f}条", "{c:complaint}"),
    "misinformation": ("{v:.0f}条帖子", "{c:post}"),
}
_BASELINES = {
    "activity": ("每周{v:.0f}人", "{v:.0f} a week"), "homogenisation": _PCT, "novelty": _PCT, "hostility": _PCT,
    "dilution": ("目标{p}", "target {p}"), "burnout": ("偶然约{v:.1f}人", "{v:.1f} by chance"),
    "drift": ("偶然约{v:.1f}人", "{v:.1f} by chance"), "complaints": ("预期{v:.0f}条", "{v:.0f} expected"),
    "unresolved": ("预期{v:.0f}条", "{v:.0f} expected"),
}


def _unit(table: dict, part: str, v, lang: str) -> str:
    if v is None:
        return ""
    form = table.get(part)
    if form is None:
        return f"{v:.3g}" if isinstance(v, float) else str(v)
    v = float(v)
    return counted(form[lang == "en"], v=v, c=round(v) if math.isfinite(v) else v, p=f"{v:.1%}", pp=f"{v * 100:.1f}", d=change(-v))


def part_value(part: str, value, lang: str = "zh") -> str:
    """A part's raw value with its unit (a share as a percentage, hours, members, posts); "" for none."""
    return _unit(_VALUES, part, value, lang)


def part_baseline(part: str, baseline, lang: str = "zh") -> str:
    """A part's baseline (or the number chance alone would give, or the target) with its unit; "" for none."""
    return _unit(_BASELINES, part, baseline, lang)
