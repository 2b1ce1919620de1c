"""`reef import` on a .json array, look-alike columns and a file naming no entity; `reef quarantine --reason`."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_a_json_array_imports_every_row(tmp_path):
    p = tmp_path / "members.json"
    p.write_text('[\n{"member_id":"a1","joined_at":"2025-01-01"},\n{"member_id":"a2","joined_at":"2025-01-02"}\n]\n')
    result = invoke("import", p, "--db", tmp_path / "x.duckdb", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["imported"], data["quarantined"]) == (2, 0)


def test_a_broken_json_array_exits_3_with_one_line(tmp_path):
    p = tmp_path / "members.json"
    p.write_text('[\n{"member_id":"a1","joined_at":"2025-01-01"}\n{"member_id":"a2","joined_at":"2025-01-02"}\n]\n')
    result = invoke("import", p, "--db", tmp_path / "x.duckdb")
    assert result.exit_code == 3 and "members.json" in result.stderr and "not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unused_look_alike_columns_are_warned_on_stderr_and_in_json(tmp_path):
    p = tmp_path / "content.csv"
    p.write_text("content_id,kind,created_at,text\nt1,thread,2025-01-01,冬季续航怎么样\n", encoding="utf-8")
    zh = invoke("import", p, "--db", tmp_path / "x.duckdb")
    assert zh.exit_code == 0, zh.output
    assert "列 text 未使用" in zh.stderr and "是否应为 body？" in zh.stderr and "未使用" not in zh.stdout
    en = invoke("import", p, "--db", tmp_path / "x.duckdb", "--lang", "en")
    assert "column text was not used" in en.stderr and "did you mean body?" in en.stderr
    data = json.loads(invoke("import", p, "--db", tmp_path / "x.duckdb", "--json").stdout)
    assert [(w["code"], w["column"], w["suggestion"]) for w in data["warnings"]] == [("unused_column", "text", "body")]


def test_a_file_naming_no_entity_exits_3_without_quarantine(tmp_path):
    p = tmp_path / "export_2025.csv"
    p.write_text("member_id,joined_at\n" + "".join(f"m{i},2025-01-01\n" for i in range(50)), encoding="utf-8")
    db = tmp_path / "x.duckdb"
    result = invoke("import", p, "--db", db, "--json")
    assert result.exit_code == 3
    err = json.loads(result.stdout)["error"]
    assert err["code"] == "no_entity" and "members" in err["hint"] and "--entity" in err["hint"]
    assert invoke("import", p, "--db", db, "--entity", "members").exit_code == 0
    assert json.loads(invoke("quarantine", "--db", db, "--json").stdout) == []


def test_quarantine_reason_takes_a_code_or_chinese_text(tmp_path):
    p = tmp_path / "members.jsonl"
    p.write_text('{"member_id": "m1"}\nnot json\n', encoding="utf-8")
    db = tmp_path / "q.duckdb"
    assert invoke("import", p, "--db", db).exit_code == 9  # committed; every row of the file quarantined

    def codes(reason):
        result = invoke("quarantine", "--db", db, "--json", "--reason", reason)
        assert result.exit_code == 0, result.output
        return [r["reason_code"] for r in json.loads(result.stdout)]

    assert codes("missing_field") == ["missing_field"]
    assert codes("缺少必填字段") == ["missing_field"]
    assert codes("JSON 格式错误") == ["malformed_json"]
    assert codes("malformed") == ["malformed_json"]
    assert "reason code" in invoke("quarantine", "--help").stdout
