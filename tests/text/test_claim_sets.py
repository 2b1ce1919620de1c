"""The blind claim sets: 300 real sentences each, labelled before the extractor ran on them, measured once.

Drawn by ``scripts/select_claim_sentences.py --fresh --seed N`` (400, 500, ..., 1200), each excluding every earlier set;
conventions, counts, rounds and figures in docs/text-claims.md. A set is measured once with frozen rules and then
becomes development for the next round, so its floors below are either the issue's targets (development sets the
rules were written against) or a little under its one blind measurement (the latest set, where the targets are
missed). Either way the floors can fail: they hold the extractor where it was measured.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from reef.text.claims import CLAIM_ATTRIBUTES
from reef.text.evaluate import claim_scores

FIXTURES = Path(__file__).parent / "fixtures"
ORIGINAL = ("claims.jsonl", "claims_holdout.jsonl", "claims_300.jsonl")
BLIND = ("claims_fresh_300.jsonl", "claims_test_300.jsonl", "claims_check_300.jsonl", "claims_final_300.jsonl",
         "claims_confirm_300.jsonl", "claims_round5a_300.jsonl", "claims_round5b_300.jsonl",
         "claims_round6a_300.jsonl", "claims_round6b_300.jsonl")  # in drawing order
PREFIX = {"claims_fresh_300.jsonl": "f", "claims_test_300.jsonl": "t", "claims_check_300.jsonl": "c",
          "claims_final_300.jsonl": "n",
          "claims_confirm_300.jsonl": "k", "claims_round5a_300.jsonl": "g", "claims_round5b_300.jsonl": "h",
          "claims_round6a_300.jsonl": "i", "claims_round6b_300.jsonl": "j"}
CANONICAL_UNITS = {"range": {"km"}, "acceleration_0_100": {"s"}, "charging_time": {"min"},
                   "charging_power": {"kW"}, "consumption_fuel": {"L/100km"},
                   "consumption_electric": {"kWh/100km"}, "price": {"万元"}, "battery_capacity": {"kWh"},
                   "warranty": {"年", "万公里"}}
# (precision, recall) floors: overall, ccf, simulator. Comments give the measured figures.
FLOORS = {
    # Blind (round-1 rules) 0.924 / 0.676; after round 2, written against it: 1.0 / 0.972 (ccf 1.0 / 0.962).
    "claims_fresh_300.jsonl": ((0.95, 0.90), (0.95, 0.90), (0.97, 0.93)),
    # Blind (round-2 rules) 0.9495 / 0.770; after round 3, written against it: 1.0 / 0.943 (ccf 1.0 / 0.921).
    "claims_test_300.jsonl": ((0.95, 0.90), (0.95, 0.90), (0.97, 0.95)),
    # Blind (round-3 rules): 0.931 / 0.819 (ccf 0.900 / 0.750, simulator 1.0 / 1.0); after round 4, written against
    # it: 1.0 / 0.974 (ccf 1.0 / 0.964, simulator 1.0 / 1.0).
    "claims_check_300.jsonl": ((0.95, 0.90), (0.95, 0.90), (0.97, 0.95)),
    # Blind (round-4 rules): 0.9505 / 0.906 (ccf 0.932 / 0.872, simulator 1.0 / 1.0); after round 5, written
    # against it: 1.0 / 0.953 (ccf 1.0 / 0.936, simulator 1.0 / 1.0).
    "claims_final_300.jsonl": ((0.95, 0.90), (0.95, 0.90), (0.97, 0.95)),
    # Blind, the same round-4 rules measured once more: 0.922 / 0.922 (ccf 0.881 / 0.881, simulator 1.0 / 1.0);
    # pooled with claims_final_300, 0.936 / 0.914. After round 5, written against it: 1.0 / 1.0.
    "claims_confirm_300.jsonl": ((0.95, 0.90), (0.95, 0.90), (0.97, 0.95)),
    # Blind (round-5 rules, the latest): 0.947 / 0.841 (ccf 0.922 / 0.776, simulator 1.0 / 1.0). Pooled with
    # claims_round5b_300, 0.931 / 0.862: both targets missed, so the floors sit a little under the measurement.
    "claims_round5a_300.jsonl": ((0.93, 0.82), (0.90, 0.75), (0.97, 0.95)),
    # Blind (round-5 rules): 0.914 / 0.885 (ccf 0.886 / 0.849, simulator 1.0 / 1.0).
    "claims_round5b_300.jsonl": ((0.89, 0.86), (0.86, 0.82), (0.97, 0.95)),
    # Blind (round-5 rules, unchanged in round 6, the latest): 0.904 / 0.794 (ccf 0.859 / 0.714, simulator 1.0 / 1.0).
    # Pooled with claims_round6b_300, 0.933 / 0.841: both targets missed, so the floors sit a little under.
    "claims_round6a_300.jsonl": ((0.89, 0.78), (0.84, 0.70), (0.97, 0.95)),
    # Blind (round-5 rules): 0.960 / 0.888 (ccf 0.946 / 0.854, simulator 1.0 / 1.0).
    "claims_round6b_300.jsonl": ((0.94, 0.87), (0.93, 0.83), (0.97, 0.95)),
}


def _rows(name: str) -> list[dict]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name", BLIND)
def test_each_set_is_300_sentences_200_ccf_and_100_simulator(name):
    rows = _rows(name)
    assert len(rows) == 300 and len({r["id"] for r in rows}) == 300 and len({r["text"] for r in rows}) == 300
    assert Counter(r["source"] for r in rows) == {"ccf": 200, "simulator": 100}
    prefix = PREFIX[name]
    assert all(r["id"].startswith(f"{prefix}ccf-" if r["source"] == "ccf" else f"{prefix}sim-") for r in rows)
    assert all({"id", "source", "text", "claims"} <= set(r) <= {"id", "source", "text", "claims", "note"} for r in rows)


@pytest.mark.parametrize("name", BLIND)
def test_labels_use_the_claim_attributes_and_canonical_units(name):
    assert set(CANONICAL_UNITS) == set(CLAIM_ATTRIBUTES)
    rows = _rows(name)
    gold = [c for r in rows for c in r["claims"]]
    assert len(gold) >= 80 and all(set(c) == {"attribute", "value", "unit"} for c in gold)
    assert all(c["unit"] in CANONICAL_UNITS.get(c["attribute"], ()) for c in gold)
    assert all(isinstance(c["value"], (int, float)) and not isinstance(c["value"], bool) and c["value"] > 0
               for c in gold)
    assert {r["source"] for r in rows if r["claims"]} == {"ccf", "simulator"}
    assert sum(not r["claims"] for r in rows) >= 150  # numbers with units that are not claims: the hard part


@pytest.mark.parametrize("name", BLIND)
def test_no_sentence_is_shared_with_an_earlier_set(name):
    earlier = ORIGINAL + BLIND[:BLIND.index(name)]
    seen = {r["text"].strip(" ，,") for other in earlier for r in _rows(other)}
    assert not seen & {r["text"].strip(" ，,") for r in _rows(name)}


@pytest.mark.parametrize("name", BLIND)
def test_the_extractor_stays_at_its_measured_level(name):
    rows = _rows(name)
    parts = (rows, [r for r in rows if r["source"] == "ccf"], [r for r in rows if r["source"] == "simulator"])
    for part, (precision, recall) in zip(parts, FLOORS[name]):
        scores = claim_scores(part)
        assert scores["precision"] >= precision and scores["recall"] >= recall, scores["errors"]


@pytest.mark.parametrize("name", ("claims_round6a_300.jsonl", "claims_round6b_300.jsonl"))
def test_second_labelling_pairs_with_the_gold_and_uses_canonical_units(name):
    # scripts/claim_agreement.py scores this labelling against the gold; it must hold the same sentences.
    second = _rows(f"agreement/{name.replace('.jsonl', '.second.jsonl')}")
    gold = _rows(name)
    assert [(r["id"], r["text"]) for r in second] == [(r["id"], r["text"]) for r in gold]
    claims = [c for r in second for c in r["claims"]]
    assert claims and all(c["unit"] in CANONICAL_UNITS.get(c["attribute"], ()) for c in claims)
