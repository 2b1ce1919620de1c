"""The wording and cell formatting the report's capability sections (:mod:`reef.report.capability_sections`)
share: their labels and sentences in Chinese and English, counts by kind, shares, days in the store's zone,
member names beside their ids, and each section's title from the analysis registry.

Example:
    >>> _share(1, 4), _share(1, 0)
    ('25%', '—')
"""
from __future__ import annotations

from typing import Any

from reef.i18n import code_label
from reef.store.coverage import local_time

__all__: list[str] = []  # helpers of the capability sections only

_L: dict[str, dict[str, str]] = {
    "zh": {
        "none": "尚无结果：请在仪表盘“数据导入”页启动分析。", "rank": "排名", "member": "成员", "content": "内容数", "received": "获得互动",
        "given": "给出互动", "last_active": "最近活动", "question": "问题", "times_asked": "被问次数", "askers": "提问人数",
        "answered": "已回答", "accepted": "被采纳", "best_answerer": "最佳回答者", "last_asked": "最近一次", "kind": "类型",
        "answered_share": "回答率", "reason": "原因", "title": "标题", "author": "作者", "posted": "发布日期", "score": "得分",
        "why": "说明", "aspect": "方面", "car_model": "车型", "stage": "用车阶段", "questions": "问题数", "mark": "回答情况",
        "yes": "是", "no": "否", "alarm_days": "预警天数", "last_alarm": "最近预警", "observed": "负面帖（近 24 小时）",
        "baseline": "基线", "ratio": "倍数", "buffer": "该方面事实帖（非缓冲）", "credibility": "可信度", "risk": "风险", "risk_score": "分数", "level": "级别",
        "summary": "主要原因", "severity": "严重度", "subject": "对象", "message": "提醒内容", "evidence": "依据",
        # 今日概览
        "kinds_content": "内容按类型：{kinds}（共 {n} 条）。", "kinds_interactions": "互动按类型：{kinds}（共 {n} 次）。",
        "recognise": "今日值得表彰：近 {days} 天活跃、获得互动最多的成员（近 30 天已表彰的、有不当言论或倦怠风险的不再列出）",
        "recognise_none": "暂无值得表彰的成员建议。",
        # 互动网络
        "graph": "互动网络连接了 {members} 位成员，共 {ties} 条成员之间的关系（{kinds}）。关键节点、兴趣小组与顾问团都以它为基础，见各自章节。",
        "graph_none": "互动网络中还没有成员之间的关系。",
        # 问答
        "qa": "共 {q} 个问题，{rp} 个有其他成员回复（互助榜把这些回复都记为回答），其中 {a} 个有被认作回答的回复（{share}），"
              "{acc} 个的最佳回答被提问者采纳；{r} 组问题被反复提问。",
        "repeated": "被反复提问的问题（按被问次数）", "qa_none": "截至此日期没有问答。",
        # 精华
        "essence": "已为 {n} 条内容评估长期参考价值（发布后持续被互动、收藏、引用）；得分最高的 {top} 条适合置顶或收入新手百科：",
        "essence_none": "截至此日期没有精华内容。",
        # 缺口
        "gaps": "{n} 个待补的知识缺口（{kinds}），按优先级排列：", "gaps_none": "截至此日期没有待补的知识缺口。",
        "topics": "知识地图：共 {t} 个话题（方面 × 车型 × 用车阶段），其中 {s} 个的回答已陈旧、{u} 个无人回答；提问最多的 {top} 个",
        # 舆情
        "crisis_alarms": "{k} 个方面正在预警：{list}。", "crisis_calm": "当前没有方面触发负面声量预警。",
        "crisis_alarm_item": "{aspect}（{first} 首次预警，近 24 小时 {n} 帖，基线的 {ratio} 倍）",
        "crisis_table": "各方面近况（最近预警、最显著的在前）",
        "crisis_window": "负面声量按近 {hours} 小时计（{start} 至 {end}），与仪表盘“危机室”页同一口径。",
        "crisis_wave": "{aspect} 声浪：{n} 个负面帖、{authors} 位作者（核心成员 {core} 位），{unanswered} 帖尚无官方回应。",
        "surface": "建议置顶的事实帖（{aspect}）", "crisis_none": "截至此日期没有舆情时间线（没有带方面的帖子）。",
        # 风险
        "risks_none": "截至此日期没有风险评分。", "alerts": "风险提醒：共 {n} 条（高 {h} 条），最严重的 {top} 条",
        "alerts_none": "当前没有中高级别的风险提醒。", "care": "关怀名单：共 {n} 人，优先跟进的 {top} 人",
    },
    "en": {
        "none": "No results yet: start the analyses on the dashboard's Imports page.", "rank": "Rank", "member": "Member", "content": "Content",
        "received": "Interactions received", "given": "Interactions given", "last_active": "Last active", "question": "Question",
        "times_asked": "Times asked", "askers": "Askers", "answered": "Answered", "accepted": "Accepted",
        "best_answerer": "Best answerer", "last_asked": "Last asked", "kind": "Kind", "answered_share": "Answered",
        "reason": "Reason", "title": "Title", "author": "Author", "posted": "Posted", "score": "Score", "why": "Why",
        "aspect": "Aspect", "car_model": "Car model", "stage": "Ownership stage", "questions": "Questions",
        "mark": "Answers", "yes": "yes", "no": "no", "alarm_days": "Alarm days", "last_alarm": "Last alarm",
        "observed": "Negative posts (last 24 hours)", "baseline": "Baseline", "ratio": "Ratio", "buffer": "Factual posts on the aspect (not the buffer)",
        "credibility": "Credibility", "risk": "Risk", "risk_score": "Score", "level": "Level", "summary": "Main reason", "severity": "Severity",
        "subject": "Subject", "message": "Alert", "evidence": "Evidence",
        "kinds_content": "Content by kind: {kinds} ({n} in all).", "kinds_interactions": "Interactions by kind: {kinds} ({n} in all).",
        "recognise": "Who to recognise today: members active in the last {days:day} with the most interactions received "
                     "(those recognised in the last 30 days, or with hostile acts or a burnout risk, are left out)",
        "recognise_none": "No members to recognise yet.",
        "graph": "The interaction graph links {members:member} by {ties:tie} ({kinds}). Key connectors, interest groups and "
                 "the council are built on it; see their sections.",
        "graph_none": "The interaction graph has no ties between members yet.",
        "qa": "{q:question}, {rp} replied to by other members (the help ledger counts each such reply as an answer), {a} of "
              "them with a reply read as an answer ({share}), {acc} with the best answer accepted by the asker; {r:question is|questions are} asked "
              "again and again.",
        "repeated": "Questions asked again and again (most asked first)", "qa_none": "No questions as of this date.",
        "essence": "{n:post} scored for lasting reference value (interactions, bookmarks and citations long after posting); "
                   "the top {top:is|are} worth pinning or adding to the newcomer guide:",
        "essence_none": "No essence posts as of this date.",
        "gaps": "{n:knowledge gap} to fill ({kinds}), by priority:", "gaps_none": "No knowledge gaps to fill as of this date.",
        "topics": "Topic map: {t:topic} (aspect x car model x ownership stage), {s} with stale answers, {u} with no answer; the {top} most asked",
        "crisis_alarms": "{k:aspect is|aspects are} alarmed now: {list}.",
        "crisis_calm": "No aspect raises a negative-wave alarm now.",
        "crisis_alarm_item": "{aspect} (first alarm {first}, {n:post} in the window, {ratio}x the baseline)",
        "crisis_table": "Aspects now (most recent and strongest alarm first)",
        "crisis_window": "Negative volume over the last {hours:hour} ({start} to {end}), the same figures as the dashboard's Crisis room page.",
        "crisis_wave": "The {aspect} wave: {n:negative post} by {authors:author} (core members: {core}), {unanswered} not yet answered.",
        "surface": "Factual posts to surface ({aspect})", "crisis_none": "No crisis timeline as of this date (no posts with an aspect).",
        "risks_none": "No risk scores as of this date.",
        "alerts": "Risk alerts: {n} in all ({h} high), the {top} most severe", "alerts_none": "No medium or high risk alerts now.",
        "care": "Care list: {n:member}, the {top} to follow up first",
    },
}
# Tie kinds of the interaction graph that are no stored content or interaction kind.
_TIE_KINDS = {"ask": ("求助提问", "questions asked"), "agree": ("认同", "agreement")}


