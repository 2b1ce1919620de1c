"""Recognise-now alerts: what changed in the last ``alert_hours`` that the seed says to answer at once.

``ladder_alerts`` holds the alerts of the last ``alert_backlog_days`` (the backlog a weekly operator works through);
``is_new`` marks those of the last ``alert_hours``, which are exactly what a run raised before the backlog. Below,
"the last hours" is either window: every rule is applied with both starts.

Kinds, most urgent first:

* ``leader_crossing``: the member is at stage 4 now and was below 4 at ``as_of - alert_hours``, the
  stage then computed the same way (the hysteresis replay over checkpoints counted back from that
  time, with each act read as it was then). The alert names the acts that made the crossing: the
  proactive acts that *became* proactive in the last hours, a guide when its ``guide_min_uses``-th
  user arrived (days after it was posted), a meetup, clarification or defence when posted.
* ``first_proactive``: a member with no proactive act at all before the last hours now has one (so
  never a member who was already a leader; a crossing member gets the crossing alert instead).
* ``first_original`` (stage-2 welcome) and ``first_newcomer_answer`` (stage-3 welcome): the member's
  first original post of adequate quality, first answer to a newcomer, posted in the last hours, and only
  when that first post is fit to praise (:mod:`reef.ladder.welcome`: never a complaint, an attack, a toxic post
  or a rumour); an unfit first is not welcomed and no later post is welcomed in its place.
  Both are fixed when the item is posted (an asker who has left since still made the earlier answer
  one to a newcomer), so daily runs raise each once, never twice.

The previous stage is replayed only for members at stage 4 now (the only ones who can have crossed),
on their own rows: a few thousand at a million members, not a second ladder run.

Example:
    >>> ALERT_KINDS[0]
    'leader_crossing'
"""
from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import polars as pl

from reef.ladder.params import LadderParams

__all__ = ["build_alerts", "stages_before", "ALERT_KINDS"]

ALERT_KINDS = ("leader_crossing", "first_proactive", "first_original", "first_newcomer_answer")

# Proactive items that became proactive in [since, ts): guides when their guide_min_uses-th user arrived (items.py's
# _lad_used keeps each user's first use in order), every other kind when posted.
_NEWLY = """
CREATE OR REPLACE TEMP TABLE _lad_guide_uses AS
SELECT i.content_id, CAST(u.uses AS INTEGER) AS uses,
       CAST(len(list_filter(u.use_times, lambda t: t < $since)) AS INTEGER) AS uses_before,
       CAST(len(list_filter(u.use_times, lambda t: t < $since_new)) AS INTEGER) AS uses_before_new, u.use_times[$n] AS reached_at
FROM _lad_items i JOIN _lad_used u USING (cc) WHERE i.proactive = 'guide';
CREATE OR REPLACE TEMP TABLE _lad_newly AS
SELECT i.content_id, i.author_mc, i.proactive, i.created_at,
       CASE WHEN i.proactive = 'guide' THEN g.reached_at ELSE i.created_at END AS became_at, g.uses,
       CASE WHEN i.proactive = 'guide' THEN coalesce(g.uses_before_new, 0) < $n ELSE i.created_at >= $since_new END AS recent
FROM _lad_items i LEFT JOIN _lad_guide_uses g USING (content_id)
WHERE i.proactive IS NOT NULL
  AND CASE WHEN i.proactive = 'guide' THEN coalesce(g.uses_before, 0) < $n ELSE i.created_at >= $since END
"""

