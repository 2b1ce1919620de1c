"""Misinformation in a community of several models: a claim naming no model is not judged against the one model that
has a value (a review found "6秒和8秒的零百意味着巨大的差距" alerted against 曜川Y5's 3.9 s), and the message says what
was claimed against which official value, quoting the sentence once."""
from __future__ import annotations

from datetime import timedelta

from reef.analyses import run_analyses
from reef.config import load_config
from reef.risks.entropy import entropy
from tests.risks.conftest import T0, handmade_store, ts

_SPEC = {"kind": "spec", "valid_from": ts(-200), "source": "官网"}


def _store(tmp_path, facts, bodies):
    rows = {"members": [{"member_id": m, "joined_at": ts(-100)} for m in ("a", "b")],
            "official_facts": [{**_SPEC, "fact_id": f"f{i}", **f} for i, f in enumerate(facts)],
            "content": [{"content_id": f"t{i}", "kind": "thread", "author_id": "a", "created_at": ts(1 + i), "title": "讨论", "body": b}
                        for i, b in enumerate(bodies)]}
    store = handmade_store(tmp_path, rows)
    run_analyses(store, as_of=T0 + timedelta(days=10), only=["text_features"])
    return store


def _alerts(store):
    res = entropy(store, T0 + timedelta(days=10), load_config())
    return {a["content_id"]: a for a in res.alerts if a["part"] == "misinformation"}


Y5_ACCEL = {"model": "曜川Y5", "attribute": "0-100加速", "value": 3.9, "unit": "秒"}  # a Chinese name, as the review's sheet had it
Y7_RANGE = {"model": "曜川Y7", "attribute": "range_cltc", "value": 720, "unit": "km"}
SAID = ["提速推背强是个模糊的概念，需要数据支撑，6秒和8秒的零百意味着巨大的差距", "曜川Y5零百要6秒，太慢了"]


def test_a_claim_naming_no_model_is_not_judged_against_one_of_several_models(tmp_path):
    by = _alerts(_store(tmp_path, [Y5_ACCEL, Y7_RANGE], SAID))
    assert set(by) == {"t1"}  # t0 names no model and 曜川Y7 has no official 0-100 time
    assert by["t1"]["message_zh"].startswith("“曜川Y5零百要6秒”：称百公里加速6秒，官方3.9秒（曜川Y5）；"), by["t1"]["message_zh"]
    assert by["t1"]["message_en"].startswith("'曜川Y5零百要6秒': claimed 0-100 km/h 6 s, official 3.9 s (曜川Y5); ")


def test_with_one_model_or_every_model_wrong_an_unnamed_claim_is_judged_and_quoted_once(tmp_path):
    y7_accel = {"model": "曜川Y7", "attribute": "accel_0_100", "value": 4.5, "unit": "s"}
    for sub, facts in (("one", [Y5_ACCEL]), ("every", [Y5_ACCEL, Y7_RANGE, y7_accel])):
        (tmp_path / sub).mkdir()
        by = _alerts(_store(tmp_path / sub, facts, SAID[:1]))
        zh = by["t0"]["message_zh"]
        assert zh.count("6秒和8秒的零百") == 1 and "称百公里加速6秒，官方" in zh and "称百公里加速8秒，官方" in zh, zh


def test_a_claim_about_a_model_the_sheet_has_no_row_for_raises_no_alert(tmp_path):
    # The QA review: with only 澜途S7 on the sheet, "说澜途X5的零百加速是10.93s" alerted against 澜途S7's 5.4 s.
    s7 = {"model": "澜途S7", "attribute": "百公里加速", "value": 5.4, "unit": "s"}
    by = _alerts(_store(tmp_path, [s7], ["说澜途X5的零百加速是10.93s", "说澜途S7的零百加速是10.93s"]))
    assert set(by) == {"t1"}
    assert by["t1"]["message_zh"].startswith("“说澜途S7的零百加速是10.93s”：称百公里加速10.93秒，官方5.4秒（澜途S7）"), by["t1"]["message_zh"]
