"""What each act is worth to the ladder: weighted likes (with ring and burst discounts) and item facts.

:func:`build_likes` writes the temp table ``_lad_likes`` (one row per like or up-vote on a member's
item, with its ``weight``) and the result table ``ladder_like_flags``; :func:`build_items` writes
``_lad_items``: one row per member-authored item with the ladder's reading of it (original work of
adequate quality, an answer to a newcomer and whether it was recognised, praise, civil
disagreement, a proactive act ...). Everything reads through the ``*_at($ts)`` macros.

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

__all__ = ["build_likes", "build_items"]

_LIKES = """
CREATE OR REPLACE TEMP TABLE _lad_members AS
SELECT member_id, joined_at, name FROM members_at($ts) WHERE coalesce(account_type, 'member') NOT IN ('staff', 'brand', 'bot');
CREATE OR REPLACE TEMP TABLE _lad_staff AS
SELECT member_id FROM members_at($ts) WHERE account_type IN ('staff', 'brand', 'bot');
CREATE OR REPLACE TEMP TABLE _lad_first_orig AS
SELECT author_id AS member_id, min(created_at) AS first_at FROM content_at($ts)
WHERE kind IN ('thread', 'photo', 'video', 'guide', 'event', 'answer') GROUP BY 1;
CREATE OR REPLACE TEMP TABLE _lad_likes0 AS
SELECT i.interaction_id, i.actor_id, i.created_at, c.content_id, c.author_id,
       CASE WHEN i.actor_id IS NULL OR am.member_id IS NULL THEN $anon
            ELSE (CASE WHEN i.created_at < am.joined_at + to_days(CAST($newcomer AS INTEGER)) THEN $new ELSE 1.0 END)
               * (CASE WHEN fo.first_at IS NULL OR fo.first_at > i.created_at THEN $lurk ELSE 1.0 END) END AS base_weight,
       am.joined_at IS NOT NULL AND i.created_at < am.joined_at + to_days(CAST($fresh AS INTEGER)) AS fresh
FROM interactions_at($ts) i
JOIN content_at($ts) c ON c.content_id = i.target_content_id
JOIN _lad_members au ON au.member_id = c.author_id
LEFT JOIN _lad_members am ON am.member_id = i.actor_id
LEFT JOIN _lad_first_orig fo ON fo.member_id = i.actor_id
WHERE (i.kind = 'like' OR (i.kind = 'vote' AND coalesce(i.value, 1) > 0))
  AND (i.actor_id IS NULL OR i.actor_id <> coalesce(c.author_id, ''))
  AND (i.actor_id IS NULL OR i.actor_id NOT IN (SELECT member_id FROM _lad_staff));
-- Reciprocal fast likes: pairs who each liked the other's items within ring_fast_hours of posting,
-- at least ring_min_mutual times; a member with ring_min_partners such partners is the ring's core.
CREATE OR REPLACE TEMP TABLE _lad_pairs AS
WITH p AS (SELECT l.actor_id AS a, l.author_id AS b, count(*) AS n FROM _lad_likes0 l JOIN content_at($ts) c USING (content_id)
           WHERE l.actor_id IS NOT NULL AND l.created_at < c.created_at + to_hours(CAST($fast AS INTEGER)) GROUP BY ALL)
SELECT p.a, p.b, p.n, q.n AS n_back FROM p JOIN p q ON q.a = p.b AND q.b = p.a WHERE p.n >= $mutual AND q.n >= $mutual;
CREATE OR REPLACE TEMP TABLE _lad_ring0 AS
SELECT a AS member_id, count(*) AS partners, list(b ORDER BY b) AS partner_ids FROM _lad_pairs GROUP BY a HAVING count(*) >= $partners;
-- Feeders: members who fast-liked ring_min_partners or more core members join the ring.
CREATE OR REPLACE TEMP TABLE _lad_ring AS
WITH f AS (SELECT l.actor_id AS member_id, count(DISTINCT l.author_id) AS partners, list(DISTINCT l.author_id ORDER BY l.author_id) AS partner_ids
           FROM _lad_likes0 l JOIN content_at($ts) c USING (content_id) JOIN _lad_ring0 r ON r.member_id = l.author_id
           WHERE l.actor_id IS NOT NULL AND l.created_at < c.created_at + to_hours(CAST($fast AS INTEGER)) GROUP BY 1)
