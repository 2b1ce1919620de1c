"""docs/text-quality.md (``reef text eval``'s page, :func:`reef.text.evaluate.render_quality`) writes a group of
figures as readable markdown: one line of named figures (an intent reader's ``micro``), a table when groups with the
same figures follow each other (per source, per part; the simulator's two readers), never Python's dict syntax."""
from __future__ import annotations

import re
from pathlib import Path

from reef.text.evaluate import render_quality

SOURCE = {"texts": 150, "precision": 0.6, "recall": 0.193, "f1": 0.292, "gold": 171, "predicted": 55}
RESULTS = {
    "model_version": "reef-text-1",
    "intents_real_300": {
        "texts": 300, "micro": {"precision": 0.4946, "recall": 0.2026, "f1": 0.2875, "gold": 227, "predicted": 93},
        "per_intent": {"question": {"precision": 0.4182, "recall": 0.7667}},
        "source_ccf": SOURCE, "source_weibo": {**SOURCE, "texts": 149, "precision": 0.3421},
        "part_dev": {**SOURCE, "gold": 112},
        "labeller_agreement": {"texts": 300, "identical_label_sets": 0.8867, "kappa": {"question": 0.924}},
    },
    "intents_simulator": {"seed": 2614, "cues": {"precision": 0.6455, "gold": 785}, "learned": {"precision": 0.7202, "gold": 785}},
}


def test_groups_of_figures_are_lines_and_tables_not_dicts():
    page = render_quality(RESULTS)
    assert "{" not in page and "'precision'" not in page, page
    assert "- micro: precision 0.4946, recall 0.2026, f1 0.2875, gold 227, predicted 93" in page
    assert "| | texts | precision | recall | f1 | gold | predicted |" in page
    for row in ("| source_ccf | 150 | 0.6 | 0.193 | 0.292 | 171 | 55 |", "| source_weibo | 149 | 0.3421 | 0.193 | 0.292 | 171 | 55 |",
                "| part_dev | 150 | 0.6 | 0.193 | 0.292 | 112 | 55 |"):
        assert row in page
    assert "| cues | 0.6455 | 785 |" in page and "| learned | 0.7202 | 785 |" in page
    assert "- labeller_agreement: texts 300, identical_label_sets 0.8867; Cohen's kappa per intent: question 0.924" in page


def test_the_generated_page_has_no_python_dicts():
    page = (Path(__file__).resolve().parents[2] / "docs" / "text-quality.md").read_text(encoding="utf-8")
    assert not re.search(r"\{'\w+': ", page), "regenerate it: reef text eval"


def test_claim_disagreements_are_words_not_python_lists():
    results = {"claims_300": {"cases": 2, "precision": 0.5, "errors": [
        {"text": "9万8", "missed": [("price", 9.8, "万元")], "extra": []},
        {"text": "快充10-8022分钟", "missed": [("charging_time", 22.0, "min")],
         "extra": [("charging_time", 10.0, "min"), ("range", 520.0, "km")]}]}}
    page = render_quality(results)
    assert "  - `9万8` missed price 9.8 万元, extra —" in page, page
    assert "  - `快充10-8022分钟` missed charging_time 22 min, extra charging_time 10 min; range 520 km" in page, page


def test_the_generated_page_has_no_python_lists_of_claims():
    page = (Path(__file__).resolve().parents[2] / "docs" / "text-quality.md").read_text(encoding="utf-8")
    assert not re.search(r"\[\('\w+', ", page), "regenerate it: reef text eval"
