"""Rolling-window measures per member at every checkpoint where they can change, plus lifetime ones.

Acts are summed into checkpoint buckets counted back from ``as_of`` (bucket 0 = the last
``checkpoint_days``). A window of ``W`` buckets at checkpoint ``k`` is ``C(k) - C(k + W)``, where
``C`` is the member's cumulative sum over buckets ``>= k`` (a numpy prefix sum and searchsorted), so the
timeline needs one row per member and *change point* (a bucket entering or leaving the window),
never one per member and day. Lifetime, recency-weighted and trend measures are kept beside it.

Three sources are aggregated to (member code, bucket) in SQL: the member's items (``_lad_items``), their
low-cost interactions, and the weighted likes they received. Sums are linear, so each source keeps its
own prefix sums and the windows add up; the sources are never merged into one member x bucket table
(that union and its 19-column group-by was the slowest statement at 20M events).

Example:
    >>> MEASURES[:3]
    ('acts', 'orig_ok', 'orig_all')
"""
from __future__ import annotations

import numpy as np
import polars as pl

from reef.ladder.params import LadderParams

__all__ = ["MEASURES", "DECAYED", "ITEM_MEASURES", "ACT_KINDS", "BUCKET_SQL", "IACTS_SQL", "build_windows"]

MEASURES = ("acts", "orig_ok", "orig_all", "helped_nc", "helped_nc_rec", "help_all", "help_rec", "accepted", "praise",
            "disagree", "small_group", "hostile", "proactive", "pro_meetup", "pro_guide", "pro_clarification",
            "pro_defence", "wlikes")
# Measures the potential reads recency-weighted (``dec_*``): each bucket weighs 2^(-age / half-life).
DECAYED = ("acts", "orig_ok", "helped_nc_rec", "help_rec", "accepted", "praise", "disagree", "small_group", "proactive",
           "wlikes")
# The trend's activity: acts, originals and help, weighted by effort.
_PACE = {"acts": 1.0, "orig_all": 2.0, "help_all": 3.0}

# Low-cost interactions that count as acts (each one act); a member's items count through ITEM_MEASURES.
ACT_KINDS = ("like", "vote", "checkin", "share", "reply", "quote")
_KINDS_SQL = ", ".join(f"'{k}'" for k in ACT_KINDS)
# The checkpoint bucket of a time column: 0 = the last checkpoint_days before $ts.
BUCKET_SQL = "CAST(floor((epoch(CAST($ts AS TIMESTAMPTZ)) - epoch({col})) / $sec) AS INTEGER)"
ITEM_MEASURES = {
    # Help counts once per question (``counts_help``: one of the helper's replies under it, see items.py).
    "acts": "TRUE", "orig_ok": "is_orig_ok", "orig_all": "is_orig", "helped_nc": "is_newcomer_help AND counts_help",
    "helped_nc_rec": "is_newcomer_help AND counts_help AND help_recognised", "help_all": "is_help AND counts_help",
    "help_rec": "counts_help AND help_recognised", "accepted": "counts_help AND accepted", "praise": "is_praise", "disagree": "is_civil_disagree", "small_group": "is_small_group",
    "hostile": "hostile", "proactive": "proactive IS NOT NULL", "pro_meetup": "proactive = 'meetup'",
    "pro_guide": "proactive = 'guide'", "pro_clarification": "proactive = 'clarification'", "pro_defence": "proactive = 'defence'"}
_SOURCES = {
    "items": f"""SELECT author_mc AS mc, {BUCKET_SQL.format(col="created_at")} AS b, epoch_us(max(created_at)) AS last_us,
                 {", ".join(f"CAST(count(*) FILTER (WHERE {c}) AS INTEGER) AS {m}" for m, c in ITEM_MEASURES.items())}
                 FROM _lad_items GROUP BY ALL""",
    # Read from _lad_iacts (below): integer member codes, grouped without strings.
    "interactions": f"""SELECT mc, {BUCKET_SQL.format(col="created_at")} AS b, epoch_us(max(created_at)) AS last_us,
                        CAST(count(*) AS INTEGER) AS acts FROM _lad_iacts GROUP BY ALL""",
    "likes": f"""SELECT author_mc AS mc, {BUCKET_SQL.format(col="created_at")} AS b, epoch_us(max(created_at)) AS last_us,
                 CAST(sum(weight) AS DOUBLE) AS wlikes FROM _lad_likes GROUP BY ALL""",
}


# The replay of a few members (alerts.py) reads interactions as of an earlier moment: straight from the table, filtered
# to those members before grouping, and grouped by actor before the join to members (the join then sees a third of the
# rows). Joins use the members' integer codes (reef/store/codes.py), not the string ids.
_FEW_INTERACTIONS = f"""SELECT m.mc, x.b, x.last_us, x.acts FROM (
                        SELECT i.actor_code, {BUCKET_SQL.format(col="i.created_at")} AS b, epoch_us(max(i.created_at)) AS last_us,
                               CAST(count(*) AS INTEGER) AS acts
                        FROM interactions_at($ts) i WHERE i.kind IN ({_KINDS_SQL})
                          AND i.actor_code IS NOT NULL AND i.actor_code IN (SELECT member_code FROM _lad_members) GROUP BY ALL) x
                        JOIN _lad_members m ON m.member_code = x.actor_code"""
