"""When a promotion or demotion happened: moments of the data, not the edges of the replay's buckets.

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

A demotion (:func:`date_demotions`, ladder version 9) was dated at the checkpoint where its grace period ran
out, on the same moving grid. It is now dated at the moment the window fell below the kept level for good
inside the bucket where the replay first saw it below (an act left the window or a hostile act entered it),
plus the grace period: the same moment whichever day the ladder runs, when both runs see the fall in the
bucket holding it. The date stays inside the demotion's bucket, so the timeline's order does not change.

Example:
    >>> from reef.store import open_store
    >>> from datetime import datetime, timezone
    >>> import polars as pl
    >>> s = open_store(":memory:")
    >>> ev = pl.DataFrame({"mc": [1], "k": [3], "to_stage": [1], "kind": [1]})
    >>> date_promotions(s, datetime(2026, 1, 1, tzinfo=timezone.utc), LadderParams(), ev)["act_at"].to_list()
    [None]
    >>> date_demotions(s, datetime(2026, 1, 1, tzinfo=timezone.utc), LadderParams(), ev)["act_at"].to_list()
    [None]
"""
from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl

from reef.ladder.params import LadderParams
from reef.ladder.stages import highest, stage_ratios
from reef.ladder.windows import BUCKET_SQL, IACTS_SQL, ITEM_MEASURES

__all__ = ["date_promotions", "date_demotions"]

# The measures the stage requirements read (stage_ratios without help credit, which the replay does not read).
_NEEDED = ("acts", "orig_ok", "helped_nc_rec", "praise", "disagree", "small_group", "proactive", "hostile")


def _acts_sql() -> str:
    """The ``acts`` CTE: every act of the registered events' members since ``$since``, one row each with its bucket
    and the measures the requirements read (an interaction is one act and nothing else). Interactions are read from
    ``_lad_iacts`` (windows.py: every member's interaction acts, with member codes), which :func:`_fetch` makes when
    absent."""
    item_cols = ", ".join(f"CAST({ITEM_MEASURES[m]} AS INTEGER) AS {m}" for m in _NEEDED)
    zero_cols = ", ".join(["1 AS acts"] + [f"0 AS {m}" for m in _NEEDED[1:]])
    return f"""
    acts AS (
        SELECT author_mc AS mc, epoch_us(created_at) AS us, {BUCKET_SQL.format(col="created_at")} AS b, {item_cols}
        FROM _lad_items WHERE author_mc IN (SELECT mc FROM _lad_dating) AND created_at > $since
        UNION ALL
        SELECT i.mc, epoch_us(i.created_at) AS us, {BUCKET_SQL.format(col="i.created_at")} AS b, {zero_cols}
        FROM _lad_iacts i WHERE i.created_at > $since AND i.mc IN (SELECT mc FROM _lad_dating))"""


def _rows_sql() -> str:
    """Acts of the registered events' members in buckets k .. k + W (k: the event's bucket), one row each."""
    return f"""
    WITH {_acts_sql()},
    rows AS (
        SELECT e.eid, e.k, a.us, a.b, {", ".join(f"a.{m}" for m in _NEEDED)}
        FROM _lad_dating e JOIN acts a ON a.mc = e.mc AND a.b BETWEEN e.k AND e.k + $w)"""


