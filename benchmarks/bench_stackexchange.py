"""Stack Exchange import benchmark: the real dumps in ../shared/data, and optionally a bigger one.

Each dump is imported into a fresh store in a subprocess, ``--runs`` times; the script prints the
median wall time, rows/s (rows read: imported + quarantined) and the child's peak RSS.
``--scale K`` also builds a dump K times the size of se-quantumcomputing (ids shifted per copy)
to show throughput and flat memory beyond toy sizes.

Example:
    .venv/bin/python benchmarks/bench_stackexchange.py --runs 3 --scale 20
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["main", "scaled_dump"]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_CHILD = r"""
import json, resource, sys, time
from reef.ingest import import_paths
from reef.store import open_store
store = open_store(sys.argv[1])
t = time.perf_counter()
s = import_paths(store, [sys.argv[2]])
dt = time.perf_counter() - t
store.close()
print(json.dumps({"seconds": dt, "read": s.read, "imported": s.imported, "quarantined": s.quarantined,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
_IDS = re.compile(rb'\b(Id|PostId|ParentId|UserId|OwnerUserId|AcceptedAnswerId|RelatedPostId|LastEditorUserId)="(-?\d+)"')


def scaled_dump(source: Path, copies: int, out: Path) -> Path:
    """Write ``copies`` id-shifted copies of each table of ``source`` into ``out`` (gzip)."""
    out.mkdir(parents=True, exist_ok=True)
    for src in sorted(source.glob("*.xml.gz")):
        if src.name.lower().startswith("tags"):
            continue
        lines = gzip.open(src).read().splitlines(keepends=True)
        head = [ln for ln in lines[:2]]
        rows = [ln for ln in lines[2:] if ln.lstrip().startswith(b"<row")]
        tail = [ln for ln in lines[2:] if not ln.lstrip().startswith(b"<row")]
        with gzip.open(out / src.name, "wb", compresslevel=1) as fh:
            fh.writelines(head)
            for k in range(copies):
                shift = k * 10_000_000
                fh.writelines(_IDS.sub(lambda m: m[1] + b'="' + str(int(m[2]) + shift).encode() + b'"', ln) for ln in rows)
            fh.writelines(tail)
    return out


def run(dump: Path, runs: int, tmp: Path) -> dict:
    results = []
    for i in range(runs):
        db = tmp / f"bench-{dump.name}-{i}.duckdb"
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(db), str(dump)], capture_output=True, text=True, check=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        db.unlink(missing_ok=True)
    seconds = statistics.median(r["seconds"] for r in results)
    rows = results[0]["read"]
    return {"dump": dump.name, "rows": rows, "imported": results[0]["imported"], "quarantined": results[0]["quarantined"],
            "median_s": round(seconds, 2), "rows_per_s": round(rows / seconds), "peak_mb": round(max(r["peak_mb"] for r in results))}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scale", type=int, default=0, help="also import a dump this many times se-quantumcomputing")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        dumps = [DATA / n for n in ("se-quantumcomputing", "se-bicycles-meta") if (DATA / n).exists()]
        if args.scale and dumps:
            dumps.append(scaled_dump(dumps[0], args.scale, tmp / f"se-quantumcomputing-x{args.scale}"))
        print(f"{'dump':32} {'rows':>9} {'imported':>9} {'quar.':>6} {'median s':>9} {'rows/s':>9} {'peak MB':>8}")
        for dump in dumps:
            r = run(dump, args.runs, tmp)
            print(f"{r['dump']:32} {r['rows']:>9} {r['imported']:>9} {r['quarantined']:>6} {r['median_s']:>9} {r['rows_per_s']:>9} {r['peak_mb']:>8}")


if __name__ == "__main__":
    main()
