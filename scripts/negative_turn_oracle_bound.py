"""How early could a test that knew each member's true rates alert on core members turning negative? (risk-validation.md)

The plant (reef/simulate/engine.py, threads.py, backlash.py): from the midnight of ``backlash_day`` (day 108 of 180)
each planted core member starts threads three times as often, 80 % of them complaints about after-sales or quality,
turns 80 % of their ordinary replies into such complaints and writes as many extra complaint replies as they used to
write replies; their answers are unchanged. The radar sees it through the text layer, which reads each post of a core
member as one of four classes: a complaint on after-sales/quality (the drift test's ``a``), another complaint, a
negative post that is not a complaint, or another post (intents and sentiment of ``content_features``, as
reef/risks/backlash.py reads them). On the members' real posts, at the replays' midnights (days 35-180, with the core
list of the replays' weekly ladder refresh, ``risk_member_scan.py snapshots``), this script gives for each planted
member of the given seeds, and for every core member of their clean controls:

* the posts, complaints and after-sales complaints the member writes in the first 7 days after onset, and the
  evidence those days carry for the plant when its onset and both rates are known (the log-likelihood ratio summed
  over the 7 days, no floor at 0: what a test told the onset could have);
* **oracle**: a Poisson CUSUM over the four classes' daily counts, knowing the member's true baseline rates (planted:
  their posts before onset; control: their whole run; 0.5 post per class added so no rate is zero) and the plant's
  alternative: the member's pace times R and the class shares pi1 of the planted members' posts after onset (R the
  median over the given planted members of pace after / pace before, pi1 pooled over them; both printed);
* **estimated**: the same CUSUM with the baseline estimated as the radar must, from the member's own posts in the
  ``risks.burnout_baseline_days`` before the last ``risks.drift_recent_days`` (shares smoothed by 0.5 post per class),
  run over those recent days only (R and pi1 stay the plant's: design constants, as a CUSUM's designed shift);
* **radar**: its offline replica (``risk_member_scan.py`` backlash statistics, the shipped binomial windows and levels
  ``risks.drift_alert_surprise`` / ``risks.drift_aftersales_alert_surprise``, at least ``risks.drift_min_complaints``
  complaints) and the cached replay's first ``core_turning_negative`` alert (``replay-<seed>.json``).

Each CUSUM is read at the lowest level (step 0.25 nats) at which every control of the given seeds has at most one
member false alarm per 90 replayed days (an alarm is a new episode after 7 days without one, as the page counts them).
Delays are from onset to the first midnight strictly after it at which the member is core and at or over the level.

Adoption rule (written before the estimated CUSUM was first run, development seeds 11 and 16-23 only): the estimated
CUSUM at its control-fixed level is a reachable detector that beats the shipped alert if it alerts more planted members
within 7 d than the radar's replica at the shipped levels, alerts at least as many in all, and (by its level) leaves no
development control over one member false alarm per 90 days. Only then is it tested in the radar itself and replayed
once on held-out seeds 28-31. Otherwise no radar code changes. Outcome (development seeds, stores of round fifteen):
not adopted. The estimated CUSUM, at 8.5 nats, alerts 18 of 18 and 3 within 7 d, as many as the shipped alert (18, 3);
the oracle, at 5.75 nats, 18 and 6 (docs/risk-validation.md).

The stores are read only (the core snapshots are computed on copies).

Usage: python scripts/negative_turn_oracle_bound.py --work /tmp/negbound-work --seeds 11 16 17 18 19 20 21 22 23
       python scripts/negative_turn_oracle_bound.py --work /tmp/negbound-work --seeds 11 --check-features 11 17
(``--check-features``: are the stores' text features, computed with an older features digest, what the current text
code gives? Every planted backlash post and one in eight of the rest are read again.)
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from risk_member_scan import SPAN, Events, backlash_stats, core_at, member_table, snapshots  # noqa: E402
from validate_risks import EVAL_FROM, SIZE  # noqa: E402

from reef.config import load_config  # noqa: E402

LEVELS = [x / 4 for x in range(1, 121)]  # 0.25 ... 30 nats
DAYS = SIZE["days"]


CLASSES = ("after-sales complaint", "other complaint", "negative, no complaint", "other")


def class_counts(ev: Events) -> dict[str, np.ndarray]:
    """Member -> (days, 4) daily counts of their posts in the four ``CLASSES``."""
    p = ev.posts
    cls = np.where(p.complaint & p.after_sales, 0, np.where(p.complaint, 1, np.where(p.sentiment < 0, 2, 3)))
    day = np.clip(p.d.to_numpy().astype(int), 0, DAYS - 1)
    out: dict[str, np.ndarray] = {}
    for m, idx in p.groupby("m").indices.items():
        x = np.zeros((DAYS, len(CLASSES)))
        np.add.at(x, (day[idx], cls[idx]), 1)
        out[m] = x
    return out


def rates(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Daily rate of each class over days [lo, hi), 0.5 post per class added (no class is ever impossible)."""
    return (x[lo:hi].sum(axis=0) + 0.5) / max(hi - lo, 1)


