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
    # every row quarantined: the import says so with exit code 9 (docs/cli.md)
    assert CliRunner().invoke(app, ["import", str(p), "--db", str(db)]).exit_code == 9
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


def test_risk_part_values_are_rounded(monkeypatch):
    from types import SimpleNamespace

    import reef.cli.risks as cli_risks

    family = {"family": "heat_death", "name": "热寂", "score": 73.4, "level": "medium", "summary": "",
              "parts": [{"part": "novelty", "part_name": "新意", "score": 73.4, "value": 0.631578947368421, "note": "n"}],
              "evidence": []}
    monkeypatch.setattr(cli_risks, "read", lambda *a, **k: SimpleNamespace(data={"as_of": "2026-11-20", "families": [family]},
                                                                           lang="zh", note=None))
    out = invoke("risks", "--db", "unused.duckdb")
    assert "0.631578947368421" not in out and "0.632" in out


def test_import_and_analyze_summaries_are_chinese(tmp_path):
    p = tmp_path / "members.csv"
    p.write_text("member_id,joined_at\nm1,2025-01-01\n,2025-01-02\n", encoding="utf-8")
    db = tmp_path / "i.duckdb"
    zh = invoke("import", p, "--db", db, "--entity", "members", "--lang", "zh")
    assert "Import " not in zh and "Top quarantine reasons" not in zh and "total" not in zh
    assert "导入" in zh and "合计" in zh and "缺少必填" in zh  # the reason translated in full (reason_text)
    assert "Top quarantine reasons" in invoke("import", p, "--db", tmp_path / "e.duckdb", "--entity", "members", "--lang", "en")
    out = invoke("analyze", "--db", db, "--lang", "zh")
    assert "Analyses as of" not in out and "seconds" not in out and "分析（截至" in out
    assert "Analyses as of" in invoke("analyze", "--db", db, "--lang", "en", "--force")
