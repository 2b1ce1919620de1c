"""Quarantined rows of an abandoned file can be dismissed: kept on record, no longer counted as held."""
from __future__ import annotations

import pytest

from ingest_helpers import MEMBERS, write_jsonl
from reef.ingest import import_paths
from reef.ingest.dismiss import dismiss_quarantine


def test_dismissing_an_import_moves_its_rows_out_of_the_held_count(store, tmp_path):
    bad = {"entity": "members", "joined_at": "2025-01-01"}  # missing id
    first = import_paths(store, [write_jsonl(tmp_path / "a.jsonl", [*MEMBERS, bad])]).import_id
    import_paths(store, [write_jsonl(tmp_path / "b.jsonl", [MEMBERS[0], bad, bad])])  # a file of no ids at all is refused whole
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 3
    assert dismiss_quarantine(store, import_id=first) == 1
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 2  # what 今日 and status count
    assert store.fetch_value("SELECT count(*) FROM quarantine_dismissed WHERE dismissed_at IS NOT NULL") == 1
    assert dismiss_quarantine(store, everything=True) == 2
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 0
    with pytest.raises(ValueError):
        dismiss_quarantine(store)


def test_the_cli_clears_quarantine(tmp_path):
    from typer.testing import CliRunner

    from reef.cli import app
    from reef.store import open_store

    db = tmp_path / "s.duckdb"
    path = write_jsonl(tmp_path / "a.jsonl", [*MEMBERS, {"entity": "members", "joined_at": "2025-01-01"}])
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(path), "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["quarantine-clear", "--db", str(db)]).exit_code != 0  # neither --import nor --all
    out = runner.invoke(app, ["quarantine-clear", "--all", "--db", str(db), "--json"])
    assert out.exit_code == 0 and '"dismissed": 1' in out.stdout
    again = runner.invoke(app, ["quarantine-clear", "--all", "--lang", "zh", "--db", str(db)])
    assert again.exit_code == 0 and "已移出隔离区 0 行" in again.stdout  # the operator's language, nothing left to clear
    store = open_store(str(db))
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 0


def test_dismissal_is_audited_and_an_unknown_import_is_not_found(store, tmp_path):
    from reef.errors import NotFoundError

    bad = {"entity": "members", "joined_at": "2025-01-01"}
    first = import_paths(store, [write_jsonl(tmp_path / "a.jsonl", [*MEMBERS, bad])]).import_id
    with pytest.raises(NotFoundError, match="No import with id 99"):
        dismiss_quarantine(store, import_id=99)
    assert dismiss_quarantine(store, import_id=first, by="小王", role="cli", client="cli") == 1
    assert dismiss_quarantine(store, import_id=first, by="小王") == 0  # nothing left: nothing to audit
    rows = store.fetch_all("SELECT username, action, target, json_extract(details, '$.rows')::INT FROM audit_log "
                           "WHERE action = 'quarantine.dismiss'")
    assert rows == [("小王", "quarantine.dismiss", f"import:{first}", 1)]
