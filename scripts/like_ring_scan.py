"""Like-ring flags on many simulated communities: planted ring members found, and ordinary members flagged.

Reads the stores that ``scripts/validate_risks.py`` simulated and enriched (``--work``, one planted and one clean
store per seed, each with its ladder already run by the replay) and recomputes the ladder's like weights and flags
(``reef.ladder.items.build_likes``, nothing written) at the ladder's as_of for each ``ring_min_mutual`` asked. A
planted ring member is one of ``truth_scenarios``' ``like_ring`` members; every other flag is a false one (on the clean
control, whose run plants no ring, every flag is).

Protocol, written after the default's flags had been counted and before any other value was run: the
development seeds (11, 16-23) choose; the other seeds are reported beside them and choose nothing. A value other
than the default 1 would be proposed only if, on the development seeds, it removes at least half of the false flags
while missing at most one more planted member. Changing the default also changes the likes every stage is judged
on, so it would need the ladder and risk validations re-run before adoption.

    .venv/bin/python scripts/like_ring_scan.py --work /tmp/rv17/work [--mutual 1 2 3] [--doc]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from doc_sections import replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ladder-validation.md"
DEV = {11, 16, 17, 18, 19, 20, 21, 22, 23}


def scan(db: Path, mutuals: list[int]) -> dict[int, dict]:
    """{ring_min_mutual: {"flagged", "hits", "planted"}} for one store."""
    from reef.config import load_config
    from reef.ladder.items import build_likes, drop_temp_tables
    from reef.ladder.params import LadderParams
    from reef.store import open_store

    store = open_store(db, read_only=False)
    try:
        as_of = store.fetch_value("SELECT max(as_of) FROM ladder_members")
        row = store.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = 'like_ring'")
        planted = set(json.loads(row)["members"]) if row else set()
        out = {}
        for m in mutuals:
            p = LadderParams.from_config(load_config().with_overrides({"ladder.ring_min_mutual": m}))
            build_likes(store, as_of, p, write_flags=False)
            flagged = {r[0] for r in store.fetch_all("SELECT DISTINCT member_id FROM _lad_flags WHERE flag = 'like_ring'")}
            out[m] = {"flagged": len(flagged), "hits": len(flagged & planted), "planted": len(planted)}
            drop_temp_tables(store)
        return out
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", required=True, help="folder of validate_risks.py's simulated stores")
    ap.add_argument("--mutual", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--doc", action="store_true", help="write the 'rings' section of docs/ladder-validation.md")
    a = ap.parse_args()
    stores = sorted(Path(a.work).glob("sim-*-*-*-*.duckdb"))
    rows = []
    for db in stores:
        seed, run = re.match(r"sim-\d+-\d+-(\d+)-(planted|control)\.duckdb", db.name).groups()
        for m, r in scan(db, a.mutual).items():
            rows.append({"seed": int(seed), "run": run, "mutual": m, **r})
            print(db.name, m, r, flush=True)
    lines = ["## Like rings across the risk-validation communities (`scripts/like_ring_scan.py`)", "",
             f"{len(stores)} stores simulated by `scripts/validate_risks.py` (1,500 members, 180 days; planted and clean run "
             "per seed), flags recomputed at each store's ladder as_of. *False flags* = flagged members who are not planted "
             "ring members (every flag on a clean control). Development seeds choose; the rest are reported beside them.", "",
             "| ring_min_mutual | seeds | planted ring members flagged | false flags, planted runs | false flags, clean controls | controls with a false flag |",
             "|---|---|---|---|---|---|"]
    for m in a.mutual:
        for label, keep in (("development", lambda s: s in DEV), ("other", lambda s: s not in DEV)):
            sel = [r for r in rows if r["mutual"] == m and keep(r["seed"])]
            pl = [r for r in sel if r["run"] == "planted"]
            ct = [r for r in sel if r["run"] == "control"]
            lines.append(f"| {m}{' (default)' if m == 1 else ''} | {label} ({len(pl)}) | {sum(r['hits'] for r in pl)} / {sum(r['planted'] for r in pl)} | "
                         f"{sum(r['flagged'] - r['hits'] for r in pl)} | {sum(r['flagged'] for r in ct)} | "
                         f"{sum(1 for r in ct if r['flagged'])} of {len(ct)} |")
    def dev_totals(m: int) -> tuple[int, int]:
        sel = [r for r in rows if r["mutual"] == m and r["seed"] in DEV]
        return (sum(r["hits"] for r in sel if r["run"] == "planted"),
                sum(r["flagged"] - r["hits"] for r in sel if r["run"] == "planted") + sum(r["flagged"] for r in sel if r["run"] == "control"))
    if 1 in a.mutual:
        hits1, false1 = dev_totals(1)
        lines.append("")
        for m in (x for x in a.mutual if x != 1):
            hits, false = dev_totals(m)
            ok = false <= false1 / 2 and hits >= hits1 - 1
            lines.append(f"- `ring_min_mutual = {m}` on the development seeds: false flags {false1} → {false}, planted members "
                         f"found {hits1} → {hits}: {'meets' if ok else 'fails'} the rule written before any value other than 1 was run (at least half "
                         f"the false flags gone, at most one more planted member missed); "
                         f"{'a candidate, pending the ladder and risk validations' if ok else 'not proposed'}.")
    text = "\n".join(lines)
    print(text)
    if a.doc:
        replace_section(DOC, "rings", text)


if __name__ == "__main__":
    main()
