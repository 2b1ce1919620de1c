"""Base analyses every community gets: daily activity and a per-member summary.

Both read only through the ``<entity>_at($as_of)`` macros and count days in the configured
zone (the store's session zone). Staff, brand and bot accounts are left out of member counts
(``active_members``, ``new_members``) but their content and interactions are still counted.

Example:
    >>> from reef.store import open_store
    >>> from reef.analyses import run_analyses
    >>> store = open_store(":memory:")
    >>> _ = run_analyses(store, only=["member_summary"])
    >>> store.fetch_value("SELECT count(*) FROM member_summary")
    0
"""
from __future__ import annotations

from datetime import datetime

from reef.analyses.registry import register_analysis
from reef.model.schema import CONTENT_KINDS, INTERACTION_KINDS

__all__ = ["activity_daily", "member_summary", "STAFF_TYPES"]

STAFF_TYPES = ("staff", "brand", "bot")
_STAFF_SQL = "(" + ", ".join(f"'{t}'" for t in STAFF_TYPES) + ")"


def _kind_counts(prefix: str, kinds: tuple[str, ...], alias: str = "") -> str:
    col = f"{alias}.kind" if alias else "kind"
    return ", ".join(f"count(*) FILTER (WHERE {col} = '{k}') AS {prefix}_{k}" for k in kinds)


@register_analysis(
    "activity_daily", "1", writes=("activity_daily",), order=10,
    title={"zh": "每日活跃", "en": "Daily activity"},
)
def activity_daily(store, as_of: datetime, config) -> int:
    """Per day: active members (posters), new members, content by kind, interactions by kind."""
    content_cols = ", ".join(f"coalesce(c.content_{k}, 0) AS content_{k}" for k in CONTENT_KINDS)
    inter_cols = ", ".join(f"coalesce(i.interactions_{k}, 0) AS interactions_{k}" for k in INTERACTION_KINDS)
    store.execute(f"""
        CREATE OR REPLACE TABLE activity_daily AS
        WITH m AS (SELECT * FROM members_at($ts)),
        people AS (SELECT member_id FROM m WHERE coalesce(account_type, 'member') NOT IN {_STAFF_SQL}),
        c AS (SELECT CAST(created_at AS DATE) AS day, count(*) AS content_total,
                     count(DISTINCT author_id) FILTER (WHERE author_id IN (SELECT member_id FROM people)) AS active_members,
                     {_kind_counts('content', CONTENT_KINDS)}
              FROM content_at($ts) GROUP BY 1),
        i AS (SELECT CAST(created_at AS DATE) AS day, count(*) AS interactions_total,
                     {_kind_counts('interactions', INTERACTION_KINDS)}
              FROM interactions_at($ts) GROUP BY 1),
        j AS (SELECT CAST(joined_at AS DATE) AS day, count(*) AS new_members
              FROM m WHERE member_id IN (SELECT member_id FROM people) GROUP BY 1),
        bounds AS (SELECT min(day) AS lo, max(day) AS hi FROM (
              SELECT day FROM c UNION ALL SELECT day FROM i UNION ALL SELECT day FROM j)),
        days AS (SELECT CAST(d AS DATE) AS day FROM bounds, generate_series(lo, hi, INTERVAL 1 DAY) AS g(d)
                 WHERE lo IS NOT NULL)
        SELECT days.day,
               coalesce(c.active_members, 0) AS active_members,
               coalesce(j.new_members, 0) AS new_members,
               coalesce(c.content_total, 0) AS content_total, {content_cols},
               coalesce(i.interactions_total, 0) AS interactions_total, {inter_cols}
        FROM days LEFT JOIN c USING (day) LEFT JOIN i USING (day) LEFT JOIN j USING (day)
        ORDER BY days.day
    """, {"ts": as_of})
    return int(store.fetch_value("SELECT count(*) FROM activity_daily"))


@register_analysis(
    "member_summary", "1", writes=("member_summary",), order=20,
    title={"zh": "成员概况", "en": "Member summary"},
)
def member_summary(store, as_of: datetime, config) -> int:
    """Per member: joined, first/last activity, content by kind, interactions given/received, tenure."""
    content_cols = ", ".join(f"coalesce(c.content_{k}, 0) AS content_{k}" for k in CONTENT_KINDS)
    store.execute(f"""
        CREATE OR REPLACE TABLE member_summary AS
        WITH m AS (SELECT * FROM members_at($ts)),
        ct AS (SELECT * FROM content_at($ts)),
        it AS (SELECT * FROM interactions_at($ts)),
        c AS (SELECT author_id AS member_id, count(*) AS content_total, min(created_at) AS first_post,
                     max(created_at) AS last_post, {_kind_counts('content', CONTENT_KINDS)}
              FROM ct WHERE author_id IS NOT NULL GROUP BY 1),
        g AS (SELECT actor_id AS member_id, count(*) AS given, min(created_at) AS first_act, max(created_at) AS last_act
              FROM it WHERE actor_id IS NOT NULL GROUP BY 1),
        -- Received: acts on the member's content or on the member, by someone else.
        r AS (SELECT coalesce(it.target_member_id, ct.author_id) AS member_id, count(*) AS received
              FROM it LEFT JOIN ct ON it.target_content_id = ct.content_id
              WHERE coalesce(it.target_member_id, ct.author_id) IS NOT NULL
                AND it.actor_id IS DISTINCT FROM coalesce(it.target_member_id, ct.author_id)
              GROUP BY 1)
        SELECT m.member_id, m.name, coalesce(m.account_type, 'member') AS account_type,
               coalesce(m.account_type, 'member') IN {_STAFF_SQL} AS is_staff,
               m.joined_at,
               least(c.first_post, g.first_act) AS first_activity_at,
               greatest(c.last_post, g.last_act) AS last_activity_at,
               coalesce(c.content_total, 0) AS content_total, {content_cols},
               coalesce(g.given, 0) AS interactions_given,
               coalesce(r.received, 0) AS interactions_received,
               CAST(date_diff('day', m.joined_at, $ts) AS INTEGER) AS tenure_days
        FROM m LEFT JOIN c USING (member_id) LEFT JOIN g USING (member_id) LEFT JOIN r USING (member_id)
        ORDER BY m.member_id
    """, {"ts": as_of})
    return int(store.fetch_value("SELECT count(*) FROM member_summary"))
