"""Stages from window measures: requirements, hysteresis replay; potential from recency-weighted ones.

Each stage s has a *ratio* (measure / requirement; the connector's is the smaller of its two
requirements). A member *meets* s when its ratio is >= 1 and *keeps* s while it is >= ``keep_ratio``.
The replay walks every member's change points oldest first, vectorised over members (numpy, one
step per position, never one per member): promote at once to the highest stage met; demote only
after the kept level has stayed below the current stage for ``grace_days``, to that kept level.

Example:
    >>> import numpy as np
    >>> r = stage_ratios({m: np.array([0.0]) for m in MEASURES} | {"acts": np.array([20.0])}, LadderParams())
    >>> int(highest(r, 1.0)[0])
    1
"""
from __future__ import annotations

import numpy as np
import polars as pl

from reef.ladder.params import LadderParams
from reef.ladder.windows import MEASURES

__all__ = ["stage_ratios", "highest", "replay_order", "replay", "trend", "evidence_mass", "potential", "MEASURES"]


def stage_ratios(m: dict[str, np.ndarray], p: LadderParams) -> np.ndarray:
    """Ratios (n, 5) of each stage's measure to its requirement; column 0 is always 1 (silent)."""
    n = len(m["acts"])
    r = np.zeros((n, 5))
    r[:, 0] = 1.0
    r[:, 1] = m["acts"] / p.participant_min_acts
    r[:, 2] = m["orig_ok"] / p.creator_min_items
    points = (m["helped_nc_rec"] + p.praise_points * m["praise"] + p.disagree_points * m["disagree"]
              + p.group_points * m["small_group"] + p.help_credit_points * m.get("help_credit", 0.0))
    r[:, 3] = np.minimum(m["helped_nc_rec"] / p.connector_min_helped, points / p.connector_min_points)
    r[:, 4] = m["proactive"] / p.leader_min_acts
    # Hostility bars the two social stages however much else a member does.
    barred = m["hostile"] >= p.hostile_max
    r[barred, 3:] = 0.0
    return r


def highest(ratios: np.ndarray, level: float) -> np.ndarray:
    """Highest stage whose ratio reaches ``level`` (int8)."""
    ok = ratios >= level - 1e-9
    return (4 - np.argmax(ok[:, ::-1], axis=1)).astype(np.int8)


def replay_order(win: pl.DataFrame) -> list[str]:
    """Member key of the replay: the integer member code ``mc`` when present (fast), else ``member_id``; then k."""
    return ["mc" if "mc" in win.columns else "member_id", "k"]


# The measures the stage requirements read (stage_ratios); the replay converts only these to numpy.
_STAGE_MEASURES = ("acts", "orig_ok", "helped_nc_rec", "praise", "disagree", "small_group", "proactive", "hostile")


def _in_replay_order(keys: pl.Series, k: pl.Series) -> bool:
    """True when rows are grouped by member (keys ascending) with k descending inside each member."""
    if len(keys) < 2 or keys.dtype == pl.Utf8:
        return len(keys) < 2
    kk, kv = keys.to_numpy(), k.to_numpy()
    same = kk[1:] == kk[:-1]
    return bool(np.all(kk[1:] >= kk[:-1]) and np.all(kv[1:][same] < kv[:-1][same]))


