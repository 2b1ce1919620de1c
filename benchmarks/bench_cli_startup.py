"""Start-up cost of the command line: wall and CPU time of read commands that recompute nothing, and import time.

    .venv/bin/python benchmarks/bench_cli_startup.py --db qc.duckdb [--runs 3] [--root DIR [--db X] ...]

Runs each command (``reef status``, ``reef ladder --json``; ``--command`` to choose) ``--runs`` times as a fresh
process from each ``--root`` (a checkout of Reef; default: the one holding this script), with that root first on
``PYTHONPATH`` so its ``reef`` package is the one imported, and prints the median wall and CPU (user + system of
the child) seconds. Then, per root, ``python -X importtime`` of ``import reef.cli`` plus analysis discovery
(``registry.discover()``): the summed top-level import time, median of the runs, and whether scipy was imported.
Two roots (say, main and a branch) are measured in turns, run by run, so a change in the machine's load hits both.
Analyse the store first (``reef analyze --db ...``) so that the reads have nothing to recompute; two roots whose
analysis versions differ each need a store analysed by their own code: give one ``--db`` per ``--root``, in order. The machine may be
shared: the load average is printed; CPU seconds are the steadier figure.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main"]

_CLI = "from reef.cli import main; main()"
_DISCOVER = ("import sys, reef.cli; from reef.analyses.registry import discover; discover(); "
             "print('scipy' in sys.modules)")


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root)}


def _run(root: Path, args: list[str]) -> tuple[float, float]:
    """Wall and child CPU seconds of one fresh process."""
    before = os.times()
    wall = time.perf_counter()
    done = subprocess.run(args, cwd=root, env=_env(root), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - wall
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {root}:\n{done.stderr[-2000:]}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def _import_seconds(root: Path) -> tuple[float, bool]:
    """Summed top-level ``-X importtime`` of importing the CLI and discovering analyses; whether scipy was loaded."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", _DISCOVER], cwd=root, env=_env(root),
                          capture_output=True, text=True, check=True)
    total = 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  "):  # a top-level import (nested ones are inside its cumulative figure)
            total += int(cumulative)
    return total / 1e6, done.stdout.strip() == "True"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", action="append", required=True, help="the store (one, or one per --root)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--root", action="append", type=Path, help="a Reef checkout (repeatable); default: this one")
    ap.add_argument("--command", action="append", help='a command to time, e.g. "ladder --json" (repeatable)')
    args = ap.parse_args()
    roots = [r.resolve() for r in (args.root or [Path(__file__).resolve().parents[1]])]
    dbs = [str(Path(d).resolve()) for d in args.db]
    if len(dbs) not in (1, len(roots)):
        raise SystemExit("give one --db, or one per --root")
    db_of = {root: dbs[min(i, len(dbs) - 1)] for i, root in enumerate(roots)}
    commands = args.command or ["status", "ladder --json"]
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
    imports: dict[str, list[float]] = {}
    scipy: dict[str, bool] = {}
    for _ in range(args.runs):
        for root in roots:
            for command in commands:
                argv = [sys.executable, "-c", _CLI, *command.split(), "--db", db_of[root]]
                samples.setdefault((str(root), command), []).append(_run(root, argv))
            seconds, loaded = _import_seconds(root)
            imports.setdefault(str(root), []).append(seconds)
            scipy[str(root)] = loaded
    for (root, command), runs in samples.items():
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        print(f"{root:32} reef {command:16} wall median {statistics.median(walls):5.2f} s "
              f"(runs {', '.join(f'{w:.2f}' for w in walls)})   cpu median {statistics.median(cpus):5.2f} s")
    for root, runs in imports.items():
        print(f"{root:32} import reef.cli + discover(): {statistics.median(runs):5.2f} s (-X importtime, median); "
              f"scipy imported: {scipy[root]}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
