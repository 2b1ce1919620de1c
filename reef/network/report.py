"""Report sections of the network capability: key connectors, campaign ripples, the mutual-help ledger.

Each section reads the tables its analysis wrote (``network_connectors``, ``network_ripple`` +
``network_boost``, ``network_helpers`` + ``network_help_acts``), never recomputes, so a report of
a large community stays fast. Text is Simplified Chinese with an English switch (``lang='en'``).

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> connectors_section(open_store(":memory:"), datetime(2026, 1, 1, tzinfo=timezone.utc), "en").paragraphs[0]
    "No connector scores yet: start the analyses on the dashboard's Imports page."
"""
from __future__ import annotations

from datetime import datetime


from reef.analyses.registry import report_section
from reef.i18n import code_label, counted
from reef.network import analyses as _analyses  # noqa: F401 - registers the analyses before their sections
from reef.report.model import Section, Table

__all__ = ["connectors_section", "ripple_section", "helpers_section"]

_TOP = 10
_L = {
    "zh": {"conn": "关键节点", "conn_none": "尚无关键节点评分：请在仪表盘“数据导入”页启动分析。",
           "conn_intro": "{c} 位关键节点（被许多不同成员提问、@、引用或认同，且发言能引发后续讨论）；{b} 个单向广播型账号已单独标出，不计入排名。",
           "rank": "排名", "member": "成员", "score": "得分", "askers": "提问者", "others": "信任者", "brok": "桥梁度",
           "follow": "后续回复/条", "example": "示例",
           "rip": "活动与涟漪", "rip_none": "尚无带种子成员的活动。", "campaign": "活动", "ring": "圈层", "adopters": "参与人数",
           "first": "首次参与", "rip_intro": "{n} 个活动，共 {a} 人参与；圈层 = 距种子成员的转述距离。",
           "boost": "助推名单（第 2、3 圈的好内容，建议公开致谢）", "eng": "互动", "ack": "建议致谢语",
           "help": "互助榜", "help_none": "尚无互助记录。", "help_intro": "互助行为 {n} 次（{kinds}）；{p} 位成员曾帮助他人；{f} 位在新人期受助后又帮助了别人（传递善意）。",
           "answers": "回答", "accepted": "被采纳", "helped": "帮助人数", "credit": "互助积分", "mentees": "带新人", "pif": "传递善意",
           "yes": "是", "no": "否"},
    "en": {"conn": "Key connectors", "conn_none": "No connector scores yet: start the analyses on the dashboard's Imports page.",
           "conn_intro": "{c:key connector} (many distinct members ask, mention, quote or agree with them and their posts set off "
                         "discussion); {b:one-way broadcaster is|one-way broadcasters are} labelled apart and not ranked.",
           "rank": "Rank", "member": "Member", "score": "Score", "askers": "Askers", "others": "Trusters", "brok": "Brokerage",
           "follow": "Follow-on replies / item", "example": "Example",
           "rip": "Campaigns and ripples", "rip_none": "No campaign with seed members yet.", "campaign": "Campaign", "ring": "Ring",
           "adopters": "Adopters", "first": "First adoption", "rip_intro": "{n:campaign}, {a:adopter}; ring = hops from the seed members.",
           "boost": "Boost list (good ring 2-3 content to acknowledge publicly)", "eng": "Engagement", "ack": "Suggested acknowledgement",
           "help": "Mutual help", "help_none": "No help acts yet.",
           "help_intro": "{n:help act} ({kinds}); {p:member} helped others; {f:was|were} helped as newcomers and later helped someone (pay it forward).",
           "answers": "Answers", "accepted": "Accepted", "helped": "People helped", "credit": "Help credit", "mentees": "Mentees",
           "pif": "Paid forward", "yes": "yes", "no": "no"},
}


def _labels(lang: str) -> dict[str, str]:
    return _L.get(lang, _L["zh"])


