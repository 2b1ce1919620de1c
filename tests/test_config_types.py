"""A configuration value of the wrong type is refused in TOML's words (true or false, a whole number, text in
quotes, a list [...], a table) with the value as TOML writes it, in English and Chinese, from the library and from
`reef config show --config`; never Python's type names (bool, list, dict) or repr (True, ['a'])."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.config import load_config
from reef.errors import ConfigError

# (section, TOML line, key, expected kind en / zh, value shown, its kind en / zh): one per kind a default has.
CASES = [
    ("simulate", "planted = [1, 2]", "simulate.planted", "true or false", "true 或 false", "[1, 2]", "a list [...]", "列表 [...]"),
    ("ingest", "batch_rows = true", "ingest.batch_rows", "a whole number", "整数", "true", "true or false", "true 或 false"),
    ("simulate", 'activity = "high"', "simulate.activity", "a number", "数", '"high"', "text in quotes", "带引号的文本"),
    ("general", "language = 1", "general.language", "text in quotes", "带引号的文本", "1", "a whole number", "整数"),
    ("server", 'cors_origins = "http://a.example"', "server.cors_origins", "a list [...]", "列表 [...]",
     '"http://a.example"', "text in quotes", "带引号的文本"),
    ("risks", "claim_tolerance = [0.1, false]", "risks.claim_tolerance", "a table", "表", "[0.1, false]", "a list [...]", "列表 [...]"),
]
PYTHON_WORDS = re.compile(r"\b(got|expected) (bool|int|float|str|list|dict)\b|\b(True|False)\b|\['|'\]")


def _write(tmp_path, section, line):
    path = tmp_path / "wrong.toml"
    path.write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("section,line,key,want_en,want_zh,shown,got_en,got_zh", CASES)
def test_the_library_says_the_kind_in_toml_words(tmp_path, section, line, key, want_en, want_zh, shown, got_en, got_zh):
    path = _write(tmp_path, section, line)
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    error = exc.value
    assert error.where.file == str(path) and error.where.field == key
    en, zh = error.text("en"), error.text("zh")
    assert f"Wrong type for '{key}': expected {want_en}, got {shown} ({got_en})." in en
    assert f"'{key}' 的类型不对：应为{want_zh}，实际是 {shown}（{got_zh}）。" in zh
    assert str(path) in en and str(path) in zh
    assert not PYTHON_WORDS.search(en.replace(str(path), "")), en


@pytest.mark.parametrize("section,line,key,want_en,want_zh,shown,got_en,got_zh", CASES)
def test_config_show_says_the_kind_in_toml_words(tmp_path, section, line, key, want_en, want_zh, shown, got_en, got_zh):
    path = _write(tmp_path, section, line)
    result = CliRunner().invoke(app, ["config", "show", "--config", str(path), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["where"] == {"file": str(path), "line": None, "field": key}
    assert error["message"] == f"Wrong type for '{key}': expected {want_en}, got {shown} ({got_en})."
    zh = CliRunner().invoke(app, ["config", "show", "--config", str(path), "--lang", "zh"])
    assert zh.exit_code == 2 and f"应为{want_zh}，实际是 {shown}（{got_zh}）" in zh.stderr, zh.stderr
    en = CliRunner().invoke(app, ["config", "show", "--config", str(path), "--lang", "en"])
    assert f"expected {want_en}, got {shown} ({got_en})" in en.stderr and not PYTHON_WORDS.search(en.stderr.replace(str(path), ""))


def test_a_number_in_a_table_and_an_override_not_a_table():
    with pytest.raises(ConfigError) as exc:
        load_config().with_overrides({"risks.claim_tolerance": {"price": "x"}})
    assert 'must be a number, got "x" (text in quotes)' in exc.value.text("en")
    assert '应为数，实际是 "x"（带引号的文本）' in exc.value.text("zh")
    with pytest.raises(ConfigError) as exc:
        load_config().with_overrides({"ladder": [1, True]})
    assert "got [1, true]" in exc.value.text("en") and "请写成" in exc.value.text("zh")


def test_a_wrong_type_never_shows_a_robot_key_or_a_secret(tmp_path):
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY"
    path = tmp_path / "robots.toml"
    path.write_text(f'[risks]\nwebhook_secret = 123456\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert "123456" not in exc.value.text("en") and "(a whole number)" in exc.value.text("en")
    path.write_text(f'[risks.robots]\nformat = "wecom"\nurl = "{url}"\nsecret = "SIGNSECRET"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    for lang in ("en", "zh"):
        text = exc.value.text(lang)
        assert "SECRETKEY" not in text and "SIGNSECRET" not in text and "risks.robots" in text
