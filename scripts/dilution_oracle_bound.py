"""How early could a test that knew the planted share's shape alert on the narrative dilution? (risk-validation.md)

Per simulated store, the daily counts the radar sees (members' original posts, and those naming a selling point) come
from the radar's own code (``reef.risks.entropy.selling_terms`` and ``naming_counts``, one pass over the run). The
planted share of experience posts falls linearly (``reef.simulate.scenarios.SELLING_SHARE``, recorded in the truth) and
the plant marks such a post with a phrase (``reef.simulate.phrases.SELLING``), so the share the radar would see on day
D is, from the seed's clean control (whole run), the share of originals naming a selling point without that phrase
plus the share with it times the ramp's fall: ``s1(D)`` (:func:`ramp_share`), which the oracle knows. (A
variant fits a line ``a + b D`` on all 180 days of the planted run in hindsight.) Its test is a CUSUM of the
log-likelihood ratio of "the day's naming posts are Poisson(posts x s1(D))" against "Poisson(posts x target)"
(``risks.dilution_target_share``), counted only on days where s1 is below the target (the hypothesis is a share below
the target; on days above it the test learns nothing). It runs on the same midnights as the replays, and the same test
(same s1) runs on the seed's clean control. Its alert level is the lowest at which every development control has at
most one false alarm per 90 days (alarm days newly raised, 7-day dedupe, as ``validate_risks.episodes``). A planted
run is detected within 7 d when the first alarm after the below-target day (truth) comes at most 7 days after the
detectable-from day and more than 2 days after below-target (the validation page's *chance alarm* rule). The second
bound replaces the planted run's naming posts by their expectation (posts x s1): no Poisson noise on the plant, the
level still from the (noisy) controls.

The truth restated in the radar's terms (:func:`radar_terms_truth`, defined in session twenty-two's note before it was
computed): the plant's truth dates the risk from its own reference (8 % of experience posts), which in the radar's terms
is 3.41 % of originals, not the configured target. Restated, the below-target day is the first day the share known from
the ramp (:func:`ramp_share`) is below ``risks.dilution_target_share`` and the detectable-from day the first day it is
the truth's ``detectable_drop`` (25 %) below it; the same verdict rule then reads the same alarm days (radar and
oracle). Nothing is replayed: the alarm days are the replays' (the replica's, checked against them).

A candidate for the radar is worth trying only if the bound shows clear room (``ROOM``). The radar itself is replicated
offline (``radar_alerts``: the fortnight's score and the 42-day CUSUM) and checked against the cached replays, so the
bound and the radar are read with the same rule on the same counts.

Usage: python scripts/dilution_oracle_bound.py --work /tmp/rv21/work [--cache /tmp/dilution-counts.json]
"""
from __future__ import annotations

import argparse
import json
import math
from datetime import timedelta
from pathlib import Path

import numpy as np

from reef.risks.common import decline_cusum, poisson_low_surprise, ramp

DEV = [11, 16, 17, 18, 19, 20, 21, 22, 23]  # scripts/validate_risks.py --dev-seeds
SEEN = [24, 25, 26, 27]  # --seen-seeds (earlier held out)
TEST = [28, 29, 30, 31]  # --test-seeds (held out)
EVAL_FROM, DAYS, DEDUPE = 35, 180, 7  # as scripts/validate_risks.py: replayed midnights 35..180, alarms deduplicated over 7 days
LEVELS = np.round(np.arange(0.05, 15.0, 0.05), 2)
# Step 3 (a candidate for the radar) is worth trying only if the oracle, share known from the ramp, detects at least this
# many more development runs within 7 d than the radar ("several", the brief's word); its adoption rule would then be:
# more development runs within 7 d than the radar's replica and no development control over 1 false alarm per 90 days.
ROOM = 2


