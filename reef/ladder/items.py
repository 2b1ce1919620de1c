"""What each act is worth to the ladder: weighted likes (with ring and burst discounts) and item facts.

:func:`build_likes` writes ``_lad_members`` (non-staff members with an integer code ``mc``), ``_lad_c``
(every item, narrow, with an integer code ``cc``), the view ``_lad_likes`` (one row per like or up-vote on a
member's item, with its ``weight``) and the result table ``ladder_like_flags``; :func:`build_items` writes
``_lad_items``: one row per member-authored item with the ladder's reading of it (original work of
adequate quality, an answer to a newcomer and whether it was recognised, praise, civil
disagreement, a proactive act ...) and ``_lad_cx`` (the parent, toxicity and claim count of the originals
and help, which the welcomes and alerts read after ``_lad_c`` is dropped). Everything reads through the
``*_at($ts)`` macros; hot joins use integer codes: the stored ones (``reef/store/codes.py``) and ``mc``, ``cc``.

Example:
    >>> from reef.store import open_store
    >>> from datetime import datetime, timezone
    >>> s = open_store(":memory:")
    >>> build_likes(s, datetime(2026, 1, 1, tzinfo=timezone.utc), LadderParams())
    0
"""
from __future__ import annotations

import re

from reef.ladder.params import STAFF_TYPES, LadderParams
from reef.model.schema import content_kind_enum_sql
from reef.store.codes import fill_codes

__all__ = ["build_likes", "build_items", "drop_temp_tables"]

_INTENTS = ("question", "answer", "thanks", "praise", "disagreement", "clarification", "experience", "personal_attack")

