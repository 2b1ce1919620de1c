"""``risks.selling_point_terms`` keyed by a title that is no imported selling point used to do nothing, silently (a QA
review): the radar's dilution part now names the unknown key and the imported titles, in its note and a first evidence row."""
from __future__ import annotations

from datetime import timedelta

from reef.analyses import run_analyses
from reef.config import load_config
from reef.risks.entropy import entropy
from tests.risks.conftest import T0, handmade_store, ts


def _dilution(tmp_path, terms):
    rows = {"members": [{"member_id": "m", "joined_at": ts(-100)}],
            "official_facts": [{"fact_id": "sp-1", "kind": "selling_point", "attribute": "800V高压快充", "value_text": "800V平台", "valid_from": ts(-200)},
                               {"fact_id": "sp-2", "kind": "selling_point", "attribute": "城市NOA", "value_text": "全国都能开", "valid_from": ts(-200)}],
            "content": [{"content_id": f"c{d}", "kind": "thread", "author_id": "m", "created_at": ts(d + 0.5), "title": "t", "body": "闪充真快"}
                        for d in range(14)]}
    store = handmade_store(tmp_path, rows)
    run_analyses(store, as_of=T0 + timedelta(days=14), only=["text_features"])
    res = entropy(store, T0 + timedelta(days=14), load_config().with_overrides({"risks.selling_point_terms": terms}))
    return next(p for p in res.parts if p.name == "dilution"), [e for e in res.evidence if e["part"] == "dilution"]


def test_a_terms_key_that_is_no_imported_title_is_named_with_the_known_titles(tmp_path):
    part, evidence = _dilution(tmp_path, {"800V快充": ["闪充"], "城市NOA": ["城区领航"]})
    assert part.value == 0.0  # the synonym of the misspelt key is not counted, as before: now it is also said
    want_zh = "risks.selling_point_terms 中的“800V快充”不是已导入的卖点标题，其同义词未计入（已导入的卖点标题：800V高压快充、城市NOA）"
    assert part.note_zh.endswith("；" + want_zh), part.note_zh
    assert "'800V快充'" in part.note_en and "imported selling-point titles: 800V高压快充, 城市NOA" in part.note_en
    assert (evidence[0]["subject"], evidence[0]["rank"], evidence[0]["detail_zh"]) == ("selling_point_terms", 0, want_zh)  # shown first
    # Keyed by the imported title, the synonym counts and nothing is said.
    (tmp_path / "ok").mkdir()
    part, evidence = _dilution(tmp_path / "ok", {"800V高压快充": ["闪充"]})
    assert part.value == 1.0 and "selling_point_terms" not in part.note_zh
    assert all(e["subject"] != "selling_point_terms" for e in evidence)
