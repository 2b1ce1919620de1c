"""`reef groups`: a circle's change with no earlier posts to compare with reads — (as its summary and the report say it),
not an empty cell. The Weibo CED dump (no posts by any circle in either 30-day window before its end) showed the
发帖变化 column blank for all 24 circles."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from reef.cli import app

CIRCLE = {"circle_id": "c01", "rank": 1, "name": "谣言·转发", "top_terms": ["谣言", "转发"], "size": 170695,
          "member_growth": -0.4, "post_growth": None, "health": 53.0, "trend": "declining", "leader_list": []}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_change_without_baseline_reads_a_dash(monkeypatch, tmp_path, lang):
    import reef.cli.layers as layers

    data = {"as_of": "2015-12-31T15:57:40+08:00", "total": 1, "assigned": 170695, "circles": [CIRCLE], "warning": None}
    monkeypatch.setattr(layers, "read", lambda *a, **k: SimpleNamespace(data=data, as_of=data["as_of"], lang=lang))
    r = CliRunner().invoke(app, ["groups", "--lang", lang, "--db", str(tmp_path / "x.duckdb")], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if "c01" in line)
    cells = [c.strip() for c in row.split("│")]
    assert "-40%" in cells and "—" in cells
