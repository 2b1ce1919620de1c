"""Rolling-window measures per member at every checkpoint where they can change.

Acts are summed into checkpoint buckets counted back from ``as_of`` (bucket 0 = the last
``checkpoint_days``). A window of ``W`` buckets at checkpoint ``k`` is ``C(k) - C(k + W)``, where
``C`` is the member's cumulative sum over buckets ``>= k`` (a numpy prefix sum and searchsorted), so the
timeline needs one row per member and *change point* (a bucket entering or leaving the window),
never one per member and day. Lifetime totals are kept beside the window.

Example:
    >>> MEASURES[:3]
    ('acts', 'orig_ok', 'orig_all')
"""
from __future__ import annotations

import re

import numpy as np
import polars as pl

from reef.ladder.params import LadderParams

__all__ = ["MEASURES", "build_windows"]

MEASURES = ("acts", "orig_ok", "orig_all", "helped_nc", "helped_nc_rec", "help_all", "help_rec", "accepted", "praise",
            "disagree", "small_group", "hostile", "proactive", "pro_meetup", "pro_guide", "pro_clarification",
            "pro_defence", "wlikes")

_BUCKET = "CAST(floor((epoch(CAST($ts AS TIMESTAMPTZ)) - epoch({col})) / $sec) AS INTEGER)"
# Each source is aggregated to (member, bucket) on its own before the union: a union of raw rows padded
# 24M interaction and like rows with 17 NULL measures and made _lad_mb the slowest statement at 20M events.
_EVENTS = """
CREATE OR REPLACE TEMP TABLE _lad_mb AS
WITH it AS (
  SELECT author_id AS member_id, {b_items} AS b, count(*) AS acts, {item_sums}, max(created_at) AS last_at FROM (
  SELECT author_id, created_at, CAST(is_orig_ok AS INT) AS orig_ok, CAST(is_orig AS INT) AS orig_all,
         CAST(is_newcomer_help AS INT) AS helped_nc, CAST(is_newcomer_help AND help_recognised AS INT) AS helped_nc_rec,
         CAST(is_help AS INT) AS help_all, CAST(help_recognised AS INT) AS help_rec, CAST(is_help AND accepted AS INT) AS accepted,
         CAST(is_praise AS INT) AS praise, CAST(is_civil_disagree AS INT) AS disagree, CAST(is_small_group AS INT) AS small_group,
         CAST(hostile AS INT) AS hostile, CAST(proactive IS NOT NULL AS INT) AS proactive,
         CAST(proactive = 'meetup' AS INT) AS pro_meetup, CAST(proactive = 'guide' AS INT) AS pro_guide,
         CAST(proactive = 'clarification' AS INT) AS pro_clarification, CAST(proactive = 'defence' AS INT) AS pro_defence
  FROM _lad_items WHERE created_at < $ts) GROUP BY ALL),
ia AS (
  SELECT i.actor_id AS member_id, {b_inter} AS b, count(*) AS acts, max(i.created_at) AS last_at FROM interactions_at($ts) i
  SEMI JOIN _lad_members m ON m.member_id = i.actor_id
  WHERE i.kind IN ('like', 'vote', 'checkin', 'share', 'reply', 'quote') GROUP BY ALL),
lk AS (SELECT author_id AS member_id, {b_likes} AS b, sum(weight) AS wlikes, max(created_at) AS last_at FROM _lad_likes
       WHERE created_at < $ts GROUP BY ALL),
ev AS (SELECT * FROM it UNION ALL BY NAME SELECT * FROM ia UNION ALL BY NAME SELECT * FROM lk)
SELECT member_id, b, {sums}, max(last_at) AS last_at FROM ev GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _lad_life AS
SELECT member_id, {life}, max(last_at) AS last_at, min(last_at) AS first_bucket_at FROM _lad_mb GROUP BY 1;
"""