def daily_counts(db: Path) -> dict:
    """Original posts and those naming a selling point per day 0..DAYS-1 of one store, by the radar's own query."""
    from reef.risks.common import MEMBER_POSTS, ORIGINAL_KINDS, risk_base
    from reef.risks.entropy import naming_counts, selling_terms
    from reef.simulate.phrases import SELLING
    from reef.store import open_store

    store = open_store(db, read_only=True)
    try:
        c = dict(store.config.section("risks"))
        start = store.fetch_value("SELECT min(started_at) FROM truth_scenarios WHERE scenario IN ('knowledge_gaps', 'misinformation')")
        end = start + timedelta(days=DAYS + 1)
        terms = selling_terms(store, end, c)
        assert terms == selling_terms(store, start + timedelta(days=EVAL_FROM), c), "selling points changed during the run"
        with risk_base(store, end, int(c["horizon_days"])):
            _, days = naming_counts(store, end, {**c, "dilution_cusum_days": DAYS + 1}, terms)
            # Truth side, not the radar's matching: originals carrying a phrase the plant appends (each names a term).
            plant = store.fetch_all(f"""
                SELECT CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(p.created_at)) / 86400) AS BIGINT), count(*)
                FROM ({MEMBER_POSTS}) p JOIN content_features f USING (content_id)
                WHERE p.kind IN {ORIGINAL_KINDS} AND p.created_at < $ts::TIMESTAMPTZ
                  AND len(list_filter($phrases, lambda x: contains(coalesce(f.text_simplified, ''), x))) > 0 GROUP BY 1""",
                                    {"ts": end, "phrases": list(SELLING)})
        posts, naming, planted = np.zeros(DAYS, int), np.zeros(DAYS, int), np.zeros(DAYS, int)
        for k, n, m in days:  # k = whole days back from ``end``: day D = DAYS - k
            if 0 <= DAYS - k < DAYS:
                posts[DAYS - k], naming[DAYS - k] = n, m
        for k, n in plant:
            if 0 <= DAYS - k < DAYS:
                planted[DAYS - k] = n
        params = store.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = 'dilution'")
    finally:
        store.close()
    return {"posts": posts.tolist(), "naming": naming.tolist(), "plant_phrase": planted.tolist(), "truth": json.loads(params) if params else None}


def fit_share(posts, naming) -> tuple[float, float]:
    """Least-squares line a + b D of the daily share, weighted by the day's posts (naming ~ posts x (a + b D))."""
    posts, naming = np.asarray(posts, float), np.asarray(naming, float)
    d = np.arange(len(posts), dtype=float)
    x = np.column_stack([posts, posts * d])
    (a, b), *_ = np.linalg.lstsq(x / np.sqrt(np.maximum(posts, 1))[:, None], naming / np.sqrt(np.maximum(posts, 1)), rcond=None)
    return float(a), float(b)


def oracle_stat(posts, naming, share, target: float) -> np.ndarray:
    """CUSUM as of each midnight 0..len: the log-likelihood ratio of share ``share[D]`` against ``target`` for the
    naming posts of day D, summed over the days before the midnight where ``share[D] < target``, restarting at 0.

    >>> oracle_stat([100, 100], [1, 1], [0.01, 0.05], 0.03).round(3).tolist()  # day 1's share is above target: no step
    [0.0, 0.901, 0.901]
    """
    posts, naming, share = (np.asarray(v, float) for v in (posts, naming, share))
    on = (share < target) & (share > 0)
    steps = np.where(on, naming * np.log(np.where(on, share, 1.0) / target) - posts * (share - target), 0.0)
    out, s = [0.0], 0.0
    for step in steps:
        s = max(0.0, s + step)
        out.append(s)
    return np.array(out)


def alarms(stat, level: float) -> list[int]:
    """Midnights (EVAL_FROM..DAYS) on which ``stat`` reaches ``level`` and did not in the previous DEDUPE days."""
    out, last = [], None
    for d in range(EVAL_FROM, min(len(stat), DAYS + 1)):
        if stat[d] >= level:
            if last is None or d - last > DEDUPE:
                out.append(d)
            last = d
    return out


def per_90(n: int) -> float:
    return n * 90 / (DAYS - EVAL_FROM + 1)


def control_level(stats: list, levels=LEVELS) -> float:
    """Lowest level from which on every control's alarm statistic gives at most 1 false alarm per 90 days."""
    ok = [all(per_90(len(alarms(s, h))) <= 1 for s in stats) for h in levels]
    for i in range(len(levels)):
        if all(ok[i:]):
            return float(levels[i])
    return math.inf


