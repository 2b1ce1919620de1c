"""Report sections of the layers: interest groups, the open plaza, the advisory council.

Each reads the tables its analysis wrote (never recomputes). Text in Chinese with an English switch.

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> groups_section(open_store(":memory:"), datetime(2026, 1, 1, tzinfo=timezone.utc), "en").paragraphs[0]
    'No data before this date (2026-01-01): nothing to report here yet.'
"""
from __future__ import annotations

from datetime import datetime


from reef.analyses.registry import report_section
from reef.i18n import code_label, counted
from reef.layers import analyses as _analyses  # noqa: F401 - registers the analyses before their sections
from reef.layers.api import council_slate, interest_groups, plaza_starters
from reef.layers.plaza import KIND_ZH
from reef.report.model import Section, Table

__all__ = ["groups_section", "plaza_section", "council_section"]

_L = {
    "zh": {"groups": "兴趣小组", "none": "截至此日期没有兴趣小组。",
           "intro": "从成员写什么（标签、话题、用词）与和谁互动（回复、@、引用）中发现 {n} 个兴趣圈，覆盖 {m} 位成员。",
           "circle": "小组", "name": "名称（高频特征词）", "size": "人数", "growth": "活跃成员变化", "health": "健康度", "trend": "趋势",
           "leaders": "建议小组长", "plaza": "开放广场", "plaza_none": "截至此日期没有广场话题发起者。",
           "plaza_intro": "能吸引广泛、多元、友善参与的话题发起者（公共议题发起者候选）。", "member": "成员", "score": "得分",
           "threads": "话题数", "repliers": "平均回复者", "newcomers": "平均新人", "circles": "来自兴趣圈", "topics": "受欢迎的话题类型",
           "topic": "话题", "lift": "参与度倍数", "council": "核心顾问团", "council_none": "截至此日期没有顾问团候选。",
           "council_intro": "{s} 个席位的建议名单（候选 {p} 人{f}）；覆盖：{cov}。", "fallback": "，阶梯第4阶人数不足，已纳入第3阶",
           "seat": "席位", "tenure": "入驻天数", "model": "车型", "region": "地区", "why": "理由",
           "trends": {"growing": "上升", "declining": "下降", "stable": "平稳"}},
    "en": {"groups": "Interest groups", "none": "No interest groups as of this date.",
           "intro": "{n:interest circle} found from what members write (tags, aspects, words) and whom they talk to "
                    "(replies, mentions, quotes), covering {m:member}.",
           "circle": "Circle", "name": "Name (top terms)", "size": "Members", "growth": "Active change", "health": "Health", "trend": "Trend",
           "leaders": "Suggested leaders", "plaza": "Open plaza", "plaza_none": "No plaza topic starters as of this date.",
           "plaza_intro": "Topic starters whose threads draw broad, diverse and friendly participation.", "member": "Member",
           "score": "Score", "threads": "Threads", "repliers": "Repliers / thread", "newcomers": "Newcomers / thread",
           "circles": "Circles reached", "topics": "Topics that work", "topic": "Topic", "lift": "Lift", "council": "Advisory council",
           "council_none": "No council candidates as of this date.", "council_intro": "Proposed slate of {s:seat} ({p:candidate}{f}); coverage: {cov}.",
           "fallback": "; too few at stage 4, stage 3 included", "seat": "Seat", "tenure": "Tenure (days)", "model": "Model",
           "region": "Region", "why": "Why", "trends": {"growing": "growing", "declining": "declining", "stable": "stable"}},
}
_TOP = 10


def _lb(lang: str) -> dict:
    return _L.get(lang, _L["zh"])


def _none(store, as_of, lang: str, key: str) -> str:
    """An empty section's line: "no data before this date" before any content existed, else ``key``'s "none as of
    this date" (:func:`reef.report.empty.empty_text`)."""
    from reef.report.empty import empty_text

    return empty_text(store, as_of, lang, (_L["zh"][key], _L["en"][key]))


