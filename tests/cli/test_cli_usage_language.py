"""Parser (usage) errors read in the operator's language: Chinese by default, click's English with --lang en or
general.language = "en"; the usage line is kept and the exit code stays 2 (reef/cli/_usage.py, docs/cli.md)."""
from __future__ import annotations

import json
from typing import Literal

import pytest
import typer
from typer.testing import CliRunner

from reef.cli import app, main
from reef.cli._usage import ReefGroup


@pytest.fixture(autouse=True)
def _no_config(monkeypatch):
    monkeypatch.delenv("REEF_CONFIG", raising=False)


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("args, zh, en", [
    (["member"], "错误：缺少参数 'member_id'。", "Error: Missing argument 'member_id'."),
    (["action", "withdraw", "a1"], "错误：缺少选项 '--reason'。", "Error: Missing option '--reason'."),
    (["status", "--jsno"], "错误：没有这个选项：--jsno（您是不是想用：--json）", "Error: No such option: --jsno (Possible options: --json)"),
    (["status", "--bogus"], "错误：没有这个选项：--bogus", "Error: No such option: --bogus"),
    (["ladder", "--top", "0"], "错误：'--top' 的值无效：应大于或等于 1。", "Error: Invalid value for '--top': Input should be greater than or equal to 1"),
    (["ladder", "--top", "abc"], "错误：'--top' 的值无效：应为整数。", "Error: Invalid value for '--top': Input should be a valid integer"),
    # a bound checked by the library at parse time (reef.cli._common.checked): its expected value in Chinese too
    (["ladder", "--stage", "9"], "错误：'--stage' 的值无效：9。应为0 到 4 之间的整数。", "Error: Invalid value for '--stage': 9. Expected an integer from 0 to 4."),
    (["stats"], "错误：没有这个命令：'stats'。您是不是想用 'status'？", "Error: No such command 'stats'. Did you mean 'status'?"),
    (["kb", "nosuch"], "错误：没有这个命令：'nosuch'。", "Error: No such command 'nosuch'."),
])
def test_usage_errors_are_chinese_by_default_and_english_with_the_switch(args, zh, en):
    got = _run(*args)
    assert got.exit_code == 2
    usage = f"Usage: reef {' '.join(a for a in args if not a.startswith('-') and a not in ('a1', '0', '9', 'abc', 'stats', 'nosuch'))}"
    assert got.stderr.startswith(usage.rstrip())  # the usage line, as click writes it
    assert zh in got.stderr and "Error:" not in got.stderr and "--help' 查看帮助。" in got.stderr
    english = _run(*args, "--lang", "en")  # read from the command line even where the parser stopped before it
    assert english.exit_code == 2 and en in english.stderr and "错误" not in english.stderr
    assert english.stderr.startswith("Usage: reef")


def test_the_language_comes_from_the_configuration_without_lang(tmp_path):
    cfg = tmp_path / "en.toml"
    cfg.write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    got = _run("member", "--config", cfg)
    assert got.exit_code == 2 and "Error: Missing argument 'member_id'." in got.stderr
    assert "错误：选项 '--db' 需要一个值。" in _run("status", "--db").stderr  # an option without its value
    assert "Error: Option '--db' requires an argument." in _run("status", "--lang=en", "--db").stderr


def test_the_entry_point_words_them_too_and_json_keeps_the_english_shape(capsys):
    with pytest.raises(SystemExit) as info:
        main(["member"])
    out = capsys.readouterr()
    assert info.value.code == 2 and out.out == ""
    assert out.err.startswith("Usage: reef member") and out.err.rstrip().endswith("错误：缺少参数 'member_id'。")
    with pytest.raises(SystemExit) as info:
        main(["ladder", "--top", "0", "--json"])
    error = json.loads(capsys.readouterr().out)["error"]
    assert info.value.code == 2 and error["message"].startswith("Invalid value for '--top'")


def test_choices_and_a_missing_command_through_the_same_group():
    """No reef option is a click choice today, nor a group with options: the hook words them all the same."""
    demo = typer.Typer(cls=ReefGroup, no_args_is_help=False, rich_markup_mode=None)  # as reef's app

    @demo.callback()
    def root(lang: str = "zh") -> None:  # noqa: ARG001 - only there to be given
        pass

    @demo.command()
    def pick(colour: Literal["red", "blue"] = "red", lang: str = "zh") -> None:  # noqa: ARG001
        pass

    bad = CliRunner().invoke(demo, ["pick", "--colour", "green"])
    assert bad.exit_code == 2 and "'--colour' 的值无效：" in bad.stderr and "'red'" in bad.stderr and "'blue'" in bad.stderr
    assert "Invalid value" not in bad.stderr and "'green' 不是可选值之一（可选：'red', 'blue'）" in bad.stderr
    assert "Invalid value for '--colour'" in CliRunner().invoke(demo, ["pick", "--lang", "en", "--colour", "green"]).stderr
    missing = CliRunner().invoke(demo, ["--lang", "zh"])
    assert missing.exit_code == 2 and "错误：缺少子命令。" in missing.stderr
    assert "Error: Missing command." in CliRunner().invoke(demo, ["--lang", "en"]).stderr


