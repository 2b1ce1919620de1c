"""`reef import` of a Chinese export: mapped headers said below the table, a missing id column as one Chinese error
line (exit code 3), quarantine reasons of the summary said wholly in Chinese."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _members(tmp_path, header="用户ID,昵称,注册时间"):
    p = tmp_path / "members.csv"
    p.write_bytes(f"{header}\nu1,小王,2025-01-01 08:00\nu2,小李,2025-01-02 08:00\n".encode("gb18030"))
    return p


def test_the_summary_says_which_chinese_headers_were_read(tmp_path):
    p = _members(tmp_path)
    zh = invoke("import", p, "--db", tmp_path / "a.duckdb")
    assert zh.exit_code == 0, zh.output
    assert "已按中文列名导入：用户ID → member_id、昵称 → name、注册时间 → joined_at" in zh.stdout
    en = invoke("import", p, "--db", tmp_path / "b.duckdb", "--lang", "en")
    assert "Chinese headers read as fields: 用户ID → member_id" in en.stdout
    data = json.loads(invoke("import", p, "--db", tmp_path / "c.duckdb", "--json").stdout)
    assert (data["imported"], data["quarantined"]) == (2, 0)
    assert data["mapped_columns"][0]["columns"]["用户ID"] == "member_id"


def test_a_file_without_an_id_column_is_one_error_line_in_chinese(tmp_path):
    p = _members(tmp_path, header="用户,昵称,注册时间")
    db = tmp_path / "x.duckdb"
    zh = invoke("import", p, "--db", db)
    assert zh.exit_code == 3
    assert "缺少 member_id 列" in zh.stderr and "用户、昵称、注册时间" in zh.stderr and "请将列 用户 改名为 member_id" in zh.stderr
    en = invoke("import", p, "--db", db, "--lang", "en")
    assert en.exit_code == 3 and "has no member_id column (columns: 用户, 昵称, 注册时间)" in en.stderr
    err = json.loads(invoke("import", p, "--db", db, "--json").stdout)["error"]
    assert err["code"] == "missing_column" and "Rename column 用户 to member_id" in err["hint"]
    assert not db.exists()  # nothing written, not even an empty store


def test_summary_reasons_are_wholly_chinese(tmp_path):
    p = tmp_path / "interactions.csv"
    p.write_text("interaction_id,actor_id,target_content_id,kind,created_at\n"
                 "i1,m404,p404,like,2025-01-01\ni2,m1,p1,dance,2025-01-01\n", encoding="utf-8")
    out = invoke("import", p, "--db", tmp_path / "q.duckdb").stdout
    assert "引用不存在的记录" in out and "kind 的取值无法识别" in out
    assert "dangling reference" not in out and "unknown kind" not in out
