"""Shared pieces of the risk radar: part scores, surprise tests, size scaling and the base tables.

A *part* is one measured symptom (e.g. "weekly active contributors fell 40% below their
baseline") turned into a 0-100 score by a linear ramp between an "ok" and a "bad" level, both in
``[risks]`` of reef/defaults.toml. A family's score combines its parts (see :func:`family_score`).
Rare-event tests report a *surprise* = -log10 of a tail probability, so 3 means "1 in 1,000".

Example:
    >>> ramp(0.3, ok=0.1, bad=0.5)
    50.0
    >>> family_score([Part("a", 1.0, 80.0), Part("b", 0.0, 0.0)])
    60.0
    >>> change_point([5, 5, 5, 5, 1, 1, 1])[0]
    4
    >>> round(poisson_low_surprise(0, 4.6), 1)   # nothing where 4.6 were expected
    2.0
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np

from reef.lazy import lazy_module

stats = lazy_module("scipy.stats")

__all__ = ["Part", "FamilyResult", "ramp", "family_score", "change_point", "decline_run", "level", "MEMBER_POSTS", "CONTENT", "ORIGINAL_KINDS",
           "risk_base", "poisson_low_surprise", "poisson_low_surprises", "poisson_high_surprise", "binom_high_surprise", "betabinom_high_surprise", "decline_cusum", "size_factor", "scaled"]

# Kinds that start a conversation or publish work (not replies): used for "posts" and share of voice.
ORIGINAL_KINDS = ("thread", "photo", "video", "guide", "event", "poll")

# The base tables of one run (see risk_base): every family reads these instead of re-running the macros.
MEMBER_POSTS = "SELECT * FROM _risk_posts"
CONTENT = "_risk_content"

_ACTIVE: dict[int, list] = {}
# What risk_base provides (views over reef.risks.incremental's tables, or temp tables), dropped in this order.
_BASE_RELATIONS = ("_risk_bands_shared", "_risk_dupkeys_shared", "_risk_dupkeys", "_risk_bands", "_risk_posts", "_risk_content")


@contextmanager
def risk_base(store, ts, horizon_days: int = 400) -> Iterator[None]:
    """Materialise, once per ``as_of``, the content visible at ``ts`` (last ``horizon_days``) and the
    members' own posts with their text features; nested calls with the same ``ts`` reuse them."""
    key = id(store)
    cur = _ACTIVE.get(key)
    if cur is not None and cur[0] == ts:
        cur[1] += 1
        try:
            yield
        finally:
            cur[1] -= 1
        return
    if _incremental(store, ts, horizon_days):
        _drop = tuple(f"DROP VIEW IF EXISTS {v}" for v in _BASE_RELATIONS)
    else:
        _temp_base(store, ts, horizon_days)
        _drop = tuple(f"DROP TABLE IF EXISTS {v}" for v in _BASE_RELATIONS)
    _ACTIVE[key] = [ts, 1]
    try:
        yield
    finally:
        _ACTIVE.pop(key, None)
        try:
            for sql in _drop:
                store.execute(sql)
        except Exception:  # noqa: BLE001 - an aborted transaction drops them on rollback; keep the original error
            pass


def _incremental(store, ts, horizon_days: int) -> bool:
    """Use (and bring up to date) the persisted base of reef.risks.incremental when the config allows
    it, the store is writable and the base can hold the horizon; False means: build temp tables."""
    from reef.risks import incremental

    cfg = getattr(store, "config", None)
    if getattr(store, "read_only", False) or cfg is None or not bool(cfg.section("risks").get("incremental", True)):
        return False
    h = int(horizon_days)
    if incremental.has_base(store) and not incremental.base_covers(store, ts, h):
        return False  # a look back before the base (weekly report's past weeks) must not rebuild it for today's runs
    if h > int(cfg.section("risks").get("horizon_days", 400)) and not incremental.base_covers(store, ts, h):
        return False  # a longer look-back than the radar's (heat_metrics over years) would bloat the persisted base
    incremental.refresh_base(store, ts, h, _bands(store))
    incremental.base_views(store, ts, h)
    return True


def _bands(store) -> tuple[int, int]:
    cfg = getattr(store, "config", None)
    c = cfg.section("risks") if cfg is not None else {}
    return int(c.get("novelty_bands", 8)), int(c.get("novelty_band_rows", 8))


