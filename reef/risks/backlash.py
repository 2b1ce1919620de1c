"""Backlash (反噬): core members turning negative, unresolved complaints, the care list.

Drift: a core member's mean sentiment over the last ``risks.drift_recent_days`` fell at least
``drift_drop`` below their own earlier mean. Unresolved: a complaint by a core member older than
``unresolved_days`` with no reply from a staff/brand account in its thread and no operator
``respond`` action. Care list: every such member ranked by risk x reach (network connector score).

Example:
    >>> from reef.risks.common import ramp
    >>> ramp(2, ok=0, bad=4)
    50.0
"""
from __future__ import annotations

from reef.risks.common import MEMBER_POSTS, FamilyResult, Part, ramp
from reef.risks.members import core_ids_sql

__all__ = ["backlash"]

_AFTER_SALES = ("售后与服务", "质量与故障")


def backlash(store, as_of, config) -> FamilyResult:
    """Score backlash at ``as_of``; parts: drift, complaints, unresolved. Evidence rows with part 'care' form the care list."""
    c = config.section("risks")
    res = FamilyResult("backlash")
    has_net = store.fetch_value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'network_connectors'")
    reach_sql = "SELECT member_id, score AS reach FROM network_connectors" if has_net else "SELECT NULL::VARCHAR AS member_id, 0.0 AS reach WHERE false"
    p = {"ts": as_of, "recent": int(c["drift_recent_days"]), "base": int(c["burnout_baseline_days"]), "core_stage": int(c["core_min_stage"]),
         "ud": int(c["unresolved_days"])}
    rows = store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), core AS ({core_ids_sql(store)}), reach AS ({reach_sql}),
        cp AS (SELECT p.*, created_at >= $ts::TIMESTAMPTZ - to_days($recent) AS recent,
                      list_contains(coalesce(intents, []), 'complaint') AS complaint,
                      list_has_any(coalesce(aspect_names, []), ['售后与服务', '质量与故障']) AS after_sales
               FROM p WHERE author_id IN (SELECT member_id FROM core) AND created_at >= $ts::TIMESTAMPTZ - to_days($recent + $base)),
        staff_reply AS (SELECT x.thread_id, min(x.created_at) AS at FROM content_at($ts) x JOIN members_at($ts) m ON m.member_id = x.author_id
                        AND m.account_type IN ('staff', 'brand') GROUP BY 1),
        responded AS (SELECT DISTINCT content_id FROM operator_actions_at($ts) WHERE kind = 'respond' AND content_id IS NOT NULL),
        unres AS (SELECT cp.author_id, count(*) AS n, arg_max(cp.content_id, cp.created_at) AS example_id FROM cp
                  LEFT JOIN staff_reply s ON s.thread_id = coalesce(cp.thread_id, cp.content_id) AND s.at > cp.created_at
                  WHERE cp.complaint AND cp.recent AND cp.created_at < $ts::TIMESTAMPTZ - to_days($ud) AND s.at IS NULL
                    AND cp.content_id NOT IN (SELECT content_id FROM responded) GROUP BY 1)
        SELECT cp.author_id AS member_id, avg(sentiment) FILTER (WHERE recent) AS s_recent, avg(sentiment) FILTER (WHERE NOT recent) AS s_base,
               count(*) FILTER (WHERE recent) AS n_recent, count(*) FILTER (WHERE recent AND complaint) AS complaints,
               count(*) FILTER (WHERE NOT recent) AS n_base, count(*) FILTER (WHERE NOT recent AND complaint) AS base_complaints,
               bool_or(after_sales AND recent) AS after_sales, arg_min(content_id, sentiment) FILTER (WHERE recent) AS example_id,
               coalesce(any_value(u.n), 0) AS unresolved, any_value(u.example_id) AS unresolved_id, coalesce(any_value(r.reach), 0) AS reach
        FROM cp LEFT JOIN unres u ON u.author_id = cp.author_id LEFT JOIN reach r ON r.member_id = cp.author_id GROUP BY 1""", p)
    drifting = complaints = unresolved = 0
    care = []
    for r in rows:
        drop = (r["s_base"] or 0) - (r["s_recent"] or 0) if r["s_recent"] is not None and r["s_base"] is not None else 0.0
        # Sentiment scores are noisy per member: a clear rise in the member's own complaint rate also counts.
        rate_now = r["complaints"] / max(r["n_recent"], 1)
        rate_base = r["base_complaints"] / max(r["n_base"], 1)
        drift = r["n_recent"] >= c["drift_min_posts"] and (drop >= c["drift_drop"] or (
            r["complaints"] >= c["drift_min_complaints"] and rate_now >= c["complaint_ratio"] * max(rate_base, 0.02)))
        drifting += drift
        complaints += r["complaints"]
        unresolved += r["unresolved"]
        risk = min(1.0, max(drop, 0) / 2 + 0.15 * r["complaints"] + 0.1 * r["unresolved"]) if drift else 0.0
        if risk <= 0:
            continue
        owner_zh, owner_en = ("售后服务团队", "after-sales team") if r["after_sales"] else ("社区运营", "community operations")
        care.append((risk * (0.2 + float(r["reach"] or 0)), r, drop, owner_zh, owner_en))
    care.sort(key=lambda x: -x[0])
    for rank, (priority, r, drop, owner_zh, owner_en) in enumerate(care, 1):
        zh = (f"核心成员情绪下滑{drop:.2f}（近{p['recent']}天{r['n_recent']}帖，投诉{r['complaints']}条）；{r['unresolved']}条投诉超{p['ud']}天未获官方回应；建议跟进：{owner_zh}")
        en = (f"core member's sentiment fell {drop:.2f} ({r['n_recent']} posts, {r['complaints']} complaints in {p['recent']} days); "
              f"{r['unresolved']} complaints unanswered by staff after {p['ud']} days; suggested owner: {owner_en}")
        cid = r["unresolved_id"] or r["example_id"]
        res.evidence.append({"part": "care", "subject": r["member_id"], "member_id": r["member_id"], "content_id": cid, "value": round(priority, 4),
                             "rank": rank, "detail_zh": zh, "detail_en": en})
        res.alerts.append({"part": "core_turning_negative", "subject": r["member_id"], "member_id": r["member_id"], "content_id": cid,
                           "score": round(min(100.0, 100 * priority / 0.5), 1), "message_zh": zh, "message_en": en})
    res.parts.append(Part("drift", drifting, ramp(drifting, ok=c["drift_members_ok"], bad=c["drift_members_bad"]), None,
                          f"{drifting}名核心成员情绪明显转负", f"{drifting} core members turning negative"))
    res.parts.append(Part("complaints", complaints, ramp(complaints, ok=c["complaints_ok"], bad=c["complaints_bad"]), None,
                          f"核心成员近{p['recent']}天投诉{complaints}条", f"{complaints} complaints by core members in {p['recent']} days"))
    res.parts.append(Part("unresolved", unresolved, ramp(unresolved, ok=c["unresolved_ok"], bad=c["unresolved_bad"]), None,
                          f"{unresolved}条核心成员投诉超{p['ud']}天无官方回应", f"{unresolved} core complaints without a staff response after {p['ud']} days"))
    return res
