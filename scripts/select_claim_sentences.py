"""Select the 300 sentences of tests/text/fixtures/claims_300.jsonl (labels are added by hand).

200 sentences from the CCF posts (../shared/data/ccf-car-aspects) and 100 from simulator text
(seed 300; 40 of them from posts the simulator wrote with a spec claim), each containing a number followed by a car unit (km, 秒, 分钟, kW, L/个, 度/kWh,
万/元, 年 ...), drawn by a seeded shuffle. Prints a draft JSONL with the current extractor's
output as a *proposal*; every line was then read and its claims corrected by hand.
Usage: .venv/bin/python scripts/select_claim_sentences.py > /tmp/draft.jsonl

``--fresh`` draws the blind held-out set tests/text/fixtures/claims_fresh_300.jsonl instead: same
filter, new seeds (CCF shuffle 400, simulator seed 400, shuffles 401/402), every sentence of
claims_300.jsonl, claims.jsonl and claims_holdout.jsonl excluded, ids fccf-000.. / fsim-000..,
and *no* claims proposal (empty lists), so the labels are written without seeing the extractor.
Usage: .venv/bin/python scripts/select_claim_sentences.py --fresh > /tmp/fresh.jsonl

``--fresh --seed S`` draws another blind set with CCF shuffle S, simulator seed S and simulator
shuffles S+1 / S+2, excluding every claim fixture drawn before it (see FRESH_DRAWS). Seed 500 is the
test set tests/text/fixtures/claims_test_300.jsonl (ids tccf-000.. / tsim-000..):
Usage: .venv/bin/python scripts/select_claim_sentences.py --fresh --seed 500 > /tmp/test.jsonl
Seed 600 is the check set tests/text/fixtures/claims_check_300.jsonl (ids cccf-000.. / csim-000..;
excludes all five earlier fixtures):
Usage: .venv/bin/python scripts/select_claim_sentences.py --fresh --seed 600 > /tmp/check.jsonl
Seed 700 is the final set tests/text/fixtures/claims_final_300.jsonl (ids nccf-000.. / nsim-000..;
excludes all six earlier fixtures):
Usage: .venv/bin/python scripts/select_claim_sentences.py --fresh --seed 700 > /tmp/final.jsonl
Seed 800 is the confirmation set tests/text/fixtures/claims_confirm_300.jsonl (ids kccf-000.. / ksim-000..;
excludes all seven earlier fixtures):
Usage: .venv/bin/python scripts/select_claim_sentences.py --fresh --seed 800 > /tmp/confirm.jsonl
Seeds 900 and 1000 are round 5's two blind sets tests/text/fixtures/claims_round5a_300.jsonl (ids gccf-000.. /
gsim-000..; excludes all eight earlier fixtures) and claims_round5b_300.jsonl (ids hccf-000.. / hsim-000..; also
excludes claims_round5a_300.jsonl, so draw 900 first and place it in tests/text/fixtures before drawing 1000).
Seeds 1100 and 1200 are round 6's blind sets claims_round6a_300.jsonl (ids iccf-000.. / isim-000..) and
claims_round6b_300.jsonl (ids jccf-000.. / jsim-000..), drawn the same way (1200 after 1100 is in the fixtures).
An unregistered seed needs ``--prefix P`` (ids Pccf-000.. / Psim-000..) and excludes every claim fixture.
The fresh path never imports or runs the extractor: the draft has empty claim lists.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

from reef.text.datasets import load_ccf
from reef.text.numerals import NUMBER_PATTERN as N

ROOT = Path(__file__).resolve().parents[1]
UNIT = re.compile(rf"(?:{N})\s*(?:公里|km|KM|千米|秒|分钟|min|小时|kW|KW|kw|千瓦|L|升|个油|kWh|度|万|元|块|年)|\d\s*个")
SPLIT = re.compile(r"[。！？!?；;\n]+")


def sentences(texts, lo=8, hi=90):
    seen = set()
    for t in texts:
        for s in SPLIT.split(t):
            s = s.strip(" ，,")
            if lo <= len(s) <= hi and UNIT.search(s) and not re.search(r"\d{4}年", s) and s not in seen:
                seen.add(s)
                yield s


def simulator_texts(seed: int = 300) -> tuple[list[str], list[str]]:
    from reef.store import open_store
    from reef.api import simulate_community

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "s.duckdb")
        simulate_community(store, members=1500, days=120, seed=seed)
        rows = store.fetch_all("SELECT concat_ws('。', c.title, c.body), t.claim IS NOT NULL FROM content c "
                               "LEFT JOIN truth_content t USING (content_id) ORDER BY c.content_id")
        store.close()
    return [r[0] for r in rows if r[1]], [r[0] for r in rows if not r[1]]


FIXTURES = ROOT / "tests" / "text" / "fixtures"
DEVELOPMENT = ("claims_300.jsonl", "claims.jsonl", "claims_holdout.jsonl")
# Registered blind draws, oldest first: seed -> (id prefix, fixture). Each draw excludes the development
# fixtures and the fixtures of every earlier draw, so re-running a seed reproduces its set.
FRESH_DRAWS = {400: ("f", "claims_fresh_300.jsonl"), 500: ("t", "claims_test_300.jsonl"),
               600: ("c", "claims_check_300.jsonl"), 700: ("n", "claims_final_300.jsonl"),
               800: ("k", "claims_confirm_300.jsonl"), 900: ("g", "claims_round5a_300.jsonl"),
               1000: ("h", "claims_round5b_300.jsonl"), 1100: ("i", "claims_round6a_300.jsonl"),
               1200: ("j", "claims_round6b_300.jsonl")}


def _excluded_fixtures(seed: int) -> tuple[str, ...]:
    earlier = [name for s, (_, name) in FRESH_DRAWS.items() if seed not in FRESH_DRAWS or s < seed]
    return DEVELOPMENT + tuple(earlier)


def _known_sentences(names=DEVELOPMENT) -> set[str]:
    known = set()
    for name in names:
        if not (FIXTURES / name).exists():
            raise SystemExit(f"{FIXTURES / name} is missing: it must be excluded from this draw")
        for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                known.add(json.loads(line)["text"].strip(" ，,"))
    return known


def fresh(seed: int = 400, prefix: str | None = None) -> int:
    """A blind draw: seeds from ``seed``, earlier sets excluded, no claims proposal."""
    if prefix is None:
        if seed not in FRESH_DRAWS:
            raise SystemExit(f"seed {seed} is not in FRESH_DRAWS: pass --prefix for its ids")
        prefix = FRESH_DRAWS[seed][0]
    known = _known_sentences(_excluded_fixtures(seed))
    posts = sorted(load_ccf(ROOT.parent / "shared" / "data" / "ccf-car-aspects"))
    ccf = sorted(set(sentences(posts)) - known)
    random.Random(seed).shuffle(ccf)
    with_claim, other = simulator_texts(seed=seed)
    sim_claim = sorted(set(sentences(with_claim)) - known)
    sim = sorted(set(sentences(other)) - set(sim_claim) - known)
    random.Random(seed + 1).shuffle(sim_claim)
    random.Random(seed + 2).shuffle(sim)
    for tag, source, picked in (("ccf", "ccf", ccf[:200]), ("sim", "simulator", sim_claim[:40] + sim[:60])):
        for i, s in enumerate(picked):
            row = {"id": f"{prefix}{tag}-{i:03d}", "source": source, "text": s, "claims": []}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="a blind draw without a claims proposal")
    parser.add_argument("--seed", type=int, default=400, help="seed of the blind draw (400, 500, ...)")
    parser.add_argument("--prefix", default=None, help="id prefix of an unregistered blind draw")
    args = parser.parse_args(argv)
    if args.fresh:
        return fresh(args.seed, args.prefix)
    from reef.text.claims import extract_claims  # only the development draft shows a proposal

    posts = sorted(load_ccf(ROOT.parent / "shared" / "data" / "ccf-car-aspects"))
    ccf = sorted(sentences(posts))
    random.Random(300).shuffle(ccf)
    with_claim, other = simulator_texts()
    # 40 sentences of posts the simulator wrote with a spec claim (rumours and corrections), 60 others.
    sim_claim = sorted(sentences(with_claim))
    sim = sorted(set(sentences(other)) - set(sim_claim))
    random.Random(301).shuffle(sim_claim)
    random.Random(302).shuffle(sim)
    for source, picked in (("ccf", ccf[:200]), ("simulator", sim_claim[:40] + sim[:60])):
        for s in picked:
            claims = [{"attribute": c["attribute"], "value": c["value"], "unit": c["unit"]} for c in extract_claims(s)]
            sys.stdout.write(json.dumps({"source": source, "text": s, "claims": claims}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
