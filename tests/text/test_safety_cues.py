"""Fire cues add 安全性 where the CCF model misses it; 吐槽 reads as a complaint (docs/text.md)."""
from __future__ import annotations

import pytest

pytest.importorskip("rjieba")

from reef.text import analyze  # noqa: E402
from reef.text.intents import detect_intents  # noqa: E402


def _aspects(texts):
    return [[(a["aspect"], a["source"]) for a in row] for row in analyze(texts).column("aspects").to_pylist()]


def test_fire_reports_name_safety():
    texts = ["紧急：澜途S7电池起火了！官方一直在隐瞒", "电池自燃是真的吗", "停车场一辆车着火了，烧毁两台",
             "听说热失控以后电池爆炸", "车子冒烟了吓死了"]
    for text, row in zip(texts, _aspects(texts)):
        assert ("安全性", "lexicon") in row, text


def test_fire_cues_stay_narrow():
    # an insurance cover, an engine burning oil or "catching" when started, a figure of speech: no 安全性 from the cues
    for row in _aspects(["车险买了自燃险", "发动机烧机油，排气管冒蓝烟", "冷车启动时着火慢", "声音像爆炸一样"]):
        assert not any(name == "安全性" and source == "lexicon" for name, source in row), row


def test_an_aspect_appears_once_when_model_and_cue_both_find_it():
    row = _aspects(["安全性很好，六个气囊，刹车也稳，电池不会起火"])[0]
    assert [a for a in row if a[0] == "安全性"] == [("安全性", "model")]


def test_tucao_is_a_complaint():
    assert "complaint" in detect_intents("吐槽：掉电问题")
    assert "complaint" in detect_intents("标题\n吐槽一下这个车机")
    assert "complaint" not in detect_intents("大家都在吐槽宝马内饰，我倒觉得还行")  # talking about others' complaints
