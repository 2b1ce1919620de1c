"""An empty as-of is refused everywhere it is parsed, in one wording (library 'as_of', command line '--as-of')."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

import reef
from reef.cli import app
from reef.errors import InvalidParameterError
from reef.store import as_of_timestamp


@pytest.mark.parametrize("value", ["", "  "])
def test_the_library_refuses_an_empty_as_of(tmp_path, value):
    community = reef.open(tmp_path / "c.duckdb")
    with pytest.raises(InvalidParameterError, match=r"Invalid value for 'as_of': '\s*'\. Expected a date like 2026-03-01"):
        community.table("members", as_of=value)
    with pytest.raises(InvalidParameterError):
        community.analyze(as_of=value)
    with pytest.raises(InvalidParameterError):
        community.enrich(as_of=value)
    assert as_of_timestamp(None) is None


@pytest.mark.parametrize("value", ["", "not a date"])
def test_cli_and_library_messages_read_the_same(tmp_path, value):
    db = tmp_path / "c.duckdb"
    reef.open(db).close()
    # English: the library's messages are English; the CLI's usage errors are Chinese unless --lang en.
    cli = CliRunner().invoke(app, ["analyze", "--db", str(db), "--lang", "en", "--as-of", value])
    assert cli.exit_code == 2
    with pytest.raises(InvalidParameterError) as lib:
        reef.open(db).table("members", as_of=value)
    template = f"Invalid value for '{{}}': {value!r}. Expected {lib.value.expected}."
    assert lib.value.message == template.format("as_of")
    assert template.format("--as-of") in " ".join(cli.output.split())
