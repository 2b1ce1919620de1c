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

from reef.risks.common import CONTENT, MEMBER_POSTS, ORIGINAL_KINDS, FamilyResult, Part, ramp
from reef.risks.metrics import activity_metrics, core_ids_sql, newcomer_metrics
from reef.risks import wording as W

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
    value = None if ttfr is None else round(float(ttfr), 2)
    # the note says the value the part shows, through the same helper: 2.7458 h was "2.7" here and "2.8" (from 2.75) there
    h, h_en = ("—小时", "— h") if value is None else (W.part_value("newcomers", value), W.part_value("newcomers", value, "en"))
    res.parts.append(Part("newcomers", value, score, None,
                          f"近{c['newcomer_days']}天{n}位新人首帖：首次回应中位{h}，{c['response_hours']:.0f}小时内无人回应{_pct(un)}，"
                          f"核心成员回应占{_pct(row['core_share'])}；30天留存{_pct(row['ret30'])}，90天留存{_pct(row['ret90'])}，升到第2阶{_pct(row['stage2'])}",
                          f"{W.plural(n, 'newcomer first post')}: median first response {h_en}, unanswered in {c['response_hours']:.0f} h {_pct(un)}, "
                          f"answered by core {_pct(row['core_share'])}; retention 30d {_pct(row['ret30'])}, 90d {_pct(row['ret90'])}, "
                          f"reached stage 2 {_pct(row['stage2'])}"))
    if n and un:  # nothing to list when every first post was answered in time
        _unanswered_evidence(store, ts, c, res)
    if score >= c["alert_score"]:
        res.alerts.append({"part": "newcomers", "subject": "first_posts", "member_id": None, "content_id": None, "score": score,
                           "message_zh": res.parts[-1].note_zh, "message_en": res.parts[-1].note_en})