def replay(win: pl.DataFrame, p: LadderParams, *, with_grace: bool = False):
    """Replay ``win`` (member key, k, measures; any order) with hysteresis.

    ``with_grace`` adds a fourth result aligned with the keys: the checkpoint ``k`` at which a member still held at
    its stage by the grace period was first seen below its kept level (-1 for the others); with no new act it is
    demoted at checkpoint ``k - grace_checkpoints`` (negative: after as_of). Stages and events are the same.

    The member key is ``mc`` when present, else ``member_id`` (:func:`replay_order`). Returns (member keys,
    events frame with columns <key>/k/row/from_stage/to_stage/kind, current stages, aligned with the keys).
    ``row`` is the row of ``win`` (as given) whose measures explain the event.

    Members are walked position by position over their change points (oldest first), vectorised over the
    members that still have a point at that position (sorted by how many they have, so they are a prefix):
    no dense member x position matrix, whose size grew with the busiest member.
    """
    key = replay_order(win)[0]
    idx = win.select(key, "k", *_STAGE_MEASURES).with_row_index("_row")
    if not _in_replay_order(idx[key], idx["k"]):  # build_windows already emits this order
        idx = idx.sort([key, "k"], descending=[False, True])
    perm = idx["_row"].to_numpy()
    ratios = stage_ratios({c: idx[c].to_numpy().astype(np.float64) for c in _STAGE_MEASURES}, p)
    raw, hold = highest(ratios, 1.0), highest(ratios, p.keep_ratio)
    del ratios
    k_all = idx["k"].to_numpy().astype(np.int64)
    change = (idx[key] != idx[key].shift(1)).fill_null(True).to_numpy()
    starts = np.flatnonzero(change)
    counts = np.diff(np.r_[starts, len(idx)]).astype(np.int64)
    order = np.argsort(-counts, kind="stable")
    starts, counts = starts[order], counts[order]
    keys = idx[key].gather(starts).to_numpy() if len(starts) else idx[key].to_numpy()[:0]
    n = len(starts)
    cur = np.full(n, -1, dtype=np.int8)
    below = np.full(n, -1, dtype=np.int64)
    prev_hold = np.zeros(n, dtype=np.int8)
    prev_row = np.zeros(n, dtype=np.int64)
    ev: list[tuple[np.ndarray, ...]] = []
    g = p.grace_checkpoints
    width = int(counts[0]) if n else 0
    for j in range(width):
        a = int(np.searchsorted(-counts, -j, side="left"))  # members with more than j change points
        rows = starts[:a] + j
        kj, r_j, h_j = k_all[rows], raw[rows], hold[rows]
        c, b = cur[:a], below[:a]  # views: updates write through
        first = c < 0
        start = first & (r_j > 0)
        ev.append((np.flatnonzero(start), kj[start], rows[start], np.zeros(int(start.sum()), np.int8), r_j[start], 0))
        c[first] = r_j[first]
        rest = ~first
        ran_out = rest & (b >= 0) & (b - kj >= g)
        # Grace that runs out exactly at this checkpoint is judged on this checkpoint's kept level (the member may be
        # back at 90% by then); grace that ran out earlier, inside the previous segment, on that segment's level.
        at_now = ran_out & (b - kj == g)
        level = np.where(at_now, h_j, prev_hold[:a])
        reason = np.where(at_now, rows, prev_row[:a])
        dem = ran_out & (level < c)
        c0, due = c.copy(), b - g  # the stage before this checkpoint; where the grace period ran out
        c[dem] = level[dem]
        b[dem] = -1
        prom = rest & (r_j > c)
        # A demotion and a promotion at one checkpoint are one change, from the stage before to the stage after
        # (none when they cancel): two events stamped apart would put them in the wrong order or show a flap.
        only_dem, up, down = dem & ~prom, prom & (~dem | (r_j > c0)), dem & prom & (r_j < c0)
        ev.append((np.flatnonzero(only_dem), due[only_dem], reason[only_dem], c0[only_dem], level[only_dem], 2))
        ev.append((np.flatnonzero(down), due[down], rows[down], c0[down], r_j[down], 2))
        ev.append((np.flatnonzero(up), kj[up], rows[up], c0[up], r_j[up], 1))
        c[prom] = r_j[prom]
        b[prom] = -1
        stay = rest & ~prom
        newly_below = stay & (h_j < c) & (b < 0)
        b[newly_below] = kj[newly_below]
        b[stay & (h_j >= c)] = -1
        prev_hold[:a] = h_j
        prev_row[:a] = rows
    dtype = pl.Int32 if key == "mc" else pl.Utf8
    parts = [pl.DataFrame({key: pl.Series(keys[m], dtype=dtype), "k": k, "row": perm[r], "from_stage": f.astype(np.int8),
                           "to_stage": t.astype(np.int8), "kind": np.full(len(m), kind, np.int8)})
             for m, k, r, f, t, kind in ev if len(m)]
    events = pl.concat(parts) if parts else pl.DataFrame(
        schema={key: dtype, "k": pl.Int64, "row": pl.Int64, "from_stage": pl.Int8, "to_stage": pl.Int8, "kind": pl.Int8})
    if with_grace:
        return keys, events, np.maximum(cur, 0), below
    return keys, events, np.maximum(cur, 0)