@report_section("network_connectors")
def connectors_section(store, as_of: datetime, lang: str) -> Section:
    """Top connectors with the parts that put them there."""
    lb = _labels(lang)
    sec = Section(lb["conn"], key="network_connectors")
    if not store.table_exists("network_connectors"):
        sec.paragraphs.append(lb["conn_none"])
        return sec
    c, b = store.fetch_all("""SELECT count(*) FILTER (WHERE role = 'connector'), count(*) FILTER (WHERE role = 'broadcaster')
                              FROM network_connectors""")[0]
    if not c and not b:
        from reef.report.empty import before_data, empty_text

        if before_data(store, as_of):
            sec.paragraphs.append(empty_text(store, as_of, lang, ("", "")))
            return sec
    sec.paragraphs.append(counted(lb["conn_intro"], c=c, b=b))
    rows = store.fetch_all("""SELECT rank, coalesce(name, member_id), score, askers, distinct_others, round(brokerage_part, 2),
                                     round(followon, 2), examples[1] FROM network_connectors WHERE role = 'connector'
                              ORDER BY rank LIMIT $n""", {"n": _TOP})
    cols = [lb[k] for k in ("rank", "member", "score", "askers", "others", "brok", "follow", "example")]
    sec.tables.append(Table(cols, [list(r) for r in rows]))
    return sec


@report_section("network_ripple")
def ripple_section(store, as_of: datetime, lang: str) -> Section:
    """Adopters by ring for every seeded campaign, and the boost list."""
    lb = _labels(lang)
    sec = Section(lb["rip"], key="network_ripple")
    if not store.table_exists("network_ripple") or not store.fetch_value("SELECT count(*) FROM network_ripple"):
        sec.paragraphs.append(lb["rip_none"])
        return sec
    n, a = store.fetch_all("SELECT count(DISTINCT campaign_id), count(*) FROM network_ripple")[0]
    sec.paragraphs.append(counted(lb["rip_intro"], n=n, a=a))
    rows = store.fetch_all("""SELECT campaign_id, ring, count(*), min(adopted_at)::DATE FROM network_ripple
                              WHERE ring IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2""")
    sec.tables.append(Table([lb["campaign"], lb["ring"], lb["adopters"], lb["first"]], [list(r) for r in rows]))
    cols = {r[0] for r in store.fetch_all("SELECT column_name FROM information_schema.columns WHERE table_name = 'network_boost'")}
    if "acknowledgement" in cols:  # an empty boost list is written without its columns
        boost = store.fetch_all("""SELECT campaign_id, coalesce(name, member_id), ring, engagement, acknowledgement
                                   FROM network_boost ORDER BY engagement DESC, ring, member_id LIMIT $n""", {"n": _TOP})
        if boost:
            sec.tables.append(Table([lb["campaign"], lb["member"], lb["ring"], lb["eng"], lb["ack"]], [list(r) for r in boost],
                                    caption=lb["boost"]))
    return sec


@report_section("network_helpers")
def helpers_section(store, as_of: datetime, lang: str) -> Section:
    """Help acts by kind, pay-it-forward and the leaderboard."""
    lb = _labels(lang)
    sec = Section(lb["help"], key="network_helpers")
    if not store.table_exists("network_helpers") or not store.fetch_value("SELECT count(*) FROM network_helpers"):
        sec.paragraphs.append(lb["help_none"])
        return sec
    kinds = store.fetch_all("SELECT act, count(*) FROM network_help_acts GROUP BY 1 ORDER BY 2 DESC, 1")
    p, f = store.fetch_all("SELECT count(*), count(*) FILTER (WHERE paid_forward) FROM network_helpers")[0]
    sec.paragraphs.append(counted(lb["help_intro"], n=sum(k[1] for k in kinds), p=p, f=f,
                                  kinds=", ".join(f"{code_label(k, lang)} {v}" for k, v in kinds)))
    rows = store.fetch_all("""SELECT rank, coalesce(name, member_id), answers, accepted, people_helped, round(help_credit, 1),
                                     mentees, paid_forward FROM network_helpers ORDER BY rank LIMIT $n""", {"n": _TOP})
    cols = [lb[k] for k in ("rank", "member", "answers", "accepted", "helped", "credit", "mentees", "pif")]
    sec.tables.append(Table(cols, [[*r[:-1], lb["yes"] if r[-1] else lb["no"]] for r in rows]))
    return sec
