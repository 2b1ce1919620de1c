"""Configuration values of [layers], [network], [kb] and [team] are checked when merged, naming the key."""
from __future__ import annotations

import pytest

from reef.config import load_config, packaged_defaults
from reef.config_checks import CHECKED_SECTIONS, check_value
from reef.errors import ConfigError


def test_every_default_passes_its_own_rule():
    bad = {f"{s}.{k}": check_value(s, k, v, v) for s in CHECKED_SECTIONS for k, v in packaged_defaults(s).items()}
    assert {k: v for k, v in bad.items() if v} == {}


@pytest.mark.parametrize("text, key", [
    ("[layers]\ngraph_alpha = 1.5", "layers.graph_alpha"), ("[layers]\nmax_circles = -3", "layers.max_circles"),
    ("[layers]\nmax_circles = 0", "layers.max_circles"), ("[layers]\nrecent_days = 0", "layers.recent_days"),
    ("[layers]\nleaders_per_circle = -1", "layers.leaders_per_circle"), ("[network]\nhalf_life_days = 0", "network.half_life_days"),
    ("[layers]\nscore_quantile = 1.5", "layers.score_quantile"), ("[layers]\ncouncil_tenure_full_days = 0", "layers.council_tenure_full_days"),
    ("[team]\nscale_quantile = 2", "team.scale_quantile"), ('[layers]\ntrust_kinds = ["accpet"]', "layers.trust_kinds"),
    ('[layers]\nplaza_kinds = ["thred"]', "layers.plaza_kinds"), ("[layers]\ncircle_edge_kinds = {answr = 1.0}", "layers.circle_edge_kinds"),
    ('[layers]\ncouncil_dimensions = ["colour"]', "layers.council_dimensions"), ("[network]\nboost_rings = [0]", "network.boost_rings"),
    ("[kb]\nsearch_top = 0", "kb.search_top"), ("[network]\nlike_weight = -1.0", "network.like_weight"),
    ("[risks]\nevidence_rows = -5", "risks.evidence_rows"), ("[risks]\nwindow_days = 0", "risks.window_days"),
    ("[risks]\ndilution_target_share = 3.0", "risks.dilution_target_share"), ("[risks]\nwebhook_retries = -1", "risks.webhook_retries"),
    ('[risks]\nwebhook_platform = "slack"', "risks.webhook_platform"),
])
def test_a_bad_value_is_a_config_error_naming_the_key(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.where.field == key and key in str(info.value)


@pytest.mark.parametrize("text", ["[layers]\ntone_bad = -0.5", "[kb]\npoor_answer_score = -1.0", "[kb]\ncrisis_lean_score = -0.2",
                                  "[layers]\nmax_circles = 12", '[layers]\ntrust_kinds = ["accept", "ask"]'])
def test_good_values_pass(tmp_path, text):
    path = tmp_path / "ok.toml"
    path.write_text(text + "\n", encoding="utf-8")
    load_config(path)


def test_a_missing_best_answer_model_names_its_key():
    from reef.kb.qa import _load_model

    with pytest.raises(ConfigError) as info:
        _load_model("/no/such/model.json")
    assert info.value.where.field == "kb.best_answer_model"


@pytest.mark.parametrize("text, unknown", [('[risks]\nclaim_qualifiers = { range = ["CLTC"], charge = ["10-80"] }', "charge"),
                                           ("[risks]\nclaim_tolerance = { rang = 0.1 }", "rang")])
def test_an_unknown_claim_attribute_is_a_config_error_naming_it_and_the_accepted_ones(tmp_path, text, unknown):
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.where.field.startswith("risks.claim_") and f"unknown: {unknown}" in str(info.value)
    assert "acceleration_0_100" in str(info.value) and "charging_time" in str(info.value)


def test_a_partial_claim_table_is_merged_with_the_defaults(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text('[risks]\nclaim_qualifiers = { range = ["CLTC"] }\nclaim_tolerance = { price = 0.1 }\n', encoding="utf-8")
    risks = load_config(path).section("risks")
    defaults = packaged_defaults("risks")
    assert risks["claim_qualifiers"] == {**defaults["claim_qualifiers"], "range": ["CLTC"]}
    assert risks["claim_qualifiers"]["charging_time"] == defaults["claim_qualifiers"]["charging_time"]
    assert risks["claim_tolerance"] == {**defaults["claim_tolerance"], "price": 0.1}


@pytest.mark.parametrize("key", ["leader_max_hostile", "council_max_hostile"])
def test_a_retired_key_names_the_key_that_replaced_it(tmp_path, key):
    path = tmp_path / "reef.toml"
    path.write_text(f"[layers]\n{key} = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "layers.conduct_max_hostile" in str(err.value) and f"layers.{key}" in str(err.value)
    assert "已停用" in err.value.message_zh