def _sql(window_us: int) -> str:
    """Acts of the promoted members in their promotion bucket, each with the rolling window ending at it.

    The window ending at an act at ``t`` holds the acts in ``(t - window, t]`` (the replay's window at checkpoint k
    holds the acts in ``(t_k - W buckets, t_k]``; the same length here). For ``t`` in bucket k, ``t - window`` falls
    in bucket k + W, so the window is: the acts of bucket k up to ``t`` (a running sum inside the bucket), every act
    of the whole buckets k+1 .. k+W-1 (``_lad_mid``: the bucket totals, summed from build_windows' prefix sums by
    :func:`_window_middle`) and the acts of bucket k + W after ``t - window`` (a running sum from the bucket's end,
    found by an as-of join). Only the acts of the two edge buckets are read here: selecting and summing every act of
    the W + 1 buckets in SQL was most of the dating's cost (11.6M acts at 50M events)."""
    m = _NEEDED
    # Sums are cast back to INTEGER: DuckDB sums an INTEGER into a HUGEINT, which reaches Arrow as decimal128 and
    # numpy through one Python Decimal per value (12 s of the dating's 47 at 50M events).
    sums = ", ".join(f"CAST(sum({x}) AS INTEGER) AS {x}" for x in m)
    pre = ", ".join(f"CAST(sum({x}) OVER (PARTITION BY mc, b ORDER BY us ROWS UNBOUNDED PRECEDING) AS INTEGER) AS {x}"
                    for x in m)
    suf = ", ".join(f"CAST(sum({x}) OVER (PARTITION BY mc, b ORDER BY us ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)"
                    f" AS INTEGER) AS {x}" for x in m)
    total = ", ".join(f"CAST(r.{x} + coalesce(md.{x}, 0) + coalesce(s.{x}, 0) AS INTEGER) AS {x}" for x in m)
    return f"""
    WITH edge AS (SELECT mc, k AS b FROM _lad_dating UNION SELECT mc, k + $w FROM _lad_dating),
    {_acts_sql()},
    -- Acts at one instant change the window once (a sliding frame's peers).
    pts AS (SELECT a.mc, a.us, a.b, {sums} FROM acts a SEMI JOIN edge g ON g.mc = a.mc AND g.b = a.b GROUP BY ALL),
    pre AS (SELECT e.eid, e.k, p.mc, p.us, {", ".join(f"p.{x}" for x in m)}
            FROM (SELECT mc, us, b, {pre} FROM pts) p JOIN _lad_dating e ON e.mc = p.mc AND e.k = p.b),
    suf AS (SELECT mc, us, b, {suf} FROM pts)
    SELECT r.eid, r.us, {total}
    FROM pre r
    ASOF LEFT JOIN suf s ON s.mc = r.mc AND s.b = r.k + $w AND r.us - {window_us} < s.us
    LEFT JOIN _lad_mid md ON md.eid = r.eid
    ORDER BY r.eid, r.us"""


def _window_middle(store, as_of, p: LadderParams, keyed: pl.DataFrame, buckets: dict | None) -> pl.DataFrame:
    """Per event (eid, mc, k): the sums of the measures over the whole buckets k+1 .. k+W-1 of its member.

    ``buckets`` holds build_windows' (member, bucket) sums (its ``buckets`` argument); without it they are computed
    here the same way.
    """
    if buckets is None:
        buckets = {}
        with store.registered("_lad_dating_mc", keyed.select("mc").unique().to_arrow()):
            _bucket_sums(store, as_of, p, buckets)
    w, span = p.window_checkpoints, buckets["span"]
    base = (keyed["mc"].to_numpy().astype(np.int64) - 1) * span
    k = keyed["k"].to_numpy().astype(np.int64)
    out = {m: np.zeros(len(keyed), np.int64) for m in _NEEDED}
    for src in buckets["sources"].values():
        key = src["key"]
        lo, hi = np.searchsorted(key, base + k + 1), np.searchsorted(key, base + k + w)
        for m in _NEEDED:
            if m in src:
                c = np.concatenate([[0], np.cumsum(src[m], dtype=np.int64)])
                out[m] += c[hi] - c[lo]
    return pl.DataFrame({"eid": keyed["eid"], **out})


