"""Errors show a user's value as words, never Python's container syntax: an empty list is said to be empty (not
``'files': []``), a list or set reads as its items (``'a', 'b'`` / ``'a'、'b'``), a flag as true/false (not ``True``),
in English and in Chinese, through the library, the CLI and the HTTP API (reef.errors_zh.value_words)."""
from __future__ import annotations

import io
import re

import pytest
from typer.testing import CliRunner

from reef.cli import app as cli_app
from reef.errors import InvalidParameterError

_PYTHON = re.compile(r"\[\]|\[\s*'|\{'|\(\s*'|\bTrue\b|\bFalse\b|set\(\)")


@pytest.mark.parametrize("value, en, zh", [
    ([], "No value given for 'files'. Expected at least one file.", "'files' 未给出任何值。应为至少一个文件。"),
    (["x", "y"], "Invalid value for 'files': 'x', 'y'. Expected at least one file.", "'files' 的值无效：'x'、'y'。"),
    ({"y", "x"}, "Invalid value for 'files': 'x', 'y'.", "'files' 的值无效：'x'、'y'。"),
    (True, "Invalid value for 'files': true.", "'files' 的值无效：true。"),
    ({"a": 1}, "Invalid value for 'files': a: 1.", "'files' 的值无效：a：1。"),
    # a moment given to the Python API (the weekly risk report's refusal showed datetime.datetime(…, tzinfo=<DstTzInfo …>))
    (__import__("datetime").datetime(2026, 7, 29, 23, 59, 26, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Shanghai")),
     "Invalid value for 'files': 2026-07-29T23:59:26+08:00.", "'files' 的值无效：2026-07-29T23:59:26+08:00。"),
])
def test_an_invalid_value_reads_as_words_in_both_languages(value, en, zh):
    exc = InvalidParameterError("files", value, "at least one file")
    assert en in exc.text("en") and zh in exc.text("zh")
    assert not _PYTHON.search(exc.text("en")) and not _PYTHON.search(exc.text("zh"))


def test_a_cli_flag_refused_names_the_flags_not_python(tmp_path):
    runner = CliRunner()  # a conflict reads as the flags (tests/cli/test_flag_conflicts.py), never True
    for lang, said in (("en", "--new cannot be used with --test."), ("zh", "--new 不能与 --test 同时使用。")):
        r = runner.invoke(cli_app, ["alerts", "--test", "--new", "--db", str(tmp_path / "x.duckdb"), "--lang", lang])
        assert r.exit_code == 2 and said in r.output, r.output
        assert "True" not in r.output


def test_a_robot_config_list_reads_as_its_items(tmp_path):
    from reef.config import load_config
    from reef.errors import ConfigError

    path = tmp_path / "reef.toml"
    path.write_text('[[risks.robots]]\nname = "ops"\nurl = "https://example.com/hook"\nformat = "wecom"\n'
                    'families = ["nope", "zilch"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    en, zh = info.value.text("en"), info.value.text("zh")
    assert "'nope', 'zilch'" in en and "'nope'、'zilch'" in zh, (en, zh)
    assert not _PYTHON.search(en) and not _PYTHON.search(zh)


def test_http_list_parameters_read_as_words(client):
    from surface_fixtures import login

    csrf = login(client, "admin")
    r = client.post("/api/v1/jobs/analyze", json={"only": ["nope", "zilch"]}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422, r.text
    message = r.json()["error"]["message"]
    assert "'nope', 'zilch'" in message and not _PYTHON.search(message), message
    r = client.post("/api/v1/jobs/import", headers={"X-CSRF-Token": csrf}, files={"other": ("x.txt", io.BytesIO(b"x"))})
    assert r.status_code == 422, r.text
    assert "[]" not in r.text and not _PYTHON.search(r.json()["error"]["message"]), r.text
