"""The export's 运营行动 sheet gives a seed action's topic its own column (话题 / Topic), beside the project team and
the task's layer, masked like the attrs it comes from; attrs keeps it too."""
from __future__ import annotations

import csv
import io

import pytest

openpyxl = pytest.importorskip("openpyxl")


def _rows(path, sheet):
    values = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    return [dict(zip(values[0], r)) for r in values[1:]]


def test_the_actions_sheet_has_a_topic_column_in_both_languages(db_path, tmp_path):
    from reef.actions import record_action
    from reef.export import export_tables
    from reef.store import open_store

    store = open_store(db_path)
    seed = record_action(store, "evil", "seed", details={"topic": "冬季续航"}, by="li", role="operator")["action_id"]
    other = store.fetch_value("SELECT min(member_id) FROM members WHERE member_id <> 'evil'")
    phone = record_action(store, other, "seed", details={"topic": "找13912345678聊续航"}, by="li", role="operator")["action_id"]
    export_tables(store, tmp_path / "zh.xlsx")
    zh = {r["行动ID"]: r for r in _rows(tmp_path / "zh.xlsx", "运营行动")}
    assert zh[seed]["话题"] == "冬季续航" and "冬季续航" in zh[seed]["附加信息"]
    assert "13912345678" not in zh[phone]["话题"] and "139****5678" in zh[phone]["话题"]
    assert all(r["话题"] is None for r in zh.values() if r["类型"] != "话题播种")
    export_tables(store, tmp_path / "en.xlsx", lang="en")
    en = {r["Action ID"]: r for r in _rows(tmp_path / "en.xlsx", "Operator actions")}
    assert en[seed]["Topic"] == "冬季续航"
    export_tables(store, tmp_path / "csv", fmt="csv", raw_headers=True)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "operator_actions.csv").read_text(encoding="utf-8-sig"))))
    assert next(r for r in rows if r["action_id"] == seed)["topic"] == "冬季续航"
