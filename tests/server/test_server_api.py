"""Read endpoints (pagination, date filters, errors), write endpoints and background jobs."""
from __future__ import annotations

import io
import json

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")


def test_activity_daily_is_paginated_and_filtered_by_date(client):
    login(client, "viewer")
    recent = client.get("/api/v1/activity_daily?per_page=20&sort=-day").json()
    assert recent["total"] > 20 and recent["pages"] == -(-recent["total"] // 20)
    days = sorted(r["day"] for r in recent["items"])
    lo, hi = days[3], days[8]
    window = client.get(f"/api/v1/activity_daily?since={lo}&until={hi}&per_page=2&sort=day").json()
    assert window["total"] == 6 and window["pages"] == 3
    assert [r["day"] for r in window["items"]] == days[3:5]
    page3 = client.get(f"/api/v1/activity_daily?since={lo}&until={hi}&per_page=2&page=3&sort=day").json()
    assert [r["day"] for r in page3["items"]] == days[7:9]


def test_member_summary_search_sort_and_filter(client):
    login(client, "viewer")
    found = client.get("/api/v1/member_summary?q=evil").json()
    assert [r["member_id"] for r in found["items"]] == ["evil"]
    ranked = client.get("/api/v1/member_summary?sort=-content_total&per_page=5").json()["items"]
    assert [r["content_total"] for r in ranked] == sorted((r["content_total"] for r in ranked), reverse=True)
    staff = client.get("/api/v1/member_summary?account_type=staff&per_page=500").json()["items"]
    assert all(r["account_type"] == "staff" for r in staff)


@pytest.mark.parametrize("url, status, code", [
    ("/api/v1/member_summary?sort=password", 422, "invalid_parameter"),
    ("/api/v1/activity_daily?sort=nonexistent", 422, "invalid_parameter"),
    ("/api/v1/activity_daily?sort=--day", 422, "invalid_parameter"),  # one minus only: "-day" is no column
    ("/api/v1/activity_daily?since=yesterday", 422, "invalid_parameter"),
    ("/api/v1/activity_daily?per_page=100000", 422, "invalid_parameter"),
    ("/api/v1/activity_daily?page=abc", 422, "invalid_parameter"),
    ("/api/v1/members/nobody", 404, "not_found"),
    ("/api/v1/no/such/route", 404, "not_found"),
    ("/api/v1/jobs/999", 404, "not_found"),
    ("/api/v1/activity_daily?page=99999999999999999999", 422, "invalid_parameter"),
    ("/api/v1/actions?page=99999999999999999999", 422, "invalid_parameter"),
    ("/api/v1/actions?since=notadate", 422, "invalid_parameter"),
    ("/api/v1/actions?until=2026-02-30", 422, "invalid_parameter"),
    ("/api/v1/actions?per_page=100000", 422, "invalid_parameter"),
])
def test_errors_share_one_shape(client, url, status, code):
    login(client, "viewer")
    r = client.get(url)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert set(body["error"]) == {"code", "message", "where", "hint"}


def test_search_text_matches_literally_not_as_a_wildcard(client, app):
    handle = app.state.pool.acquire()
    try:
        handle.execute("UPDATE member_summary SET name = '满电100%_车主\\' WHERE member_id = 'm012'")
    finally:
        app.state.pool.release(handle)
    login(client, "operator")
    members = client.get("/api/v1/member_summary").json()["total"]
    assert members > 3
    for q in ("%", "_", "\\", "100%_", "车主\\"):  # %, _, the escape character and runs of them
        found = client.get("/api/v1/member_summary", params={"q": q}).json()
        assert [r["member_id"] for r in found["items"]] == ["m012"], q
    assert client.get("/api/v1/member_summary", params={"q": "100_"}).json()["total"] == 0  # _ is no one-character wildcard


def test_quarantine_reason_filter_matches_literally(store):
    from reef.report import quarantine_rows

    with store.transaction():
        store.execute("INSERT INTO quarantine (file, line, reason, quarantined_at) VALUES "
                      "('a.csv', 1, 'bad date', now()), ('a.csv', 2, 'share 50% over limit', now())")
    assert [r["line"] for r in quarantine_rows(store, reason="%")] == [2]
    assert quarantine_rows(store, reason="_") == []
    assert len(quarantine_rows(store, reason="a")) == 2


def test_paging_errors_name_the_parameter_at_fault(client):
    login(client, "viewer")
    assert "'page'" in client.get("/api/v1/activity_daily?page=-1").json()["error"]["message"]
    assert "'per_page'" in client.get("/api/v1/activity_daily?per_page=-3").json()["error"]["message"]
    zero = client.get("/api/v1/activity_daily?per_page=0")
    assert zero.status_code == 422 and "'per_page'" in zero.json()["error"]["message"]
    huge = client.get("/members?page=99999999999999999999")  # pages refuse it as the API does (they clamped it)
    assert huge.status_code == 422 and huge.json()["error"]["where"]["field"] == "page"


def test_malformed_json_body_says_so(client):
    csrf = login(client, "operator")
    r = client.post("/api/v1/actions", content=b"{not json", headers={"content-type": "application/json", "x-csrf-token": csrf})
    assert r.status_code == 422
    error = r.json()["error"]
    assert "'body'" in error["message"] and "JSON" in error["message"]


def test_an_unexpected_failure_answers_in_the_error_shape(app, monkeypatch):
    from fastapi.testclient import TestClient

    import reef.actions as A

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(A, "page_view", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        login(c, "viewer")
        r = c.get("/api/v1/activity_daily")
        assert r.status_code == 500 and r.json()["error"]["code"] == "reef_error"
        assert "boom" not in r.text  # internals stay in the server log
        page = c.get("/members", headers={"accept": "text/html"})
        assert page.status_code == 500 and "<html" in page.text.lower()


def test_status_imports_quarantine_and_openapi(client):
    login(client, "viewer")
    assert client.get("/api/v1/status").json()["tables"]["members"] == 121
    assert client.get("/api/v1/imports").json()["total"] >= 1
    assert client.get("/api/v1/quarantine").json()["available"] is True
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/activity_daily", "/api/v1/member_summary", "/api/v1/members/{member_id}",
              "/api/v1/actions", "/api/v1/jobs/analyze", "/api/v1/quarantine"):
        assert p in paths


def test_actions_are_recorded_listed_and_updated(client):
    csrf = login(client, "operator")
    h = {"X-CSRF-Token": csrf}
    a = client.post("/api/v1/actions", json={"member_id": "evil", "kind": "recognise", "note": "热心助人"}, headers=h)
    assert a.status_code == 201
    action_id = a.json()["action_id"]
    listed = client.get("/api/v1/actions?member_id=evil").json()["items"]
    assert [x["action_id"] for x in listed] == [action_id] and listed[0]["operator"] == "operator"
    done = client.patch(f"/api/v1/actions/{action_id}", json={"status": "done"}, headers=h).json()
    assert done["status"] == "done"
    assert client.get("/api/v1/actions?status=open&member_id=evil").json()["total"] == 0
    bad = client.post("/api/v1/actions", json={"member_id": "evil", "kind": "bribe"}, headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameter"
    missing = client.post("/api/v1/actions", json={"member_id": "ghost", "kind": "invite"}, headers=h)
    assert missing.status_code == 404


def test_analyze_runs_as_a_background_job_with_progress(client, app):
    csrf = login(client, "operator")
    r = client.post("/api/v1/jobs/analyze", json={"force": True}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202 and r.json()["status"] in ("queued", "running")
    job = app.state.jobs.wait(r.json()["job_id"], timeout=300)
    assert job["status"] == "done", job["error"]
    assert job["progress"]["total"] >= 2 and job["result"]["results"]
    assert client.get(f"/api/v1/jobs/{job['job_id']}").json()["status"] == "done"


def test_import_upload_runs_as_a_job_and_quarantines_bad_rows(client, app):
    csrf = login(client, "admin")
    lines = [{"entity": "members", "member_id": "new-1", "name": "新车主", "joined_at": "2026-06-28T10:00:00+08:00"},
             {"entity": "members", "member_id": "new-2", "name": "坏行"}]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    r = client.post("/api/v1/jobs/import", files={"files": ("people.jsonl", io.BytesIO(data), "application/json")},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202, r.text
    job = app.state.jobs.wait(r.json()["job_id"], timeout=300)
    assert job["status"] == "done", job["error"]
    assert job["result"]["imported"] == 1 and job["result"]["quarantined"] == 1
    assert client.get("/api/v1/quarantine?q=people").json()["total"] >= 1
    assert client.get("/api/v1/members/new-1").status_code == 200


def test_a_failing_job_reports_the_error_shape(client, app):
    csrf = login(client, "operator")
    # An empty file is only found unreadable inside the job (bad parameters fail before it starts).
    r = client.post("/api/v1/jobs/import", headers={"X-CSRF-Token": csrf},
                    files={"files": ("members.jsonl", io.BytesIO(b""), "application/json")})
    job = app.state.jobs.wait(r.json()["job_id"], timeout=60)
    assert job["status"] == "failed" and job["error"]["code"] == "unreadable_file"


def test_quarantine_dismiss_route(db_path, tmp_path):
    from surface_fixtures import client_on

    from reef.ingest import import_paths
    from reef.store import close_all, open_store

    bad = tmp_path / "members.jsonl"
    # one row without its id (a file of no ids at all is refused whole: missing_column)
    bad.write_text('{"member_id": "q-ok", "joined_at": "2025-01-01"}\n{"joined_at": "2025-01-01"}\n', encoding="utf-8")
    store = open_store(db_path)
    import_id = import_paths(store, [bad]).import_id
    store.checkpoint()
    close_all()
    with client_on(db_path) as client:
        csrf = login(client, "viewer")
        assert client.post("/api/v1/quarantine/dismiss", json={"all": True}, headers={"x-csrf-token": csrf}).status_code == 403
        client.cookies.clear()
        csrf = login(client, "operator")
        post = lambda body: client.post("/api/v1/quarantine/dismiss", json=body, headers={"x-csrf-token": csrf})  # noqa: E731
        assert post({}).json()["error"]["code"] == "invalid_parameter"  # neither an import nor all
        missing = post({"import_id": 9999})
        assert missing.status_code == 404 and "9999" in missing.json()["error"]["message"]
        assert post({"import_id": import_id}).json() == {"dismissed": 1}
        assert client.get("/api/v1/status").json()["quarantine"]["total"] == 0
