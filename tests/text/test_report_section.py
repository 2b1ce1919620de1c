"""The text-features report section aggregates content_features as of a moment."""
from datetime import datetime, timezone

import pytest

from reef.store import open_store
from reef.text.enrich import enrich_store
from reef.text.report import text_overview, text_section


@pytest.fixture(scope="module")
def enriched_path(tmp_path_factory):
    from reef.simulate import SimulationSpec, simulate_to_store

    path = tmp_path_factory.mktemp("txt") / "reef.duckdb"
    store = open_store(path)
    simulate_to_store(store, SimulationSpec(members=150, days=30, seed=3))
    enrich_store(store)
    store.close()
    return path


@pytest.fixture
def enriched(enriched_path):
    return open_store(enriched_path)  # closed after each test by the autouse fixture


def test_counts_are_consistent_with_the_feature_table(enriched):
    data = text_overview(enriched, None)
    assert data["items"] == enriched.fetch_value("SELECT count(*) FROM content_features") > 0
    assert data["pos"] + data["neu"] + data["neg"] == data["items"]
    assert sum(n for _, n in data["intents"]) >= 1
    assert all(0.0 <= neg <= 1.0 for _, _, neg in data["aspects"])


def test_as_of_hides_later_content(enriched):
    mid = enriched.fetch_value("SELECT min(created_at) + (max(created_at) - min(created_at)) / 2 FROM content")
    earlier = enriched.fetch_value("SELECT count(*) FROM content WHERE created_at < ? AND deleted_at IS NULL", [mid])
    assert text_overview(enriched, mid)["items"] == earlier < text_overview(enriched, None)["items"]


def test_section_in_both_languages(enriched):
    zh = text_section(enriched, datetime(2100, 1, 1, tzinfo=timezone.utc), "zh")
    en = text_section(enriched, datetime(2100, 1, 1, tzinfo=timezone.utc), "en")
    assert zh.title == "内容理解" and en.title == "Text understanding"
    assert len(zh.tables) == 4 and [len(t.rows) for t in zh.tables] == [len(t.rows) for t in en.tables]
    zh_aspects, en_aspects = [r[0] for r in zh.tables[1].rows], [r[0] for r in en.tables[1].rows]
    assert zh_aspects and all(not a.isascii() for a in zh_aspects)
    assert all(a.isascii() for a in en_aspects)  # the English report names aspects in English


def test_empty_store_says_there_is_no_data_not_a_command():
    # the report has just run the analyses: the reason is no content by the date, not a missing `reef enrich`
    section = text_section(open_store(":memory:"), datetime(2100, 1, 1, tzinfo=timezone.utc), "en")
    assert not section.tables and section.paragraphs == ["No data before this date (2100-01-01): nothing to report here yet."]


def test_every_intent_label_has_operator_names():
    from reef.text.intents import INTENTS
    from reef.text.report import INTENT_NAMES

    assert set(INTENTS) <= set(INTENT_NAMES)