# Members get a dense code (mc) for group-bys; per-member time limits are computed once per member (TIMESTAMPTZ +
# INTERVAL goes through the ICU calendar, about a microsecond a row: per like it cost seconds at a few million likes).
_LIKES = """
CREATE OR REPLACE TEMP TABLE _lad_staff AS
SELECT member_code FROM members_at($ts) WHERE account_type IN ('staff', 'brand', 'bot') AND member_code IS NOT NULL;
CREATE OR REPLACE TEMP TABLE _lad_members AS
WITH fo AS (SELECT author_code, min(created_at) AS first_at FROM content_at($ts)
            WHERE kind IN ('thread', 'photo', 'video', 'guide', 'event', 'answer') GROUP BY 1)
SELECT CAST(row_number() OVER (ORDER BY m.member_id) AS INTEGER) AS mc, m.member_id, m.member_code, m.joined_at, m.name,
       m.joined_at + to_days(CAST($newcomer AS INTEGER)) AS newcomer_until,
       m.joined_at + to_days(CAST($fresh AS INTEGER)) AS fresh_until, fo.first_at AS first_orig_at
FROM members_at($ts) m LEFT JOIN fo ON fo.author_code = m.member_code
WHERE coalesce(m.account_type, 'member') NOT IN ('staff', 'brand', 'bot');
-- Every author's codes and newcomer window, those who have left included (no member code mc, but an author code ac):
-- help given to a newcomer stays newcomer help, and their thanks stay thanks, after they leave, so a departure does not
-- rewrite the helper's past evidence.
CREATE OR REPLACE TEMP TABLE _lad_authors AS
SELECT m.member_code, a.mc, CAST(row_number() OVER (ORDER BY m.member_id) AS INTEGER) AS ac,
       m.joined_at + to_days(CAST($newcomer AS INTEGER)) AS newcomer_until
FROM members m LEFT JOIN _lad_members a ON a.member_code = m.member_code
WHERE m.joined_at < $ts AND coalesce(m.account_type, 'member') NOT IN ('staff', 'brand', 'bot');
-- Content at ts, read once: narrow rows (no text), intents as booleans (computed before the join, so the join
-- carries no lists) and the author's mc (NULL for staff and unknown), joined on the stored codes. The view _lad_c adds
-- a dense code (cc, the row id: free, where row_number() cost a single-threaded window) for the joins that follow.
-- Few strings are kept (16 bytes a row each): the campaign and group become flags, the kind an ENUM (1 byte; a kind
-- outside the schema's list reads as 'other'), counts INTEGER and the toxicity FLOAT as content_features stores it:
-- at a million members this table is the ladder's largest; what does not fit DuckDB's memory limit is spilled.
CREATE OR REPLACE TEMP TABLE _lad_c0 AS
SELECT c.content_id, c.content_code, {kind_enum} AS kind, c.author_id IS NOT NULL AS has_author, a.mc AS author_mc,
       c.created_at, c.parent_id, c.parent_code, c.thread_id,
       c.campaign_id IS NOT NULL AS in_campaign, coalesce(g.kind IN ('group', 'team', 'council'), false) AS in_small_group,
       CAST(length(coalesce(c.title, '')) + length(coalesce(c.body, '')) AS INTEGER) AS chars,
       {intents_c}, CAST(coalesce(f.tox, 0.0) AS FLOAT) AS tox, CAST(coalesce(f.n_claims, 0) AS INTEGER) AS n_claims, a.newcomer_until AS author_newcomer_until, a.ac AS author_ac
FROM content_at($ts) c
LEFT JOIN (SELECT content_code, {intents}, toxicity AS tox, len(claims) AS n_claims FROM content_features) f ON f.content_code = c.content_code
LEFT JOIN _lad_authors a ON a.member_code = c.author_code
LEFT JOIN groups_at($ts) g ON g.group_id = c.group_id;
CREATE OR REPLACE TEMP VIEW _lad_c AS SELECT rowid AS cc, * FROM _lad_c0;
CREATE OR REPLACE TEMP TABLE _lad_likes0 AS
SELECT am.mc AS actor_mc, i.created_at, c.cc, c.author_mc,
       CASE WHEN i.actor_id IS NULL THEN $anon
            -- a named giver who is no longer a member (left, or never imported): an account that cannot be judged
            -- any more, weighted like a new one, so likes from accounts deleted afterwards do not count in full
            WHEN am.member_id IS NULL THEN $new
            ELSE (CASE WHEN i.created_at < am.newcomer_until THEN $new ELSE 1.0 END)
               * (CASE WHEN am.first_orig_at IS NULL OR am.first_orig_at > i.created_at THEN $lurk ELSE 1.0 END) END AS base_weight,
       coalesce(i.created_at < am.fresh_until, false) AS fresh,
       epoch_us(i.created_at) - epoch_us(c.created_at) < $fast_us AS fast
FROM interactions_at($ts) i
JOIN (SELECT cc, content_code, author_mc, created_at FROM _lad_c WHERE author_mc IS NOT NULL) c
  ON c.content_code = i.target_content_code
LEFT JOIN _lad_members am ON am.member_code = i.actor_code
WHERE (i.kind = 'like' OR (i.kind = 'vote' AND coalesce(i.value, 1) > 0))
  AND (am.mc IS NULL OR am.mc <> c.author_mc)  -- not one's own item (the author is a member, so a self-like has a code)
  AND (i.actor_code IS NULL OR i.actor_code NOT IN (SELECT member_code FROM _lad_staff));
-- Reciprocal fast likes: pairs who each liked the other's items within ring_fast_hours of posting,
-- at least ring_min_mutual times; a member with ring_min_partners such partners is the ring's core.
CREATE OR REPLACE TEMP TABLE _lad_pairs AS
WITH p AS (SELECT actor_mc AS a, author_mc AS b, count(*) AS n FROM _lad_likes0 WHERE actor_mc IS NOT NULL AND fast GROUP BY ALL)
SELECT p.a, p.b, p.n, q.n AS n_back FROM p JOIN p q ON q.a = p.b AND q.b = p.a WHERE p.n >= $mutual AND q.n >= $mutual;
CREATE OR REPLACE TEMP TABLE _lad_ring0 AS
SELECT a AS mc, count(*) AS partners, list(b) AS partner_mcs FROM _lad_pairs GROUP BY a HAVING count(*) >= $partners;
-- Feeders: members who fast-liked ring_min_partners or more core members join the ring.
CREATE OR REPLACE TEMP TABLE _lad_ring AS
WITH f AS (SELECT l.actor_mc AS mc, count(DISTINCT l.author_mc) AS partners, list(DISTINCT l.author_mc) AS partner_mcs
           FROM _lad_likes0 l SEMI JOIN _lad_ring0 r ON r.mc = l.author_mc WHERE l.actor_mc IS NOT NULL AND l.fast GROUP BY 1)
SELECT mc, partners, partner_mcs FROM _lad_ring0
UNION ALL SELECT f.mc, f.partners, f.partner_mcs FROM f WHERE f.partners >= $partners AND f.mc NOT IN (SELECT mc FROM _lad_ring0);
CREATE OR REPLACE TEMP TABLE _lad_ring_likes AS
SELECT l.actor_mc, count(*) AS n FROM _lad_likes0 l SEMI JOIN _lad_ring a ON a.mc = l.actor_mc
SEMI JOIN _lad_ring b ON b.mc = l.author_mc GROUP BY 1;
-- Bursts: burst_min_likes or more likes on one item within any burst_hours (a sliding window, not clock hours)
-- from accounts in their first burst_account_days. n_fwd counts the fresh likes in the window starting at each
-- like; a like is in a burst when some window holding it (one starting at most burst_hours before it) is full.
CREATE OR REPLACE TEMP TABLE _lad_burst_likes AS
WITH f AS (SELECT rowid AS lid, cc, author_mc, epoch_us(created_at) AS t FROM _lad_likes0 WHERE fresh),
w AS (SELECT *, count(*) OVER (PARTITION BY cc ORDER BY t RANGE BETWEEN CURRENT ROW AND {burst_us} FOLLOWING) AS n_fwd FROM f),
m AS (SELECT *, max(n_fwd) OVER (PARTITION BY cc ORDER BY t RANGE BETWEEN {burst_us} PRECEDING AND CURRENT ROW) AS n_best FROM w)
SELECT lid, cc, author_mc FROM m WHERE n_best >= $burst;
CREATE OR REPLACE TEMP TABLE _lad_burst AS
SELECT cc, any_value(author_mc) AS author_mc, count(*) AS n FROM _lad_burst_likes GROUP BY cc;
-- Weighted likes: a view, not a copy of every like (its readers aggregate it at once). Views take no bound
-- parameters, so build_likes writes the three numbers in as float literals.
CREATE OR REPLACE TEMP VIEW _lad_likes AS
SELECT l.*, r.a IS NOT NULL AS in_ring, b.lid IS NOT NULL AS in_burst,
       l.base_weight * (CASE WHEN r.a IS NOT NULL THEN {ring_w} ELSE 1.0 END)
                     * (CASE WHEN b.lid IS NOT NULL THEN {burst_w} ELSE 1.0 END) AS weight
FROM _lad_likes0 l
LEFT JOIN (SELECT r1.mc AS a, r2.mc AS b FROM _lad_ring r1 CROSS JOIN _lad_ring r2) r ON r.a = l.actor_mc AND r.b = l.author_mc
LEFT JOIN _lad_burst_likes b ON b.lid = l.rowid;
CREATE OR REPLACE TABLE ladder_like_flags AS
WITH pid AS (SELECT r.mc, list(m.member_id ORDER BY m.member_id) AS partner_ids
             FROM (SELECT mc, unnest(partner_mcs) AS p FROM _lad_ring) r JOIN _lad_members m ON m.mc = r.p GROUP BY 1)
SELECT m.member_id, 'like_ring' AS flag, r.partners, pid.partner_ids, coalesce(k.n, 0) AS likes,
       CAST(NULL AS VARCHAR) AS content_id, CAST($ts AS TIMESTAMPTZ) AS as_of
FROM _lad_ring r JOIN _lad_members m ON m.mc = r.mc LEFT JOIN pid ON pid.mc = r.mc LEFT JOIN _lad_ring_likes k ON k.actor_mc = r.mc
UNION ALL
SELECT m.member_id, 'like_burst', NULL, NULL, sum(b.n), min(c.content_id), CAST($ts AS TIMESTAMPTZ)
FROM _lad_burst b JOIN _lad_c c ON c.cc = b.cc JOIN _lad_members m ON m.mc = b.author_mc GROUP BY m.member_id;
""".replace("{intents}", ", ".join(f"coalesce(list_contains(intents, '{i}'), false) AS i_{i}" for i in _INTENTS)).replace(
    "{intents_c}", ", ".join(f"coalesce(f.i_{i}, false) AS i_{i}" for i in _INTENTS)).replace(
    "{kind_enum}", content_kind_enum_sql("c.kind"))

