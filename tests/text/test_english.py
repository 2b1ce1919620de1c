"""English items: Reef does not read their sentiment (neutral, as before VADER was tried), they get no aspects, the
lexicon's Latin cues match whole words only, Chinese rows stay as they were, and the surfaces of a store of mostly
non-Chinese text say what Reef does not read there (reef.text.pipeline, reef.text.lexicon, reef.text.coverage)."""
from __future__ import annotations

import pytest

from reef.config import packaged_defaults
from reef.text import analyze
from reef.text.enrich import features_version
from reef.text.lexicon import seed_aspects

ZH = ["汉EV续航五百二十公里，车机很流畅，推荐！", "售后太差了，修了三次还没好，气死我了", "请问充电桩怎么装？"]
EN = ["Thanks, this is a great explanation!", "This is a terrible answer and it does not work.",
      "How do I measure a qubit in the X basis?"]


def test_english_sentiment_is_not_read_every_item_stays_neutral_near_zero():
    # VADER (tried, rejected: docs/text.md, English text) read these 1, -1, 0; the Chinese models read all neutral
    rows = analyze(EN).to_pylist()
    assert [r["language"] for r in rows] == ["en"] * 3
    assert [r["sentiment"] for r in rows] == [0, 0, 0]
    assert all(abs(r["sentiment_score"]) < 0.1 for r in rows), [r["sentiment_score"] for r in rows]


def test_no_english_reader_is_named_or_configured():
    assert "vader" not in features_version()
    assert not {"en_positive", "en_negative"} & set(packaged_defaults("text"))


def test_chinese_rows_are_the_same_with_or_without_english_items():
    alone = analyze(ZH).to_pylist()
    mixed = analyze(EN[:1] + ZH + EN[1:]).to_pylist()[1:4]
    assert repr(mixed) == repr(alone)


def test_english_items_get_no_chinese_aspects():
    # the 智能与车机 cue OTA matched inside "notation": 310 of 5,399 quantum computing posts named that aspect;
    # "OTA" as a whole word is still a Chinese car-forum cue, but an English text gets no aspects at all
    rows = analyze(["The bra-ket notation is used in quantum computation.", "The OTA update broke my car."]).to_pylist()
    assert [r["language"] for r in rows] == ["en", "en"]
    assert [r["aspects"] for r in rows] == [[], []]


@pytest.mark.parametrize("text, found", [
    ("OTA升级后很流畅", True), ("ota升级了", True), ("昨晚推送了OTA", True), ("HUD很清楚", True), ("CarPlay连不上", True),
    ("NOA好用", True), ("4S店态度差", True), ("车机卡顿", True), ("OTA3.0推送了", True), ("支持Carplay6.车厢很大", True),
    ("这个 notation 看不懂", False), ("quota 用完了", False), ("shudder 很明显", False), ("NOAA的数据", False),
    ("HUDSON", False), ("carplays", False), ("14S店", False), ("2OTA", False),
])
def test_latin_cues_match_only_as_whole_latin_words(text, found):
    patterns = seed_aspects()
    hit = any(p.search(text) for name, p in patterns.items() if name in ("智能与车机", "售后与服务"))
    assert hit is found


def test_a_chinese_post_with_an_english_word_no_longer_reads_as_a_car_system_topic():
    rows = analyze(["quota 用完了", "这个 notation 看不懂", "OTA升级以后车机更流畅了"]).to_pylist()
    assert [r["language"] for r in rows] == ["zh"] * 3
    names = [{a["aspect"] for a in r["aspects"]} for r in rows]
    assert "智能与车机" not in names[0] | names[1]
    assert "智能与车机" in names[2]


def test_cue_patterns_still_fullmatch_a_latin_token():
    # reef.kb.pin asks whether a token is a cue with fullmatch: the boundaries must not stop that
    assert seed_aspects()["智能与车机"].fullmatch("OTA") and seed_aspects()["售后与服务"].fullmatch("4S店")


@pytest.fixture(scope="module")
def radar_path(tmp_path_factory):
    from tests.conftest import simulated_store_file

    return simulated_store_file(tmp_path_factory.mktemp("en"), members=80, days=30, seed=5, analyses=["risks"])


def test_a_chinese_store_has_no_note_and_an_english_one_says_what_is_not_read(radar_path):
    from reef.report.capability_sections import risks_section
    from reef.risks.surfaces import radar_view, risk_page
    from reef.risks.weekly import weekly_report
    from reef.store import open_store
    from reef.text.coverage import language_mix
    from reef.text.report import text_section

    store = open_store(radar_path)
    mix = language_mix(store)
    assert mix["zh"] > 0.9 * mix["items"]
    assert radar_view(store)["reading_note"] is None and risk_page(store)["reading_note"] is None
    assert 'id="reading-note"' not in weekly_report(store)
    store.execute("UPDATE content_features SET language = 'en' WHERE language = 'zh'")
    en = radar_view(store, lang="en")["reading_note"]
    n = mix["items"]
    assert en.startswith(f"{n} of the {n} analysed items with words are not Chinese ({n - mix['other']} English).")
    assert "Sentiment, toxicity, aspects and most intents are read for Chinese only" in en
    assert "does not mean there is none" in en and "VADER" not in en and "rough" not in en
    zh = risk_page(store)["reading_note"]
    assert "不是中文" in zh and "情感、毒性" in zh and "VADER" not in zh
    as_of = store.fetch_value("SELECT max(created_at) FROM content")
    assert en in risks_section(store, as_of, "en").paragraphs
    # counted at the section's as-of (the radar's page counts every item)
    assert any(x.startswith("已分析的") and zh.split("。", 1)[1] in x for x in text_section(store, as_of, "zh").paragraphs)
    # the weekly risk report (风险周报) carries it above the scores, in its one language
    for lang, note in (("zh", zh), ("en", en)):
        html = weekly_report(store, lang=lang)
        tail = note.split("English). " if lang == "en" else "。", 1)[1]
        assert f'<p class="warn" id="reading-note">' in html and f"{tail}</p>" in html, lang
        assert html.index('id="reading-note"') < html.index("<table>")
