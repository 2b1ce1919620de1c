"""`reef ladder` shows the rank and momentum columns in its table and carries them in --json."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli import app
from tests.ladder.conftest import AS_OF, handmade_path  # noqa: F401 - module fixture reused

runner = CliRunner()


def _invoke(*args):
    return runner.invoke(app, ["ladder", *args, "--as-of", AS_OF.isoformat()], env={"COLUMNS": "250"})


def test_json_rows_carry_rank_and_momentum_in_rank_order(handmade_path):
    result = _invoke("--db", str(handmade_path), "--top", "20", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["momentum"] is None or 0.0 <= r["momentum"] <= 1.0 for r in rows)
    assert all(isinstance(r["rising"], bool) for r in rows)
    stages = [r["stage"] for r in rows]
    assert stages == sorted(stages, reverse=True)  # rank orders by stage first


def test_table_has_rank_and_momentum_columns(handmade_path):
    table = _invoke("--db", str(handmade_path), "--top", "3", "--lang", "en")
    data = json.loads(_invoke("--db", str(handmade_path), "--top", "3", "--json").stdout)
    assert table.exit_code == 0
    header = next(line for line in table.stdout.splitlines() if "Member ID" in line)
    assert header.index("Rank") < header.index("Member ID") < header.index("Potential") < header.index("Momentum")
    first = next(line for line in table.stdout.splitlines() if data[0]["member_id"] in line)
    assert f"{data[0]['momentum']:.2f}" in first
    assert ("↑" in first) == data[0]["rising"]
