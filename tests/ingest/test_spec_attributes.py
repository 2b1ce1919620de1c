"""Spec rows of the official sheet: Chinese attribute names are accepted, an unknown one is quarantined with a reason
that names the accepted ones (it used to import silently and never be compared)."""
from __future__ import annotations

from ingest_helpers import quarantine
from reef.ingest.reasons import reason_code, reason_text

SHEET = ("fact_id,kind,model,attribute,value,unit,valid_from,source\n"
         "f1,spec,曜川Y5,range_cltc,650,km,2025-09-01,官网\n"
         "f2,spec,曜川Y5,0-100加速,3.9,s,2025-09-01,官网\n"
         "f3,spec,曜川Y5,百公里 加速,3.9,s,2025-09-01,官网\n"
         "f4,spec,曜川Y5,最高车速,200,km/h,2025-09-01,官网\n"
         "f5,selling_point,,800V高压快充,,,2025-09-01,官网\n")


def test_aliases_import_and_an_unknown_spec_attribute_is_quarantined(store, imp, tmp_path):
    p = tmp_path / "official_facts.csv"
    p.write_text(SHEET, encoding="utf-8")
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (4, 1)
    assert sorted(r for (r,) in store.fetch_all("SELECT fact_id FROM official_facts")) == ["f1", "f2", "f3", "f5"]
    (q,) = quarantine(store, p)
    assert (q["line"], q["field"]) == (5, "attribute")
    assert q["reason"].startswith("unknown spec attribute '最高车速': the misinformation check compares only range_cltc, range, accel_0_100")
    assert "import again" in q["reason"]
    assert reason_code(q["reason"]) == "unknown_spec_attribute"
    assert reason_text(q["reason"]).startswith("参数名 '最高车速' 无法识别")
