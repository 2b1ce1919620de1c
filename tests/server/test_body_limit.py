"""Bodies that are not uploads stop at ``server.max_body_bytes`` (1 MB): an anonymous ``POST /api/v1/login`` with a
huge JSON body is 413 ``body_too_large`` in the JSON error shape before it is read (declared length) or as soon as
the limit is passed (chunked); uploads keep ``server.max_upload_mb``. Before, only the upload limit (512 MB)
applied to every body."""
from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("fastapi")


def _call(app, path: str, headers: list, chunks):
    """Run one request through the ASGI app; ``chunks`` yields the body. Returns (status, body, chunks read)."""
    reads, sent = [], []
    source = iter(chunks)

    async def receive():
        reads.append(1)
        try:
            piece = next(source)
        except StopIteration:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": piece, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "scheme": "http", "server": ("t", 80), "client": ("c", 1), "http_version": "1.1",
             "headers": headers}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"), len(reads)


def _forever(piece: bytes = b" " * 65536):
    yield b'{"username": "viewer", "password": "'
    while True:
        yield piece


def test_a_declared_json_body_over_the_limit_is_refused_before_it_is_read(app):
    import json

    status, body, reads = _call(app, "/api/v1/login", [(b"content-type", b"application/json"),
                                                       (b"content-length", str(500 << 20).encode())], _forever())
    assert status == 413 and reads == 0
    error = json.loads(body)["error"]
    assert error["code"] == "body_too_large" and error["where"]["field"] == "body"


@pytest.mark.parametrize("ctype", [b"application/json", b"text/plain", b"application/x-www-form-urlencoded"])
def test_a_streamed_body_is_cut_off_at_the_body_limit_not_the_upload_limit(app, ctype):
    status, body, reads = _call(app, "/api/v1/login", [(b"content-type", ctype)], _forever())
    assert status == 413 and b"body_too_large" in body
    assert reads <= 20  # 1 MB and a chunk, not the 512 MB upload limit


def test_the_limit_is_a_setting_and_small_bodies_and_uploads_pass(db_path):
    from surface_fixtures import PASSWORD, client_on

    from reef.config import load_config

    config = load_config(store_path=db_path).with_overrides({"server.max_body_bytes": 4096})
    with client_on(db_path, config) as client:
        r = client.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD, "pad": "x" * 5000})
        assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
        assert client.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD}).status_code == 200
        csrf = client.post("/api/v1/login", json={"username": "operator", "password": PASSWORD}).json()["csrf_token"]
        upload = client.post("/api/v1/jobs/import", headers={"X-CSRF-Token": csrf},
                             files={"files": ("members.jsonl", b'{"member_id": "u1"}\n' * 1000)})
        assert upload.status_code != 413, upload.text  # 20 KB of upload: over the body limit, far under the upload one