def llr_weights(mu0: np.ndarray, big_r: float, pi1: np.ndarray) -> tuple[np.ndarray, float]:
    """Per-class log ratio and daily offset of the plant's alternative (pace x ``big_r``, shares ``pi1``) to ``mu0``.

    >>> w, off = llr_weights(np.array([0.1, 0.1, 0.8]), 2.0, np.array([0.5, 0.2, 0.3]))
    >>> round(float(w[0]), 3), round(off, 2)
    (2.303, 1.0)
    """
    mu1 = big_r * mu0.sum() * pi1
    return np.log(mu1 / mu0), float(mu1.sum() - mu0.sum())


def cusum(incr: np.ndarray) -> np.ndarray:
    """Running one-sided CUSUM (floor 0) of ``incr``; the value after each step."""
    s, out = 0.0, np.empty(len(incr))
    for i, v in enumerate(incr):
        s = max(0.0, s + v)
        out[i] = s
    return out


def first_free(x: np.ndarray) -> int:
    """First day with a post (a member's record starts there)."""
    nz = np.flatnonzero(x.sum(axis=1))
    return int(nz[0]) if len(nz) else 0


def run_scores(counts, snaps, onsets: dict, big_r: float, pi1: np.ndarray, recent: int, base: int) -> dict[str, dict]:
    """Daily {member: statistic} of the oracle and estimated CUSUMs for the core members of a run."""
    days = list(range(EVAL_FROM, DAYS + 1))
    oracle = {d: {} for d in days}
    est = {d: {} for d in days}
    for m, x in counts.items():
        core_days = [d for d in days if m in core_at(snaps, d)]
        if not core_days:
            continue
        on = onsets.get(m)
        lo = first_free(x)
        w, off = llr_weights(rates(x, lo, int(on) if on is not None else DAYS), big_r, pi1)
        s = cusum(x @ w - off)  # s[k]: after day k, i.e. standing at midnight k + 1
        for d in core_days:
            oracle[d][m] = float(s[d - 1])
            b_hi = d - recent
            b_lo = max(0, b_hi - base)
            if b_hi - b_lo < recent:  # the radar, too, waits for a baseline as long as the recent window
                continue
            n = x[b_lo:b_hi].sum(axis=0)
            mu0 = max(n.sum(), 0.5) / (b_hi - b_lo) * (n + 0.5) / (n.sum() + 0.5 * len(n))
            we, offe = llr_weights(mu0, big_r, pi1)
            est[d][m] = float(cusum(x[b_hi:d] @ we - offe)[-1])
    return {"oracle": oracle, "estimated": est}


def replica_scores(ev: Events, snaps, c: dict, general: float, after: float) -> dict[int, dict[str, float]]:
    """The shipped member alert, offline: score >= 0 when either complaint test reaches its level."""
    out = {}
    for d in range(EVAL_FROM, DAYS + 1):
        st = backlash_stats(ev, d, core_at(snaps, d), c)
        out[d] = {m: max(r["complaint"] - general, r["after_sales"] - after) for m, r in st.items()}
    return out


