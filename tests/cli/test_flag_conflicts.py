"""Options given together that cannot go together, and options of which one is needed, read alike in every command
(reef.cli._errors.options_conflict / options_one_of): "--new cannot be used with --test." / "--new 不能与 --test 同时使用。",
"Give one of --import ID or --all." / "请给出 --import ID 或 --all 之一。"; in one language per --lang, exit code 2,
invalid_parameter, and with --json ``where.field`` the first option refused. Never "Invalid value for '--new': true"
with an English "Expected ..." inside the Chinese line, nor a command's own wording."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reef.cli import app as cli_app

_HAN = re.compile(r"[\u4e00-\u9fff]")
_TEST_HINT = ("--test sends one test message only; it lists and sends no alerts.", "--test 只发送一条测试消息，不列出也不发送提醒。")
_ONE = ("Give one of them.", "只能给其中一个。")
_IDS = ("`reef status` lists the import ids.", "导入ID见 `reef status`。")
_ROBOT = ("--robot picks a configured robot; --webhook and --platform give another one.",
          "--robot 选择一个已配置的机器人；--webhook 和 --platform 指定的是另一个。")

# (command line, where.field, English message, hints, Chinese message, hints): every conflict the CLI checks
CASES = [
    (["alerts", "--test", "--new"], "--new", "--new cannot be used with --test.", [_TEST_HINT[0]],
     "--new 不能与 --test 同时使用。", [_TEST_HINT[1]]),
    (["alerts", "--test", "--new", "--no-digest"], "--new", "--new and --no-digest cannot be used with --test.", [_TEST_HINT[0]],
     "--new、--no-digest 不能与 --test 同时使用。", [_TEST_HINT[1]]),
    (["alerts", "--test", "--as-of", "2020-01-01", "--digest", "--redeliver"], "--as-of",
     "--as-of, --digest and --redeliver cannot be used with --test.", [_TEST_HINT[0]],
     "--as-of、--digest、--redeliver 不能与 --test 同时使用。", [_TEST_HINT[1]]),
    (["alerts", "--robot", "ops", "--platform", "wecom"], "--robot", "--robot cannot be used with --platform.", [_ROBOT[0]],
     "--robot 不能与 --platform 同时使用。", [_ROBOT[1]]),
    (["alerts", "--robot", "ops", "--webhook", "https://example.com/hook"], "--robot", "--robot cannot be used with --webhook.",
     [_ROBOT[0]], "--robot 不能与 --webhook 同时使用。", [_ROBOT[1]]),
    (["alerts", "--quiet"], "--quiet", "--quiet cannot be used without one of --webhook URL, risks.webhook_url or [[risks.robots]].",
     ["Without a robot the alerts are only listed (and recorded as shown), and --quiet would list nothing."],
     "--quiet 需要 --webhook URL、risks.webhook_url 或 [[risks.robots]] 之一。",
     ["没有机器人时提醒只会列出（并记为已显示），--quiet 什么也不会列出。"]),
    (["user", "add", "dave", "--no-password", "--password-env", "PW"], "--password-env",
     "--password-env cannot be used with --no-password.", [_ONE[0]], "--password-env 不能与 --no-password 同时使用。", [_ONE[1]]),
    (["quarantine-clear"], "--import", "Give one of --import ID or --all.", [_IDS[0]],
     "请给出 --import ID 或 --all 之一。", [_IDS[1]]),
    (["quarantine-clear", "--import", "1", "--all"], "--all", "--all cannot be used with --import.", [_ONE[0], _IDS[0]],
     "--all 不能与 --import 同时使用。", [_ONE[1], _IDS[1]]),
    (["recognise", "--days", "3", "--since", "2020-01-01"], "--since", "--since cannot be used with --days.", [_ONE[0]],
     "--since 不能与 --days 同时使用。", [_ONE[1]]),
]


@pytest.fixture(autouse=True)
def _no_config(monkeypatch):
    monkeypatch.delenv("REEF_CONFIG", raising=False)  # no configured robot, no configured language


def _run(args: list[str], db: Path, *extra: str):
    return CliRunner().invoke(cli_app, [*args, "--db", str(db), *extra])


@pytest.mark.parametrize("args, field, en, en_hints, zh, zh_hints", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_flag_conflict_reads_alike_in_both_languages(tmp_path, args, field, en, en_hints, zh, zh_hints):
    db = tmp_path / "x.duckdb"
    r = _run(args, db, "--lang", "en")
    assert r.exit_code == 2 and r.stderr == f"Error: {' '.join([en, *en_hints])}\n", r.stderr
    assert not _HAN.search(r.stderr) and "Invalid value" not in r.stderr and "true" not in r.stderr
    r = _run(args, db, "--lang", "zh")
    assert r.exit_code == 2 and r.stderr == f"错误：{''.join([zh, *zh_hints])}\n", r.stderr
    # the Chinese line has no English sentence left in it (flags, keys and names aside)
    assert not re.search(r"\b(Expected|with|cannot|Give|needs|only|lists)\b", r.stderr), r.stderr
    assert "无效" not in r.stderr and "true" not in r.stderr
    assert not db.exists()  # refused before a store is made


# --quiet without a robot is not a case here: with --json it is the --quiet --json conflict
_JSON = [c[:4] for c in CASES if c[0] != ["alerts", "--quiet"]]


@pytest.mark.parametrize("args, field, en, en_hints", _JSON + [
    (["alerts", "--quiet", "--json", "--webhook", "https://example.com/hook"], "--quiet", "--quiet cannot be used with --json.",
     ["--json prints the answer; --quiet prints nothing."]),
    (["alerts", "--test", "--quiet", "--json"], "--quiet", "--quiet cannot be used with --json.",
     ["--json prints the answer; --quiet prints nothing."]),
], ids=[" ".join(c[0]) for c in _JSON] + ["alerts --quiet --json", "alerts --test --quiet --json"])
def test_a_flag_conflict_names_its_option_in_the_json_where(tmp_path, args, field, en, en_hints):
    db = tmp_path / "x.duckdb"
    r = _run(args, db, *(["--json"] if "--json" not in args else []))
    assert r.exit_code == 2, r.output
    error = json.loads(r.stdout)["error"]
    assert error == {"code": "invalid_parameter", "message": en, "where": {"file": None, "line": None, "field": field},
                     "hint": " ".join(en_hints)}, error
    assert not db.exists()


def test_no_command_words_a_flag_conflict_its_own_way():
    """Every conflict and one-of check of the command modules goes through reef.cli._errors: none raises a click
    UsageError or writes "cannot be used" / "not both" / "不能同时" itself."""
    cli = Path(__file__).resolve().parents[2] / "reef" / "cli"
    for path in sorted(cli.glob("*.py")):
        if path.name == "_errors.py":
            continue
        text = path.read_text(encoding="utf-8")
        for said in ("UsageError(", "cannot be used", "not both", "不能与", "不能同时", "exactly one"):
            assert said not in text, f"{path.name}: {said}"
