"""The 导入 page shows an import job's warnings (a look-alike column left unused) and a no-entity file's error."""
from __future__ import annotations

import io
import re

import pytest

from surface_fixtures import PASSWORD, post_login

pytest.importorskip("fastapi")
CSV = "content_id,kind,created_at,text\nw-1,thread,2026-06-28 10:00,冬季续航怎么样\n".encode()


def _csrf(client):
    r = post_login(client, {"username": "operator", "password": PASSWORD, "next": "/imports"}, follow_redirects=False)
    assert r.status_code == 303
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/imports").text).group(1)


def _upload(client, app, name: str, body: bytes) -> dict:
    r = client.post("/imports/upload", data={"csrf_token": _csrf(client)},
                    files={"files": (name, io.BytesIO(body), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303
    return app.state.jobs.wait(int(r.headers["location"].split("=")[1]), timeout=300)


def test_an_import_job_shows_its_unused_column_warning(client, app):
    job = _upload(client, app, "content.csv", CSV)
    assert job["status"] == "done", job["error"]
    assert [(w["column"], w["suggestion"]) for w in job["result"]["warnings"]] == [("text", "body")]
    assert job["result"]["warnings"][0]["file"] == "content.csv"  # the upload's name, not its temporary path
    html = client.get(f"/imports?job={job['job_id']}").text
    row = re.search(rf'<tr data-job="{job["job_id"]}" data-status="done">(.*?)</tr>', html, re.S).group(1)
    assert 'class="import-warning"' in row and "列 text 未使用（已存入 attrs）；是否应为 body？" in row


def test_a_file_naming_no_entity_fails_the_job_with_its_own_lead(client, app):
    job = _upload(client, app, "export_2025.csv", CSV)
    assert job["status"] == "failed" and job["error"]["code"] == "no_entity"
    assert "无法确定文件中是哪类数据" in client.get(f"/imports?job={job['job_id']}").text


def test_an_import_job_says_which_chinese_headers_it_read_and_a_missing_id_column_fails_it(client, app):
    body = "用户ID,昵称,注册时间\nu-1,小王,2026-06-01 08:00\n".encode("gb18030")
    job = _upload(client, app, "members.csv", body)
    assert job["status"] == "done", job["error"]
    html = client.get(f"/imports?job={job['job_id']}").text
    row = re.search(rf'<tr data-job="{job["job_id"]}" data-status="done">(.*?)</tr>', html, re.S).group(1)
    assert 'class="import-mapped"' in row and "已按中文列名导入：用户ID → member_id、昵称 → name、注册时间 → joined_at" in row
    failed = _upload(client, app, "members.csv", "用户,注册时间\nu-2,2026-06-01\n".encode("gb18030"))
    assert failed["status"] == "failed" and failed["error"]["code"] == "missing_column"
    assert "member_id" in failed["error"]["message"] and "用户" in failed["error"]["message"]