# The same replay reads them from _lad_iacts when a ladder run kept it (compute_ladder keeps it until the alerts are
# written): the candidates' acts before the earlier moment are exactly their interactions as of it, and scanning the
# narrow table on integer codes costs less than reading the interactions again (the two replays: 3-5 s of wall at 50M
# events, 5-12 s before). _lad_cand maps the run's member codes to the replay's (alerts.py).
_CAND_INTERACTIONS = f"""SELECT c.new_mc AS mc, {BUCKET_SQL.format(col="i.created_at")} AS b,
                         epoch_us(max(i.created_at)) AS last_us, CAST(count(*) AS INTEGER) AS acts
                         FROM _lad_iacts i JOIN _lad_cand c ON c.mc = i.mc WHERE i.created_at < $ts GROUP BY ALL"""
# Every member's interaction acts as of $ts, one narrow row each (member code and time): read from the interactions
# and joined to the members once (on the stored integer member code), then grouped here into buckets and read again by the promotion and demotion dating
# (dating.py), which each scanned the interactions and joined them to the members on string ids.
IACTS_SQL = f"""CREATE OR REPLACE TEMP TABLE _lad_iacts AS
SELECT m.mc, i.created_at FROM interactions_at($ts) i JOIN _lad_members m ON m.member_code = i.actor_code
WHERE i.kind IN ({_KINDS_SQL})"""


def _keyed(df: pl.DataFrame, span: int) -> dict[str, np.ndarray]:
    """One source's (member, bucket) rows as numpy arrays, sorted by ``key = (mc - 1) * span + b``."""
    df = df.with_columns(key=(pl.col("mc").cast(pl.Int64) - 1) * span + pl.col("b").cast(pl.Int64)).sort("key")
    return {c: df[c].to_numpy() for c in df.columns}


