"""周报 from the dashboard: operators make the report in the background, every role downloads it, always masked."""
from __future__ import annotations

import re
import threading
from zoneinfo import ZoneInfo

import pytest

from surface_fixtures import client_on, login

pytest.importorskip("fastapi")
PHONE = "13812345678"


def _phone_in_a_gap(db_path) -> str:
    """Put a phone number into the top knowledge gap (the report lists it); returns the report's expected day."""
    from reef.analyses import run_analyses
    from reef.analyses.runner import resolve_as_of
    from reef.store import close_all, open_store

    store = open_store(db_path)
    run_analyses(store)  # up to date, so the report's own refresh keeps the row changed below
    with store.transaction():
        store.execute(f"UPDATE kb_gaps SET title = '充电桩 {PHONE}' WHERE rank = 1")
    day = resolve_as_of(store, None).astimezone(ZoneInfo(store.config.get("general.timezone"))).date().isoformat()
    close_all()
    return day


def test_an_operator_makes_the_report_and_a_viewer_downloads_it_masked(db_path):
    day = _phone_in_a_gap(db_path)
    with client_on(db_path) as client:
        csrf = login(client, "viewer")
        assert client.post("/api/v1/jobs/report", json={}, headers={"X-CSRF-Token": csrf}).status_code == 403
        csrf = login(client, "operator")
        r = client.post("/api/v1/jobs/report", json={"lang": "zh"}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 202 and r.json()["kind"] == "weekly_report"
        assert {"outcome", "failed", "blocked"} <= set(r.json())  # the shape of every job answer (job_state)
        job = client.app.state.jobs.wait(r.json()["job_id"], timeout=300)
        assert job["status"] == "done", job["error"]
        login(client, "viewer")
        html = client.get(f"/api/v1/reports/{job['job_id']}")  # html by default
        assert html.status_code == 200 and html.headers["content-type"] == "text/html; charset=utf-8"
        assert html.headers["content-disposition"] == f'attachment; filename="reef-report-{day}.html"'
        assert '<html lang="zh-CN">' in html.text  # the language asked for (an English report leaves Chinese gap titles out)
        assert PHONE not in html.text and "138****5678" in html.text  # what a viewer may see: masked
        md = client.get(f"/api/v1/reports/{job['job_id']}?format=md")
        assert md.status_code == 200 and md.headers["content-type"] == "text/markdown; charset=utf-8"
        assert md.headers["content-disposition"] == f'attachment; filename="reef-report-{day}.md"'
        assert PHONE not in md.text and "138****5678" in md.text
        login(client, "admin")
        seen = client.get("/api/v1/audit?action=report.download").json()["items"]
        assert {(e["username"], e["target"]) for e in seen} >= {("viewer", f"reef-report-{day}.html"), ("viewer", f"reef-report-{day}.md")}


def test_the_pages_make_the_report_for_their_as_of_and_language(client, app):
    csrf = login(client, "operator")
    today = client.get("/").text
    assert 'id="make-report"' in today and re.search(r'name="as_of" value=""', today)  # 今日: the end of the data
    radar = client.get("/risks?lang=en").text
    as_of = re.search(r'id="make-report".*?name="as_of" value="([^"]+)"', radar, re.S).group(1)
    r = client.post("/reports", data={"csrf_token": csrf, "as_of": as_of, "lang": "en"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/reports?job=")
    job_id = int(r.headers["location"].split("=")[1])
    job = app.state.jobs.wait(job_id, timeout=300)
    assert job["status"] == "done", job["error"]
    assert job["params"] == {"as_of": as_of, "lang": "en"} and job["result"]["files"]["html"].startswith("reef-report-")
    handle = app.state.pool.acquire()
    radar_as_of = handle.fetch_value("SELECT max(as_of) FROM risk_scores")
    app.state.pool.release(handle)
    assert job["result"]["as_of"] == radar_as_of.astimezone(ZoneInfo("UTC")).isoformat()  # the radar's moment, not a new one
    page = client.get(f"/reports?job={job_id}").text
    assert 'id="report-form"' in page and 'id="report-started"' in page
    assert client.get(f"/api/v1/reports/{job_id}").text.startswith('<!DOCTYPE html><html lang="en">')  # the page's language
    row = re.search(rf'<tr data-job="{job_id}" data-status="done">(.*?)</tr>', page, re.S).group(1)
    assert f'href="/api/v1/reports/{job_id}?format=html"' in row and f'href="/api/v1/reports/{job_id}?format=md"' in row
    login(client, "viewer")
    today = client.get("/").text
    assert 'id="report-link"' in today and 'id="make-report"' not in today
    page = client.get("/reports").text
    assert 'id="report-form"' not in page and f'href="/api/v1/reports/{job_id}?format=html"' in page
    assert client.post("/reports", data={"csrf_token": csrf, "as_of": ""}, follow_redirects=False).status_code == 403


def test_bad_requests_fail_at_once(client, app):
    csrf = login(client, "operator")
    r = client.post("/api/v1/jobs/report", json={"as_of": "2026-13-40"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and not [j for j in app.state.jobs.list() if j["kind"] == "weekly_report"]
    assert client.post("/api/v1/jobs/report", json={"lang": "fr"}, headers={"X-CSRF-Token": csrf}).status_code == 422
    assert client.get("/api/v1/reports/999").status_code == 404
    job = client.post("/api/v1/jobs/report", json={}, headers={"X-CSRF-Token": csrf}).json()
    app.state.jobs.wait(job["job_id"], timeout=300)
    r = client.get(f"/api/v1/reports/{job['job_id']}?format=pdf")
    assert r.status_code == 422 and r.json()["error"]["message"].endswith("Expected html or md.")
    import shutil
    shutil.rmtree(app.state.report_dir)  # e.g. a restart: the job is listed, its file is gone
    r = client.get(f"/api/v1/reports/{job['job_id']}")
    assert r.status_code == 404 and "make it again" in r.json()["error"]["hint"]


def test_a_send_never_holds_up_an_analysis_or_an_import(app):
    release = threading.Event()
    slow = app.state.jobs.submit("webhook", lambda store, progress: {"ok": release.wait(30)}, by="t", lane="send")
    quick = app.state.jobs.submit("analyze", lambda store, progress: {"ran": True}, by="t")
    try:
        assert app.state.jobs.wait(quick["job_id"], timeout=10)["status"] == "done"  # not queued behind the paced send
        assert app.state.jobs.get(slow["job_id"])["status"] == "running"
    finally:
        release.set()
    assert app.state.jobs.wait(slow["job_id"], timeout=10)["status"] == "done"
