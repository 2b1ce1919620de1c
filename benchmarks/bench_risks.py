"""Risk radar speed and memory: wall and CPU seconds of all four families, per family, and peak memory.

Data: ``--synthetic N`` canonical events from ``bench_ladder.generate`` (members = N/50, content 30 %,
interactions 70 %, power-law activity over 400 days), imported with ``import_paths``; synthetic text
features (``bench_ladder.fill_features`` plus sentiment, aspects and text for the selling-point
share, all in SQL). The radar's dependencies are stand-ins so their cost does not blur this one:
``ladder_members`` = the 2 % most active members at stage 3, ``network_connectors`` = a hash score
(the ladder and network have their own benchmarks). Preparation runs in a child process and is not
timed, so the peak memory printed is the radar's.

Times ``compute_risks`` (what the ``risks`` analysis computes before writing) at the end of the data
("daily run": the radar keeps no incremental state, so a daily update recomputes its windows and costs
the same as this) and at the day before, each in a rolled-back transaction, ``--runs`` times.

    .venv/bin/python benchmarks/bench_risks.py --synthetic 5000000 --runs 3 --db /tmp/risk5m.duckdb --results /tmp/bench_risks.json
    .venv/bin/python benchmarks/bench_risks.py --doc --results /tmp/bench_risks.json   # writes the "speed" section

``--results`` collects each size's figures in a JSON file; ``--doc`` writes them, with a power-law
extrapolation to 1M members / 50M events (fitted on the measured sizes, stated as an extrapolation), into
docs/risk-validation.md.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

__all__ = ["prepare", "main"]


def prepare(db: Path, events: int) -> None:
    """Generate, import and enrich (synthetically) ~``events`` events into ``db``; add dependency stand-ins."""
    from bench_ladder import _prepare_synthetic

    from reef.store import open_store

    if not db.exists():
        _prepare_synthetic(db, events)
    store = open_store(db)
    if store.table_exists("network_connectors"):
        store.close()
        return
    t = time.perf_counter()
    store.execute("""UPDATE content_features f SET sentiment = CAST(hash(f.content_id) % 3 AS INT) - 1,
                         aspect_names = [['续航与充电', '智能与车机', '售后与服务', '质量与故障', '外观与内饰'][CAST(hash(f.content_id) % 5 AS BIGINT) + 1]],
                         intents = CASE WHEN hash(f.content_id) % 17 = 3 THEN list_append(f.intents, 'complaint') ELSE f.intents END,
                         text_simplified = CASE WHEN hash(f.content_id) % 12 = 0 THEN '800V超充真香' ELSE '日常用车记录' END""")
    store.execute("""CREATE OR REPLACE TABLE ladder_members AS
        SELECT author_id AS member_id, 3 AS stage, 3 AS max_stage FROM content GROUP BY 1
        QUALIFY row_number() OVER (ORDER BY count(*) DESC) <= (SELECT count(*) FROM members) // 50""")
    store.execute("""CREATE OR REPLACE TABLE network_connectors AS
        SELECT member_id, (hash(member_id) % 1000) / 1000.0 AS score FROM members""")
    store.execute("""INSERT INTO official_facts (fact_id, kind, attribute, valid_from, source)
                     VALUES ('sp-1', 'selling_point', '800V超充', TIMESTAMPTZ '2020-01-01', 'bench')""")
    store.checkpoint()
    store.close()
    print(f"features, stand-ins in {time.perf_counter() - t:.0f}s", flush=True)


def _ready(db: Path) -> bool:
    from reef.store import open_store

    store = open_store(db, read_only=True)
    try:
        return store.table_exists("network_connectors")
    finally:
        store.close()


