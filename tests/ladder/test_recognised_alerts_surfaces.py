"""The raw surfaces of the recognise-now alerts carry the recognition as the lists do (reef.ladder.recognised): the
API view ``GET /api/v1/ladder_alerts`` and the export's 立即认可 sheet (workbook, CSV, Parquet), read up to the
ladder's as_of. Before, both showed the stored alerts only, and an operator working from the workbook recognised
members twice."""
from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest

from reef.actions import record_action
from reef.actions.views import page_view
from reef.ladder import ladder_alerts
from tests.ladder.test_recognised_alerts import AT, _alerts, _imported, s  # noqa: F401  (s is the fixture)

openpyxl = pytest.importorskip("openpyxl")


def _recognise_two(s):  # noqa: F811
    """m1 recognised (done), m2 planned (open), m3 still to recognise."""
    done = record_action(s, "m1", "recognise", status="done", by="li")
    planned = record_action(s, "m2", "recognise", status="open", by="li")
    return done, planned


def _past_as_of(s):  # noqa: F811
    """The ladder run at a past as_of with recognitions before and after it (tests/ladder/test_recognised_alerts.py)."""
    as_of = AT + timedelta(minutes=30)
    with s.transaction():
        _alerts(s, as_of)
        _imported(s, "x1", "m1", AT + timedelta(minutes=10))  # before as_of: counts
        _imported(s, "x2", "m2", as_of + timedelta(minutes=10))  # after as_of: not yet
        _imported(s, "x3", "m3", AT + timedelta(minutes=5), done_at=as_of + timedelta(minutes=5))  # still open then


def _sheet(path, title):
    rows = list(openpyxl.load_workbook(path, read_only=True)[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_api_view_carries_the_recognition_of_the_lists(s):  # noqa: F811
    done, planned = _recognise_two(s)
    items = {r["member_id"]: r for r in page_view(s, "ladder_alerts", masked=False)["items"]}
    assert [r["member_id"] for r in page_view(s, "ladder_alerts")["items"]] == ["m1", "m2", "m3"]  # by rank, as before
    assert {m: r["recognised_status"] for m, r in items.items()} == {"m1": "done", "m2": "open", "m3": None}
    assert items["m1"]["recognised_action"] == done["action_id"] and items["m2"]["recognised_action"] == planned["action_id"]
    assert items["m3"]["recognised_at"] is None and items["m3"]["recognised_action"] is None
    for row in ladder_alerts(s):  # the moment the lists give (to the second: the view's text is datetime.isoformat's)
        got = items[row["member_id"]]["recognised_at"]
        got = got and datetime.fromisoformat(got).replace(microsecond=0)
        assert got == (row["recognised_at"] and datetime.fromisoformat(row["recognised_at"]))
    assert items["m1"]["message_zh"] and items["m1"]["as_of"]  # every stored column is still there
    only = page_view(s, "ladder_alerts", filters={"recognised_status": "done"})
    assert [r["member_id"] for r in only["items"]] == ["m1"] and only["total"] == 1
    by_time = page_view(s, "ladder_alerts", sort="recognised_at")["items"]
    assert [r["member_id"] for r in by_time] == ["m1", "m2", "m3"]


def test_the_api_view_reads_recognitions_up_to_the_ladders_as_of(s):  # noqa: F811
    _past_as_of(s)
    items = {r["member_id"]: r["recognised_status"] for r in page_view(s, "ladder_alerts")["items"]}
    assert items == {"m1": "done", "m2": None, "m3": "open"}


def test_the_http_route_serves_the_recognition_and_a_new_one_at_once(s, tmp_path):  # noqa: F811
    pytest.importorskip("fastapi")
    from surface_fixtures import PASSWORD, client_on, login

    from reef.actions import add_user

    _recognise_two(s)
    add_user(s, "operator", "operator", password=PASSWORD)
    s.checkpoint()
    with client_on(s.path) as client:
        csrf = login(client, "operator")
        r = client.get("/api/v1/ladder_alerts")
        assert r.status_code == 200, r.text
        got = {i["member_id"]: i["recognised_status"] for i in r.json()["items"]}
        assert got == {"m1": "done", "m2": "open", "m3": None}
        assert client.get("/api/v1/ladder_alerts?recognised_status=open").json()["total"] == 1
        # Recognised from the dashboard: the next read (cached until a write) says so.
        r = client.post("/api/v1/actions", json={"member_id": "m3", "kind": "recognise"}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 201, r.text
        items = client.get("/api/v1/ladder_alerts").json()["items"]
        assert {i["member_id"]: i["recognised_status"] for i in items}["m3"] == "done"


def test_the_workbook_sheet_says_who_was_recognised_in_chinese_and_english(s, tmp_path):  # noqa: F811
    from reef.export import export_tables

    done, planned = _recognise_two(s)
    export_tables(s, tmp_path / "zh.xlsx")
    rows = _sheet(tmp_path / "zh.xlsx", "立即认可")
    # The unrecognised first, as the lists order them; the handled ones marked with the lists' words.
    assert [(r["成员ID"], r["认可状态"]) for r in rows] == [("m3", None), ("m1", "已认可"), ("m2", "已安排")]
    assert rows[1]["认可行动ID"] == done["action_id"] and rows[2]["认可行动ID"] == planned["action_id"]
    assert isinstance(rows[1]["认可时间（Asia/Shanghai）"], datetime) and rows[0]["认可时间（Asia/Shanghai）"] is None
    export_tables(s, tmp_path / "en.xlsx", lang="en")
    en = _sheet(tmp_path / "en.xlsx", "Recognise now")
    assert [(r["Member ID"], r["Recognised"]) for r in en] == [("m3", None), ("m1", "recognised"), ("m2", "planned")]
    assert en[1]["Recognise action ID"] == done["action_id"] and "Recognised at (Asia/Shanghai)" in en[0]


def test_csv_and_parquet_keep_the_codes_and_the_sheet_follows_the_ladders_as_of(s, tmp_path):  # noqa: F811
    import pyarrow.parquet as pq

    from reef.export import export_tables

    _past_as_of(s)
    export_tables(s, tmp_path / "csv", raw_headers=True)
    with open(tmp_path / "csv" / "ladder_alerts.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["member_id"], r["recognised_status"], r["recognised_status_zh"], r["recognised_action"]) for r in rows] == [
        ("m2", "", "", ""), ("m1", "done", "已认可", "x1"), ("m3", "open", "已安排", "x3")]
    export_tables(s, tmp_path / "pq", fmt="parquet")
    table = pq.read_table(tmp_path / "pq" / "ladder_alerts.parquet")
    assert table.column("recognised_status").to_pylist() == [None, "done", "open"]
    assert table.column("recognised_action").to_pylist() == [None, "x1", "x3"]
