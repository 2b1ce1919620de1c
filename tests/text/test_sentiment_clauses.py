"""Clause-level and hierarchical sentiment (reef.text.sentiment) and its wiring into analyze."""
from __future__ import annotations

import numpy as np

from reef.text import analyze, model_version
from reef.text.sentiment import hierarchical, mix, split_clauses


def test_split_clauses_cuts_at_punctuation_tokens_only():
    assert split_clauses(["动力", "好", "，", "油耗", "高", "。", "。"]) == [["动力", "好"], ["油耗", "高"]]
    assert split_clauses(["！", "？"]) == []
    assert split_clauses(["3.5", "秒", "破百"]) == [["3.5", "秒", "破百"]]  # a decimal point inside a token stays


def test_hierarchical_keeps_neutral_and_takes_direction_from_polarity():
    p3 = np.array([[0.2, 0.5, 0.3], [0.2, 0.5, 0.3], [0.05, 0.9, 0.05]])
    P = hierarchical(p3, np.array([-3.0, 3.0, 0.0]), slope=1.0)
    assert np.allclose(P.sum(1), 1.0) and np.allclose(P[:, 1], p3[:, 1])
    assert P[0, 0] > P[0, 2] and P[1, 2] > P[1, 0] and np.isclose(P[2, 0], P[2, 2])
    assert np.allclose(mix(P[0], P[1], 0.5), (P[0] + P[1]) / 2)


def test_lexicon_aspects_are_not_pushed_to_neutral():
    # Lexicon aspects use offsets tuned for macro-F1 (not joint F1, which rewards neutral), so a
    # clearly negative or positive post about them carries that sentiment to the aspect.
    rows = analyze(["提车三个月，异响不断，4S店说是正常现象，太失望了", "车机经常死机黑屏，太垃圾了",
                    "售后服务很好，很满意，推荐这家4S店", "冬季续航掉得厉害，充电也慢，后悔了"]).to_pylist()
    got = [{a["aspect"]: a["sentiment"] for a in r["aspects"] if a["source"] == "lexicon"} for r in rows]
    assert got[0]["质量与故障"] == -1 and got[0]["售后与服务"] == -1
    assert got[1]["智能与车机"] == -1
    assert got[2]["售后与服务"] == 1
    assert got[3]["续航与充电"] == -1


def test_aspect_pairs_carry_clause_evidence():
    from reef.text.lexicon import seed_aspects, segmenter
    from reef.text.pipeline import load_model
    from reef.text.sentiment import sentiment_evidence

    texts = ["外观很漂亮，车机经常死机", "油耗很低"]
    tokens = [[t for t in segmenter().cut(x) if t.strip()] for x in texts]
    models = {"sentiment": load_model("ccf_sentiment"), "polarity": load_model("ccf_polarity"), "aspects": load_model("ccf_aspects")}
    ev, p_aspects = sentiment_evidence(texts, tokens, models, threshold=0.25, cues=seed_aspects())
    assert ev.post.shape == (2, 3) and np.allclose(ev.post.sum(1), 1.0) and p_aspects.shape == (2, 10)
    pairs = {(i, name): clause for i, name, _, _, clause in ev.pairs}
    assert ("智能与车机", "lexicon") in {(name, src) for _, name, _, src, _ in ev.pairs}
    # the 车机 clause is judged on its own: more negative than the whole post
    clause = pairs[(0, "智能与车机")]
    assert clause[0] - clause[2] > ev.post[0, 0] - ev.post[0, 2]
    assert (1, "油耗") in pairs


def test_polarity_model_is_part_of_the_version():
    assert "ccf_polarity" in model_version()
