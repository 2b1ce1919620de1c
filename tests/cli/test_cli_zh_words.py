"""Human-readable CLI output is Chinese by default, English with --lang en, and --json keeps its keys: reef status's
labels, an action's due date, the analysis runs' notes, the report and export lines, ripple's summary, the user list
and the codes shown by name (contest kinds, plaza topic types, council dimensions, effect outcomes, guide kinds).

Runs on the small analysed surface store (tests/server/surface_fixtures.py, ``db_path``)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli import app

wide = CliRunner(env={"COLUMNS": "400"})


def run(*args) -> str:
    r = wide.invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r.stdout


def test_status_speaks_the_operators_language(db_path):
    zh = run("status", "--db", db_path)
    for chinese in ("数据库", "成员", "互动", "最早内容", "最早入会", "官方/员工账号", "导入次数", "当前隔离行", "最近的分析运行", "分析", "完成"):
        assert chinese in zh, chinese
    for english in ("Store ", "first content", "first member join", "staff accounts", "quarantined rows held",
                    "Last analysis runs", "finished_at", "interactions"):
        assert english not in zh, english
    en = run("status", "--db", db_path, "--lang", "en")
    assert "First content" in en and "Last analysis runs" in en and "Interactions" in en and "最早内容" not in en
    assert json.loads(run("status", "--db", db_path, "--json"))["tables"]["interactions"] > 0  # the keys stay
    bad = wide.invoke(app, ["status", "--db", str(db_path), "--lang", "fr"])
    assert bad.exit_code == 2 and "--lang" in bad.output


def test_status_counts_quarantine_by_kind_of_reason_in_chinese(tmp_path):
    p = tmp_path / "members.csv"
    p.write_text("member_id,joined_at\nm1,2025-01-01\n,2025-01-02\n", encoding="utf-8")
    db = tmp_path / "q.duckdb"
    run("import", p, "--db", db, "--entity", "members")
    zh = run("status", "--db", db)
    assert "隔离原因（按类别）" in zh and "缺少 ID" in zh and "missing required id" not in zh
    assert "missing required id" in run("status", "--db", db, "--lang", "en")


def test_action_list_due_date_and_overdue(db_path):
    run("action", "add", "m001", "--kind", "assign_task", "--brief", "写攻略", "--layer", "plaza", "--due", "2020-01-31", "--db", db_path)
    zh = run("action", "list", "--db", db_path, "--kind", "assign_task")
    assert "截止 2020-01-31（已逾期）" in zh and "广场" in zh and "due " not in zh and "overdue" not in zh
    en = run("action", "list", "--db", db_path, "--kind", "assign_task", "--lang", "en")
    assert "due 2020-01-31 (overdue)" in en and "已逾期" not in en
    item = json.loads(run("action", "list", "--db", db_path, "--json"))["items"][0]
    assert item["due"] == "2020-01-31" and item["overdue"] is True and item["layer"] == "plaza"


def test_analyze_notes_and_report_lines(db_path, tmp_path):
    zh = run("analyze", "--db", db_path)  # every analysis is fresh on this store: each is "up to date"
    assert "已是最新" in zh and "up to date" not in zh
    assert "up to date" in run("analyze", "--db", db_path, "--lang", "en")
    zh = run("report", "--db", db_path, "--out", tmp_path / "r")
    assert "报告：" in zh and "Report:" not in zh
    assert "Report: " in run("report", "--db", db_path, "--out", tmp_path / "e", "--lang", "en")


def test_export_and_user_list_titles_and_headers(db_path, tmp_path):
    zh = run("export", "--db", db_path, "--out", tmp_path / "x.xlsx")
    assert "导出" in zh and "已脱敏" in zh and "工作表" in zh and "Export" not in zh and "masked" not in zh and "sheet" not in zh
    assert "Export" in run("export", "--db", db_path, "--out", tmp_path / "y.xlsx", "--lang", "en")
    zh = run("user", "list", "--db", db_path)
    assert "用户名" in zh and "管理员" in zh and "username" not in zh and "Users" not in zh
    en = run("user", "list", "--db", db_path, "--lang", "en")
    assert "Username" in en and "admin" in en
    assert {u["role"] for u in json.loads(run("user", "list", "--db", db_path, "--json"))} == {"admin", "operator", "viewer"}


def test_codes_are_shown_by_name_in_chinese(db_path, tmp_path):
    zh = run("council", "--db", db_path)
    en = run("council", "--db", db_path, "--lang", "en")
    assert "car model" in en and "car_model" not in en and "car_model" not in zh and "车型" in zh
    zh = run("plaza", "--db", db_path)
    assert "│ 类型 " in zh and "│ 话题 " in zh and not any(f"│ {t} " in zh for t in ("kind", "aspect", "tag", "photo", "thread"))
    assert "│ kind " in run("plaza", "--db", db_path, "--lang", "en")
    zh = run("effect", "--db", db_path, "--window", 3)  # a short window: the store's actions are evaluated
    assert "次/周" in zh and "入会时长（对数）" in zh and "per_week" not in zh and "log_tenure" not in zh
    en = run("effect", "--db", db_path, "--window", 3, "--lang", "en")
    assert "per_week" in en and "log_tenure" in en
    zh = run("contest", "--campaign", "camp-1", "--db", db_path)
    assert "图片" in zh and "photo" not in zh and "photo" in run("contest", "--campaign", "camp-1", "--db", db_path, "--lang", "en")
    zh = run("ripple", "--campaign", "camp-1", "--db", db_path)
    assert "种子成员" in zh and "adopters" not in zh and "['" not in zh
    assert "Adopters" in run("ripple", "--campaign", "camp-1", "--db", db_path, "--lang", "en")
    zh = run("guide", "--db", db_path, "--out", tmp_path / "g")
    assert "新手百科" in zh and "newbie.md" in zh and "│ newbie" not in zh


def test_team_alternatives_are_titled_by_the_roles_name(db_path):
    from pathlib import Path

    brief = Path(__file__).resolve().parents[2] / "docs" / "examples" / "team-brief.toml"
    zh = run("team", "--brief", brief, "--db", db_path)
    assert "备选：主笔" in zh and "备选: writer" not in zh and "项目团队：" in zh
    assert "Alternatives: writer" in run("team", "--brief", brief, "--db", db_path, "--lang", "en")


def test_simulate_summary_speaks_the_operators_language(tmp_path):
    zh = run("simulate", "--db", tmp_path / "zh.duckdb", "--members", 50, "--days", 14)
    assert "模拟" in zh and "事件数" in zh and "耗时（秒）" in zh and "隔离行数" in zh
    for english in ("Simulation", "events", "seconds", "quarantined"):
        assert english not in zh, english
    en = run("simulate", "--db", tmp_path / "en.duckdb", "--members", 50, "--days", 14, "--lang", "en")
    assert "Simulation" in en and "Events" in en and "事件数" not in en
    assert json.loads(run("simulate", "--db", tmp_path / "js.duckdb", "--members", 50, "--days", 14, "--json"))["events"] > 0
    bad = wide.invoke(app, ["simulate", "--db", str(tmp_path / "bad.duckdb"), "--lang", "fr"])
    assert bad.exit_code == 2 and not (tmp_path / "bad.duckdb").exists()  # refused before a store was made
