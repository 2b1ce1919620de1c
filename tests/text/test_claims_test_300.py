"""The claim test set: 300 real sentences labelled blind, measured once after the extractor was frozen.

Drawn by ``scripts/select_claim_sentences.py --fresh --seed 500``; conventions, counts and figures in docs/text.md
("Claims: test set (claims_test_300)"). Shape checks, and the extractor held at the level it reached in
its one measurement (floors, not the targets, which it misses).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from reef.text.claims import CLAIM_ATTRIBUTES

FIXTURES = Path(__file__).parent / "fixtures"
DEVELOPMENT = ("claims.jsonl", "claims_holdout.jsonl", "claims_300.jsonl", "claims_fresh_300.jsonl")
CANONICAL_UNITS = {"range": {"km"}, "acceleration_0_100": {"s"}, "charging_time": {"min"},
                   "charging_power": {"kW"}, "consumption_fuel": {"L/100km"},
                   "consumption_electric": {"kWh/100km"}, "price": {"万元"}, "battery_capacity": {"kWh"},
                   "warranty": {"年", "万公里"}}


def _rows(name: str) -> list[dict]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


ROWS = _rows("claims_test_300.jsonl")


def test_the_set_is_300_sentences_200_ccf_and_100_simulator():
    assert len(ROWS) == 300 and len({r["id"] for r in ROWS}) == 300 and len({r["text"] for r in ROWS}) == 300
    sources = Counter(r["source"] for r in ROWS)
    assert sources == {"ccf": 200, "simulator": 100}
    assert all(r["id"].startswith("tccf-" if r["source"] == "ccf" else "tsim-") for r in ROWS)


def test_labels_use_the_claim_attributes_and_canonical_units():
    assert set(CANONICAL_UNITS) == set(CLAIM_ATTRIBUTES)
    gold = [c for r in ROWS for c in r["claims"]]
    assert gold and all(set(c) == {"attribute", "value", "unit"} for c in gold)
    assert all(c["attribute"] in CLAIM_ATTRIBUTES and c["unit"] in CANONICAL_UNITS[c["attribute"]] for c in gold)
    assert all(isinstance(c["value"], (int, float)) and c["value"] > 0 for c in gold)
    assert {r["source"] for r in ROWS if r["claims"]} == {"ccf", "simulator"}


def test_most_sentences_are_look_alikes_without_a_claim():
    assert sum(not r["claims"] for r in ROWS) >= 150


def test_no_sentence_is_shared_with_the_development_fixtures():
    development = {r["text"].strip(" ，,") for name in DEVELOPMENT for r in _rows(name)}
    assert not development & {r["text"].strip(" ，,") for r in ROWS}


def test_the_extractor_on_the_test_set_stays_at_its_measured_level():
    # Measured once, after the round-2 rules were frozen (docs/text.md): precision 0.9495, recall 0.770
    # (CCF 0.924 / 0.685, simulator 1.0 / 1.0). Both issue targets are missed here, so these are regression
    # floors a little under the measurement, not the targets.
    from reef.text.evaluate import claim_scores

    overall = claim_scores(ROWS)
    assert overall["precision"] >= 0.93 and overall["recall"] >= 0.75, overall["errors"]
    simulator = claim_scores([r for r in ROWS if r["source"] == "simulator"])
    assert simulator["precision"] >= 0.97 and simulator["recall"] >= 0.95, simulator["errors"]
