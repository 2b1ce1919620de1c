"""The seeding plan's words (the 种子名单 page, ``/api/v1/seed-plan``, ``reef seed-plan`` and its download): why each
seed was chosen, why a member was left out or flagged, the plan against the alternatives, and the note a recorded plan
carries, in Chinese or English.

:data:`WORDS` holds every sentence as ``(zh, en)``; English counts its nouns with :func:`reef.i18n.counted`
(``{n:member}``: 1 member, 2 members). :func:`words` formats one; :func:`headline` compares the plan with the
alternatives fairly; :func:`why_text` says one check of :mod:`reef.network.seed_checks`; :func:`strategy_label` names a
compared seed set. :mod:`reef.network.seedplan` builds the plan's view with them.

Example:
    >>> words("next", "en", n=2, m=1)
    'Chosen 2nd: expected to reach about 1 member more than the seeds before'
    >>> strategy_label("random", 1, "en"), strategy_label("random", 3, "zh")
    ('1 member at random', '随机 3 位成员')
    >>> why_text({"reason": "overasked", "n": 1, "days": 7}, "en", masked=True)["text"]
    'mentioned 1 time in 7 days: asked too often already'
"""
from __future__ import annotations

from typing import Any

from reef.i18n import counted

__all__ = ["STRATEGIES", "WORDS", "words", "ordinal", "empty_reason", "strategy_label", "headline", "why_text"]

# How the page names each seed set it compares (strategy -> zh, en); the plan first.
STRATEGIES: dict[str, tuple[str, str]] = {
    "plan": ("推荐的种子名单（IMM）", "The recommended seeds (IMM)"),
    "top_degree": ("回复者最多的前 {k} 位", "The {k:member} with the most repliers"),
    "top_pagerank": ("影响力排名（PageRank）前 {k} 位", "The {k:member} ranked first by PageRank"),
    "random": ("随机 {k} 位成员", "{k:member} at random"),
    "brand_broadcast": ("官方账号直接发布", "The brand accounts posting it"),
    "pynetim_imm": ("pynetim IMM（参照）", "pynetim IMM (reference)"),
}
# Each figure says what it measures: the reach is the expected number of members the topic gets to (the seed
# included), weighed by how often each member replied before; responders are everyone who ever replied to the seed.
WORDS: dict[str, tuple[str, str]] = {
    "first": ("首选：单靠 TA 发起，预计话题会传到约 {m} 人（含 TA 本人）",
              "Chosen first: started by them alone, the topic is expected to reach about {m:member} (themselves included)"),
    "next": ("第 {n} 位：在前面的种子之外，预计再多传到约 {m} 人",
             "Chosen {nth}: expected to reach about {m:member} more than the seeds before"),
    "responders": ("{n} 位成员回复过 TA 的内容：话题经 TA 可能传到的人（上面的人数已按他们过去回复的频率折算）",
                   "{n:member} replied to their posts before: whom the topic can reach through them (the reach above "
                   "weighs how often each replied)"),
    "topic": ("写过 {n} 条与「{topic}」有关的内容", "wrote {n:item} on '{topic}'"),
    "circle": ("在「{circle}」发过 {n} 条内容", "posted {n:item} in '{circle}'"),
    "both": ("在「{circle}」写过 {n} 条与「{topic}」有关的内容", "wrote {n:item} on '{topic}' in '{circle}'"),
    "connector": ("也是关键节点：常有其他成员向 TA 提问、提及或引用 TA",
                  "also a key connector: other members often ask, mention or quote them"),
    "no_interactions": ("截至该日期成员之间还没有互动，无人可播种。",
                        "No interactions between members yet at this date: there is nobody to seed through."),
    "no_candidates": ("没有成员符合所选的话题、版块和排除名单：请放宽条件再试。",
                      "No member fits the topic, circle and exclusions: widen them to get a plan."),
    "lift": ("比最好的对照方案（{best}）多覆盖约 {more} 人", "about {m:member} more than the best alternative ({best})"),
    "no_lift": ("与最好的对照方案（{best}）相当", "about as many as the best alternative ({best})"),
    "behind": ("对照方案「{best}」预计比推荐名单多覆盖约 {more} 人", "The alternative '{best}' is expected to reach about "
               "{m:member} more than the recommended seeds"),
    "behind_size": ("对照方案「{best}」预计比推荐名单多覆盖约 {more} 人，但它用了 {n} 个账号，推荐名单只用 {k} 位种子",
                    "The alternative '{best}' is expected to reach about {m:member} more than the recommended seeds, "
                    "but it uses {n:account} against their {k}"),
    "same_size": ("；与同样人数的对照方案相比：{rest}", "; against the alternatives of the same size: {rest}"),
    "note": ("种子名单：{what}，{k} 位种子，预计覆盖约 {mean} 人（95% 置信区间 {low}–{high}）",
             "Seed plan: {what}, {k:seed}, expected reach about {mean:member} (95% CI {low}-{high})"),
    "all": ("全体成员", "all members"),
    # why a member was left out of the candidates or flagged next to a seed (reef.network.seed_checks)
    "why.typed": ("按要求排除", "left out as asked"),
    "why.overasked": ("近 {days} 天被 @ {n} 次，已被问得太多", "mentioned {n:time} in {days:day}: asked too often already"),
    "why.burnout": ("近 {days} 天发了 {recent} 条，此前每 {days} 天约 {before} 条：可能正在倦怠",
                    "wrote {recent:item} in the last {days:day} against about {before} before: may be burning out"),
    "why.alert": ("风险提醒（{severity}）：{message}", "risk alert ({severity}): {message}"),
    "why.attack": ("在回复 {content} 中人身攻击（毒性 {toxicity}）", "personal attack in reply {content} (toxicity {toxicity})"),
    "why.toxic": ("回复 {content} 毒性 {toxicity}，达到敌意线", "reply {content} has toxicity {toxicity}, at the hostility line"),
    "why.recruited": ("已被邀请播种这个话题（待办行动 {action}）", "already asked to seed this topic (open action {action})"),
    "severity.high": ("高", "high"), "severity.medium": ("中", "medium"),
}


