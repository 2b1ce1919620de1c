"""A store path that holds something other than a Reef store is refused, and nothing is written to it."""
from __future__ import annotations

import hashlib

import duckdb
import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.errors import StoreError
from reef.store import open_store


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def plain_db(tmp_path):
    path = tmp_path / "plain.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table t(a int)")
    con.close()
    return path


@pytest.mark.parametrize("read_only", [False, True])
def test_a_duckdb_file_of_other_tables_is_refused_and_left_as_it_was(plain_db, read_only):
    before = _digest(plain_db)
    with pytest.raises(StoreError, match=r"Not a Reef store: .*plain\.duckdb .*\(t\)"):
        open_store(plain_db, read_only=read_only)
    assert _digest(plain_db) == before
    con = duckdb.connect(str(plain_db), read_only=True)  # not left open by Reef either
    assert [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()] == ["t"]
    con.close()


@pytest.mark.parametrize("command", [["status"], ["analyze"], ["quarantine"]])
def test_cli_refuses_a_plain_duckdb_file_in_one_line(plain_db, command):
    before = _digest(plain_db)
    result = CliRunner().invoke(app, [*command, "--db", str(plain_db)])
    assert result.exit_code == 4, result.output
    assert "错误：不是 Reef 存储：" in result.output and "Traceback" not in result.output  # said in the operator's language
    assert _digest(plain_db) == before


@pytest.mark.parametrize("name,content,kind", [
    ("target.jsonl", '{"member_id": "m1"}\n', "JSON or JSONL"),
    ("x.csv", "member_id,nickname\nm1,a\n", "CSV"),
    ("x.parquet", "PAR1....", "Parquet"),
])
def test_an_existing_csv_or_jsonl_as_db_is_refused(tmp_path, name, content, kind):
    target = tmp_path / name
    target.write_text(content, encoding="utf-8")
    src = tmp_path / "m.jsonl"
    src.write_text('{"entity": "members", "member_id": "m1", "joined_at": "2026-01-01"}\n', encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(app, ["import", str(src), "--db", str(target), "--lang", "en"])
    assert imported.exit_code == 4 and "Not a DuckDB database" in imported.output and kind in imported.output
    status = runner.invoke(app, ["status", "--db", str(target)])
    assert status.exit_code == 4 and "不是 DuckDB 数据库" in status.output  # Chinese by default
    assert target.read_text(encoding="utf-8") == content


def test_new_zero_byte_and_empty_duckdb_files_become_stores(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    zero = tmp_path / "zero.duckdb"
    zero.touch()
    for path in (tmp_path / "new.duckdb", empty, zero):
        store = open_store(path)
        assert "0001_canonical_model" in store.applied_migrations()
        store.close()
        open_store(path).close()  # and it opens again as a store


def test_an_empty_duckdb_file_read_only_is_no_store(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(StoreError, match="empty DuckDB database"):
        open_store(empty, read_only=True)
