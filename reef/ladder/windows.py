"""Rolling-window measures per member at every checkpoint where they can change.

Acts are summed into checkpoint buckets counted back from ``as_of`` (bucket 0 = the last
``checkpoint_days``). A window of ``W`` buckets at checkpoint ``k`` is ``C(k) - C(k + W)``, where
``C`` is the member's cumulative sum over buckets ``>= k`` found with an ASOF join, so the
timeline needs one row per member and *change point* (a bucket entering or leaving the window),
never one per member and day. Lifetime totals are kept beside the window.

Example:
    >>> MEASURES[:3]
    ('acts', 'orig_ok', 'orig_all')
"""
from __future__ import annotations

import re

from reef.ladder.params import LadderParams

__all__ = ["MEASURES", "build_windows"]

MEASURES = ("acts", "orig_ok", "orig_all", "helped_nc", "helped_nc_rec", "help_all", "help_rec", "accepted", "praise",
            "disagree", "small_group", "hostile", "proactive", "pro_meetup", "pro_guide", "pro_clarification",
            "pro_defence", "wlikes")

_EVENTS = """
CREATE OR REPLACE TEMP TABLE _lad_mb AS
WITH ev AS (
  SELECT author_id AS member_id, created_at AS ev_at, 1 AS acts, CAST(is_orig_ok AS INT) AS orig_ok, CAST(is_orig AS INT) AS orig_all,
         CAST(is_newcomer_help AS INT) AS helped_nc, CAST(is_newcomer_help AND help_recognised AS INT) AS helped_nc_rec,
         CAST(is_help AS INT) AS help_all, CAST(help_recognised AS INT) AS help_rec, CAST(is_help AND accepted AS INT) AS accepted,
         CAST(is_praise AS INT) AS praise, CAST(is_civil_disagree AS INT) AS disagree, CAST(is_small_group AS INT) AS small_group,
         CAST(hostile AS INT) AS hostile, CAST(proactive IS NOT NULL AS INT) AS proactive,
         CAST(proactive = 'meetup' AS INT) AS pro_meetup, CAST(proactive = 'guide' AS INT) AS pro_guide,
         CAST(proactive = 'clarification' AS INT) AS pro_clarification, CAST(proactive = 'defence' AS INT) AS pro_defence
  FROM _lad_items
  UNION ALL BY NAME
  SELECT i.actor_id AS member_id, i.created_at AS ev_at, 1 AS acts FROM interactions_at($ts) i
  JOIN _lad_members m ON m.member_id = i.actor_id
  WHERE i.kind IN ('like', 'vote', 'checkin', 'share', 'reply', 'quote')
  UNION ALL BY NAME
  SELECT author_id AS member_id, created_at AS ev_at, weight AS wlikes FROM _lad_likes)
SELECT member_id, CAST(floor((epoch(CAST($ts AS TIMESTAMPTZ)) - epoch(ev_at)) / $sec) AS INTEGER) AS b, {sums}, max(ev_at) AS last_at
FROM ev WHERE ev_at < $ts GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _lad_life AS
SELECT member_id, {life}, max(last_at) AS last_at, min(last_at) AS first_bucket_at FROM _lad_mb GROUP BY 1;
CREATE OR REPLACE TEMP TABLE _lad_cum AS
SELECT member_id, b, {cum} FROM _lad_mb WHERE b < $kw;
CREATE OR REPLACE TEMP TABLE _lad_cp AS
SELECT DISTINCT member_id, k FROM (
  SELECT member_id, b AS k FROM _lad_mb WHERE b <= $kmax
  UNION ALL SELECT member_id, b - $w FROM _lad_mb WHERE b - $w BETWEEN 0 AND $kmax
  UNION ALL SELECT member_id, 0 FROM _lad_life
  UNION ALL SELECT member_id, $kmax FROM _lad_life);
CREATE OR REPLACE TEMP TABLE _lad_win AS
WITH a AS (SELECT cp.member_id, cp.k, {a_cols} FROM _lad_cp cp ASOF LEFT JOIN _lad_cum c ON cp.member_id = c.member_id AND cp.k <= c.b),
     z AS (SELECT cp.member_id, cp.k, {z_cols} FROM _lad_cp cp ASOF LEFT JOIN _lad_cum c ON cp.member_id = c.member_id AND cp.k + $w <= c.b)
SELECT a.member_id, a.k, {diff}, mb.last_at AS bucket_last_at
FROM a JOIN z USING (member_id, k) LEFT JOIN _lad_mb mb ON mb.member_id = a.member_id AND mb.b = a.k;
"""


def _script() -> str:
    m = MEASURES
    return _EVENTS.format(
        sums=", ".join(f"coalesce(sum({x}), 0) AS {x}" for x in m),
        life=", ".join(f"sum({x}) AS life_{x}" for x in m),
        cum=", ".join(f"sum({x}) OVER (PARTITION BY member_id ORDER BY b DESC ROWS UNBOUNDED PRECEDING) AS {x}" for x in m),
        a_cols=", ".join(f"coalesce(c.{x}, 0) AS {x}" for x in m),
        z_cols=", ".join(f"coalesce(c.{x}, 0) AS {x}" for x in m),
        diff=", ".join(f"a.{x} - z.{x} AS {x}" for x in m),
    )


def build_windows(store, as_of, p: LadderParams) -> int:
    """Write ``_lad_mb`` (member x bucket), ``_lad_life`` (lifetime) and ``_lad_win`` (window per change point)."""
    w, kmax = p.window_checkpoints, p.history_checkpoints
    params = {"ts": as_of, "sec": float(p.checkpoint_days * 86400), "kw": kmax + w, "kmax": kmax, "w": w}
    for statement in _script().split(";\n"):
        if statement.strip():
            store.execute(statement, {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)})
    return int(store.fetch_value("SELECT count(*) FROM _lad_win"))
