"""`reef demo` end to end on a small simulated community."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reef.cli import app


@pytest.mark.slow
def test_demo_simulates_analyzes_and_reports(tmp_path):
    pytest.importorskip("reef.simulate", reason="simulator not installed")
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d"), "--members", "200", "--days", "30", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert Path(data["report"]).exists() and Path(data["store"]).exists()
    assert data["tables"]["members"] >= 200 and data["tables"]["content"] > 0
    assert {r["status"] for r in data["analyses"]["results"]} == {"ok"}
    text = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d"), "--members", "200", "--days", "30"])
    assert text.exit_code == 0 and re.search(r"reef-report-\d{4}-\d\d-\d\d\.html", text.stdout)  # where the report is; fresh store each time
    # and how to open the dashboard on that store (a login is needed, so the user comes first)
    flat = " ".join(text.stdout.split())
    assert "user add admin --role admin --db" in flat and f"serve --db {data['store']}" in flat, text.stdout
    rejected = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d"), "--members", "10", "--json"])
    assert rejected.exit_code == 2
    from reef.store import open_store  # a rejected demo leaves the previous one as it was
    kept = open_store(data["store"], read_only=True)
    assert kept.fetch_value("SELECT count(*) FROM members") >= 200
    kept.close()


def test_next_steps_name_the_command_as_it_was_run(tmp_path, monkeypatch):
    from reef.cli._common import invoked_as

    script = tmp_path / "venv" / "bin" / "reef"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert invoked_as(str(script)) == str(script)  # not on PATH: the path typed, so the line can be pasted
    assert invoked_as("venv/bin/reef") == "venv/bin/reef"
    monkeypatch.setenv("PATH", str(script.parent))
    script.chmod(0o755)
    assert invoked_as(str(script)) == "reef"  # on PATH: the plain name
    assert invoked_as("/usr/bin/python3") == "reef"
