"""The operator text catalogue: languages, stored codes and aspect names in English."""
import pytest

from reef.errors import InvalidParameterError
from reef.i18n import check_lang, code_label, t
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
