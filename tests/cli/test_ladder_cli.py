"""The ladder commands on the hand-made community: JSON shapes, --as-of, errors."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli import app
from tests.ladder.conftest import AS_OF, handmade_path  # noqa: F401 - module fixture reused

runner = CliRunner()


def _run(*args):
    result = runner.invoke(app, [*args, "--json"])
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else None)


def test_ladder_lists_members_with_evidence(handmade_path):
    code, rows = _run("ladder", "--db", str(handmade_path), "--as-of", AS_OF.isoformat(), "--top", "3")
    assert code == 0 and len(rows) == 3
    assert rows[0]["member_id"] == "lead" and rows[0]["stage"] == 4 and rows[0]["evidence_zh"]


def test_ladder_stage_filter(handmade_path):
    code, rows = _run("ladder", "--db", str(handmade_path), "--as-of", AS_OF.isoformat(), "--stage", "3")
    assert code == 0 and [r["member_id"] for r in rows] == ["conn"]


def test_member_timeline_and_unknown_member(handmade_path):
    code, data = _run("member", "conn", "--db", str(handmade_path), "--as-of", AS_OF.isoformat())
    assert code == 0 and data["timeline"][-1]["to_stage"] == 3 and data["timeline"][-1]["reason_zh"].startswith("升为连接者")
    code, data = _run("member", "nobody", "--db", str(handmade_path), "--as-of", AS_OF.isoformat())
    assert code == 5 and data["error"]["code"] == "not_found"


def test_funnel_recognise_and_contest(handmade_path):
    code, f = _run("funnel", "--db", str(handmade_path), "--as-of", AS_OF.isoformat())
    assert code == 0 and [s["stage"] for s in f["stages"]] == [0, 1, 2, 3, 4]
    code, alerts = _run("recognise", "--db", str(handmade_path), "--as-of", AS_OF.isoformat())
    assert code == 0 and isinstance(alerts, list)
    code, c = _run("contest", "--campaign", "camp1", "--db", str(handmade_path), "--as-of", AS_OF.isoformat())
    assert code == 0 and {e["content_id"] for e in c["entries"]} == {"ce0", "ce1", "ce2"}
    assert all(set(e) >= {"text_quality", "originality", "media", "engagement", "score"} for e in c["entries"])
