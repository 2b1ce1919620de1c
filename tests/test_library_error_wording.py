"""Errors raised through the library (the Python API) name parameters and methods, not CLI options or commands; the
CLI shows its own hint (reef.errors.with_cli_hint), so its messages stay as they were. docs/cli.md, "The Python API"."""
from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

import reef
from reef.cli import app
from reef.errors import InvalidParameterError, NotFoundError

ROOT = Path(__file__).resolve().parents[1] / "reef"
_CLI_WORDS = re.compile(r"`reef [a-z]|(?<![\w-])--[a-z][a-z-]+")
# Front doors of their own, and library errors left naming the CLI, each with the reason.
_SKIP_DIRS = ("cli", "web", "server")
_LEFT = {
    "actions/listing.py", "actions/log.py", "actions/users.py",  # writes behind the CLI and HTTP API only (CLI_EXCLUDED)
    "reads/__init__.py",  # the read-only-handle hint gives both forms, `reef analyze` and Community.analyze (documented)
    "risks/webhook.py",  # posting alerts: Community.alerts() never posts
    "kb/surfaces.py", "network/seedplan.py",  # the dashboard's room / the server's seed-plan limit
    "text/records.py", "text/signature.py",  # `reef text analyze` files; not an API read
    "store/files.py",  # _refused(message, cli_create): the command it names is the CLI's hint (with_cli_hint inside)
}


def _error_strings(path: Path):
    """String parts of what is raised or given as hint=, outside the CLI's own hints (with_cli_hint's second and third
    arguments)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    cli_only = {id(n) for c in ast.walk(tree) if isinstance(c, ast.Call) and getattr(c.func, "id", "") == "with_cli_hint"
                for a in c.args[1:] for n in ast.walk(a)}
    for node in ast.walk(tree):
        parts = []
        if isinstance(node, ast.Raise) and node.exc is not None:
            parts.append(node.exc)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")).endswith("Error"):
            parts.append(node)
        elif isinstance(node, ast.keyword) and node.arg == "hint":
            parts.append(node.value)
        for part in parts:
            for s in ast.walk(part):
                if isinstance(s, ast.Constant) and isinstance(s.value, str) and id(s) not in cli_only:
                    yield s.lineno, s.value


def test_library_errors_name_no_cli_option_or_command():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.split("/")[0] in _SKIP_DIRS or rel in _LEFT:
            continue
        found += [f"{rel}:{line}: {text[:80]!r}" for line, text in _error_strings(path) if _CLI_WORDS.search(text)]
    assert not found, "\n".join(sorted(set(found)))


def test_the_reviewed_errors_name_parameters_and_the_cli_keeps_its_options(tmp_path):
    c = reef.open(tmp_path / "s.duckdb")
    c.simulate(members=60, days=20, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InvalidParameterError) as ripple:
            c.ripple()
        with pytest.raises(NotFoundError) as member:
            c.member("zzz")
        with pytest.raises(NotFoundError) as circle:
            c.groups(circle="zzz")
    c.close()
    for exc in (ripple.value, member.value, circle.value):
        assert not _CLI_WORDS.search(str(exc)), str(exc)
    assert "campaign=" in str(ripple.value) and "since=" in str(ripple.value)
    assert "ladder()" in str(member.value) and "groups()" in str(circle.value)
    runner = CliRunner()
    db = str(tmp_path / "s.duckdb")
    res = runner.invoke(app, ["ripple", "--db", db, "--lang", "en"])
    assert res.exit_code == 2 and "--campaign" in res.stderr and "--since" in res.stderr
    res = runner.invoke(app, ["member", "zzz", "--db", db, "--json"])
    assert "`reef ladder` lists members" in res.stdout
    err = json.loads(res.stdout)["error"]  # docs/cli.md: an unknown member's hint lists the first 20 ids and how many
    assert res.exit_code == 5 and err["code"] == "not_found" and "'zzz'" in err["message"]
    assert "Known member ids: " in err["hint"] and "(60 in all)" in err["hint"]
    blank = runner.invoke(app, ["member", " ", "--db", db, "--lang", "en"])  # a blank id shows as one, quoted
    assert blank.exit_code == 5 and "No member ' ' in the store." in blank.stderr
    res = runner.invoke(app, ["groups", "--circle", "zzz", "--db", db, "--lang", "en"])
    assert "`reef groups`" in res.stderr
