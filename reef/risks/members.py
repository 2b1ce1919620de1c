"""Heat-death parts about people joining and mixing: newcomer integration and cliques.

Core = members at (or once at, ``max_stage``) ladder stage >= ``risks.core_min_stage`` (table
``ladder_members``, as of the same moment); without a ladder result the core is empty. Core burnout
lives in :mod:`reef.risks.burnout`.

Example:
    >>> from reef.risks.common import FamilyResult
    >>> FamilyResult("heat_death").parts
    []
"""
from __future__ import annotations

from reef.risks.common import CONTENT, MEMBER_POSTS, FamilyResult, Part, ramp
from reef.risks.metrics import activity_metrics, core_ids_sql, newcomer_metrics

__all__ = ["newcomer_part", "clique_part", "core_ids_sql"]


def _pct(v) -> str:
    return "—" if v is None else f"{v:.0%}"


def newcomer_part(store, ts, c: dict, res: FamilyResult) -> None:
    """Time to first response on newcomers' first posts, unanswered share, who answers, retention, stage-2 conversion."""
    row = newcomer_metrics(store, ts, int(c["newcomer_days"]), c)
    ttfr, un, n = row["ttfr_h"], row["unanswered"], row["newcomers"]
    # A handful of first posts says little: judge only from newcomer_min_posts on.
    score = max(ramp(ttfr, ok=c["ttfr_ok_hours"], bad=c["ttfr_bad_hours"]), ramp(un, ok=c["unanswered_ok"], bad=c["unanswered_bad"])) \
        if n >= c["newcomer_min_posts"] else 0.0
    h = "—" if ttfr is None else f"{ttfr:.1f}"
    res.parts.append(Part("newcomers", None if ttfr is None else round(float(ttfr), 2), score, None,
                          f"近{c['newcomer_days']}天{n}位新人首帖：首次回应中位{h}小时，{c['response_hours']:.0f}小时内无人回应{_pct(un)}，"
                          f"核心成员回应占{_pct(row['core_share'])}；30天留存{_pct(row['ret30'])}，90天留存{_pct(row['ret90'])}，升到第2阶{_pct(row['stage2'])}",
                          f"{n} newcomer first posts: median first response {h} h, unanswered in {c['response_hours']:.0f} h {_pct(un)}, "
                          f"answered by core {_pct(row['core_share'])}; retention 30d {_pct(row['ret30'])}, 90d {_pct(row['ret90'])}, "
                          f"reached stage 2 {_pct(row['stage2'])}"))
    if score >= c["alert_score"]:
        res.alerts.append({"part": "newcomers", "subject": "first_posts", "member_id": None, "content_id": None, "score": score,
                           "message_zh": res.parts[-1].note_zh, "message_en": res.parts[-1].note_en})


def clique_part(store, ts, c: dict, res: FamilyResult) -> None:
    """Core insularity (share of core replies that go to core) and the contributor-absence factor."""
    days = 4 * int(c["window_days"])
    ins = store.fetch_value(f"""
        WITH core AS ({core_ids_sql(store)}),
        rep AS (SELECT par.author_id AS to_id FROM ({MEMBER_POSTS}) w JOIN {CONTENT} par ON par.content_id = w.parent_id
                WHERE w.created_at >= $ts::TIMESTAMPTZ - to_days($days) AND w.author_id IN (SELECT member_id FROM core)
                  AND par.author_id <> w.author_id AND par.account_type = 'member')
        SELECT avg(CAST(to_id IN (SELECT member_id FROM core) AS INT)) FROM rep""",
        {"ts": ts, "days": days, "core_stage": int(c["core_min_stage"])})
    act = activity_metrics(store, ts, days)
    caf, active = act["caf"] if act["contributors"] else 0, act["contributors"]
    caf_share = caf / active if active else None
    score = max(ramp(ins, ok=c["insularity_ok"], bad=c["insularity_bad"]),
                ramp(caf_share, ok=c["absence_share_ok"], bad=c["absence_share_bad"]) if active >= 20 else 0.0)
    res.parts.append(Part("cliques", None if ins is None else round(float(ins), 3), score, None,
                          f"核心成员回复中给核心的占{_pct(ins)}；{caf}人贡献了一半内容（活跃{active}人）",
                          f"core replies to core {_pct(ins)}; {caf} members make half the content ({active} active)"))
