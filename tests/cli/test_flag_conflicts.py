"""Flags given together that cannot go together say which ones, in one language per --lang (reef.cli._errors.
options_conflict): "--new cannot be used with --test" / "--new 不能与 --test 同时使用", never "Invalid value for
'--new': true" with an English "Expected ..." inside the Chinese line."""
from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from reef.cli import app as cli_app

_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("args, en, zh", [
    (["alerts", "--test", "--new"], "Error: --new cannot be used with --test.", "错误：--new 不能与 --test 同时使用。"),
    (["alerts", "--test", "--new", "--no-digest"], "--new and --no-digest cannot be used with --test.",
     "--new、--no-digest 不能与 --test 同时使用。"),
    (["alerts", "--robot", "ops", "--platform", "wecom"], "--robot cannot be used with --platform.",
     "--robot 不能与 --platform 同时使用。"),
    (["user", "add", "dave", "--no-password", "--password-env", "PW"], "--password-env cannot be used with --no-password.",
     "--password-env 不能与 --no-password 同时使用。"),
])
def test_a_flag_conflict_names_both_flags_in_one_language(tmp_path, args, en, zh):
    runner = CliRunner()
    db = str(tmp_path / "x.duckdb")
    for lang, said in (("en", en), ("zh", zh)):
        r = runner.invoke(cli_app, [*args, "--db", db, "--lang", lang])
        assert r.exit_code == 2 and said in r.output, r.output
        assert "Invalid value" not in r.output and "无效" not in r.output and "true" not in r.output
        if lang == "en":
            assert not _HAN.search(r.output), r.output
        else:  # the Chinese line has no English sentence left in it (flags and names aside)
            assert not re.search(r"\b(Expected|with|cannot|sends|only)\b", r.output), r.output
    assert not (tmp_path / "x.duckdb").exists()  # refused before a store is made


def test_quiet_with_json_says_so_in_the_json_error(tmp_path):
    r = CliRunner().invoke(cli_app, ["alerts", "--quiet", "--json", "--webhook", "https://example.com/hook",
                                     "--db", str(tmp_path / "x.duckdb"), "--lang", "en"])
    assert r.exit_code == 2 and '"--quiet cannot be used with --json."' in r.output and '"invalid_parameter"' in r.output