# Only the rows of keys seen twice (_lad_multi, from build_items) are unnested for the first item and the join back.
_DUPS = """
CREATE OR REPLACE TEMP TABLE _lad_dups AS
WITH few AS (SELECT b.* FROM (SELECT cc, content_id, created_at, unnest(keys) AS key FROM _lad_bands) b
             SEMI JOIN _lad_multi m ON m.key = b.key),
firsts AS (SELECT key, arg_min(content_id, created_at) AS first_id FROM few GROUP BY key)
SELECT DISTINCT b.cc FROM few b JOIN firsts f USING (key) WHERE f.first_id <> b.content_id;
DROP TABLE _lad_bands;
"""

_BANDS = """
CREATE OR REPLACE TEMP TABLE _lad_liked AS
SELECT cc, sum(weight) AS wlikes, count(*) AS likes FROM _lad_likes GROUP BY 1;
-- Near-duplicates: an original candidate sharing a MinHash band (8 bands x 4 rows, hashed without slicing lists) with
-- an earlier item. The candidates keep their 8 band keys in a list (one row per item, not per band). Nearly every key
-- is unique: the keys seen twice are found by build_items in numpy (a sort of 26M keys takes about a second, where
-- DuckDB's GROUP BY over them, 25M groups, took 21 s of CPU at 50M events) and registered as _lad_multi.
CREATE OR REPLACE TEMP TABLE _lad_bands AS
SELECT c.cc, c.content_id, c.created_at, [{bands}] AS keys FROM _lad_c c JOIN content_features f ON f.content_code = c.content_code
WHERE c.author_mc IS NOT NULL AND c.kind IN ('thread', 'photo', 'video', 'guide') AND len(f.minhash) >= 32 AND c.chars >= $orig_chars;
""".replace("{bands}", ", ".join(f"hash({b}, {', '.join(f'f.minhash[{b * 4 + j}]' for j in range(1, 5))})" for b in range(8)))