def verdict(days: list[int], truth: dict) -> tuple[int | None, bool]:
    """First alarm after the below-target day and whether it meets the target (<= 7 d after detectable-from, not a
    chance alarm within 2 d of below-target), as scripts/validate_risks.py reads the replays. A truth that never
    reaches its detectable-from day within the run has nothing to meet (False)."""
    below, detectable = truth["below_target_day"], truth["detectable_from_day"]
    if below is None:
        return None, False
    first = next((d for d in days if d > below), None)
    return first, first is not None and detectable is not None and first - detectable <= 7 and first - below > 2


def radar_alerts(posts, naming, c: dict, *, weeks: int | None = None, cusum_days: int | None = None, shift: float | None = None,
                 cusum_alert: float | None = None, present: bool = False) -> tuple[list[int], list[float]]:
    """Offline replica of the radar's dilution alert at every midnight EVAL_FROM..DAYS from daily counts: the share over
    the last ``dilution_weeks`` weeks scored against the target and gated by its Poisson surprise, or the decline CUSUM
    (``reef.risks.common.decline_cusum``) over the last ``dilution_cusum_days``; keywords override the settings (a
    candidate). Returns (alarm midnights, deduplicated as the validation does; the fortnight's share each midnight);
    ``present=True`` returns the midnights on which the alert stands instead of the deduplicated ones."""
    target, ok, bad = float(c["dilution_target_share"]), float(c["dilution_gap_ok"]), float(c["dilution_gap_bad"])
    w = 7 * int(weeks or c["dilution_weeks"])
    nd, sh, at = int(cusum_days or c["dilution_cusum_days"]), float(shift or c["dilution_cusum_shift"]), float(cusum_alert or c["dilution_cusum_alert"])
    hit, shares = [], []
    for d in range(EVAL_FROM, DAYS + 1):
        p, n = sum(posts[max(0, d - w):d]), sum(naming[max(0, d - w):d])
        share = n / p if p else None
        shares.append(share)
        gate = min(1.0, poisson_low_surprise(n, p * target) / float(c["part_surprise"])) if p else 0.0
        score = ramp(None if share is None else 1 - share / target, ok=ok, bad=bad) * gate
        lo = max(0, d - nd)
        cs = decline_cusum(naming[lo:d], [target * x for x in posts[lo:d]], shift=sh)
        hit.append(score >= float(c["alert_score"]) or cs >= at)
    if present:
        return [d for d, h in zip(range(EVAL_FROM, DAYS + 1), hit) if h], shares
    stat = np.array([0.0] * EVAL_FROM + [1.0 if h else 0.0 for h in hit])
    return alarms(stat, 1.0), shares


def ramp_share(control: dict, truth: dict) -> np.ndarray:
    """The planted share the radar would see each day, from the seed's clean control (whole run): its share of originals
    naming a selling point without the plant's phrase (questions about 城市NOA, ...) stays, the share carrying the
    phrase is scaled by the plant's ramp (selling-point share of experience posts, truth: start -> end over the run)."""
    hi, lo = truth["selling_point_share_start"], truth["selling_point_share_end"]
    posts = sum(control["posts"])
    phrase = sum(control["plant_phrase"]) / posts
    other = sum(control["naming"]) / posts - phrase
    return other + phrase * (hi - (hi - lo) * np.arange(DAYS) / DAYS) / hi


def page_verdict(present: list[int], truth: dict) -> tuple[int | None, str]:
    """The validation page's reading (``validate_risks._gradual`` and ``_status``): the first midnight strictly after the
    below-target day on which the alert stands; a chance alarm when that is within 2 d of it, else met within 7 d of
    the detectable-from day.

    >>> page_verdict([92, 93, 130], {"below_target_day": 100, "detectable_from_day": 140})
    (130, 'met')
    >>> page_verdict(list(range(92, 140)), {"below_target_day": 100, "detectable_from_day": 140})
    (101, 'chance alarm')
    """
    below, detectable = truth["below_target_day"], truth["detectable_from_day"]
    first = next((d for d in present if below is not None and d > below), None)
    if first is None or detectable is None:
        return first, "missed"
    if first - below <= 2:
        return first, "chance alarm"
    return first, "met" if first - detectable <= 7 else "missed"


