"""Large stores for the benchmarks, built by scaling a small analysed store (shared helper).

Simulating a 1M-member community at full activity and running every analysis on it would take
hours on the shared 2-core machine (the simulator alone needed 8 minutes for 1M members at 15 %
activity over 60 days, ``bench_layers.py``), so :func:`scale_store` takes a small store on which every analysis really ran (``reef demo``) and
replicates it ``factor`` times: each copy gets its own ids (``m42`` becomes ``m42~7``), so the
canonical tables (members, content, interactions) and every member-level result table (ladder,
network, knowledge reef, risks, layers, member summary ...) hold ``factor`` times the rows, with the
columns, types and value distributions the real analyses produce. Tables without member or
content ids (per-day, per-aspect, per-circle aggregates, the 9-seat council) stay as they are, and
``member_summary``, ``activity_daily`` and ``store_overview`` are recomputed by their real analyses
over the scaled canonical tables.
What this measures is serving speed over tables of realistic size, not analysis results.

    .venv/bin/reef demo --out /tmp/reef-bench/seed --members 10000 --days 90 --seed 3
    .venv/bin/python benchmarks/_synthetic.py --seed-db /tmp/reef-bench/seed/demo.duckdb \\
        --out /tmp/reef-bench/1m.duckdb --factor 100

Other benchmarks with their own generators: ``bench_ladder.generate`` (canonical Parquet of N events
with power-law activity), which ``bench_risks`` reuses.
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

__all__ = ["scale_store", "ID_COLUMNS", "SKIP_TABLES"]

# Columns that hold member, content or interaction ids: suffixed per copy so references stay consistent.
ID_COLUMNS = ("member_id", "author_id", "actor_id", "target_member_id", "content_id", "target_content_id", "parent_id",
              "thread_id", "interaction_id", "answer_id", "question_id", "best_answer_id", "answerer_id", "asker_id",
              "source_id", "target_id", "leader_id", "helper_id", "helped_id", "from_member_id", "to_member_id",
              "mentor_id", "mentee_id", "src", "dst")
# Tables that stay as they are: the system's own, ground truth (not read by any surface) and text features
# (read by analyses only; 15M MinHash lists would only make the file bigger).
SKIP_TABLES = ("_reef_migrations", "meta", "users", "api_tokens", "sessions", "audit_log", "server_jobs", "imports",
               "import_files", "quarantine", "analysis_runs", "operator_actions", "content_features", "awards",
               "official_facts", "campaigns", "groups", "layers_council")


def _id_columns(con, table: str) -> list[str]:
    cols = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()
    return [c for c, t in cols if t == "VARCHAR" and (c in ID_COLUMNS or c.endswith("_member_id"))]


def scale_store(seed_db: Path, out: Path, factor: int, *, rerun=("member_summary", "activity_daily", "store_overview")) -> dict[str, int]:
    """Copy ``seed_db`` to ``out`` and replicate its member-level rows ``factor`` times; returns rows per table."""
    from reef.analyses import run_analyses
    from reef.store import close_all, open_store

    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed_db, out)
    wal = Path(str(seed_db) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(out) + ".wal"))
    store = open_store(out)
    con = store.con
    tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                                        "AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
    sizes = {}
    for table in tables:
        ids = _id_columns(con, table)
        if table in SKIP_TABLES or table.startswith("truth_") or not ids:
            continue
        t0 = time.perf_counter()
        repl = ", ".join(f"CASE WHEN \"{c}\" IS NULL THEN NULL ELSE \"{c}\" || '~' || k END AS \"{c}\"" for c in ids)
        con.execute(f'INSERT INTO "{table}" SELECT src.* REPLACE ({repl}) FROM "{table}" AS src, range(1, {factor}) AS r(k)')
        sizes[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        print(f"{table}: {sizes[table]:,} rows ({time.perf_counter() - t0:.0f} s)", flush=True)
    as_of = store.fetch_value("SELECT max(as_of) FROM analysis_runs")
    t0 = time.perf_counter()
    run_analyses(store, as_of=as_of, only=list(rerun), force=True)  # real analyses over the scaled tables
    print(f"re-ran {', '.join(rerun)} in {time.perf_counter() - t0:.0f} s", flush=True)
    store.checkpoint()
    close_all()
    return sizes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed-db", type=Path, required=True, help="a small store with every analysis run (reef demo)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--factor", type=int, default=100)
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    scale_store(args.seed_db, args.out, args.factor)
    print(f"built {args.out} in {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU")


if __name__ == "__main__":
    main()