def build_windows(store, as_of, p: LadderParams, *, few_members: bool = False,
                  buckets: dict | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The window per change point (mc, k, measures, bucket_last_at) and per-member lifetime measures.

    The lifetime frame has ``mc``, ``life_*`` sums, recency-weighted ``dec_*`` sums (raw: multiply by
    ``LadderParams.decay_norm`` for window-equivalent counts), ``pace_recent`` / ``pace_earlier`` (weighted
    activity in the last ``recent_checkpoints`` buckets and in the window before them) and ``last_at``.
    Members are numbered by their code in ``_lad_members`` (``mc``), so ``key = (mc - 1) * span + bucket``
    sorts like the rows; a member with no act at all has no row in either frame. Counts are Int32 and the
    frames carry no member ids (strings are the bulk of the memory at a million members).

    ``buckets``, when given, receives ``span`` and ``sources``: the items' and interactions' (member, bucket) sums
    (``key`` and the count measures, sorted by key), which the promotion dating reads (dating.py).
    """
    w, kmax = p.window_checkpoints, p.history_checkpoints
    params = {"ts": as_of, "sec": float(p.checkpoint_days * 86400)}
    n_members = int(store.fetch_value("SELECT count(*) FROM _lad_members"))
    # A replay of a few members (the crossing alerts' stage-4 candidates) filters the interactions to them before
    # grouping: the same rows reach the join to _lad_members either way.
    if few_members:
        kept = store.table_exists("_lad_iacts") and store.table_exists("_lad_cand")
        sources = _SOURCES | {"interactions": _CAND_INTERACTIONS if kept else _FEW_INTERACTIONS}
    else:
        store.execute(IACTS_SQL, {"ts": as_of})
        sources = _SOURCES
    frames = {name: pl.from_arrow(store.fetch_arrow(sql, params)) for name, sql in sources.items()}
    # Lifetime rows may be older than the replayed history: the key's span covers the oldest bucket.
    span = max([kmax + w] + [int(f["b"].max()) for f in frames.values() if len(f)]) + 2
    srcs = {name: _keyed(frames.pop(name), span) for name in list(frames)}
    life = _lifetime(srcs, n_members, p)
    active = life["mc"].to_numpy().astype(np.int64) - 1
    # Change points per member: k where a bucket enters (b) or leaves (b - w) the window, plus 0 and kmax.
    parts = [active * span, active * span + kmax]
    for src in srcs.values():
        code_b = src["key"]
        b = src["b"].astype(np.int64)
        parts += [code_b[b <= kmax], (code_b - w)[(b >= w) & (b - w <= kmax)]]
    # Polars' multi-threaded unique (numpy's took 10 s on 60M keys at 19M events), sorted on a key that puts each
    # member's change points newest last (k descending): the replay's order, so it need not sort again.
    order_key = pl.Series(np.concatenate(parts)).unique().to_frame("cp").with_columns(
        o=(pl.col("cp") // span) * span + (span - 1 - pl.col("cp") % span)).sort("o")
    cp = order_key["cp"].to_numpy()
    del parts, order_key
    # Counts accumulate in int32: a prefix sum never exceeds the number of events (< 2^31).
    cols = {m: np.zeros(len(cp), np.float64 if m == "wlikes" else np.int32) for m in MEASURES}
    last = np.full(len(cp), np.iinfo(np.int64).min)
    for src in srcs.values():
        key = src["key"]
        lo = np.searchsorted(key, cp)          # first bucket >= k
        hi = np.searchsorted(key, cp + w)      # first bucket >= k + w
        _add_windows(cols, src, lo, hi)
        # Where the change point is one of the member's buckets, its last act dates the event.
        if len(key):
            at = np.minimum(lo, len(key) - 1)
            last = np.where(key[at] == cp, np.maximum(last, src["last_us"][at]), last)
    if buckets is not None:
        buckets.update(span=span, sources={n: {c: v for c, v in src.items() if c == "key" or c in MEASURES}
                                           for n, src in srcs.items() if n != "likes"})
    del srcs
    win = pl.DataFrame({"mc": (cp // span + 1).astype(np.int32), "k": (cp % span).astype(np.int32),
                        **cols, "bucket_last_at": last})
    win = win.with_columns(bucket_last_at=pl.when(pl.col("bucket_last_at") > np.iinfo(np.int64).min)
                           .then(pl.col("bucket_last_at")).otherwise(None).cast(pl.Datetime("us", "UTC")))
    return win, life


# Change points per block of the windows' gather: the block's rows of every measure stay in cache.
_BLOCK = 1 << 18


def _add_windows(cols: dict[str, np.ndarray], src: dict[str, np.ndarray], lo: np.ndarray, hi: np.ndarray) -> None:
    """Add one source's window sums ``C(hi) - C(lo)`` to ``cols``, for every measure the source has.

    The prefix sums of a source's measures sit side by side in one row-major matrix, so each change point reads one
    row of them (a cache line) instead of one scattered value per measure: 17 gathers of 19M change points from the
    items' prefix sums took about 10 s at 50M events.
    """
    for dtype in (np.int32, np.float64):
        names = [m for m in MEASURES if m in src and cols[m].dtype == dtype]
        if not names:
            continue
        c = np.zeros((len(src[names[0]]) + 1, len(names)), dtype)
        np.cumsum(np.column_stack([src[m] for m in names]), axis=0, dtype=dtype, out=c[1:])
        for start in range(0, len(lo), _BLOCK):
            part = slice(start, start + _BLOCK)
            sums = c[hi[part]] - c[lo[part]]
            for j, m in enumerate(names):
                cols[m][part] += sums[:, j]


def _lifetime(srcs: dict[str, dict[str, np.ndarray]], n: int, p: LadderParams) -> pl.DataFrame:
    """Per member: lifetime sums, recency-weighted sums, the two paces and the last act."""
    out = {m: np.zeros(n + 1) for m in MEASURES}
    dec = {m: np.zeros(n + 1) for m in DECAYED}
    recent, earlier = np.zeros(n + 1), np.zeros(n + 1)
    last = np.full(n + 1, np.iinfo(np.int64).min)
    seen = np.zeros(n + 1, bool)
    r, w = p.recent_checkpoints, p.window_checkpoints
    for s in srcs.values():
        mc, b = s["mc"].astype(np.int64), s["b"].astype(np.float64)
        weight = np.power(2.0, -(b + 0.5) * p.checkpoint_days / p.potential_half_life_days)
        in_recent, in_earlier = b < r, (b >= r) & (b < r + w)
        for m in MEASURES:
            if m in s:
                x = s[m].astype(np.float64)
                out[m] += np.bincount(mc, weights=x, minlength=n + 1)
                if m in DECAYED:
                    dec[m] += np.bincount(mc, weights=x * weight, minlength=n + 1)
                if m in _PACE:
                    recent += np.bincount(mc, weights=_PACE[m] * x * in_recent, minlength=n + 1)
                    earlier += np.bincount(mc, weights=_PACE[m] * x * in_earlier, minlength=n + 1)
        # Rows are sorted by (member, bucket): a member's first row is its most recent bucket, holding its last act.
        first = np.r_[True, mc[1:] != mc[:-1]] if len(mc) else np.zeros(0, bool)
        last[mc[first]] = np.maximum(last[mc[first]], s["last_us"][first])
        seen[mc] = True
    keep = np.flatnonzero(seen)
    frame = {"mc": keep.astype(np.int32)}
    frame |= {f"life_{m}": (out[m][keep] if m == "wlikes" else np.rint(out[m][keep]).astype(np.int32)) for m in MEASURES}
    frame |= {f"dec_{m}": dec[m][keep] for m in DECAYED}
    frame |= {"pace_recent": recent[keep], "pace_earlier": earlier[keep]}
    return pl.DataFrame(frame).with_columns(last_at=pl.Series(last[keep]).cast(pl.Datetime("us", "UTC")))
