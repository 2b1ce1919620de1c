"""Compare the simulator summary of two versions of docs/risk-validation.md: what a change did to every figure.

Reads the two summary tables (detection per planted risk and seed; false alarms per family and seed) of the page
at a git revision and of the page in the working tree, and prints a markdown table of the cells that differ plus
per-group totals (members alerted within 7 days, seeds meeting each target). Used when a change outside the radar
(the ladder's core list, the text layer) moves the replays, so the page can say exactly what moved.

Example:
    .venv/bin/python scripts/compare_risk_pages.py --old-rev 1b7b346
"""
from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = "docs/risk-validation.md"
_SEED = re.compile(r"seed (\d+) \(([^)]*)\)")
_MEMBERS = re.compile(r"(\d+)/(\d+)(?:, median ([\d.-]+) d)?; (\d+) in 7 d")  # no median when none was detected


def summary_tables(text: str) -> tuple[dict, dict]:
    """({planted risk: {seed: cell}}, {family: {seed: cell}}) from the page's ``### Summary`` section, plus each
    seed's group under the key ``"_groups"`` of the first."""
    section = text.split("### Summary", 1)[1].split("\n### ", 1)[0]
    tables, current = [], None
    for line in section.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if current is None:
                current = {"header": cells, "rows": []}
                tables.append(current)
            elif not set("".join(cells)) <= set("-: "):
                current["rows"].append(cells)
        else:
            current = None
    out = []
    for t in tables[:2]:
        seeds = [(_SEED.match(h).group(1), _SEED.match(h).group(2)) if _SEED.match(h) else None for h in t["header"]]
        rows = {r[0]: {s[0]: r[i] for i, s in enumerate(seeds) if s} for r in t["rows"]}
        rows["_groups"] = {s[0]: s[1] for s in seeds if s}
        out.append(rows)
    return out[0], out[1]


def member_totals(row: dict[str, str], groups: dict[str, str]) -> dict[str, list[int]]:
    """Per seed group: [alerted, planted, within 7 d] summed over a per-member row (burnout, turning negative)."""
    totals: dict[str, list[int]] = {}
    for seed, cell in row.items():
        m = _MEMBERS.search(cell)
        if m:
            t = totals.setdefault(groups.get(seed, "other"), [0, 0, 0])
            t[0] += int(m.group(1))
            t[1] += int(m.group(2))
            t[2] += int(m.group(4))
    return totals


def compare(old: str, new: str) -> str:
    (od, of), (nd, nf) = summary_tables(old), summary_tables(new)
    groups = nd["_groups"]
    lines = ["| table | row | seed | before | after |", "|---|---|---|---|---|"]
    changed = 0
    for name, o, n in (("detection", od, nd), ("false alarms", of, nf)):
        for row in n:
            if row.startswith("_"):
                continue
            for seed, cell in n[row].items():
                before = o.get(row, {}).get(seed, "—")
                if before != cell:
                    changed += 1
                    lines.append(f"| {name} | {row} | {seed} ({groups.get(seed, '?')}) | {before} | {cell} |")
    out = [f"{changed} cells differ.", "", *lines, ""]
    for row in ("burning-out core", "core member turning negative"):
        if row in nd:
            ot, nt = member_totals(od.get(row, {}), od["_groups"]), member_totals(nd[row], groups)
            zero = [0, 0, 0]
            parts = [f"{g}: alerted {ot.get(g, zero)[0]}/{ot.get(g, zero)[1]} → {nt.get(g, zero)[0]}/{nt.get(g, zero)[1]}, "
                     f"within 7 d {ot.get(g, zero)[2]} → {nt.get(g, zero)[2]}" for g in dict.fromkeys([*nt, *ot])]
            out.append(f"- {row}: " + "; ".join(parts))
    for fam in (f for f in nf if not f.startswith("_")):
        met = lambda rows: sum("(met)" in c for c in rows.get(fam, {}).values())  # noqa: E731
        out.append(f"- false alarms, {fam}: seeds meeting the target {met(of)} → {met(nf)}")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old-rev", required=True, help="git revision of the page before the change")
    ap.add_argument("--new", default=str(ROOT / PAGE), help="the page after the change (default: the working tree's)")
    args = ap.parse_args()
    old = subprocess.run(["git", "show", f"{args.old_rev}:{PAGE}"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    print(compare(old, Path(args.new).read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