def _temp_base(store, ts, horizon_days: int) -> None:
    from reef.risks.incremental import (BANDS_SHARED, DUP_KEYS, DUP_SHARED, dup_keys_sql, ensure_features_table, originals_sql,
                                        shared_keys_sql)
    from reef.risks.novelty import BANDS, band_keys_sql

    ensure_features_table(store)
    p = {"ts": ts, "h": int(horizon_days)}
    # Members who have left since stay in (their past posts happened); ``left_at`` says who is gone at ts.
    store.execute("""CREATE OR REPLACE TEMP TABLE _risk_content AS
        SELECT c.content_id, c.kind, c.author_id, c.created_at, c.parent_id, c.thread_id, c.group_id, m.member_id IS NOT NULL AS known,
               m.joined_at, CASE WHEN m.left_at < $ts THEN m.left_at END AS left_at, coalesce(m.account_type, 'member') AS account_type
        FROM content_at($ts) c
        LEFT JOIN (SELECT member_id, joined_at, left_at, account_type FROM members WHERE joined_at < $ts OR joined_at IS NULL) m
               ON m.member_id = c.author_id
        WHERE c.created_at >= $ts::TIMESTAMPTZ - to_days($h)""", p)
    # Features may be missing for items not yet enriched: LEFT JOIN keeps them in the activity counts.
    store.execute("""CREATE OR REPLACE TEMP TABLE _risk_posts AS
        SELECT c.content_id, c.kind, c.author_id, c.created_at, c.parent_id, c.thread_id, c.group_id, c.joined_at, c.left_at,
               f.sentiment, f.intents, f.toxicity, f.aspect_names
        FROM _risk_content c LEFT JOIN content_features f ON f.content_id = c.content_id
        WHERE c.known AND c.account_type = 'member' AND c.kind <> 'poll_vote'""")
    # MinHash keys of the originals: novelty's bands and homogenisation's keys, each with its keys carried more than once.
    originals = originals_sql("_risk_content")
    store.execute(f"CREATE OR REPLACE TEMP TABLE {BANDS} AS {band_keys_sql(originals, *_bands(store))}")
    store.execute(f"CREATE OR REPLACE TEMP TABLE {DUP_KEYS} AS {dup_keys_sql(originals)}")
    store.execute(f"CREATE OR REPLACE TEMP TABLE {BANDS_SHARED} AS {shared_keys_sql(BANDS)}")
    store.execute(f"CREATE OR REPLACE TEMP TABLE {DUP_SHARED} AS {shared_keys_sql(DUP_KEYS)}")


@dataclass
class Part:
    """One measured symptom: raw ``value``, its ``score`` 0-100 and a sentence in both languages."""

    name: str
    value: float | None
    score: float
    baseline: float | None = None
    note_zh: str = ""
    note_en: str = ""


@dataclass
class FamilyResult:
    """Parts, drill-down evidence rows and alert rows of one risk family."""

    family: str
    parts: list[Part] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)


def ramp(value: float | None, *, ok: float, bad: float) -> float:
    """0 at ``ok`` (or better), 100 at ``bad`` (or worse), linear between; works both ways round."""
    if value is None or not np.isfinite(value) or ok == bad:
        return 0.0
    return round(float(np.clip((value - ok) / (bad - ok), 0.0, 1.0)) * 100.0, 1)


def family_score(parts: list[Part]) -> float:
    """Half the worst part plus half the mean: one acute symptom is visible, broad malaise counts too."""
    if not parts:
        return 0.0
    scores = [p.score for p in parts]
    return round(0.5 * max(scores) + 0.5 * float(np.mean(scores)), 1)


def level(score: float, alert: float, high: float) -> str:
    """'high' / 'medium' / 'low' for a 0-100 score against the configured alert and high levels."""
    return "high" if score >= high else "medium" if score >= alert else "low"


def _surprise(p: float) -> float:
    return float(min(30.0, -np.log10(max(float(p), 1e-30))))


def poisson_low_surprise(observed: float, expected: float) -> float:
    """-log10 P(X <= observed) for X ~ Poisson(expected): how surprising so little activity is."""
    return _surprise(stats.poisson.cdf(observed, expected)) if expected > 0 else 0.0


def poisson_low_surprises(observed, expected) -> np.ndarray:
    """:func:`poisson_low_surprise` of many (observed, expected) pairs in one call (0 where expected <= 0), for loops
    over every core or top member, where one scipy call per member costs seconds at a million members.

    >>> poisson_low_surprises([0, 3, 1], [4.6, 0.0, 2.0]).round(2).tolist() == [round(poisson_low_surprise(0, 4.6), 2), 0.0,
    ...                                                                          round(poisson_low_surprise(1, 2.0), 2)]
    True
    """
    observed, expected = np.asarray(observed, dtype=float), np.asarray(expected, dtype=float)
    p = stats.poisson.cdf(observed, np.where(expected > 0, expected, 1.0))
    return np.where(expected > 0, np.minimum(30.0, -np.log10(np.maximum(p, 1e-30))), 0.0)


def poisson_high_surprise(observed: float, expected: float) -> float:
    """-log10 P(X >= observed) for X ~ Poisson(expected)."""
    return _surprise(stats.poisson.sf(observed - 1, expected)) if observed > 0 and expected > 0 else 0.0


