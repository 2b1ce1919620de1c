"""A claim about a model the spec sheet has no row for is not judged (a QA review: "星驰A3官方CLTC续航520公里" was
called a rumour against 星驰A1's 620 km, and "说澜途X5的零百加速是10.93s" against 澜途S7's 5.4 s), while claims about
the sheet's own models, by full name or bare code, still are."""
from __future__ import annotations

from reef.config import load_config
from reef.text.claims import extract_claims
from reef.text.spec_facts import ClaimRules, SpecSheet

RULES = ClaimRules.from_config(load_config())
A1 = [("星驰A1", "CLTC续航", 620, "km", "官网"), ("星驰A1", "百公里加速", 5.4, "s", "官网")]


def _judged(sheet, text):
    """The sheet model each claim of ``text`` is judged wrong against (None: not judged or right)."""
    return [(sheet.contradiction(c, RULES) or {}).get("model") for c in extract_claims(text)]


def test_the_reviewers_claim_about_a_model_not_on_the_sheet_is_not_judged():
    sheet = SpecSheet(A1)
    assert _judged(sheet, "星驰A3官方CLTC续航520公里") == [None]
    assert _judged(sheet, "A3官方CLTC续航520公里") == [None]  # a bare code that no sheet model has
    assert _judged(sheet, "星驰A10零百8秒") == [None]  # A1 is not A10
    # The sheet's own model, by name, bare code or with a space, is still judged.
    assert _judged(sheet, "星驰A1官方CLTC续航520公里") == ["星驰A1"]
    assert _judged(sheet, "A1官方CLTC续航520公里") == ["星驰A1"]
    assert _judged(sheet, "星驰 A1零百8秒") == ["星驰A1"]
    assert _judged(sheet, "官方CLTC续航520公里") == ["星驰A1"]  # no model named: the one model of the sheet


def test_a_sheet_model_run_into_0_100_is_still_the_sheet_model():
    sheet = SpecSheet([("澜途S7", "accel_0_100", 5.4, "s", "官网"), ("澜途X5", "accel_0_100", 6.9, "s", "官网")])
    # The simulator's planted rumour writes the model straight before "0-100加速": S7, not a model S70.
    assert _judged(sheet, "内部消息：澜途S70-100加速实际是8.52s") == ["澜途S7"]
    # A bare sheet code picks that model: 7.2 s fits 澜途X5 but is wrong for 澜途S7.
    assert _judged(sheet, "S7零百7.2秒") == ["澜途S7"]
    assert _judged(SpecSheet([("澜途S7", "accel_0_100", 5.4, "s", "官网")]), "说澜途X5的零百加速是10.93s") == [None]


def test_a_text_layer_model_without_a_row_is_not_judged_even_against_a_brand_wide_row():
    sheet = SpecSheet([(None, "质保", 8, "年", "官网"), ("澜途S7", "accel_0_100", 5.4, "s", "官网")])
    claims = extract_claims("汉EV质保只有3年")
    assert claims[0]["model"] == "汉EV"  # the text layer's lexicon names it
    assert sheet.contradiction(claims[0], RULES) is None
    # A brand-wide row still judges the sheet's own models and claims naming no model.
    for said in ("澜途S7质保只有3年", "质保只有3年"):
        assert sheet.contradiction(extract_claims(said)[0], RULES)["official"] == 8.0, said


def test_the_model_named_in_the_claims_own_sentence_wins_over_one_from_another_sentence():
    sheet = SpecSheet([("澜途S7", "accel_0_100", 5.4, "s", "官网")])
    claim = extract_claims("以前开汉EV。现在澜途S7零百8秒")[0]
    assert claim["model"] == "汉EV"  # the last lexicon model before the number, from the other sentence
    assert sheet.contradiction(claim, RULES)["model"] == "澜途S7"


def test_words_that_look_like_codes_are_no_model():
    sheet = SpecSheet(A1)
    for said in ("L2辅助驾驶，V2L放电", "OTA V3.2", "CLTC520公里 EPA400公里", "4S店", "10.93s"):
        assert sheet.named_models(said) == (set(), set()), said


def test_a_sheet_model_run_into_a_charging_window_is_still_the_sheet_model():
    # The simulator's planted charging rumours write the model straight before "10-80%": S7, not a model S710
    # (round fourteen of the risk validation lost 2-4 planted rumours a seed to that reading).
    sheet = SpecSheet([("澜途S7", "dc_charge_10_80", 30, "min", "官网"), ("澜途L9", "dc_charge_10_80", 28, "min", "官网")])
    assert sheet.named_models("内部消息：澜途S710-80%快充实际是47分钟") == ({"澜途S7"}, set())
    assert sheet.named_models("澜途L930-80%快充就44分钟") == ({"澜途L9"}, set())
    assert sheet.named_models("澜途X510-80%快充就70min") == (set(), {"澜途X5"})  # no row for X5: not judged
    assert _judged(sheet, "内部消息：澜途S710-80%快充实际是47分钟") == ["澜途S7"]
    assert _judged(sheet, "澜途L910-80%快充就44分钟") == ["澜途L9"]
    # A code with its own digits still reads whole when no percent range follows.
    assert sheet.named_models("澜途S710续航") == (set(), {"澜途S710"})
