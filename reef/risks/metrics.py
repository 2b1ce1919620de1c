"""Heat-death measures over any window: activity, stickiness, newcomer integration, concentration.

The radar reads these for its last weeks; :func:`heat_metrics` gives the same numbers for any
period (a quarter, a year), which is how docs/risk-validation.md follows a real community over
13 years and checks each figure against a direct count from the dump.

Definitions (members only, staff/brand/bot accounts left out):

- contributors: distinct members who wrote anything (posts, replies, answers, comments) in the window;
- stickiness: mean daily contributors / mean contributors per 30 days (DAU/MAU; 24-hour and 30-day bins back from as_of);
- newcomer first post: a member's first original post (not a reply/answer/comment), when it came within
  ``risks.newcomer_days`` of joining; first response: the earliest item by someone else whose parent
  or thread is that post; unanswered: no response within ``risks.response_hours``;
- contributor-absence factor (CAF): the fewest members who together made half the window's items.

Example:
    >>> from reef.store import open_store
    >>> from reef.config import load_config
    >>> from datetime import datetime, timezone
    >>> heat_metrics(open_store(":memory:"), datetime(2026, 1, 1, tzinfo=timezone.utc), 90, load_config())["contributors"]
    0
"""
from __future__ import annotations

from reef.risks.common import CONTENT, MEMBER_POSTS, ORIGINAL_KINDS, risk_base

__all__ = ["heat_metrics", "activity_metrics", "newcomer_metrics", "core_ids_sql"]


def core_ids_sql(store) -> str:
    """SQL for the core member ids (ladder stage >= $core_stage, or an empty set without a ladder)."""
    has = store.fetch_value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'ladder_members'")
    return ("SELECT member_id FROM ladder_members WHERE greatest(stage, coalesce(max_stage, stage)) >= $core_stage" if has
            else "SELECT NULL::VARCHAR AS member_id WHERE $core_stage < 0")


def activity_metrics(store, ts, window_days: int) -> dict:
    """Contributors, items, DAU/MAU stickiness and the contributor-absence factor of the window (needs :func:`risk_base`)."""
    # Days and months are 24-hour and 30-day bins counted back from ts, so no time zone shifts a boundary.
    return store.fetch_dicts(f"""
        WITH w AS (SELECT author_id, created_at, CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(created_at)) / 86400) AS BIGINT) AS day
                   FROM ({MEMBER_POSTS}) WHERE created_at >= $ts::TIMESTAMPTZ - to_days($d) AND created_at < $ts),
        n AS (SELECT author_id, count(*) AS k FROM w GROUP BY 1),
        cum AS (SELECT k, sum(k) OVER (ORDER BY k DESC, author_id ROWS UNBOUNDED PRECEDING) AS run, sum(k) OVER () AS tot FROM n),
        months AS (SELECT day // 30 AS m, count(DISTINCT author_id) AS k FROM w WHERE day < 30 * greatest($d // 30, 1) GROUP BY 1)
        SELECT (SELECT count(*) FROM n) AS contributors, (SELECT count(*) FROM w) AS items,
               (SELECT count(DISTINCT (author_id, day)) FROM w) / $d AS dau,
               (SELECT coalesce(sum(k), 0) / greatest($d // 30, 1) FROM months) AS mau,
               (SELECT count(*) + 1 FROM cum WHERE run < tot / 2.0) AS caf""", {"ts": ts, "d": int(window_days)})[0]


