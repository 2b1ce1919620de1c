"""The `reef` script's entry point: parser errors follow --json like every other error."""
from __future__ import annotations

import json

import pytest

from reef.cli import main


@pytest.mark.parametrize("args, field", [(["groups", "--top", "0", "--json"], "--top"),
                                         (["ladder", "--stage", "7", "--json"], "--stage"),
                                         (["no-such-command", "--json"], None)])
def test_a_parser_error_with_json_is_the_json_error_shape(args, field, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "invalid_parameter" and error["message"] and "--help" in error["hint"]
    assert (error["where"] or {}).get("field") == field


def test_a_parser_error_without_json_is_one_message_on_stderr(capsys):
    with pytest.raises(SystemExit) as info:
        main(["groups", "--top", "0"])
    out = capsys.readouterr()
    assert info.value.code == 2 and out.out == "" and "--top" in out.err


def test_a_command_error_keeps_its_own_exit_code(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["status", "--db", str(tmp_path / "missing.duckdb"), "--json"])
    # A missing store is not_found (5) for every command, status included (docs/cli.md).
    assert info.value.code == 5 and json.loads(capsys.readouterr().out)["error"]["code"] == "not_found"


def test_python_dash_m_reef_runs_the_cli():
    """`python -m reef` is the `reef` script (docs/cli.md): it needs reef/__main__.py."""
    import pathlib
    import subprocess
    import sys

    root = pathlib.Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "reef", "--help"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "simulate" in done.stdout and "analyze" in done.stdout
