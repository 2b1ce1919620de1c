"""CLI commands through typer's CliRunner, and once through the installed `reef` script."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyses.handmade import write_community
from reef.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def db(tmp_path) -> Path:
    paths = write_community(tmp_path / "data")
    db = tmp_path / "c.duckdb"
    result = invoke("import", *paths, "--db", db)
    assert result.exit_code == 0, result.output
    return db


def test_import_prints_summary_and_json_shape(tmp_path):
    paths = write_community(tmp_path / "data")
    bad = tmp_path / "data" / "more" / "content.jsonl"
    bad.parent.mkdir()
    bad.write_text('{"content_id": "x1", "kind": "spaceship", "created_at": "2026-01-02T10:00:00+08:00"}\nnot json\n', encoding="utf-8")
    result = invoke("import", *paths, bad, "--db", tmp_path / "c.duckdb", "--json")
    assert result.exit_code == 9, result.output  # committed, but no row of more/content.jsonl came in
    data = json.loads(result.stdout)
    assert [(w["code"], w["file"]) for w in data["warnings"]] == [("file_quarantined", str(bad))]
    assert data["imported"] == 14 and data["quarantined"] == 2
    assert data["by_entity"]["members"]["imported"] == 4
    assert sum(data["quarantine_reasons"].values()) == 2
    again = invoke("import", *paths, "--db", tmp_path / "c.duckdb")
    assert again.exit_code == 0 and "重复" in again.stdout  # the default language names the column


def test_missing_file_exits_3_naming_it(tmp_path):
    result = invoke("import", tmp_path / "nope.jsonl", "--db", tmp_path / "c.duckdb")
    assert result.exit_code == 3
    assert "nope.jsonl" in result.stderr and "not found" in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1


def test_errors_with_json_print_the_error_shape(tmp_path):
    result = invoke("import", tmp_path / "nope.jsonl", "--db", tmp_path / "c.duckdb", "--json")
    assert result.exit_code == 3
    err = json.loads(result.stdout)["error"]
    assert err["code"] == "unreadable_file" and err["where"]["file"].endswith("nope.jsonl")


def test_status_counts_and_staff(db):
    result = invoke("status", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["tables"]["content"] == 5 and data["staff_accounts"]["total"] == 1
    assert data["first_at"].startswith("2026-01-01") and data["imports"]["count"] == 1
    assert "内容" in invoke("status", "--db", db).stdout and "content" in invoke("status", "--db", db, "--lang", "en").stdout


def test_status_names_its_first_dates_and_quarantine_counts_apart(db, tmp_path):
    """first_at spans member joins; the coverage warning reads the first content: both are given by name. A bad row
    imported twice is summed twice over imports but held once: the table says which is which."""
    bad = tmp_path / "content.jsonl"
    bad.write_text('{"content_id": "x1", "kind": "thread", "created_at": "2026-01-02T10:00:00+08:00"}\nnot json\n', encoding="utf-8")
    assert invoke("import", bad, "--db", db).exit_code == 0 and invoke("import", bad, "--db", db).exit_code == 0
    data = json.loads(invoke("status", "--db", db, "--json").stdout)
    assert data["first_content_at"] and data["first_member_joined_at"] and data["first_at"] == min(
        data["first_content_at"], data["first_member_joined_at"])
    assert data["imports"]["quarantined"] == 2 and data["quarantine"]["total"] == 1
    wide = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["status", "--db", str(db), "--lang", "en"]).stdout
    for label in ("First content", "First member join", "Quarantined (summed over imports)", "Quarantined rows held"):
        assert label in wide
    wide = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["status", "--db", str(db)]).stdout
    for label in ("最早内容", "最早入会", "隔离行（各次导入合计）", "当前隔离行"):
        assert label in wide


def test_status_of_missing_store_is_not_found_as_everywhere(tmp_path):
    """One message and exit code 5 for a missing store, read-only commands included (docs/cli.md)."""
    db = tmp_path / "absent.duckdb"
    said = {name: invoke(*name.split(), "--db", db) for name in ("status", "quarantine", "action list", "risks")}
    assert {r.exit_code for r in said.values()} == {5}
    assert len({r.stderr for r in said.values()}) == 1 and "数据库文件不存在" in said["status"].stderr
    assert not db.exists()


def test_quarantine_lists_file_line_and_reason(tmp_path):
    bad = tmp_path / "content.jsonl"
    bad.write_text('{"content_id": "x1", "kind": "thread", "created_at": "2026-01-02T10:00:00+08:00"}\nnot json\n', encoding="utf-8")
    db = tmp_path / "q.duckdb"
    assert invoke("import", bad, "--db", db).exit_code == 0
    rows = json.loads(invoke("quarantine", "--db", db, "--json").stdout)
    assert [r["where"] for r in rows] == [f"{bad}:2"]
    assert "malformed" in rows[0]["reason"]
    assert json.loads(invoke("quarantine", "--db", db, "--json", "--reason", "nothing-like-this").stdout) == []
    assert invoke("quarantine", "--db", db, "--limit", "0").exit_code == 2


def test_quarantine_says_its_reasons_in_the_language_with_a_stable_code(tmp_path):
    bad = tmp_path / "content.jsonl"
    bad.write_text('{"content_id": "x1", "kind": "poem", "created_at": "2026-01-02T10:00:00+08:00"}\n', encoding="utf-8")
    db = tmp_path / "q.duckdb"
    assert invoke("import", bad, "--db", db).exit_code == 9  # committed; every row of the file quarantined
    [row] = json.loads(invoke("quarantine", "--db", db, "--json").stdout)
    assert row["reason_code"] == "unknown_code" and row["reason"].startswith("unknown kind 'poem'")
    chinese = invoke("quarantine", "--db", db).stdout  # general.language: zh (rich wraps the cell)
    assert "无法识别" in chinese and "'poem'" in chinese and "unknown kind" not in chinese
    english = invoke("quarantine", "--db", db, "--lang", "en").stdout
    assert "unknown kind" in english and "无法识别" not in english
    assert invoke("quarantine", "--db", db, "--lang", "fr").exit_code == 2


def test_analyze_then_skip_then_force(db):
    first = json.loads(invoke("analyze", "--db", db, "--json").stdout)
    from reef.analyses import registered

    statuses = {r["name"]: r["status"] for r in first["results"]}
    assert set(statuses) == {a.name for a in registered()} >= {"activity_daily", "member_summary"}
    assert set(statuses.values()) == {"ok"}
    second = json.loads(invoke("analyze", "--db", db, "--json").stdout)
    assert {r["status"] for r in second["results"]} == {"skipped"}
    forced = json.loads(invoke("analyze", "--db", db, "--json", "--force", "--only", "member_summary").stdout)
    assert [(r["name"], r["status"]) for r in forced["results"]] == [("member_summary", "ok")]
    dated = json.loads(invoke("analyze", "--db", db, "--json", "--as-of", "2026-01-03").stdout)
    assert dated["as_of"] == "2026-01-03T00:00:00+08:00"  # the same moment, in the store's time zone


def test_analyze_bad_as_of_exits_2(db):
    result = invoke("analyze", "--db", db, "--as-of", "yesterday-ish")
    assert result.exit_code == 2 and "错误：'--as-of' 的值无效：'yesterday-ish'。应为2026-03-01 这样的日期或" in result.stderr
    result = invoke("analyze", "--db", db, "--as-of", "yesterday-ish", "--lang", "en")  # the English switch: click's words
    assert result.exit_code == 2 and "Invalid value for '--as-of': 'yesterday-ish'. Expected a date like" in result.stderr


@pytest.mark.parametrize("command", [("analyze",), ("ladder",), ("risks",), ("kb", "gaps"), ("connectors",), ("groups",)])
def test_an_empty_as_of_is_refused_not_read_as_the_end_of_the_data(db, command):
    result = invoke(*command, "--db", db, "--as-of", " ")
    # the message + hint template of every invalid value (reef.errors_zh.invalid_value_zh), not a sentence of its own
    assert result.exit_code == 2 and result.stderr.rstrip().endswith(
        "错误：'--as-of' 的值为空白（只有空白字符）。应为2026-03-01 这样的日期或 2026-03-01T08:00+08:00 这样的日期时间。"
        "省略 --as-of 即到数据的末尾。")
    empty = invoke(*command, "--db", db, "--as-of", "")
    assert empty.exit_code == 2 and "错误：'--as-of' 的值为空。应为2026-03-01 这样的日期或" in empty.stderr
    en = invoke(*command, "--db", db, "--as-of", "", "--lang", "en")
    assert "Error: Invalid value for '--as-of': ''. Expected a date like 2026-03-01 or a datetime like " in en.stderr
    assert en.stderr.rstrip().endswith("Leave --as-of out for the end of the data.")


def test_report_writes_html_and_markdown(db, tmp_path):
    result = invoke("report", "--db", db, "--out", tmp_path / "rep", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    html = Path(data["report"]).read_text(encoding="utf-8")
    assert "社群运营报告" in html and "<script" not in html
    assert Path(data["report_md"]).exists()


def test_config_show_names_sources(tmp_path):
    cfg = tmp_path / "my.toml"
    cfg.write_text('[ladder]\nwindow_days = 30\n', encoding="utf-8")
    rows = json.loads(invoke("config", "show", "--config", cfg, "--json").stdout)
    by_key = {r["key"]: r for r in rows}
    assert by_key["ladder.window_days"] == {"key": "ladder.window_days", "value": 30, "source": str(cfg)}
    assert by_key["general.timezone"]["source"] == "defaults.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text('[ladder]\nwindow_dayz = 3\n', encoding="utf-8")
    result = invoke("config", "show", "--config", bad)
    assert result.exit_code == 2 and "window_dayz" in result.stderr


def test_version_and_analyses_listing():
    assert json.loads(invoke("version", "--json").stdout)["reef"]
    names = [a["name"] for a in json.loads(invoke("analyses", "--json").stdout)["analyses"]]
    assert {"activity_daily", "member_summary"} <= set(names)
    # Chinese by default, English with --lang en; --json is the same in both
    assert "数据结构版本" in invoke("version").stdout and "(schema " in invoke("version", "--lang", "en").stdout
    wide = CliRunner(env={"COLUMNS": "300"})
    zh, en = (wide.invoke(app, ["analyses", *extra]).stdout for extra in ((), ("--lang", "en")))
    assert "已注册的分析" in zh and "依赖" in zh and "Depends on" not in zh
    assert "Registered analyses" in en and "Depends on" in en
    assert json.loads(invoke("analyses", "--json", "--lang", "en").stdout) == json.loads(invoke("analyses", "--json").stdout)


def test_help_everywhere():
    from typer.main import get_command

    group = get_command(app)
    assert invoke("--help").exit_code == 0
    for name, cmd in group.commands.items():
        assert invoke(name, "--help").exit_code == 0
        for sub in getattr(cmd, "commands", {}):
            assert invoke(name, sub, "--help").exit_code == 0


def test_installed_script_runs_in_a_subprocess(tmp_path):
    script = Path(sys.executable).with_name("reef")
    exe = str(script) if script.exists() else shutil.which("reef")
    if exe is None:
        pytest.skip("the reef script is not installed")
    missing = subprocess.run([exe, "import", str(tmp_path / "gone.csv"), "--db", str(tmp_path / "s.duckdb")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 3 and "gone.csv" in missing.stderr
    version = subprocess.run([exe, "version", "--json"], capture_output=True, text=True, timeout=120)
    assert version.returncode == 0 and json.loads(version.stdout)["schema"]


def test_a_failed_first_import_or_simulation_leaves_no_store(tmp_path):
    assert invoke("import", tmp_path / "typo.csv", "--db", tmp_path / "new.duckdb").exit_code == 3
    assert invoke("simulate", "--members", "0", "--db", tmp_path / "sim.duckdb").exit_code == 2
    assert not (tmp_path / "new.duckdb").exists() and not (tmp_path / "sim.duckdb").exists()


def test_a_failed_import_into_an_existing_store_keeps_it(db, tmp_path):
    assert invoke("import", tmp_path / "typo.csv", "--db", db).exit_code == 3
    assert db.exists() and json.loads(invoke("status", "--db", db, "--json").stdout)["tables"]["members"] == 4


def test_an_output_path_that_cannot_be_written_is_a_one_line_error(db, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = invoke("export", "--out", blocker / "x.xlsx", "--db", db)
    assert r.exit_code == 3 and "Traceback" not in r.output
    assert r.stderr.startswith("错误：") and "这里需要一个文件夹，却是一个文件。" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    j = invoke("export", "--out", blocker / "x.xlsx", "--db", db, "--json")
    assert j.exit_code == 3 and json.loads(j.stdout)["error"]["code"] == "file_error"


def test_action_list_checks_its_dates(db):
    r = invoke("action", "list", "--since", "garbage", "--db", db)
    assert r.exit_code == 2 and "since" in r.stderr


def test_user_add_refuses_contradicting_password_flags(db, monkeypatch):
    monkeypatch.setenv("PW", "secret-pass")
    r = invoke("user", "add", "dave", "--role", "viewer", "--no-password", "--password-env", "PW", "--db", db)
    assert r.exit_code == 2 and "不能与 --no-password 同时使用" in r.output
    en = invoke("user", "add", "dave", "--no-password", "--password-env", "PW", "--db", db, "--lang", "en")
    assert en.exit_code == 2 and "--password-env cannot be used with --no-password" in en.output


def test_analyze_header_shows_as_of_in_the_store_time_zone(db):
    result = invoke("analyze", "--db", db, "--as-of", "2026-01-05", "--only", "activity_daily")
    assert result.exit_code == 0, result.output
    assert "2026-01-05T00:00:00+08:00" in result.stdout and "+00:00" not in result.stdout
    data = json.loads(invoke("analyze", "--db", db, "--as-of", "2026-01-05", "--only", "activity_daily", "--json").stdout)
    assert data["as_of"] == "2026-01-05T00:00:00+08:00"


def test_import_into_a_missing_folder_is_refused(tmp_path):
    paths = write_community(tmp_path / "data")
    result = invoke("import", *paths, "--db", tmp_path / "nofolder" / "c.duckdb")
    assert result.exit_code == 5 and "folder of the store does not exist" in result.stderr
    assert not (tmp_path / "nofolder").exists()