def trend(recent: np.ndarray, earlier: np.ndarray, p: LadderParams) -> np.ndarray:
    """0-1: the recent pace's share of (recent + earlier pace); 0.5 steady, 1 new or rising, 0 lapsed or silent.

    Paces are weighted activity per checkpoint bucket in the last ``potential_recent_days`` and in the
    window before them. With ``potential_trend_relative`` each pace is first divided by the community's pace
    (the sum over all members) in the same period, so "steady" means keeping pace with the community: a
    holiday lull that halves everyone's activity leaves everyone steady, not lapsed.

    Example:
        >>> recent, earlier = np.array([2.0, 6.0]), np.array([13.0, 39.0])  # both at half their earlier pace
        >>> trend(recent, earlier, LadderParams(potential_trend_relative=False)).round(2).tolist()
        [0.33, 0.33]
        >>> trend(recent, earlier, LadderParams(potential_trend_relative=True)).round(2).tolist()
        [0.5, 0.5]
    """
    r = recent / p.recent_checkpoints
    e = earlier / p.window_checkpoints
    if p.potential_trend_relative and r.sum() > 0 and e.sum() > 0:
        r, e = r / r.sum(), e / e.sum()
    total = r + e
    return np.where(total > 0, r / np.where(total > 0, total, 1.0), 0.0)


def evidence_mass(d: dict[str, np.ndarray], p: LadderParams) -> np.ndarray:
    """Weighted evidence: help and accepted answers first, proactive acts most, likes and low-cost acts least."""
    return (3 * d["help_rec"] + 2 * d["accepted"] + d["orig_ok"] + 4 * d["proactive"] + 0.5 * d["praise"]
            + 0.1 * d["wlikes"] + 0.02 * d["acts"] + p.help_credit_weight * d.get("help_credit", 0.0))


def potential(stage: np.ndarray, d: dict[str, np.ndarray], tr: np.ndarray, p: LadderParams) -> np.ndarray:
    """0-100 (unrounded): recency-weighted progress to the next stage blended with depth, tilted by the trend.

    ``d`` holds recency-weighted measures (window-equivalent counts, see ``LadderParams.decay_norm``) and
    ``hostile`` of the window, and optionally ``life``: the same measures summed since joining (read with
    ``potential_lifetime_weight``); ``tr`` is :func:`trend`. A lapsed member keeps ``1 - potential_trend_weight``
    of the score, a rising one all of it, so recent risers rank above members equally active long ago.
    """
    ratios = stage_ratios(d, p)
    mass = evidence_mass(d, p) + p.potential_people_weight * d.get("people_helped", 0.0)
    if p.potential_lifetime_weight and "life" in d:
        mass = mass + p.potential_lifetime_weight * evidence_mass(d["life"], p)
    depth = mass / (mass + p.potential_half_mass)
    nxt = np.clip(ratios[np.arange(len(stage)), np.minimum(stage + 1, 4)], 0, 1)
    share = np.where(stage >= 4, 0.0, p.potential_next_share)
    base = share * nxt + (1 - share) * depth
    return 100 * base * (1 - p.potential_trend_weight + p.potential_trend_weight * tr)
