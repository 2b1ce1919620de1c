"""reef.text.analyze end to end: schema, normalisation, bad input, models wired in."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from reef.config import load_config
from reef.text import analyze, model_version
from reef.text.pipeline import SCHEMA


def test_one_row_per_text_with_the_documented_schema():
    texts = ["汉EV续航五百二十公里，车机很流畅", "請問充電樁怎麼裝？", "Great car, terrible app"]
    table = analyze(texts)
    assert table.schema == SCHEMA and table.num_rows == 3
    assert table.column("original").to_pylist() == texts
    assert table.column("text").to_pylist()[1] == "请问充电桩怎么装？"
    assert table.column("script").to_pylist() == ["simplified", "traditional", "latin"]
    assert table.column("language").to_pylist() == ["zh", "zh", "en"]
    assert "充电桩" in table.column("tokens").to_pylist()[1]
    assert "question" in table.column("intents").to_pylist()[1]


def test_bad_input_gets_defined_results_without_raising():
    bad = ["", "   ", "😀😀😀", None, "<div><p>车机&amp;卡顿</p></div>", "长" * 300_000,
           "这个车很垃圾".encode("gbk"), b"\xff\xfe\xfa broken", "Model Y的续航 is great but 车机 lags a lot"]
    table = analyze(bad)
    assert table.num_rows == len(bad)
    flags = table.column("flags").to_pylist()
    assert "empty" in flags[0] and "empty" in flags[1] and "no_words" in flags[2] and "missing" in flags[3]
    assert "html" in flags[4] and "<p>" not in table.column("text").to_pylist()[4]
    assert "truncated" in flags[5]
    assert "decoded_gb18030" in flags[6] and table.column("text").to_pylist()[6] == "这个车很垃圾"
    assert "invalid_encoding" in flags[7]
    assert "mixed_language" in flags[8]
    for i in range(4):
        row = table.slice(i, 1).to_pylist()[0]
        assert row["sentiment"] == 0 and row["aspects"] == [] and row["intents"] == [] and row["claims"] == []


def test_a_numeral_too_large_for_a_float_does_not_stop_the_batch():
    """Found by property tests: forty 亿 in a range claim raised OverflowError out of analyze."""
    table = analyze(["续航一" + "亿" * 40 + "公里", "续航500公里"])
    assert table.column("claims").to_pylist()[0] == []
    assert [(c["attribute"], c["value"]) for c in table.column("claims").to_pylist()[1]] == [("range", 500.0)]


def test_models_move_the_scores_in_the_right_direction():
    table = analyze(["这车油耗太高了，动力也肉，后悔买了", "外观很漂亮，空间大，油耗低，非常满意",
                     "你们这些人都是垃圾，滚出去", "今天天气不错"])
    score = table.column("sentiment_score").to_numpy()
    assert score[0] < 0 < score[1]
    tox = table.column("toxicity").to_numpy()
    assert tox[2] > 0.5 > tox[3]
    conf = table.column("sentiment_confidence").to_numpy()
    assert ((conf > 0) & (conf <= 1)).all()
    aspects = {a["aspect"] for a in table.column("aspects").to_pylist()[1]}
    assert {"外观", "空间"} <= aspects


def test_pii_offsets_refer_to_the_original_text():
    original = "  電話13812345678，車牌浙A12345"
    row = analyze([original]).to_pylist()[0]
    assert [original[s["start"]:s["end"]] for s in row["pii"]] == ["13812345678", "浙A12345"]


def test_batches_do_not_change_results_and_version_is_stable():
    texts = [f"第{i}次保养花了{i * 100}块，售后态度还行" for i in range(7)]
    small = load_config().with_overrides({"text.batch_size": 2})
    a, b = analyze(texts), analyze(texts, config=small)
    assert a.equals(b)
    assert model_version() == model_version() and "ccf_aspects" in model_version()
    sig = a.column("minhash").to_pylist()
    assert len(sig[0]) == 64 and isinstance(np.asarray(sig[0]).dtype, np.dtype)


def test_empty_input_returns_empty_table():
    table = analyze([])
    assert table.num_rows == 0 and table.schema == SCHEMA and isinstance(table, pa.Table)


def test_lexicon_tokens_flip_polarity_under_negation():
    from reef.text.sentiment_lexicon import lexicon_available, lexicon_tokens

    assert lexicon_available()
    plain, negated = lexicon_tokens(["质量", "好"]), lexicon_tokens(["质量", "不", "好"])
    assert "__POS" in plain and "__POS" not in negated and "__NPOS" in negated
    assert lexicon_tokens([]) == ["__SN0", "__SNL0"]


def test_decision_offsets_move_posts_out_of_neutral():
    from reef.text.evaluation import decide_sentiment, tune_offsets

    P = np.array([[0.3, 0.6, 0.1], [0.1, 0.55, 0.35], [0.05, 0.9, 0.05]])
    assert decide_sentiment(P, [0, 0, 0]).tolist() == [0, 0, 0]
    offsets, f1 = tune_offsets(P, [-1, 1, 0])
    assert decide_sentiment(P, offsets).tolist() == [-1, 1, 0] and f1 == 1.0