# Stage-4 members' own rows as they were at since, renumbered 1..n: the inputs build_windows reads.
_BEFORE = """
CREATE OR REPLACE TEMP TABLE _lad_cand AS
SELECT CAST(row_number() OVER (ORDER BY m.mc) AS INTEGER) AS new_mc, m.* FROM _lad_members m
SEMI JOIN (SELECT member_id FROM ladder_members WHERE stage = 4) l ON l.member_id = m.member_id;
CREATE OR REPLACE TEMP TABLE _lad_items_before AS
SELECT i.* REPLACE (c.new_mc AS author_mc, CASE WHEN n.content_id IS NULL THEN i.proactive END AS proactive)
FROM _lad_items i JOIN _lad_cand c ON c.mc = i.author_mc LEFT JOIN _lad_newly n ON n.content_id = i.content_id
WHERE i.created_at < $since;
CREATE OR REPLACE TEMP TABLE _lad_likes_before AS
SELECT c.new_mc AS author_mc, l.created_at, l.weight FROM _lad_likes l JOIN _lad_cand c ON c.mc = l.author_mc
WHERE l.created_at < $since;
ALTER VIEW _lad_likes RENAME TO _lad_likes_now;
ALTER TABLE _lad_items RENAME TO _lad_items_now;
ALTER TABLE _lad_members RENAME TO _lad_members_now;
CREATE TEMP TABLE _lad_members AS SELECT * EXCLUDE (mc, new_mc), new_mc AS mc FROM _lad_cand;
ALTER TABLE _lad_items_before RENAME TO _lad_items;
ALTER TABLE _lad_likes_before RENAME TO _lad_likes
"""

