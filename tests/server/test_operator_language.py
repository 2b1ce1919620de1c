"""Operator text on the 导入 page in the page's language: quarantine reasons, job errors; the job API's outcome."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import client_on, login

pytest.importorskip("fastapi")

_REASONS = [("people.jsonl", 2, "members", "joined_at", "missing required field joined_at"),
            ("people.jsonl", 3, "content", "author_id", "dangling reference: author_id 'm404' is not a known member id")]


def _job_row(html: str, job_id: int) -> str:
    return re.search(rf'<tr data-job="{job_id}" data-status="\w+">(.*?)</tr>', html, re.S).group(1)


def test_the_imports_page_says_quarantine_reasons_and_their_kinds_in_its_language(db_path):
    from reef.store import open_store

    store = open_store(db_path)
    with store.transaction():
        for row in _REASONS:
            store.execute("INSERT INTO quarantine (file, line, entity, field, reason, raw, quarantined_at) "
                          "VALUES (?, ?, ?, ?, ?, '{}', now())", list(row))
    with client_on(db_path) as client:
        login(client, "viewer")
        zh = client.get("/imports?lang=zh").text
        table = re.search(r'<table id="quarantine"[^>]*>.*?</table>', zh, re.S).group(0)
        assert ">缺少必填字段 joined_at；" in table and ">引用不存在：author_id &#39;m404&#39; 不是已知的成员 ID；" in table
        assert "本行会随那次导入自动重新处理<" in table  # says what to do
        assert ">missing required field joined_at<" not in table  # English only as the cell's title
        assert 'data-code="dangling_reference"' in table
        kinds = re.search(r'<ul id="quarantine-kinds">.*?</ul>', zh, re.S).group(0)
        assert "缺少必填字段：1" in kinds and "引用不存在的记录：1" in kinds
        en = client.get("/imports?lang=en").text
        table = re.search(r'<table id="quarantine"[^>]*>.*?</table>', en, re.S).group(0)
        assert ">missing required field joined_at: fill in this field" in table and "缺少" not in table
        assert "missing required field: 1" in re.search(r'<ul id="quarantine-kinds">.*?</ul>', en, re.S).group(0)


def test_a_failed_job_leads_with_operator_words_and_keeps_the_detail(app, client):
    from reef.errors import Location, UnreadableFileError

    def unreadable(store, progress):
        raise UnreadableFileError("The file is empty.", where=Location(file="/tmp/reef-upload-x1/0/people.csv", line=3))

    def bug(store, progress):
        raise RuntimeError("secret boom")

    bad = app.state.jobs.submit("import", unreadable, by="operator")
    crash = app.state.jobs.submit("analyze", bug, by="operator")
    for job in (bad, crash):
        assert app.state.jobs.wait(job["job_id"], timeout=60)["status"] == "failed"
    login(client, "operator")
    html = client.get("/imports?lang=zh").text
    row = _job_row(html, bad["job_id"])
    assert "有文件无法读取" in row and "people.csv:3: The file is empty." in row and "reef-upload-" not in row
    row = _job_row(html, crash["job_id"])
    assert "任务失败：发生了意外错误" in row and "secret boom" not in row and "Traceback" not in row
    assert "A file cannot be read" in _job_row(client.get("/imports?lang=en").text, bad["job_id"])
    login(client, "admin")
    row = _job_row(client.get("/imports?lang=zh").text, crash["job_id"])
    assert "任务失败" in row and "secret boom" in row and "Traceback" in row  # admins get the detail


def test_every_reef_error_has_a_lead_sentence_in_both_languages():
    import reef.errors as errors
    from reef.server.job_views import job_error_view
    from reef.server.tasks import UploadTooLargeError
    from reef.web.messages import WEB_MESSAGES

    classes = [getattr(errors, n) for n in errors.__all__ if n != "Location"] + [UploadTooLargeError]
    for cls in classes:
        assert f"job.error.{cls.code}" in WEB_MESSAGES, cls
    assert job_error_view({"code": "no_such_code", "message": "x"})["lead"] == "任务失败。"


def test_the_job_api_says_a_partly_failed_analysis_run_as_the_page_does(app, client):
    results = [{"name": "activity_daily", "status": "ok"}, {"name": "risks", "status": "failed"},
               {"name": "layers_council", "status": "blocked"}]
    partial = app.state.jobs.submit("analyze", lambda store, progress: {"results": results}, by="operator")
    clean = app.state.jobs.submit("analyze", lambda store, progress: {"results": results[:1]}, by="operator")
    for job in (partial, clean):
        app.state.jobs.wait(job["job_id"], timeout=60)
    login(client, "viewer")
    got = client.get(f"/api/v1/jobs/{partial['job_id']}").json()
    assert (got["status"], got["outcome"], got["failed"], got["blocked"]) == ("done", "partial", ["risks"], ["layers_council"])
    got = client.get(f"/api/v1/jobs/{clean['job_id']}").json()
    assert (got["outcome"], got["failed"], got["blocked"]) == ("done", [], [])
    listed = {j["job_id"]: j for j in client.get("/api/v1/jobs").json()}
    assert listed[partial["job_id"]]["outcome"] == "partial"
    html = client.get("/imports?lang=zh").text
    assert 'data-outcome="partial"' in _job_row(html, partial["job_id"])


def test_an_unexpected_job_error_is_for_admins_only_on_every_surface(app, client):
    def bug(store, progress):
        raise RuntimeError("secret boom")

    params = {"seed_plan": {"k": 5, "topic": None, "circle": None, "exclude": [], "as_of": None},
              "weekly_report": {"as_of": None, "lang": "zh"}, "webhook": {"resend_failed": False}}
    jobs = {kind: app.state.jobs.submit(kind, bug, by="operator", params=p) for kind, p in params.items()}
    for job in jobs.values():
        assert app.state.jobs.wait(job["job_id"], timeout=60)["status"] == "failed"
    seed = jobs["seed_plan"]["job_id"]
    urls = ["/api/v1/jobs", f"/api/v1/jobs/{seed}", f"/api/v1/seed-plan/{seed}", f"/seed-plan?job={seed}", "/reports", "/risks"]
    for role in ("viewer", "operator"):
        login(client, role)
        for url in urls:
            text = client.get(url).text
            assert "secret boom" not in text and "Traceback" not in text, (role, url)
        assert "任务失败：发生了意外错误" in client.get(f"/seed-plan?job={seed}&lang=zh").text
        error = client.get(f"/api/v1/jobs/{seed}").json()["error"]
        assert error["code"] == "internal_error" and set(error) >= {"message", "where", "hint"}  # the one JSON shape
    login(client, "admin")
    for url in urls:
        assert "secret boom" in client.get(url).text, url