SELECT r.member_id, r.partners, r.partner_ids FROM _lad_ring0 r
UNION ALL SELECT f.member_id, f.partners, f.partner_ids FROM f WHERE f.partners >= $partners AND f.member_id NOT IN (SELECT member_id FROM _lad_ring0);
CREATE OR REPLACE TEMP TABLE _lad_ring_likes AS
SELECT l.actor_id, count(*) AS n FROM _lad_likes0 l SEMI JOIN _lad_ring a ON a.member_id = l.actor_id
SEMI JOIN _lad_ring b ON b.member_id = l.author_id GROUP BY 1;
-- Bursts: many likes on one item within burst_hours from accounts in their first burst_account_days.
CREATE OR REPLACE TEMP TABLE _lad_burst AS
SELECT content_id, any_value(author_id) AS author_id, floor(epoch(created_at) / (3600.0 * $hours)) AS slot, count(*) AS n
FROM _lad_likes0 WHERE fresh GROUP BY content_id, slot HAVING count(*) >= $burst;
CREATE OR REPLACE TEMP TABLE _lad_likes AS
SELECT l.*, r.a IS NOT NULL AS in_ring, b.content_id IS NOT NULL AS in_burst,
       l.base_weight * (CASE WHEN r.a IS NOT NULL THEN $ring_w ELSE 1.0 END)
                     * (CASE WHEN b.content_id IS NOT NULL THEN $burst_w ELSE 1.0 END) AS weight
FROM _lad_likes0 l
LEFT JOIN (SELECT r1.member_id AS a, r2.member_id AS b FROM _lad_ring r1 CROSS JOIN _lad_ring r2) r
       ON r.a = l.actor_id AND r.b = l.author_id
LEFT JOIN _lad_burst b ON b.content_id = l.content_id AND l.fresh AND b.slot = floor(epoch(l.created_at) / (3600.0 * $hours));
CREATE OR REPLACE TABLE ladder_like_flags AS
SELECT r.member_id, 'like_ring' AS flag, r.partners, r.partner_ids, coalesce(k.n, 0) AS likes,
       CAST(NULL AS VARCHAR) AS content_id, CAST($ts AS TIMESTAMPTZ) AS as_of
FROM _lad_ring r LEFT JOIN _lad_ring_likes k ON k.actor_id = r.member_id
UNION ALL
SELECT author_id, 'like_burst', NULL, NULL, sum(n), min(content_id), CAST($ts AS TIMESTAMPTZ)
FROM _lad_burst GROUP BY author_id;
"""

_ITEMS = """
CREATE OR REPLACE TEMP TABLE _lad_liked AS
SELECT content_id, sum(weight) AS wlikes, count(*) AS likes FROM _lad_likes GROUP BY 1;
CREATE OR REPLACE TEMP TABLE _lad_items0 AS
SELECT c.content_id, c.kind, c.author_id, c.created_at, c.parent_id, c.thread_id, c.campaign_id, c.group_id,
       length(coalesce(c.title, '')) + length(coalesce(c.body, '')) AS chars,
       coalesce(f.intents, []::VARCHAR[]) AS intents, coalesce(f.toxicity, 0.0) AS tox,
       coalesce(len(f.claims), 0) AS n_claims,
       p.author_id AS parent_author, p.kind AS parent_kind, p.created_at AS parent_at, pm.joined_at AS parent_joined,
       coalesce(pf.intents, []::VARCHAR[]) AS parent_intents, g.kind AS group_kind,
       coalesce(lk.wlikes, 0.0) AS wlikes, coalesce(lk.likes, 0) AS likes
