"""Base analyses every community gets: daily activity, a per-member summary and the store overview.

All read only through the ``<entity>_at($as_of)`` macros and count days in the configured
zone (the store's session zone). Staff, brand and bot accounts are left out of member counts
(``active_members``, ``new_members``) but their content and interactions are still counted.
``store_overview`` precomputes what the 今日 page and ``GET /api/v1/status`` would otherwise scan
the big tables for on every request (kinds, date range, staff, recognition candidates), so on a
1M-member store they read a few hundred rows. It also keeps each member's interactions by kind and
latest contributions (``overview_members``) for the 成员 profile. Its readers (``status_summary``,
``recognise_today``, ``member_activity``) are in :mod:`reef.analyses.overview_readers`.

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

__all__ = ["activity_daily", "member_summary", "store_overview", "STAFF_TYPES"]

STAFF_TYPES = ("staff", "brand", "bot")
_STAFF_SQL = "(" + ", ".join(f"'{t}'" for t in STAFF_TYPES) + ")"


def _kind_counts(prefix: str, kinds: tuple[str, ...], alias: str = "") -> str:
    col = f"{alias}.kind" if alias else "kind"
    return ", ".join(f"count(*) FILTER (WHERE {col} = '{k}') AS {prefix}_{k}" for k in kinds)


@register_analysis(
    "activity_daily", "2", writes=("activity_daily",), order=10,
    title={"zh": "每日活跃", "en": "Daily activity"},
    description={"zh": "每日的活跃成员（发帖者）、新成员、各类内容和各类互动；已离开的成员在其发帖和入会的日子仍计入。",
                 "en": "Per day: active members (posters), new members, content by kind, interactions by kind; a member who "
                       "has left still counts on the days they posted and joined."},
)
def activity_daily(store, as_of: datetime, config) -> int:
    """Per day: active members (posters), new members, content by kind, interactions by kind. A member who has left
    since still counts on the days they posted and joined, so a week already reported keeps its figures."""
    content_cols = ", ".join(f"coalesce(c.content_{k}, 0) AS content_{k}" for k in CONTENT_KINDS)
    inter_cols = ", ".join(f"coalesce(i.interactions_{k}, 0) AS interactions_{k}" for k in INTERACTION_KINDS)
    store.execute(f"""
        CREATE OR REPLACE TABLE activity_daily AS
        WITH m AS (SELECT * FROM members WHERE joined_at < $ts),  -- with those who left since: a past day keeps its count
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
    description={"zh": "每位成员的入会时间、首次/最近活动、各类内容、给出/收到的互动和入驻时长。"},
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


# Members to recognise, ranked: active in the last server.recognise_days, most interactions received first.
_CANDIDATES = """
    SELECT row_number() OVER (ORDER BY interactions_received DESC, member_id) AS rank, member_id, name,
           content_total, interactions_received, interactions_given, last_activity_at
    FROM member_summary
    WHERE NOT is_staff
      AND last_activity_at >= (SELECT max(last_activity_at) FROM member_summary) - to_days(CAST($days AS INTEGER))"""


@register_analysis(
    "store_overview", "4", depends_on=("member_summary",), writes=("overview_status", "overview_recognise", "overview_members"),
    order=25,
    title={"zh": "今日概览", "en": "Today at a glance"},
    description={"zh": "预先算好“今日”和状态页要用的数字（各类内容和互动、日期范围、官方账号）和今日待表彰成员的排名。",
                 "en": "What 今日 and status would otherwise scan the big tables for (content and interactions by kind, date "
                       "range, staff accounts) and today's members to recognise, ranked once."},
)
def store_overview(store, as_of: datetime, config) -> int:
    """What 今日 and status would otherwise scan the big tables for on every request: content and
    interactions by kind, the date range and staff accounts (``overview_status``: section, key, n,
    at; over the whole store, whatever the as_of, as ``reef status`` counts them), and the members to
    recognise today ranked once (``overview_recognise``, rank 1 first)."""
    # The status part is about the store now, not the run's as_of: it scans the whole tables as `reef status` does
    # (reef.report.status.store_scans), so a back-dated run still precomputes what the live status shows.
    store.execute(f"""
        CREATE OR REPLACE TABLE overview_status AS
        SELECT 'content_by_kind' AS section, kind AS key, count(*) AS n, CAST(NULL AS TIMESTAMPTZ) AS "at"
        FROM content GROUP BY kind
        UNION ALL
        SELECT 'interactions_by_kind', kind, count(*), NULL FROM interactions GROUP BY kind
        UNION ALL
        SELECT 'staff_accounts', account_type, count(*), NULL FROM members
        WHERE account_type IN {_STAFF_SQL} GROUP BY account_type
        UNION ALL
        SELECT 'range', unnest(['first_at', 'last_at']), NULL, unnest([min(t), max(t)]) FROM (
            SELECT joined_at AS t FROM members UNION ALL SELECT created_at FROM content
            UNION ALL SELECT created_at FROM interactions)
        UNION ALL
        -- named apart from first_at (which counts join dates): the coverage warning reads the first content
        SELECT 'range', 'first_content_at', NULL, min(created_at) FROM content
        UNION ALL
        SELECT 'range', 'first_member_joined_at', NULL, min(joined_at) FROM members
        UNION ALL
        SELECT 'computed', 'as_of', NULL, CAST($ts AS TIMESTAMPTZ)
        UNION ALL
        -- the status part covers the whole store (rows of version 3 and before held the as_of's figures)
        SELECT 'computed', 'whole_store', 1, now()
    """, {"ts": as_of})
    # Candidates for 立即认可 (recognise today), ranked here so a request reads the first rows; the
    # request still drops members recognised in the last 30 days, so keep a pool several times larger.
    pool = max(1, int(config.get("server.recognise_top"))) * 20
    store.execute(f"CREATE OR REPLACE TABLE overview_recognise AS {_CANDIDATES} ORDER BY rank LIMIT $pool",
                  {"days": int(config.get("server.recognise_days")), "pool": pool})
    _member_profiles(store, as_of, max(1, int(config.get("server.profile_contributions"))))
    return int(store.fetch_value("SELECT count(*) FROM overview_status"))


