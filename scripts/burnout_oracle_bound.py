"""How early could a test that knew each member's true pace alert on the planted burnouts? (risk-validation.md)

For every planted burning-out member of the simulated stores, the member's acts (posts and interactions) in the 60
days before the planted onset give their rate r of acts per day and their share q of active days. A test that knew
r and q exactly, at the radar's alert level s (``risks.burnout_alert_surprise``), would alert once
``-log10 P(no act for d days) >= s``: d = s ln 10 / r for silence, d = s / -log10(1 - q) for idle days, the smaller of
the two. Replays run once a day, so the bound is given at daily granularity (the first replay day at or after
onset + d) and compared with the first ``core_burnout`` alert of the cached replay (``replay-<seed>.json`` written by
``scripts/validate_risks.py``). That first bound ignores the residual activity after onset (4 % of the member's pace in
the simulator), which interrupts a silence; the second bound replays the member's real acts day by day with the
radar's own tests (silence, the current idle run, "a of the last w days active" for w in
``risks.burnout_activity_windows``) at the true r and q. Both are optimistic: they ignore that r and q must be
estimated and that real acts bunch (the radar deflates its silence test by the core's variance/mean for that
reason); the gap between the second bound and the radar is what estimation and that caution cost.

Usage: python scripts/burnout_oracle_bound.py --work /tmp/rv/work --seeds 28 29 30 31
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import duckdb
import numpy as np
from scipy import stats

from reef.config import load_config

_MEMBERS = """
    WITH acts AS (SELECT author_id AS m, created_at AS t FROM content UNION ALL SELECT actor_id, created_at FROM interactions),
         tm AS (SELECT member_id, burnout_at, date_diff('second', $start::TIMESTAMPTZ, burnout_at) / 86400.0 AS onset
                FROM truth_members WHERE burnout_at IS NOT NULL)
    SELECT tm.member_id, tm.onset,
           count(a.t) FILTER (WHERE a.t < tm.burnout_at AND a.t >= tm.burnout_at - INTERVAL 60 DAY) / 60.0 AS rate,
           count(DISTINCT date_trunc('day', a.t)) FILTER (WHERE a.t < tm.burnout_at AND a.t >= tm.burnout_at - INTERVAL 60 DAY) / 60.0 AS q
    FROM tm LEFT JOIN acts a ON a.m = tm.member_id GROUP BY ALL ORDER BY 1"""


def bound_days(rate: float, q: float, level: float) -> float:
    """Days after onset at which a test knowing ``rate`` and ``q`` reaches surprise ``level``.

    >>> round(bound_days(2.0, 0.9, 5.5), 2)  # idle days win: 5.5 / -log10(0.1)
    5.5
    """
    silence = level * math.log(10) / rate if rate > 0 else math.inf
    idle = 0.0 if q >= 1 else (level / -math.log10(1 - q) if q > 0 else math.inf)
    return min(silence, idle)


def acts_bound(acts: np.ndarray, onset: float, rate: float, q: float, level: float, days: list[float],
               windows: list[int]) -> float | None:
    """Days after onset of the first replay day on which the radar's tests at the true ``rate`` and ``q`` reach
    ``level`` on the member's real ``acts`` (days since the start), or None within the replayed days."""
    for d in (x for x in days if x >= onset):
        before = acts[acts < d]
        idle = d - before.max() if len(before) else math.inf
        surprise = rate * idle / math.log(10)
        back = np.floor(d - before).astype(int)  # whole days back from d (0 = the last 24 h) of each act
        for w in [*windows, min(int(math.floor(idle)), max(windows))]:
            if w > 0 and 0 < q < 1:
                surprise = max(surprise, -math.log10(max(float(stats.binom.cdf(len(set(back[back < w])), w, q)), 1e-300)))
        if surprise >= level:
            return d - onset
    return None


def seed_rows(work: Path, seed: int, level: float, windows: list[int]) -> list[dict]:
    replay = json.loads((work / f"replay-{seed}.json").read_text())["planted"]
    first: dict[str, float] = {}
    for day, got in sorted(replay["days"].items(), key=lambda kv: float(kv[0])):
        for key, family, part, subject, *_ in got["alerts"]:
            if family == "heat_death" and part == "core_burnout":
                first.setdefault(subject, float(day))
    days = sorted(float(d) for d in replay["days"])
    con = duckdb.connect(str(work / f"sim-1500-180-{seed}-planted.duckdb"), read_only=True)
    start = replay["truth"]["start"]
    try:
        members = con.execute(_MEMBERS.replace("$start", "?"), [start]).fetchall()
        rows = []
        for member, onset, rate, q in members:
            d = bound_days(rate, q, level)
            daily = next((x for x in days if x >= onset + d), None)
            acts = np.array([t for (t,) in con.execute(
                "SELECT date_diff('second', ?::TIMESTAMPTZ, t) / 86400.0 FROM (SELECT created_at AS t FROM content WHERE author_id = ? "
                "UNION ALL SELECT created_at FROM interactions WHERE actor_id = ?)", [start, member, member]).fetchall()])
            got = first.get(member)
            rows.append({"seed": seed, "member": member, "rate": rate, "q": q, "bound": None if daily is None else daily - onset,
                         "acts_bound": acts_bound(acts, onset, rate, q, level, days, windows),
                         "replay": None if got is None or got < onset else got - onset})
    finally:
        con.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True, help="folder with the simulated stores and replay-<seed>.json")
    ap.add_argument("--seeds", type=int, nargs="+", required=True)
    args = ap.parse_args()
    config = load_config()
    level = float(config.get("risks.burnout_alert_surprise"))
    windows = [int(w) for w in config.get("risks.burnout_activity_windows")]
    rows = [r for seed in args.seeds for r in seed_rows(args.work, seed, level, windows)]
    within = lambda key: sum(1 for r in rows if r[key] is not None and r[key] <= 7)  # noqa: E731
    print(f"seeds {' '.join(map(str, args.seeds))}: {len(rows)} planted burning-out members, alert level {level}")
    print(f"bound (true pace known, no residual activity, daily replays): {within('bound')} within 7 d")
    print(f"bound on the real acts (the radar's tests at the true pace): {within('acts_bound')} within 7 d")
    print(f"replayed radar: {within('replay')} within 7 d, {sum(r['replay'] is not None for r in rows)} alerted")
    rates = sorted(r["rate"] for r in rows)
    print(f"median acts per day before onset {rates[len(rates) // 2]:.2f}")


if __name__ == "__main__":
    main()