def _script() -> str:
    m = MEASURES
    # Typed sums: DuckDB sums INTEGER into HUGEINT, which reaches Polars as Decimal and costs a Python
    # object per value in to_numpy (12 s at 2M events); counts fit INTEGER, weighted likes are DOUBLE.
    t = {x: "DOUBLE" if x == "wlikes" else "INTEGER" for x in m}
    return _EVENTS.format(
        b_items=_BUCKET.format(col="created_at"), b_inter=_BUCKET.format(col="i.created_at"),
        b_likes=_BUCKET.format(col="created_at"),
        item_sums=", ".join(f"sum({x}) AS {x}" for x in m if x not in ("acts", "wlikes")),
        sums=", ".join(f"CAST(coalesce(sum({x}), 0) AS {t[x]}) AS {x}" for x in m),
        life=", ".join(f"CAST(sum({x}) AS {t[x]}) AS life_{x}" for x in m))


def build_windows(store, as_of, p: LadderParams) -> pl.DataFrame:
    """Write ``_lad_mb`` (member x bucket) and ``_lad_life`` (lifetime); return the window per change point.

    The windows are computed in numpy, not SQL: one global prefix sum over (member, bucket) sorted rows
    and two ``searchsorted`` lookups per change point give ``C(k) - C(k + W)`` for every member at once.
    (Two SQL ASOF joins over 18 measures were the slowest step at 2M events.) Members are numbered by
    their rank in ``_lad_life``, so ``key = member * span + bucket`` is sorted like the rows.
    """
    w, kmax = p.window_checkpoints, p.history_checkpoints
    params = {"ts": as_of, "sec": float(p.checkpoint_days * 86400)}
    for statement in _script().split(";\n"):
        if statement.strip():
            store.execute(statement, {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)})
    span = kmax + w + 2
    members = pl.from_arrow(store.fetch_arrow("SELECT member_id FROM _lad_life")).with_row_index("mc")
    mb = pl.from_arrow(store.fetch_arrow(f"SELECT member_id, b, last_at, {', '.join(MEASURES)} FROM _lad_mb WHERE b < $lim",
                                         {"lim": kmax + w}))
    # Number members by their row in _lad_life (a Polars join, not a string search) and sort by (member, bucket).
    mb = mb.join(members, on="member_id").with_columns(key=pl.col("mc").cast(pl.Int64) * span + pl.col("b")).sort("key")
    n_members = len(members)
    key, b = mb["key"].to_numpy(), mb["b"].to_numpy().astype(np.int64)
    mcode = key // span
    # Change points per member: k where a bucket enters (b) or leaves (b - w) the window, plus 0 and kmax.
    cp_code = np.concatenate([mcode, mcode, np.arange(n_members), np.arange(n_members)])
    cp_k = np.concatenate([b, b - w, np.zeros(n_members, np.int64), np.full(n_members, kmax)])
    ok = (cp_k >= 0) & (cp_k <= kmax)
    # Polars' multi-threaded unique: numpy's unique took 10 s on 60M keys at 19M events (order is not needed).
    cp = pl.Series(cp_code[ok] * span + cp_k[ok]).unique().to_numpy()
    cp_code, cp_k = cp // span, cp % span
    lo = np.searchsorted(key, cp_code * span + cp_k)          # first bucket >= k
    hi = np.searchsorted(key, cp_code * span + cp_k + w)      # first bucket >= k + w
    cols = {}
    for m in MEASURES:
        c = np.concatenate([[0], np.cumsum(mb[m].to_numpy().astype(np.float64))])
        v = c[hi] - c[lo]
        cols[m] = v if m == "wlikes" else np.rint(v).astype(np.int64)  # counts stay integers in ladder_members
    at = np.minimum(lo, max(len(key) - 1, 0))
    # Where the change point is one of the member's buckets, its last act dates the event.
    hit = key[at] == cp if len(key) else np.zeros(len(cp), bool)
    last = mb["last_at"].gather(at) if len(key) else pl.Series([None] * len(cp), dtype=pl.Datetime("us", "UTC"))
    return pl.DataFrame({"member_id": members["member_id"].gather(cp_code), "k": cp_k, **cols}).with_columns(
        bucket_last_at=pl.when(pl.Series(hit)).then(last).otherwise(None))
