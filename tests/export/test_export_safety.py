"""`reef export` never half-fails: an empty result written without a column does not break a sheet, a failed export
leaves nothing new behind, a store error's hint tells the truth; CSV twin columns and days say what they hold."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest


def _store(db_path):
    from reef.store import open_store
    return open_store(db_path)


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def _old_empty_boost(store) -> None:
    """network_boost as Reef wrote it before it kept its columns when no campaign drew a boost."""
    store.execute("CREATE OR REPLACE TABLE network_boost AS SELECT NULL::VARCHAR AS campaign_id, NULL::VARCHAR AS member_id WHERE false")


@pytest.mark.parametrize("out_name, fmt", [("x.xlsx", None), ("csv", "csv"), ("x.zip", "parquet")])
def test_export_reads_a_boost_list_written_without_its_columns(db_path, tmp_path, out_name, fmt):
    from reef.export import export_tables

    store = _store(db_path)
    _old_empty_boost(store)
    result = export_tables(store, tmp_path / out_name, fmt=fmt)
    assert {"table": "network_boost", "rows": 0}.items() <= next(s for s in result["sheets"] if s["table"] == "network_boost").items()


def _broken_sheet(monkeypatch):
    from reef.analyses import discover
    from reef.export import tables

    discover()
    bad = tables.Sheet("坏表", "members", "member_id", where="no_such_column = 1")
    monkeypatch.setattr(tables, "SHEETS", [*tables.SHEETS, bad])  # fails after every other sheet is written


@pytest.mark.parametrize("out_name, fmt", [("new/x.xlsx", None), ("new/csv", "csv"), ("new/x.zip", "parquet"), ("x.xlsx", None)])
def test_a_failed_export_leaves_nothing_new(db_path, tmp_path, monkeypatch, out_name, fmt):
    import duckdb
    from reef.export import export_tables

    store = _store(db_path)
    _broken_sheet(monkeypatch)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(duckdb.BinderException):
        export_tables(store, tmp_path / out_name, fmt=fmt)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_failed_export_into_a_folder_keeps_its_files_and_a_good_one_replaces_only_its_own(db_path, tmp_path, monkeypatch):
    from reef.export import export_tables

    store = _store(db_path)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "members.csv").write_text("old")
    export_tables(store, folder)
    assert (folder / "notes.txt").read_text() == "mine" and (folder / "members.csv").read_text() != "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left
    assert (folder / "README.txt").exists()
    good, names = (folder / "members.csv").read_bytes(), [p.name for p in folder.iterdir()]
    _broken_sheet(monkeypatch)
    with pytest.raises(Exception):
        export_tables(store, folder)
    assert (folder / "members.csv").read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("reef.duckdb")] == ["out"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(n for n in names)


def test_the_cli_hint_for_a_binder_error_blames_no_other_program(db_path, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from reef.cli import app

    _broken_sheet(monkeypatch)
    r = CliRunner().invoke(app, ["export", "--out", str(tmp_path / "x.xlsx"), "--db", str(db_path), "--json"])
    assert r.exit_code == 4, r.output
    assert "another program" not in r.output and "bug in Reef" in r.output
    assert not (tmp_path / "x.xlsx").exists()


def test_store_error_hints_by_kind():
    import duckdb

    from reef.cli._errors import store_error_hint

    assert "another program" not in store_error_hint(duckdb.BinderException("x"))
    assert "another program" in store_error_hint(duckdb.IOException("x"))


def test_english_csv_heads_each_language_twin_by_the_language_of_its_values(db_path, tmp_path):
    from reef.export import export_tables

    store = _store(db_path)
    stored = {r[0]: r[1:] for r in store.fetch_all("SELECT member_id, stage_name, stage_name_en FROM ladder_members")}
    export_tables(store, tmp_path / "en", lang="en")
    rows = _csv(tmp_path / "en" / "ladder_members.csv")
    assert rows and all(r["Stage name"] == stored[r["Member ID"]][1] for r in rows)
    assert all(r["Stage name (Chinese)"] == stored[r["Member ID"]][0] for r in rows)
    risks = _csv(tmp_path / "en" / "risk_scores.csv")
    assert risks and {"Summary", "Summary (Chinese)"} <= set(risks[0])
    export_tables(store, tmp_path / "zh", lang="zh")
    rows = _csv(tmp_path / "zh" / "ladder_members.csv")
    assert all(r["阶段名"] == stored[r["成员ID"]][0] and r["阶段名（英文）"] == stored[r["成员ID"]][1] for r in rows)


def test_a_day_is_a_date_in_parquet_and_csv(db_path, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from reef.export import export_tables

    store = _store(db_path)
    assert store.fetch_value("SELECT count(*) FROM crisis_daily") > 0
    export_tables(store, tmp_path / "x.zip", fmt="parquet")
    table = pq.read_table(io.BytesIO(zipfile.ZipFile(tmp_path / "x.zip").read("crisis_daily.parquet")))
    assert table.schema.field("day").type == pa.date32()
    first = store.fetch_value("SELECT min(day) FROM crisis_daily")
    from zoneinfo import ZoneInfo

    assert table.column("day")[0].as_py() == first.astimezone(ZoneInfo("Asia/Shanghai")).date()
    export_tables(store, tmp_path / "csv", raw_headers=True)
    assert _csv(tmp_path / "csv" / "crisis_daily.csv")[0]["day"] == table.column("day")[0].as_py().isoformat()