def replay_delays(both: dict, onsets: dict) -> tuple[dict[str, float | None], int]:
    """The cached replay: each planted member's alert delay, and the control's member-alert episodes."""
    days = both["planted"]["days"]
    delays = {m: next((int(d) - on for d in sorted(days, key=int) if int(d) > on and any(
        a[2] == "core_turning_negative" and a[3] == m for a in days[d]["alerts"])), None) for m, on in onsets.items()}
    last: dict[str, int] = {}
    eps = 0
    for d in sorted(both["control"]["days"], key=int):
        for a in both["control"]["days"][d]["alerts"]:
            if a[2] == "core_turning_negative":
                eps += a[3] not in last or int(d) - last[a[3]] > 7
                last[a[3]] = int(d)
    return delays, eps


def lowest_level(tables: dict[int, dict], levels) -> float | None:
    """The lowest level at which every control has at most one member false alarm per 90 days."""
    return next((t for t in levels if all(tab[t]["episodes"] * 90 / SPAN <= 1 for tab in tables.values())), None)


def plant_design(seeds_counts: dict, seeds_onsets: dict) -> tuple[float, np.ndarray]:
    """R (median over planted members of their pace after onset / before) and pi1 (pooled class shares after)."""
    ratios, after = [], np.zeros(len(CLASSES))
    for seed, counts in seeds_counts.items():
        for m, on in seeds_onsets[seed].items():
            x, on = counts.get(m, np.zeros((DAYS, len(CLASSES)))), int(on)
            before = x[first_free(x):on].sum() / max(on - first_free(x), 1)
            ratios.append((x[on:].sum() / (DAYS - on)) / max(before, 1e-9))
            after += x[on:].sum(axis=0)
    return statistics.median(ratios), after / after.sum()


