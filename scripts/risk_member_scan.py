"""Operating points of the per-member risk alerts (burnout, core member turning negative) on development seeds.

Round six. The member alerts of the heat-death (``core_burnout``) and backlash (``core_turning_negative``) families
trade detection delay against false alarms on clean controls. This script measures candidate tests on the
development stores only (planted and control runs of ``--seeds``, as written by ``scripts/validate_risks.py``) and
prints, per threshold: planted members detected / median delay / within 7 d per seed and pooled, and control false
alarms per 90 days per seed and their maximum. Held-out seeds must not be passed here.

Steps (snapshots and replays are cached as JSON in ``--work``; the offline steps read the stores read-only):

* ``snapshots``: the core list (ladder stage >= ``risks.core_min_stage``) and reach at each weekly refresh of the
  replay (the same days as ``validate_risks.replay``), so offline tests see the core list the radar saw.
* ``burnout``: the watch-list surprises of a cached replay (``replay-<seed>.json``) plus a self-supervised prior
  (``posterior = surprise + log10 prior odds ratio``): a logistic model of "went quiet in the next 14 days" on the
  member's pace of the last 28 days against their baseline, fitted on past cuts whose outcomes end by the start of
  the recent window. Round six: it did not help (the community's past quiet spells are mostly not hot-then-silent).
* ``burnout-tests``: an offline replica of the burnout test (posts Poisson, posts silence, active days) and
  alternative silence tests (any act, at the visit rate, deflated act rate), each combination's operating points.
* ``backlash-signal``: per planted backlash member, the posts of the first week, the first planted post and the days of
  their first three flagged posts; the share of planted and other core posts the text layer flags.
* ``backlash``: an offline replica of the drift tests and alternatives (grievances = after-sales/quality posts that
  are complaints or negative; Bernoulli CUSUMs), operating points per rule of ``BACKLASH_RULES``.
* ``family-alerts`` (round seven): of the cached replays' family-score alerts, how many came with a part alert of
  the same family on the same day.
* ``replay``: the radar itself, day by day, with config overrides (``--set key=json``) and ``--families`` only;
  prints the member alerts (delays, control false alarms of the member part and of the whole family) and the
  operating points read off the watch-list surprises.

Round nine (backlash false alarms; written before the ``backlash`` step was run with it). The drift tests compare a
core member's recent complaints with their own past share as if that share were known; a member with 12 past posts
and no complaint is given 0.04 and three complaints in a fortnight then look like a turn. The candidate replaces the
binomial tail by the beta-binomial predictive tail, P(K >= k) for K ~ BetaBinomial(n, a, b) with a = past flagged
posts + 0.5 and b = past unflagged posts + 0.5 (the same 0.5 smoothing the binomial's share uses, so no new setting):
a long clean record keeps almost all of its surprise, a short one loses what it cannot support. Rules
``beta-binomial: ...`` below, read at the same thresholds on the development seeds 11 and 16-23 with the shipped
cue reader's stores. Adoption rule: take the lowest threshold (step 0.5) at which every development control has at
most one member false alarm per 90 days; the candidate is adopted if there it alerts at least as many planted
members, and at least as many within 7 d, as the shipped rule does at its own lowest such threshold, and more of
one of them. Then its thresholds go to ``reef/defaults.toml`` and the radar is replayed on new held-out seeds 28-31
(simulated and enriched before this rule was written). Outcome: adopted by the rule (level 3.5 for both tests:
16/18 alerted, 1 within 7 d, against the binomial's 16/18, 0 at 4.5), then no better on the held-out seeds (7/8
alerted, 2 within 7 d, one control over the target, against 8/8, 3 and one with the binomial), so taken out again;
docs/risk-validation.md.

    .venv/bin/python scripts/risk_member_scan.py snapshots
    .venv/bin/python scripts/risk_member_scan.py burnout-tests --thresholds 4 4.5 5 5.5 6
    .venv/bin/python scripts/risk_member_scan.py backlash --thresholds 3 3.5 4 4.5 5
    .venv/bin/python scripts/risk_member_scan.py replay --seeds 11 --tag r6 --thresholds 4.5 5 5.5 6
    .venv/bin/python scripts/risk_member_scan.py replay --seeds 11 --tag r5 --set 'risks.burnout_silence_stream="posts"' 'risks.burnout_alert_surprise=5.0'
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


# ---- the radar itself, replayed with overrides ------------------------------------------------------------------
def replay_runs(work: Path, seed: int, tag: str, overrides: dict, families: list[str], log=print) -> dict:
    """Planted and control replays of ``families`` with config ``overrides`` (cached as scan-<tag>-<seed>.json)."""
    from validate_risks import replay

    cache = work / f"scan-{tag}-{seed}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    both = {kind: replay(store_path(work, seed, kind), log=log, overrides=overrides, families=families) for kind in ("planted", "control")}
    both["overrides"], both["families"] = overrides, families
    cache.write_text(json.dumps(both, default=str))
    return both


def planted_onsets(truth: dict, part: str) -> dict[str, int]:
    """Planted member -> onset day, for ``part`` "burnout" (burning-out core members) or "backlash" (turning negative)."""
    if part == "burnout":
        return {m: on for m, on in truth["burnout"].items() if on <= SIZE["days"]}
    scen = truth["scenarios"]["backlash"]
    return {m: truth["backlash_at"].get(m, scen["start"]) for m in scen["params"]["members"]}


def alert_delays(run: dict, onsets: dict, alert_part: str) -> list:
    """Days from each onset to the member's first ``alert_part`` alert after it in a cached replay run (None: never)."""
    days = run["days"]
    order = sorted(days, key=int)
    delays = []
    for m, on in onsets.items():
        hit = next((int(d) for d in order if int(d) > on and any(a[2] == alert_part and a[3] == m for a in days[d]["alerts"])), None)
        delays.append(None if hit is None else hit - on)
    return delays


