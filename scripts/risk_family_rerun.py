"""Replay some risk families again on all seventeen simulator seeds and write the block ``rerun`` of
docs/risk-validation.md, beside the page's earlier figures (which it reads from the page's own tables).

A full replay of every family on 34 stores takes hours on a shared 2-core machine; when a change can only move some
families (a text fix that changes which posts are complaints moves backlash), this replays those families alone with
:func:`validate_risks.replay` (``families=``: the families are computed independently, so the rows are the same as a
full replay's) on stores simulated and enriched with the current code (``validate_risks.build``), and compares.

    PYTHONPATH=. .venv/bin/python scripts/risk_family_rerun.py --families backlash [--work /tmp/reef-risk-validation]

Example (the page's cells are read back by seed):
    >>> _cells("| family | seed 11 (dev) | seed 16 (dev) |", "| backlash | 0.00 (met) | 1.23 (missed) |")
    {11: '0.00 (met)', 16: '1.23 (missed)'}
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from doc_sections import replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "risk-validation.md"
SEEDS = {"dev": [11, 16, 17, 18, 19, 20, 21, 22, 23], "seen": [24, 25, 26, 27], "test": [28, 29, 30, 31]}


def _cells(header: str, row: str) -> dict[int, str]:
    """The cells of a page table row, keyed by the seed its header names."""
    heads = [h.strip() for h in header.strip().strip("|").split("|")]
    vals = [v.strip() for v in row.strip().strip("|").split("|")]
    out = {}
    for h, v in zip(heads, vals):
        m = re.match(r"seed (\d+)", h)
        if m:
            out[int(m.group(1))] = v
    return out


def page_row(label: str, after: str) -> dict[int, str]:
    """The page's cells of the table row starting ``| label |`` in the first table after the line containing ``after``."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    header = next(line for line in lines[start:] if line.startswith("| ") and "seed " in line)
    row = next(line for line in lines[start:] if line.startswith(f"| {label} |"))
    return _cells(header, row)


def replayed(work: Path, families: list[str], seed: int, kind: str) -> dict:
    """One store's replay of ``families`` (cached as JSON in ``work``)."""
    import validate_risks as vr

    cache = work / f"fam-{'-'.join(families)}-{seed}-{kind}.json"
    if not cache.exists():
        run = vr.replay(vr.build(work, seed, kind == "planted", True), families=families, log=lambda *a: None)
        cache.write_text(json.dumps(run, default=str))
    return json.loads(cache.read_text())


def backlash_figures(control: dict, planted: dict) -> dict:
    """Backlash false alarms per 90 days on the control; planted members turning negative: alert and care-list delays."""
    import validate_risks as vr

    eps = vr.episodes(control["days"]).get("backlash", [])
    members = vr.detect(planted, 0.03)["core member turning negative"]["members"]
    alerts = [m["alert_delay"] for m in members if m["alert_delay"] is not None]
    watch = [m["watch_delay"] for m in members if m["watch_delay"] is not None]
    return {"false_alarms": len(eps) * 90 / len(control["days"]), "examples": eps, "planted": len(members),
            "alerted": len(alerts), "within7": sum(d <= 7 for d in alerts),
            "median": statistics.median(alerts) if alerts else None, "watch_median": statistics.median(watch) if watch else None}


def render(figs: dict[int, dict], tags: dict[int, str], version: str, commit: str) -> str:
    before_alert = page_row("core member turning negative", "### Summary")
    before_fa = page_row("backlash", "False alarms on the clean control (alert keys newly raised per 90 days")
    lines = ["## Round fourteen: backlash replayed again (scripts/risk_family_rerun.py)", "",
             f"Code {commit}, text features `{version}`; every store simulated and enriched again, the backlash family "
             "replayed day by day as in the tables below (ladder and network refreshed weekly). The other families were "
             "not replayed: their cells below are the earlier rounds'. *Earlier* = the cell of the page's tables below. The care "
             "list now also holds core members whose complaints went unanswered (risk analysis 8), so its delay is not "
             "comparable with the earlier care-list delays; the alert is unchanged in what it tests.", "",
             "| seed | control false alarms per 90 d: earlier | now | turning negative: earlier | now (alerted, median delay, within 7 d) | care list median delay now |",
             "|---|---|---|---|---|---|"]
    for seed, f in figs.items():
        now = f"{f['alerted']}/{f['planted']}, median {f['median'] if f['median'] is not None else '—'} d; {f['within7']} in 7 d"
        fa = f"{f['false_alarms']:.2f} ({'met' if f['false_alarms'] <= 1 else 'missed'})"
        ex = ", ".join(f"d{d} {k.split(':')[-1]}" for d, k in f["examples"])
        lines.append(f"| {seed} ({tags[seed]}) | {before_fa.get(seed, '—')} | {fa}{' — ' + ex if ex else ''} | "
                     f"{before_alert.get(seed, '—')} | {now} | {f['watch_median'] if f['watch_median'] is not None else '—'} d |")
    met_now = sum(f["false_alarms"] <= 1 for f in figs.values())
    met_before = sum("(met)" in before_fa.get(s, "") for s in figs)
    n = sum(f["planted"] for f in figs.values())
    lines += ["", f"Controls meeting the backlash false-alarm target (≤ 1 per 90 days): {met_before}/{len(figs)} earlier, "
              f"{met_now}/{len(figs)} now. Planted members turning negative alerted: {sum(f['alerted'] for f in figs.values())}/{n}, "
              f"within 7 d: {sum(f['within7'] for f in figs.values())}/{n}."]
    return "\n".join(lines)


def main() -> None:
    import validate_risks as vr

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", nargs="+", default=["backlash"], choices=["backlash"],
                    help="families to replay (the page block compares backlash figures)")
    ap.add_argument("--work", default="/tmp/reef-risk-validation")
    ap.add_argument("--seeds", type=int, nargs="*", default=[s for v in SEEDS.values() for s in v])
    ap.add_argument("--code", help="the commit the cached replays ran with (default: this checkout's HEAD)")
    ap.add_argument("--no-write", dest="write", action="store_false")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    tags = {s: {"dev": "dev", "seen": "earlier held out", "test": "held out"}[k] for k, v in SEEDS.items() for s in v}
    figs = {s: backlash_figures(replayed(work, args.families, s, "control"), replayed(work, args.families, s, "planted"))
            for s in args.seeds}
    commit = args.code or subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                         text=True).stdout.strip()
    md = render(figs, tags, vr.text_version(vr.build(work, args.seeds[0], True, True)), commit)
    print(md)
    if args.write:
        replace_section(DOC, "rerun", md)


if __name__ == "__main__":
    main()
