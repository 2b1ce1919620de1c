"""Errors the CLI prints in Chinese by default, with the English switch: a bad configuration value, a wrong
parameter (``reef user add --role Viewer``), an unset ``--password-env``, a store locked by another process; and
``reef user add`` prints the user it created in the language of ``reef user list``."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from reef.cli import app

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, env=None):
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def test_a_bad_configuration_value_is_said_in_chinese_and_in_english_with_lang_en(tmp_path, monkeypatch):
    import reef

    monkeypatch.delenv("REEF_CONFIG", raising=False)
    reef.open(tmp_path / "x.duckdb").close()
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[general]\nlanguage = "fr"\n', encoding="utf-8")
    zh = _run("status", "--db", tmp_path / "x.duckdb", "--config", cfg)
    assert zh.exit_code == 2
    assert "字段 general.language：'general.language' 的值无效：'fr'。应为以下之一：zh、en。" in zh.stderr
    assert "Invalid value" not in zh.stderr and "field '" not in zh.stderr
    en = _run("status", "--db", tmp_path / "x.duckdb", "--config", cfg, "--lang", "en")
    assert en.exit_code == 2 and "Invalid value for 'general.language': 'fr'. Expected one of zh, en." in en.stderr
    cfg.write_text('[general]\nlanguag = "zh"\n', encoding="utf-8")
    typo = _run("status", "--db", tmp_path / "x.duckdb", "--config", cfg)
    assert typo.exit_code == 2 and "配置节 [general] 中没有配置项 'languag'" in typo.stderr


def test_a_wrong_role_is_refused_in_chinese_before_the_password_is_asked_for(tmp_path, monkeypatch):
    monkeypatch.delenv("REEF_CONFIG", raising=False)
    db = tmp_path / "u.duckdb"
    zh = _run("user", "add", "bob", "--role", "Viewer", "--db", db)
    assert zh.exit_code == 2, zh.output
    assert "错误：'role' 的值无效：'Viewer'。应为以下之一：viewer、operator、admin。" in zh.stderr
    assert "Password" not in zh.output
    en = _run("user", "add", "bob", "--role", "Viewer", "--db", db, "--lang", "en")
    assert en.exit_code == 2 and "Error: Invalid value for 'role': 'Viewer'. Expected one of viewer, operator, admin." in en.stderr


def test_an_unset_password_variable_is_said_in_chinese(tmp_path, monkeypatch):
    monkeypatch.delenv("REEF_CONFIG", raising=False)
    monkeypatch.delenv("REEF_TEST_UNSET_PW", raising=False)
    zh = _run("user", "add", "bob", "--password-env", "REEF_TEST_UNSET_PW", "--db", tmp_path / "u.duckdb")
    assert zh.exit_code == 2 and "环境变量 REEF_TEST_UNSET_PW 为空或未设置" in zh.stderr
    assert "environment variable" not in zh.stderr


def test_user_add_prints_the_user_in_the_language_of_user_list(tmp_path, monkeypatch):
    monkeypatch.delenv("REEF_CONFIG", raising=False)
    db = tmp_path / "u.duckdb"
    zh = _run("user", "add", "bob", "--no-password", "--db", db)
    assert zh.exit_code == 0, zh.output
    assert "用户名" in zh.stdout and "已设密码" in zh.stdout and "只读" in zh.stdout and "否" in zh.stdout
    assert "has_password" not in zh.stdout and "False" not in zh.stdout
    en = _run("user", "add", "eve", "--no-password", "--db", db, "--lang", "en")
    assert "Password set" in en.stdout and "No" in en.stdout and "viewer" in en.stdout


def test_a_locked_store_is_said_in_chinese(tmp_path):
    from reef.store import open_store

    db = tmp_path / "locked.duckdb"
    store = open_store(db)  # this process holds it for writing, as `reef serve` does
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REEF_CONFIG", None)
    try:
        zh = subprocess.run([sys.executable, "-m", "reef", "analyze", "--db", str(db)], capture_output=True, text=True,
                            timeout=120, env=env)
        en = subprocess.run([sys.executable, "-m", "reef", "analyze", "--db", str(db), "--lang", "en"], capture_output=True,
                            text=True, timeout=120, env=env)
    finally:
        store.close()
    assert zh.returncode == en.returncode == 4, zh.stderr
    assert zh.stderr.startswith(f"错误：存储文件 {db} 正被另一个进程打开") and "请等待那个进程结束" in zh.stderr
    assert en.stderr.startswith(f"Error: The store {db} is open in another process")


def test_user_add_without_a_password_or_a_terminal_says_how_to_pass_one(tmp_path):
    """`reef user add` with stdin at /dev/null and no controlling terminal (a cron job, CI): an invalid_parameter
    error naming --password-env and --no-password (JSON with --json, exit code 2), not click's bare "Aborted!"."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REEF_CONFIG", None)
    db = tmp_path / "u.duckdb"

    def run(*extra):
        return subprocess.run([sys.executable, "-m", "reef", "user", "add", "bob", "--role", "viewer", "--db", str(db), *extra],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, env=env,
                              start_new_session=True)  # no controlling terminal: getpass cannot open /dev/tty

    js = run("--json")
    assert js.returncode == 2, js.stdout + js.stderr
    error = json.loads(js.stdout)["error"]
    assert error["code"] == "invalid_parameter" and "no terminal" in error["message"]
    assert "--password-env" in error["hint"] and "--no-password" in error["hint"]
    zh = run()
    assert zh.returncode == 2 and "未给出密码" in zh.stderr and "--password-env" in zh.stderr and "Aborted" not in zh.stderr
    en = run("--lang", "en")
    assert en.returncode == 2 and "Error: No password given and no terminal" in en.stderr


def test_a_blank_question_gives_its_example_in_the_language_of_the_error(tmp_path, monkeypatch):
    import reef

    monkeypatch.delenv("REEF_CONFIG", raising=False)
    db = tmp_path / "k.duckdb"
    reef.open(db).close()
    en = _run("ask", "", "--db", db, "--lang", "en")
    assert en.exit_code == 2 and "Expected a non-blank question such as 'how much range is lost in winter'." in en.stderr
    assert not re.search(r"[\u4e00-\u9fff]", en.stderr), en.stderr  # no Chinese example inside the English sentence
    zh = _run("ask", " ", "--db", db)
    assert zh.exit_code == 2 and "应为非空白的问题，如 冬天续航掉多少。" in zh.stderr