_ALERTS = """
CREATE OR REPLACE TABLE ladder_alerts AS
WITH crossed AS (  -- at 4 now, below 4 at since (the backlog) or at since_new (new: the alert of the last alert_hours)
  SELECT l.member_id, coalesce(n.stage, 0) < 4 AS fresh,
         CASE WHEN coalesce(n.stage, 0) < 4 THEN coalesce(n.stage, 0) ELSE coalesce(b.stage, 0) END AS stage_before
  FROM ladder_members l LEFT JOIN _lad_before b USING (member_id) LEFT JOIN _lad_before_new n USING (member_id)
  WHERE l.stage = 4 AND (coalesce(b.stage, 0) < 4 OR coalesce(n.stage, 0) < 4)),
pro_before AS (  -- members with a proactive act as it was read at since
  SELECT DISTINCT i.author_mc FROM _lad_items i WHERE i.proactive IS NOT NULL AND i.created_at < $since
    AND i.content_id NOT IN (SELECT content_id FROM _lad_newly)),
pro_before_new AS (  -- ... and at since_new
  SELECT DISTINCT i.author_mc FROM _lad_items i WHERE i.proactive IS NOT NULL AND i.created_at < $since_new
    AND i.content_id NOT IN (SELECT content_id FROM _lad_newly WHERE recent)),
newly AS (SELECT n.*, m.member_id FROM _lad_newly n JOIN _lad_members m ON m.mc = n.author_mc),
cross_acts AS (  -- a new crossing names the acts of the last alert_hours, a backlog one those of the backlog
  SELECT n.* FROM newly n JOIN crossed x USING (member_id) WHERE n.recent OR NOT x.fresh),
latest AS (  -- a crossing without a new act (e.g. hostility left the window): the latest proactive act in the window
  SELECT i.content_id, i.author_mc, i.proactive, i.created_at, i.created_at AS became_at, g.uses, m.member_id
  FROM _lad_items i JOIN _lad_members m ON m.mc = i.author_mc LEFT JOIN _lad_guide_uses g USING (content_id)
  WHERE i.proactive IS NOT NULL AND i.created_at >= $window_start AND m.member_id IN (SELECT member_id FROM crossed)
    AND m.member_id NOT IN (SELECT member_id FROM cross_acts)
  QUALIFY row_number() OVER (PARTITION BY i.author_mc ORDER BY i.created_at DESC, i.content_id) = 1),
firsts AS (  -- the first of all items, fit or not: an unfit first is not welcomed (cand), and no later post is
  -- welcomed in its place (a long-time member whose earlier originals were complaints is no newcomer to welcome)
  SELECT author_mc, min(created_at) FILTER (WHERE is_orig_ok) AS first_orig, min(created_at) FILTER (WHERE is_newcomer_help) AS first_nc
  FROM _lad_items GROUP BY 1),
first_pro AS (  -- the first proactive act of a member with none before since (the acts of its first alert_hours)
  SELECT member_id, min(became_at) AS first_at FROM newly WHERE author_mc NOT IN (SELECT author_mc FROM pro_before) GROUP BY 1),
cand AS (
  SELECT a.content_id, a.member_id, a.proactive, a.created_at, a.became_at, a.uses, 0 AS urgency, 'leader_crossing' AS alert,
         CAST(x.stage_before AS TINYINT) AS stage_before, a.member_id IN (SELECT member_id FROM cross_acts) AS fresh_act,
         x.fresh AS is_new
  FROM (SELECT * FROM cross_acts UNION ALL BY NAME SELECT * FROM latest) a JOIN crossed x USING (member_id)
  UNION ALL BY NAME
  SELECT n.content_id, n.member_id, n.proactive, n.created_at, n.became_at, n.uses, 1 AS urgency, 'first_proactive' AS alert,
         CAST(NULL AS TINYINT) AS stage_before, TRUE AS fresh_act,
         n.recent AND n.author_mc NOT IN (SELECT author_mc FROM pro_before_new)
           AND n.member_id NOT IN (SELECT member_id FROM crossed WHERE fresh) AS is_new
  FROM newly n LEFT JOIN first_pro f USING (member_id)
  WHERE (n.recent AND n.author_mc NOT IN (SELECT author_mc FROM pro_before_new) AND n.member_id NOT IN (SELECT member_id FROM crossed WHERE fresh))
     OR (n.member_id NOT IN (SELECT member_id FROM crossed) AND n.became_at < f.first_at + to_hours(CAST($hours AS INTEGER)))
  UNION ALL BY NAME
  SELECT i.content_id, m.member_id, CAST(NULL AS VARCHAR) AS proactive, i.created_at, i.created_at AS became_at,
         CAST(NULL AS INTEGER) AS uses, CASE WHEN i.is_orig_ok AND i.created_at = f.first_orig THEN 2 ELSE 3 END AS urgency,
         CASE WHEN i.is_orig_ok AND i.created_at = f.first_orig THEN 'first_original' ELSE 'first_newcomer_answer' END AS alert,
         CAST(NULL AS TINYINT) AS stage_before, TRUE AS fresh_act,
         i.created_at >= $since_new AND ((i.is_orig_ok AND i.created_at = f.first_orig)
           OR i.author_mc NOT IN (SELECT author_mc FROM _lad_nc_before_new)) AS is_new
  FROM _lad_items i JOIN firsts f ON f.author_mc = i.author_mc JOIN _lad_members m ON m.mc = i.author_mc
  WHERE i.created_at >= $since AND i.cc NOT IN (SELECT cc FROM _lad_unfit) AND ((i.is_orig_ok AND i.created_at = f.first_orig)
    OR (i.is_newcomer_help AND i.created_at = f.first_nc AND i.author_mc NOT IN (SELECT author_mc FROM _lad_nc_before)))),
best AS (SELECT * FROM cand QUALIFY row_number() OVER (PARTITION BY member_id, content_id ORDER BY is_new DESC, urgency) = 1),
txt AS (
  SELECT *, left(act_text, 40) AS s40, left(act_text, 80) AS s80 FROM (
    SELECT b.*, c.kind, reef_mask_text(coalesce(nullif(c.title, ''), c.body, '')) AS act_text
    FROM best b JOIN content_at($ts) c USING (content_id))),
msg AS (
  SELECT t.*,
    CASE t.proactive WHEN 'guide' THEN '攻略《' || t.s40 || '》已有' || t.uses || '人使用（达到' || $n || '人的门槛）'
      WHEN 'meetup' THEN '自发组织聚会：' || t.s40 WHEN 'clarification' THEN '用事实澄清传言：' || t.s40
      WHEN 'defence' THEN '有据维护社区：' || t.s40 ELSE t.s40 END AS act_zh,
    CASE t.proactive WHEN 'guide' THEN 'guide "' || t.s40 || '" reached ' || t.uses || ' users (threshold ' || $n || ')'
      WHEN 'meetup' THEN 'self-organised meetup: ' || t.s40 WHEN 'clarification' THEN 'clarified a rumour with facts: ' || t.s40
      WHEN 'defence' THEN 'defended the community with evidence: ' || t.s40 ELSE t.s40 END AS act_en
  FROM txt t)
SELECT row_number() OVER (ORDER BY x.is_new DESC, x.urgency, m.potential DESC, x.became_at DESC, x.member_id, x.content_id) AS rank,
       x.alert, x.member_id, m.name, m.stage, x.stage_before, m.potential, x.content_id, x.kind AS content_kind,
       x.proactive AS act, x.uses, x.became_at AS "at", x.created_at AS act_created_at, x.s80 AS snippet,
       CASE x.alert WHEN 'leader_crossing' THEN (CASE WHEN x.fresh_act THEN '刚升为引领者：' ELSE '重新升为引领者：' END)
            WHEN 'first_proactive' THEN '首次主动创造价值：' WHEN 'first_original' THEN '首次发布原创：' ELSE '首次回答新人提问：' END
         || rtrim(x.act_zh, '。，；！？.,;!? ') || '。请立即认可' AS message_zh,
       CASE x.alert WHEN 'leader_crossing' THEN (CASE WHEN x.fresh_act THEN 'just became a leader: ' ELSE 'back to leader: ' END)
            WHEN 'first_proactive' THEN 'first proactive act: ' WHEN 'first_original' THEN 'first original post: '
            ELSE 'first answer to a newcomer: ' END
         || rtrim(x.act_en, '。，；！？.,;!? ') || ' - recognise now' AS message_en,
       x.is_new, CAST($ts AS TIMESTAMPTZ) AS as_of
FROM msg x JOIN ladder_members m ON m.member_id = x.member_id
ORDER BY rank
"""

