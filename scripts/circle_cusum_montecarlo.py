"""Monte Carlo of the risk radar's circle-decay alert (``reef.risks.common.decline_cusum``) at the simulator's volume.

For a daily stream with a given mean and variance/mean ratio (negative-binomial counts, weekends 1.2x), it draws
``--runs`` circles and evaluates the CUSUM as the radar does at every midnight: the last 28 days against the 56 before,
designed for a 25 % fall, deflated by the baseline's variance/mean. Planted: the simulator's ramp (activity falls
linearly by 85 % from day 120 to day 180; detectable-from day 137.6, a quarter down), giving the median delay of the
first alert from that day and the share within 7 days, per alert level. Null: a steady circle over 180 evaluated
days, giving chance alarm episodes (a new alert at least 7 days after the last) per circle per 90 days.

The two streams of ``risks.circle_cusum_stream`` are measured on simulator seed 11 (days 36-119, docs/risk-validation.md):
the group's posts, 16.8 a day at variance/mean 1.30, and every act of the circle's members, 78.2 a day at 1.73
(`scripts/circle_stream_scan.py --streams`).

Usage: .venv/bin/python scripts/circle_cusum_montecarlo.py [--runs 400] [--seed 7]
"""
from __future__ import annotations

import argparse

import numpy as np

from reef.risks.common import decline_cusum

STREAMS = {"posts": (16.8, 1.30), "members": (78.2, 1.73)}
LEVELS = (4.0, 5.0, 6.0, 7.0, 8.0)
RECENT, BASE, SHIFT = 28, 56, 0.25
RAMP, DEPTH, DETECTABLE = (120, 180), 0.85, 137.6


def _counts(rng, lam: np.ndarray, dispersion: float, runs: int) -> np.ndarray:
    """runs x days counts with mean ``lam`` per day and variance ``dispersion`` x mean (negative binomial)."""
    if dispersion <= 1.0001:
        return rng.poisson(lam, size=(runs, len(lam))).astype(float)
    p = 1.0 / dispersion
    return rng.negative_binomial(lam * p / (1.0 - p), p, size=(runs, len(lam))).astype(float)


def _statistic(x: np.ndarray, d: int) -> float:
    """The radar's CUSUM at midnight ``d`` (days d-28..d-1 recent, the 56 before them the baseline)."""
    base = x[d - RECENT - BASE:d - RECENT]
    rate = float(base.mean())
    if rate <= 0:
        return 0.0
    return decline_cusum(x[d - RECENT:d], rate, shift=SHIFT, dispersion=float(base.var(ddof=1) / rate))


def simulate(mean: float, dispersion: float, runs: int, seed: int) -> dict[float, dict[str, float]]:
    """Per alert level: median delay from the detectable-from day, share within 7 days, chance alarms per 90 days."""
    rng = np.random.default_rng(seed)
    days = RAMP[1]
    weekly = np.array([1.2 if d % 7 in (5, 6) else 1.0 for d in range(days)])
    ramp = np.ones(days)
    ramp[RAMP[0]:] = 1 - DEPTH * (np.arange(RAMP[0], days) - RAMP[0]) / (RAMP[1] - RAMP[0])
    planted = _counts(rng, mean * weekly * ramp, dispersion, runs)
    first = {lv: np.full(runs, np.nan) for lv in LEVELS}
    for i in range(runs):
        for d in range(RAMP[0] + 1, days + 1):
            s = _statistic(planted[i], d)
            for lv in LEVELS:
                if s >= lv and np.isnan(first[lv][i]):
                    first[lv][i] = d
    null_days = RECENT + BASE + 180
    steady = _counts(rng, mean * np.resize(weekly, null_days), dispersion, runs)
    episodes = {lv: 0 for lv in LEVELS}
    for i in range(runs):
        last = {lv: -100 for lv in LEVELS}
        for d in range(RECENT + BASE, null_days + 1):
            s = _statistic(steady[i], d)
            for lv in LEVELS:
                if s >= lv:
                    episodes[lv] += d - last[lv] > 7
                    last[lv] = d
    out = {}
    for lv in LEVELS:
        delay = first[lv] - DETECTABLE
        out[lv] = {"median_delay": float(np.nanmedian(delay)), "within_7": float(np.mean(delay <= 7)),
                   "chance_per_90d": episodes[lv] / runs * 90 / (null_days - RECENT - BASE)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print("| stream | alert level | median delay from detectable-from, d | within 7 d | chance alarms per circle per 90 d |")
    print("|---|---:|---:|---:|---:|")
    for name, (mean, dispersion) in STREAMS.items():
        for lv, r in simulate(mean, dispersion, args.runs, args.seed).items():
            print(f"| {name} ({mean}/day, var/mean {dispersion}) | {lv:g} | {r['median_delay']:.1f} | {r['within_7']:.2f} | "
                  f"{r['chance_per_90d']:.3f} |")


if __name__ == "__main__":
    main()
