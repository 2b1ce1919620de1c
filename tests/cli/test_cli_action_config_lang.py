"""``reef config show`` and the confirmations of ``reef action add / done / cancel / withdraw`` speak the CLI's
language: Chinese by default, English with ``--lang en`` (or general.language); ``--json`` is the same in both."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.store import close_all, open_store


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("REEF_CONFIG", raising=False)
    path = tmp_path / "a.duckdb"
    open_store(path).execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
    close_all()
    return path


def test_config_show_in_both_languages(tmp_path, monkeypatch):
    monkeypatch.delenv("REEF_CONFIG", raising=False)
    db = tmp_path / "none.duckdb"
    zh, en = _run("config", "show", "--db", db), _run("config", "show", "--db", db, "--lang", "en")
    assert zh.exit_code == en.exit_code == 0
    assert zh.stdout.startswith("配置") and "配置项" in zh.stdout and "来源" in zh.stdout and "Configuration" not in zh.stdout
    assert en.stdout.startswith("Configuration") and "Source" in en.stdout and "配置项" not in en.stdout
    assert "general.timezone" in zh.stdout and "defaults.toml" in zh.stdout  # keys and sources as written
    cfg = tmp_path / "en.toml"
    cfg.write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    assert _run("config", "show", "--db", db, "--config", cfg).stdout.startswith("Configuration")
    js_zh, js_en = (json.loads(_run("config", "show", "--db", db, "--json", *extra).stdout) for extra in ((), ("--lang", "en")))
    assert js_zh == js_en and set(js_zh[0]) == {"key", "value", "source"}
    assert _run("config", "show", "--db", db, "--lang", "fr").exit_code == 2


def test_action_confirmations_in_both_languages(db):
    add = _run("action", "add", "m1", "--kind", "assign_task", "--brief", "写提纲", "--layer", "plaza", "--db", db)
    assert add.exit_code == 0, add.output
    out = add.stdout
    assert "已记录行动 ui-1" in out and "分派任务" in out and "待办" in out and "任务说明" in out and "广场" in out
    assert not any(w in out for w in ("Action ui-", "brief", "assign_task", "open"))
    en = _run("action", "add", "m1", "--kind", "assign_task", "--brief", "写提纲", "--db", db, "--lang", "en")
    assert "Recorded action ui-2" in en.stdout and "Brief" in en.stdout and "任务说明" not in en.stdout
    done = _run("action", "done", "ui-1", "--db", db)
    assert "行动 ui-1 已完成" in done.stdout and "已完成" in done.stdout and "完成时间" in done.stdout
    cancel = _run("action", "cancel", "ui-2", "--db", db, "--lang", "en")
    assert "Action ui-2 cancelled" in cancel.stdout and "Cancelled at" in cancel.stdout
    withdraw = _run("action", "withdraw", "ui-1", "--reason", "记错了", "--db", db)
    assert "行动 ui-1 已撤回" in withdraw.stdout and "撤回原因" in withdraw.stdout
    # --json keeps its English keys and codes, whatever the language.
    js = json.loads(_run("action", "add", "m1", "--kind", "note", "--note", "x", "--db", db, "--json").stdout)
    assert js["kind"] == "note" and js["status"] == "open" and "action_id" in js
    # A bad --lang is refused before anything is written.
    bad = _run("action", "add", "m1", "--kind", "note", "--note", "y", "--db", db, "--lang", "fr")
    assert bad.exit_code == 2
    assert json.loads(_run("action", "list", "--db", db, "--json").stdout)["total"] == 3
