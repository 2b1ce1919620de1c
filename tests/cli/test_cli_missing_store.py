"""A read command on a store that does not exist fails with a hint and never creates the file.

Walks every registered command that takes --db: a new command that forgets the check fails here.
"""
from __future__ import annotations

import json

import click
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from reef.cli import app
from tests.cli.conftest import cli_commands

runner = CliRunner()

# Commands that legitimately create a store: they fill it (import, simulate) or set it up before data arrives by upload
# (serve, user add). serve would also start a server, so none of these is invoked here.
CREATORS = {"import", "simulate", "serve", "user add"}


def _db_commands():
    return [(name, cmd) for name, cmd in cli_commands(get_command(app)) if any("--db" in getattr(p, "opts", ()) for p in cmd.params)]


def _required_args(cmd) -> list[str]:
    """Placeholder values for required arguments and options, so the command gets as far as opening the store."""
    args: list[str] = []
    for p in cmd.params:
        if not p.required:
            continue
        if isinstance(p, click.Argument):
            args += ["x"] * (p.nargs if p.nargs > 0 else 1)
        else:
            args += [p.opts[0], "x"]
    return args


def test_the_walk_sees_the_read_commands():
    names = {n for n, _ in _db_commands()}
    # A walk that found nothing would pass vacuously.
    assert {"risks", "alerts", "ladder", "connectors", "status", "analyze"} <= names
    assert CREATORS <= names


@pytest.mark.parametrize("name", [n for n, _ in _db_commands() if n not in CREATORS])
def test_read_command_on_missing_store_fails_and_creates_nothing(name, tmp_path):
    cmd = dict(_db_commands())[name]
    db = tmp_path / "nope.duckdb"
    # Files a command is asked for (e.g. team --brief, text analyze --input) do not exist either: the store check or the
    # input check may fail first, but neither may leave a store behind.
    result = runner.invoke(app, [*name.split(), *_required_args(cmd), "--db", str(db)])
    assert not db.exists(), f"`reef {name}` created {db}"
    assert not db.with_name(db.name + ".wal").exists()
    if name != "config show":  # reads only the configuration: a store is not needed
        assert result.exit_code != 0, f"`reef {name}` succeeded on a missing store: {result.output}"


def test_missing_store_error_says_what_to_do(tmp_path):
    db = tmp_path / "nope.duckdb"
    result = runner.invoke(app, ["risks", "--db", str(db)])
    assert result.exit_code == 5 and "数据库文件不存在" in result.stderr and "reef simulate" in result.stderr
    result = runner.invoke(app, ["ladder", "--db", str(db), "--json"])
    err = json.loads(result.stdout)["error"]
    assert err["code"] == "not_found" and "reef import" in err["hint"]
    assert not db.exists()


def test_creators_still_create(tmp_path):
    db = tmp_path / "new.duckdb"
    result = runner.invoke(app, ["simulate", "--members", "60", "--days", "14", "--seed", "1", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert db.exists()
