"""Ranged parameters are checked by the library, so the API refuses what the CLI refuses, with the same message."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

import reef
from reef.cli import app
from reef.errors import InvalidParameterError

BAD = [("ladder", {"stage": 9}, "stage"), ("ladder", {"stage": -1}, "stage"), ("kb_repeated", {"min_asked": 0}, "min_asked"),
       ("ask", {"query": "续航", "top": 0}, "top"), ("crisis", {"hours": 0}, "hours"), ("crisis", {"days": 0}, "days"),
       ("risks", {"weeks": 1}, "weeks"), ("risks", {"weeks": 53}, "weeks"), ("alerts", {"top": 0}, "top"),
       ("plaza", {"topics": -1}, "topics"), ("actions", {"per_page": 1001}, "per_page")]


def test_out_of_range_parameters_are_refused_by_the_library(tmp_path):
    c = reef.open(tmp_path / "s.duckdb")
    for method, kwargs, name in BAD:
        with pytest.raises(InvalidParameterError, match=f"'{name}'"):
            getattr(c, method)(**kwargs)
    with pytest.raises(InvalidParameterError) as err:
        c.ladder(stage=9)
    c.close()
    res = CliRunner().invoke(app, ["ladder", "--stage", "9", "--db", str(tmp_path / "s.duckdb"), "--lang", "en"])
    assert "9. Expected an integer from 0 to 4." in str(err.value)
    assert res.exit_code == 2 and "'--stage': 9. Expected an integer from 0 to 4." in res.output