# Answered a newcomer before $since: _lad_items forgets an asker who has left since (the answer no longer counts), which
# raised the welcome again for the next answer, so askers are looked up as they were when asked (a per-row point in
# time the *_at macros cannot express; joined_at and left_at are the facts members_at reads). Needed for since and
# since_new (since <= since_new): the join reads the content once, for the bounds of both (answers before since_new,
# by members with a newcomer answer since since), keeping each helper's first such answer; each moment then filters it.
# Joined on the stored integer codes (reef/store/codes.py).
_NC_FIRST = """
CREATE OR REPLACE TEMP TABLE _lad_nc_first AS
SELECT i.author_mc, min(i.created_at) AS first_at
FROM _lad_items i JOIN _lad_cx c ON c.cc = i.cc JOIN content_at($ts) q ON q.content_code = c.parent_code
JOIN members a ON a.member_code = q.author_code AND a.joined_at < q.created_at AND (a.left_at IS NULL OR a.left_at >= q.created_at)
WHERE i.is_help AND i.created_at < $since_new AND coalesce(a.account_type, 'member') NOT IN ('staff', 'brand', 'bot')
  AND q.created_at < a.joined_at + to_days(CAST($newcomer AS INTEGER))
  AND i.author_mc IN (SELECT author_mc FROM _lad_items WHERE is_newcomer_help AND created_at >= $since)
GROUP BY 1
"""
_NC_BEFORE = """
CREATE OR REPLACE TEMP TABLE {name} AS
SELECT author_mc FROM _lad_nc_first
WHERE first_at < $since AND author_mc IN (SELECT author_mc FROM _lad_items WHERE is_newcomer_help AND created_at >= $since)
"""


def _run(store, script: str, params: dict) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            store.execute(statement, {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)})