FROM content_at($ts) c
JOIN _lad_members m ON m.member_id = c.author_id
LEFT JOIN content_features f ON f.content_id = c.content_id
LEFT JOIN content_at($ts) p ON p.content_id = c.parent_id
LEFT JOIN _lad_members pm ON pm.member_id = p.author_id
LEFT JOIN content_features pf ON pf.content_id = p.content_id
LEFT JOIN groups_at($ts) g ON g.group_id = c.group_id
LEFT JOIN _lad_liked lk ON lk.content_id = c.content_id;
-- Near-duplicates: an original candidate sharing a MinHash band (8 bands x 4 rows) with an earlier item.
-- Texts and signatures stay out of _lad_items0 (they were most of its bytes); only candidates read them.
CREATE OR REPLACE TEMP TABLE _lad_dups AS
WITH cand AS (
  SELECT i.content_id, i.created_at, f.minhash FROM _lad_items0 i JOIN content_features f USING (content_id)
  WHERE i.kind IN ('thread', 'photo', 'video', 'guide') AND len(f.minhash) >= 32 AND i.chars >= $orig_chars),
bands AS (SELECT content_id, created_at, hash(b, minhash[b * 4 + 1:b * 4 + 4]) AS key FROM cand CROSS JOIN range(8) t(b)),
firsts AS (SELECT key, arg_min(content_id, created_at) AS first_id FROM bands GROUP BY key)
SELECT DISTINCT b.content_id FROM bands b JOIN firsts f USING (key) WHERE f.first_id <> b.content_id;
-- Uses only matter for long guides (the proactive 'guide' rule): count them for those alone.
CREATE OR REPLACE TEMP TABLE _lad_used AS
WITH g AS (SELECT content_id, author_id FROM _lad_items0 WHERE kind = 'guide' AND chars >= $guide_chars)
SELECT content_id, count(DISTINCT who) AS uses FROM (
  SELECT i.target_content_id AS content_id, i.actor_id AS who FROM interactions_at($ts) i SEMI JOIN g ON g.content_id = i.target_content_id
  WHERE i.kind IN ('like', 'vote', 'bookmark', 'link', 'quote', 'share') AND coalesce(i.value, 1) > 0
  UNION ALL SELECT parent_id, author_id FROM _lad_items0 i SEMI JOIN g ON g.content_id = i.parent_id
) u JOIN g USING (content_id) WHERE u.who IS NULL OR u.who <> g.author_id GROUP BY 1;
CREATE OR REPLACE TEMP TABLE _lad_items AS
WITH x AS (
  SELECT c.*, coalesce(u.uses, 0) AS uses, d.content_id IS NOT NULL AS is_dup,
         (list_contains(c.intents, 'personal_attack') OR c.tox >= $attack) AS hostile,
         c.parent_author IS NOT NULL AND c.parent_author <> c.author_id AND c.parent_kind = 'thread'
           AND (c.kind = 'answer' OR (c.kind IN ('reply', 'comment') AND list_contains(c.parent_intents, 'question')
                AND (list_contains(c.intents, 'answer') OR c.chars >= $short))) AS is_help,
         c.kind IN ('thread', 'photo', 'video', 'guide')
           AND NOT (c.kind = 'thread' AND list_contains(c.intents, 'question') AND NOT list_contains(c.intents, 'experience')) AS is_orig
  FROM _lad_items0 c LEFT JOIN _lad_used u USING (content_id) LEFT JOIN _lad_dups d USING (content_id)),
acc AS (SELECT DISTINCT target_content_id AS content_id FROM interactions_at($ts) WHERE kind = 'accept'),
-- Thanked: the asker thanked under the answer or in the same thread afterwards. Two equi-joins on the few
-- thanks items (an OR join on author alone paired every item of prolific askers: 17 s at 20M events).
h AS (SELECT content_id, parent_author, parent_id, thread_id, created_at FROM x WHERE is_help),
t AS (SELECT author_id, parent_id, thread_id, created_at FROM x WHERE list_contains(intents, 'thanks') AND parent_id IS NOT NULL),
thx AS (SELECT a.content_id FROM h a JOIN t ON t.parent_id = a.content_id AND t.author_id = a.parent_author AND t.created_at > a.created_at
        UNION SELECT a.content_id FROM h a JOIN t ON t.parent_id = a.parent_id AND t.thread_id = a.thread_id
        AND t.author_id = a.parent_author AND t.created_at > a.created_at)
