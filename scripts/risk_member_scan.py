"""Operating points of the per-member risk alerts (burnout, core member turning negative) on development seeds.

Round six. The member alerts of the heat-death (``core_burnout``) and backlash (``core_turning_negative``) families
trade detection delay against false alarms on clean controls. This script measures candidate tests on the
development stores only (planted and control runs of ``--seeds``, as written by ``scripts/validate_risks.py``) and
prints, per threshold: planted members detected / median delay / within 7 d per seed and pooled, and control false
alarms per 90 days per seed and their maximum. Held-out seeds must not be passed here.

Steps (each cached as JSON in ``--work``):

* ``snapshots``: the core list (ladder stage >= ``risks.core_min_stage``) and reach at each weekly refresh of the
  replay (the same days as ``validate_risks.replay``), so offline tests see the core list the radar saw.
* ``burnout``: the watch-list surprises of a cached replay (``replay-<seed>.json``) combined with candidate priors
  (``posterior = surprise + log10 prior odds ratio``) computed from the stores as of the start of the recent window.
* ``backlash``: candidate complaint/sentiment tests over each core member's own posts, replayed offline per day.
* ``replay``: the radar itself, day by day, with config overrides (``--set key=value``), families ``heat_death``
  and ``backlash`` only; the member-alert tables are then read from its alerts.

    .venv/bin/python scripts/risk_member_scan.py snapshots --work /tmp/risk6-dev
    .venv/bin/python scripts/risk_member_scan.py burnout --work /tmp/risk6-dev
    .venv/bin/python scripts/risk_member_scan.py backlash --work /tmp/risk6-dev
    .venv/bin/python scripts/risk_member_scan.py replay --work /tmp/risk6-dev --tag r6 --set risks.burnout_prior=true
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from validate_risks import EVAL_FROM, SIZE  # noqa: E402

DEV_SEEDS = (11, 16, 17, 18, 19)
SPAN = SIZE["days"] - EVAL_FROM + 1  # days replayed per run (false alarms are per 90 of these)


def store_path(work: Path, seed: int, kind: str) -> Path:
    return work / f"sim-{SIZE['members']}-{SIZE['days']}-{seed}-{kind}.duckdb"


# ---- core snapshots ---------------------------------------------------------------------------------------------
def snapshots(work: Path, seed: int, kind: str, log=print) -> dict:
    """Core ids and connector reach at every weekly ladder refresh of the replay (day -> {member: reach})."""
    import dataclasses

    from reef.analyses import discover, run_analyses
    from reef.store import open_store

    cache = work / f"core-{seed}-{kind}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    registry = {n: dataclasses.replace(a, depends_on=tuple(d for d in a.depends_on if d != "text_features"))
                for n, a in discover().items() if n in ("ladder", "network_graph", "network_helpers", "network_connectors")}
    store = open_store(store_path(work, seed, kind))
    stage = int(store.config.get("risks.core_min_stage"))
    start = store.fetch_value("SELECT min(started_at) FROM truth_scenarios WHERE scenario IN ('knowledge_gaps', 'misinformation')")
    out = {}
    t0 = time.perf_counter()
    for d in range(EVAL_FROM, SIZE["days"] + 1, 7):
        run_analyses(store, as_of=start + timedelta(days=d), only=["ladder", "network_connectors"], registry=registry)
        rows = store.fetch_all("""SELECT l.member_id, coalesce(n.score, 0) FROM ladder_members l LEFT JOIN network_connectors n USING (member_id)
                                  WHERE greatest(l.stage, coalesce(l.max_stage, l.stage)) >= $s""", {"s": stage})
        out[str(d)] = {m: float(r) for m, r in rows}
    store.close()
    log(f"  core snapshots {seed} {kind}: {time.perf_counter() - t0:.0f}s")
    cache.write_text(json.dumps(out))
    return out


def core_at(snaps: dict, day: int) -> dict:
    """The core list the replay used on ``day`` (the latest weekly refresh at or before it)."""
    k = max(int(d) for d in snaps if int(d) <= day)
    return snaps[str(k)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("snapshots", "burnout", "backlash", "replay"))
    ap.add_argument("--work", default="/tmp/risk6-dev")
    ap.add_argument("--seeds", type=int, nargs="*", default=list(DEV_SEEDS))
    args = ap.parse_args()
    work = Path(args.work)
    if args.step == "snapshots":
        for seed in args.seeds:
            for kind in ("planted", "control"):
                snapshots(work, seed, kind)


if __name__ == "__main__":
    main()
