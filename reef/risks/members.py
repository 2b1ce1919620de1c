"""Heat-death parts about people: core burnout, newcomer integration and cliques.

Core = members at (or once at, ``max_stage``) ladder stage >= ``risks.core_min_stage`` (table ``ladder_members``, as of the
same moment); without a ladder result, the top quarter by posts in the baseline stands in.

Example:
    >>> from reef.risks.common import FamilyResult
    >>> FamilyResult("heat_death").parts
    []
"""
from __future__ import annotations

from reef.risks.common import MEMBER_POSTS, FamilyResult, Part, ramp

__all__ = ["burnout_part", "newcomer_part", "clique_part", "core_ids_sql"]


def core_ids_sql(store) -> str:
    """SQL for the core member ids (ladder stage >= $core_stage, or an empty set without a ladder)."""
    has = store.fetch_value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'ladder_members'")
    return "SELECT member_id FROM ladder_members WHERE greatest(stage, coalesce(max_stage, stage)) >= $core_stage" if has else "SELECT NULL::VARCHAR AS member_id WHERE $core_stage < 0"


def burnout_part(store, ts, c: dict, res: FamilyResult) -> None:
    """Core members far below their own baseline rate, and the recently-inactive top quarter."""
    rows = store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), core AS ({core_ids_sql(store)}),
        r AS (SELECT author_id AS member_id,
                count(*) FILTER (WHERE created_at >= $ts::TIMESTAMPTZ - to_days($recent)) AS recent,
                count(*) FILTER (WHERE created_at < $ts::TIMESTAMPTZ - to_days($recent) AND created_at >= $ts::TIMESTAMPTZ - to_days($recent + $base)) AS base,
                max(created_at) AS last_at
              FROM p WHERE created_at >= $ts::TIMESTAMPTZ - to_days($recent + $base) GROUP BY 1),
        q AS (SELECT quantile_cont(base, 1 - $top) AS cut FROM r WHERE base > 0)
        SELECT r.*, r.member_id IN (SELECT member_id FROM core) AS is_core, date_diff('day', r.last_at, $ts::TIMESTAMPTZ) AS silent_days,
               r.base >= q.cut AS top
        FROM r, q WHERE r.base >= $min_base""",
        {"ts": ts, "recent": int(c["burnout_recent_days"]), "base": int(c["burnout_baseline_days"]), "min_base": int(c["burnout_min_baseline_posts"]),
         "core_stage": int(c["core_min_stage"]), "top": float(c["inactive_top_share"])})
    scale = c["burnout_recent_days"] / c["burnout_baseline_days"]
    flagged, core_n, burning_n = 0, 0, 0
    for r in rows:
        ratio = r["recent"] / (r["base"] * scale)
        inactive = bool(r["top"]) and c["inactive_min_days"] <= r["silent_days"] <= c["inactive_max_days"]
        burning = bool(r["is_core"]) and ratio < c["burnout_ratio"]
        core_n += bool(r["is_core"])
        if not (burning or inactive):
            continue
        flagged += 1
        burning_n += burning
        kind = "core_burnout" if burning else "recently_inactive"
        zh = (f"核心成员近{c['burnout_recent_days']}天发帖{r['recent']}，仅为自身基线的{ratio:.0%}；已沉默{r['silent_days']}天"
              if burning else f"曾属最活跃的前{c['inactive_top_share']:.0%}，已沉默{r['silent_days']}天")
        en = (f"core member posted {r['recent']} in {c['burnout_recent_days']} days, {ratio:.0%} of their own baseline; silent {r['silent_days']} days"
              if burning else f"was in the top {c['inactive_top_share']:.0%}, silent for {r['silent_days']} days")
        # The inactive top quarter is shown as evidence; only core burnout raises an alert by itself.
        score = round(100 * (1 - min(ratio, 1)), 1) if burning else min(50.0, float(r["silent_days"]))
        res.evidence.append({"part": "burnout", "subject": r["member_id"], "member_id": r["member_id"], "value": round(ratio, 3),
                             "detail_zh": zh, "detail_en": en})
        res.alerts.append({"part": kind, "subject": r["member_id"], "member_id": r["member_id"], "content_id": None, "score": score,
                           "message_zh": zh, "message_en": en})
    share = burning_n / max(core_n, 1)
    res.parts.append(Part("burnout", round(share, 3), ramp(share, ok=c["burnout_share_ok"], bad=c["burnout_share_bad"]), None,
                          f"{burning_n}名核心成员明显降温（核心{core_n}人），另有{flagged - burning_n}名高活跃成员近期沉默",
                          f"{burning_n} core members cooling ({core_n} core), {flagged - burning_n} more top members recently silent"))


def newcomer_part(store, ts, c: dict, res: FamilyResult) -> None:
    """Time to first response on newcomers' first posts, unanswered share, who answers, retention."""
    row = store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), core AS ({core_ids_sql(store)}),
        firsts AS (SELECT author_id, arg_min(content_id, created_at) AS content_id, min(created_at) AS first_at, any_value(joined_at) AS joined_at
                   FROM p WHERE kind IN ('thread', 'photo', 'video', 'guide', 'poll', 'event') GROUP BY 1),
        nc AS (SELECT * FROM firsts WHERE first_at <= joined_at + to_days($nd)),
        resp AS (SELECT nc.content_id, min(x.created_at) AS first_at, arg_min(x.author_id, x.created_at) AS responder
                 FROM nc JOIN content_at($ts) x ON (x.parent_id = nc.content_id OR x.thread_id = nc.content_id) AND x.author_id <> nc.author_id
                 GROUP BY 1),
        recent AS (SELECT nc.*, date_diff('minute', nc.first_at, r.first_at) / 60.0 AS hours, r.responder
                   FROM nc LEFT JOIN resp r USING (content_id)
                   WHERE nc.first_at >= $ts::TIMESTAMPTZ - to_days($nd) AND nc.first_at < $ts::TIMESTAMPTZ - to_hours(CAST($rh AS BIGINT))),
        later AS (SELECT nc.author_id, nc.first_at, max(p.created_at) AS last_at FROM nc JOIN p ON p.author_id = nc.author_id GROUP BY 1, 2)
        SELECT count(*) AS n, median(hours) AS ttfr_h, avg(CAST(hours IS NULL OR hours > $rh AS INT)) AS unanswered,
               avg(CAST(responder IN (SELECT member_id FROM core) AS INT)) FILTER (WHERE responder IS NOT NULL) AS core_share,
               (SELECT avg(CAST(last_at >= first_at + INTERVAL 30 DAY AS INT)) FROM later WHERE first_at BETWEEN $ts::TIMESTAMPTZ - INTERVAL 120 DAY AND $ts::TIMESTAMPTZ - INTERVAL 30 DAY) AS ret30,
               (SELECT avg(CAST(last_at >= first_at + INTERVAL 90 DAY AS INT)) FROM later WHERE first_at BETWEEN $ts::TIMESTAMPTZ - INTERVAL 365 DAY AND $ts::TIMESTAMPTZ - INTERVAL 90 DAY) AS ret90
        FROM recent""", {"ts": ts, "nd": int(c["newcomer_days"]), "rh": float(c["response_hours"]), "core_stage": int(c["core_min_stage"])})[0]
    ttfr, un = row["ttfr_h"], row["unanswered"]
    score = max(ramp(ttfr, ok=c["ttfr_ok_hours"], bad=c["ttfr_bad_hours"]), ramp(un, ok=c["unanswered_ok"], bad=c["unanswered_bad"])) if row["n"] else 0.0
    fmt = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
    res.parts.append(Part("newcomers", None if ttfr is None else round(float(ttfr), 2), score, None,
                          f"近{c['newcomer_days']}天{row['n']}位新人首帖：首次回应中位{'—' if ttfr is None else f'{ttfr:.1f}'}小时，"
                          f"{c['response_hours']:.0f}小时内无人回应{fmt(un)}，核心成员回应占{fmt(row['core_share'])}；30天留存{fmt(row['ret30'])}，90天留存{fmt(row['ret90'])}",
                          f"{row['n']} newcomer first posts: median first response {'—' if ttfr is None else f'{ttfr:.1f}'} h, "
                          f"unanswered in {c['response_hours']:.0f} h {fmt(un)}, answered by core {fmt(row['core_share'])}; retention 30d {fmt(row['ret30'])}, 90d {fmt(row['ret90'])}"))
    res.evidence.append({"part": "newcomers", "subject": "first_posts", "value": row["n"], "detail_zh": str(row), "detail_en": str(row)})


def clique_part(store, ts, c: dict, res: FamilyResult) -> None:
    """Core insularity (share of core replies that go to core) and the contributor-absence factor."""
    ins, caf, active = store.fetch_all(f"""
        WITH p AS ({MEMBER_POSTS}), core AS ({core_ids_sql(store)}),
        w AS (SELECT * FROM p WHERE created_at >= $ts::TIMESTAMPTZ - to_days($days)),
        rep AS (SELECT w.author_id, par.author_id AS to_id FROM w JOIN content_at($ts) par ON par.content_id = w.parent_id
                WHERE w.author_id IN (SELECT member_id FROM core) AND par.author_id <> w.author_id),
        n AS (SELECT author_id, count(*) AS k FROM w GROUP BY 1),
        cum AS (SELECT k, sum(k) OVER (ORDER BY k DESC, author_id ROWS UNBOUNDED PRECEDING) AS run, sum(k) OVER () AS tot FROM n)
        SELECT (SELECT avg(CAST(to_id IN (SELECT member_id FROM core) AS INT)) FROM rep),
               (SELECT count(*) + 1 FROM cum WHERE run < tot / 2.0), (SELECT count(*) FROM n)""",
        {"ts": ts, "days": 4 * int(c["window_days"]), "core_stage": int(c["core_min_stage"])})[0]
    caf_share = caf / active if active else None
    score = max(ramp(ins, ok=c["insularity_ok"], bad=c["insularity_bad"]),
                ramp(caf_share, ok=c["absence_share_ok"], bad=c["absence_share_bad"]) if active >= 20 else 0.0)
    res.parts.append(Part("cliques", None if ins is None else round(float(ins), 3), score, None,
                          f"核心成员回复中给核心的占{'—' if ins is None else f'{ins:.0%}'}；{caf}人贡献了一半内容（活跃{active}人）",
                          f"core replies to core {'—' if ins is None else f'{ins:.0%}'}; {caf} members make half the content ({active} active)"))
