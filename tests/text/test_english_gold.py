"""English sentiment measured on 200 hand-labelled Stack Exchange texts (docs/text.md, English text): Reef reads
every English item neutral, so its figures are the always-neutral baseline's; VADER's (rejected) only when the
package happens to be installed. Skipped without ../shared/data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, load_script

pytestmark = pytest.mark.realdata
ROOT = Path(__file__).resolve().parents[2]


def _script():
    return load_script("english_gold")


def test_keys_and_labels_are_well_formed():
    rows = [json.loads(line) for line in (ROOT / "tests/text/fixtures/english_sentiment_200.jsonl").read_text().splitlines()]
    assert len(rows) == len({r["key"] for r in rows}) == 200
    assert {r["label"] for r in rows} == {-1, 0, 1} and all(set(r) == {"key", "label"} for r in rows)  # keys only


def test_the_draw_is_the_seeded_uniform_one_and_the_figures_are_the_documented_ones():
    if not all((SHARED_DATA / site / "Posts.xml.gz").exists() for site in ("se-quantumcomputing", "se-bicycles-meta")):
        pytest.skip("../shared/data with the two Stack Exchange dumps is not available")
    gold = _script()
    texts = gold.all_texts(SHARED_DATA)
    rows = [json.loads(line) for line in gold.FIXTURE.read_text().splitlines()]
    assert gold.draw(texts, 200) == [r["key"] for r in rows]
    figures = gold.score(rows, texts)
    assert figures["english"] == 197 and figures["gold"] == {-1: 28, 0: 150, 1: 19}
    reef, neutral = figures["reef"], figures["always_neutral"]
    assert (neutral["macro_f1"], neutral["accuracy"]) == (0.2882, 0.7614)
    assert reef == neutral  # sentiment of English text is not read: every item neutral
    if figures["vader"] is not None:  # the rejected candidate, when vaderSentiment happens to be installed
        assert (figures["vader"]["macro_f1"], figures["vader"]["accuracy"]) == (0.3381, 0.3452)


def test_the_script_runs_without_vader_installed(monkeypatch):
    """vaderSentiment is no dependency of Reef: the script reports VADER as None without it."""
    import builtins

    real = builtins.__import__

    def no_vader(name, *args, **kwargs):
        if name.startswith("vaderSentiment"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_vader)
    gold = _script()
    assert gold.vader_labels(["Great answer, thanks!"]) is None
    assert gold.figures([-1, 0, 1, 0], [0, 0, 0, 0]) == {
        "macro_f1": 0.2222, "accuracy": 0.5,
        "confusion": {"-1->-1": 0, "-1->0": 1, "-1->1": 0, "0->-1": 0, "0->0": 2, "0->1": 0, "1->-1": 0, "1->0": 1, "1->1": 0}}
