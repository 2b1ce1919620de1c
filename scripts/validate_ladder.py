"""Write docs/ladder-validation.md: the ladder on simulated communities and on Stack Exchange dumps.

Protocol (issue 5): stage thresholds were tuned on the simulator with seed 7; the ranking inside a
stage (the potential) was developed on the simulator with seed 7 and on *development cuts* of the Stack
Exchange dumps, whose target period ends at the evaluation cut, so nothing after an evaluation cut was
seen while developing. Rounds 3-5 add principled variants (``VARIANTS``: of the potential; round 5: stage thresholds
scaled to the community's pace), run on the development cuts and simulator seed 7 only and adopted only under a rule fixed beforehand (``adopted``), and a profile of the
future top answerers of the slow meta site before its development cuts. The evaluation figures (simulator seed 11,
SE evaluation cuts) are run once.

    .venv/bin/python scripts/validate_ladder.py [--part dev|all] [--data ../shared/data] [--work /tmp/ladder-validation]

``--part dev`` prints the development figures only and writes nothing (use it while developing).
"""
from __future__ import annotations

import argparse
import json
import re
import time
from datetime import timedelta
from pathlib import Path

from reef.api import Community, simulate_community
from reef.ladder import compute_ladder
from reef.ladder.params import LadderParams
from reef.ladder.validation import promotion_auc, se_rankings, simulator_scores
from reef.network.helpers import write_helpers
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
# Round 6 (fixed and committed 2026-11-22 before any of these cuts was run; the ladder itself is unchanged): issue 5
# says the ladder "will be checked on other dumps too". One cut of a slow site rests on a handful of targets (8 at
# 2013-01-01, where one member moves p@10 by 0.1), so the check on bicycles-meta is repeated at every new-year cut from
# 2013 to 2021, each with a two-year target period (answers and their votes before cut + 2 years). None of these cuts
# was used for a choice (the development cuts end at 2013-01-01). Rule, fixed here: the ladder passes the check on a
# site if its mean over the cuts with at least one target is higher than every baseline's mean on each of p@10, p@20
# and NDCG@50; a tie is not a pass. Per-cut wins, ties and losses against each baseline are reported alongside. Two
# later quantumcomputing cuts (the dump ends in 2018-09) are reported for information only, not judged.
MULTICUT = {"se-bicycles-meta": tuple((f"{y}-01-01", f"{y + 2}-01-01") for y in range(2013, 2022)),
            "se-quantumcomputing": (("2018-07-01", None), ("2018-07-15", None))}
MULTICUT_JUDGED = ("se-bicycles-meta",)
SIM_SIZE = {"members": 2000, "days": 150}
SIM_FORWARD_DAYS = 50  # the simulator's "future": the last 50 of its 150 days
SITE_NOTES = {"se-bicycles-meta": (
    "A meta site is governance talk, not Q&A, and slow: at the evaluation cut every member is at stage 0, so the"
    " ranking is the potential alone (recency-weighted evidence and the trend). With 8 targets one member moves"
    " p@10 by 0.1. The round-2 potential did not change the outcome here (round 1 gave 0.5 / 0.3 / 0.867). Rounds 3"
    " to 5 looked into it on the development cuts only (section above; round 5 scaled the stage thresholds to the"
    " community's pace so members of a slow site can climb); no principled variant passed the development rule,"
    " so the ranking is unchanged. The ladder does not beat Orbit-style decayed activity on this site: since ladder"
    " version 11 (a comment below a question is no help; 0.5 / 0.3 / 0.859 before) it ties Orbit on p@10 and p@20 at"
    " this cut and stays below it on NDCG@50, while it beats post count and up-votes and ties or beats the TL3 rule."
    " It is reported as it is.")}


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


