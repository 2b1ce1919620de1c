"""Measures behind docs/reef-validation.md: ranking metrics, wave detection outcome, clustering
agreement. Pure functions on plain data, so scripts/validate_kb.py and the tests share them.

Example:
    >>> mrr_recall([1, 0, 3], k=10)
    (0.4444444444444444, 0.6666666666666666)
"""
from __future__ import annotations

from datetime import datetime

import numpy as np

from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["rank_of", "mrr_recall", "crisis_outcome", "planted_wave"]


def rank_of(ranked, target, k: int = 10) -> int:
    """1-based rank of ``target`` among the first ``k`` of ``ranked``; 0 when absent."""
    top = list(ranked)[:k]
    return top.index(target) + 1 if target in top else 0


def mrr_recall(ranks, k: int = 10) -> tuple[float, float]:
    """(MRR@k, Recall@k) of 1-based ranks (0 = not in the top k)."""
    r = np.asarray(list(ranks), dtype=float)
    if not len(r):
        return 0.0, 0.0
    hit = (r > 0) & (r <= k)
    return float(np.where(hit, 1.0 / np.maximum(r, 1), 0.0).mean()), float(hit.mean())


def planted_wave(store) -> dict | None:
    """The simulator's planted PR wave (start, end, aspect) from ``truth_scenarios``, if any."""
    import json

    if not store.table_exists("truth_scenarios"):
        return None
    rows = store.fetch_all("SELECT started_at, ended_at, params FROM truth_scenarios WHERE scenario = 'pr_crisis'")
    if not rows:
        return None
    start, end, params = rows[0]
    return {"start": start, "end": end, "aspect": json.loads(params)["aspect"] if params else None}


def _aware(values) -> pd.Series:
    """Timestamps as tz-aware (kept in their zone, so dates print as local days; naive = UTC)."""
    s = pd.to_datetime(pd.Series(values).reset_index(drop=True))
    return s.dt.tz_localize("UTC") if s.dt.tz is None else s


def crisis_outcome(daily: pd.DataFrame, wave: dict | None) -> dict:
    """Detection delay and false alarms from a ``crisis_daily`` table.

    Normal days are every tested day of a control run, or the days before the wave of a planted
    run; a false-alarm day is a normal day with an alarm on any aspect (``全部`` included). The
    delay is hours from the wave's start to the first alarm on its aspect (``None`` = missed).

    >>> d = pd.DataFrame({"day": pd.to_datetime(["2026-05-01", "2026-05-02", "2026-05-03"], utc=True), "aspect": "续航",
    ...                   "alarm": [True, False, True], "first_alarm_at": pd.to_datetime([None, None, "2026-05-03 20:00"], utc=True)})
    >>> out = crisis_outcome(d, {"start": datetime.fromisoformat("2026-05-03T00:00+00:00"), "aspect": "续航"})
    >>> out["normal_days"], out["false_alarm_days"], out["delay_hours"]
    (2, 1, 20.0)
    """
    days = _aware(daily["day"])
    alarms = daily[daily["alarm"].astype(bool)].reset_index(drop=True)
    alarm_days = _aware(alarms["day"])
    out = {"tested_days": int(days.nunique())}
    if wave is None:
        normal, fa = days, alarms.assign(day=alarm_days.to_numpy())
        out["delay_hours"] = None
    else:
        start = pd.Timestamp(wave["start"])
        normal = days[days < start]
        fa = alarms.assign(day=alarm_days.to_numpy())[(alarm_days < start).to_numpy()]
        hit = alarms[(alarms["aspect"] == wave["aspect"]) & ((_aware(alarms["first_alarm_at"]) >= start).to_numpy())]
        first = _aware(hit["first_alarm_at"]).min() if len(hit) else None
        out["delay_hours"] = float((first - start).total_seconds() / 3600) if first is not None else None
        if wave.get("end") is not None:  # the wave's days (its start's to its end's) and those its aspect alarmed on
            end = pd.Timestamp(wave["end"])
            on = (days >= start.floor("D")) & (days <= end)
            mine = set(_aware(alarms.loc[alarms["aspect"] == wave["aspect"], "day"]))
            out["wave_days"] = int(days[on].nunique())
            out["wave_alarm_days"] = int(sum(1 for d in set(days[on]) if d in mine))
    out["normal_days"] = int(normal.nunique())
    out["false_alarm_days"] = int(fa["day"].nunique())
    out["false_alarms"] = sorted(f"{d.date()} {a}" for d, a in set(zip(fa["day"], fa["aspect"])))
    return out
