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
    rejected = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d"), "--members", "10", "--json"])
    assert rejected.exit_code == 2
    from reef.store import open_store  # a rejected demo leaves the previous one as it was
    kept = open_store(data["store"], read_only=True)
    assert kept.fetch_value("SELECT count(*) FROM members") >= 200
    kept.close()