def stages_before(store, since, p: LadderParams) -> pl.DataFrame:
    """Stage at ``since`` (member_id, stage) of the members at stage 4 in ``ladder_members``, replayed as of ``since``.

    Reads ``_lad_items``, ``_lad_likes``, ``_lad_members`` and ``_lad_newly`` (built as of a later ``as_of``); the
    first two are renamed ``_lad_items_now`` and ``_lad_members_now`` (renamed, not copied: they are large), the
    view ``_lad_likes`` ``_lad_likes_now`` (:func:`_restore` puts the three back), and the three names then hold the candidates' rows before ``since``. Each member's replay
    depends on its own rows only, so the result equals a full ladder run at ``since`` for these members.
    """
    from reef.ladder.stages import replay
    from reef.ladder.windows import build_windows

    _run(store, _BEFORE, {"since": since})
    ids = pl.from_arrow(store.fetch_arrow("SELECT mc, member_id FROM _lad_members"))
    if not len(ids):
        return pl.DataFrame(schema={"member_id": pl.Utf8, "stage": pl.Int8})
    win, _ = build_windows(store, since, p, few_members=True)
    keys, _, cur = replay(win, p)
    got = pl.DataFrame({"mc": pl.Series(np.asarray(keys), dtype=pl.Int32), "stage": cur.astype(np.int8)})
    return ids.join(got, on="mc", how="left").select("member_id", pl.col("stage").fill_null(0).cast(pl.Int8))


def _restore(store) -> None:
    """Put the rows at as_of back after :func:`stages_before` (the candidates' rows out)."""
    for name in ("_lad_items", "_lad_members", "_lad_likes"):
        store.execute(f"DROP TABLE IF EXISTS {name}")
    store.execute("ALTER VIEW _lad_likes_now RENAME TO _lad_likes")
    store.execute("ALTER TABLE _lad_items_now RENAME TO _lad_items")
    store.execute("ALTER TABLE _lad_members_now RENAME TO _lad_members")


def build_alerts(store, as_of, p: LadderParams, rules=None) -> int:
    """Write ``ladder_alerts`` from ``_lad_items`` and ``ladder_members`` (both as of ``as_of``); consumes the temp tables.

    The alerts of the last ``alert_backlog_days`` (at least ``alert_hours``) are written; ``is_new`` marks those the
    last ``alert_hours`` raise, exactly the alerts a run at ``as_of`` raised before the backlog (each stage-4 member
    is replayed at both moments). ``rules``: the spec-claim comparison's settings for the welcomes
    (:func:`reef.ladder.welcome.build_unfit`)."""
    from reef.actions.privacy import register_mask_function
    from reef.ladder.welcome import build_unfit

    register_mask_function(store.con)  # the act's excerpt is masked before it is cut (a cut number would leak in part)
    since_new = as_of - timedelta(hours=p.alert_hours)
    since = as_of - timedelta(hours=p.alert_backlog_hours)
    params = {"ts": as_of, "since": since, "since_new": since_new, "n": int(p.guide_min_uses),
              "newcomer": int(p.newcomer_days), "hours": int(p.alert_hours)}
    befores = {}
    for name, moment in (("_lad_before_new", since_new), ("_lad_before", since)):
        _run(store, _NEWLY, params | {"since": moment, "since_new": since_new})
        befores[name] = stages_before(store, moment, p)
        _restore(store)
    for name, df in befores.items():
        with store.registered(f"{name}_df", df.to_arrow()):
            store.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
    _run(store, _NC_FIRST, params)
    for name, moment in (("_lad_nc_before_new", since_new), ("_lad_nc_before", since)):
        _run(store, _NC_BEFORE.format(name=name), params | {"since": moment})
    build_unfit(store, as_of, since, p, rules)
    _run(store, _ALERTS, params | {"window_start": as_of - timedelta(days=p.window_checkpoints * p.checkpoint_days)})
    return int(store.fetch_value("SELECT count(*) FROM ladder_alerts"))