_ITEMS = """
-- Uses only matter for long guides (the 'guide' rule). A use is a distinct other member who liked, voted, bookmarked,
-- linked, quoted, shared or replied; use_times (first uses, in order) tell when the guide_min_uses-th user came.
CREATE OR REPLACE TEMP TABLE _lad_used AS
WITH g AS (SELECT c.cc, c.content_code, m.member_code AS author_code FROM _lad_c c JOIN _lad_members m ON m.mc = c.author_mc
           WHERE c.kind = 'guide' AND c.chars >= $guide_chars),
u AS (SELECT i.target_content_code AS content_code, i.actor_code AS who, i.created_at AS used_at FROM interactions_at($ts) i
      SEMI JOIN g ON g.content_code = i.target_content_code
      WHERE i.kind IN ('like', 'vote', 'bookmark', 'link', 'quote', 'share') AND coalesce(i.value, 1) > 0
      UNION ALL SELECT i.parent_code, m.member_code, i.created_at FROM _lad_c i SEMI JOIN g ON g.content_code = i.parent_code
      JOIN _lad_members m ON m.mc = i.author_mc),
firsts AS (SELECT u.content_code, u.who, min(u.used_at) AS used_at FROM u JOIN g USING (content_code) WHERE u.who <> g.author_code GROUP BY ALL)
SELECT g.cc, count(*) AS uses, list(f.used_at ORDER BY f.used_at) AS use_times FROM firsts f JOIN g USING (content_code) GROUP BY 1;
-- One narrow row per member item with its parent (if any), on narrow rows (a join carrying every item column was the
-- costliest step); _lad_items joins it to _lad_c on cc, this table (never larger) the hash table's side.
CREATE OR REPLACE TEMP TABLE _lad_parent AS
SELECT c.cc, coalesce(p.has_author, false) AS has_parent_author, p.author_mc AS parent_mc, p.created_at AS parent_at,
       p.author_newcomer_until AS parent_newcomer_until, p.author_ac AS parent_ac,
       -- Help: an answer, or a substantial forum reply to a question thread, by someone other than the asker. A comment
       -- is never help (on a Q&A site it asks for details below the question; ladder version 11, as the help ledger).
       -- (The author is a member, so "not the asker" compares member codes: NULL for a staff asker counts as different.)
       coalesce(p.has_author, false) AND p.author_mc IS DISTINCT FROM c.author_mc AND p.kind = 'thread'
         AND (c.kind = 'answer' OR (c.kind = 'reply' AND p.i_question AND (c.i_answer OR c.chars >= $short)))
         AS is_help
FROM (SELECT cc, parent_code, author_mc, kind, i_answer, chars FROM _lad_c WHERE author_mc IS NOT NULL) c
LEFT JOIN (SELECT content_code, has_author, author_mc, kind, created_at, i_question, author_newcomer_until, author_ac FROM _lad_c) p
  ON p.content_code = c.parent_code;
-- Thanked: the asker thanked under the answer or in the same thread afterwards. Two equi-joins on the few
-- thanks items (an OR join on author alone paired every item of prolific askers: 17 s at 20M events). Askers are
-- matched on the author code, so the thanks of one who has left since still count.
CREATE OR REPLACE TEMP TABLE _lad_helps AS
SELECT c.cc, c.content_code, c.author_mc, c.parent_code, c.thread_id, c.created_at, p.parent_ac
FROM _lad_parent p JOIN _lad_c c ON c.cc = p.cc WHERE p.is_help;
CREATE OR REPLACE TEMP TABLE _lad_thanked AS
WITH h AS (SELECT cc, content_code, parent_ac, parent_code, thread_id, created_at FROM _lad_helps),
t AS (SELECT author_ac, parent_code, thread_id, created_at FROM _lad_c WHERE author_ac IS NOT NULL AND i_thanks AND parent_code IS NOT NULL)
SELECT a.cc FROM h a JOIN t ON t.parent_code = a.content_code AND t.author_ac = a.parent_ac AND t.created_at > a.created_at
UNION SELECT a.cc FROM h a JOIN t ON t.parent_code = a.parent_code AND t.thread_id = a.thread_id
  AND t.author_ac = a.parent_ac AND t.created_at > a.created_at;
CREATE OR REPLACE TEMP TABLE _lad_accepted AS
SELECT DISTINCT target_content_code AS content_code FROM interactions_at($ts) WHERE kind = 'accept' AND target_content_code IS NOT NULL;
-- Help is counted per question, not per reply: of a helper's replies under one question, one counts, the accepted
-- one if any, else a recognised one, else the first. Recognition keeps its own date, so an answer accepted inside
-- the window counts there even when the helper's first reply to that question was older. Ranked on the help items
-- alone (a window over a CTE of every item, which _lad_items also read, made DuckDB materialise that CTE: 15M wide
-- rows at 50M events, the costliest statement of the ladder).
CREATE OR REPLACE TEMP TABLE _lad_help_pick AS
WITH h AS (SELECT h.cc, h.author_mc, h.parent_code, h.created_at, acc.content_code IS NOT NULL AS accepted,
                  thx.cc IS NOT NULL AS thanked, coalesce(lk.wlikes, 0.0) AS wlikes
           FROM _lad_helps h LEFT JOIN _lad_liked lk ON lk.cc = h.cc LEFT JOIN _lad_thanked thx ON thx.cc = h.cc
           LEFT JOIN _lad_accepted acc ON acc.content_code = h.content_code)
SELECT cc, row_number() OVER (PARTITION BY author_mc, parent_code ORDER BY accepted DESC,
             (accepted OR thanked OR wlikes >= $help_likes) DESC, created_at, cc) = 1 AS counts_help
FROM h;
CREATE OR REPLACE TEMP TABLE _lad_items AS
WITH x AS (
  SELECT c.*, p.has_parent_author, p.parent_mc, p.parent_at, p.parent_newcomer_until, p.is_help,
         coalesce(lk.wlikes, 0.0) AS wlikes,
         coalesce(u.uses, 0) AS uses, d.cc IS NOT NULL AS is_dup, acc.content_code IS NOT NULL AS accepted,
         thx.cc IS NOT NULL AS thanked, (c.i_personal_attack OR c.tox >= $attack) AS hostile,
         c.kind IN ('thread', 'photo', 'video', 'guide')
           AND NOT (c.kind = 'thread' AND c.i_question AND NOT c.i_experience) AS is_orig,
         coalesce(q.counts_help, false) AS counts_help
  FROM _lad_parent p JOIN _lad_c c ON c.cc = p.cc
  LEFT JOIN _lad_liked lk ON lk.cc = c.cc
  LEFT JOIN _lad_used u ON u.cc = c.cc
  LEFT JOIN _lad_dups d ON d.cc = c.cc
  LEFT JOIN _lad_thanked thx ON thx.cc = c.cc
  LEFT JOIN _lad_accepted acc ON acc.content_code = c.content_code
  LEFT JOIN _lad_help_pick q ON q.cc = c.cc)
SELECT x.cc, x.content_id, x.kind, x.author_mc, x.created_at, x.wlikes,  -- kind: _lad_c0's 1-byte ENUM, no VARCHAR
       x.kind = 'poll_vote' OR (x.kind IN ('reply', 'comment') AND x.chars < $short) AS is_light,
       x.is_orig, x.is_orig AND (x.kind IN ('photo', 'video') OR x.chars >= $orig_chars) AND NOT x.is_dup
         AND x.tox < $toxic AS is_orig_ok,
       x.is_help, x.is_help AND x.parent_at < x.parent_newcomer_until AS is_newcomer_help,
       x.counts_help,
       x.accepted, x.thanked, x.is_help AND (x.accepted OR x.thanked OR x.wlikes >= $help_likes) AS help_recognised,
       x.i_praise AND x.has_parent_author AND x.parent_mc IS DISTINCT FROM x.author_mc AS is_praise,
       x.i_disagreement AND NOT x.hostile AS is_civil_disagree,
       x.in_small_group AS is_small_group,
       x.hostile,
       CASE WHEN x.in_campaign OR x.content_id IN (SELECT content_id FROM operator_actions_at($ts)
                 WHERE kind = 'assign_task' AND content_id IS NOT NULL) THEN NULL
            WHEN x.kind = 'event' THEN 'meetup'
            WHEN x.kind = 'guide' AND x.chars >= $guide_chars AND x.uses >= $guide_uses THEN 'guide'
            WHEN x.has_parent_author AND x.i_clarification AND x.n_claims > 0 AND NOT x.hostile THEN 'clarification'
            WHEN x.has_parent_author AND x.i_disagreement AND x.n_claims > 0 AND NOT x.hostile THEN 'defence'
       END AS proactive
FROM x;
-- What the welcomes and alerts read of originals and help once _lad_c (1.7 GB at a million members) is dropped.
CREATE OR REPLACE TEMP TABLE _lad_cx AS
SELECT i.cc, c.parent_id, c.parent_code, c.tox, c.n_claims FROM _lad_items i JOIN _lad_c c ON c.cc = i.cc WHERE i.is_orig_ok OR i.is_help;
"""


