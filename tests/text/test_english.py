"""English items: VADER reads their sentiment, Chinese rows stay as they were, and the surfaces of a store of mostly
non-Chinese text say what Reef cannot read there (reef.text.sentiment_en, reef.text.coverage)."""
from __future__ import annotations

import pytest

from reef.config import load_config
from reef.text import analyze
from reef.text.enrich import features_version
from reef.text.sentiment_en import vader_version

ZH = ["汉EV续航五百二十公里，车机很流畅，推荐！", "售后太差了，修了三次还没好，气死我了", "请问充电桩怎么装？"]
EN = ["Thanks, this is a great explanation!", "This is a terrible answer and it does not work.",
      "How do I measure a qubit in the X basis?"]


def test_english_items_get_vader_sentiment_with_the_compound_as_score():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    rows = analyze(EN).to_pylist()
    assert [r["language"] for r in rows] == ["en"] * 3
    # before VADER the Chinese models read all three neutral (scores about -0.05)
    assert [r["sentiment"] for r in rows] == [1, -1, 0]
    compound = [SentimentIntensityAnalyzer().polarity_scores(t)["compound"] for t in EN]
    assert [r["sentiment_score"] for r in rows] == pytest.approx(compound, abs=1e-6)
    assert rows[2]["sentiment_confidence"] == pytest.approx(1.0)  # no sentiment word: neutral, compound 0


def test_chinese_rows_are_the_same_with_or_without_english_items_and_settings():
    alone = analyze(ZH).to_pylist()
    mixed = analyze(EN[:1] + ZH + EN[1:]).to_pylist()[1:4]
    strict = load_config().with_overrides({"text": {"en_positive": 0.9, "en_negative": -0.9}})
    assert repr(mixed) == repr(alone) == repr(analyze(ZH, config=strict).to_pylist())


def test_thresholds_come_from_the_configuration():
    strict = load_config().with_overrides({"text": {"en_positive": 0.9, "en_negative": -0.9}})
    assert [r["sentiment"] for r in analyze(EN, config=strict).to_pylist()] == [0, 0, 0]


def test_english_items_get_no_chinese_aspects():
    # the 智能与车机 cue OTA matched inside "notation": 310 of 5,399 quantum computing posts named that aspect
    row = analyze(["The bra-ket notation is used in quantum computation."]).to_pylist()[0]
    assert row["language"] == "en" and row["aspects"] == []


def test_features_version_names_vader_and_its_thresholds():
    version = features_version()
    assert vader_version() == "vader-3.3.2" and "+vader-3.3.2+" in version
    changed = features_version(load_config().with_overrides({"text": {"en_negative": -0.3}}))
    assert changed != version and "+cfg-" in changed


@pytest.fixture(scope="module")
def radar_path(tmp_path_factory):
    from tests.conftest import simulated_store_file

    return simulated_store_file(tmp_path_factory.mktemp("en"), members=80, days=30, seed=5, analyses=["risks"])


def test_a_chinese_store_has_no_note_and_an_english_one_says_what_cannot_be_read(radar_path):
    from reef.report.capability_sections import risks_section
    from reef.risks.surfaces import radar_view, risk_page
    from reef.store import open_store
    from reef.text.coverage import language_mix
    from reef.text.report import text_section

    store = open_store(radar_path)
    mix = language_mix(store)
    assert mix["zh"] > 0.9 * mix["items"]
    assert radar_view(store)["reading_note"] is None and risk_page(store)["reading_note"] is None
    store.execute("UPDATE content_features SET language = 'en' WHERE language = 'zh'")
    en = radar_view(store, lang="en")["reading_note"]
    n = mix["items"]
    assert en.startswith(f"{n} of the {n} analysed items with words are not Chinese ({n - mix['other']} English).")
    assert "zeros here do not mean none" in en
    assert "不是中文" in risk_page(store)["reading_note"]
    as_of = store.fetch_value("SELECT max(created_at) FROM content")
    assert en in risks_section(store, as_of, "en").paragraphs
    assert any("不是中文" in p for p in text_section(store, as_of, "zh").paragraphs)
