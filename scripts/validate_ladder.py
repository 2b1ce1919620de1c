"""Write docs/ladder-validation.md: the ladder on a held-out simulated community and on Stack Exchange.

Protocol (issue 5): thresholds were tuned on the simulator with seed 7 (2,000 members, 150 days);
the figures below come from a different seed (11) and from a real Stack Exchange dump cut at T, where
nothing was tuned on the period after T.

    .venv/bin/python scripts/validate_ladder.py [--data ../shared/data] [--work /tmp/ladder-validation]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from reef.api import Community
from reef.ladder.validation import se_rankings, simulator_scores
from reef.store.asof import as_of_timestamp

ROOT = Path(__file__).resolve().parents[1]
# bicycles-meta (a governance meta site, ~1,400 posts 2010-2023): cut at 2013-01-01, when about half the posts
# exist, so both sides of the cut have activity. Chosen from the post counts per year before any ladder run.
SE_SITES = (("se-quantumcomputing", "2018-06-15"), ("se-bicycles-meta", "2013-01-01"))
SITE_NOTES = {"se-bicycles-meta": (
    'A meta site is governance talk, not Q&A, and slow: in the 90 days before the cut no member meets any'
    ' stage requirement, so all 934 members are at stage 0 and the ranking is potential alone. With 8 '
    'targets one member moves p@10 by 0.1. The ladder beats post count and up-votes and ties or beats the'
    ' TL3 rule, but does **not** beat Orbit-style decayed activity (recency matters most on a slow site);'
    ' nothing was tuned on this dump to change that.')}


def simulate(work: Path, seed: int) -> dict:
    db = work / f"sim-{seed}.duckdb"
    if db.exists():
        db.unlink()
    c = Community(db)
    c.simulate(members=2000, days=150, seed=seed) if hasattr(c, "simulate") else None
    from reef.api import simulate_community

    if not c.store.fetch_value("SELECT count(*) FROM members"):
        simulate_community(c.store, members=2000, days=150, seed=seed)
    c.analyze(only=["ladder"])
    return simulator_scores(c.store)


def stack_exchange(work: Path, data: Path, site: str, cut: str) -> dict:
    db = work / f"{site}.duckdb"
    c = Community(db)
    if not c.store.fetch_value("SELECT count(*) FROM members"):
        c.import_files([data / site])
    ts = as_of_timestamp(cut, "UTC")
    c.analyze(only=["text_features"])  # text features do not depend on as_of
    started = time.perf_counter()
    c.analyze(as_of=ts, only=["ladder"], force=True)
    result = se_rankings(c.store, ts)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def render(sim: dict, se: dict) -> str:
    lines = ["# Ladder validation", "", "Produced by `scripts/validate_ladder.py`; do not edit by hand.", "",
             "## Protocol", "",
             "* **Tuning**: every `[ladder]` threshold was chosen on the simulator with seed 7 (2,000 members, 150 days) by a",
             "  small grid over guide, leader, participant, creator and connector thresholds (best macro-F1 0.873 there).",
             "* **Held out, simulator**: a different community (seed 11, same size). Expected stage per latent type:",
             "  lurker 0, participant and newcomer 1, creator 2, connector 3, leader 4; troll, burnout-prone core and",
             "  misinformer have no single right stage and are shown as distributions.",
             "* **Held out, Stack Exchange** (issue 5): cut at T; ladder run with `--as-of T`; targets are members active",
             "  before T in the top 5% by (answers with score >= 1 + 3 x accepted answers) after T. Rankings: the ladder",
             "  (stage, then potential) and four baselines from data before T: post count, up-votes received, a Discourse",
             "  TL3-style rule (>= 10 topics and >= 20 up-votes in the last 100 days first, then posts), Orbit-style love",
             "  (activity weighted 3 for posts, 1 for comments, 0.5 for votes given, 90-day half-life). No threshold was tuned on SE.",
             "  One honest caveat: \"top 5%\" is taken of the members active before T (ties at the cut included). A first",
             "  reading (5% of the members with a positive value after T) gave only 3 targets on this dump, where the ladder",
             "  ranked below Orbit-style love on NDCG@50; the definition was changed to the issue's wording after that run.",
             "", "## Simulator (seed 11, held out)", "",
             f"macro-F1 **{sim['macro_f1']}** (target 0.85), accuracy {sim['accuracy']}.", "",
             "| stage | members | precision | recall | F1 |", "|---|---|---|---|---|"]
    for s, v in sim["per_stage"].items():
        lines.append(f"| {s} | {v['members']} | {v['precision']} | {v['recall']} | {v['f1']} |")
    lines += ["", "Other latent types (stage: members): " + "; ".join(
        f"{t} {dict(sorted(d.items()))}" for t, d in sorted(sim["other_types"].items())), "",
        f"Planted like ring: **{sim['ring_flagged']} of {sim['ring_members']}** members flagged `like_ring`; "
        f"{sim['flagged_total']} members flagged in all.", ""]
    for site, r in se.items():
        lines += [f"## Stack Exchange: {site} (cut {r['cut']})", "",
                  f"{len(r['targets'])} target members; ladder computed in {r['seconds']} s.", "",
                  "| ranking | precision@10 | precision@20 | NDCG@50 |", "|---|---|---|---|"]
        for name, m in r["metrics"].items():
            lines.append(f"| {name} | {m['p@10']} | {m['p@20']} | {m['ndcg@50']} |")
        best = max((m["ndcg@50"], n) for n, m in r["metrics"].items() if n != "ladder")
        lad = r["metrics"]["ladder"]
        others = [m for n, m in r["metrics"].items() if n != "ladder"]
        verdict = []
        for k in ("p@10", "p@20", "ndcg@50"):
            best_k = max(m[k] for m in others)
            verdict.append(f"{k}: {'beats' if lad[k] > best_k else 'ties' if lad[k] == best_k else 'LOSES to'} the best baseline "
                           f"({lad[k]} vs {best_k})")
        lines += ["", "Ladder against the best baseline per measure: " + "; ".join(verdict) + ".", ""]
        if site in SITE_NOTES:
            lines += [SITE_NOTES[site], ""]
        _ = best
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=Path("/tmp/ladder-validation"))
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "ladder-validation.md")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sim = simulate(args.work, 11)
    se = {}
    for site, cut in SE_SITES:
        if (args.data / site).exists():
            se[site] = {**stack_exchange(args.work, args.data, site, cut), "cut": cut}
    args.out.write_text(render(sim, se), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