SELECT x.content_id, x.kind, x.parent_author, x.intents, x.author_id, x.created_at, x.campaign_id, x.chars, x.wlikes, x.likes, x.uses,
       x.kind = 'poll_vote' OR (x.kind IN ('reply', 'comment') AND x.chars < $short) AS is_light,
       x.is_orig, x.is_orig AND (x.kind IN ('photo', 'video') OR x.chars >= $orig_chars) AND NOT x.is_dup
         AND x.tox < $toxic AS is_orig_ok,
       x.is_help, x.is_help AND x.parent_at < x.parent_joined + to_days(CAST($newcomer AS INTEGER)) AS is_newcomer_help,
       acc.content_id IS NOT NULL AS accepted, thx.content_id IS NOT NULL AS thanked,
       x.is_help AND (acc.content_id IS NOT NULL OR thx.content_id IS NOT NULL OR x.wlikes >= $help_likes) AS help_recognised,
       list_contains(x.intents, 'praise') AND x.parent_author IS NOT NULL AND x.parent_author <> x.author_id AS is_praise,
       list_contains(x.intents, 'disagreement') AND NOT x.hostile AS is_civil_disagree,
       x.group_kind IN ('group', 'team', 'council') AS is_small_group,
       x.hostile,
       CASE WHEN x.campaign_id IS NOT NULL OR x.content_id IN (SELECT content_id FROM operator_actions_at($ts)
                 WHERE kind = 'assign_task' AND content_id IS NOT NULL) THEN NULL
            WHEN x.kind = 'event' THEN 'meetup'
            WHEN x.kind = 'guide' AND x.chars >= $guide_chars AND x.uses >= $guide_uses THEN 'guide'
            WHEN x.parent_author IS NOT NULL AND list_contains(x.intents, 'clarification') AND x.n_claims > 0 AND NOT x.hostile THEN 'clarification'
            WHEN x.parent_author IS NOT NULL AND list_contains(x.intents, 'disagreement') AND x.n_claims > 0 AND NOT x.hostile THEN 'defence'
       END AS proactive
FROM x LEFT JOIN acc USING (content_id) LEFT JOIN thx USING (content_id);
"""


def _run(store, script: str, params: dict) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)}
            store.execute(statement, used)


def build_likes(store, as_of, p: LadderParams, *, write_flags: bool = True) -> int:
    """Weighted likes into ``_lad_likes``; flagged rings and bursts into ``ladder_like_flags``."""
    assert STAFF_TYPES == ("staff", "brand", "bot")  # the SQL above spells them out
    script = _LIKES if write_flags else _LIKES.replace("CREATE OR REPLACE TABLE ladder_like_flags", "CREATE OR REPLACE TEMP TABLE _lad_flags")
    _run(store, script, {"ts": as_of, "anon": p.anonymous_like_weight, "newcomer": p.newcomer_days,
                         "new": p.new_account_like_weight, "lurk": p.lurker_like_weight, "fresh": p.burst_account_days,
                         "mutual": p.ring_min_mutual, "fast": p.ring_fast_hours, "partners": p.ring_min_partners, "hours": p.burst_hours,
                         "burst": p.burst_min_likes, "ring_w": p.ring_weight, "burst_w": p.burst_weight})
    return int(store.fetch_value("SELECT count(*) FROM _lad_ring"))


def build_items(store, as_of, p: LadderParams) -> int:
    """Member-authored items with the ladder's reading of each into ``_lad_items``."""
    _run(store, _ITEMS, {"ts": as_of, "orig_chars": p.original_min_chars, "attack": p.attack_toxicity,
                         "short": p.short_reply_chars, "toxic": p.toxic_threshold, "newcomer": p.newcomer_days,
                         "help_likes": p.helped_min_likes, "guide_chars": p.guide_min_chars, "guide_uses": p.guide_min_uses})
    return int(store.fetch_value("SELECT count(*) FROM _lad_items"))