def _run(store, script: str, params: dict) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)}
            store.execute(statement, used)


def build_likes(store, as_of, p: LadderParams, *, write_flags: bool = True) -> int:
    """Weighted likes into ``_lad_likes``; flagged rings and bursts into ``ladder_like_flags``."""
    assert STAFF_TYPES == ("staff", "brand", "bot")  # the SQL above spells them out
    if not store.read_only:
        fill_codes(store.con)  # rows other tools wrote get their codes first (a read-only caller: require_codes)
    script = _LIKES if write_flags else _LIKES.replace("CREATE OR REPLACE TABLE ladder_like_flags", "CREATE OR REPLACE TEMP TABLE _lad_flags")
    script = (script.replace("{ring_w}", repr(float(p.ring_weight))).replace("{burst_w}", repr(float(p.burst_weight)))
              .replace("{burst_us}", str(int(p.burst_hours * 3_600_000_000) - 1)))
    _run(store, script, {"ts": as_of, "anon": p.anonymous_like_weight, "newcomer": p.newcomer_days,
                         "new": p.new_account_like_weight, "lurk": p.lurker_like_weight, "fresh": p.burst_account_days,
                         "mutual": p.ring_min_mutual, "fast": p.ring_fast_hours, "partners": p.ring_min_partners,
                         "burst": p.burst_min_likes, "fast_us": p.ring_fast_hours * 3_600_000_000})
    return int(store.fetch_value("SELECT count(*) FROM _lad_ring"))


