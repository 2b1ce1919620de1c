"""The 导入 page's upload form and background jobs that survive a restart of the server."""
from __future__ import annotations

import io
import json
import re

import pytest

from surface_fixtures import PASSWORD, login, post_login

pytest.importorskip("fastapi")
PEOPLE = "\n".join(json.dumps(x, ensure_ascii=False) for x in [
    {"entity": "members", "member_id": "up-1", "name": "上传车主", "joined_at": "2026-06-28T10:00:00+08:00"},
    {"entity": "members", "member_id": "up-2", "name": "缺时间"}]).encode()


def _page_login(client, role):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/imports"}, follow_redirects=False)
    assert r.status_code == 303
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/imports").text).group(1)


def test_upload_form_imports_in_the_background_and_shows_progress(client, app):
    csrf = _page_login(client, "operator")
    assert 'id="upload-form"' in client.get("/imports").text
    r = client.post("/imports/upload", data={"csrf_token": csrf, "format": "jsonl"},
                    files={"files": ("people.jsonl", io.BytesIO(PEOPLE), "application/json")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/imports?job=")
    job_id = int(r.headers["location"].split("=")[1])
    job = app.state.jobs.wait(job_id, timeout=300)
    assert job["status"] == "done", job["error"]
    assert job["result"]["imported"] == 1 and job["result"]["quarantined"] == 1
    assert job["params"]["files"] == ["people.jsonl"]
    html = client.get(f"/imports?job={job_id}").text
    row = re.search(rf'<tr data-job="{job_id}" data-status="done">(.*?)</tr>', html, re.S)
    assert row and "people.jsonl" in row.group(1) and "已完成" in row.group(1) and "新增 1" in row.group(1)
    assert client.get("/api/v1/members/up-1").status_code == 200


def test_uploads_of_one_name_or_of_a_dot_name_are_all_imported(client, app):
    csrf = _page_login(client, "operator")
    one = json.dumps({"entity": "members", "member_id": "dup-1", "joined_at": "2026-06-28T10:00:00+08:00"}).encode()
    two = json.dumps({"entity": "members", "member_id": "dup-2", "joined_at": "2026-06-28T10:00:00+08:00"}).encode()
    dots = json.dumps({"entity": "members", "member_id": "dup-3", "joined_at": "2026-06-28T10:00:00+08:00"}).encode()
    r = client.post("/api/v1/jobs/import?format=jsonl", headers={"X-CSRF-Token": csrf},
                    files=[("files", ("a.jsonl", io.BytesIO(one), "application/json")),
                           ("files", ("a.jsonl", io.BytesIO(two), "application/json")),
                           ("files", ("..", io.BytesIO(dots), "application/json"))])
    assert r.status_code == 202, r.text
    job = app.state.jobs.wait(r.json()["job_id"], timeout=300)
    assert job["status"] == "done", job["error"]
    assert job["result"]["imported"] == 3
    for m in ("dup-1", "dup-2", "dup-3"):
        assert client.get(f"/api/v1/members/{m}").status_code == 200


def test_upload_needs_csrf_and_an_operator(client):
    _page_login(client, "operator")
    files = {"files": ("people.jsonl", io.BytesIO(PEOPLE), "application/json")}
    assert client.post("/imports/upload", files=files, headers={"accept": "text/html"}).status_code == 403
    csrf = _page_login(client, "viewer")
    assert 'id="upload-form"' not in client.get("/imports").text
    r = client.post("/imports/upload", data={"csrf_token": csrf}, files=files)
    assert r.status_code == 403


def test_an_upload_over_the_limit_is_refused_before_it_is_read(db_path):
    from fastapi.testclient import TestClient

    from reef.config import load_config
    from reef.server import create_app

    app = create_app(db_path, config=load_config(store_path=db_path).with_overrides({"server.max_upload_mb": 1}))
    try:
        with TestClient(app) as client:
            csrf = _page_login(client, "admin")
            big = io.BytesIO(b"x" * (2 << 20))
            r = client.post("/imports/upload", data={"csrf_token": csrf},
                            files={"files": ("big.jsonl", big, "application/json")})
            assert r.status_code == 413 and "1 MB" in r.text
            r = client.post("/api/v1/jobs/import", headers={"X-CSRF-Token": csrf},
                            files={"files": ("big.jsonl", io.BytesIO(b"x" * (2 << 20)), "application/json")})
            assert r.status_code == 413 and r.json()["error"]["code"] == "upload_too_large"
            assert app.state.jobs.list() == []
    finally:
        app.state.jobs.shutdown()


def test_a_declared_oversized_body_gets_413_without_reading_it_even_unauthenticated(db_path):
    import asyncio

    from reef.config import load_config
    from reef.server import create_app

    app = create_app(db_path, config=load_config(store_path=db_path).with_overrides({"server.max_upload_mb": 1}))
    reads, sent = [], []

    async def receive():
        reads.append(1)
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/jobs/import", "raw_path": b"/api/v1/jobs/import",
             "query_string": b"", "root_path": "", "scheme": "http", "server": ("t", 80), "client": ("c", 1),
             "http_version": "1.1", "headers": [(b"content-type", b"multipart/form-data; boundary=x"),
                                                (b"content-length", str(5 << 20).encode())]}
    try:
        asyncio.run(app(scope, receive, send))
    finally:
        app.state.jobs.shutdown()
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert reads == []


@pytest.mark.parametrize("url, body", [("/api/v1/jobs/analyze", {"as_of": "notadate"}),
                                       ("/api/v1/jobs/analyze", {"as_of": "2026-13-45"})])
def test_jobs_with_bad_parameters_fail_at_once(client, app, url, body):
    csrf = login(client, "admin")
    r = client.post(url, json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_parameter"
    r = client.post("/api/v1/jobs/import?format=bogus", headers={"X-CSRF-Token": csrf},
                    files={"files": ("people.jsonl", io.BytesIO(PEOPLE), "application/json")})
    assert r.status_code == 422 and "format" in r.json()["error"]["message"]
    assert app.state.jobs.list() == []


def test_jobs_survive_a_restart_and_unfinished_ones_are_marked_interrupted(db_path):
    from reef.server import create_app
    from reef.server.jobs import JOBS_TABLE
    from reef.store import close_all

    first = create_app(db_path)
    job = first.state.jobs.submit("analyze", lambda store, progress: (progress("step", 1, 2), {"ok": 1})[1], by="operator")
    first.state.jobs.wait(job["job_id"], timeout=60)
    stuck = first.state.jobs.submit("import", lambda store, progress: {"never": "seen"}, by="operator")
    first.state.jobs.wait(stuck["job_id"], timeout=60)
    handle = first.state.pool.acquire()
    handle.execute(f"UPDATE {JOBS_TABLE} SET status = 'running', finished_at = NULL WHERE job_id = ?", [stuck["job_id"]])
    first.state.pool.release(handle)  # as if the server died while it ran
    first.state.jobs.shutdown()
    first.state.store.checkpoint()
    close_all()

    second = create_app(db_path)
    try:
        jobs = {j["job_id"]: j for j in second.state.jobs.list()}
        assert jobs[job["job_id"]]["status"] == "done" and jobs[job["job_id"]]["result"] == {"ok": 1}
        assert jobs[job["job_id"]]["progress"] == {"step": "step", "done": 1, "total": 2}
        assert jobs[stuck["job_id"]]["status"] == "failed" and jobs[stuck["job_id"]]["error"]["code"] == "interrupted"
        new = second.state.jobs.submit("analyze", lambda store, progress: {}, by="admin")
        assert new["job_id"] > stuck["job_id"]  # ids never repeat across restarts
        assert second.state.jobs.get(job["job_id"])["kind"] == "analyze"
    finally:
        second.state.jobs.shutdown()


def test_only_the_newest_jobs_are_kept(db_path):
    from reef.server.jobs import JobManager
    from reef.server.deps import StorePool
    from reef.store import open_store

    manager = JobManager(StorePool(open_store(db_path)), workers=1, kept=3)
    try:
        ids = []
        for _ in range(6):
            ids.append(manager.submit("analyze", lambda store, progress: {}, by="x")["job_id"])
            manager.wait(ids[-1], timeout=60)
        manager.submit("analyze", lambda store, progress: {}, by="x")
        listed = [j["job_id"] for j in manager.list()]
        assert len(listed) == 3 and ids[0] not in listed
        with pytest.raises(Exception) as err:
            manager.get(ids[0])
        assert "No job" in str(err.value)
    finally:
        manager.shutdown()


def _job_row(html: str, job_id: int) -> str:
    return re.search(rf'<tr data-job="{job_id}" data-status="\w+">(.*?)</tr>', html, re.S).group(1)


def test_an_analysis_run_with_failures_shows_as_partly_failed_naming_them(client, app):
    _page_login(client, "operator")
    results = [{"name": "activity_daily", "version": "1", "status": "ok", "rows": 3, "seconds": 0.1, "message": ""},
               {"name": "risks", "version": "4", "status": "failed", "rows": 0, "seconds": 0.1, "message": "boom"},
               {"name": "layers_council", "version": "1", "status": "blocked", "rows": 0, "seconds": 0.0,
                "message": "not run: dependency risks failed"}]

    def run(store, progress):
        progress("risks", 1, 3)
        progress("done", 3, 3)
        return {"as_of": "2026-06-30T00:00:00+08:00", "watermark": 1, "results": results}

    job = app.state.jobs.submit("analyze", run, by="operator")
    assert app.state.jobs.wait(job["job_id"], timeout=60)["status"] == "done"  # the job itself finished
    row = _job_row(client.get("/imports?lang=zh").text, job["job_id"])
    assert 'data-outcome="partial">部分失败<' in row and "已完成" not in row
    assert "运行失败：风险雷达" in row and "未运行（所依赖的分析失败）：核心顾问团" in row
    assert "risks" not in row and "layers_council" not in row  # operator names, not codes
    assert "已运行完 3/3" in row and "done" not in row
    row = _job_row(client.get("/imports?lang=en").text, job["job_id"])
    assert "Partly failed" in row and "Failed: Risk radar" in row and "all run 3/3" in row
    # A run that is still going names the analysis it runs.
    from reef.server.job_views import job_view
    running = job_view({**job, "status": "running", "progress": {"step": "risks", "done": 1, "total": 3}}, "zh")
    assert running["outcome"] == "running" and running["progress_text"] == "正在运行：风险雷达（1/3）"


def test_quarantine_and_progress_name_the_uploaded_file_not_its_temporary_copy(client, app):
    csrf = _page_login(client, "operator")
    r = client.post("/imports/upload", data={"csrf_token": csrf, "format": "jsonl"},
                    files=[("files", ("people.jsonl", io.BytesIO(PEOPLE), "application/json")),
                           ("files", ("people.jsonl", io.BytesIO(PEOPLE.replace(b"up-", b"again-")), "application/json"))],
                    follow_redirects=False)
    job_id = int(r.headers["location"].split("=")[1])
    assert app.state.jobs.wait(job_id, timeout=300)["status"] == "done"
    html = client.get("/imports?lang=zh").text
    assert "reef-upload-" not in html and "/0/" not in html
    quarantine = re.search(r'<table id="quarantine"[^>]*>.*?</table>', html, re.S).group(0)
    # two uploads of one name stay apart: the second is named by its position
    assert "<td>people.jsonl:2</td>" in quarantine and "<td>people.jsonl (2):2</td>" in quarantine
    row = _job_row(html, job_id)
    assert re.search(r"people\.jsonl( \(2\))?：已读取 \d+ 行", row) and "/0" not in row
    assert all("reef-upload-" not in q["file"] for q in client.get("/api/v1/quarantine").json()["items"])


def test_an_upload_whose_name_tells_no_format_is_refused_before_a_job(client, app):
    """Found by the API fuzz: a file named without a known suffix was accepted (202) and its job then failed with
    unknown_format; with the format left to the name (auto) it is a 400 at once, naming the file, and nothing is queued."""
    csrf = _page_login(client, "operator")
    before = len(app.state.jobs.list())
    r = client.post("/api/v1/jobs/import?lang=en", headers={"X-CSRF-Token": csrf},
                    files=[("files", ("people.jsonl", io.BytesIO(PEOPLE), "application/json")),
                           ("files", ("export", io.BytesIO(PEOPLE), "application/octet-stream"))])
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "unknown_format" and error["where"]["file"] == "export"
    assert "the form field format" in error["hint"]
    assert len(app.state.jobs.list()) == before
    r = client.post("/api/v1/jobs/import?format=jsonl", headers={"X-CSRF-Token": csrf},  # a format given: the name is free
                    files={"files": ("export", io.BytesIO(PEOPLE), "application/octet-stream")})
    assert r.status_code == 202, r.text
    assert app.state.jobs.wait(r.json()["job_id"], timeout=300)["status"] == "done"
