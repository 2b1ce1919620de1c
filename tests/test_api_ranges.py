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


def test_an_unknown_keyword_is_a_reef_error_naming_the_method_and_the_accepted_ones(tmp_path):
    """Every public method (and reef.open) refuses a keyword it does not take in one template, English and Chinese,
    with the closest accepted name; it is still a TypeError. Before, Python's bare TypeError said only the name."""
    import inspect

    from reef.errors import ReefError, UnknownParameterError

    c = reef.open(tmp_path / "s.duckdb")
    with pytest.raises(UnknownParameterError) as err:
        c.ladder(stag=4)
    exc = err.value
    assert isinstance(exc, ReefError) and isinstance(exc, TypeError) and exc.code == "invalid_parameter"
    assert str(exc) == "ladder() takes no parameter 'stag'. Accepted: stage, top, as_of, lang, format. Did you mean 'stage'?"
    assert exc.text("zh") == "ladder() 没有参数 'stag'。可用的参数：stage、top、as_of、lang、format。是不是 'stage'？"
    with pytest.raises(UnknownParameterError, match=r"^status\(\) takes no parameter 'zzz'\. Accepted: none\.$"):
        c.status(zzz=1)  # nothing close: no guess
    with pytest.raises(UnknownParameterError, match="Did you mean 'read_only'"):
        reef.open(tmp_path / "s.duckdb", readonly=True)
    for name, member in inspect.getmembers(c, inspect.ismethod):  # every method, one mechanism (a new one too)
        if not name.startswith("_"):
            with pytest.raises(UnknownParameterError, match=rf"^{name}\(\) takes no parameter 'no_such_keyword'"):
                member(no_such_keyword=1)
    assert c.ladder(top=1).num_rows == 0  # the accepted keywords still pass
    c.close()


def test_a_method_s_warning_still_points_at_the_caller(tmp_path):
    """The keyword check wraps every method: a ReefWarning still names the notebook's line, not the wrapper."""
    import warnings

    c = reef.open(tmp_path / "s.duckdb")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c.ladder(top=1)  # an empty store: the no-data warning
        c.analyze(only=["ladder"])
    c.close()
    assert caught and {w.filename for w in caught} == {__file__}, [(w.filename, str(w.message)[:40]) for w in caught]