def _unanswered_evidence(store, ts, c: dict, res: FamilyResult) -> None:
    """Drill-down of the newcomer part: the window's newcomer first posts without a response within ``response_hours``
    (the definitions of :func:`reef.risks.metrics.newcomer_metrics`), longest wait first; value = hours waited."""
    d, nd, rh = int(c["newcomer_days"]), int(c["newcomer_days"]), float(c["response_hours"])
    rows = store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}),
        -- A first post in the window came within newcomer_days of joining, so only members who joined since then can have one.
        firsts AS (SELECT author_id, arg_min(content_id, created_at) AS content_id, min(created_at) AS first_at, any_value(joined_at) AS joined_at
                   FROM p WHERE kind IN {ORIGINAL_KINDS} AND joined_at >= $ts::TIMESTAMPTZ - to_days($d + $nd) GROUP BY 1),
        inwin AS (SELECT * FROM firsts WHERE first_at <= joined_at + to_days($nd) AND first_at >= $ts::TIMESTAMPTZ - to_days($d)
                    AND first_at < $ts::TIMESTAMPTZ - to_hours(CAST($rh AS BIGINT))),
        resp AS (SELECT content_id, min(r_at) AS r_at FROM (
                    SELECT i.content_id, x.created_at AS r_at FROM inwin i JOIN {CONTENT} x ON x.parent_id = i.content_id AND x.author_id <> i.author_id
                    UNION ALL
                    SELECT i.content_id, x.created_at FROM inwin i JOIN {CONTENT} x ON x.thread_id = i.content_id AND x.author_id <> i.author_id) GROUP BY 1)
        SELECT i.content_id, i.author_id, i.first_at, (epoch(r.r_at) - epoch(i.first_at)) / 3600.0 AS answered_h,
               (epoch($ts::TIMESTAMPTZ) - epoch(i.first_at)) / 3600.0 AS age_h
        FROM inwin i LEFT JOIN resp r USING (content_id)
        WHERE r.r_at IS NULL OR (epoch(r.r_at) - epoch(i.first_at)) / 3600.0 > $rh
        ORDER BY coalesce(answered_h, age_h) DESC, i.content_id LIMIT $top""",
        {"ts": ts, "d": d, "nd": nd, "rh": rh, "top": int(c["evidence_rows"])})
    for r in rows:
        late = r["answered_h"] is not None
        res.evidence.append({"part": "newcomers", "subject": r["content_id"], "member_id": r["author_id"], "content_id": r["content_id"],
                             "value": round(float(r["answered_h"] if late else r["age_h"]), 1),
                             "detail_zh": f"新人{r['author_id']}的首帖{r['content_id']}"
                                          # a comma after the id: "c368110小时" would read as one id
                                          + (f"，{r['answered_h']:.0f}小时后才有人回应" if late else f"发出{r['age_h']:.0f}小时，至今无人回应")
                                          + f"（超过{rh:.0f}小时）",
                             "detail_en": f"newcomer {r['author_id']}'s first post {r['content_id']}: "
                                          + (f"first response after {r['answered_h']:.0f} h" if late else f"no response in {r['age_h']:.0f} h")
                                          + f" (over {rh:.0f} h)"})


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
    ins_score = ramp(ins, ok=c["insularity_ok"], bad=c["insularity_bad"])
    absence_score = ramp(caf_share, ok=c["absence_share_ok"], bad=c["absence_share_bad"]) if active >= 20 else 0.0
    score = max(ins_score, absence_score)
    res.parts.append(Part("cliques", None if ins is None else round(float(ins), 3), score, None,
                          f"核心成员回复中给核心的占{_pct(ins)}；{caf}人贡献了一半内容（活跃{active}人）",
                          f"core replies to core {_pct(ins)}; {W.plural(caf, 'member')} make half the content ({active} active)"))
    if absence_score > ins_score:  # the evidence explains whichever measure drives the score
        _absence_evidence(store, ts, days, caf, int(c["evidence_rows"]), res)
    elif ins is not None:
        _insular_evidence(store, ts, days, c, res)


def _insular_evidence(store, ts, days: int, c: dict, res: FamilyResult) -> None:
    """Drill-down of the cliques part when insularity drives it: core members whose replies stay inside the core,
    most insular first (value = share of their replies to core members; at least ``clique_evidence_min_replies``)."""
    rows = store.fetch_dicts(f"""
        WITH core AS ({core_ids_sql(store)}),
        rep AS (SELECT w.author_id, par.author_id IN (SELECT member_id FROM core) AS to_core,
                       w.created_at < par.joined_at + to_days($nd) AS to_newcomer
                FROM ({MEMBER_POSTS}) w JOIN {CONTENT} par ON par.content_id = w.parent_id
                WHERE w.created_at >= $ts::TIMESTAMPTZ - to_days($days) AND w.author_id IN (SELECT member_id FROM core)
                  AND par.author_id <> w.author_id AND par.account_type = 'member')
        SELECT author_id, count(*) AS n, avg(CAST(to_core AS INT)) AS inside, count(*) FILTER (WHERE to_newcomer) AS newcomers
        FROM rep GROUP BY 1 HAVING count(*) >= $min ORDER BY inside DESC, n DESC, author_id LIMIT $top""",
        {"ts": ts, "days": days, "core_stage": int(c["core_min_stage"]), "nd": int(c["newcomer_days"]),
         "min": int(c["clique_evidence_min_replies"]), "top": int(c["evidence_rows"])})
    for r in rows:
        _clique_row(res, r["author_id"], round(float(r["inside"]), 3),
                    f"核心成员{r['author_id']}近{days}天回复他人{r['n']}次，其中{r['inside']:.0%}给核心成员，回复新人{r['newcomers']}次",
                    f"core member {r['author_id']}: {W.plural(r['n'], 'reply', 'replies')} in {W.plural(days, 'day')}, {r['inside']:.0%} to core members, "
                    f"{r['newcomers']} to newcomers")


def _absence_evidence(store, ts, days: int, caf: int, top: int, res: FamilyResult) -> None:
    """Drill-down of the cliques part when the contributor-absence factor drives it: the ``caf`` members who make half
    the window's posts, most prolific first (value = their share of the posts)."""
    rows = store.fetch_dicts(f"""
        WITH n AS (SELECT author_id, count(*) AS k FROM ({MEMBER_POSTS}) WHERE created_at >= $ts::TIMESTAMPTZ - to_days($d) AND created_at < $ts
                   GROUP BY 1)
        SELECT author_id, k, k / sum(k) OVER () AS share FROM n ORDER BY k DESC, author_id LIMIT $top""",
        {"ts": ts, "d": days, "top": min(int(caf), top)})
    for r in rows:
        _clique_row(res, r["author_id"], round(float(r["share"]), 4),
                    f"{r['author_id']}近{days}天发帖{r['k']}条，占全部{r['share']:.1%}（{caf}人贡献了一半内容）",
                    f"{r['author_id']}: {W.plural(r['k'], 'post')} in {W.plural(days, 'day')}, {r['share']:.1%} of all "
                    f"({W.plural(caf, 'member makes', 'members make')} half the content)")


def _clique_row(res: FamilyResult, member_id: str, value: float, zh: str, en: str) -> None:
    res.evidence.append({"part": "cliques", "subject": member_id, "member_id": member_id, "content_id": None, "value": value,
                         "detail_zh": zh, "detail_en": en})