def multicut(work: Path, data: Path) -> dict:
    """Every ranking at each MULTICUT cut, per site, with the means over cuts that have targets and the verdict."""
    out = {}
    for site, cuts in MULTICUT.items():
        if not (data / site).exists():
            continue
        rows = [stack_exchange(work, data, site, cut, until) for cut, until in cuts]
        scored = [r for r in rows if r["targets"]]
        names = list(rows[0]["metrics"])
        means = {n: {m: round(sum(r["metrics"][n][m] for r in scored) / max(len(scored), 1), 3)
                     for m in ("p@10", "p@20", "ndcg@50")} for n in names}
        record = {n: {m: [sum(_sign(r["metrics"]["ladder"][m] - r["metrics"][n][m]) == k for r in scored)
                          for k in (1, 0, -1)] for m in ("p@10", "p@20", "ndcg@50")} for n in names if n != "ladder"}
        passed = all(means["ladder"][m] > means[n][m] for n in record for m in ("p@10", "p@20", "ndcg@50"))
        out[site] = {"cuts": rows, "means": means, "record": record, "passed": passed, "judged": site in MULTICUT_JUDGED}
    return out


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


# Round 3: principled variants of the potential, judged on the development cuts and simulator seed 7 only. Rule fixed
# before running them: adopt a variant only if it is no worse than the current ladder on every development measure
# (p@10, p@20, NDCG@50 on each development cut, the seed-7 forward AUC) and better on at least one.
VARIANTS = {
    "current (defaults)": {},
    "trend relative to the community": {"ladder.potential_trend_relative": True},
    "no trend": {"ladder.potential_trend_weight": 0.0},
    "half-life 90 days (Orbit's)": {"ladder.potential_half_life_days": 90.0},
    # Round 4 (same rule, fixed before it was run; one variant, its weight chosen before any run): the issue keeps
    # lifetime evidence, so a proven contributor who lapsed keeps some depth (ten windows of history weigh one
    # window of recent evidence).
    "lifetime evidence, weight 0.1": {"ladder.potential_lifetime_weight": 0.1},
    # Round 5 (same rule, written here before it was run; one variant, no sibling; reference and floors fixed before
    # any run on a Stack Exchange cut): the issue puts thresholds in config "per community", and the seed's first
    # filter picks members who interact more often *than others*, so the count thresholds of stages 1-3 are scaled by
    # the community's acts per active member in the window against the community the defaults were chosen on
    # (simulator seed 7 at its end: 45.6, so `scale_reference_acts` 45), never above the defaults, never below one act
    # for stage 1 or two ("more than once", issue 5) for stages 2 and 3. Stage 4 and guide uses are not scaled.
    "thresholds scaled to the community's pace": {"ladder.scale_to_community": True},
}


def _ladder_at(store, ts, overrides: dict) -> None:
    cfg = store.config.with_overrides(overrides) if overrides else store.config
    write_helpers(store, ts, cfg)
    compute_ladder(store, ts, cfg)


def variants(work: Path, data: Path) -> tuple[dict, dict]:
    """Every variant on the development cuts and the seed-7 forward test (the stores development() built).

    Also returns, for the round-5 variant, the threshold factor and members per stage at each development cut."""
    sim = Community(work / "sim-7.duckdb").store
    end = sim.fetch_value("SELECT max(created_at) FROM content")
    _ladder_at(sim, end + timedelta(seconds=1), {})
    after = dict(sim.fetch_all("SELECT member_id, stage FROM ladder_members"))
    cut = end + timedelta(seconds=1) - timedelta(days=SIM_FORWARD_DAYS)
    out, scales = {}, {}
    for name, ov in VARIANTS.items():
        row = {}
        for site, c, until in DEV_CUTS:
            if (data / site).exists():
                store = Community(work / f"{site}.duckdb").store
                ts = as_of_timestamp(c, "UTC")
                _ladder_at(store, ts, ov)
                row[f"{site} {c}"] = se_rankings(store, ts, as_of_timestamp(until, "UTC"))["metrics"]["ladder"]
                if ov.get("ladder.scale_to_community"):
                    scales[f"{site} {c}"] = {
                        "factor": store.fetch_value("SELECT any_value(threshold_scale) FROM ladder_members"),
                        "stages": dict(store.fetch_all("SELECT stage, count(*) FROM ladder_members GROUP BY 1 ORDER BY 1"))}
        _ladder_at(sim, cut, ov)
        if ov.get("ladder.scale_to_community"):
            scales["simulator seed 7, forward cut"] = {
                "factor": sim.fetch_value("SELECT any_value(threshold_scale) FROM ladder_members"),
                "stages": dict(sim.fetch_all("SELECT stage, count(*) FROM ladder_members GROUP BY 1 ORDER BY 1"))}
        row["sim7_auc"] = promotion_auc(sim.fetch_all("SELECT member_id, stage, rank FROM ladder_members"), after)["all"]
        out[name] = row
    return out, scales


