"""The intranet security review: browser hardening headers, a streamed upload cut off at the limit, logins that do not
tell which names exist or let one client guess under many names, the Secure cookie over HTTPS, and ``next=``."""
from __future__ import annotations

import asyncio
import re

import pytest

from surface_fixtures import PASSWORD, client_on, login, post_login

pytest.importorskip("fastapi")


def test_pages_refuse_framing_and_foreign_scripts_and_nothing_is_sniffed(client):
    page = client.get("/login")
    assert page.headers["x-frame-options"] == "DENY"
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in \
        re.search(r"script-src[^;]*", csp).group()
    login(client, "viewer")
    for path in ("/", "/members/evil", "/api/v1/status", "/static/reef.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "same-origin", path
    assert client.get("/").headers["x-frame-options"] == "DENY"
    assert "content-security-policy" not in client.get("/api/v1/status").headers  # JSON is no page


def test_a_streamed_upload_is_cut_off_at_the_limit_even_unauthenticated(db_path):
    from reef.config import load_config
    from reef.server import create_app

    app = create_app(db_path, config=load_config(store_path=db_path).with_overrides({"server.max_upload_mb": 1}))
    reads, sent = [], []
    head = (b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.jsonl"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n")

    async def receive():  # chunked: no content-length, 64 KB at a time for ever (80 MB if read to the end)
        reads.append(1)
        if len(reads) > 1280:
            return {"type": "http.request", "body": b"\r\n--x--\r\n", "more_body": False}
        return {"type": "http.request", "body": head if len(reads) == 1 else b"x" * 65536, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/jobs/import", "raw_path": b"/api/v1/jobs/import",
             "query_string": b"", "root_path": "", "scheme": "http", "server": ("t", 80), "client": ("c", 1),
             "http_version": "1.1", "headers": [(b"content-type", b"multipart/form-data; boundary=x")]}
    try:
        asyncio.run(app(scope, receive, send))
    finally:
        app.state.jobs.shutdown()
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert b"upload_too_large" in b"".join(m.get("body", b"") for m in sent[1:])
    assert len(reads) <= 20  # 1 MB and a chunk, not 80 MB


def test_an_unknown_user_name_costs_a_password_check_too(app, monkeypatch):
    """Answering an unknown name at once (10 ms against 150 ms for a real one) told which names exist."""
    import argon2

    from reef.actions import AuthenticationError, authenticate

    checked = []
    real = argon2.PasswordHasher.verify
    monkeypatch.setattr(argon2.PasswordHasher, "verify", lambda self, h, p: checked.append(1) or real(self, h, p))
    handle = app.state.pool.acquire()
    try:
        for name in ("viewer", "nobody-here"):
            with pytest.raises(AuthenticationError):
                authenticate(handle, name, "wrong-password")
        assert authenticate(handle, "viewer", PASSWORD)["role"] == "viewer"
    finally:
        app.state.pool.release(handle)
    assert len(checked) == 3


def test_one_client_guessing_under_many_names_is_limited(db_path):
    from reef.config import load_config
    from surface_fixtures import client_on

    cfg = load_config(store_path=db_path).with_overrides({"server.login_max_client_attempts": 4})
    with client_on(db_path, cfg) as c:
        codes = [c.post("/api/v1/login", json={"username": f"guess{i}", "password": "wrong-pass"}).status_code
                 for i in range(6)]
        assert codes == [401] * 4 + [429] * 2
        # the right password does not get through either, nor does it clear the count
        assert c.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD}).status_code == 429


def test_concurrent_guesses_under_many_names_stay_within_the_client_limit(db_path):
    """Checking the per-client limit, hashing, then counting the failure let a burst of parallel guesses all pass the
    check: check and count are one step now, so at most login_max_client_attempts guesses are ever judged."""
    from concurrent.futures import ThreadPoolExecutor

    from reef.config import load_config

    cfg = load_config(store_path=db_path).with_overrides({"server.login_max_client_attempts": 2})
    with client_on(db_path, cfg) as c:
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda i: c.post("/api/v1/login", json={"username": f"burst{i}", "password": "wrong-pass"}
                                                   ).status_code, range(8)))
        assert sorted(codes) == [401] * 2 + [429] * 6, codes
        assert c.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD}).status_code == 429


def test_successful_logins_do_not_count_against_the_client(db_path):
    from reef.config import load_config

    cfg = load_config(store_path=db_path).with_overrides({"server.login_max_client_attempts": 2})
    with client_on(db_path, cfg) as c:
        codes = [c.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD}).status_code for _ in range(4)]
        assert codes == [200] * 4
        assert c.post("/api/v1/login", json={"username": "x", "password": "wrong-pass"}).status_code == 401


def test_the_login_limiter_forgets_stale_names():
    import time

    from reef.actions import LoginLimiter

    limiter = LoginLimiter(3, 0.05, max_keys=10)
    for i in range(50):
        limiter.failed(f"c|name{i}")
        if i % 10 == 9:
            time.sleep(0.06)
    assert len(limiter._fails) <= 11


def test_the_session_cookie_is_secure_over_https(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://reef.example") as c:
        r = c.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD})
        assert r.status_code == 200 and "secure" in r.headers["set-cookie"].lower()
    with TestClient(app) as c:  # plain http (a local test): no Secure, or the browser would drop the cookie
        r = c.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD})
        assert "secure" not in r.headers["set-cookie"].lower()