def alert_tables(work: Path, seeds, tag: str, part: str, alert_part: str, family: str) -> str:
    """Member alerts of a replay tag (``alert_part``), and the family's control false alarms, per seed and pooled."""
    from validate_risks import episodes

    rows = ["| seed | planted members alerted | median delay, d | within 7 d | control member-alert FA/90d | control family FA/90d (all parts) | wall / CPU s (planted + control) |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    pooled, n_all = [], 0
    for seed in seeds:
        both = json.loads((work / f"scan-{tag}-{seed}.json").read_text())
        delays = alert_delays(both["planted"], planted_onsets(both["planted"]["truth"], part), alert_part)
        got = [d for d in delays if d is not None]
        pooled += got
        n_all += len(delays)
        eps = episodes(both["control"]["days"]).get(family, [])
        member_fa = sum(k.split(":")[1] == alert_part for _, k in eps)
        cost = f"{both['planted']['seconds'] + both['control']['seconds']:.0f} / {both['planted']['cpu_seconds'] + both['control']['cpu_seconds']:.0f}"
        rows.append(f"| {seed} | {len(got)}/{len(delays)} | {statistics.median(got) if got else float('nan'):.1f} | {sum(d <= 7 for d in got)} | "
                    f"{member_fa * 90 / SPAN:.2f} | {len(eps) * 90 / SPAN:.2f} | {cost} |")
    rows.append(f"| pooled | {len(pooled)}/{n_all} | {statistics.median(pooled) if pooled else float('nan'):.1f} | {sum(d <= 7 for d in pooled)} | | | |")
    return "\n".join(rows)


# ---- events of the stores, as day-indexed matrices ---------------------------------------------------------------
class Events:
    """One store's members' daily activity: ``E`` every act (posts and interactions they made), ``P`` their posts,
    ``posts`` one row per member post with its text features (day from the replay's start)."""

    def __init__(self, work: Path, seed: int, kind: str):
        import duckdb
        import numpy as np

        con = duckdb.connect(str(store_path(work, seed, kind)), read_only=True)
        start = con.execute("SELECT min(started_at) FROM truth_scenarios WHERE scenario IN ('knowledge_gaps', 'misinformation')").fetchone()[0]
        self.posts = con.execute("""
            SELECT c.author_id AS m, (epoch(c.created_at) - epoch($s::TIMESTAMPTZ)) / 86400.0 AS d, c.kind, f.sentiment,
                   coalesce(list_contains(f.intents, 'complaint'), false) AS complaint,
                   coalesce(list_has_any(f.aspect_names, ['售后与服务', '质量与故障']), false) AS after_sales,
                   t.scenario, c.content_id, c.parent_id
            FROM content c JOIN members m ON m.member_id = c.author_id AND m.account_type = 'member'
            LEFT JOIN content_features f USING (content_id) LEFT JOIN truth_content t USING (content_id)
            WHERE c.kind <> 'poll_vote' ORDER BY d""", {"s": start}).df()
        acts = con.execute("SELECT actor_id AS m, (epoch(created_at) - epoch($s::TIMESTAMPTZ)) / 86400.0 AS d FROM interactions",
                           {"s": start}).df()
        con.close()
        ids = sorted(set(self.posts.m) | set(acts.m))
        self.ix = {m: k for k, m in enumerate(ids)}
        n_days = SIZE["days"] + 2
        self.E = np.zeros((len(ids), n_days))
        self.P = np.zeros((len(ids), n_days))
        pk = self.posts.m.map(self.ix).to_numpy()
        pd_ = np.clip(self.posts.d.to_numpy().astype(int), 0, n_days - 1)
        np.add.at(self.P, (pk, pd_), 1)
        np.add.at(self.E, (pk, pd_), 1)
        np.add.at(self.E, (acts.m.map(self.ix).to_numpy(), np.clip(acts.d.to_numpy().astype(int), 0, n_days - 1)), 1)
        self._post_days = {m: g.to_numpy() for m, g in self.posts.groupby("m").d}

    def last_post(self, m: str, day: int) -> float | None:
        """Day (fractional) of the member's last post before midnight ``day``."""
        import numpy as np

        d = self._post_days.get(m)
        if d is None:
            return None
        i = int(np.searchsorted(d, day)) - 1
        return float(d[i]) if i >= 0 else None


# ---- burnout: a prior from the member's pace before the recent window ----------------------------------------------
def pace_features(ev: Events, cut: int, base_days: int, hot_days: int, min_posts: int, rate: bool = False, min_rate: float = 0.0):
    """Rows, features at ``cut`` (whole days): log of the member's pace over the last ``hot_days`` against the
    ``base_days`` before them, (and log of that baseline rate with ``rate``), for members with ``min_posts`` posts."""
    import numpy as np

    lo = max(0, cut - base_days)
    if cut - hot_days - lo < hot_days:
        return np.zeros(0, dtype=int), np.zeros((0, 1 + rate)), np.zeros(0)
    posts = ev.P[:, lo:cut].sum(axis=1)
    rows = np.flatnonzero((posts >= min_posts) & (ev.E[:, lo:cut].sum(axis=1) >= min_rate * (cut - lo)))
    hot = (ev.E[rows, cut - hot_days:cut].sum(axis=1) + 0.5) / hot_days
    base = (ev.E[rows, lo:cut - hot_days].sum(axis=1) + 0.5) / (cut - hot_days - lo)
    cols = [np.log(hot / base)] + ([np.log(base)] if rate else [])
    return rows, np.column_stack(cols), base * (cut - hot_days - lo + hot_days) / (cut - lo)


def quiet_labels(ev: Events, rows, cut: int, horizon: int, rate, level: float):
    """1 where the member's acts in the ``horizon`` days from ``cut`` were surprisingly few for their own pace
    (Poisson -log10 P(X <= n) >= ``level``, the watch list's own kind of evidence)."""
    from scipy import stats

    n = ev.E[rows, cut:cut + horizon].sum(axis=1)
    return (-stats.poisson.logcdf(n, rate * horizon) / 2.302585 >= level).astype(int)


def pace_prior(ev: Events, t0: int, members: list[str], o: dict) -> dict[str, float]:
    """log10 prior odds ratio of going quiet for ``members`` at ``t0`` (start of the recent window), from a logistic
    model fitted on past cuts whose outcome windows end by ``t0`` (self-supervised: the community's own past)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    Xs, ys = [], []
    for j in range(o["cuts"]):
        cut = t0 - o["horizon"] - o["step"] * j
        rows, X, rate = pace_features(ev, cut, o["base"], o["hot"], o["min_posts"], o["rate"], o["min_rate"])
        # Who is already quiet at the cut says nothing about who is about to go quiet: they stay out.
        awake = ~quiet_labels(ev, rows, cut - o["horizon"], o["horizon"], rate, o["share"]).astype(bool)
        rows, X, rate = rows[awake], X[awake], rate[awake]
        if len(rows):
            Xs.append(X)
            ys.append(quiet_labels(ev, rows, cut, o["horizon"], rate, o["share"]))
    if not ys or sum(int(y.sum()) for y in ys) < o["min_pos"]:
        return {}
    X, y = np.vstack(Xs), np.concatenate(ys)
    sc = StandardScaler().fit(X)
    model = LogisticRegression(C=o["C"]).fit(sc.transform(X), y)
    rows, Xn, _ = pace_features(ev, t0, o["base"], o["hot"], 0, o["rate"])
    p = model.predict_proba(sc.transform(Xn))[:, 1]
    base = y.mean()
    lr = np.log10(p / (1 - p)) - np.log10(base / (1 - base))
    inv = {k: m for m, k in ev.ix.items()}
    got = {inv[int(r)]: float(np.clip(v, -o["cap"], o["cap"])) for r, v in zip(rows, lr)}
    return {m: got.get(m, 0.0) for m in members}


def burnout_components(ev: Events, day: int, core, c: dict) -> dict[str, tuple[float, float, float]]:
    """Offline replica of the burnout test at midnight ``day`` for the ``core`` members: (posts Poisson, posts
    silence, active-day binomial) surprises, as :mod:`reef.risks.burnout` computes them."""
    import math

    import numpy as np
    from scipy import stats

    recent, base = c["recent"], c["base"]
    lo = max(0, day - recent - base)
    base_days = day - recent - lo
    if base_days < recent:
        return {}
    allp = ev.P.sum(axis=0)
    pace = (allp[day - recent:day].sum() / recent) / max(allp[lo:day - recent].sum() / max(base_days, 1), 1e-9)
    pace = min(max(pace, 0.3), 1.0)
    out = {}
    for m in core:
        k = ev.ix.get(m)
        if k is None or ev.P[k, lo:day - recent].sum() < c["min_posts"]:
            continue
        rate = ev.P[k, lo:day - recent].sum() / base_days * pace
        last = ev.last_post(m, day)
        silent = day - last if last is not None else base_days + recent
        s_post = -stats.poisson.logcdf(ev.P[k, day - recent:day].sum(), rate * recent) / math.log(10)
        s_sil = rate * silent / math.log(10)
        act = ev.E[k] > 0
        q = (act[lo:day - recent].sum() + 0.5) / (base_days + 1.0)
        q = 1.0 - (1.0 - q) ** pace
        s_day = max(-stats.binom.logcdf(act[day - w:day].sum(), w, q) / math.log(10) for w in c["windows"])
        # Silence in every kind of act (not only posts), at the member's rate of acts.
        act_rate = ev.E[k, lo:day - recent].sum() / base_days * pace
        seen = np.flatnonzero(act[:day])
        s_any = act_rate * (day - seen[-1] - 0.5 if len(seen) else base_days + recent) / math.log(10)
        silent_any = day - seen[-1] - 0.5 if len(seen) else base_days + recent
        # The same silence at the rate of active days (visits), which bursts of acts within a day do not inflate ...
        s_visit = -math.log1p(-min(q, 1 - 1e-9)) * silent_any / math.log(10)
        # ... and at the rate of acts deflated by their day-to-day variance/mean ratio (as the circle CUSUM does).
        daily = ev.E[k, lo:day - recent]
        disp = max(float(daily.var() / daily.mean()), 1.0) if daily.mean() > 0 else 1.0
        # Dispersion within weeks only, so a change of pace across the baseline (a hot month) is not read as burstiness.
        wk = daily[len(daily) % 7:].reshape(-1, 7)
        disp_w = max(float(wk.var(axis=1, ddof=1).mean() / daily.mean()), 1.0) if daily.mean() > 0 and len(wk) else 1.0
        out[m] = (float(s_post), float(s_sil), float(s_day), float(s_any), float(s_visit), float(s_any / disp), float(s_any / disp_w))
    return out


# Which of the burnout tests make up a member's surprise (indexes into burnout_components' tuple).
TEST_SETS = {"current: posts, posts silence, active days": (0, 1, 2), "active days only": (2,),
             "posts, active days (no posts silence)": (0, 2), "active days, silence in any act": (2, 3),
             "posts, active days, silence in any act": (0, 2, 3), "active days, silence at the visit rate": (2, 4),
             "active days, silence at the deflated act rate": (2, 5), "posts, active days, silence at the deflated act rate": (0, 2, 5),
             "posts, active days, silence at the act rate deflated within weeks": (0, 2, 6)}


def burnout_tests_scan(work: Path, seeds, thresholds, c: dict, only=()) -> str:
    """Operating points of the burnout member alert for each combination of its tests (offline replica)."""
    scorers = {k: (lambda v, idx=idx: max(v[i] for i in idx)) for k, idx in TEST_SETS.items() if not only or k in only}
    return rule_tables(work, seeds, thresholds, lambda ev, d, core: burnout_components(ev, d, core, c), scorers,
                       lambda truth: planted_onsets(truth, "burnout"))


def rule_tables(work: Path, seeds, thresholds, day_stats, scorers: dict, onsets_of) -> str:
    """Operating-point tables of several offline member rules: per seed, ``day_stats(events, day, core)`` of every
    evaluated day of the planted and control runs, each rule's ``scorer(stat)`` per member, read off against the
    planted onsets (``onsets_of(truth)``) and the control's alarms."""
    tables: dict[str, dict[int, dict]] = {name: {} for name in scorers}
    for seed in seeds:
        both = json.loads((work / f"replay-{seed}.json").read_text())
        onsets = onsets_of(both["planted"]["truth"])
        stats = {}
        for kind in ("planted", "control"):
            ev, snaps = Events(work, seed, kind), snapshots(work, seed, kind)
            stats[kind] = {d: day_stats(ev, d, core_at(snaps, d)) for d in range(EVAL_FROM, SIZE["days"] + 1)}
        for name, scorer in scorers.items():
            runs = {k: {"days": sorted(stats[k]), "onsets": onsets,
                        "score": {d: {m: scorer(v) for m, v in stats[k][d].items()} for d in stats[k]}} for k in stats}
            tables[name][seed] = member_table(runs["planted"], runs["control"], thresholds, None)
    return "\n\n".join(render(t, name) for name, t in tables.items())


def member_table(planted: dict, control: dict, thresholds, score) -> dict:
    """Per threshold: planted delays (onsets ``planted['onsets']``) and control episodes from ``score(run, day) ->
    {member: value}`` (the daily per-member statistic), as {thr: {"delays": [...], "episodes": n}}."""
    out = {}
    for thr in thresholds:
        delays = []
        for m, on in planted["onsets"].items():
            hit = next((d for d in planted["days"] if d > on and planted["score"][d].get(m, -1e9) >= thr), None)
            delays.append(None if hit is None else round(hit - on, 1))
        last: dict[str, int] = {}
        eps = 0
        for d in control["days"]:
            for m, v in control["score"][d].items():
                if v >= thr:
                    eps += m not in last or d - last[m] > 7
                    last[m] = d
        out[thr] = {"delays": delays, "episodes": eps}
    return out


def render(tables: dict[int, dict], title: str) -> str:
    """Operating-point table: one row per threshold, per seed and pooled."""
    seeds = sorted(tables)
    thrs = list(tables[seeds[0]])
    head = ("| alert at ≥ | " + " | ".join(f"seed {s}: found, median, ≤7 d, FA/90d" for s in seeds)
            + " | pooled: found, median, ≤7 d | max FA/90d |")
    lines = [f"#### {title}", "", head, "|---:|" + "---|" * (len(seeds) + 2)]
    for thr in thrs:
        cells, all_d, n_all, fas = [], [], 0, []
        for s in seeds:
            t = tables[s][thr]
            got = [d for d in t["delays"] if d is not None]
            fa = t["episodes"] * 90 / SPAN
            fas.append(fa)
            n_all += len(t["delays"])
            all_d += got
            med = f"{statistics.median(got):.1f}" if got else "—"
            cells.append(f"{len(got)}/{len(t['delays'])}, {med}, {sum(d <= 7 for d in got)}, {fa:.2f}")
        med = f"{statistics.median(all_d):.1f}" if all_d else "—"
        lines.append(f"| {thr:g} | " + " | ".join(cells) + f" | {len(all_d)}/{n_all}, {med}, {sum(d <= 7 for d in all_d)} | {max(fas):.2f} |")
    return "\n".join(lines)


def watch_scores(run: dict, part: str) -> dict[int, dict[str, float]]:
    """Day -> {member: surprise} of the watch rows of ``part`` in a cached replay."""
    return {int(d): {w[2]: float(w[3]) for w in day["watch"] if w[1] == part} for d, day in run["days"].items()}


def watch_runs(both: dict, part: str, onsets: dict) -> dict[str, dict]:
    """Planted and control runs of a cached replay as :func:`member_table` takes them: the daily watch-list surprises
    of ``part`` ("burnout" or "care") and the planted ``onsets``."""
    runs = {}
    for kind in ("planted", "control"):
        sc = watch_scores(both[kind], part)
        runs[kind] = {"days": sorted(sc), "score": sc, "onsets": onsets}
    return runs


def burnout_scan(work: Path, seeds, variants: dict, thresholds, source: str = "replay-{seed}.json") -> str:
    """Operating points of the burnout member alert: the replay's surprise alone, and plus each prior variant."""
    tables: dict[str, dict[int, dict]] = {"surprise alone": {}} | {name: {} for name in variants}
    for seed in seeds:
        both = json.loads((work / source.format(seed=seed)).read_text())
        runs = watch_runs(both, "burnout", planted_onsets(both["planted"]["truth"], "burnout"))
        tables["surprise alone"][seed] = member_table(runs["planted"], runs["control"], thresholds, None)
        for name, o in variants.items():
            post = {}
            for kind in ("planted", "control"):
                ev = Events(work, seed, kind)
                sc = runs[kind]["score"]
                post[kind] = dict(runs[kind], score={d: _add(sc[d], pace_prior(ev, d - o["recent"], [m for m, v in sc[d].items() if v >= o["floor"]], o))
                                                     for d in runs[kind]["days"]})
            tables[name][seed] = member_table(post["planted"], post["control"], thresholds, None)
    return "\n\n".join(render(t, name) for name, t in tables.items())


def _add(scores: dict, prior: dict) -> dict:
    return {m: v + prior.get(m, 0.0) for m, v in scores.items()}


# ---- backlash: tests over a core member's own posts -----------------------------------------------------------------
def backlash_stats(ev: Events, day: int, core, c: dict) -> dict[str, dict[str, float]]:
    """Per core member at midnight ``day``: the drift tests (binomial and beta-binomial, windows ``c['windows']``) on
    complaints and after-sales complaints, the same test on *grievances* (a post on after-sales/quality that is a
    complaint or negative), and a Bernoulli CUSUM over the member's posts of the last ``recent`` days on grievances."""
    import math

    import numpy as np

    from reef.risks.common import betabinom_high_surprise, binom_high_surprise

    recent, base = c["recent"], c["base"]
    lo = max(0.0, day - recent - base)
    p = ev.posts
    w = p[(p.d >= lo) & (p.d < day) & p.m.isin(list(core))]
    out = {}
    for m, g in w.groupby("m"):
        d = g.d.to_numpy()
        old = d < day - recent
        flags = {"complaint": g.complaint.to_numpy(), "after_sales": (g.complaint & g.after_sales).to_numpy(),
                 "grievance": (g.after_sales & (g.complaint | (g.sentiment < 0))).to_numpy()}
        res = {}
        for name, f in flags.items():
            share = (f[old].sum() + 0.5) / (old.sum() + 1.0)
            hits, misses = int(f[old].sum()), int((~f[old]).sum())
            best = best_bb = 0.0
            for win in c["windows"]:
                sel = d >= day - win
                k = int(f[sel].sum())
                if k >= c["min_k"]:
                    best = max(best, binom_high_surprise(k, int(sel.sum()), share))
                    best_bb = max(best_bb, betabinom_high_surprise(k, int(sel.sum()), hits, misses))
            res[name], res["bb_" + name] = best, best_bb
            if name in ("grievance", "after_sales"):
                # Bernoulli CUSUM in log10 units: each recent post adds log p1/p0 when flagged, log (1-p1)/(1-p0) otherwise.
                p0 = min(share, 0.45)
                p1 = min(max(c["p1"], 2 * p0), 0.9)
                up, down = math.log10(p1 / p0), math.log10((1 - p1) / (1 - p0))
                cs = 0.0
                for x in f[~old]:
                    cs = max(0.0, cs + (up if x else down))
                res["cusum" if name == "grievance" else "cusum_as"] = cs
        out[m] = res
    return out


def backlash_signal(work: Path, seeds) -> str:
    """What the planted backlash members give a detector: their posts after the onset, when their first planted post
    and their 1st-3rd flagged posts came, and how often the text layer flags planted posts vs core members' others."""
    import pandas as pd

    rows = ["| seed | member | posts in the first 7 d | first planted post, d | after-sales complaints (1st, 2nd, 3rd), d | grievances (1st, 2nd, 3rd), d |",
            "|---|---|---:|---:|---|---|"]
    rates = []
    for seed in seeds:
        tr = json.loads((work / f"replay-{seed}.json").read_text())["planted"]["truth"]
        ev = Events(work, seed, "planted")
        p = ev.posts.assign(neg=ev.posts.sentiment < 0)
        p = p.assign(after_sales_complaint=p.complaint & p.after_sales, grievance=p.after_sales & (p.complaint | p.neg))
        core = set(core_at(snapshots(work, seed, "planted"), 105))
        rates.append(p[p.m.isin(core)].assign(planted=p.scenario == "backlash"))
        for m in tr["scenarios"]["backlash"]["params"]["members"]:
            on = tr["backlash_at"].get(m, tr["scenarios"]["backlash"]["start"])
            a = p[(p.m == m) & (p.d >= on)]
            first = tr["backlash_first_post"].get(m)

            def days(flag):
                return ", ".join(f"{x - on:.1f}" for x in a[a[flag]].d.to_numpy()[:3])
            rows.append(f"| {seed} | {m} | {int((a.d < on + 7).sum())} | {'—' if first is None else f'{first - on:.1f}'} | {days('after_sales_complaint')} | {days('grievance')} |")
    allp = pd.concat(rates)
    cols = ["complaint", "after_sales", "neg", "after_sales_complaint", "grievance"]
    share = allp.groupby("planted")[cols].mean()
    rows += ["", "| share of posts flagged | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for planted, label in ((True, "planted backlash posts"), (False, "core members' other posts")):
        rows.append(f"| {label} | " + " | ".join(f"{share.loc[planted, c]:.3f}" for c in cols) + " |")
    return "\n".join(rows)


BACKLASH_RULES = {
    # name: (statistic(res, thr) -> alert?) as a score that reaches thr
    "current: complaints at thr+1.5, after-sales complaints at thr": lambda r, t: max(r["complaint"] - 1.5, r["after_sales"]),
    "complaints at 5, after-sales complaints at thr": lambda r, t: r["after_sales"] if r["complaint"] < 5 else 99.0,
    "grievances (after-sales/quality complaint or negative), binomial windows": lambda r, t: r["grievance"],
    "grievances, Bernoulli CUSUM": lambda r, t: r["cusum"],
    "grievances binomial or complaints at thr+1.5": lambda r, t: max(r["complaint"] - 1.5, r["grievance"]),
    "after-sales complaints, Bernoulli CUSUM": lambda r, t: r["cusum_as"],
    "after-sales complaints CUSUM or complaints binomial at thr+1.5": lambda r, t: max(r["complaint"] - 1.5, r["cusum_as"]),
    "beta-binomial: complaints at thr+1.5, after-sales complaints at thr": lambda r, t: max(r["bb_complaint"] - 1.5, r["bb_after_sales"]),
    "beta-binomial: complaints or after-sales complaints at thr": lambda r, t: max(r["bb_complaint"], r["bb_after_sales"]),
}


def backlash_scan(work: Path, seeds, thresholds, c: dict, only=()) -> str:
    """Operating points of the backlash member alert for each rule of BACKLASH_RULES (offline replica of the drift tests)."""
    scorers = {k: (lambda r, rule=rule: rule(r, None)) for k, rule in BACKLASH_RULES.items() if not only or k in only}
    return rule_tables(work, seeds, thresholds, lambda ev, d, core: backlash_stats(ev, d, core, c), scorers,
                       lambda truth: planted_onsets(truth, "backlash"))


# The prior variants measured (docs: recent = risks.burnout_recent_days; the rest describe pace_prior).
_PRIOR = {"recent": 14, "floor": 2.0, "horizon": 14, "step": 7, "cuts": 8, "base": 90, "hot": 28, "min_posts": 8, "share": 2.0,
          "min_pos": 3, "C": 1.0, "cap": 1.5, "rate": False, "min_rate": 0.0}
BURNOUT_VARIANTS = {"+ pace prior (cap 1.5)": _PRIOR, "+ pace and rate prior (cap 1.5)": _PRIOR | {"rate": True},
                    "+ pace prior fitted on members acting >= 1.5 a day (cap 1.5)": _PRIOR | {"min_rate": 1.5},
                    "+ pace prior fitted on members acting >= 1 a day (cap 1.5)": _PRIOR | {"min_rate": 1.0},
                    "+ pace prior fitted on members acting >= 2 a day (cap 1.5)": _PRIOR | {"min_rate": 2.0}}


def family_alert_overlap(work: Path, seeds, source: str) -> str:
    """Round seven: of the cached replays' family-score alerts, how many came on a day when a part of the same family
    raised its own (medium or high) alert in the same run."""
    total = with_part = 0
    per = []
    for seed in seeds:
        both = json.loads((work / source.format(seed=seed)).read_text())
        for kind in ("planted", "control"):
            n = k = 0
            for day in both[kind]["days"].values():
                parts = {a[1] for a in day["alerts"] if a[2] != "family_score"}
                for a in day["alerts"]:
                    if a[2] == "family_score":
                        n += 1
                        k += a[1] in parts
            per.append(f"seed {seed} {kind}: {k} of {n}")
            total, with_part = total + n, with_part + k
    return "\n".join(per + [f"all runs: {with_part} of {total} family-score alerts came with a part alert of the same family on the same day"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("snapshots", "burnout", "burnout-tests", "backlash-signal", "backlash", "replay", "family-alerts"))
    ap.add_argument("--work", default="/tmp/risk6-dev")
    ap.add_argument("--seeds", type=int, nargs="*", default=list(DEV_SEEDS))
    ap.add_argument("--tag", default="r6", help="replay: name of the cached replays (scan-<tag>-<seed>.json)")
    ap.add_argument("--set", nargs="*", default=[], help="replay: config overrides key=json-value")
    ap.add_argument("--families", nargs="*", default=["heat_death"], help="replay: families to replay")
    ap.add_argument("--source", default="replay-{seed}.json", help="burnout: the cached replays whose watch surprises are used")
    ap.add_argument("--no-prior", action="store_true", help="burnout: only the cached replays' surprise alone")
    ap.add_argument("--only", nargs="*", default=[], help="burnout-tests: only these test sets (names as printed)")
    ap.add_argument("--min-k", type=int, default=3, help="backlash: fewest flagged posts for the binomial tests")
    ap.add_argument("--p1", type=float, default=0.5, help="backlash: the CUSUM's designed share of grievances")
    ap.add_argument("--thresholds", type=float, nargs="*", default=[4.0, 4.5, 5.0, 5.5, 6.0, 6.5])
    args = ap.parse_args()
    work = Path(args.work)
    t0, cpu0 = time.perf_counter(), time.process_time()
    if args.step == "burnout":
        variants = {k: v for k, v in BURNOUT_VARIANTS.items() if not args.only or k in args.only}
        print(burnout_scan(work, args.seeds, {} if args.no_prior else variants, args.thresholds, args.source))
    if args.step == "burnout-tests":
        print(burnout_tests_scan(work, args.seeds, args.thresholds, {"recent": 14, "base": 90, "min_posts": 8, "windows": [3, 5, 7, 10, 14]}, args.only))
    if args.step == "backlash-signal":
        print(backlash_signal(work, args.seeds))
    if args.step == "backlash":
        print(backlash_scan(work, args.seeds, args.thresholds, {"recent": 21, "base": 90, "windows": [7, 14, 21], "min_k": args.min_k, "p1": args.p1}, args.only))
    if args.step == "replay":
        over = {k: json.loads(v) for k, v in (kv.split("=", 1) for kv in args.set)}
        for seed in args.seeds:
            replay_runs(work, seed, args.tag, over, args.families)
        print(f"#### replay {args.tag}: {over or 'defaults'}, families {args.families}\n")
        part = "burnout" if "heat_death" in args.families else "backlash"
        print(alert_tables(work, args.seeds, args.tag, part, "core_burnout" if part == "burnout" else "core_turning_negative", args.families[0]))
        both_parts = {"burnout": "burnout", "backlash": "care"}
        tables = {}
        for seed in args.seeds:
            both = json.loads((work / f"scan-{args.tag}-{seed}.json").read_text())
            runs = watch_runs(both, both_parts[part], planted_onsets(both["planted"]["truth"], part))
            tables[seed] = member_table(runs["planted"], runs["control"], args.thresholds, None)
        print()
        print(render(tables, f"replay {args.tag}: watch-list surprise as the member alert level"))
    if args.step == "family-alerts":
        print(family_alert_overlap(work, args.seeds, args.source))
    if args.step == "snapshots":
        for seed in args.seeds:
            for kind in ("planted", "control"):
                snapshots(work, seed, kind)
    print(f"\n({time.perf_counter() - t0:.0f} s wall, {time.process_time() - cpu0:.0f} s CPU; shared 2-core machine)")


if __name__ == "__main__":
    main()
