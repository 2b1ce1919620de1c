"""Write docs/ladder-validation.md: the ladder on simulated communities and on Stack Exchange dumps.

Protocol (issue 5): stage thresholds were tuned on the simulator with seed 7; the ranking inside a
stage (the potential) was developed on the simulator with seed 7 and on *development cuts* of the Stack
Exchange dumps, whose target period ends at the evaluation cut, so nothing after an evaluation cut was
seen while developing. The evaluation figures (simulator seed 11, SE evaluation cuts) are run once.

    .venv/bin/python scripts/validate_ladder.py [--part dev|all] [--data ../shared/data] [--work /tmp/ladder-validation]

``--part dev`` prints the development figures only and writes nothing (use it while developing).
"""
from __future__ import annotations

import argparse
import json
import time
from datetime import timedelta
from pathlib import Path

from reef.api import Community, simulate_community
from reef.ladder.validation import promotion_auc, se_rankings, simulator_scores
from reef.store.asof import as_of_timestamp

ROOT = Path(__file__).resolve().parents[1]
# Evaluation cuts. bicycles-meta (a governance meta site, ~1,400 posts 2010-2023): cut at 2013-01-01, when about
# half the posts exist, so both sides of the cut have activity. Chosen from the post counts per year before any run.
SE_SITES = (("se-quantumcomputing", "2018-06-15"), ("se-bicycles-meta", "2013-01-01"))
# Development cuts: (site, cut, end of the target period = the site's evaluation cut). The quantumcomputing dump
# starts on 2018-03-12 (the site's beta), so its development cut is 2018-05-01 (seven weeks of history, six weeks
# of targets); bicycles-meta has two, a year and two years before its evaluation cut.
DEV_CUTS = (("se-quantumcomputing", "2018-05-01", "2018-06-15"), ("se-bicycles-meta", "2011-01-01", "2013-01-01"),
            ("se-bicycles-meta", "2012-01-01", "2013-01-01"))
SIM_SIZE = {"members": 2000, "days": 150}
SIM_FORWARD_DAYS = 50  # the simulator's "future": the last 50 of its 150 days
SITE_NOTES = {"se-bicycles-meta": (
    "A meta site is governance talk, not Q&A, and slow: at the evaluation cut every member is at stage 0, so the"
    " ranking is the potential alone (recency-weighted evidence and the trend). With 8 targets one member moves"
    " p@10 by 0.1. The reworked potential did not change the outcome here: the ladder still ranks below Orbit-style"
    " decayed activity on all three measures (round 1 gave 0.5 / 0.3 / 0.867), while it beats post count and up-votes"
    " and ties or beats the TL3 rule. Nothing was changed after this evaluation run.")}


def simulate(work: Path, seed: int) -> dict:
    """Stage precision/recall at the end of the simulation, then the forward test from 50 days before the end."""
    db = work / f"sim-{seed}.duckdb"
    if db.exists():
        db.unlink()
    c = Community(db)
    simulate_community(c.store, **SIM_SIZE, seed=seed)
    c.analyze(only=["ladder"])
    scores = simulator_scores(c.store)
    end = c.store.fetch_value("SELECT max(as_of) FROM ladder_members")
    after = dict(c.store.fetch_all("SELECT member_id, stage FROM ladder_members"))
    cut = end - timedelta(days=SIM_FORWARD_DAYS)
    c.analyze(as_of=cut, only=["ladder"], force=True)
    before = c.store.fetch_all("SELECT member_id, stage, rank FROM ladder_members")
    ranked = se_rankings(c.store, cut)
    return {**scores, "forward": {"cut": str(cut.date()), "promotion": promotion_auc(before, after),
                                  "targets": len(ranked["targets"]), "metrics": ranked["metrics"]}}