def radar_terms_truth(share: np.ndarray, target: float, drop: float) -> dict:
    """The truth in the radar's terms: first day the expected share is below ``target`` and first day it is ``drop``
    below it (None when it never is within the run).

    >>> radar_terms_truth(np.array([0.04, 0.029, 0.024, 0.022]), 0.03, 0.25)
    {'below_target_day': 1, 'detectable_from_day': 3}
    """
    below = np.flatnonzero(share < target)
    deep = np.flatnonzero(share <= target * (1 - drop))
    return {"below_target_day": int(below[0]) if len(below) else None,
            "detectable_from_day": int(deep[0]) if len(deep) else None}


def oracle_runs(counts: dict, seeds: list[int], target: float, line: str = "ramp") -> dict:
    """Per seed: the oracle's share (``line`` "ramp": :func:`ramp_share`; "fit": :func:`fit_share` on the planted run,
    in hindsight) and its statistic on the planted run, on the planted run's expectation and on the control."""
    out = {}
    for seed in seeds:
        p, c = counts[f"{seed}-planted"], counts[f"{seed}-control"]
        if line == "ramp":
            share = ramp_share(c, p["truth"])
        else:
            a, b = fit_share(p["posts"], p["naming"])
            share = a + b * np.arange(DAYS)
        below = np.flatnonzero(share < target)
        out[seed] = {"truth": p["truth"], "share": share, "cross": int(below[0]) if len(below) else None,
                     "planted": oracle_stat(p["posts"], p["naming"], share, target),
                     "expected": oracle_stat(p["posts"], np.asarray(p["posts"]) * share, share, target),
                     "control": oracle_stat(c["posts"], c["naming"], share, target)}
    return out


def group_line(name: str, seeds: list[int], runs: dict, level: float, radar: dict) -> str:
    """One row: planted runs met within 7 d by the oracle (noisy, expected) and by the radar, controls over target."""
    met = {k: [s for s in seeds if verdict(alarms(runs[s][k], level), runs[s]["truth"])[1]] for k in ("planted", "expected")}
    over = [s for s in seeds if per_90(len(alarms(runs[s]["control"], level))) > 1]
    firsts = [verdict(alarms(runs[s]["planted"], level), runs[s]["truth"])[0] for s in seeds]
    return (f"| {name} ({' '.join(map(str, seeds))}) | {len(met['planted'])}/{len(seeds)} ({' '.join(map(str, met['planted'])) or '-'}) | "
            f"{len(met['expected'])}/{len(seeds)} | {radar[name]}/{len(seeds)} | {len(over)} | "
            f"{' '.join('-' if f is None else str(f - 120) for f in firsts)} |")


def restated_section(runs: dict, radar_days: dict, level: float, groups: dict, target: float, drop: float) -> None:
    """Print the radar and the oracle read against the truth in the radar's terms (:func:`radar_terms_truth`), by the
    validation page's rule (:func:`page_verdict`: the midnights on which the alert stands, ``radar_days``)."""
    print(f"\nTruth in the radar's terms: below-target = expected share < {target:.2%}, detectable-from = expected share "
          f"<= {target * (1 - drop):.2%} ({drop:.0%} below the target)")
    print("  seed: below-target day, detectable-from day; radar's first standing alert after below-target (days from detectable-from), "
          "verdict; alerts raised before below-target (chance); the oracle's first standing alarm (days), verdict")
    met = {}
    for s in runs:
        t = radar_terms_truth(runs[s]["share"], target, drop)
        first, ok = page_verdict(radar_days[s], t)
        ofirst, ook = page_verdict([d for d in range(EVAL_FROM, DAYS + 1) if runs[s]["planted"][d] >= level], t)
        early = [d for d in radar_days[s] if t["below_target_day"] is None or d <= t["below_target_day"]]
        early = [d for d in early if d - 1 not in early]  # where each standing stretch began
        met[s] = (ok == "met", ook == "met")
        det = t["detectable_from_day"]
        gap = lambda d: "-" if d is None or det is None else f"{d - det:+d}"  # noqa: E731
        print(f"  {s}: day {t['below_target_day']}, day {det}; day {first} ({gap(first)}), {ok}; "
              f"{' '.join(map(str, early)) or '-'}; day {ofirst} ({gap(ofirst)}), {ook}")
    print("\n| seeds | radar within 7 d (truth in the radar's terms) | oracle within 7 d (same truth) |")
    print("|---|---|---|")
    for name, ss in groups.items():
        r, o = [s for s in ss if met[s][0]], [s for s in ss if met[s][1]]
        print(f"| {name} | {len(r)}/{len(ss)} ({' '.join(map(str, r)) or '-'}) | {len(o)}/{len(ss)} ({' '.join(map(str, o)) or '-'}) |")


