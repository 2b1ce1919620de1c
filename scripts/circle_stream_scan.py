"""Offline scan of the circle-decay CUSUM on replay stores, for both streams (``risks.circle_cusum_stream``).

For each store (a simulated store of ``scripts/validate_risks.py``, planted or control), every midnight from day 35
to day 180 it computes ``reef.risks.heat.circle_cusum`` with the posts stream and with the members stream, on a copy
of the store. Then it prints, per stream:
- the planted circle's first midnight at CUSUM levels 4-8, and its delay from the plant's detectable-from day
  (planted stores: the circle is read from ``truth_scenarios``);
- the highest CUSUM of every other circle, over the whole run and before the ramp start (clean circles: the margin
  below the alert level).
With ``--streams`` it also prints, for the planted circle, the daily counts of candidate streams over days 36-119
(mean, variance/mean, the usable rate mean / max(1, variance/mean)) and their fall on days 137-150. These are the
group's posts, its root posts, interactions on its items, distinct active members, and every act of its members (the
member's circle = the group they posted in most before day 120).
Figures in docs/risk-validation.md (round five) come from this script and ``scripts/circle_cusum_montecarlo.py``.

Usage: .venv/bin/python scripts/circle_stream_scan.py STORE.duckdb [STORE ...] [--streams]
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np

from reef.config import load_config
from reef.risks.common import risk_base
from reef.risks.heat import circle_cusum
from reef.store import open_store

LEVELS = (4.0, 5.0, 6.0, 7.0, 8.0)
FIRST_DAY, LAST_DAY = 35, 180
# Candidate streams for the planted circle, counted per day since the simulation's start ($g: the circle's group).
_STREAMS = """
WITH m AS (SELECT member_id FROM members WHERE coalesce(account_type, 'member') = 'member'),
p AS (SELECT content_id, author_id, group_id, kind, CAST(floor((epoch(created_at) - epoch($start)) / 86400) AS INT) AS d
      FROM content WHERE author_id IN (SELECT member_id FROM m) AND kind <> 'poll_vote'),
home AS (SELECT author_id, arg_max(group_id, n) AS g FROM (SELECT author_id, group_id, count(*) AS n FROM p
         JOIN groups USING (group_id) WHERE groups.kind = 'circle' AND d < 120 GROUP BY ALL) GROUP BY 1),
i AS (SELECT actor_id, target_content_id, CAST(floor((epoch(created_at) - epoch($start)) / 86400) AS INT) AS d
      FROM interactions WHERE actor_id IN (SELECT member_id FROM m))
SELECT 'group posts', d, count(*) FROM p WHERE group_id = $g GROUP BY ALL
UNION ALL SELECT 'group root posts', d, count(*) FROM p WHERE group_id = $g
          AND kind IN ('thread', 'guide', 'photo', 'video', 'event', 'poll') GROUP BY ALL
UNION ALL SELECT 'interactions on group items', d, count(*) FROM i JOIN content c ON c.content_id = i.target_content_id
          WHERE c.group_id = $g GROUP BY ALL
UNION ALL SELECT 'distinct active members', d, count(DISTINCT a) FROM (SELECT author_id AS a, d FROM p UNION ALL
          SELECT actor_id, d FROM i) x JOIN home ON home.author_id = x.a WHERE g = $g GROUP BY ALL
UNION ALL SELECT 'every act of its members', d, count(*) FROM (SELECT author_id AS a, d FROM p UNION ALL
          SELECT actor_id, d FROM i) x JOIN home ON home.author_id = x.a WHERE g = $g GROUP BY ALL
"""


def _plant(store) -> tuple[object, dict | None]:
    """The simulation's start and the heat-death plant's parameters (None on a control store)."""
    start = store.fetch_value("SELECT min(started_at) FROM truth_scenarios WHERE scenario IN ('knowledge_gaps', 'misinformation')")
    rows = store.fetch_all("SELECT CAST(params AS VARCHAR) FROM truth_scenarios WHERE scenario = 'heat_death'")
    return start, (json.loads(rows[0][0]) if rows else None)


def scan(path: Path) -> None:
    """Print the per-stream summary of one store (see the module docstring)."""
    c = dict(load_config().section("risks"))
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copy(path, copy)
        store = open_store(copy)
        start, plant = _plant(store)
        series: dict[str, dict[int, dict]] = {"posts": {}, "members": {}}
        for d in range(FIRST_DAY, LAST_DAY + 1):
            ts = start + timedelta(days=d)
            with risk_base(store, ts, int(c["horizon_days"])):
                for stream in series:
                    series[stream][d] = circle_cusum(store, ts, dict(c, circle_cusum_stream=stream))
        store.close()
    planted = plant["group_id"] if plant else None
    print(f"## {path.name}" + (f": planted circle {planted}, ramp from day {plant['ramp_start_day']}, detectable from day "
                               f"{plant['detectable_from_day']}" if plant else ": control"))
    for stream, days in series.items():
        others = [(cs, d, g) for d, groups in days.items() for g, (cs, _, _) in groups.items() if g != planted]
        top = max(others, default=(0.0, None, None))
        line = f"- {stream}: highest other circle {top[0]:.2f} ({top[2]}, day {top[1]})"
        if plant:
            before = max((x for x in others if x[1] < plant["ramp_start_day"]), default=(0.0, None, None))
            line += f", before the ramp {before[0]:.2f} ({before[2]}, day {before[1]})"
            for lv in LEVELS:
                first = next((d for d in sorted(days) if d > plant["ramp_start_day"]
                              and days[d].get(planted, (0.0,))[0] >= lv), None)
                delay = "never" if first is None else f"day {first} ({first - plant['detectable_from_day']:+.1f} d)"
                line += f"; level {lv:g}: {delay}"
        print(line)


def streams(path: Path) -> None:
    """Daily counts of the candidate streams for the planted circle: base mean, variance/mean, usable rate, fall."""
    store = open_store(path, read_only=True)
    start, plant = _plant(store)
    if not plant:
        store.close()
        return
    counts: dict[str, np.ndarray] = {}
    for name, d, n in store.fetch_all(_STREAMS, {"start": start, "g": plant["group_id"]}):
        if 0 <= d <= LAST_DAY:
            counts.setdefault(name, np.zeros(LAST_DAY + 1))[d] = n
    store.close()
    print(f"\n| {path.name}: stream of {plant['group_id']} | mean a day, days 36-119 | variance/mean | usable rate | "
          "fall, days 137-150 |\n|---|---:|---:|---:|---:|")
    for name, a in counts.items():
        base, late = a[36:120], a[137:151]
        phi = base.var(ddof=1) / base.mean()
        print(f"| {name} | {base.mean():.1f} | {phi:.2f} | {base.mean() / max(phi, 1.0):.1f} | "
              f"{1 - late.mean() / base.mean():+.0%} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stores", nargs="+", type=Path)
    ap.add_argument("--streams", action="store_true", help="also the candidate streams of the planted circle")
    args = ap.parse_args()
    for path in args.stores:
        scan(path)
        if args.streams:
            streams(path)


if __name__ == "__main__":
    main()