def adopted(var: dict) -> list[str]:
    """Variants that pass the rule above."""
    base = var["current (defaults)"]
    keys = [(k, m) for k in base if k != "sim7_auc" for m in ("p@10", "p@20", "ndcg@50")]
    ok = []
    for name, row in var.items():
        if name == "current (defaults)":
            continue
        diffs = [row[k][m] - base[k][m] for k, m in keys] + [row["sim7_auc"] - base["sim7_auc"]]
        if min(diffs) >= 0 and max(diffs) > 0:
            ok.append(name)
    return ok


def variant_changes(var: dict) -> list[str]:
    """For each variant, the development measures it lowered and raised against the current ladder (the rule's reading)."""
    base = var["current (defaults)"]
    out = []
    for name, row in var.items():
        if name == "current (defaults)":
            continue
        worse, better = [], []
        for k in base:
            pairs = [("seed-7 AUC", row[k] - base[k])] if k == "sim7_auc" else \
                [(f"{m} on {k}", row[k][m] - base[k][m]) for m in ("p@10", "p@20", "ndcg@50")]
            for label, d in pairs:
                (worse if d < -1e-9 else better if d > 1e-9 else []).append(label)
        out.append(f"{name}: lower {', '.join(worse) or 'nowhere'}; higher {', '.join(better) or 'nowhere'}")
    return out