# Step 3 under the restated truth. The candidate, fixed before it was run: the radar's CUSUM designed for the truth's
# detectable drop (shift = 25 %, not 40 %) at the lowest alert level that keeps every development control within 1
# false alarm per 90 days (as the oracle's level). A small grid is printed beside it for information only; adopting
# from a grid's best would select on the development seeds' chance alarms.
GRID = {"shift": (0.25, 0.3, 0.4), "cusum_days": (28, 42, 56), "cusum_alert": (1.5, 2.0, 2.5, 3.0, 3.5, 4.0)}


def candidate_section(counts: dict, c: dict, truths: dict) -> None:
    """Print the restated truth's candidate and the grid: development runs met (page rule), controls over target."""
    def score(**kw) -> tuple[list[int], list[int]]:
        met, over = [], []
        for s in DEV:
            p, k = counts[f"{s}-planted"], counts[f"{s}-control"]
            if page_verdict(radar_alerts(p["posts"], p["naming"], c, present=True, **kw)[0], truths[s])[1] == "met":
                met.append(s)
            if per_90(len(radar_alerts(k["posts"], k["naming"], c, **kw)[0])) > 1:
                over.append(s)
        return met, over

    base, _ = score()
    ok = [h for h in LEVELS[LEVELS <= 5] if not score(shift=0.25, cusum_alert=float(h))[1]]
    level = float(ok[0]) if ok else math.inf
    met, over = score(shift=0.25, cusum_alert=level) if ok else ([], [])
    print(f"\nCandidate (CUSUM shift 0.25, level {level:g} nats, the lowest with every development control <= 1 per 90 d): "
          f"{len(met)}/{len(DEV)} development runs within 7 d ({' '.join(map(str, met)) or '-'}) against the radar's "
          f"{len(base)}/{len(DEV)}; {'adopt' if len(met) > len(base) and not over else 'not adopted'}")
    rows = [(sh, nd, at, *score(shift=sh, cusum_days=nd, cusum_alert=at)) for sh in GRID["shift"] for nd in GRID["cusum_days"]
            for at in GRID["cusum_alert"]]
    best = max(len(r[3]) for r in rows if not r[4])
    print(f"grid (information only, {len(rows)} settings): best {best}/{len(DEV)} development runs without a control over target, "
          f"at " + "; ".join(f"shift {sh} days {nd} level {at} ({' '.join(map(str, m))})" for sh, nd, at, m, o in rows
                             if len(m) == best and not o))