def drop_temp_tables(store, keep: tuple[str, ...] = ()) -> None:
    """Drop the ladder's temp tables and views (except ``keep``): they hold memory for the rest of the session."""
    rows = store.fetch_all("SELECT table_name, table_type FROM information_schema.tables "
                           "WHERE table_schema = 'main' AND table_catalog = 'temp' AND table_name LIKE '\\_lad\\_%' ESCAPE '\\'")
    for name, kind in sorted(rows, key=lambda r: r[1] != "VIEW"):  # views first: they depend on the tables
        if name not in keep:
            store.execute(f'DROP {"VIEW" if kind == "VIEW" else "TABLE"} IF EXISTS temp.main."{name}"')


def build_items(store, as_of, p: LadderParams) -> int:
    """Member-authored items with the ladder's reading of each into ``_lad_items``."""
    params = {"ts": as_of, "orig_chars": p.original_min_chars, "attack": p.attack_toxicity,
              "short": p.short_reply_chars, "toxic": p.toxic_threshold, "newcomer": p.newcomer_days,
              "help_likes": p.helped_min_likes, "guide_chars": p.guide_min_chars, "guide_uses": p.guide_min_uses}
    _run(store, _BANDS, params)
    with store.registered("_lad_multi", _keys_seen_twice(store)):
        _run(store, _DUPS, params)
    _run(store, _ITEMS, params)
    return int(store.fetch_value("SELECT count(*) FROM _lad_items"))


def _keys_seen_twice(store):
    """The band keys of ``_lad_bands`` held by two items or more, as an Arrow table with one ``key`` column."""
    import numpy as np
    import pyarrow as pa

    keys = np.sort(store.fetch_arrow("SELECT unnest(keys) AS key FROM _lad_bands").column("key").to_numpy())
    return pa.table({"key": pa.array(np.unique(keys[1:][keys[1:] == keys[:-1]]), type=pa.uint64())})
