"""Stages from window measures: requirements, hysteresis replay, potential score.

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

__all__ = ["stage_ratios", "highest", "replay", "potential", "MEASURES"]


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


def replay(win: pl.DataFrame, p: LadderParams) -> tuple[np.ndarray, pl.DataFrame, np.ndarray]:
    """Replay ``win`` (member_id, k, measures; any order) with hysteresis.

    Returns (member ids, events frame with columns member_id/k/row/from_stage/to_stage/kind, current stages).
    ``row`` indexes ``win`` sorted by (member_id, k desc): the measures that explain the event.
    """
    win = win.sort(["member_id", "k"], descending=[False, True])
    ratios = stage_ratios({c: win[c].to_numpy().astype(float) for c in MEASURES}, p)
    raw, hold = highest(ratios, 1.0), highest(ratios, p.keep_ratio)
    ids = win["member_id"].to_numpy()
    code = win["member_id"].rank("dense").to_numpy().astype(np.int64) - 1
    pos = win.select(pl.int_range(pl.len()).over("member_id")).to_series().to_numpy()
    n, width = (int(code.max()) + 1, int(pos.max()) + 1) if len(win) else (0, 0)
    K = np.full((n, width), -1, dtype=np.int64)
    ROW = np.zeros((n, width), dtype=np.int64)
    K[code, pos] = win["k"].to_numpy()
    ROW[code, pos] = np.arange(len(win))
    cur = np.full(n, -1, dtype=np.int8)
    below = np.full(n, -1, dtype=np.int64)
    prev_hold = np.zeros(n, dtype=np.int8)
    prev_row = np.zeros(n, dtype=np.int64)
    ev: list[tuple[np.ndarray, ...]] = []
    g = p.grace_checkpoints
    for j in range(width):
        kj, rows = K[:, j], ROW[:, j]
        valid = kj >= 0
        first = valid & (cur < 0)
        start = first & (raw[rows] > 0)
        ev.append((np.flatnonzero(start), kj[start], rows[start], np.zeros(start.sum(), np.int8), raw[rows][start], 0))
        cur[first] = raw[rows][first]
        rest = valid & ~first
        dem = rest & (below >= 0) & (below - kj >= g)
        ev.append((np.flatnonzero(dem), below[dem] - g, prev_row[dem], cur[dem], prev_hold[dem], 2))
        cur[dem] = prev_hold[dem]
        below[dem] = -1
        r_j, h_j = raw[rows], hold[rows]
        prom = rest & (r_j > cur)
        ev.append((np.flatnonzero(prom), kj[prom], rows[prom], cur[prom], r_j[prom], 1))
        cur[prom] = r_j[prom]
        below[prom] = -1
        stay = rest & ~prom
        below[stay & (h_j < cur) & (below < 0)] = kj[stay & (h_j < cur) & (below < 0)]
        below[stay & (h_j >= cur)] = -1
        prev_hold[valid] = h_j[valid]
        prev_row[valid] = rows[valid]
    member_of_code = np.empty(n, dtype=object)
    member_of_code[code] = ids
    parts = [pl.DataFrame({"member_id": member_of_code[c], "k": k, "row": r, "from_stage": f.astype(np.int8),
                           "to_stage": t.astype(np.int8), "kind": np.full(len(c), kind, np.int8)})
             for c, k, r, f, t, kind in ev if len(c)]
    events = pl.concat(parts) if parts else pl.DataFrame(
        schema={"member_id": pl.Utf8, "k": pl.Int64, "row": pl.Int64, "from_stage": pl.Int8, "to_stage": pl.Int8,
                "kind": pl.Int8})
    return member_of_code, events.with_columns(pl.col("member_id").cast(pl.Utf8)), np.maximum(cur, 0)


def potential(stage: np.ndarray, ratios: np.ndarray, m: dict[str, np.ndarray], p: LadderParams) -> np.ndarray:
    """0-100: progress towards the next stage blended with the depth of current evidence."""
    mass = (3 * m["help_rec"] + 2 * m["accepted"] + m["orig_ok"] + 4 * m["proactive"] + 0.5 * m["praise"]
            + 0.1 * m["wlikes"] + 0.02 * m["acts"] + p.help_credit_weight * m.get("help_credit", 0.0))
    depth = mass / (mass + p.potential_half_mass)
    nxt = np.clip(ratios[np.arange(len(stage)), np.minimum(stage + 1, 4)], 0, 1)
    share = np.where(stage >= 4, 0.0, p.potential_next_share)
    return np.round(100 * (share * nxt + (1 - share) * depth), 1)
