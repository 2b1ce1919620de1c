"""CSV exports head their columns in the operator's language (zh default, en switch) and keep the stored values;
raw column keys stay one switch away for data work (raw_headers, --raw-headers, headers=raw)."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

from surface_fixtures import login

_RAW_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese only with the BOM
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_headers_are_the_workbooks_names_in_the_language_and_the_values_stay(db_path, tmp_path):
    from reef.export import export_tables
    from reef.store import open_store

    store = open_store(db_path)
    result = export_tables(store, tmp_path / "zh")  # general.language: zh
    assert result["raw_headers"] is False
    zh = _csv(tmp_path / "zh" / "members.csv")
    assert zh[0][:2] == ["成员ID", "昵称"] and "账号类型" in zh[0] and "账号类型（中文）" in zh[0]
    for path in (tmp_path / "zh").glob("*.csv"):  # every sheet a capability registers, not only the core ones
        header = _csv(path)[0]
        assert not [h for h in header if _RAW_KEY.fullmatch(h)], (path.name, header)
        assert len(set(header)) == len(header), header  # one column per header
    export_tables(store, tmp_path / "en", lang="en")
    en = _csv(tmp_path / "en" / "members.csv")
    assert en[0][:2] == ["Member ID", "Name"] and "Account type (Chinese)" in en[0]
    export_tables(store, tmp_path / "raw", raw_headers=True)
    raw = _csv(tmp_path / "raw" / "members.csv")
    assert raw[0][:2] == ["member_id", "name"] and "account_type_zh" in raw[0]
    assert zh[1:] == en[1:] == raw[1:]  # only the header row changes: codes, times and twins as stored


def test_the_cli_heads_csv_in_lang_or_with_keys(db_path, tmp_path):
    from typer.testing import CliRunner

    from reef.cli import app

    def header(*args):
        out = tmp_path / "-".join(args or ("zh",))
        r = CliRunner().invoke(app, ["export", "--format", "csv", "--out", str(out), "--db", str(db_path), *args])
        assert r.exit_code == 0, r.output
        return _csv(out / "members.csv")[0]

    assert header()[0] == "成员ID"
    assert header("--lang", "en")[0] == "Member ID"
    assert header("--raw-headers")[0] == "member_id"


def test_the_dashboard_zip_heads_csv_in_the_dashboards_language_unless_raw_is_asked(client):
    pytest.importorskip("fastapi")
    login(client, "operator")

    def header(query):
        r = client.get("/api/v1/export?format=zip" + query)
        assert r.status_code == 200, r.text
        text = zipfile.ZipFile(io.BytesIO(r.content)).read("members.csv").decode("utf-8-sig")
        return next(csv.reader(io.StringIO(text)))

    assert header("")[0] == "成员ID" and header("&lang=en")[0] == "Member ID"
    assert header("&headers=raw")[0] == "member_id"
    bad = client.get("/api/v1/export?format=zip&headers=keys")
    assert bad.status_code == 422 and "headers" in bad.json()["error"]["message"]


def test_the_cli_lists_csv_and_parquet_sheets_in_lang(db_path, tmp_path):
    # `reef export --format csv --lang en` listed its sheets as 成员, 成员概况 … (the workbook's names were English);
    # found on the Stack Exchange dumps, exported for an English-speaking analyst.
    import json

    from typer.testing import CliRunner

    from reef.cli import app

    for fmt in ("csv", "parquet"):
        r = CliRunner().invoke(app, ["export", "--format", fmt, "--out", str(tmp_path / fmt), "--db", str(db_path), "--lang", "en", "--json"])
        assert r.exit_code == 0, r.output
        sheets = {s["table"]: s["sheet"] for s in json.loads(r.stdout)["sheets"]}
        assert sheets["members"] == "Members" and sheets["crisis_daily"] == "Crisis timeline", sheets
    r = CliRunner().invoke(app, ["export", "--format", "csv", "--out", str(tmp_path / "zh"), "--db", str(db_path), "--json"])
    assert {s["table"]: s["sheet"] for s in json.loads(r.stdout)["sheets"]}["members"] == "成员"