def meta_profile(work: Path, data: Path) -> list[dict]:
    """What future top answerers on the slow meta site look like before a development cut (default ladder)."""
    if not (data / "se-bicycles-meta").exists():
        return []
    store = Community(work / "se-bicycles-meta.duckdb").store
    p = LadderParams.from_config(store.config)
    out = []
    for site, c, until in DEV_CUTS:
        if site != "se-bicycles-meta":
            continue
        ts = as_of_timestamp(c, "UTC")
        _ladder_at(store, ts, {})
        r = se_rankings(store, ts, as_of_timestamp(until, "UTC"))
        lad, orb = r["rankings"]["ladder"], r["rankings"]["orbit_love"]
        pace = store.fetch_all("SELECT sum(pace_recent), sum(pace_earlier) FROM ladder_members")[0]
        rows = store.fetch_all("""
            SELECT l.member_id, l.stage, l.momentum, count(*) FILTER (WHERE c.kind = 'answer') AS answers,
                   count(DISTINCT date_trunc('month', c.created_at)) AS months
            FROM ladder_members l LEFT JOIN content_at($t) c ON c.author_id = l.member_id
            WHERE l.member_id IN (SELECT unnest($m)) GROUP BY ALL""", {"t": ts, "m": sorted(r["targets"])})
        out.append({"cut": c, "until": until,
                    # the community's weighted activity per checkpoint bucket (week) in the trend's two periods
                    "recent_per_week": round(pace[0] / p.recent_checkpoints, 1),
                    "earlier_per_week": round(pace[1] / p.window_checkpoints, 1),
                    "targets": [{"member": m, "stage": st, "momentum": mo, "answers": a, "months": mn,
                                 "ladder": lad.index(m) + 1 if m in lad else None, "orbit": orb.index(m) + 1 if m in orb else None}
                                for m, st, mo, a, mn in sorted(rows, key=lambda x: lad.index(x[0]) if x[0] in lad else 10**9)]})
    return out


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
* **Round 3** (the slow meta site): known before it started: the round-2 evaluation figures of both sites (the ladder
  beat every baseline on quantumcomputing and lost to Orbit on bicycles-meta). The investigation and the variants
  (section "Rounds 3 to 5" below; round 4 added one variant, lifetime evidence, and round 5 one more, thresholds scaled
  to the community's pace, each under the same rule) used only the development cuts and simulator seed 7, with an
  adoption rule fixed before the variants were run; the evaluation cuts were then run once by this script.
"""


def _round3(var: dict, profile: list[dict], scales: dict) -> list[str]:
    lines = ["## Rounds 3 to 5: the slow meta site (development cuts only)", "",
             "Question: on se-bicycles-meta the ladder ranked below Orbit-style decayed activity at the evaluation cut (known"
             " from round 2). What do future top answerers look like *before* a cut, and does a principled change of the"
             " potential help? Everything in this section uses the development cuts (targets from answers before"
             " 2013-01-01) and simulator seed 7; the evaluation cuts were not run while it was investigated.", ""]
    for pr in profile:
        lines += [f"**bicycles-meta at {pr['cut']}** (targets from answers before {pr['until']}): the community's weighted"
                  f" activity was {pr['recent_per_week']} a week in the last 4 weeks against {pr['earlier_per_week']} a week in"
                  " the 13 weeks before (a year-end lull everyone shares).", "",
                  "| target | stage | momentum | answers before the cut | active months | ladder rank | Orbit rank |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| {t['member']} | {t['stage']} | {t['momentum']} | {t['answers']} | {t['months']} | {t['ladder']} | {t['orbit']} |"
                  for t in pr["targets"]]
        lines.append("")
    lines += ["Reading (the tables above): the future top answerers are the site's two long-standing answerers (the most"
              " answers before the cut, active in most months since the site opened), whom the ladder already ranks in its"
              " top three, plus members with a handful of answers that nothing before the cut tells apart from other"
              " occasional posters. The long-standing ones look *lapsed* at a year-end cut (low momentum) because the"
              " whole site slows down in December; at 2011-01-01 a connector with a few recent recognised answers ranks"
              " above them because the ranking is stage first (the issue's protocol). With 3 and 6 targets one member"
              " moves p@10 by 0.1, so the development cuts can only reject changes that hurt, not prove small gains.", "",
              "Variants (each principled for the seed's ladder, none fitted to a cut): the trend relative to the community's"
              " own pace (a lull everyone shares is not lapsing), no trend at all, and Orbit's 90-day half-life for the"
              " recency weighting. Rule fixed before running them: adopt a variant only if it is no worse than the current"
              " ladder on every development measure and better on at least one. Round 4 (same rule; its one variant was"
              " written into this script before it was run) adds lifetime evidence: the issue keeps lifetime"
              " evidence, so the potential's depth also counts every act since joining at a tenth of the weight of recent"
              " evidence (`potential_lifetime_weight` 0.1, chosen before any run), and a proven contributor who lapsed in a"
              " lull keeps some depth. Round 5 (same rule; one variant, written into this script before it was run, its"
              " reference and floors fixed before any run on a Stack Exchange cut) changes the stages instead of the"
              " potential: the issue puts thresholds in config \"per community\", and the seed's first filter picks members"
              " who interact more often *than others*, so `scale_to_community` multiplies the count thresholds of stages"
              " 1-3 (`participant_min_acts`, `creator_min_items`, `connector_min_helped`, `connector_min_points`) by the"
              " community's acts per active member in the 90-day window over the same figure on the community the defaults"
              " were chosen on (simulator seed 7 at its end: 45.6 acts, `scale_reference_acts` 45), never above the"
              " defaults, never below one act for stage 1 or two (`scale_min_repeats`: \"more than once\", issue 5) for"
              " stages 2 and 3; stage 4 is judged by the kind of act, not how often, and is not scaled.", ""]
    if scales:
        lines += ["Round 5's factor at each development cut (Stack Exchange votes are anonymous, so an active member's"
                  " visible acts are posts and comments only) and members per stage under it:", "",
                  "| development cut | factor | members per stage |", "|---|---|---|"]
        lines += [f"| {k} | {v['factor']} | {v['stages']} |" for k, v in scales.items()]
        lines.append("")
    lines += [
              "| variant | " + " | ".join(f"{k} p@10 / p@20 / NDCG@50" for k in next(iter(var.values())) if k != "sim7_auc")
              + " | seed-7 forward AUC |", "|---" * (len(next(iter(var.values()))) + 1) + "|"]
    for name, row in var.items():
        cells = [f"{m['p@10']} / {m['p@20']} / {m['ndcg@50']}" for k, m in row.items() if k != "sim7_auc"]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {row['sim7_auc']} |")
    ok = adopted(var)
    lines += ["", ("Adopted: " + ", ".join(ok) + "." if ok else
                   "**No variant passed the rule, so the ladder is unchanged** (`potential_trend_relative`,"
                   " `potential_lifetime_weight` and `scale_to_community` stay available, off by default). Each variant"
                   " against the current ladder, as these figures read: " + "; ".join(variant_changes(var)) + "."
                   " Scaled thresholds put the stage-1 bar at two acts, so nearly every member who posted in the window"
                   " is a participant and ranks above every quiet one, while some of the 2012 cut's targets were quiet in"
                   " the window. The evaluation figures below are recomputed by this script with the round-2 ranking;"
                   " since ladder version 5 (session nineteen) a helper's several replies under one question count as one"
                   " answer, which moved the development figures above slightly (the 2012 bicycles-meta cut's p@10 0.4 ->"
                   " 0.3, which no variant decision depended on) and the evaluation figures by at most 0.01 (the"
                   " bicycles-meta cuts not at all). The held-out simulator figures (seed 11) also moved slightly from round"
                   " 2's (macro-F1 0.864) because the simulator itself changed between the rounds (work on"
                   " `reef.simulate`: the same seed now yields a slightly different community). Since ladder version 11 (with the"
                   " help ledger's `network_helpers` version 3) a comment below a question is no help, neither in the"
                   " ladder's own answer evidence nor in the ledger's help credit (on Stack Exchange a comment asks for"
                   " details; the answers are their own kind). This moved the development figures above (quantumcomputing"
                   " 2018-05-01 p@20 0.6 -> 0.55 and NDCG@50 0.895 -> 0.89, bicycles-meta 2012-01-01 NDCG@50 0.828 ->"
                   " 0.824) and no variant decision (none passed before or after); the evaluation figures moved too"
                   " (quantumcomputing 1.0 / 0.65 / 0.81 -> 1.0 / 0.6 / 0.8, bicycles-meta 0.5 / 0.3 / 0.859 -> 0.6 /"
                   " 0.35 / 0.886), the held-out simulator's macro-F1 did not (0.861)."), ""]
    return lines


def _multicut(mc: dict) -> list[str]:
    lines = ["## Other cuts of the dumps (round 6: the check on other dumps)", "",
             "Fixed before any of these cuts was run (`MULTICUT` in the script): every new-year cut of bicycles-meta"
             " from 2013 to 2021, each with targets from the two years after it, and two later quantumcomputing cuts"
             " (information only). The ladder passes on a judged site if its mean over the cuts with targets is higher"
             " than every baseline's mean on each measure (a tie is not a pass). Nothing in the ladder changed for this check;"
             " the figures are recomputed with each ladder version. Ladder version 11 (a comment below a question is no"
             " help, below) moved the ladder's means from 0.556 / 0.361 / 0.771 to the figures below on bicycles-meta"
             " (still not passed: Orbit's p@20 and NDCG@50 stay above) and from 0.8 / 0.7 / 0.834 on quantumcomputing"
             " (its p@10 mean now ties three baselines instead of beating them).", ""]
    for site, r in mc.items():
        lines += [f"### {site}{'' if r['judged'] else ' (information only)'}", "",
                  "| cut | target period ends | targets | members per stage | " + " | ".join(
                      f"{n} p@10 / p@20 / NDCG@50" for n in r["means"]) + " |",
                  "|---|---|---|---|" + "---|" * len(r["means"])]
        for c in r["cuts"]:
            lines.append(f"| {c['cut']} | {c['until'] or 'end of dump'} | {c['targets']} | {c['stages']} | " + " | ".join(
                f"{v['p@10']} / {v['p@20']} / {v['ndcg@50']}" for v in c["metrics"].values()) + " |")
        lines.append("| **mean** (cuts with targets) | | | | " + " | ".join(
            f"**{v['p@10']} / {v['p@20']} / {v['ndcg@50']}**" for v in r["means"].values()) + " |")
        lines += ["", "Ladder against each baseline, cut by cut (wins / ties / losses): " + "; ".join(
            f"{n}: " + ", ".join(f"{m} {w}/{t}/{l}" for m, (w, t, l) in rec.items()) for n, rec in r["record"].items())
            + ".", ""]
        if r["judged"]:
            lines += [("**Passed**: the ladder's mean is above every baseline's on every measure." if r["passed"] else
                       "**Not passed**: on at least one measure a baseline's mean is at or above the ladder's."), ""]
    return lines


def render(dev: dict, sim: dict, se: dict, var: dict | None = None, profile: list[dict] | None = None,
           scales: dict | None = None, mc: dict | None = None) -> str:
    lines = ["# Ladder validation", "", "Produced by `scripts/validate_ladder.py`; do not edit by hand.", "", PROTOCOL,
             "## Development figures (used for choices)", "",
             f"Simulator seed 7: macro-F1 {dev['sim']['macro_f1']}, accuracy {dev['sim']['accuracy']}.", ""]
    lines += _forward("seed 7, development", dev["sim"]["forward"])
    for r in dev["se"]:
        lines += [f"### Development cut: {r['site']} at {r['cut']} (targets from answers before {r['until']})", "",
                  f"{r['targets']} target members; members per stage at the cut {r['stages']}.", ""] + _table(r["metrics"])
        lines += ["", "Ladder against the best baseline: " + _verdicts(r["metrics"]) + ".", ""]
    if var:
        lines += _round3(var, profile or [], scales or {})
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
    if mc:
        lines += _multicut(mc)
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
    (var, scales), profile = variants(args.work, args.data), meta_profile(args.work, args.data)
    if args.part == "dev":
        print(json.dumps({**dev, "variants": var, "adopted": adopted(var), "scales": scales, "meta_profile": profile},
                         indent=1, ensure_ascii=False, default=str))
        return
    sim = simulate(args.work, 11)
    se = {}
    for site, cut in SE_SITES:
        if (args.data / site).exists():
            se[site] = stack_exchange(args.work, args.data, site, cut)
    mc = multicut(args.work, args.data)
    text = render(dev, sim, se, var, profile, scales, mc)
    # The like-ring section is written by scripts/like_ring_scan.py: kept as it is.
    kept = re.search(r"<!-- BEGIN rings -->\n.*?<!-- END rings -->\n", args.out.read_text(encoding="utf-8"), re.S) \
        if args.out.exists() else None
    args.out.write_text(text.rstrip("\n") + "\n\n" + kept.group(0) if kept else text, encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
