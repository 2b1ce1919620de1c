"""Access control: every route declares a role and refuses anyone below it; sessions, CSRF, rate limits."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import PASSWORD, api_routes, login

pytest.importorskip("fastapi")

PUBLIC = {("GET", "/health"), ("GET", "/login"), ("POST", "/login"), ("POST", "/api/v1/login")}
RANK = {"public": -1, "viewer": 0, "operator": 1, "admin": 2}


def _routes(app):
    for route in api_routes(app.routes):
        for method in sorted(route.methods):
            yield method, route.path, route


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path).replace("/members/1", "/members/evil")


def _tokens(app):
    from reef.actions import issue_token

    handle = app.state.pool.acquire()
    try:
        return {role: issue_token(handle, role) for role in ("viewer", "operator", "admin")}
    finally:
        app.state.pool.release(handle)


def test_every_route_declares_a_role_and_only_login_and_health_are_public(app):
    routes = list(_routes(app))
    assert len(routes) > 20
    for method, path, route in routes:
        role = (route.openapi_extra or {}).get("x-reef-role")
        assert role in RANK, f"{method} {path} declares no role"
        assert (role == "public") == ((method, path) in PUBLIC), f"{method} {path} is {role}"
        if method not in ("GET", "HEAD"):
            assert role != "viewer" or path.endswith("logout"), f"viewers may not change anything: {method} {path}"


def test_no_route_answers_without_credentials(client, app):
    for method, path, _ in _routes(app):
        if (method, path) in PUBLIC:
            continue
        r = client.request(method, _concrete(path), headers={"accept": "text/html"}, follow_redirects=False)
        assert r.status_code in (401, 303), f"{method} {path} answered {r.status_code} without credentials"
        if r.status_code == 303:
            assert r.headers["location"].startswith("/login")
        r = client.request(method, _concrete(path), headers={"accept": "application/json"})
        if not path.startswith("/api/"):
            continue
        assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated", f"{method} {path}"


def test_every_route_refuses_roles_below_its_own(client, app):
    tokens = _tokens(app)
    checked = 0
    for method, path, route in _routes(app):
        needed = route.openapi_extra["x-reef-role"]
        for role, token in tokens.items():
            if RANK[role] >= RANK[needed]:
                continue
            r = client.request(method, _concrete(path), headers={"authorization": f"Bearer {token}"})
            assert r.status_code == 403, f"{role} got {r.status_code} from {method} {path} (needs {needed})"
            assert r.json()["error"]["code"] == "forbidden"
            checked += 1
    assert checked >= 10  # operator and admin routes exist and were probed


def test_a_wrong_token_is_refused(client):
    r = client.get("/api/v1/status", headers={"authorization": "Bearer reef_not-a-token"})
    assert r.status_code == 401


def test_session_cookie_is_httponly_and_samesite(client):
    r = client.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/api/v1/me").json()["role"] == "viewer"


def test_passwords_are_stored_as_argon2_hashes(app):
    handle = app.state.pool.acquire()
    hashes = [r[0] for r in handle.fetch_all("SELECT password_hash FROM users")]
    app.state.pool.release(handle)
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_state_changing_requests_need_the_csrf_token(client):
    csrf = login(client, "operator")
    body = {"member_id": "evil", "kind": "recognise"}
    r = client.post("/api/v1/actions", json=body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    r = client.post("/api/v1/actions", json=body, headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403
    r = client.post("/api/v1/actions", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201


def test_logins_are_rate_limited_even_for_the_right_password(client, app):
    attempts = int(app.state.config.get("server.login_max_attempts"))
    for _ in range(attempts):
        assert client.post("/api/v1/login", json={"username": "admin", "password": "wrong-wrong"}).status_code == 401
    r = client.post("/api/v1/login", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    # Another user from the same client is not locked out by admin's failures.
    assert client.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD}).status_code == 200


def test_viewers_see_contact_masked_operators_do_not(client):
    login(client, "viewer")
    viewer = client.get("/api/v1/members/evil").json()
    assert viewer["member"]["contact"] == "139****5678"
    assert "13812345678" not in str(viewer["contributions"])
    login(client, "operator")
    operator = client.get("/api/v1/members/evil").json()
    assert operator["member"]["contact"] == "13912345678"


def test_every_action_and_login_is_audited(client):
    csrf = login(client, "operator")
    a = client.post("/api/v1/actions", json={"member_id": "evil", "kind": "invite"}, headers={"X-CSRF-Token": csrf}).json()
    client.patch(f"/api/v1/actions/{a['action_id']}", json={"status": "done"}, headers={"X-CSRF-Token": csrf})
    login(client, "admin")
    entries = client.get("/api/v1/audit?per_page=50").json()["items"]
    seen = [(e["username"], e["action"]) for e in entries]
    assert ("operator", "action.create") in seen and ("operator", "action.update") in seen
    assert ("operator", "login") in seen and ("admin", "login") in seen


def test_logout_ends_the_session(client):
    csrf = login(client, "viewer")
    assert client.post("/api/v1/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_every_page_and_read_answers_on_a_store_no_analysis_has_run_on(tmp_path):
    """An operator opening the dashboard right after the first import: no result table exists yet, and no GET route
    (pages and API reads alike) may answer 500; /contest did (``ladder_members`` does not exist)."""
    from analyses.handmade import write_community
    from surface_fixtures import client_on

    from reef.actions.users import add_user
    from reef.ingest import import_paths
    from reef.store import open_store

    path = tmp_path / "fresh.duckdb"
    store = open_store(path)
    import_paths(store, write_community(tmp_path / "data"))
    add_user(store, "viewer", "viewer", password=PASSWORD)
    store.close()
    with client_on(path) as c:
        login(c, "viewer")
        paths = sorted({p for m, p, _ in _routes(c.app) if m == "GET" and "{" not in p} - {"/logout"})
        assert "/contest" in paths and "/api/v1/campaigns" in paths and len(paths) > 20
        failed = {p: r.status_code for p in paths if (r := c.get(p)).status_code >= 500}
    assert failed == {}


def test_a_second_login_on_the_same_client_ends_the_first_session(client):
    """Switching user: the operator's session must not outlive the viewer's login (its cookie could be replayed)."""
    from surface_fixtures import post_login

    login(client, "operator")
    operator_sid = client.cookies.get("reef_session")
    login(client, "viewer")
    assert client.cookies.get("reef_session") != operator_sid
    assert client.get("/api/v1/me").json()["role"] == "viewer"
    assert client.get("/api/v1/me", cookies={"reef_session": operator_sid}).status_code == 401
    # the login form too, and a failed login leaves the current session as it was
    viewer_sid = client.cookies.get("reef_session")
    assert client.post("/api/v1/login", json={"username": "admin", "password": "wrong-password"}).status_code == 401
    assert client.get("/api/v1/me", cookies={"reef_session": viewer_sid}).status_code == 200
    assert post_login(client, {"username": "admin", "password": PASSWORD}, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me", cookies={"reef_session": viewer_sid}).status_code == 401
    assert client.get("/api/v1/me").json()["role"] == "admin"
