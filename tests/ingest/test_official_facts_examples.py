"""A spec sheet and a selling-point list with Chinese headers (编号,类型,车型,参数,数值,单位,生效时间,来源) are imported: a QA
review found such a file refused whole (缺少 fact_id 列) though its Chinese kinds 参数/卖点 were accepted. The documented
examples under docs/examples/ are the files imported here."""
from __future__ import annotations

from pathlib import Path

from reef.ingest import import_paths
from reef.text.spec_facts import SpecSheet

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_the_documented_spec_sheet_and_selling_points_import_with_chinese_headers(store):
    summary = import_paths(store, [EXAMPLES / "specs.csv", EXAMPLES / "facts_selling_points.csv"])
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 0
    facts = store.fetch_all("SELECT kind, count(*) FROM official_facts GROUP BY kind ORDER BY kind")
    assert facts == [("selling_point", 3), ("spec", 9)], summary
    assert store.fetch_all("SELECT model, attribute, value, unit, source, strftime(valid_from, '%Y-%m-%d') FROM official_facts "
                           "WHERE fact_id = 's7-range'") == [("澜途S7", "CLTC续航", 620.0, "km", "澜途官网配置表", "2025-03-01")]
    assert store.fetch_value("SELECT value_text FROM official_facts WHERE fact_id = 'sp-800v'").startswith("800V平台")
    # Every spec row is one the misinformation check compares (a Chinese attribute name read as its canonical one).
    sheet = SpecSheet.load(store, "2025-06-01T00:00:00+08:00")
    assert sum(len(v) for v in sheet.by_attribute.values()) == 9 and sorted(sheet.models) == ["澜途S7", "澜途X5"]
