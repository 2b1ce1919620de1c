"""Intent measurement: the scoring, the labeller agreement, and the real-text gold set (real parts skip without data)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reef.text.datasets import _weibo_text
from reef.text.intent_scores import MIN_SUPPORT, intent_scores, labeller_agreement
from reef.text.intents import INTENTS
from tests.conftest import shared_data

FIXTURE = Path(__file__).parent / "fixtures" / "intents_300.jsonl"
ROOT = Path(__file__).resolve().parents[2]


def _rows():
    return [json.loads(x) for x in FIXTURE.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_scores_count_each_intent_on_its_own():
    rows = [{"key": "a", "intents": ["question", "thanks"]}, {"key": "b", "intents": ["complaint"]},
            {"key": "c", "intents": []}]
    pred = {"a": ["question"], "b": ["complaint", "personal_attack"], "c": ["question"]}
    s = intent_scores(rows, pred)
    q = s["per_intent"]["question"]
    assert (q["precision"], q["recall"], q["gold"], q["predicted"]) == (0.5, 1.0, 1, 2)
    assert s["per_intent"]["thanks"]["recall"] == 0.0
    assert s["micro"]["precision"] == round(2 / 4, 4) and s["micro"]["recall"] == round(2 / 3, 4)
    assert s["exact_match"] == 0.0
    # no intent reaches the support floor on three texts, so no macro figure is claimed
    assert s["macro_f1_supported"] is None and s["intents_with_support"] == 0


def test_macro_covers_only_intents_with_enough_gold_texts():
    rows = [{"key": str(i), "intents": ["question"] if i < MIN_SUPPORT else ["meetup"] if i == MIN_SUPPORT else []}
            for i in range(MIN_SUPPORT + 5)]
    pred = {r["key"]: r["intents"] for r in rows}
    pred[str(MIN_SUPPORT)] = []  # the one meetup text is missed, but meetup has too few texts to count
    s = intent_scores(rows, pred)
    assert s["macro_f1_supported"] == 1.0 and s["intents_with_support"] == 1
    assert s["per_intent"]["meetup"]["recall"] == 0.0


def test_agreement_is_kappa_per_intent():
    first = [{"key": str(i), "intents": ["question"] if i % 2 else []} for i in range(10)]
    assert labeller_agreement(first, first)["kappa"]["question"] == 1.0
    flipped = [{"key": r["key"], "intents": [] if r["intents"] else ["question"]} for r in first]
    a = labeller_agreement(first, flipped)
    assert a["kappa"]["question"] == -1.0 and a["identical_label_sets"] == 0.0
    assert a["kappa"]["thanks"] is None  # neither labeller used it


def test_weibo_repost_chain_is_cut_off():
    assert _weibo_text("真的假的？求出处//@某人: 转发一下//@另一人: 原话") == "真的假的？求出处"
    assert _weibo_text("  没有转发链  ") == "没有转发链"
    assert _weibo_text("//@某人: 只有转发") == ""


def test_gold_set_is_well_formed():
    rows = _rows()
    assert len(rows) == 300 and len({r["key"] for r in rows}) == 300
    assert all(set(r["intents"]) <= set(INTENTS) for r in rows)
    for source in ("ccf", "weibo"):
        parts = [r["part"] for r in rows if r["source"] == source]
        assert parts.count("dev") == 75 and parts.count("held_out") == 75
    assert all(r["key"].startswith(r["source"] + ":") for r in rows)
    assert "text" not in rows[0]  # texts stay in ../shared/data


@pytest.mark.realdata
def test_gold_set_is_the_seeded_draw_and_every_text_resolves():
    data = shared_data("weibo-ced").parent
    shared_data("ccf-car-aspects")
    sys.path.insert(0, str(ROOT / "scripts"))
    from select_intent_texts import draw

    drawn = draw(data)
    rows = _rows()
    assert [(r["key"], r["source"], r["part"]) for r in drawn] == [(r["key"], r["source"], r["part"]) for r in rows]
    assert all(8 <= len(r["text"]) <= 200 for r in drawn)


@pytest.mark.realdata
def test_intent_set_figures_add_up():
    from reef.text.intent_scores import evaluate_intent_set

    data = shared_data("weibo-ced").parent
    shared_data("ccf-car-aspects")
    out = evaluate_intent_set(FIXTURE, data)
    assert out["texts"] == 300
    assert out["source_ccf"]["texts"] + out["source_weibo"]["texts"] == 300
    assert out["part_dev"]["texts"] == out["part_held_out"]["texts"] == 150
    gold = sum(len(r["intents"]) for r in _rows())
    assert sum(v["gold"] for v in out["per_intent"].values()) == out["micro"]["gold"] == gold
    assert 0.0 <= out["micro"]["precision"] <= 1.0 and out["labeller_agreement"]["texts"] == 300


def test_simulator_truth_uses_the_product_intent_names():
    from reef.text.intent_scores import simulator_intents

    items = simulator_intents(7, limit=300)
    assert len(items) == 300
    names = {i for _, truth in items for i in truth}
    assert names <= set(INTENTS)  # "rumour_clarification" is renamed
    assert {"question", "answer", "experience"} <= names
