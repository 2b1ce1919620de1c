"""``reef risks`` and ``reef alerts`` on a small simulated store."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli.commands import app


def test_risks_and_alerts_json(tmp_path):
    db = str(tmp_path / "c.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["simulate", "--db", db, "--members", "300", "--days", "60", "--seed", "2", "--json"]).exit_code == 0
    res = runner.invoke(app, ["risks", "--db", db, "--json", "--lang", "en"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert len(data["families"]) == 4 and all("parts" in f for f in data["families"])
    res = runner.invoke(app, ["alerts", "--db", db, "--json", "--severity", "high"])
    assert res.exit_code == 0, res.output
    alerts = json.loads(res.output)
    assert all(a["severity"] == "high" for a in alerts["alerts"])
    assert alerts["as_of"] == data["as_of"] and alerts["as_of"].endswith("+08:00")  # computed at the radar's as_of
    earlier = json.loads(runner.invoke(app, ["alerts", "--db", db, "--json", "--as-of", "2026-03-01"]).output)
    assert earlier["as_of"] == "2026-03-01T00:00:00+08:00"
    res = runner.invoke(app, ["alerts", "--db", db, "--platform", "nope", "--webhook", "http://127.0.0.1:9/x"])
    assert res.exit_code != 0
