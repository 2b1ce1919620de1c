"""Chinese CLI tables name quarantined rows' headers and entities, and actions' kinds and statuses, in Chinese
(English with --lang en); --json keeps the codes."""
from __future__ import annotations

from typer.testing import CliRunner

from reef.cli import app


def invoke(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_quarantine_table_is_chinese(tmp_path):
    p = tmp_path / "members.jsonl"
    p.write_text('{"member_id": "m1"}\nnot json\n', encoding="utf-8")
    db = tmp_path / "q.duckdb"
    invoke("import", p, "--db", db)
    zh = invoke("quarantine", "--db", db, "--lang", "zh")
    assert "Quarantined rows" not in zh and "隔离的行" in zh
    assert "where" not in zh and "entity" not in zh and "位置" in zh and "成员" in zh
    assert "Quarantined rows" in invoke("quarantine", "--db", db, "--lang", "en")


def test_action_list_shows_kind_and_status_labels(tmp_path):
    p = tmp_path / "members.csv"
    p.write_text("member_id,joined_at\nm1,2025-01-01\n", encoding="utf-8")
    db = tmp_path / "a.duckdb"
    invoke("import", p, "--db", db, "--entity", "members")
    invoke("action", "add", "m1", "--kind", "recognise", "--note", "thanks", "--db", db)
    zh = invoke("action", "list", "--db", db, "--lang", "zh")
    assert "recognise" not in zh and "表彰" in zh
    assert not any(s in zh for s in (" open ", " done ")) and ("待办" in zh or "已完成" in zh)
    assert "recognise" in invoke("action", "list", "--db", db, "--json")