def stack_exchange(work: Path, data: Path, site: str, cut: str, until: str | None = None) -> dict:
    db = work / f"{site}.duckdb"
    c = Community(db)
    if not c.store.fetch_value("SELECT count(*) FROM members"):
        c.import_files([data / site])
    ts = as_of_timestamp(cut, "UTC")
    c.analyze(only=["text_features"])  # text features do not depend on as_of
    started = time.perf_counter()
    c.analyze(as_of=ts, only=["ladder"], force=True)
    seconds = round(time.perf_counter() - started, 1)
    stages = dict(c.store.fetch_all("SELECT stage, count(*) FROM ladder_members GROUP BY 1"))
    result = se_rankings(c.store, ts, as_of_timestamp(until, "UTC") if until else None)
    return {"targets": len(result["targets"]), "metrics": result["metrics"], "seconds": seconds, "cut": cut,
            "until": until, "stages": {int(k): v for k, v in sorted(stages.items())}}


def development(work: Path, data: Path) -> dict:
    dev = {"sim": simulate(work, 7), "se": []}
    for site, cut, until in DEV_CUTS:
        if (data / site).exists():
            dev["se"].append({"site": site, **stack_exchange(work, data, site, cut, until)})
    return dev


def _verdicts(metrics: dict) -> str:
    lad = metrics["ladder"]
    others = [m for n, m in metrics.items() if n != "ladder"]
    out = []
    for k in ("p@10", "p@20", "ndcg@50"):
        best = max(m[k] for m in others)
        out.append(f"{k}: {'beats' if lad[k] > best else 'ties' if lad[k] == best else 'LOSES to'} the best baseline "
                   f"({lad[k]} vs {best})")
    return "; ".join(out)


def _table(metrics: dict) -> list[str]:
    lines = ["| ranking | precision@10 | precision@20 | NDCG@50 |", "|---|---|---|---|"]
    lines += [f"| {n} | {m['p@10']} | {m['p@20']} | {m['ndcg@50']} |" for n, m in metrics.items()]
    return lines


def _forward(label: str, f: dict) -> list[str]:
    promo = f["promotion"]
    lines = [f"**Forward test ({label})**: ladder as of {f['cut']} ({SIM_FORWARD_DAYS} days before the end); within each"
             " stage, the AUC of the ranking for \"reaches a higher stage by the end\" (0.5 = chance):", "",
             "| stage at the cut | members | advanced | AUC |", "|---|---|---|---|"]
    lines += [f"| {s} | {v['members']} | {v['advanced']} | {v['auc']} |" for s, v in promo.items() if s != "all"]
    lines += ["", f"Weighted by members who advanced: **{promo['all']}**.", "",
              f"SE-style targets on the same cut ({f['targets']} members; the SE definition, which on the simulator (likes,"
              " no votes) reduces to the top 5% by accepted answers after the cut):", ""] + _table(f["metrics"]) + ["", "Ladder against the best baseline: "
                                                               + _verdicts(f["metrics"]) + ".", ""]
    return lines


