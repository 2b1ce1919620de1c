"""A random seed below 0 is refused by name before any work, as every other count is (reef.reads.check_counts): it
reached numpy as ``ValueError: expected non-negative integer``, a traceback with exit code 1, from ``reef seed-plan``,
``reef effect`` and ``reef team`` alike (and from their Community methods)."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reef.cli import app

BRIEF = Path(__file__).resolve().parents[2] / "docs" / "examples" / "team-brief.toml"


@pytest.mark.parametrize("args", [["seed-plan", "--k", "2", "--runs", "20"], ["effect"], ["team", "--brief", str(BRIEF)]])
def test_a_negative_seed_is_an_invalid_parameter(db_path, args):
    r = CliRunner().invoke(app, [*args, "--seed", "-1", "--db", str(db_path), "--lang", "en"])
    assert r.exit_code == 2, r.output
    assert "Invalid value for 'seed': -1. Expected an integer of at least 0." in r.output
