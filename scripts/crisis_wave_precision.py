"""How many of the crisis room's top "先回应" (answer first) wave posts are the simulator's planted crisis complaints.

Prints the table in docs/kb.md (*The breakwater*, wave posts): for each seed, a simulated community of the demo's size
(``SimulationSpec`` defaults: 3,000 members, 180 days, ending 2026-06-30), at 10:00 local on the planted wave's second
and third days (its start + 34 h and + 58 h; seed 7 at the first moment is the QA review's
``reef crisis --as-of 2026-05-11T10:00+08:00``), the room's opened aspect and the share of its top ``--top`` wave
posts whose ``truth_content.scenario`` is ``pr_crisis``:

* **before**: the old list, every post the detector counts (negative label, complaint intent or leaning score)
  ordered by reach: reproduced by giving every post the strongest evidence, so nothing is filtered or re-tiered;
* **after**: the current list (:func:`reef.kb.wave_posts.wave_posts`: negative evidence required, strong evidence
  before lean, then reach).

Usage (about a minute per seed; stores are kept in ``--work`` and reused)::

    .venv/bin/python scripts/crisis_wave_precision.py --seeds 7 8 --work /tmp/crisis-precision

Example of the figure it computes (precision of a ranked list against a truth set):
    >>> precision(["a", "b", "c"], {"a", "c"})
    (2, 3)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

__all__ = ["precision", "moment_row", "main"]


def precision(ids: list[str], truth: set[str]) -> tuple[int, int]:
    """(planted among ``ids``, len(ids))."""
    return sum(1 for i in ids if i in truth), len(ids)


def _store(work: Path, seed: int):
    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    path = work / f"sim{seed}.duckdb"
    fresh = not path.exists()
    store = open_store(path)
    if fresh:
        simulate_to_store(store, SimulationSpec(seed=seed))
    return store


def moment_row(store, as_of: pd.Timestamp, top: int) -> dict:
    """The room at ``as_of``: opened aspect, wave size and top-``top`` precision before and after."""
    from reef.analyses import run_analyses
    from reef.kb.crisis import load_signals
    from reef.kb.room import crisis_report
    from reef.kb.wave_posts import wave_posts

    run_analyses(store, as_of, only=["kb_crisis"])
    room = crisis_report(store, as_of, store.config, wave_top=top)
    truth = {r[0] for r in store.fetch_all("SELECT content_id FROM truth_content WHERE scenario = 'pr_crisis'")}
    since = pd.Timestamp(room["wave_start"]).tz_localize(store.config.get("general.timezone")).timestamp()  # local text
    neg = load_signals(store, as_of, store.config)["neg"]
    old = wave_posts(store, as_of, neg.assign(evidence=2), room["aspect"], since=since, top=top)
    return {"aspect": room["aspect"], "wave_start": room["wave_start"], "before_total": old["total"],
            "after_total": room["wave"]["total"], "before": precision([p["content_id"] for p in old["posts"]], truth),
            "after": precision([p["content_id"] for p in room["wave"]["posts"]], truth)}


def main(argv: list[str] | None = None) -> None:
    from reef.kb.evaluation import planted_wave

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 8])
    ap.add_argument("--work", type=Path, default=Path("/tmp/crisis-precision"))
    ap.add_argument("--top", type=int, default=20)
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    print(f"| seed | as_of | aspect opened | wave posts before / after | planted in top {a.top} before | after |")
    print("|---|---|---|---|---|---|")
    for seed in a.seeds:
        store = _store(a.work, seed)
        start = pd.Timestamp(planted_wave(store)["start"])
        for hours in (34, 58):
            as_of = (start + pd.Timedelta(hours=hours)).tz_convert(store.config.get("general.timezone"))
            r = moment_row(store, as_of, a.top)
            (b, nb), (f, nf) = r["before"], r["after"]
            print(f"| {seed} | {as_of:%Y-%m-%d %H:%M} | {r['aspect']} | {r['before_total']} / {r['after_total']} "
                  f"| {b}/{nb} | {f}/{nf} |")
        store.close()


if __name__ == "__main__":
    main()