def main() -> None:
    from reef.config import load_config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/rv21/work"), help="folder with the simulated stores and replay-<seed>.json")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/dilution-counts.json"), help="daily counts, computed once")
    args = ap.parse_args()
    c = dict(load_config().section("risks"))
    target = float(c["dilution_target_share"])
    seeds = [*DEV, *SEEN, *TEST]
    if args.cache.exists():
        counts = json.loads(args.cache.read_text())
    else:
        counts = {f"{s}-{k}": daily_counts(args.work / f"sim-1500-180-{s}-{k}.duckdb") for s in seeds for k in ("planted", "control")}
        args.cache.write_text(json.dumps(counts))
    # The replica must give the replays' alarm days exactly, or its column would not be the page's radar.
    same = 0
    for s in seeds:
        rep = json.loads((args.work / f"replay-{s}.json").read_text())
        for k in ("planted", "control"):
            days = rep[k]["days"]
            got = np.zeros(DAYS + 2)
            got[[int(d) for d in days if any(a[0] == "entropy:dilution:selling_points" for a in days[d]["alerts"])]] = 1
            same += alarms(got, 1.0) == radar_alerts(counts[f"{s}-{k}"]["posts"], counts[f"{s}-{k}"]["naming"], c)[0]
    print(f"radar replica: same alarm days as the cached replay on {same} of {2 * len(seeds)} stores")
    truth = {s: counts[f"{s}-planted"]["truth"] for s in seeds}
    base = sum(sum(counts[f"{s}-control"]["naming"]) for s in seeds) / sum(sum(counts[f"{s}-control"]["posts"]) for s in seeds)
    t0 = truth[seeds[0]]
    other = base - sum(sum(counts[f"{s}-control"]["plant_phrase"]) for s in seeds) / sum(sum(counts[f"{s}-control"]["posts"]) for s in seeds)
    ref = other + (base - other) * t0["target_share"] / t0["selling_point_share_start"]
    print(f"clean controls: {base:.2%} of originals name a selling point, {other:.2%} without the plant's phrase; the plant's "
          f"reference ({t0['target_share']:.0%} of experience posts) is {ref:.2%} of originals, its detectable-from level "
          f"{other + (base - other) * t0['target_share'] * (1 - t0['detectable_drop']) / t0['selling_point_share_start']:.2%}")
    groups = {"development": DEV, "earlier held out": SEEN, "held out": TEST}
    radar_days = {s: radar_alerts(counts[f"{s}-planted"]["posts"], counts[f"{s}-planted"]["naming"], c)[0] for s in seeds}
    radar = {s: verdict(radar_days[s], truth[s]) for s in seeds}
    radar_met = {name: sum(radar[s][1] for s in ss) for name, ss in groups.items()}
    for line, label in (("ramp", "share known from the ramp (clean control's level, its plant phrases scaled by the ramp)"),
                        ("fit", "share = a line fitted on the planted run itself (hindsight)")):
        runs = oracle_runs(counts, seeds, target, line)
        level = control_level([runs[s]["control"] for s in DEV])
        print(f"\nOracle, {label}; alert level (lowest with every development control <= 1 false alarm per 90 d): {level:g} nats")
        print("  seed: share on days 80 / 120, first day below the target, oracle statistic on day 127 (on expected counts), "
              "control maximum, first alarm after day 80 of the radar and of the oracle on expected counts")
        for s in seeds:
            r = runs[s]
            print(f"  {s}: {r['share'][80]:.4f} / {r['share'][120]:.4f}, day {r['cross']}, {r['planted'][127]:.2f} ({r['expected'][127]:.2f}), "
                  f"{r['control'][EVAL_FROM:].max():.2f}, day {radar[s][0]} / {verdict(alarms(r['expected'], level), truth[s])[0]}")
        print("\n| seeds | oracle: runs within 7 d of detectable-from | oracle on expected counts | radar | oracle's controls over 1 per 90 d | "
              "oracle's first alarm after below-target, days from detectable-from |")
        print("|---|---|---|---|---|---|")
        for name, ss in groups.items():
            print(group_line(name, ss, runs, level, radar_met))
        if line == "ramp":
            early = [s for s, (day, ok) in radar.items() if ok and day < runs[s]["cross"]]
            print(f"\nradar runs within 7 d: {sum(ok for _, ok in radar.values())}; alarmed before the share known from the ramp was "
                  f"below the target: {len(early)} ({' '.join(map(str, early))})")
            dev = sum(verdict(alarms(runs[s]["planted"], level), truth[s])[1] for s in DEV)
            print(f"\nroom for a candidate: oracle {dev} vs radar {radar_met['development']} development runs within 7 d; "
                  f"{'try one' if dev - radar_met['development'] >= ROOM else 'none tried'} (ROOM = {ROOM})")
            standing = {s: radar_alerts(counts[f"{s}-planted"]["posts"], counts[f"{s}-planted"]["naming"], c, present=True)[0] for s in seeds}
            restated_section(runs, standing, level, groups, target, float(t0["detectable_drop"]))
            candidate_section(counts, c, {s: radar_terms_truth(runs[s]["share"], target, float(t0["detectable_drop"])) for s in seeds})


if __name__ == "__main__":
    main()
