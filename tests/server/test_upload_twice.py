"""Consecutive uploads on one running server (`reef serve`): each job's store handle goes back to the pool clean.

The second upload used to fail with "Current transaction is aborted": each job's cursor created the SQL function
``reef_html_unescape`` inside the import's transaction, the database (shared by every cursor) had it from the first
job already, and the swallowed "already exists" error aborted the transaction (reef.store.functions).
"""
from __future__ import annotations

import io
import json
import re

import pytest

from surface_fixtures import PASSWORD, post_login

pytest.importorskip("fastapi")


def _csrf(client):
    r = post_login(client, {"username": "operator", "password": PASSWORD, "next": "/imports"}, follow_redirects=False)
    assert r.status_code == 303
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/imports").text).group(1)


def _upload(client, app, csrf, name, body, fmt="jsonl"):
    r = client.post(f"/api/v1/jobs/import?format={fmt}", headers={"X-CSRF-Token": csrf},
                    files=[("files", (name, io.BytesIO(body), "application/octet-stream"))])
    assert r.status_code == 202, r.text
    return app.state.jobs.wait(r.json()["job_id"], timeout=300)


def _members(prefix, n):
    return "\n".join(json.dumps({"entity": "members", "member_id": f"{prefix}-{i}", "name": f"成员{i}",
                                 "joined_at": "2026-06-28T10:00:00+08:00"}) for i in range(n)).encode()


def _done(job, imported):
    assert job["status"] == "done", job["error"]
    assert job["result"]["imported"] == imported


def test_two_then_three_uploads_in_a_row_all_import(client, app):
    csrf = _csrf(client)
    for k in range(3):
        _done(_upload(client, app, csrf, f"m{k}.jsonl", _members(f"tw{k}", 2)), 2)
    for k in range(3):
        assert client.get(f"/api/v1/members/tw{k}-1").status_code == 200
    # the store still takes a write on every pooled handle: none was handed back mid-transaction
    handles = []
    while not app.state.pool._free.empty():
        handles.append(app.state.pool._free.get_nowait())
    for h in handles:
        assert h.rollback_open() is False
        with h.transaction():
            h.execute("SELECT reef_html_unescape('&lt;')").fetchall()
        app.state.pool.release(h)


@pytest.mark.parametrize("bad_name, bad_body, fmt", [
    ("broken.parquet", b"PAR1" + b"\x00garbage" * 50 + b"PAR1", "parquet"),  # fails inside the import's transaction
    ("empty.jsonl", b"", "jsonl"),  # refused before it
])
def test_an_upload_after_a_failed_one_imports(client, app, bad_name, bad_body, fmt):
    csrf = _csrf(client)
    _done(_upload(client, app, csrf, "first.jsonl", _members("af0", 1)), 1)
    bad = _upload(client, app, csrf, bad_name, bad_body, fmt)
    assert bad["status"] == "failed" and bad["error"]["code"] == "unreadable_file", bad["error"]
    assert "aborted" not in bad["error"]["message"]
    for k in (1, 2):
        _done(_upload(client, app, csrf, f"next{k}.jsonl", _members(f"af{k}", 2)), 2)
    assert client.get("/api/v1/members/af2-1").status_code == 200


def test_a_job_that_leaves_a_transaction_open_fails_and_the_next_one_runs(app):
    jobs = app.state.jobs

    def careless(store, progress):
        store.execute("BEGIN TRANSACTION")
        store.execute("INSERT INTO _reef_migrations VALUES ('x-careless', now(), 'test')")
        return {}

    first = jobs.wait(jobs.submit("analyze", careless, by="test")["job_id"], timeout=60)
    assert first["status"] == "failed" and "left a store transaction open" in first["error"]["message"]
    second = jobs.wait(jobs.submit("analyze", lambda store, progress: {"n": store.fetch_value(
        "SELECT count(*) FROM _reef_migrations WHERE name = 'x-careless'")}, by="test")["job_id"], timeout=60)
    assert second["status"] == "done" and second["result"] == {"n": 0}, second