def features_check(work: Path, seeds, every: int = 8) -> None:
    """Are the stores' text features what the current text code gives? Every planted backlash post and one post in
    ``every`` of the rest (by id hash) of the planted and control stores of ``seeds`` are read again, read-only."""
    import duckdb

    from reef.text.enrich import analyze_for_store, features_version

    for seed in seeds:
        for kind in ("planted", "control"):
            con = duckdb.connect(str(work / f"sim-{SIZE['members']}-{DAYS}-{seed}-{kind}.duckdb"), read_only=True)
            rows = con.execute(f"""SELECT concat_ws(chr(10), c.title, c.body), f.intents, f.sentiment, f.aspect_names, f.model_version
                FROM content c JOIN content_features f USING (content_id) LEFT JOIN truth_content t USING (content_id)
                WHERE c.kind <> 'poll_vote' AND (t.scenario = 'backlash' OR hash(c.content_id) % {int(every)} = 0)""").fetchall()
            con.close()
            new = analyze_for_store([r[0] for r in rows]).to_pylist()
            diff = sum(sorted(r[1] or []) != sorted(n["intents"] or []) or abs((r[2] or 0) - (n["sentiment"] or 0)) > 1e-6
                       or sorted(r[3] or []) != sorted(a["aspect"] for a in n["aspects"] or []) for r, n in zip(rows, new))
            print(f"seed {seed} {kind}: features {sorted({r[4] for r in rows})}, code {features_version()}; {len(rows)} posts read again, "
                  f"{diff} differ in intents, sentiment or aspects")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True, help="stores, replay-<seed>.json and core-<seed>-<kind>.json")
    ap.add_argument("--seeds", type=int, nargs="+", required=True)
    ap.add_argument("--check-features", type=int, nargs="*", metavar="SEED", help="only read these seeds' posts again with the current text code")
    args = ap.parse_args()
    if args.check_features:
        features_check(args.work, args.check_features)
        return
    c = load_config().section("risks")
    recent, base, min_k = int(c["drift_recent_days"]), int(c["burnout_baseline_days"]), int(c["drift_min_complaints"])
    windows = sorted({min(int(w), recent) for w in c["drift_windows"]} | {recent})
    general, after = float(c["drift_alert_surprise"]), float(c["drift_aftersales_alert_surprise"])
    data, counts, onsets = {}, {}, {}
    for seed in args.seeds:
        both = json.loads((args.work / f"replay-{seed}.json").read_text())
        tr = both["planted"]["truth"]
        onsets[seed] = {m: tr["backlash_at"].get(m, tr["scenarios"]["backlash"]["start"]) for m in tr["scenarios"]["backlash"]["params"]["members"]}
        ev = {k: Events(args.work, seed, k) for k in ("planted", "control")}
        data[seed] = {"both": both, "ev": ev, "snaps": {k: snapshots(args.work, seed, k) for k in ev}}
        counts[seed] = {k: class_counts(ev[k]) for k in ev}
    big_r, pi1 = plant_design({s: counts[s]["planted"] for s in args.seeds}, onsets)
    print(f"seeds {' '.join(map(str, args.seeds))}: plant's alternative R = {big_r:.2f} x the pace, shares after onset "
          f"{', '.join(f'{k} {v:.3f}' for k, v in zip(CLASSES, pi1))}")
    sc = {"oracle": {}, "estimated": {}, "radar replica": {}}
    shifts = [x / 4 for x in range(0, 17)]  # the replica's levels raised together by 0 ... 4
    rows, replay_eps = [], {}
    for seed in args.seeds:
        d = data[seed]
        runs = {}
        for kind in ("planted", "control"):
            got = run_scores(counts[seed][kind], d["snaps"][kind], onsets[seed] if kind == "planted" else {}, big_r, pi1, recent, base)
            got["radar replica"] = replica_scores(d["ev"][kind], d["snaps"][kind], {"recent": recent, "base": base, "windows": windows,
                                                                                      "min_k": min_k, "p1": 0.5}, general, after)
            runs[kind] = got
        for name in sc:
            lv = shifts if name == "radar replica" else LEVELS
            mk = lambda k: {"days": sorted(runs[k][name]), "onsets": onsets[seed], "score": runs[k][name]}  # noqa: E731
            sc[name][seed] = member_table(mk("planted"), mk("control"), lv, None)
        delays, replay_eps[seed] = replay_delays(d["both"], onsets[seed])
        for m, on in onsets[seed].items():
            x, on = counts[seed]["planted"].get(m, np.zeros((DAYS, len(CLASSES)))), int(on)
            mu0 = rates(x, first_free(x), on)
            w, off = llr_weights(mu0, big_r, pi1)
            mu1 = big_r * mu0.sum() * pi1
            week = x[on:on + 7]
            rows.append({"seed": seed, "member": m, "posts7": int(week.sum()), "complaints7": int(week[:, :2].sum()),
                         "after7": int(week[:, 0].sum()), "pace": float(mu0.sum()), "pace_after": float(x[on:].sum() / (DAYS - on)),
                         "evidence7": float((week @ w).sum() - 7 * off), "expected7": float(7 * (mu1 * np.log(mu1 / mu0) - mu1 + mu0).sum()),
                         "core7": m in core_at(d["snaps"]["planted"], on + 7), "replay": delays[m]})
    report(rows, sc, replay_eps, args.seeds, pi1)


