"""The claims each blind claim set got from the rule version that was blind to it (a cache for claim_tagger_cv.py).

Not product code. Each blind 300-set was added to the repository in the commit that froze the rules it was measured
with, so ``git archive <commit> reef`` gives that rule version. For every (set, commit) below this script extracts the
old package into a temporary folder and runs that version's ``reef.text.claims.extract_claims`` in a subprocess
(same venv python, ``PYTHONPATH`` = the folder, checked by ``reef.__file__``) on every sentence, after normalising the
text with the *current* ``reef.text.normalize.normalize_texts`` (as ``claim_scores`` does today), so the offsets
match the current candidate generator. Round 5's sets are read by the working tree's rules (the round-5 rules).

It writes a cache JSON (outside the repository; ``--out``, default /tmp/claim_blind_rules.json) with the
per-sentence claims (attribute, value, value_max, unit, start, end) and prints the blind figures they imply next to
the documented ones (docs/text-claims.md). claims_fresh_300 was measured on raw text in round 1 (the measurement fix
came in round 2), so for it the raw-text figure is printed too.

Usage:
    .venv/bin/python scripts/claim_blind_rule_claims.py [--out /tmp/claim_blind_rules.json]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "text" / "fixtures"
DEFAULT_OUT = Path("/tmp/claim_blind_rules.json")
# (set, commit whose reef/ holds the rules the set was measured with, documented blind P, R (normalised text)).
BLIND = (
    ("claims_fresh_300", "61ddc98", 0.926, 0.694),   # round 1; raw text in round 1: 0.924 / 0.676
    ("claims_test_300", "4c14535", 0.9495, 0.770),   # round 2
    ("claims_check_300", "645c57d", 0.931, 0.819),   # round 3
    ("claims_final_300", "7b7841f", 0.9505, 0.906),  # round 4
    ("claims_confirm_300", "e812a7c", 0.922, 0.922),  # round 4, unchanged
    ("claims_round5a_300", "WORKTREE", 0.947, 0.841),  # round 5
    ("claims_round5b_300", "WORKTREE", 0.914, 0.885),
)
# Round 6's pair, measured once with the rules unchanged since round 5 (claim_tagger_cv.py --with-round6 adds them).
ROUND6 = (
    ("claims_round6a_300", "WORKTREE", 0.904, 0.794),
    ("claims_round6b_300", "WORKTREE", 0.960, 0.888),
)
RAW_DOC = {"claims_fresh_300": (0.924, 0.676)}

# Run inside the old package: read a JSON list of texts on stdin, print reef's location and each text's claims.
_WORKER = r"""
import json, sys
import reef
from reef.text.claims import extract_claims
texts = json.load(sys.stdin)
out = []
for t in texts:
    out.append([{k: c.get(k) for k in ("attribute", "value", "value_max", "unit", "start", "end")}
                for c in (extract_claims(t) if t is not None else [])])
json.dump({"reef": reef.__file__, "claims": out}, sys.stdout, ensure_ascii=False)
"""


def load(name: str) -> list[dict]:
    return [json.loads(x) for x in (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


def run_version(package_root: Path, texts: list[str | None]) -> list[list[dict]]:
    """``extract_claims`` of the package under ``package_root`` on each text (None = not live: no claims)."""
    proc = subprocess.run([sys.executable, "-c", _WORKER], input=json.dumps(texts, ensure_ascii=False),
                          capture_output=True, text=True, cwd=package_root,
                          env={"PYTHONPATH": str(package_root), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"})
    if proc.returncode:
        raise RuntimeError(f"rule version at {package_root} failed:\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout)
    where = Path(res["reef"]).resolve()
    if package_root.resolve() not in where.parents:
        raise RuntimeError(f"expected reef from {package_root}, got {where}")
    return res["claims"]


def text_hash(texts: list[str]) -> str:
    return hashlib.sha256("\n\x00".join(texts).encode()).hexdigest()[:16]


def build(out: Path, sets: tuple = BLIND) -> dict:
    """Extract every blind set's claims with its blind rule version and write the cache."""
    from reef.text.normalize import normalize_texts

    cache: dict = {"sets": {}}
    with tempfile.TemporaryDirectory(prefix="claim_blind_rules_") as tmp:
        for name, commit, _, _ in sets:
            rows = load(name)
            normed = normalize_texts([r["text"] for r in rows])
            live = ["empty" not in n["flags"] and "no_words" not in n["flags"] for n in normed]
            texts = [n["text"] for n in normed]
            if commit == "WORKTREE":
                root = REPO
            else:
                root = Path(tmp) / commit
                if not root.exists():
                    root.mkdir()
                    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "reef"],
                                             capture_output=True, check=True).stdout
                    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
            claims = run_version(root, [t if ok else None for t, ok in zip(texts, live)])
            entry = {"commit": commit, "text_hash": text_hash(texts), "ids": [r["id"] for r in rows],
                     "claims": claims}
            if name in RAW_DOC:  # the round-1 measurement read raw text
                entry["claims_raw"] = run_version(root, [r["text"] for r in rows])
            cache["sets"][name] = entry
    out.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    return cache


def figures(rows: list[dict], claims: list[list[dict]], source: str | None = None) -> tuple[float, float, int]:
    from reef.text.evaluate import claim_key, prf

    pairs = [({claim_key(c) for c in r["claims"]}, {claim_key(c) for c in cl})
             for r, cl in zip(rows, claims) if source is None or r.get("source") == source]
    return prf(pairs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="cache JSON (keep it outside the repository)")
    args = ap.parse_args()
    t0, c0 = time.time(), time.process_time()
    cache = build(args.out)
    print(f"wrote {args.out}\n")
    head = f"{'set':<20}{'rules':>10}{'P':>8}{'R':>7}{'gold':>6}{'doc P':>8}{'doc R':>7}   CCF P/R      sim P/R"
    print(head)
    print("-" * len(head))
    for name, commit, dp, dr in BLIND:
        rows, entry = load(name), cache["sets"][name]
        p, r, n = figures(rows, entry["claims"])
        cp, cr, _ = figures(rows, entry["claims"], "ccf")
        sp_, sr, _ = figures(rows, entry["claims"], "simulator")
        print(f"{name:<20}{commit:>10}{p:>8.4f}{r:>7.3f}{n:>6}{dp:>8.4f}{dr:>7.3f}   {cp:.3f}/{cr:.3f}  "
              f"{sp_:.3f}/{sr:.3f}")
        if "claims_raw" in entry:
            p, r, n = figures(rows, entry["claims_raw"])
            cp, cr, _ = figures(rows, entry["claims_raw"], "ccf")
            sp_, sr, _ = figures(rows, entry["claims_raw"], "simulator")
            rp, rr = RAW_DOC[name]
            print(f"{'  (raw text)':<20}{'':>10}{p:>8.4f}{r:>7.3f}{n:>6}{rp:>8.4f}{rr:>7.3f}   {cp:.3f}/{cr:.3f}  "
                  f"{sp_:.3f}/{sr:.3f}")
    print(f"\nwall {time.time() - t0:.1f}s, cpu (this process) {time.process_time() - c0:.1f}s (shared machine)")


if __name__ == "__main__":
    main()