def binom_high_surprise(k: int, n: int, p: float) -> float:
    """-log10 P(X >= k) for X ~ Binomial(n, p): how surprising k hits in n tries are."""
    return _surprise(stats.binom.sf(k - 1, n, min(max(p, 1e-9), 1.0))) if k > 0 and n > 0 else 0.0


def betabinom_high_surprise(k: int, n: int, hits_before: float, misses_before: float) -> float:
    """-log10 P(X >= k) for k hits in n tries when the hit rate is known only from ``hits_before`` and
    ``misses_before`` earlier tries: X ~ BetaBinomial(n, hits_before + 0.5, misses_before + 0.5), the binomial with
    the rate's uncertainty kept, so a short record cannot make a few hits look like a turn.

    >>> round(binom_high_surprise(3, 10, 0.5 / 13), 1), round(betabinom_high_surprise(3, 10, 0, 12), 1)
    (2.3, 1.5)
    >>> round(binom_high_surprise(3, 10, 0.5 / 401), 1), round(betabinom_high_surprise(3, 10, 0, 400), 1)
    (6.6, 5.5)
    """
    if k <= 0 or n <= 0:
        return 0.0
    return _surprise(stats.betabinom.sf(k - 1, n, hits_before + 0.5, misses_before + 0.5))


def decline_cusum(counts, rate, *, shift: float, dispersion: float = 1.0) -> float:
    """One-sided Poisson CUSUM for a fall of daily ``counts`` by ``shift`` below their baseline ``rate``.

    Each day adds its log-likelihood ratio of the rate ``(1 - shift) * rate`` against ``rate`` (divided by the
    baseline's variance/mean ratio, so bunched posts count as fewer independent ones) and the sum restarts from 0
    whenever it would go negative: evidence of a decline piles up from the day it starts, so a slow ramp is seen
    long before one week alone looks unusual. ``rate`` may be one baseline for every day or one per day (e.g. a
    target share times each day's posts). Returns the statistic after the last day (in nats).

    >>> decline_cusum([10] * 14, 10.0, shift=0.25)
    0.0
    >>> round(decline_cusum([6] * 14, 10.0, shift=0.25), 1)
    10.8
    """
    return decline_run(counts, rate, shift=shift, dispersion=dispersion)[0]


def decline_run(counts, rate, *, shift: float, dispersion: float = 1.0) -> tuple[float, int]:
    """:func:`decline_cusum` and the days of its current run: how many of the last days the evidence has been piling
    up since it last stood at 0 (0 when it stands at 0). Those days' counts are below the baseline, so the decline an
    alert quotes is theirs, not that of a longer window whose early days may have run above it.

    >>> s, days = decline_run([10] * 10 + [5] * 4, 10.0, shift=0.25)
    >>> round(s, 1), days
    (4.2, 4)
    """
    counts = np.asarray(counts, dtype=float)
    rates = np.broadcast_to(np.asarray(rate, dtype=float), counts.shape)
    if not 0 < shift < 1 or not np.all(rates >= 0) or not rates.any():
        return 0.0, 0
    steps = (rates * shift + counts * np.log(1.0 - shift)) / max(float(dispersion), 1.0)
    s, days = 0.0, 0
    for step in steps:
        s = max(0.0, s + float(step))
        days = days + 1 if s > 0 else 0
    return s, days


def size_factor(active: float, c: dict) -> float:
    """Community size relative to ``risks.reference_contributors`` (members posting in 30 days)."""
    return max(float(active), 1.0) / float(c["reference_contributors"])


def scaled(c: dict, key: str, factor: float) -> tuple[float, float]:
    """The ``<key>_ok`` / ``<key>_bad`` count thresholds of a reference community, scaled to this one
    (``bad`` stays at least one above ``ok``, so a small community is not judged on a single item)."""
    ok, bad = float(c[f"{key}_ok"]) * factor, float(c[f"{key}_bad"]) * factor
    return ok, max(bad, ok + 1.0)


def change_point(series: list[float] | np.ndarray, min_seg: int = 2) -> tuple[int | None, float]:
    """Best single mean-shift split of a series (least squares), as (index of the first point after
    the shift, shift in units of the pooled standard deviation); (None, 0) when too short."""
    x = np.asarray(series, dtype=float)
    n = len(x)
    if n < 2 * min_seg:
        return None, 0.0
    csum, csq = np.cumsum(x), np.cumsum(x * x)
    best, best_k = np.inf, None
    for k in range(min_seg, n - min_seg + 1):
        left = csq[k - 1] - csum[k - 1] ** 2 / k
        right = (csq[-1] - csq[k - 1]) - (csum[-1] - csum[k - 1]) ** 2 / (n - k)
        if left + right < best:
            best, best_k = left + right, k
    if best_k is None:
        return None, 0.0
    sd = np.sqrt(best / max(n - 2, 1)) or 1e-9
    shift = (x[best_k:].mean() - x[:best_k].mean()) / max(sd, 1e-9)
    return int(best_k), round(float(shift), 2)

