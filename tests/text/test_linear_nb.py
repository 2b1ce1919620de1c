"""Naive-Bayes feature scaling (``nb_scale``) of NgramLinearModel and the SnowNLP baseline figure."""
from __future__ import annotations

import numpy as np
import pytest

from reef.text.linear import NgramLinearModel

POS = ["动力很好", "油耗很低", "空间很大很满意", "外观漂亮", "做工扎实很满意"]
NEG = ["动力太差", "油耗太高", "空间太小很失望", "外观难看", "做工粗糙很失望"]


def _fit(nb_scale: float) -> NgramLinearModel:
    texts = (POS + NEG) * 4
    y = ([1] * len(POS) + [0] * len(NEG)) * 4
    return NgramLinearModel(kind="logreg", C=5.0, seed=0, nb_scale=nb_scale).fit(texts, y)


def _weight_of(model: NgramLinearModel, char: str) -> float:
    """The stored feature weight (idf, times the NB ratio when scaled) of one character unigram."""
    raw = model._raw([char], [[]])  # no word tokens: the only column is the character's
    (col,) = raw.indices
    return float(model._idf_full[col])


def test_nb_scale_weighs_polar_ngrams_above_shared_ones():
    plain, scaled = _fit(0.0), _fit(1.0)
    # "很" occurs on both sides: its NB ratio is small; "满" (满意) only in positive texts: large
    ratio_shared = _weight_of(scaled, "很") / _weight_of(plain, "很")
    ratio_polar = _weight_of(scaled, "满") / _weight_of(plain, "满")
    assert ratio_polar > 2 * ratio_shared
    assert scaled.predict_proba(["很满意"])[0, 0] > 0.5 > scaled.predict_proba(["很失望"])[0, 0]


def test_nb_scale_survives_save_and_load(tmp_path):
    model = _fit(0.5)
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = NgramLinearModel.load(path)
    assert loaded.nb_scale == 0.5
    probe = ["动力很好油耗低", "空间太小", "一般般"]
    assert np.allclose(model.decision_function(probe), loaded.decision_function(probe), atol=0.02)


def test_nb_scale_is_ignored_for_multiclass():
    texts = ["好", "差", "一般"] * 6
    a = NgramLinearModel(kind="logreg", seed=0, nb_scale=1.0).fit(texts, [1, -1, 0] * 6)
    b = NgramLinearModel(kind="logreg", seed=0).fit(texts, [1, -1, 0] * 6)
    assert np.array_equal(a._idf_full, b._idf_full)


def test_snownlp_baseline_accuracy_counts_agreement():
    pytest.importorskip("snownlp")
    from reef.text.evaluation import snownlp_accuracy

    texts = ["质量很好，非常满意，推荐购买", "太差了，非常失望，再也不买了"]
    assert snownlp_accuracy(texts, [True, False]) == 1.0
    assert snownlp_accuracy(texts, [False, True]) == 0.0
    assert snownlp_accuracy([], []) is None