def report(rows: list[dict], sc: dict, replay_eps: dict, seeds, pi1: np.ndarray) -> None:
    """Per-member table, the levels, the within-7-d counts and the loss decomposition."""
    level = {name: lowest_level(t, sorted(next(iter(t.values())))) for name, t in sc.items()}
    level["radar replica (shipped)"] = 0.0
    sc["radar replica (shipped)"] = sc["radar replica"]
    delay = {}
    for name, t in sc.items():  # rows are in each seed's onset order, as member_table's delays
        for seed in seeds:
            got = t[seed][level[name] if level[name] is not None else max(t[seed])]["delays"]
            for r, dl in zip([r for r in rows if r["seed"] == seed], got):
                delay[(name, seed, r["member"])] = dl
    f = lambda v: "—" if v is None else f"{v:.0f}"  # noqa: E731
    print("\n| seed | member | posts / complaints / after-sales complaints in 7 d | pace before, after (posts/d) | 7-d evidence, "
          "expected (nats) | core at +7 d | delay: oracle | estimated | radar replica (shipped) | replay |")
    print("|---|---|---|---|---|---|---:|---:|---:|---:|")
    for r in rows:
        k = (r["seed"], r["member"])
        print(f"| {r['seed']} | {r['member']} | {r['posts7']} / {r['complaints7']} / {r['after7']} | {r['pace']:.2f}, {r['pace_after']:.2f} | "
              f"{r['evidence7']:.1f}, {r['expected7']:.1f} | {'yes' if r['core7'] else 'no'} | {f(delay[('oracle', *k)])} | "
              f"{f(delay[('estimated', *k)])} | {f(delay[('radar replica (shipped)', *k)])} | {f(r['replay'])} |")
    within = lambda ds: sum(1 for v in ds if v is not None and v <= 7)  # noqa: E731
    alerted = lambda ds: sum(1 for v in ds if v is not None)  # noqa: E731
    print(f"\n{len(rows)} planted members; member false alarms counted over {SPAN} replayed days per control")
    for name in ("oracle", "estimated", "radar replica", "radar replica (shipped)"):
        ds = [delay[(name, r["seed"], r["member"])] for r in rows]
        fas = [sc[name][s][level[name]]["episodes"] for s in seeds] if level[name] is not None else []
        what = "levels raised by" if name.startswith("radar") else "CUSUM at"
        print(f"{name}: {what} {level[name]} (lowest control-safe, step 0.25, unless shipped): {alerted(ds)} alerted, {within(ds)} within 7 d; "
              f"control member alarms {fas}, {sum(e * 90 / SPAN > 1 for e in fas)} controls over the target")
    ds = [r["replay"] for r in rows]
    print(f"replayed radar: {alerted(ds)} alerted, {within(ds)} within 7 d; control member alarms {list(replay_eps.values())}, "
          f"{sum(e * 90 / SPAN > 1 for e in replay_eps.values())} controls over the target")
    h = level["oracle"]
    print(f"\nfewer than 3 complaints in the first 7 d: {sum(r['complaints7'] < 3 for r in rows)} (the radar's floor: "
          "within 7 d it can alert them only on complaints written before the onset)")
    print(f"7-d evidence below the oracle level {h}: {sum(r['evidence7'] < h for r in rows)} (the log-likelihood ratio summed over the 7 days from the onset)")
    print(f"expected 7-d evidence below it: {sum(r['expected7'] < h for r in rows)}; median expected {statistics.median(r['expected7'] for r in rows):.1f}, "
          f"median realised {statistics.median(r['evidence7'] for r in rows):.1f} nats")
    n = len(rows)
    print(f"mean 7-d evidence {sum(r['evidence7'] for r in rows) / n:.1f} nats realised, {sum(r['expected7'] for r in rows) / n:.1f} expected; "
          f"in the first 7 d {sum(r['posts7'] for r in rows)} posts ({sum(r['posts7'] for r in rows) / 7 / n:.2f} a day per member), "
          f"{sum(r['complaints7'] for r in rows)} complaints, {sum(r['after7'] for r in rows)} on after-sales/quality; complaint share "
          f"{sum(r['complaints7'] for r in rows) / max(sum(r['posts7'] for r in rows), 1):.3f} in the first 7 d, {pi1[0] + pi1[1]:.3f} over all days after onset")
    hit = {name: {(r["seed"], r["member"]) for r in rows if (d := delay[(name, r["seed"], r["member"])]) is not None and d <= 7}
           for name in ("oracle", "estimated", "radar replica (shipped)")}
    missed = [r for r in rows if (r["seed"], r["member"]) not in hit["oracle"]]
    print(f"oracle misses within 7 d: {len(missed)}, of which {sum(r['evidence7'] < h for r in missed)} carry less than its level in 7 d "
          f"and {sum(r['complaints7'] < 3 for r in missed)} write fewer than 3 complaints")
    for a, b in (("oracle", "estimated"), ("estimated", "radar replica (shipped)")):
        print(f"within 7 d by {a}, not by {b}: {sorted(hit[a] - hit[b])}; by {b}, not by {a}: {sorted(hit[b] - hit[a])}")
    print(f"median in 7 d: posts {statistics.median(r['posts7'] for r in rows)}, complaints {statistics.median(r['complaints7'] for r in rows)}, "
          f"after-sales complaints {statistics.median(r['after7'] for r in rows)}; not core 7 d after onset: {sum(not r['core7'] for r in rows)}")

if __name__ == "__main__":
    main()