def _bucket_sums(store, as_of, p: LadderParams, buckets: dict) -> None:
    """build_windows' (member, bucket) sums of items and interactions, for the members of ``_lad_dating_mc``."""
    from reef.ladder.windows import ITEM_MEASURES as items

    params = {"ts": as_of, "sec": float(p.checkpoint_days * 86400)}
    bucket = BUCKET_SQL.format(col="created_at")
    sums = ", ".join(f"CAST(count(*) FILTER (WHERE {items[m]}) AS INTEGER) AS {m}" for m in _NEEDED)
    frames = {"items": f"SELECT author_mc AS mc, {bucket} AS b, {sums} FROM _lad_items "
                       "WHERE author_mc IN (SELECT mc FROM _lad_dating_mc) GROUP BY ALL",
              "interactions": f"SELECT mc, {bucket} AS b, CAST(count(*) AS INTEGER) AS acts FROM _lad_iacts "
                              "WHERE mc IN (SELECT mc FROM _lad_dating_mc) GROUP BY ALL"}
    frames = {n: pl.from_arrow(store.fetch_arrow(sql, params)) for n, sql in frames.items()}
    span = max([p.history_checkpoints + p.window_checkpoints] + [int(f["b"].max()) for f in frames.values() if len(f)]) + 2
    buckets["span"] = span
    buckets["sources"] = {}
    for n, f in frames.items():
        f = f.with_columns(key=(pl.col("mc").cast(pl.Int64) - 1) * span + pl.col("b").cast(pl.Int64)).sort("key")
        buckets["sources"][n] = {c: f[c].to_numpy() for c in f.columns if c not in ("mc", "b")}


def _ensure_iacts(store, as_of) -> None:
    """Every member's interaction acts (``_lad_iacts``): build_windows made them during a ladder run."""
    if not store.table_exists("_lad_iacts"):
        store.execute(IACTS_SQL, {"ts": as_of})


def _fetch(store, as_of, p: LadderParams, keyed: pl.DataFrame, sql: str, middle: pl.DataFrame | None = None) -> pl.DataFrame:
    """Run ``sql`` with ``keyed`` (eid, mc, k) registered as ``_lad_dating`` (and ``middle`` as ``_lad_mid``)."""
    w, sec = p.window_checkpoints, p.checkpoint_days * 86400
    oldest = int(keyed["k"].max()) + w + 1
    _ensure_iacts(store, as_of)
    params = {"ts": as_of, "sec": float(sec), "w": w, "since": as_of - timedelta(days=oldest * p.checkpoint_days)}
    with store.registered("_lad_dating", keyed.to_arrow()):
        if middle is None:
            return pl.from_arrow(store.fetch_arrow(sql, params))
        with store.registered("_lad_mid", middle.to_arrow()):
            return pl.from_arrow(store.fetch_arrow(sql, params))


def date_promotions(store, as_of, p: LadderParams, events: pl.DataFrame, buckets: dict | None = None) -> pl.DataFrame:
    """``events`` (replay events keyed by ``mc``) with ``act_at``: the date of each promotion, null elsewhere.

    Reads ``_lad_items`` and ``_lad_members`` (the ladder's temp tables, present while it runs) and
    ``interactions_at(as_of)``. ``p`` must be the parameters the replay used (scaled ones included). ``buckets``:
    build_windows' (member, bucket) sums from the same run (its ``buckets`` argument), else computed here.
    """
    none = pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    if not len(events) or not store.table_exists("_lad_items"):
        return events.with_columns(act_at=none)
    promos = (events.with_row_index("eid").filter(pl.col("kind") == 1)
              .select(pl.col("eid").cast(pl.Int64), pl.col("mc").cast(pl.Int32), pl.col("k").cast(pl.Int32),
                      pl.col("to_stage").cast(pl.Int8)))
    if not len(promos):
        return events.with_columns(act_at=none)
    keyed = promos.drop("to_stage")
    _ensure_iacts(store, as_of)
    rows = _fetch(store, as_of, p, keyed, _sql(p.window_checkpoints * p.checkpoint_days * 86400 * 1_000_000),
                  _window_middle(store, as_of, p, keyed, buckets))
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