def _labels(lang: str) -> dict[str, str]:
    return _L["en" if lang == "en" else "zh"]


def _counts(pairs, lang: str, names: dict[str, tuple[str, str]] | None = None) -> str:
    en = lang == "en"
    sep = ", " if en else "、"
    return sep.join(f"{(names or {}).get(k, (None, None))[1 if en else 0] or code_label(k, lang)} {n}" for k, n in pairs)


def _share(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.0f}%" if whole else "—"


def _day(value: Any, store) -> str:
    """A timestamp (or its ISO text) as the day in the store's zone."""
    return local_time(value, str(store.config.get("general.timezone")), "%Y-%m-%d")


def _with_names(store, rows: list[dict], lang: str, key: str = "member_id") -> dict[str, str]:
    """``{member_id: "name（member_id）"}`` for the members behind ``rows`` (masked later, like every report cell)."""
    from reef.actions.views import member_names

    ids = sorted({r[key] for r in rows if r.get(key)})
    names = member_names(store, ids)
    form = "{name} ({id})" if lang == "en" else "{name}（{id}）"
    return {i: form.format(name=names[i], id=i) if names.get(i) else i for i in ids}


def _subject(row: dict, who: dict[str, str]) -> str:
    """A member subject with the member's name; any other subject (a post, a group, the core members) as it is."""
    subject, member = row.get("subject"), row.get("member_id")
    return who.get(member, subject or "") if member and (subject is None or subject == member) else (subject or "")


def _title(name: str, lang: str) -> str:
    from reef.analyses.registry import REGISTRY

    analysis = REGISTRY.get(name)
    return analysis.title_in(lang) if analysis else name
