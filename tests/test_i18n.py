"""The operator text catalogue: languages, stored codes, column names and aspect names in English."""
import doctest
import importlib

import pytest

import reef.i18n
from reef.errors import InvalidParameterError
from reef.i18n import check_lang, code_label, column_label, t
from reef.layers.team_brief import ASPECTS
from reef.text.datasets import CCF_ASPECTS
from reef.text.lexicon import seed_aspects


def test_every_aspect_of_the_text_layer_has_an_english_name():
    aspects = {*CCF_ASPECTS, *seed_aspects(), *ASPECTS}
    assert len(aspects) == 14
    english = {a: code_label(a, "en") for a in aspects}
    # a missing name would come back as the Chinese code itself
    assert all(name != a and name.isascii() for a, name in english.items()), english
    assert len(set(english.values())) == 14


def test_aspects_stay_chinese_in_chinese():
    assert code_label("续航与充电", "zh") == "续航与充电"
    assert code_label("续航与充电", "en") == "range and charging"


def test_codes_and_unknown_values():
    assert code_label("poll_vote") == "投票选项"
    assert code_label("poll_vote", "en") == "poll vote"
    assert code_label("m0001", "en") == "m0001"
    assert code_label(None) == ""


def test_language_check_and_messages():
    assert check_lang(None) == "zh" and check_lang("EN") == "en"
    with pytest.raises(InvalidParameterError, match="lang"):
        check_lang("fr")
    assert t("report.title", "en") == "Community operations report"
    assert t("no.such.key") == "no.such.key"


def test_column_names_in_both_languages():
    assert column_label("mean_repliers") == "平均回复者" and column_label("mean_repliers", "en") == "mean_repliers"
    assert column_label("no_such_column") == "no_such_column" and column_label("no_such_column", "en") == "no_such_column"


def test_column_names_reuse_the_dashboards_words():
    from reef.web.messages import WEB_MESSAGES

    for key, message in (("times_asked", "kb.times_asked"), ("answered_share", "kb.answered_share"), ("credibility", "crisis.credibility"),
                         ("health", "org.health"), ("severity", "risks.severity")):
        assert column_label(key) == WEB_MESSAGES[message][0], key


@pytest.mark.parametrize("module", ["reef.i18n", "reef.i18n.labels", "reef.i18n.headers"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_headers_name_every_column_in_both_languages():
    from reef.i18n import header_label, language_columns
    from reef.web.messages import WEB_MESSAGES

    assert header_label("joined_at") == WEB_MESSAGES["field.joined"][0]  # the dashboard's word
    assert header_label("row_hash", "en") == "Row hash" and header_label("mean_repliers", "en") == "Mean repliers"
    assert header_label("content_thread") == "内容：主题帖" and header_label("interactions_like", "en") == "Interactions: like"
    assert header_label("life_help_rec") == "累计回答获认可" and header_label("summary_zh") == "摘要"
    assert column_label("mean_repliers", "en") == "mean_repliers"  # the key's name; tables head it with header_label
    assert language_columns(["name", "name_en", "detail_zh", "detail_en"], "en") == ["name_en", "detail_en"]
