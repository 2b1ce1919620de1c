"""Report sections of the analyses whose capability writes none of its own: 今日概览, 互动网络, 问答与重复问题,
风险雷达, 精华内容, 知识地图与缺口 and 舆情防波堤; the search model (``kb_search``) is internal and left out.

Each section is a few lines for the operator and a short ranked table, read through the library function the
dashboard page or the CLI uses for the same data (``recognise_today``, ``repeated_list``, ``essence_list``,
``gaps_list``, ``topics_list``, ``crisis_page``, ``risk_page``), never re-queried another way. A capability that
registers its own section with ``@report_section`` replaces the one here.

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> build_section("kb_gaps", open_store(":memory:"), datetime(2026, 1, 1, tzinfo=timezone.utc), "en").paragraphs
    ['No knowledge gaps yet: run `reef analyze`.']
    >>> build_section("kb_search", open_store(":memory:"), None, "en") is None
    True
"""
from __future__ import annotations

from typing import Any, Callable

from reef.i18n import code_label
from reef.report.model import Section, Table
from reef.store.coverage import local_time

__all__ = ["SECTIONS", "LEFT_OUT", "build_section"]

_TOP = 10
_L: dict[str, dict[str, str]] = {
    "zh": {
        "none": "尚无结果：请运行 `reef analyze`。", "rank": "排名", "member": "成员", "content": "内容数", "received": "获得互动",
        "given": "给出互动", "last_active": "最近活动", "question": "问题", "times_asked": "被问次数", "askers": "提问人数",
        "answered": "已回答", "accepted": "被采纳", "best_answerer": "最佳回答者", "last_asked": "最近一次", "kind": "类型",
        "answered_share": "回答率", "reason": "原因", "title": "标题", "author": "作者", "posted": "发布日期", "score": "得分",
        "why": "说明", "aspect": "方面", "car_model": "车型", "stage": "用车阶段", "questions": "问题数", "stale": "回答陈旧",
        "yes": "是", "no": "否", "alarm_days": "预警天数", "last_alarm": "最近预警", "observed": "负面帖（近 24 小时）",
        "baseline": "基线", "ratio": "倍数", "buffer": "缓冲（事实帖）", "credibility": "可信度", "risk": "风险", "risk_score": "分数", "level": "级别",
        "summary": "主要原因", "severity": "严重度", "subject": "对象", "message": "提醒内容", "evidence": "依据",
        # 今日概览
        "kinds_content": "内容按类型：{kinds}（共 {n} 条）。", "kinds_interactions": "互动按类型：{kinds}（共 {n} 次）。",
        "recognise": "今日值得表彰：近 {days} 天活跃、获得互动最多的成员（近 30 天已表彰的不再列出）",
        "recognise_none": "暂无值得表彰的成员建议。",
        # 互动网络
        "graph": "互动网络连接了 {members} 位成员，共 {ties} 条成员之间的关系（{kinds}）。关键节点、兴趣小组与顾问团都以它为基础，见各自章节。",
        "graph_none": "互动网络中还没有成员之间的关系。",
        # 问答
        "qa": "共 {q} 个问题，{a} 个已有回答（{share}），{acc} 个的最佳回答被提问者采纳；{r} 组问题被反复提问。",
        "repeated": "被反复提问的问题（按被问次数）", "qa_none": "尚无问答：请运行 `reef analyze`。",
        # 精华
        "essence": "已为 {n} 条内容评估长期参考价值（发布后持续被互动、收藏、引用）；得分最高的 {top} 条适合置顶或收入新手百科：",
        "essence_none": "尚无精华内容。",
        # 缺口
        "gaps": "{n} 个待补的知识缺口（{kinds}），按优先级排列：", "gaps_none": "尚无知识缺口：请运行 `reef analyze`。",
        "topics": "知识地图：共 {t} 个话题（方面 × 车型 × 用车阶段），其中 {s} 个的回答已陈旧；提问最多的 {top} 个",
        # 舆情
        "crisis_alarms": "{k} 个方面正在预警：{list}。", "crisis_calm": "当前没有方面触发负面声量预警。",
        "crisis_alarm_item": "{aspect}（{first} 首次预警，近 24 小时 {n} 帖，基线的 {ratio} 倍）",
        "crisis_table": "各方面近况（最近预警、最显著的在前）",
        "crisis_window": "负面声量按近 {hours} 小时计（{start} 至 {end}），与危机室和 `reef crisis` 同一口径。",
        "crisis_wave": "{aspect} 声浪：{n} 个负面帖、{authors} 位作者（核心成员 {core} 位），{unanswered} 帖尚无官方回应。",
        "surface": "建议置顶的事实帖（{aspect}）", "crisis_none": "尚无舆情时间线：请运行 `reef analyze`。",
        # 风险
        "risks_none": "尚未计算风险雷达：请运行 `reef analyze`。", "alerts": "风险提醒：共 {n} 条（高 {h} 条），最严重的 {top} 条",
        "alerts_none": "当前没有中高级别的风险提醒。", "care": "关怀名单：共 {n} 人，优先跟进的 {top} 人",
    },
    "en": {
        "none": "No results yet: run `reef analyze`.", "rank": "Rank", "member": "Member", "content": "Content",
        "received": "Interactions received", "given": "Interactions given", "last_active": "Last active", "question": "Question",
        "times_asked": "Times asked", "askers": "Askers", "answered": "Answered", "accepted": "Accepted",
        "best_answerer": "Best answerer", "last_asked": "Last asked", "kind": "Kind", "answered_share": "Answered",
        "reason": "Reason", "title": "Title", "author": "Author", "posted": "Posted", "score": "Score", "why": "Why",
        "aspect": "Aspect", "car_model": "Car model", "stage": "Ownership stage", "questions": "Questions",
        "stale": "Stale answers", "yes": "yes", "no": "no", "alarm_days": "Alarm days", "last_alarm": "Last alarm",
        "observed": "Negative posts (last 24 hours)", "baseline": "Baseline", "ratio": "Ratio", "buffer": "Buffer (factual posts)",
        "credibility": "Credibility", "risk": "Risk", "risk_score": "Score", "level": "Level", "summary": "Main reason", "severity": "Severity",
        "subject": "Subject", "message": "Alert", "evidence": "Evidence",
        "kinds_content": "Content by kind: {kinds} ({n} in all).", "kinds_interactions": "Interactions by kind: {kinds} ({n} in all).",
        "recognise": "Who to recognise today: members active in the last {days} days with the most interactions received "
                     "(those recognised in the last 30 days are left out)",
        "recognise_none": "No members to recognise yet.",
        "graph": "The interaction graph links {members} members by {ties} ties ({kinds}). Key connectors, interest groups and "
                 "the council are built on it; see their sections.",
        "graph_none": "The interaction graph has no ties between members yet.",
        "qa": "{q} questions, {a} answered ({share}), {acc} with the best answer accepted by the asker; {r} questions are asked "
              "again and again.",
        "repeated": "Questions asked again and again (most asked first)", "qa_none": "No questions yet: run `reef analyze`.",
        "essence": "{n} posts scored for lasting reference value (interactions, bookmarks and citations long after posting); "
                   "the top {top} are worth pinning or adding to the newcomer guide:",
        "essence_none": "No essence posts yet.",
        "gaps": "{n} knowledge gaps to fill ({kinds}), by priority:", "gaps_none": "No knowledge gaps yet: run `reef analyze`.",
        "topics": "Topic map: {t} topics (aspect x car model x ownership stage), {s} with stale answers; the {top} most asked",
        "crisis_alarms": "{k} aspect(s) alarmed now: {list}.",
        "crisis_calm": "No aspect raises a negative-wave alarm now.",
        "crisis_alarm_item": "{aspect} (first alarm {first}, {n} posts in the window, {ratio}x the baseline)",
        "crisis_table": "Aspects now (most recent and strongest alarm first)",
        "crisis_window": "Negative volume over the last {hours} hours ({start} to {end}), the same figures as the crisis room and `reef crisis`.",
        "crisis_wave": "The {aspect} wave: {n} negative posts by {authors} authors ({core} core members), {unanswered} not yet answered.",
        "surface": "Factual posts to surface ({aspect})", "crisis_none": "No crisis timeline yet: run `reef analyze`.",
        "risks_none": "The risk radar has not been computed: run `reef analyze`.",
        "alerts": "Risk alerts: {n} in all ({h} high), the {top} most severe", "alerts_none": "No medium or high risk alerts now.",
        "care": "Care list: {n} members, the {top} to follow up first",
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


def overview_section(store, as_of, lang: str) -> Section:
    """今日概览: content and interactions by kind, and who to recognise today (the 今日 page's list)."""
    from reef.analyses.overview import recognise_today, status_summary

    L = _labels(lang)
    section = Section(_title("store_overview", lang), key="store_overview")
    status = status_summary(store)
    for key, counts in (("kinds_content", status["content_by_kind"]), ("kinds_interactions", status["interactions_by_kind"])):
        if counts:
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            section.paragraphs.append(L[key].format(kinds=_counts(ranked, lang), n=sum(counts.values())))
    days = int(store.config.get("server.recognise_days"))
    rows = recognise_today(store, top=int(store.config.get("server.recognise_top"))) or []
    if rows:
        section.tables.append(Table(
            [L["rank"], L["member"], L["content"], L["received"], L["given"], L["last_active"]],
            [[i, r["name"] or r["member_id"], r["content_total"], r["interactions_received"], r["interactions_given"],
              _day(r["last_activity_at"], store)] for i, r in enumerate(rows, 1)],
            L["recognise"].format(days=days)))
    else:
        section.paragraphs.append(L["recognise_none"])
    return section


def graph_section(store, as_of, lang: str) -> Section:
    """互动网络: one sentence on how many members the graph links and by which ties; the ranked views of the graph
    are the connectors', circles' and council's own sections."""
    L = _labels(lang)
    section = Section(_title("network_graph", lang), key="network_graph")
    kinds = store.fetch_all("SELECT kind, count(*) FROM network_edges GROUP BY 1 ORDER BY 2 DESC, 1")
    if not kinds:
        section.paragraphs.append(L["graph_none"])
        return section
    members = int(store.fetch_value("SELECT count(*) FROM network_members"))
    section.paragraphs.append(L["graph"].format(members=members, ties=sum(n for _, n in kinds),
                                                kinds=_counts(kinds, lang, _TIE_KINDS)))
    return section


def qa_section(store, as_of, lang: str) -> Section:
    """问答与重复问题: how many questions got an answer, and the questions asked most often (``reef repeated``)."""
    from reef.kb.views import repeated_list

    L = _labels(lang)
    section = Section(_title("kb_qa", lang), key="kb_qa")
    q, a, acc = store.fetch_all("SELECT count(*), count(*) FILTER (WHERE answered), count(*) FILTER (WHERE best_accepted) "
                                "FROM kb_questions")[0]
    if not q:
        section.paragraphs.append(L["qa_none"])
        return section
    rows = repeated_list(store, top=_TOP)
    repeated = int(store.fetch_value("SELECT count(*) FROM kb_clusters WHERE times_asked >= 2"))
    section.paragraphs.append(L["qa"].format(q=q, a=a, share=_share(a, q), acc=acc, r=repeated))
    if rows:
        section.tables.append(Table(
            [L["question"], L["times_asked"], L["askers"], L["answered"], L["accepted"], L["best_answerer"], L["last_asked"]],
            [[r["question"], r["times_asked"], r["askers"], r["answered"], r["accepted"],
              r["best_answerer"] or r["best_answerer_id"] or "", _day(r["last_asked"], store)] for r in rows],
            L["repeated"]))
    return section


def essence_section(store, as_of, lang: str) -> Section:
    """精华内容: the posts of lasting value, best first, with why (``reef essence``)."""
    from reef.kb.views import essence_list

    L = _labels(lang)
    section = Section(_title("kb_essence", lang), key="kb_essence")
    rows = essence_list(store, top=_TOP, lang=lang)
    if not rows:
        section.paragraphs.append(L["essence_none"])
        return section
    section.paragraphs.append(L["essence"].format(n=int(store.fetch_value("SELECT count(*) FROM kb_essence")), top=len(rows)))
    section.tables.append(Table(
        [L["title"], L["author"], L["kind"], L["posted"], L["score"], L["why"]],
        [[r["title"] or r["content_id"], r["author_name"] or r["author_id"] or "", code_label(r["kind"], lang),
          _day(r["created_at"], store), r["score"], r["explanation"]] for r in rows]))
    return section


def gaps_section(store, as_of, lang: str) -> Section:
    """知识地图与缺口: the gaps to fill by priority (``reef gaps``) and the most asked topics (``reef topics``)."""
    from reef.kb.views import gaps_list, topics_list

    L = _labels(lang)
    section = Section(_title("kb_gaps", lang), key="kb_gaps")
    gaps = gaps_list(store, top=_TOP, lang=lang) if store.table_exists("kb_gaps") else []
    if gaps:
        from reef.kb.gaps import gap_label_sql

        # Rows counted and named by their label (what the figures say: 多数未回答, not 无人回答, at 47 % answered).
        kinds = store.fetch_all(f"SELECT {gap_label_sql(store)} AS label, count(*) FROM kb_gaps GROUP BY 1 ORDER BY 2 DESC, 1")
        section.paragraphs.append(L["gaps"].format(n=sum(n for _, n in kinds), kinds=_counts(kinds, lang)))
        section.tables.append(Table(
            [L["rank"], L["kind"], L["question"], L["times_asked"], L["answered_share"], L["reason"]],
            [[r["rank"], code_label(r["label"], lang), r["title"], r["times_asked"], _share(r["answered_share"] or 0, 1),
              r["reason"]] for r in gaps]))
    else:
        section.paragraphs.append(L["gaps_none"])
    if store.table_exists("kb_topics"):
        t, s = store.fetch_all("SELECT count(*), count(*) FILTER (WHERE stale) FROM kb_topics")[0]
        if t:
            topics = topics_list(store, top=8, lang=lang)
            section.tables.append(Table(
                [L["aspect"], L["car_model"], L["stage"], L["questions"], L["answered_share"], L["stale"]],
                [[code_label(r["aspect"], lang), r["car_model"], r["stage"], r["questions"], _share(r["answered_share"] or 0, 1),
                  L["yes"] if r["stale"] else L["no"]] for r in topics], L["topics"].format(t=t, s=s, top=len(topics))))
    return section


def crisis_section(store, as_of, lang: str) -> Section:
    """舆情防波堤: which aspects raised a negative-wave alarm lately, every aspect's latest day and buffer, and the
    factual posts to surface for the aspect under pressure (the 危机室 page's reader)."""
    from reef.kb.surfaces import crisis_page

    L = _labels(lang)
    days = 30
    section = Section(_title("kb_crisis", lang), key="kb_crisis")
    page = crisis_page(store, days=days, per_page=1, masked=True, surface=3, lang=lang)
    if not page["aspects"]:
        section.paragraphs.append(L["crisis_none"])
        return section
    if page.get("warning"):
        section.paragraphs.append(page["warning"])
    alarmed = [a for a in page["aspects"] if a["alarm"]]
    section.paragraphs.append(L["crisis_window"].format(hours=page["window_hours"], start=page["window"]["start"], end=page["window"]["end"]))
    if alarmed:
        items = [L["crisis_alarm_item"].format(aspect=code_label(a["aspect"], lang), first=a["first_alarm_at"], n=a["observed"],
                                               ratio=a["ratio"]) for a in alarmed[:5]]
        section.paragraphs.append(L["crisis_alarms"].format(k=len(alarmed), list=("; " if lang == "en" else "；").join(items)))
        wave = page["wave"]
        section.paragraphs.append(L["crisis_wave"].format(aspect=code_label(page["aspect"], lang), n=wave["total"], authors=wave["authors"],
                                                          unanswered=wave["unanswered"], core=wave["core_authors"]))
    else:
        section.paragraphs.append(L["crisis_calm"])
    section.tables.append(Table(
        [L["aspect"], L["last_alarm"], L["observed"], L["baseline"], L["ratio"]],
        [[code_label(a["aspect"], lang), a["last_alarm_at"] or "", a["observed"], a["baseline"], a["ratio"]]
         for a in page["aspects"][:_TOP]], L["crisis_table"]))
    target = next((a for a in alarmed if a["aspect"] == page["aspect"]), None)
    if target and page["surface"]:
        posts = [[p["title"], p["author"] or p["author_id"], p["reason_en" if lang == "en" else "reason_zh"]] for p in page["surface"]]
        section.tables.append(Table([L["title"], L["author"], L["why"]], posts,
                                    L["surface"].format(aspect=code_label(target["aspect"], lang))))
    return section


def risks_section(store, as_of, lang: str) -> Section:
    """风险雷达: the four scores with their main reason, the most severe alerts and the care list (the 风险雷达 page's
    reader, personal data masked)."""
    from reef.risks.surfaces import risk_page

    L = _labels(lang)
    section = Section(_title("risks", lang), key="risks")
    page = risk_page(store, lang=lang, per_page=_TOP, masked=True, evidence=0)
    if page.get("failure"):  # the radar's last run failed: what follows is an earlier run's
        section.paragraphs.append(page["failure"]["text"])
    if not page["families"]:
        section.paragraphs.append(L["risks_none"])
        return section
    if page.get("warning"):
        section.paragraphs.append(page["warning"])
    families = sorted(page["families"], key=lambda f: (-float(f["score"]), f["family"]))
    section.tables.append(Table([L["risk"], L["risk_score"], L["level"], L["summary"]],
                                [[f["name"], round(float(f["score"])), f.get("level_name") or code_label(f["level"], lang), f["summary"]]
                                 for f in families]))
    alerts, care = page["alerts"], page["care"][:_TOP]
    who = _with_names(store, [*alerts["items"], *care], lang)
    if alerts["items"]:
        high = int(store.fetch_value("SELECT count(*) FROM risk_alerts WHERE severity = 'high'"))
        section.tables.append(Table(
            [L["severity"], L["risk"], L["subject"], L["message"]],
            [[code_label(a["severity"], lang), f"{code_label(a['family'], lang)} · {code_label(a['part'], lang)}",
              _subject(a, who), a["message"]] for a in alerts["items"]],
            L["alerts"].format(n=alerts["total"], h=high, top=len(alerts["items"]))))
    else:
        section.paragraphs.append(L["alerts_none"])
    if care:
        section.tables.append(Table([L["member"], L["evidence"]],
                                    [[_subject(c, who), c["detail"]] for c in care],
                                    L["care"].format(n=len(page["care"]), top=len(care))))
    return section


def _title(name: str, lang: str) -> str:
    from reef.analyses.registry import REGISTRY

    analysis = REGISTRY.get(name)
    return analysis.title_in(lang) if analysis else name


SECTIONS: dict[str, Callable[..., Section]] = {
    "store_overview": overview_section, "network_graph": graph_section, "kb_qa": qa_section, "kb_essence": essence_section,
    "kb_gaps": gaps_section, "kb_crisis": crisis_section, "risks": risks_section,
}
# Analyses whose tables serve other features only (the search model behind `reef ask` and the 知识礁 search box).
LEFT_OUT = frozenset({"kb_search"})


def build_section(name: str, store, as_of, lang: str) -> Section | None:
    """The section of analysis ``name`` from this module; None when it is left out of the report (or has none here)."""
    if name in LEFT_OUT or name not in SECTIONS:
        return None
    needs = {"kb_gaps": "kb_gaps", "kb_qa": "kb_questions", "kb_essence": "kb_essence", "kb_crisis": "crisis_daily",
             "network_graph": "network_edges", "risks": "risk_scores"}.get(name)
    if needs and not store.table_exists(needs):
        section = Section(_title(name, lang), key=name)
        section.paragraphs.append(_labels(lang)["gaps_none" if name == "kb_gaps" else "none"])
        return section
    return SECTIONS[name](store, as_of, lang)
