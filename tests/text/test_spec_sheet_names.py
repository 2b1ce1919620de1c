"""The spec sheet's comparison (reef.text.spec_facts): Chinese attribute names, unnamed claims where models differ,
and a qualifier list left empty."""
from __future__ import annotations

from reef.text.spec_facts import ATTRIBUTE_ALIASES, SPEC_NAME_ALIASES, ClaimRules, SpecSheet, spec_attribute

RULES = ClaimRules({"acceleration_0_100": 0.1}, 0.1, {"range": ["cltc"], "price": []}, 5.0)


def _claim(value, evidence, attribute="acceleration_0_100", model=None, qualifier=None):
    return {"attribute": attribute, "value": value, "model": model, "qualifier": qualifier, "evidence": evidence}


def test_chinese_names_are_compared_under_their_canonical_name():
    assert {spec_attribute(n) for n in ("0-100加速", "百公里加速", "续航", "CLTC续航", "电池容量", "快充", "质保", "价格", "指导价")} == {
        "accel_0_100", "range", "range_cltc", "battery_kwh", "dc_charge_10_80", "warranty", "price"}
    assert set(SPEC_NAME_ALIASES.values()) <= set(ATTRIBUTE_ALIASES)
    sheet = SpecSheet([("曜川Y5", "0-100加速", 3.9, "秒", "官网"), ("曜川Y5", "CLTC续航", 650, "km", "官网"), ("曜川Y5", "马力", 500, "hp", "官网")])
    hit = sheet.contradiction(_claim(6.0, "曜川Y5零百6秒", model="曜川Y5"), RULES)
    assert (hit["official"], hit["fact_attribute"]) == (3.9, "accel_0_100")
    assert sheet.contradiction(_claim(500, "曜川Y5的CLTC续航500公里", "range", "曜川Y5", "CLTC"), RULES)["fact_attribute"] == "range_cltc"
    assert "马力" not in sheet.by_attribute and "hp" not in str(sheet.by_attribute)  # an unknown name is never compared


def test_an_unnamed_claim_is_judged_only_when_every_model_has_a_value_that_makes_it_wrong():
    said = "6秒和8秒的零百意味着巨大的差距"
    two = [("曜川Y5", "accel_0_100", 3.9, "s", "官网"), ("曜川Y7", "range_cltc", 720, "km", "官网")]
    assert SpecSheet(two).contradiction(_claim(6.0, said), RULES) is None  # 曜川Y7's time is unknown
    assert SpecSheet(two[:1]).contradiction(_claim(6.0, said), RULES)["model"] == "曜川Y5"  # one model: its value
    both = two + [("曜川Y7", "accel_0_100", 5.8, "s", "官网")]
    assert SpecSheet(both).contradiction(_claim(6.0, said), RULES) is None  # fits 曜川Y7
    assert SpecSheet(both).contradiction(_claim(8.0, said), RULES)["model"] == "曜川Y7"  # wrong for both: the nearest
    # A claim whose sentence names a model is still judged against that model.
    assert SpecSheet(two).contradiction(_claim(6.0, "曜川Y5零百6秒"), RULES)["model"] == "曜川Y5"


def test_an_empty_qualifier_list_compares_without_a_qualifier():
    sheet = SpecSheet([("曜川Y5", "price", 22.98, "万元", "官网"), ("曜川Y5", "range_cltc", 650, "km", "官网")])
    assert sheet.contradiction(_claim(30.0, "曜川Y5卖30万", "price", "曜川Y5"), RULES) is not None
    assert sheet.contradiction(_claim(400.0, "曜川Y5跑400公里", "range", "曜川Y5"), RULES) is None  # range still needs CLTC
