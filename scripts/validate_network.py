"""Measure the network layer and write docs/network-validation.md.

    .venv/bin/python scripts/validate_network.py [--out docs/network-validation.md] [--data ../shared/data]
        [--runs 1000] [--skip-seeding]

1. Weibo CED: import the folder, run ripple tracking on every cascade (reef.network.ripple.ripple_threads),
   and compare each cascade's ring sizes with tree depths computed here independently from the raw CSV
   (plain Python dicts, no Reef code): a member's true ring is the depth of their first repost/comment.
2. Seeding on the Weibo interaction graph and on a simulated community: k = 10/20/50 against top degree,
   top PageRank, random, brand broadcast and pynetim's IMM.
   (Weibo: the imported graph; 100k: simulate_to_store with 100,000 members / 60 days, the real simulator.)
3. Simulator: connectors precision@20, campaign rings vs truth; connector weights tuned on seed 7 by grid
   search and precision@20 reported on held-out seed 23.
4. Help ledger on se-quantumcomputing straight after import (no `reef enrich`: answers and accepts).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_BJ = timezone(timedelta(hours=8))


def _event_time(raw: str) -> datetime:
    if raw.isdigit():
        return datetime.fromtimestamp(int(raw), _BJ).replace(tzinfo=None)
    return datetime.strptime(raw, "%a %b %d %H:%M:%S %z %Y").astimezone(_BJ).replace(tzinfo=None)


def _repost_time(raw: str, t0: datetime) -> datetime:
    if re.fullmatch(r"\d{4}-.*", raw):
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S")
    t = datetime.strptime(f"{t0.year}年{raw}", "%Y年%m月%d日 %H:%M")
    return t.replace(year=t.year + 1) if t < t0 - timedelta(days=1) else t


def true_rings(folder: Path, events: set[str] | None = None) -> tuple[dict[str, dict[int, int]], set[str]]:
    """{event_id: {ring: members}} from the raw CSVs, and events with conflicting duplicate mids (left out)."""
    t0, poster = {}, {}
    with gzip.open(folder / "events.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if events is None or r["event_id"] in events:
                t0[r["event_id"]] = _event_time(r["time_unix"])
                poster[r["event_id"]] = r["event_id"].split("_")[2]
    rows: dict[str, dict[str, tuple]] = defaultdict(dict)
    bad = set()
    with gzip.open(folder / "reposts.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            e = r["event_id"]
            if e not in t0:
                continue
            row = (r["parent_mid"], r["uid"], r["date"], r["text"], r["n_kids"])
            if r["mid"] in rows[e] and rows[e][r["mid"]][:3] != row[:3]:
                bad.add(e)  # the same mid twice with another parent, user or date: which one is right is unknowable
            rows[e].setdefault(r["mid"], row)
    out = {}
    for e, items in rows.items():
        if e in bad:
            continue
        kids = defaultdict(list)
        for mid, (parent, *_rest) in items.items():
            kids[parent].append(mid)
        # BFS from the source post: depth and time clamped to be no earlier than the parent's.
        first: dict[str, tuple] = {poster[e]: (t0[e], "", 0)}
        stack = [("", 0, t0[e])]
        while stack:
            parent, depth, pt = stack.pop()
            for mid in kids.get(parent, ()):
                _, uid, date, *_ = items[mid]
                t = max(_repost_time(date, t0[e]), pt)
                key = (t, mid, depth + 1)
                if uid not in first or key[:2] < first[uid][:2]:
                    first[uid] = key
                stack.append((mid, depth + 1, t))
        sizes: dict[int, int] = defaultdict(int)
        for _, _, d in first.values():
            sizes[d] += 1
        out[e] = dict(sizes)
    return out, bad


def weibo_rings(folder: Path, db: Path) -> dict:
    """Import, ripple every cascade, compare with true_rings."""
    from reef.ingest import import_paths
    from reef.network.ripple import ripple_threads
    from reef.store import open_store

    store = open_store(db)
    t = time.perf_counter()
    summary = import_paths(store, [folder], fmt="weibo")
    t_import = time.perf_counter() - t
    as_of = datetime(2100, 1, 1, tzinfo=timezone.utc)
    t = time.perf_counter()
    table = ripple_threads(store, as_of)
    t_ripple = time.perf_counter() - t
    store.con.register("_adopt", table)
    got = defaultdict(dict)
    for cascade, ring, n in store.fetch_all("SELECT cascade, ring, count(*) FROM _adopt GROUP BY ALL"):
        got[cascade][ring] = n
    ids = {r[0]: r[1] for r in store.fetch_all("SELECT content_id, attrs->>'event_id' FROM content WHERE kind = 'thread'")}
    got = {ids[k]: v for k, v in got.items() if k in ids}
    truth, bad = true_rings(folder)
    same = sum(1 for e, sizes in truth.items() if got.get(e) == sizes)
    return {"imported": summary.imported, "quarantined": summary.quarantined, "import_s": round(t_import, 1),
            "cascades": len(truth), "conflicting": len(bad), "exact": same, "ripple_s": round(t_ripple, 1),
            "adopters": table.num_rows, "mismatch": [e for e in truth if got.get(e) != truth[e]][:5], "store": store}


def simulator(db: Path) -> list[str]:
    """Connectors precision@20, campaign rings vs truth, seeding vs baselines and pynetim, help figures."""
    from reef.analyses import run_analyses
    from reef.network.helpers import help_summary
    from reef.network.seeding import seed_plan
    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    store = open_store(db)
    simulate_to_store(store, SimulationSpec(members=3000, days=180, seed=7, end_date="2026-06-30"))
    t = time.perf_counter()
    as_of = run_analyses(store, only=["network_connectors", "network_ripple", "network_helpers"]).as_of
    secs = time.perf_counter() - t
    hits = store.fetch_value("""SELECT count(*) FILTER (WHERE t.latent_type = 'connector') FROM (SELECT member_id FROM network_connectors
        WHERE role = 'connector' ORDER BY rank LIMIT 20) JOIN truth_members t USING (member_id)""")
    total, ok, via = store.fetch_all("""SELECT count(*), count(*) FILTER (WHERE r.ring = t.ring),
        count(*) FILTER (WHERE r.via_member_id IS NOT DISTINCT FROM t.via_member_id)
        FROM truth_campaign_rings t LEFT JOIN network_ripple r USING (campaign_id, member_id)""")[0]
    out = ["## Simulator (3,000 members, 180 days, seed 7)", "",
           f"Analyses (text features, graph, connectors, ripple, helpers): {secs:.1f} s.", "",
           f"- Planted connectors in the top 20 connectors: **{hits}/20 = {hits / 20:.2f}** precision@20.",
           f"- Campaign adopters whose ring equals the truth: **{ok}/{total}**; whose via member equals the truth: **{via}/{total}**.", "",
           "Seeding (expected reach incl. seeds, 1,000 Monte-Carlo cascades, 95% CI half-width in brackets):", "",
           "| k | IMM (Reef) | pynetim IMM | top degree | top PageRank | random | brand broadcast |", "|---|---|---|---|---|---|---|"]
    for k in (10, 20, 50):
        r = seed_plan(store, as_of, store.config, k=k, reference=True)
        cell = lambda x: f"{x['mean']:.1f} (±{(x['ci_high'] - x['ci_low']) / 2:.1f})"  # noqa: E731
        b = r["baselines"]
        out.append(f"| {k} | {cell(r['plan'])} | {cell(b['pynetim_imm'])} | {cell(b['top_degree'])} | {cell(b['top_pagerank'])} "
                   f"| {cell(b['random'])} | {cell(b['brand_broadcast'])} |")
    h = help_summary(store, as_of)
    out += ["", f"Help ledger: acts {h['acts']}; first questions answered within 24 h {h['answered_24h_share']}; "
            f"pay-it-forward rate {h['pay_it_forward_rate']} ({h['paid_forward']} of {h['helped_newcomers']} helped newcomers).", ""]
    store.close()
    return out


_COLS = ("pynetim_imm", "top_degree", "top_pagerank", "random", "brand_broadcast")


def seeding_rows(store, as_of, runs: int, ks=(10, 20, 50), config=None) -> list[str]:
    """Markdown rows: Reef IMM vs the baselines and pynetim for each k, with the share of the best reference."""
    from reef.network.seeding import seed_plan

    cell = lambda x: f"{x['mean']:.1f} (±{(x['ci_high'] - x['ci_low']) / 2:.1f})" if x else "-"  # noqa: E731
    out = ["| k | IMM (Reef) | pynetim IMM | top degree | top PageRank | random | brand broadcast | Reef / best reference | >= top degree | time |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for k in ks:
        t = time.perf_counter()
        r = seed_plan(store, as_of, config or store.config, k=k, reference=True, runs=runs)
        secs = time.perf_counter() - t
        b = r["baselines"]
        # The brand broadcast reaches everyone who follows the brand: it is a reference for scale, not a k-seed set.
        best = max(b[c]["mean"] for c in ("pynetim_imm", "top_degree", "top_pagerank", "random") if b.get(c))
        ok = r["plan"]["mean"] >= b["top_degree"]["mean"]
        out.append(f"| {k} | {cell(r['plan'])} | " + " | ".join(cell(b.get(c)) for c in _COLS)
                   + f" | {100 * r['plan']['mean'] / best:.1f}% | {'yes' if ok else '**no**'} | {secs:.0f} s |")
    return out


def weibo_seeding(store, runs: int) -> list[str]:
    """Seeding on the Weibo repost/comment graph (IC probabilities from who reposted whom)."""
    from reef.network.seeding import load_cascade_graph

    as_of = datetime(2100, 1, 1, tzinfo=timezone.utc)
    g, _, _ = load_cascade_graph(store, as_of, store.config)
    # Above network.mc_max_members the product scores plans on network.rr_eval_sets RR sets; on Weibo's shallow,
    # near-deterministic repost trees that estimate is far noisier than forward cascades, so the comparison uses cascades.
    cfg = store.config.with_overrides({"network.mc_max_members": g.n + 1})
    return ["## Seeding on the Weibo interaction graph", "",
            f"Cascade graph: {g.n:,} accounts, {len(g.out_dst):,} ties (IC probability = reposts/comments of v on u's items / "
            f"u's items). Expected reach incl. seeds over {runs} forward Monte-Carlo cascades (the same cascades for every "
            "seed set), 95% CI half-width in brackets. The validation asks for forward cascades here: at this size the "
            f"product's default scores plans on {store.config.get('network.rr_eval_sets'):,} reverse-reachable sets, whose "
            "95% CI at k=20 is about ±750 accounts on this graph (±30 with the cascades), too wide to compare plans 2% apart. "
            "Weibo has no brand account, so there is no brand-broadcast baseline.", ""] + seeding_rows(store, as_of, runs, config=cfg) + [""]


def sim100k_seeding(db: Path, runs: int, members: int = 100_000, days: int = 60) -> list[str]:
    """Seeding on a simulated 100k-member community (simulate_to_store, the real simulator, not a graph generator)."""
    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    store = open_store(db)
    t = time.perf_counter()
    simulate_to_store(store, SimulationSpec(members=members, days=days, seed=11, end_date="2026-06-30"))
    t_sim = time.perf_counter() - t
    as_of = datetime(2026, 7, 1, tzinfo=timezone.utc)
    rows = seeding_rows(store, as_of, runs)
    store.close()
    return [f"## Seeding on a simulated {members // 1000}k-member community", "",
            f"`simulate_to_store` ({members:,} members, {days} days, seed 11; {t_sim:.0f} s to simulate and import). "
            f"Expected reach incl. seeds over {runs} Monte-Carlo cascades; the brand broadcast is every brand/staff "
            "account posting (reach excluding those accounts).", ""] + rows + [""]


def se_helpers(folder: Path, db: Path) -> list[str]:
    """Help ledger on a Stack Exchange dump, without text features: answers and accepts carry it."""
    from reef.config import load_config
    from reef.ingest import import_paths
    from reef.network.helpers import help_summary, write_helpers
    from reef.store import open_store

    store = open_store(db)
    import_paths(store, [folder], fmt="stackexchange")
    as_of = datetime(2100, 1, 1, tzinfo=timezone.utc)
    t = time.perf_counter()
    write_helpers(store, as_of, load_config(None))
    h = help_summary(store, as_of)
    secs = time.perf_counter() - t
    top = store.fetch_all("SELECT rank, member_id, answers, accepted, people_helped, help_credit, paid_forward FROM network_helpers ORDER BY rank LIMIT 5")
    mentors = store.fetch_value("SELECT count(*) FROM network_mentorships")
    store.close()
    out = [f"## Help ledger on {folder.name} (no `reef enrich`: answers and accepted answers only)", "",
           f"Ledger in {secs:.1f} s. Help acts: {h['acts']}. Mentorship ties: {mentors}.", "",
           f"- First questions answered within 24 h: **{h['answered_24h']} / {h['first_questions']} = {h['answered_24h_share']}**",
           f"- Pay-it-forward rate: **{h['pay_it_forward_rate']}** ({h['paid_forward']} of {h['helped_newcomers']} members helped in "
           "their first 60 days later helped someone else)", "",
           "| rank | member | answers | accepted | people helped | help credit | paid forward |", "|---|---|---|---|---|---|---|"]
    out += ["| " + " | ".join(str(x) for x in r) + " |" for r in top]
    return out + [""]


_PARTS = ("expertise", "asked", "distinct", "brokerage", "reach", "followon")


def _planted_parts(store):
    """(parts matrix, is_connector_role, is_planted) of every member in network_connectors."""
    import numpy as np

    rows = store.fetch_all(f"""SELECT {", ".join(p + "_part" for p in _PARTS)}, role = 'connector',
        coalesce(t.latent_type = 'connector', false) FROM network_connectors LEFT JOIN truth_members t USING (member_id)""")
    a = np.asarray(rows, dtype=float)
    return a[:, :6], a[:, 6] > 0, a[:, 7] > 0


def _precision(parts, role, planted, w, top: int = 20) -> float:
    import numpy as np

    score = parts @ np.asarray(w, float) + 10.0 * role  # connectors rank before everyone else, as in write_connectors
    return float(planted[np.argsort(-score, kind="stable")[:top]].mean())


def heldout_connectors(tmp: Path, tune_seed: int = 7, test_seed: int = 23) -> list[str]:
    """Tune the part weights on one simulated community, report precision@20 on another seed."""
    import itertools

    import numpy as np
    from reef.analyses import run_analyses
    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    data = {}
    for sd in (tune_seed, test_seed):
        store = open_store(tmp / f"conn{sd}.duckdb")
        simulate_to_store(store, SimulationSpec(members=3000, days=180, seed=sd, end_date="2026-06-30"))
        run_analyses(store, only=["network_connectors"])
        data[sd] = _planted_parts(store)
        defaults = [float(store.config.get(f"network.{p}_weight")) for p in _PARTS]
        store.close()
    grid = [np.asarray(w) / sum(w) for w in itertools.product((0.0, 0.1, 0.2, 0.4), repeat=6) if sum(w) > 0]
    # Best precision@20 on the tuning seed; ties go to the weights closest to the current defaults (no churn).
    tuned = max(grid, key=lambda w: (_precision(*data[tune_seed], w), _precision(*data[tune_seed], w, 40),
                                     -float(np.abs(w - np.asarray(defaults)).sum())))
    fmt = lambda w: ", ".join(f"{p} {x:.2f}" for p, x in zip(_PARTS, w))  # noqa: E731
    pr = lambda sd, w: _precision(*data[sd], w)  # noqa: E731
    return ["## Connectors precision@20, held out", "",
            f"Simulated communities of 3,000 members / 180 days. Part weights tuned by grid search ({len(grid):,} weightings) "
            f"on seed {tune_seed} only; seed {test_seed} was not looked at while tuning.", "",
            "| weights | seed %d (tuning) | seed %d (held out) |" % (tune_seed, test_seed), "|---|---|---|",
            f"| defaults.toml ({fmt(defaults)}) | {pr(tune_seed, defaults):.2f} | **{pr(test_seed, defaults):.2f}** |",
            f"| tuned on seed {tune_seed} ({fmt(tuned)}) | {pr(tune_seed, tuned):.2f} | **{pr(test_seed, tuned):.2f}** |", "",
            *_heldout_reading(defaults, tuned, pr, tune_seed, test_seed)]


def _heldout_reading(defaults, tuned, pr, tune_seed: int, test_seed: int) -> list[str]:
    """Which weights to keep, said from the figures (not written by hand)."""
    dropped = [p for p, x in zip(_PARTS, tuned) if x == 0]
    out = [f"The defaults reach {pr(tune_seed, defaults):.2f} on the tuning seed and {pr(test_seed, defaults):.2f} on the "
           f"held-out seed; the grid's best weights reach {pr(test_seed, tuned):.2f} there."]
    if dropped and pr(test_seed, tuned) > pr(test_seed, defaults):
        out.append(f"The tuned weights drop {', '.join(dropped)} entirely: the simulator plants connectors as members who "
                   "get asked, so they fit the simulator's definition rather than the issue's (members whose words also "
                   "set off discussion and bridge groups). The defaults are kept.")
    keep = defaults if dropped or pr(test_seed, tuned) <= pr(test_seed, defaults) else tuned
    out += [f"Held-out figure to quote: **{pr(test_seed, keep):.2f}**.", ""]
    return out


_NOT_YET = ["Speed at 1M members / 10M edges: `benchmarks/bench_network.py`, figures in docs/network.md.", ""]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "network-validation.md"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--runs", type=int, default=1000, help="Monte-Carlo cascades per seed set on the large graphs")
    ap.add_argument("--skip-seeding", action="store_true", help="leave out the Weibo and 100k seeding tables (slow)")
    args = ap.parse_args()
    data = Path(args.data)
    lines = ["# Network layer: validation", "", "Written by `scripts/validate_network.py` (2 cores).", "",
             "Seeding target: **>= 98% of the best reference and never below top degree**; \"Reef / best reference\" divides "
             "Reef's IMM by the best of pynetim IMM, top degree, top PageRank and random (the brand broadcast is every brand "
             "account posting to its audience: a scale reference, not a k-member plan).", ""]
    with tempfile.TemporaryDirectory() as tmp:
        w = weibo_rings(data / "weibo-ced", Path(tmp) / "wb.duckdb")
        lines += ["## Weibo CED: ring sizes vs true tree depths", "",
                  f"Imported {w['imported']:,} rows ({w['quarantined']} quarantined: duplicate ids) in {w['import_s']} s. "
                  f"Ripple tracking of all cascades at once: {w['ripple_s']} s for {w['adopters']:,} adopters.", "",
                  f"Cascades compared: {w['cascades']:,} (left out: {w['conflicting']} with conflicting duplicate mids). "
                  f"Ring sizes identical to the independently computed tree depths: **{w['exact']:,} / {w['cascades']:,}**.",
                  f"First mismatches: {w['mismatch']}", ""]
        if not args.skip_seeding:
            lines += weibo_seeding(w["store"], args.runs)
        w["store"].close()
        lines += simulator(Path(tmp) / "sim.duckdb") + heldout_connectors(Path(tmp))
        lines += se_helpers(data / "se-quantumcomputing", Path(tmp) / "se.duckdb")
        if not args.skip_seeding:
            lines += sim100k_seeding(Path(tmp) / "sim100k.duckdb", args.runs)
        lines += _NOT_YET
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
