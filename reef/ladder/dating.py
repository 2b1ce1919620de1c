"""When a promotion happened: the act that completed the new stage's requirement, not the bucket's last act.

The replay (:mod:`reef.ladder.stages`) decides stages on checkpoint buckets counted back from ``as_of``, so a
bucket's edges move with the day the ladder runs. Dating a promotion at "the last act of its bucket" moved
with them: the same promotion read 'promoted 3 May' on a Monday and '5 May' on the Tuesday. Here each
promotion found by the replay is dated at the earliest act of the member *inside its bucket* at which the
member's rolling window ending at that act (the same ``window_checkpoints`` buckets' length, inclusive of
the act) meets the new stage's requirement. That act does not depend on where the bucket's edges fall,
whenever both runs promote in the bucket holding it (the usual case: the requirement stays met until the
next checkpoint). Stages, the events' members and stages, and their order are unchanged: a promotion's
date stays inside its bucket, after the member's previous change and before the next one.

When no act of the bucket qualifies (a promotion caused by hostile acts leaving the window) the date is
left to the caller (the bucket's last act, as before).

Example:
    >>> from reef.store import open_store
    >>> from datetime import datetime, timezone
    >>> import polars as pl
    >>> s = open_store(":memory:")
    >>> ev = pl.DataFrame({"mc": [1], "k": [3], "to_stage": [1], "kind": [1]})
    >>> date_promotions(s, datetime(2026, 1, 1, tzinfo=timezone.utc), LadderParams(), ev)["act_at"].to_list()
    [None]
"""
from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl

from reef.ladder.params import LadderParams
from reef.ladder.stages import stage_ratios
from reef.ladder.windows import ACT_KINDS, BUCKET_SQL, ITEM_MEASURES

__all__ = ["date_promotions"]

# The measures the stage requirements read (stage_ratios without help credit, which the replay does not read).
_NEEDED = ("acts", "orig_ok", "helped_nc_rec", "praise", "disagree", "small_group", "proactive", "hostile")


def _sql(window_us: int) -> str:
    """Acts of the promoted members in their promotion bucket and the window before it, with rolling sums."""
    item_cols = ", ".join(f"CAST({ITEM_MEASURES[m]} AS INTEGER) AS {m}" for m in _NEEDED)
    zero_cols = ", ".join(["1 AS acts"] + [f"0 AS {m}" for m in _NEEDED[1:]])
    kinds = ", ".join(f"'{k}'" for k in ACT_KINDS)
    sums = ", ".join(f"sum({m}) OVER w AS {m}" for m in _NEEDED)
    return f"""
    WITH who AS (SELECT DISTINCT mc FROM _lad_dating),
    acts AS (
        SELECT author_mc AS mc, epoch_us(created_at) AS us, {BUCKET_SQL.format(col="created_at")} AS b, {item_cols}
        FROM _lad_items WHERE author_mc IN (SELECT mc FROM who) AND created_at > $since
        UNION ALL
        SELECT m.mc, epoch_us(i.created_at) AS us, {BUCKET_SQL.format(col="i.created_at")} AS b, {zero_cols}
        FROM interactions_at($ts) i JOIN _lad_members m ON m.member_id = i.actor_id
        WHERE i.kind IN ({kinds}) AND i.created_at > $since AND m.mc IN (SELECT mc FROM who)),
    rows AS (
        SELECT e.eid, e.k, a.us, a.b, {", ".join(f"a.{m}" for m in _NEEDED)}
        FROM _lad_dating e JOIN acts a ON a.mc = e.mc AND a.b BETWEEN e.k AND e.k + $w),
    rolled AS (
        SELECT eid, k, us, b, {sums} FROM rows
        -- The replay's window at checkpoint k holds the acts in (t_k - W buckets, t_k]; the same length here.
        WINDOW w AS (PARTITION BY eid ORDER BY us RANGE BETWEEN {window_us - 1} PRECEDING AND CURRENT ROW))
    SELECT eid, us, {", ".join(_NEEDED)} FROM rolled WHERE b = k ORDER BY eid, us"""


def date_promotions(store, as_of, p: LadderParams, events: pl.DataFrame) -> pl.DataFrame:
    """``events`` (replay events keyed by ``mc``) with ``act_at``: the date of each promotion, null elsewhere.

    Reads ``_lad_items`` and ``_lad_members`` (the ladder's temp tables, present while it runs) and
    ``interactions_at(as_of)``. ``p`` must be the parameters the replay used (scaled ones included).
    """
    none = pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    if not len(events) or not store.table_exists("_lad_items"):
        return events.with_columns(act_at=none)
    promos = (events.with_row_index("eid").filter(pl.col("kind") == 1)
              .select(pl.col("eid").cast(pl.Int64), pl.col("mc").cast(pl.Int32), pl.col("k").cast(pl.Int32),
                      pl.col("to_stage").cast(pl.Int8)))
    if not len(promos):
        return events.with_columns(act_at=none)
    w, sec = p.window_checkpoints, p.checkpoint_days * 86400
    oldest = int(promos["k"].max()) + w + 1
    with store.registered("_lad_dating", promos.to_arrow()):
        rows = pl.from_arrow(store.fetch_arrow(_sql(w * sec * 1_000_000), {
            "ts": as_of, "sec": float(sec), "w": w, "since": as_of - timedelta(days=oldest * p.checkpoint_days)}))
    if not len(rows):
        return events.with_columns(act_at=none)
    rows = rows.join(promos.select("eid", "to_stage"), on="eid")
    ratios = stage_ratios({m: rows[m].to_numpy().astype(np.float64) for m in _NEEDED}, p)
    need = rows["to_stage"].to_numpy().astype(np.int64)
    # The tolerance of stages.highest: a requirement met there is met here.
    meets = ratios[np.arange(len(rows)), need] >= 1.0 - 1e-9
    first = (rows.filter(pl.Series(meets)).group_by("eid").agg(pl.col("us").min())
             .select("eid", act_at=pl.col("us").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")))
    return (events.with_row_index("eid").with_columns(pl.col("eid").cast(pl.Int64))
            .join(first, on="eid", how="left").drop("eid"))
