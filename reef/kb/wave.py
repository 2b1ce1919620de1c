"""The breakwater's wave detector: is an aspect's negative volume in the last 24 hours a wave?

Evaluated every hour on the trailing ``crisis_window_hours`` window, per aspect (and ``全部``), on
negative items (see :mod:`reef.kb.crisis`), counting the distinct authors of the window per aspect
(:func:`author_spans`): one angry member posting ten times is one voice, and every author who posted in
a window counts in it (kb_crisis 7; the day-by-day ``observed`` then equals ``negative_authors``).

* **Who**: a PR wave is many members piling onto an aspect they do not usually talk about. The
  items' ``new`` flag (from :func:`mark_outsiders`) marks authors with *no post at all* on the aspect
  in the previous ``crisis_new_author_days``; their number is the breadth rule below, and with
  ``crisis_count_outsiders`` the tested count itself is theirs (the regulars' daily grumbling then
  never triggers; on the current text model that costs detection time, see docs/reef-validation.md).
* **Baseline**: the same window (same hours) on each of the previous ``crisis_baseline_days``
  days, pulled towards the same weekday of the previous ``crisis_baseline_weeks`` weeks (weekday
  weight ``crisis_baseline_weeks`` against ``crisis_weekday_shrink`` pseudo-weeks of the all-days
  mean): a quiet Sunday is its own baseline without trusting four noisy samples. With ``crisis_skip_alarms``
  a past window whose own evaluation alarmed is left out of the baseline and its dispersion: a wave's first days
  are not the normal its third day is tested against (kb_crisis 6; before, the QA store's wave of 05-19 to 05-24
  stopped alarming on 05-22 at 18 posts, 7.4x its baseline, p = 0.007, because its first three days had become
  the baseline's variance).
* **Test**: negative binomial upper tail with the baseline's own dispersion (day-to-day variance /
  mean, at least 1): forum negativity clusters and a Poisson test then cries wolf. Bonferroni over
  the aspects tested at that hour: significant when p < ``crisis_alpha`` / aspects.
* **Effect and breadth**: at least ``crisis_min_ratio`` x the baseline and ``crisis_min_count``
  tested items, from at least max(``crisis_min_new_authors``, ``crisis_new_authors_per_1k`` x daily
  active authors / 1000) new authors: a wave is many people, and the bar grows with the community.
* **Persistence**: all of the above at ``crisis_persistence`` consecutive hourly evaluations.

Example:
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> quiet = [(d * 86400 + rng.integers(0, 86400), f"m{rng.integers(0, 500)}") for d in range(40) for _ in range(4)]
    >>> wave = [(40 * 86400 + 3600 * h, f"w{h}") for h in range(18)]
    >>> items = pd.DataFrame(quiet + wave, columns=["t", "author_id"]).assign(aspect="续航")
    >>> hours = hourly_tests(items, start=0, end=41 * 86400, active_per_day=300.0)
    >>> bool(hours.loc[hours["t"] < 40 * 86400, "alarm"].any()), bool(hours["alarm"].any())
    (False, True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reef.config import packaged_defaults
from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["WaveParams", "author_spans", "mark_outsiders", "hourly_tests"]

_KB = packaged_defaults("kb")  # defaults are the packaged [kb] crisis_* values, written once in defaults.toml

HOUR, DAY = 3600, 86400
COLUMNS = ["aspect", "t", "observed", "baseline", "tested", "expected", "dispersion", "p_value", "new_authors",
           "min_new_authors", "significant", "alarm"]


@dataclass(frozen=True)
class WaveParams:
    """The detector's knobs; :meth:`from_kb` reads them from ``[kb] crisis_*``."""

    window_hours: int = _KB["crisis_window_hours"]
    baseline_days: int = _KB["crisis_baseline_days"]
    baseline_weeks: int = _KB["crisis_baseline_weeks"]
    weekday_shrink: float = _KB["crisis_weekday_shrink"]
    alpha: float = _KB["crisis_alpha"]
    min_ratio: float = _KB["crisis_min_ratio"]
    min_count: int = _KB["crisis_min_count"]
    floor: float = _KB["crisis_floor"]
    min_new_authors: int = _KB["crisis_min_new_authors"]
    new_authors_per_1k: float = _KB["crisis_new_authors_per_1k"]
    new_author_days: int = _KB["crisis_new_author_days"]
    persistence: int = _KB["crisis_persistence"]
    count_outsiders: bool = _KB["crisis_count_outsiders"]
    skip_alarms: bool = _KB["crisis_skip_alarms"]

    @classmethod
    def from_kb(cls, p, **overrides) -> "WaveParams":
        """From :class:`reef.kb.params.KbParams` (its ``crisis_*`` fields), with overrides."""
        values = {f: getattr(p, "crisis_" + f) for f in cls.__dataclass_fields__ if hasattr(p, "crisis_" + f)}
        return cls(**{**values, **overrides})