def test_login_never_redirects_off_site(client):
    """Starlette escapes a backslash in Location, so ``/\\evil`` was no live redirect; it still goes home now."""
    for target in ("/\\evil.example", "/\t/evil.example", "/\\/evil.example", "//evil.example", "https://evil.example",
                   "/members/evil?lang=en"):
        r = post_login(client, {"username": "viewer", "password": PASSWORD, "next": target},
                        follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == (target if target.startswith("/members") else "/"), target


def test_the_generic_500_carries_the_security_headers_too(app):
    """The 500 leaves from Starlette's outermost ServerErrorMiddleware, outside the header middlewares: it had none."""
    from fastapi.testclient import TestClient

    def boom():
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/boom-test", boom)
    app.add_api_route("/boom-test", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        for path, accept in (("/api/v1/boom-test", "application/json"), ("/boom-test", "text/html")):
            r = c.get(path, headers={"accept": accept})
            assert r.status_code == 500 and accept in r.headers["content-type"], path
            assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin", path
            assert r.headers["cache-control"] == "no-store", path
        assert r.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_starlettes_own_plain_413_is_not_cached_either(app):
    """A declared length Starlette's body limit reads but the upload check does not (" 2000000") gets Starlette's own
    plain-text 413, answered outside the routes: no-store like every other error, plus the hardening headers."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/login", "raw_path": b"/login", "query_string": b"",
             "root_path": "", "scheme": "http", "server": ("t", 80), "client": ("c", 1), "http_version": "1.1",
             "headers": [(b"content-type", b"text/plain"), (b"content-length", b" 999999999")]}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413 and b"".join(m.get("body", b"") for m in sent[1:]) == b"Content Too Large"
    headers = dict(sent[0]["headers"])
    assert headers[b"cache-control"] == b"no-store"
    assert headers[b"x-content-type-options"] == b"nosniff" and headers[b"referrer-policy"] == b"same-origin"


def test_the_login_form_needs_its_own_token(app):
    """Login CSRF: a page of another site must not log the operator in under the forger's account. The form's token
    is in a SameSite=Strict cookie and the hidden field; a forged post has the field (the forger's own) but no cookie."""
    from fastapi.testclient import TestClient

    with TestClient(app) as forger:
        token = re.search(r'name="csrf_token" value="([^"]+)"', forger.get("/login").text).group(1)
    with TestClient(app) as victim:
        for data in ({}, {"csrf_token": token}, {"csrf_token": ""}):
            r = victim.post("/login", data={"username": "viewer", "password": PASSWORD, "next": "/", **data},
                            follow_redirects=False)
            assert r.status_code == 403 and "登录表单已失效" in r.text, data
            assert "reef_session" not in r.headers.get("set-cookie", ""), data
        page = victim.get("/login?lang=en")
        assert "reef_login_csrf" in page.headers["set-cookie"] and "samesite=strict" in page.headers["set-cookie"].lower()
        mine = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        assert mine != token
        wrong = victim.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token},
                            follow_redirects=False)
        assert wrong.status_code == 403 and "did not come from this site" in wrong.text
        mine = re.search(r'name="csrf_token" value="([^"]+)"', wrong.text).group(1)  # a fresh one, in the cookie too
        ok = victim.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": mine},
                         follow_redirects=False)
        assert ok.status_code == 303 and victim.get("/api/v1/me").status_code == 200


def test_an_overlong_login_name_is_neither_kept_whole_nor_hashed_whole(app, client):
    """Anyone could send a name of megabytes (the body limit was the upload's, 512 MB; now server.max_body_bytes, 1 MB,
    still far past a name): each failed login wrote it whole into the audit log and kept it as a limiter key."""
    from reef.actions import add_user
    from reef.actions.users import MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS
    from reef.errors import InvalidParameterError

    for i in range(3):
        r = client.post("/api/v1/login", json={"username": f"{i}" + "u" * 400_000, "password": "p" * 400_000})
        assert r.status_code == 401
    assert max(len(k) for k in app.state.login_limiter._fails) <= MAX_USERNAME_CHARS + 20
    handle = app.state.pool.acquire()
    try:
        names = [n for (n,) in handle.fetch_all("SELECT username FROM audit_log WHERE action = 'login.failed'")]
        assert len(names) == 3 and max(map(len, names)) == MAX_USERNAME_CHARS + 1
        # no user can have a name or password longer than a login keeps, so none is locked out by the cut
        with pytest.raises(InvalidParameterError):
            add_user(handle, "n" * (MAX_USERNAME_CHARS + 1), "viewer", password=PASSWORD)
        with pytest.raises(InvalidParameterError):
            add_user(handle, "longpass", "viewer", password="p" * (MAX_PASSWORD_CHARS + 1))
        add_user(handle, "n" * MAX_USERNAME_CHARS, "viewer", password="p" * MAX_PASSWORD_CHARS)
    finally:
        app.state.pool.release(handle)
    r = client.post("/api/v1/login", json={"username": "n" * MAX_USERNAME_CHARS, "password": "p" * MAX_PASSWORD_CHARS})
    assert r.status_code == 200
    r = client.post("/api/v1/login", json={"username": "n" * MAX_USERNAME_CHARS, "password": "p" * (MAX_PASSWORD_CHARS + 1)})
    assert r.status_code == 401