def _time(store, as_of, runs: int, fn) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu0 = time.perf_counter(), time.process_time()
        store.execute("BEGIN TRANSACTION")
        fn(store, as_of)
        store.execute("ROLLBACK")
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu0)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", type=int, default=5_000_000, help="about this many canonical events")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", type=Path, help="store to create (reused when it exists)")
    ap.add_argument("--prepare-only", action="store_true")
    ap.add_argument("--results", type=Path, help="append this run's figures to a JSON file")
    ap.add_argument("--doc", action="store_true", help="write the figures collected in --results into docs/risk-validation.md")
    args = ap.parse_args()
    if args.doc:
        write_doc(json.loads(args.results.read_text()))
        return
    if args.prepare_only:
        prepare(args.db, args.synthetic)
        return
    if not args.db.exists() or not _ready(args.db):
        subprocess.run([sys.executable, __file__, "--synthetic", str(args.synthetic), "--db", str(args.db), "--prepare-only"], check=True)
    from reef.risks.analysis import FAMILIES, compute_risks
    from reef.risks.common import risk_base
    from reef.store import open_store

    store = open_store(args.db)
    cfg = store.config
    events = store.fetch_value("SELECT (SELECT count(*) FROM content) + (SELECT count(*) FROM interactions)")
    members = store.fetch_value("SELECT count(*) FROM members")
    end = store.fetch_value("SELECT max(created_at) FROM content") + timedelta(seconds=1)
    print(f"store: {members:,} members, {events:,} events", flush=True)
    compute_risks(store, end, cfg)  # warm-up: imports (scikit-learn) and DuckDB caches
    fig = {"members": members, "events": events, "runs": args.runs, "load": round(__import__("os").getloadavg()[0], 1), "families": {}}
    for key, label, as_of in (("full", "all four families, end of data", end), ("daily", "all four families, the next day's run", end - timedelta(days=1))):
        wall, cpu = _time(store, as_of, args.runs, lambda s, t: compute_risks(s, t, cfg))
        fig[key] = {"wall": round(wall, 2), "cpu": round(cpu, 2)}
        print(f"{label}: median wall {wall:.2f} s, CPU {cpu:.2f} s over {args.runs} runs ({events / wall:,.0f} events/s)", flush=True)

    def base(s, t):
        with risk_base(s, t, int(cfg.get("risks.horizon_days"))):
            pass

    wall, cpu = _time(store, end, args.runs, base)
    print(f"  base tables (content as of, member posts): wall {wall:.2f} s, CPU {cpu:.2f} s", flush=True)
    for name, (fn, _, _) in FAMILIES.items():
        def one(s, t, fn=fn):
            with risk_base(s, t, int(cfg.get("risks.horizon_days"))):
                fn(s, t, cfg)
        wall, cpu = _time(store, end, args.runs, one)
        fig["families"][name] = {"wall": round(wall, 2), "cpu": round(cpu, 2)}
        print(f"  {name} (incl. base): wall {wall:.2f} s, CPU {cpu:.2f} s", flush=True)
    fig["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"peak memory (RSS) {fig['peak_mb']} MB")
    if args.results:
        old = json.loads(args.results.read_text()) if args.results.exists() else []
        args.results.write_text(json.dumps([r for r in old if r["events"] != events] + [fig], indent=1))


def write_doc(results: list[dict]) -> None:
    """The "speed" section of docs/risk-validation.md from the measured sizes, with the extrapolation."""
    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from doc_sections import replace_section

    results = sorted(results, key=lambda r: r["events"])
    lines = ["## Speed (benchmarks/bench_risks.py)", "",
             "Synthetic communities from `bench_ladder.generate` (members = events / 50, power-law activity, 400 days), "
             "synthetic text features, stand-in ladder and network tables (their own benchmarks cover them). Median of "
             "the runs, each in a rolled-back transaction; CPU = process CPU seconds (all DuckDB threads). The machine "
             "is shared by several sessions on 2 cores, so wall time is inflated by the load shown; CPU seconds are the "
             "steadier figure.", "",
             "| members | events | load (1 min) | all four, wall s | all four, CPU s | next day's run, wall / CPU s | peak RSS MB | "
             "heat / implosion / backlash / entropy CPU s (each incl. base tables) |", "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        fam = " / ".join(f"{r['families'][f]['cpu']:.1f}" for f in ("heat_death", "implosion", "backlash", "entropy"))
        lines.append(f"| {r['members']:,} | {r['events']:,} | {r['load']} | {r['full']['wall']:.1f} | {r['full']['cpu']:.1f} | "
                     f"{r['daily']['wall']:.1f} / {r['daily']['cpu']:.1f} | {r['peak_mb']:,} | {fam} |")
    target = 50_000_000
    if len(results) >= 2:
        x = np.log([r["events"] for r in results])
        b_cpu, a_cpu = np.polyfit(x, np.log([r["full"]["cpu"] for r in results]), 1)
        b_mem, a_mem = np.polyfit(x, np.log([r["peak_mb"] for r in results]), 1)
        cpu50 = float(np.exp(a_cpu + b_cpu * np.log(target)))
        mem50 = float(np.exp(a_mem + b_mem * np.log(target)))
        lines += ["", f"**Extrapolation, not a measurement**: a power law through the measured sizes gives CPU ∝ events^{b_cpu:.2f} "
                  f"and peak memory ∝ events^{b_mem:.2f}, so 1M members / 50M events would take about {cpu50:.0f} CPU seconds "
                  f"(about {cpu50 / 2:.0f}-{cpu50:.0f} s wall on 2 otherwise idle cores, since DuckDB runs the scans on both) and "
                  f"about {mem50 / 1024:.1f} GB of memory: inside the 5-minute target (300 s) if the extrapolation holds. The wall "
                  "range is an estimate (CPU seconds over one or two busy cores), not a measurement: on this shared machine wall "
                  "time ran 4-9x the CPU time. The daily update recomputes the windows (the radar keeps no incremental state), "
                  f"so it would also take about {cpu50 / 2:.0f}-{cpu50:.0f} s: the 1-minute target is probably missed at that "
                  "size. Meeting it would need incremental base tables (append the day's posts to persisted "
                  "`_risk_posts`/`_risk_content` instead of rebuilding them, keep per-member daily counts for burnout and the "
                  "hazard features, refit the hazard weekly) — not built. Measuring 50M events directly needs a quiet machine "
                  "and ~6 GB free for the store build (the import of 10M events took 8 minutes here)."]
    replace_section(Path(__file__).resolve().parents[1] / "docs" / "risk-validation.md", "speed", "\n".join(lines),
                    title="# Risk radar validation (generated by scripts/validate_risks.py)")


if __name__ == "__main__":
    main()
