"""An error line starts in the operator's language: 错误： by default, Error: with --lang en or general.language = "en";
the exit code is the same in both, and --json prints the error's JSON shape without a prefix."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli import app


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_the_error_prefix_follows_the_language(tmp_path, monkeypatch):
    monkeypatch.delenv("REEF_CONFIG", raising=False)
    missing = tmp_path / "missing.duckdb"
    zh = _run("ladder", "--db", missing)
    en = _run("ladder", "--db", missing, "--lang", "en")
    assert zh.exit_code == en.exit_code == 5
    # the whole line in the language, not English after the Chinese prefix
    assert zh.stderr.startswith(f"错误：数据库文件不存在：{missing}。请先创建：`reef import FILES --db {missing}`")
    assert "Error:" not in zh.stderr and "Store file" not in zh.stderr and "Create it" not in zh.stderr
    assert en.stderr.startswith(f"Error: Store file does not exist: {missing}. Create it first:")
    # A command without --lang reads general.language from its configuration.
    cfg = tmp_path / "en.toml"
    cfg.write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    st = _run("status", "--db", missing, "--config", cfg)
    assert st.exit_code == 5 and st.stderr.startswith("Error: ")
    assert _run("status", "--db", missing).stderr.startswith("错误：")
    # A bad --lang is reported in the default language, exit code 2 as before.
    bad = _run("ladder", "--db", missing, "--lang", "fr")
    assert bad.exit_code == 2 and bad.stderr.startswith("错误：") and "--lang" in bad.stderr
    js = _run("ladder", "--db", missing, "--json")
    assert js.exit_code == 5 and json.loads(js.stdout)["error"]["code"] == "not_found"


def test_a_chinese_error_line_has_no_space_after_a_full_stop_an_english_one_has(store_template, tmp_path, monkeypatch):
    import shutil

    monkeypatch.delenv("REEF_CONFIG", raising=False)
    db = tmp_path / "reef.duckdb"
    shutil.copy(store_template, db)
    zh = _run("contest", "--campaign", "nope", "--db", db)  # message and hint: two sentences
    assert zh.exit_code == 5 and "在数据库中不存在。已有的活动ID：" in zh.stderr and "。 " not in zh.stderr
    en = _run("contest", "--campaign", "nope", "--db", db, "--lang", "en")
    assert en.exit_code == 5 and "No campaign 'nope' in the store. Known campaign ids: " in en.stderr


def test_one_line_joins_chinese_without_and_english_with_a_space():
    from reef.errors import ReefError
    from reef.errors_zh import one_line

    error = ReefError("Bad.", hint="Fix it.", message_zh="数据有误。", hint_zh="请改正：\n见文档。")
    assert one_line(error.text("zh")) == "数据有误。请改正：见文档。"
    assert one_line(error.text("en")) == "Bad. Fix it."
    assert one_line(ReefError("Bad.", hint="Fix it.", message_zh="数据有误。").text("zh")) == "数据有误。Fix it."