def author_spans(items: pd.DataFrame, hours: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per aspect, the evaluation times at which each item is its author's first in the trailing ``hours`` window.

    A window is [g - hours, g); item i (time t, its author's previous item on the aspect at p) is the author's first
    in it for g in (max(t, p + hours), t + hours]. Returns {aspect: (lower bounds, upper bounds)}, each sorted, so the
    distinct authors of any window are :func:`_windows` of them: every author counts exactly once in every window
    they posted in (before kb_crisis 7 a rolling 24-hour throttle kept one post per author per 24 hours, and an
    author whose kept post was the evening before counted in no window of the next day up to 24 hours after it).

    >>> items = pd.DataFrame({"aspect": ["续航"] * 3, "author_id": ["a", "a", "b"], "t": [0.0, 3600.0, 1800.0]})
    >>> lo, hi = author_spans(items, 24)["续航"]
    >>> _windows((lo, hi), np.array([3601.0, 86400.0, 86400.0 + 3600])).tolist()
    [2, 2, 1]
    """
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if items.empty:
        return out
    gap = hours * HOUR
    df = items.sort_values(["aspect", "author_id", "t"], kind="stable")
    t = df["t"].to_numpy(float)
    key = pd.factorize(df["aspect"].astype(str) + "\x00" + df["author_id"].astype(str))[0]
    prev = np.r_[-np.inf, t[:-1]]
    prev[np.r_[True, key[1:] != key[:-1]]] = -np.inf
    lo, hi = np.maximum(t, prev + gap), t + gap
    for aspect, idx in pd.Series(np.arange(len(df))).groupby(df["aspect"].to_numpy(), sort=True).groups.items():
        ix = np.asarray(idx)
        out[aspect] = (np.sort(lo[ix]), np.sort(hi[ix]))
    return out


def mark_outsiders(items: pd.DataFrame, posts: pd.DataFrame, days: int) -> pd.DataFrame:
    """Add ``new``: the item's author had no post on its aspect (``posts``: author_id, aspect, t; for
    ``全部`` any post) in the ``days`` before it.

    >>> posts = pd.DataFrame({"author_id": ["a", "b"], "aspect": ["续航", "续航"], "t": [0.0, 50 * 86400.0]})
    >>> items = pd.DataFrame({"author_id": ["a", "b", "c"], "aspect": ["续航"] * 3, "t": [10 * 86400.0, 51 * 86400.0, 5.0]})
    >>> mark_outsiders(items, posts, 60)["new"].tolist()
    [False, False, True]
    """
    if items.empty:
        return items.assign(new=pd.Series(dtype=bool))
    ref = posts[["author_id", "aspect", "t"]]
    ref = pd.concat([ref, ref.drop_duplicates(["author_id", "t"]).assign(aspect="全部")], ignore_index=True)
    ref = ref.assign(prev_t=ref["t"]).sort_values("t", kind="stable")
    left = items.assign(_order=np.arange(len(items))).sort_values("t", kind="stable")
    merged = pd.merge_asof(left, ref, on="t", by=["author_id", "aspect"], allow_exact_matches=False)
    merged["new"] = merged["prev_t"].isna() | (merged["t"] - merged["prev_t"] > days * DAY)
    return merged.sort_values("_order").drop(columns=["prev_t", "_order"]).reset_index(drop=True)


def _nb_sf(x: np.ndarray, mu: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """P(X >= x) for a negative binomial of mean ``mu`` and variance ``phi * mu`` (Poisson at phi = 1)."""
    from scipy.stats import nbinom, poisson

    out = np.ones_like(mu, dtype=float)
    pos = x > 0
    pois = pos & (phi <= 1.0 + 1e-9)
    out[pois] = poisson.sf(x[pois] - 1, mu[pois])
    nb = pos & ~pois
    out[nb] = nbinom.sf(x[nb] - 1, mu[nb] / (phi[nb] - 1.0), 1.0 / phi[nb])
    return out


def _windows(spans: tuple[np.ndarray, np.ndarray], grid: np.ndarray) -> np.ndarray:
    """Distinct authors in the window ending at each evaluation time g of ``grid`` (``spans`` from :func:`author_spans`,
    whose ``hours`` is the window's: the items counting at g are those with lower < g <= upper)."""
    lo, hi = spans
    return np.searchsorted(lo, grid, "left") - np.searchsorted(hi, grid, "left")


def _past(spans: tuple[np.ndarray, np.ndarray], grid: np.ndarray, p: WaveParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(count at each grid time, counts of the same window on each of the previous days (days x grid), and on the
    same weekday of the previous weeks (weeks x grid))."""
    obs = _windows(spans, grid)
    past = np.stack([_windows(spans, grid - k * DAY) for k in range(1, p.baseline_days + 1)])
    weeks = np.stack([_windows(spans, grid - 7 * w * DAY) for w in range(1, p.baseline_weeks + 1)]) \
        if p.baseline_weeks else np.zeros((0, len(grid)))
    return obs, past, weeks


def _lagged(alarm: np.ndarray, lags: list[int]) -> np.ndarray:
    """keep[i, g]: the evaluation ``lags[i]`` hours before grid time g did not alarm (True before the grid)."""
    keep = np.ones((len(lags), len(alarm)), dtype=bool)
    for i, lag in enumerate(lags):
        if lag < len(alarm):
            keep[i, lag:] = ~alarm[:len(alarm) - lag]
    return keep


def _expect(past: np.ndarray, weeks: np.ndarray, p: WaveParams, alarm: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(expected, dispersion) from the past windows; with ``alarm`` (hourly, on the grid) the past windows whose own
    evaluation alarmed are left out, so a running wave is never its own baseline."""
    keep = _lagged(alarm, [24 * k for k in range(1, p.baseline_days + 1)]) if alarm is not None else np.ones(past.shape, bool)
    keep_w = _lagged(alarm, [24 * 7 * w for w in range(1, p.baseline_weeks + 1)]) if alarm is not None else np.ones(weeks.shape, bool)
    n = keep.sum(axis=0)
    mean_all = np.where(n > 0, (past * keep).sum(axis=0) / np.maximum(n, 1), 0.0)
    same_wd, n_wd = (weeks * keep_w).sum(axis=0), keep_w.sum(axis=0)
    expected = np.maximum((same_wd + p.weekday_shrink * mean_all) / np.maximum(n_wd + p.weekday_shrink, 1e-9), p.floor)
    var = ((past - mean_all) ** 2 * keep).sum(axis=0) / np.maximum(n - 1, 1)
    phi = np.where(n > 1, np.maximum(var / np.maximum(mean_all, p.floor), 1.0), 1.0)
    return expected, phi


def hourly_tests(items: pd.DataFrame, start: float, end: float, *, active_per_day: float = 0.0,
                 params: WaveParams | None = None, aspects=()) -> pd.DataFrame:
    """One row per aspect and evaluation hour in (``start`` + baseline, ``end``].

    ``items``: t (epoch s), author_id, aspect and optionally ``new`` (from :func:`mark_outsiders`);
    ``active_per_day``: the community's daily active authors; ``aspects``: aspects tested even without an item (a
    span of the history read in part: the aspects of its earlier items, which a whole-history run tests too and
    which count in the Bonferroni correction). Columns: observed / baseline (all negative items), tested / expected /
    dispersion / p_value (the tested count), new_authors, min_new_authors, significant, alarm."""
    p = params or WaveParams()
    # The grid is whole hours after ``start`` (a local midnight), so day ends fall on it in any zone.
    grid = np.arange(start + p.baseline_days * DAY + p.window_hours * HOUR, end + 1, HOUR, dtype=float)
    if (items.empty and not len(aspects)) or not len(grid):
        return pd.DataFrame(columns=COLUMNS)
    cols = [c for c in ("t", "author_id", "aspect", "new") if c in items.columns]
    items = items[cols] if "new" in cols else items[cols].assign(new=True)
    spans = author_spans(items, p.window_hours)  # every author once in every window they posted in
    new_spans = author_spans(items[items["new"].astype(bool)], p.window_hours)
    none = (np.zeros(0), np.zeros(0))
    spans = dict(sorted({**dict.fromkeys(aspects, none), **spans}.items()))
    min_new = max(float(p.min_new_authors), p.new_authors_per_1k * float(active_per_day) / 1000.0)
    parts = {}
    for aspect, sp in spans.items():
        nsp = new_spans.get(aspect, none)
        obs, past, weeks = _past(sp, grid, p)
        tested = _past(nsp, grid, p) if p.count_outsiders else (obs, past, weeks)
        parts[aspect] = (obs, past, weeks, tested, _windows(nsp, grid))
    # Alarmed windows leave the baseline (skip_alarms): alarms depend only on evaluations whole days earlier, so
    # re-testing with the previous pass's alarms settles day by day (the causal answer) in a few passes.
    alarms: dict | None = None
    for _ in range(len(grid) // 24 + 2):
        out = _test(parts, grid, p, min_new, alarms)
        now = {a: h["alarm"].to_numpy(bool) for a, h in out.groupby("aspect", sort=True)}
        if not p.skip_alarms or not any(v.any() for v in now.values()) or (alarms is not None and all(np.array_equal(now[a], alarms[a]) for a in now)):
            break
        alarms = now
    return out[COLUMNS]


def _test(parts: dict, grid: np.ndarray, p: WaveParams, min_new: float, alarms: dict | None) -> pd.DataFrame:
    """One pass of the tests, the baselines leaving out the windows ``alarms`` (per aspect, hourly) marks."""
    frames = []
    for aspect, (obs, past, weeks, (tested, t_past, t_weeks), new_authors) in parts.items():
        alarm = alarms[aspect] if alarms is not None else None
        baseline, _ = _expect(past, weeks, p, alarm)
        expected, phi = _expect(t_past, t_weeks, p, alarm) if p.count_outsiders else (baseline, _expect(past, weeks, p, alarm)[1])
        frames.append(pd.DataFrame({"aspect": aspect, "t": grid, "observed": obs, "baseline": baseline, "tested": tested,
                                    "expected": expected, "dispersion": phi, "p_value": _nb_sf(tested, expected, phi),
                                    "new_authors": new_authors, "min_new_authors": min_new}))
    out = pd.concat(frames, ignore_index=True)
    tested_aspects = out.groupby("t")["aspect"].transform("size")
    out["significant"] = ((out["p_value"] < p.alpha / tested_aspects) & (out["tested"] >= p.min_count)
                          & (out["tested"] >= p.min_ratio * out["expected"]) & (out["new_authors"] >= out["min_new_authors"]))
    # Persistence: the last `persistence` hourly evaluations of the aspect were all significant.
    run = out.groupby("aspect")["significant"].transform(lambda s: s.astype(int).rolling(p.persistence, min_periods=1).sum())
    out["alarm"] = out["significant"] & (run.to_numpy() >= p.persistence)
    return out
