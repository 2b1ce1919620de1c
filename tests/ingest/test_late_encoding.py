"""Encoding of a file whose first megabyte is ASCII, and the caller's ``encoding`` (``--encoding``)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import reef
from ingest_helpers import quarantine
from reef.cli import app
from reef.errors import InvalidParameterError
from reef.ingest import import_paths

# The QA repro: 32,063 ASCII rows (just over 1 MB) then 50 members named 车友N号, the whole file in GB18030.
ASCII_ROWS, CHINESE_ROWS = 32_063, 50


def _late_chinese_csv(path):
    rows = ["member_id,name,joined_at"] + [f"m{i},user{i},2025-01-01 08:00" for i in range(ASCII_ROWS)]
    rows += [f"c{i},车友{i}号,2025-01-01 08:00" for i in range(CHINESE_ROWS)]
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    assert path.read_bytes()[: 1 << 20].isascii()  # the first megabyte says nothing about the encoding
    return path


def test_gb18030_rows_after_a_megabyte_of_ascii_import(store, tmp_path):
    p = _late_chinese_csv(tmp_path / "members.csv")
    s = import_paths(store, [p])
    assert (s.imported, s.quarantined) == (ASCII_ROWS + CHINESE_ROWS, 0), quarantine(store, p)[:2]
    assert store.fetch_value("SELECT name FROM members WHERE member_id = 'c7'") == "车友7号"
    assert store.fetch_value("SELECT encoding FROM import_files") == "gb18030"
    # the same shape in UTF-8 stays UTF-8: the late look at the first non-ASCII line does not turn it into GB18030
    u = tmp_path / "members-u.csv"
    rows = ["member_id,name,joined_at"] + [f"u{i},user{i},2025-01-01 08:00" for i in range(ASCII_ROWS)] + ["d7,车友7号,2025-01-01"]
    u.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert import_paths(store, [u]).quarantined == 0
    assert store.fetch_value("SELECT encoding FROM import_files WHERE path LIKE '%members-u.csv'") == "utf-8"
    assert store.fetch_value("SELECT name FROM members WHERE member_id = 'd7'") == "车友7号"


def test_jsonl_gb18030_lines_after_a_megabyte_of_ascii_import(store, tmp_path):
    p = tmp_path / "members.jsonl"
    lines = [json.dumps({"member_id": f"m{i}", "name": f"user{i}", "joined_at": "2025-01-01 08:00"}) for i in range(20_000)]
    lines += [json.dumps({"member_id": f"c{i}", "name": f"车友{i}号", "joined_at": "2025-01-01 08:00"}, ensure_ascii=False)
              for i in range(CHINESE_ROWS)]
    p.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    assert p.read_bytes()[: 1 << 20].isascii()
    s = import_paths(store, [p])
    assert (s.imported, s.quarantined) == (20_000 + CHINESE_ROWS, 0)
    assert store.fetch_value("SELECT name FROM members WHERE member_id = 'c49'") == "车友49号"


def test_the_callers_encoding_wins_over_detection(tmp_path):
    p = tmp_path / "members.csv"
    p.write_bytes("member_id,name,joined_at\nm1,José Müller,2025-01-01\n".encode("cp1252"))
    c = reef.open(tmp_path / "s.duckdb")
    try:
        assert c.import_files(p, encoding="CP1252").imported == 1
        assert c.sql("SELECT name FROM members").column(0).to_pylist() == ["José Müller"]
        assert c.sql("SELECT encoding FROM import_files").column(0).to_pylist() == ["cp1252"]
        with pytest.raises(InvalidParameterError, match="'encoding'"):
            c.import_files(p, encoding="no-such-codec")
    finally:
        c.close()


def test_cli_encoding_option(tmp_path):
    p = tmp_path / "members.csv"
    p.write_bytes("member_id,name,joined_at\nm1,张伟,2025-01-01\n".encode("gbk"))
    runner = CliRunner()
    ok = runner.invoke(app, ["import", str(p), "--encoding", "gbk", "--db", str(tmp_path / "x.duckdb"), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["imported"] == 1
    bad = runner.invoke(app, ["import", str(p), "--encoding", "klingon", "--db", str(tmp_path / "y.duckdb")])
    assert bad.exit_code == 2 and "encoding" in bad.output