def date_demotions(store, as_of, p: LadderParams, events: pl.DataFrame) -> pl.DataFrame:
    """``events`` with ``act_at`` set on each demotion: when its grace period ran out, counted from the data.

    The replay first sees a member's kept level (ratio >= ``keep_ratio``) below the stage held at checkpoint
    ``k + grace_checkpoints`` (``k``: the demotion's checkpoint); the window was at or above it one checkpoint
    earlier, so it fell below inside that bucket, when an act left the window or a hostile act entered it. The
    demotion is dated at the first such moment of the bucket at which the kept level is below the stage, plus the
    grace period (``grace_checkpoints`` buckets, as the replay counts it): a moment of the data, not of the bucket
    edges. It stays inside the demotion's bucket, so the timeline's order does not change. Other rows keep their
    ``act_at`` (null when absent); a demotion with no such moment keeps a null one (dated at its checkpoint).
    """
    none = pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    if "act_at" not in events.columns:
        events = events.with_columns(act_at=none)
    if not len(events) or not store.table_exists("_lad_items"):
        return events
    g = p.grace_checkpoints
    dems = (events.with_row_index("eid").filter(pl.col("kind") == 2)
            .select(pl.col("eid").cast(pl.Int64), pl.col("mc").cast(pl.Int32), (pl.col("k") + g).cast(pl.Int32).alias("k"),
                    pl.col("from_stage").cast(pl.Int8)))
    if not len(dems):
        return events
    rows = _fetch(store, as_of, p, dems.drop("from_stage"), _rows_sql() + "\n    SELECT * FROM rows ORDER BY eid, us")
    if not len(rows):
        return events
    w, step = p.window_checkpoints, p.checkpoint_days * 86400 * 1_000_000
    # Acts at one instant change the window once; cumulative sums per event, oldest first.
    per = rows.group_by("eid", "us").agg(pl.col("k").first(), pl.col("b").first(), *[pl.col(m).sum() for m in _NEEDED])
    cum = (per.sort("eid", "us").select("eid", "us", *[pl.col(m).cum_sum().over("eid") for m in _NEEDED])
           .sort("us"))
    # The moments of bucket k where the window can change: an act of the bucket enters it, an act of bucket k + W
    # leaves it (the window ending at t holds the acts in (t - W buckets, t]).
    cand = pl.concat([per.filter(pl.col("b") == pl.col("k")).select("eid", t=pl.col("us")),
                      per.filter(pl.col("b") == pl.col("k") + w).select("eid", t=pl.col("us") + w * step)]).unique()

    def upto(col: pl.Expr) -> pl.DataFrame:  # each candidate's cumulative sums at col (0 before the first act)
        left = cand.with_columns(q=col).sort("q")  # both sides sorted on the key, so inside every eid too
        return (left.join_asof(cum, left_on="q", right_on="us", by="eid", strategy="backward", check_sortedness=False)
                .sort("eid", "t").with_columns([pl.col(m).fill_null(0) for m in _NEEDED]))

    hi, lo = upto(pl.col("t")), upto(pl.col("t") - w * step)
    ratios = stage_ratios({m: (hi[m] - lo[m]).to_numpy().astype(np.float64) for m in _NEEDED}, p)
    held = hi.select("eid").join(dems.select("eid", "from_stage"), on="eid", how="left")["from_stage"].to_numpy()
    hi = hi.select("eid", "t").with_columns(below=pl.Series(highest(ratios, p.keep_ratio) < held))
    # The start of the run of moments below that lasts to the bucket's end: a dip and a recovery earlier in the bucket
    # is not "stayed below" (a run whose checkpoint fell after the recovery counts from the last fall too).
    after = pl.col("t") > pl.col("t").filter(~pl.col("below")).max().fill_null(-1)
    first = (hi.group_by("eid").agg(pl.col("t").filter(pl.col("below") & after).min()).drop_nulls("t")
             .select("eid", dem_at=(pl.col("t") + g * step).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")))
    return (events.with_row_index("eid").with_columns(pl.col("eid").cast(pl.Int64)).join(first, on="eid", how="left")
            .with_columns(act_at=pl.coalesce("dem_at", "act_at")).drop("eid", "dem_at"))