def _member_profiles(store, as_of: datetime, keep: int, chunk_members: int = 200_000) -> None:
    """``overview_members``, one row per member and ``part``: ``given``/``received`` rows carry an
    interaction ``kind`` and its count ``n`` (received as in ``member_summary``), ``recent`` rows one
    of the member's latest ``keep`` contributions. Long rows rather than lists (ordered list
    aggregates over 15M items do not fit the memory limit), sorted by member_id so the profile's
    point lookup prunes row groups. Built in steps to keep each one's memory small."""
    from reef.analyses.runner import data_end

    store.execute("""
        CREATE OR REPLACE TABLE _overview_members_parts AS
        SELECT actor_id AS member_id, 'given' AS part, kind, count(*) AS n FROM interactions_at($ts)
        WHERE actor_id IS NOT NULL GROUP BY 1, 3
    """, {"ts": as_of})
    store.execute("""
        INSERT INTO _overview_members_parts
        SELECT coalesce(it.target_member_id, ct.author_id), 'received', it.kind, count(*)
        FROM (SELECT actor_id, kind, target_member_id, target_content_id FROM interactions_at($ts)) it
        LEFT JOIN (SELECT content_id, author_id FROM content_at($ts)) ct ON it.target_content_id = ct.content_id
        WHERE coalesce(it.target_member_id, ct.author_id) IS NOT NULL
          AND it.actor_id IS DISTINCT FROM coalesce(it.target_member_id, ct.author_id)
        GROUP BY 1, 3
    """, {"ts": as_of})
    # The time of each author's keep-th newest item (a top-n heap per author, not a window over
    # every item with its text); ties at the cut may add an item or two, which the reader drops.
    store.execute("""
        CREATE OR REPLACE TABLE _overview_members_cut AS
        SELECT author_id, list_min(max(created_at, $keep)) AS cut FROM content_at($ts)
        WHERE author_id IS NOT NULL GROUP BY 1
    """, {"ts": as_of, "keep": keep})
    # Written in member_id ranges of chunk_members, each sorted on its own, so no single sort holds
    # every recent item with its text (at 1M members one sort of 17M rows ran out of the 3 GB limit).
    select = """
        SELECT member_id, part, kind, n, CAST(NULL AS VARCHAR) AS content_id, CAST(NULL AS TIMESTAMPTZ) AS created_at,
               CAST(NULL AS VARCHAR) AS title, CAST(NULL AS VARCHAR) AS body, CAST(NULL AS VARCHAR) AS thread_id,
               CAST(NULL AS VARCHAR) AS group_id
        FROM _overview_members_parts WHERE member_id >= $lo AND ($hi IS NULL OR member_id < $hi)
        UNION ALL
        SELECT c.author_id, 'recent', c.kind, NULL, c.content_id, c.created_at, c.title, left(c.body, 500), c.thread_id,
               c.group_id
        FROM content_at($ts) c JOIN _overview_members_cut k ON c.author_id = k.author_id AND c.created_at >= k.cut
        WHERE c.author_id >= $lo AND ($hi IS NULL OR c.author_id < $hi)
        ORDER BY member_id"""
    bounds = [r[0] for r in store.fetch_all(
        "SELECT member_id FROM (SELECT member_id, row_number() OVER (ORDER BY member_id) AS rn FROM "
        "(SELECT member_id FROM _overview_members_parts UNION SELECT author_id FROM _overview_members_cut)) "
        "WHERE rn % $step = 0 ORDER BY member_id", {"step": max(1, int(chunk_members))})]
    edges = [""] + bounds + [None]
    store.execute(f"CREATE OR REPLACE TABLE overview_members AS {select} LIMIT 0", {"ts": as_of, "lo": "", "hi": ""})
    for lo, hi in zip(edges, edges[1:]):
        store.execute(f"INSERT INTO overview_members {select}", {"ts": as_of, "lo": lo, "hi": hi})
    store.execute("DROP TABLE _overview_members_parts")
    store.execute("DROP TABLE _overview_members_cut")
    # The profile shows everything the store holds, so the rows stand in for it only when this run
    # saw all the data (as_of at or after its end) and as many contributions as a request asks for.
    end = data_end(store)
    store.execute("INSERT INTO overview_status VALUES ('computed', 'profile_contributions', $keep, NULL), "
                  "('computed', 'profile_complete', $complete, NULL)",
                  {"keep": keep, "complete": int(end is None or end <= as_of)})
