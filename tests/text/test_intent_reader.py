"""The learned intent reader: choosing it, what it reads, and that it re-versions enrichment."""
from __future__ import annotations

import pytest

from reef.config import load_config
from reef.errors import InvalidParameterError
from reef.text.intent_reader import read_intents, with_cue_tokens
from reef.text.linear import NgramLinearModel


def _config(reader: str):
    return load_config().with_overrides({"text.intent_reader": reader})


def test_cue_tokens_follow_the_text_tokens():
    assert with_cue_tokens([["a"], []], [["question", "thanks"], []]) == [["a", "__cue_question", "__cue_thanks"], []]


def test_model_reads_its_intents_and_cues_read_the_rest():
    texts = ["我的车开了两万公里", "后备箱很大"] * 20
    model = NgramLinearModel(kind="logreg", C=10.0, seed=0).fit(texts, [[1], [0]] * 20, [[t] for t in texts])
    model.meta_ = {"intents": {"learned": ["experience"], "thresholds": {"experience": 0.5}}}
    cues = [["experience", "thanks"], ["experience"]]
    out = read_intents(model, ["我的车开了两万公里", "后备箱很大"], [["我的车开了两万公里"], ["后备箱很大"]], cues)
    # experience comes from the model (so the cue's "experience" on the second text is overruled); thanks from the cue
    assert out == [["experience", "thanks"], []]
    # an intent the model learned but has no threshold for is read by its cue
    assert read_intents(model, ["后备箱很大"], [["后备箱很大"]], [["experience"]], thresholds={}) == [["experience"]]
    assert read_intents(model, [], [], []) == []


def test_unknown_reader_is_refused_with_the_setting_named():
    from reef.text.pipeline import analyze

    with pytest.raises(InvalidParameterError, match="text.intent_reader"):
        analyze(["请问续航多少"], config=_config("bert"))


def test_learned_reader_is_used_and_changes_the_features_version():
    from reef.text.enrich import features_version
    from reef.text.pipeline import analyze

    texts = ["请问冬天续航掉多少？", "去年买的，油耗一直在8个左右，挺满意", "", "售后一直拖着不给解决，太失望了"]
    cues = analyze(texts, config=_config("cues")).column("intents").to_pylist()
    learned = analyze(texts, config=_config("learned")).column("intents").to_pylist()
    assert learned[2] == [] and cues[2] == []  # empty text: no intents either way
    assert "experience" in learned[1] and "experience" not in cues[1]  # a first-hand report the cues miss
    assert features_version(_config("cues")) != features_version(_config("learned"))
    assert "+intents-" in features_version(_config("learned")) and "+intents" not in features_version(_config("cues"))


def test_appending_cue_tokens_to_shared_features_equals_hashing_again():
    texts = ["请问冬天续航掉多少？", "谢谢 大家", "", "售后一直拖着不给解决"]
    tokens = [["请问", "冬天", "续航", "掉", "多少", "？"], ["谢谢", " ", "大家"], [], ["售后", "一直", "拖着"]]
    extra = [["__cue_question"], ["__cue_thanks", "__cue_praise"], ["__cue_question"]]
    model = NgramLinearModel(n_features=2**10)
    longer = [tokens[0] + extra[0], tokens[1] + extra[1], tokens[2] + extra[2], tokens[3]]
    want = model.featurize(texts, longer)
    got = model.append_tokens(model.featurize(texts, tokens), [0, 1, 2], tokens[:3], extra)
    assert (got != want).nnz == 0 and got.shape == want.shape


def test_learned_reader_with_the_pipelines_features_reads_the_same():
    from reef.text.intents import detect_intents
    from reef.text.lexicon import segmenter
    from reef.text.pipeline import load_model

    texts = ["请问冬天续航掉多少？", "去年买的，油耗一直在8个左右", "谢谢楼主分享", "你懂什么，别乱说", "后备箱很大"]
    seg = segmenter()
    tokens = [[t for t in seg.cut(x) if t.strip()] for x in texts]
    cues = [detect_intents(x, 0.0) for x in texts]
    assert any(cues) and not all(cues)  # both paths of the shared-features reading are exercised
    shared = load_model("ccf_aspects").featurize(texts, tokens)
    model = load_model("intents")
    assert read_intents(model, texts, tokens, cues, features=shared) == read_intents(model, texts, tokens, cues)


def test_learned_reader_leaves_text_in_other_languages_to_the_cues():
    from reef.text import pipeline

    texts = ["How do I adjust the rear derailleur?", "Thanks, that worked for me.", "请问冬天续航掉多少？"]
    cues = pipeline.analyze(texts, config=_config("cues")).column("intents").to_pylist()
    learned = pipeline.analyze(texts, config=_config("learned")).column("intents").to_pylist()
    assert learned[:2] == cues[:2] == [["question"], ["thanks"]]  # English: the cue patterns' reading
    assert "question" in learned[2]