def newcomer_metrics(store, ts, window_days: int, c: dict) -> dict:
    """First-response time and unanswered share of newcomers' first posts made in the window, who
    answered, 30/90-day retention and conversion to ladder stage 2 (needs :func:`risk_base`)."""
    has_ladder = store.fetch_value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'ladder_members'")
    stage2 = ("(SELECT avg(CAST(coalesce(l.stage, 0) >= 2 AS INT)) FROM nc LEFT JOIN ladder_members l ON l.member_id = nc.author_id "
              "WHERE nc.first_at BETWEEN $ts::TIMESTAMPTZ - INTERVAL 120 DAY AND $ts::TIMESTAMPTZ - INTERVAL 30 DAY)") if has_ladder else "NULL"
    return store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), core AS ({core_ids_sql(store)}),
        -- One pass: each member's first original post and their last post of any kind (for retention).
        firsts AS (SELECT author_id, arg_min(content_id, created_at) FILTER (WHERE kind IN {ORIGINAL_KINDS}) AS content_id,
                          min(created_at) FILTER (WHERE kind IN {ORIGINAL_KINDS}) AS first_at, any_value(joined_at) AS joined_at,
                          max(created_at) AS last_at
                   FROM p GROUP BY 1 HAVING count(*) FILTER (WHERE kind IN {ORIGINAL_KINDS}) > 0),
        nc AS (SELECT * FROM firsts WHERE first_at <= joined_at + to_days($nd)),
        inwin AS (SELECT * EXCLUDE (last_at) FROM nc WHERE first_at >= $ts::TIMESTAMPTZ - to_days($d) AND first_at < $ts::TIMESTAMPTZ - to_hours(CAST($rh AS BIGINT))),
        -- Parent or thread, as two equi-joins (an OR join would compare every pair).
        resp AS (SELECT content_id, min(r_at) AS first_at, arg_min(responder, r_at) AS responder FROM (
                    SELECT i.content_id, x.created_at AS r_at, x.author_id AS responder FROM inwin i
                    JOIN {CONTENT} x ON x.parent_id = i.content_id AND x.author_id <> i.author_id
                    UNION ALL
                    SELECT i.content_id, x.created_at, x.author_id FROM inwin i
                    JOIN {CONTENT} x ON x.thread_id = i.content_id AND x.author_id <> i.author_id) GROUP BY 1),
        recent AS (SELECT i.*, (epoch(r.first_at) - epoch(i.first_at)) / 3600.0 AS hours, r.responder
                   FROM inwin i LEFT JOIN resp r USING (content_id))
        SELECT count(*) AS newcomers, median(hours) AS ttfr_h, avg(CAST(hours IS NULL OR hours > $rh AS INT)) AS unanswered,
               avg(CAST(responder IN (SELECT member_id FROM core) AS INT)) FILTER (WHERE responder IS NOT NULL) AS core_share,
               (SELECT avg(CAST(last_at >= first_at + INTERVAL 30 DAY AS INT)) FROM nc WHERE first_at BETWEEN $ts::TIMESTAMPTZ - INTERVAL 120 DAY AND $ts::TIMESTAMPTZ - INTERVAL 30 DAY) AS ret30,
               (SELECT avg(CAST(last_at >= first_at + INTERVAL 90 DAY AS INT)) FROM nc WHERE first_at BETWEEN $ts::TIMESTAMPTZ - INTERVAL 365 DAY AND $ts::TIMESTAMPTZ - INTERVAL 90 DAY) AS ret90,
               {stage2} AS stage2
        FROM recent""", {"ts": ts, "d": int(window_days), "nd": int(c["newcomer_days"]), "rh": float(c["response_hours"]),
                         "core_stage": int(c["core_min_stage"])})[0]


def heat_metrics(store, ts, window_days: int, config) -> dict:
    """Every heat-death measure of the ``window_days`` before ``ts`` (one dict, numbers or None); ``window_days`` is
    a positive number of days."""
    from reef.analyses.runner import resolve_as_of
    from reef.params import MAX_DAYS, check_positive

    window_days = check_positive("window_days", window_days, maximum=MAX_DAYS)

    ts = resolve_as_of(store, ts)
    c = config.section("risks")
    horizon = max(int(c["horizon_days"]), int(window_days) + int(c["newcomer_days"]) + 400)
    with risk_base(store, ts, horizon):
        act = activity_metrics(store, ts, window_days)
        new = newcomer_metrics(store, ts, window_days, c)
    act["stickiness"] = float(act["dau"]) / act["mau"] if act["mau"] else None
    act["caf"] = act["caf"] if act["contributors"] else 0
    return {"as_of": ts, "window_days": int(window_days), **act, **new}
