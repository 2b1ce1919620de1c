"""The server's caches never show stale or wrongly masked data: writes and finished jobs invalidate reads,
masking is part of the key, logout ends a cached session at once."""
from __future__ import annotations

import io
import json

import pytest

from surface_fixtures import PASSWORD, login

pytest.importorskip("fastapi")


def test_reads_are_reused_until_a_job_or_write_changes_the_store(client, app):
    csrf = login(client, "operator")
    cache = app.state.read_cache
    first = client.get("/api/v1/member_summary?q=cache-1").json()
    assert first["total"] == 0
    generation = cache.generation
    assert client.get("/api/v1/member_summary?q=cache-1").json() == first and cache.generation == generation
    line = json.dumps({"entity": "members", "member_id": "cache-1", "name": "缓存车主", "joined_at": "2026-06-28T10:00:00+08:00"},
                      ensure_ascii=False).encode()
    r = client.post("/api/v1/jobs/import", files={"files": ("m.jsonl", io.BytesIO(line), "application/json")},
                    headers={"X-CSRF-Token": csrf})
    job = app.state.jobs.wait(r.json()["job_id"], timeout=300)
    assert job["status"] == "done", job["error"]
    assert cache.generation > generation
    handle = app.state.pool.acquire()
    try:  # member_summary is an analysis result: refresh it as `reef analyze` would
        from reef.analyses import run_analyses
        run_analyses(handle, only=["member_summary"])
    finally:
        app.state.pool.release(handle)
    client.post("/api/v1/actions", json={"member_id": "cache-1", "kind": "note"}, headers={"X-CSRF-Token": csrf})
    assert client.get("/api/v1/member_summary?q=cache-1").json()["total"] == 1


def test_masking_is_part_of_the_cache_key(client, app):
    viewer = client.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD}).cookies.get("reef_session")
    client.cookies.clear()  # a login ends the session it comes with: the operator logs in from a fresh client
    login(client, "operator")  # the client now carries the operator's session
    assert "13912345678" in client.get("/members/evil").text  # computed and cached unmasked for operators
    generation = app.state.read_cache.generation
    client.cookies.clear()
    client.cookies.set("reef_session", viewer)
    page = client.get("/members/evil").text
    assert app.state.read_cache.generation == generation  # nothing written in between: same cache generation
    assert "13912345678" not in page and "139****5678" in page


def test_logout_ends_a_cached_session_at_once(client, app):
    csrf = login(client, "viewer")
    assert client.get("/api/v1/me").status_code == 200  # now cached
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_only_a_write_that_succeeded_empties_the_read_cache(client, app):
    csrf = login(client, "operator")
    cache = app.state.read_cache
    first = client.get("/api/v1/member_summary?per_page=3").json()
    generation = cache.generation
    refused = [client.post("/api/v1/actions", json={"member_id": "evil", "kind": "bribe"}, headers={"X-CSRF-Token": csrf}),
               client.post("/api/v1/actions", json={"member_id": "evil", "kind": "note"}),  # no CSRF token
               client.patch("/api/v1/actions/ui-999", json={"status": "done"}, headers={"X-CSRF-Token": csrf}),
               client.post("/api/v1/login", json={"username": "operator", "password": "wrong"})]
    assert [r.status_code for r in refused] == [422, 403, 404, 401]
    assert cache.generation == generation  # a bump would also have emptied it
    assert client.get("/api/v1/member_summary?per_page=3").json() == first
    assert client.post("/api/v1/actions", json={"member_id": "evil", "kind": "note"},
                       headers={"X-CSRF-Token": csrf}).status_code == 201
    assert cache.generation > generation