PROTOCOL = """## Protocol

* **Stages** (unchanged in this round): every `[ladder]` threshold was chosen on the simulator with seed 7 (2,000
  members, 150 days) by a small grid over guide, leader, participant, creator and connector thresholds.
* **Ranking inside a stage** (the potential; round 2): recency-weighted evidence (`potential_half_life_days`), the
  trend of the recent pace against the window before it (`potential_trend_weight`) and breadth of help
  (`potential_people_weight`), see docs/ladder.md. It was developed **only** on
  (a) the simulator with seed 7: a forward test (ladder as of 50 days before the end; does the ranking inside each stage
  put first the members who advance by the end? plus SE-style targets on the simulator) and
  (b) **development cuts** of the two Stack Exchange dumps, listed below, whose target period *ends at the evaluation
  cut* (answers and votes before it only). The choices (half-life 30 days, trend weight 0.4, a multiplicative trend
  so a single recent like cannot lift a member, people weight 1) were made on those figures, among a handful of
  variants (half-life 30/45/62/90 days, additive or multiplicative trend, log or hyperbolic depth); the development
  sets are small, so differences of one member were treated as noise.
* **Held out, simulator**: a different community (seed 11, same size). Expected stage per latent type:
  lurker 0, participant and newcomer 1, creator 2, connector 3, leader 4; troll, burnout-prone core and
  misinformer have no single right stage and are shown as distributions. The same forward test is reported.
* **Held out, Stack Exchange** (issue 5): cut at T; ladder run with `--as-of T`; targets are members active
  before T in the top 5% by (answers with score >= 1 + 3 x accepted answers) after T. Rankings: the ladder
  (stage, then potential: column `rank`) and four baselines from data before T: post count, up-votes received, a
  Discourse TL3-style rule (>= 10 topics and >= 20 up-votes in the last 100 days first, then posts), Orbit-style love
  (activity weighted 3 for posts, 1 for comments, 0.5 for votes given, 90-day half-life). The evaluation cuts were run
  once, after the development choices were fixed. Caveats: the previous round's figures on these cuts were known
  (ladder tied Orbit on p@10 on quantumcomputing and lost to it on bicycles-meta), which is why the potential was
  reworked; and "top 5%" is taken of the members active before T (ties at the cut included), a definition changed
  once in round 1 after a first reading gave only 3 targets.
"""


def render(dev: dict, sim: dict, se: dict) -> str:
    lines = ["# Ladder validation", "", "Produced by `scripts/validate_ladder.py`; do not edit by hand.", "", PROTOCOL,
             "## Development figures (used for choices)", "",
             f"Simulator seed 7: macro-F1 {dev['sim']['macro_f1']}, accuracy {dev['sim']['accuracy']}.", ""]
    lines += _forward("seed 7, development", dev["sim"]["forward"])
    for r in dev["se"]:
        lines += [f"### Development cut: {r['site']} at {r['cut']} (targets from answers before {r['until']})", "",
                  f"{r['targets']} target members; members per stage at the cut {r['stages']}.", ""] + _table(r["metrics"])
        lines += ["", "Ladder against the best baseline: " + _verdicts(r["metrics"]) + ".", ""]
    lines += ["## Simulator (seed 11, held out)", "",
              f"macro-F1 **{sim['macro_f1']}** (target 0.85), accuracy {sim['accuracy']}.", "",
              "| stage | members | precision | recall | F1 |", "|---|---|---|---|---|"]
    for s, v in sim["per_stage"].items():
        lines.append(f"| {s} | {v['members']} | {v['precision']} | {v['recall']} | {v['f1']} |")
    lines += ["", "Other latent types (stage: members): " + "; ".join(
        f"{t} {dict(sorted(d.items()))}" for t, d in sorted(sim["other_types"].items())), "",
        f"Planted like ring: **{sim['ring_flagged']} of {sim['ring_members']}** members flagged `like_ring`; "
        f"{sim['flagged_total']} members flagged in all.", ""]
    lines += _forward("seed 11, held out", sim["forward"])
    for site, r in se.items():
        lines += [f"## Stack Exchange: {site} (evaluation cut {r['cut']})", "",
                  f"{r['targets']} target members; members per stage at the cut {r['stages']}; ladder computed in "
                  f"{r['seconds']} s.", ""] + _table(r["metrics"])
        lines += ["", "Ladder against the best baseline per measure: " + _verdicts(r["metrics"]) + ".", ""]
        if site in SITE_NOTES:
            lines += [SITE_NOTES[site], ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=("dev", "all"), default="all", help="dev: development figures only, nothing written")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=Path("/tmp/ladder-validation"))
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "ladder-validation.md")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    dev = development(args.work, args.data)
    if args.part == "dev":
        print(json.dumps(dev, indent=1, ensure_ascii=False, default=str))
        return
    sim = simulate(args.work, 11)
    se = {}
    for site, cut in SE_SITES:
        if (args.data / site).exists():
            se[site] = stack_exchange(args.work, args.data, site, cut)
    args.out.write_text(render(dev, sim, se), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
