"""Re-run every validation that reads text intents with the learned intent reader (may it become the default?).

Every simulator and real-data validation of the ladder, network, knowledge reef, layers and risk radar was measured
with the cue reader (``text.intent_reader = "cues"``). This script runs the same validation scripts, with the same
seeds and arguments as their committed pages, on a git worktree of one frozen commit, with
``text.intent_reader = "learned"`` set through ``REEF_CONFIG``; each script rewrites its page inside the worktree,
and ``--diff`` prints each page's changes against the repository's committed page.

Protocol, fixed before any run (docs/models/intents.md, "Switching the default"):

* The learned reader becomes the default only if, on every re-run page, (1) every target the page meets with the
  cue reader is still met, (2) no figure that misses its target gets worse, and (3) ``benchmarks/bench_enrich.py``
  still meets issue 3's speed target with it (1M posts under 10 minutes, peak memory under 4 GB).
* Figures that move without crossing a target are reported, not weighed.
* Where a page's figure moved, the same script is run with the cue reader on the same frozen commit
  (``--reader cues``) to tell the reader's effect from drift since the page was written; that run is the reference.
* Not re-run, because they read no intents: the Weibo parts of the network page (imported repost graph, no
  enrichment), the risk page's dumps part (activity counts and time to first response from the XML), and the
  speed parts (measured by the benchmarks). The risk radar's simulator part reuses the stores of round seven
  (``--risk-stores``), copied and re-enriched, so only the text features differ.

Usage:
    .venv/bin/python scripts/compare_intent_readers.py --commit HEAD --work /tmp/lr --jobs ladder,kb,layers,network
    .venv/bin/python scripts/compare_intent_readers.py --work /tmp/lr --jobs risks --risk-stores /tmp/reef-risk-validation7
    .venv/bin/python scripts/compare_intent_readers.py --work /tmp/lr --diff --override ladder=/tmp/lr2 \
        --out docs/intent-reader-comparison.md
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Why a page has no cue-reader re-run (its committed page is then the reference).
CUE_REFERENCE = {"risks": "the committed page is the reference: rendered from round seven's cue-reader replays of the "
                          "same stores, with no change to the radar, ladder or network code since"}
PAGES = {"ladder": "ladder-validation.md", "network": "network-validation.md", "kb": "reef-validation.md",
         "layers": "layers-validation.md", "risks": "risk-validation.md"}


def job_command(job: str, work: Path) -> list[str]:
    """The validation command line of one job, run inside the worktree (scratch under ``work``)."""
    return [sys.executable, *{
        "ladder": ["scripts/validate_ladder.py", "--part", "all", "--work", str(work / "ladder")],
        "network": ["scripts/validate_network.py", "--skip-seeding"],
        "kb": ["scripts/validate_kb.py", "--only", "search,best,sim,crisis", "--work", str(work / "kb")],
        "layers": ["scripts/validate_layers.py"],
        "risks": ["scripts/validate_risks.py", "--part", "sim", "--work", str(work / "risks"), "--reuse"],
    }[job]]


def worktree(commit: str, work: Path, reader: str) -> Path:
    """A git worktree of ``commit`` for one reader (created once; later runs reuse it)."""
    wt = work / f"wt-{reader}"
    shared = work / "shared"  # the validation scripts read ../shared/data next to the repository
    if not shared.exists():
        shared.symlink_to(ROOT.parent / "shared")
    if not wt.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), commit], check=True)
    return wt


def reader_config(work: Path, reader: str) -> Path:
    path = work / f"{reader}.toml"
    path.write_text(f'[text]\nintent_reader = "{reader}"\n')
    return path


def prepare_risk_stores(source: Path, target: Path, env: dict) -> None:
    """Copy round seven's simulated stores and re-enrich them under ``env``'s reader (replays are not copied)."""
    target.mkdir(parents=True, exist_ok=True)
    for db in sorted(source.glob("sim-*.duckdb")):
        if not (target / db.name).exists():
            shutil.copy2(db, target / db.name)
    code = ("import sys; from reef.store import open_store; from reef.analyses import run_analyses\n"
            "for p in sys.argv[1:]:\n"
            "    s = open_store(p); run_analyses(s, only=['text_features']); s.close(); print('enriched', p, flush=True)")
    subprocess.run([sys.executable, "-c", code, *map(str, sorted(target.glob("sim-*.duckdb")))], env=env, check=True)


def run(args) -> None:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    wt = worktree(args.commit, work, args.reader)
    env = dict(os.environ, REEF_CONFIG=str(reader_config(work, args.reader)), PYTHONPATH=str(wt))
    for job in args.jobs.split(","):
        if job == "risks":
            prepare_risk_stores(Path(args.risk_stores), work / "risks", env)
        t0 = time.perf_counter()
        log = work / f"{args.reader}-{job}.log"
        with open(log, "w") as fh:
            code = subprocess.run(job_command(job, work), cwd=wt, env=env, stdout=fh, stderr=subprocess.STDOUT).returncode
        print(f"{args.reader} {job}: exit {code} in {time.perf_counter() - t0:.0f} s (log {log})", flush=True)


def _page_diff(old: Path, new: Path) -> str:
    out = subprocess.run(["git", "diff", "--no-index", "--word-diff=plain", "-U0", str(old), str(new)],
                         capture_output=True, text=True).stdout
    return "\n".join(line for line in out.splitlines()
                     if not line.startswith(("diff --git", "index ", "--- ", "+++ "))) or "(no change)"


def diff(args) -> None:
    """Each re-run page against the committed one, per reader, as Markdown (to ``--out`` or stdout)."""
    override = dict(item.split("=", 1) for item in args.override)
    lines = ["# Intent readers: validation pages re-run with each reader", "",
             "Written by `scripts/compare_intent_readers.py --diff` (protocol: its docstring and docs/models/intents.md).",
             "Each block is a word diff of a validation page against the committed one (`[-old-]{+new+}`), regenerated by",
             "the page's own script on a worktree of the commit named, with `text.intent_reader` set as named. A cue-reader",
             "block shows what moved without the reader (drift since the page was written, timings).", ""]
    for job, page in PAGES.items():
        lines += [f"## {page}", ""]
        for reader in ("learned", "cues"):
            ran = [Path(w) for w in (override.get(job), args.work) if w and (Path(w) / f"{reader}-{job}.log").exists()]
            if not ran:
                lines += [f"{reader} reader: not re-run" + (f"; {CUE_REFERENCE[job]}." if reader == "cues" and job in
                                                             CUE_REFERENCE else "."), ""]
                continue
            wt = ran[0] / f"wt-{reader}"
            commit = subprocess.run(["git", "-C", str(wt), "rev-parse", "--short", "HEAD"], capture_output=True,
                                    text=True).stdout.strip()
            lines += [f"{reader} reader, commit {commit}:", "", "```", _page_diff(ROOT / "docs" / page, wt / "docs" / page),
                      "```", ""]
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text) if args.out else print(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commit", default="HEAD", help="frozen commit the worktrees are made from")
    ap.add_argument("--work", default="/tmp/reef-intent-readers")
    ap.add_argument("--reader", choices=("learned", "cues"), default="learned")
    ap.add_argument("--jobs", default="ladder,kb,layers,network,risks")
    ap.add_argument("--risk-stores", default="/tmp/reef-risk-validation7", help="round seven's simulated stores")
    ap.add_argument("--diff", action="store_true", help="print each re-run page's changes and stop")
    ap.add_argument("--out", help="with --diff: write the Markdown page here instead of printing it")
    ap.add_argument("--override", action="append", default=[], metavar="JOB=WORK",
                    help="with --diff: take this job's worktrees from another --work folder (a later commit)")
    args = ap.parse_args()
    diff(args) if args.diff else run(args)


if __name__ == "__main__":
    main()