def ordinal(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '103rd', '111th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def words(key: str, lang: str, **kw: Any) -> str:
    """``key``'s words in ``lang``; English also gets ``nth``, the ordinal of ``n``.

    >>> words("next", "en", n=2, m=1), words("topic", "en", n=1, topic="续航")
    ('Chosen 2nd: expected to reach about 1 member more than the seeds before', "wrote 1 item on '续航'")
    """
    if lang == "en" and isinstance(kw.get("n"), int):
        kw = {"nth": ordinal(kw["n"]), **kw}
    return counted(WORDS[key][lang == "en"], **kw)


def empty_reason(code: str, lang: str = "zh") -> str:
    """Why a plan is empty (its ``empty`` code: ``no_candidates``, ``no_interactions``) in ``lang``.

    >>> empty_reason("no_candidates")
    '没有成员符合所选的话题、版块和排除名单：请放宽条件再试。'
    """
    return words(code, lang)


def strategy_label(strategy: str, k: Any, lang: str) -> str:
    """A compared seed set's name in ``lang`` for ``k`` seeds (an unknown strategy: its code)."""
    pair = STRATEGIES.get(strategy, (strategy, strategy))
    return counted(pair[lang == "en"], k=k)


def headline(reach: list[dict[str, Any]], k: int, lang: str) -> str | None:
    """The plan against the alternative that reaches most, saying so when that one reaches more, and when it starts
    from more accounts than the plan's k seeds, how the plan does against the alternatives of its own size."""
    others = [r for r in reach if r["strategy"] != "plan"]
    if not reach or reach[0]["strategy"] != "plan" or not others:
        return None
    plan = reach[0]["mean"]

    def against(pool: list[dict[str, Any]]) -> str:
        best = max(pool, key=lambda r: r["mean"])
        more = round(plan - best["mean"])
        if more > 0:
            return words("lift", lang, more=more, m=more, best=best["label"])
        if more == 0:
            return words("no_lift", lang, best=best["label"])
        size = best.get("size")
        if size and size > k:
            return words("behind_size", lang, more=-more, m=-more, best=best["label"], n=size, k=k)
        return words("behind", lang, more=-more, m=-more, best=best["label"])

    text = against(others)
    best = max(others, key=lambda r: r["mean"])
    fair = [r for r in others if r.get("size") is not None and r["size"] <= k]
    if round(plan - best["mean"]) < 0 and (best.get("size") or 0) > k and fair:
        text += words("same_size", lang, rest=against(fair))
    return text


def why_text(check: dict[str, Any], lang: str, masked: bool) -> dict[str, str]:
    """One check of :mod:`reef.network.seed_checks` in words: ``reason`` (its code) and ``text`` (a risk alert's
    message masked when ``masked``)."""
    from reef.actions.privacy import mask_text

    reason = check["reason"]
    if reason == "risk" and check.get("part") == "hostility":
        key = "why.attack" if check.get("attack") else "why.toxic"
        text = words(key, lang, content=check.get("content_id"), toxicity=f"{check.get('toxicity', 0):.2f}")
    elif reason == "risk":
        message = check.get("message_en" if lang == "en" else "message_zh") or check.get("alert_key") or ""
        level = f"severity.{check.get('severity')}"
        text = words("why.alert", lang, severity=words(level, lang) if level in WORDS else check.get("severity"),
                     message=mask_text(message) if masked else message)
    elif reason == "overasked":
        text = words("why.overasked", lang, n=check["n"], days=check["days"])
    elif reason == "burnout":
        text = words("why.burnout", lang, recent=check["recent"], before=check["before"], days=check["days"])
    elif reason == "recruited":
        text = words("why.recruited", lang, action=check["action_id"])
    else:
        text = words("why.typed", lang)
    return {"reason": reason, "text": text}