_TYPES = {"zh": {"aspect": "话题", "tag": "标签", "kind": "类型"}, "en": {"aspect": "aspect", "tag": "tag", "kind": "kind"}}


def _topic(t: dict, lang: str) -> str:
    """'话题：外观', '类型：图片' / 'aspect: exterior', 'kind: photo'."""
    types = _TYPES.get(lang, _TYPES["zh"])
    if t["topic_type"] == "kind" and lang != "en":
        name = KIND_ZH.get(t["topic"], t["topic"])
    else:
        name = code_label(t["topic"], lang) if t["topic_type"] == "aspect" else t["topic"]
    return f"{types.get(t['topic_type'], t['topic_type'])}{'：' if lang != 'en' else ': '}{name}"


@report_section("layers_groups")
def groups_section(store, as_of: datetime, lang: str) -> Section:
    """Circles with size, growth, health and suggested leaders."""
    lb = _lb(lang)
    sec = Section(lb["groups"], key="layers_groups")
    data = interest_groups(store, top=_TOP, lang=lang)
    if not data["circles"]:
        sec.paragraphs.append(_none(store, as_of, lang, "none"))
        return sec
    sec.paragraphs.append(counted(lb["intro"], n=data["total"], m=data["assigned"]))
    rows = [[c["circle_id"], c["name"], c["size"], "—" if c.get("member_growth") is None else f"{c['member_growth']:+.0%}",
             c.get("health"), lb["trends"].get(c.get("trend"), c.get("trend")),
             "、".join(l["name"] or l["member_id"] for l in c["leader_list"])] for c in data["circles"]]
    sec.tables.append(Table([lb["circle"], lb["name"], lb["size"], lb["growth"], lb["health"], lb["trend"], lb["leaders"]], rows))
    return sec


@report_section("layers_plaza")
def plaza_section(store, as_of: datetime, lang: str) -> Section:
    """Top topic starters and the kinds of topics that draw the most repliers."""
    lb = _lb(lang)
    sec = Section(lb["plaza"], key="layers_plaza")
    data = plaza_starters(store, top=_TOP, topics=_TOP, lang=lang)
    if not data["starters"]:
        sec.paragraphs.append(_none(store, as_of, lang, "plaza_none"))
        return sec
    sec.paragraphs.append(lb["plaza_intro"])
    sec.tables.append(Table([lb["member"], lb["score"], lb["threads"], lb["repliers"], lb["newcomers"], lb["circles"]],
                            [[r["name"] or r["member_id"], r["score"], r["threads"], r["mean_repliers"], r["mean_newcomers"], r["circles"]]
                             for r in data["starters"]]))
    if data["topics"]:
        sec.tables.append(Table([lb["topic"], lb["threads"], lb["repliers"], lb["lift"]],
                                [[_topic(t, lang), t["threads"], t["mean_repliers"], t["lift"]] for t in data["topics"]],
                                caption=lb["topics"]))
    return sec


@report_section("layers_council")
def council_section(store, as_of: datetime, lang: str) -> Section:
    """The proposed council with its coverage."""
    lb = _lb(lang)
    sec = Section(lb["council"], key="layers_council")
    data = council_slate(store, lang=lang)
    if not data["slate"]:
        sec.paragraphs.append(_none(store, as_of, lang, "council_none"))
        return sec
    cov = ", ".join(f"{code_label(d, lang)} {s['covered']}/{s['values']}" for d, s in data["summary"].items())
    sec.paragraphs.append(counted(lb["council_intro"], s=len(data["slate"]), p=data["pool"], f=lb["fallback"] if data["fallback"] else "", cov=cov))
    sec.tables.append(Table([lb["seat"], lb["member"], lb["tenure"], lb["model"], lb["region"], lb["circle"], lb["why"]],
                            [[s["seat"], s["name"] or s["member_id"], s["tenure_days"], s["car_model"], s["region"], s["circle_name"],
                              s["evidence"]] for s in data["slate"]]))
    return sec
