"""Shared fixtures for the surfaces (tests/server, tests/web, tests/export): a small simulated store with
analyses run, three users and hostile member text. Loaded by each folder's conftest.py as `surface_fixtures`."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

PASSWORD = "correct-horse-电池"
HOSTILE_NAME = '<script>alert("name")</script>车主'
HOSTILE_BODY = '<img src=x onerror="alert(1)"> 电话13812345678 <b>粗体</b>'


def api_routes(routes):
    """Every FastAPI route of ``routes`` (an app's or a router's), included routers walked; the static assets are left
    out (no data, needed by the login page) and any other kind of route fails: it could not be proved guarded."""
    from fastapi.routing import APIRoute
    from starlette.routing import Mount

    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI >= 0.16x keeps included routers nested
            yield from api_routes(route.original_router.routes)
        elif isinstance(route, Mount) and route.path == "/static":
            continue
        else:
            raise AssertionError(f"unexpected route type {type(route).__name__}: cannot prove it is guarded")


def build_store(path):
    """Simulate a small community, add a member with hostile text, run analyses, add users."""
    from reef.actions import add_user
    from reef.analyses import run_analyses
    from reef.api import simulate_community
    from reef.store import open_store

    store = open_store(path)
    simulate_community(store, members=120, days=30, seed=3)
    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at, account_type, contact) "
                      "VALUES ('evil', ?, TIMESTAMPTZ '2026-06-01 10:00:00+08', 'member', '13912345678')", [HOSTILE_NAME])
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at, title, body) VALUES "
                      "('evil-1', 'thread', 'evil', TIMESTAMPTZ '2026-06-20 10:00:00+08', '<i>标题</i>', ?)", [HOSTILE_BODY])
    run_analyses(store)
    for role in ("admin", "operator", "viewer"):
        add_user(store, role, role, password=PASSWORD)
    return store


EVIL_RESULT = '<script>alert("kb")</script>'


def add_hostile_results(path) -> None:
    """Put member-written text carrying script (and a phone number) into the result tables the
    capability pages show: repeated questions, gaps, risk alerts and the boost list."""
    from reef.store import close_all, open_store

    store = open_store(path)
    with store.transaction():
        store.execute("UPDATE kb_clusters SET canonical_title = ? WHERE cluster_id = (SELECT min(cluster_id) FROM kb_clusters "
                      "WHERE times_asked >= 2)", [EVIL_RESULT + "冬天续航掉多少 13812345678"])
        store.execute("UPDATE kb_gaps SET title = ? WHERE rank = 1", [EVIL_RESULT + "缺口"])
        store.execute("UPDATE risk_alerts SET subject = ?, member_id = 'evil' WHERE alert_key = (SELECT min(alert_key) FROM risk_alerts)",
                      [HOSTILE_NAME])
        store.execute("UPDATE network_boost SET name = ?, snippet = ?, acknowledgement = ? WHERE member_id = "
                      "(SELECT min(member_id) FROM network_boost)", [HOSTILE_NAME, EVIL_RESULT + "电话13812345678", EVIL_RESULT])
    store.checkpoint()
    close_all()


@pytest.fixture(scope="session")
def store_template(tmp_path_factory):
    """Built once per session; tests copy the file so each gets a pristine store."""
    from reef.store import close_all

    path = tmp_path_factory.mktemp("surfaces") / "template.duckdb"
    build_store(path).checkpoint()
    close_all()
    return path


@pytest.fixture
def db_path(store_template, tmp_path):
    import shutil

    target = tmp_path / "reef.duckdb"
    shutil.copy(store_template, target)
    return target


@pytest.fixture
def app(db_path):
    pytest.importorskip("fastapi")
    from reef.server import create_app

    application = create_app(db_path)
    yield application
    application.state.jobs.shutdown()


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


def post_login(client, data: dict, **kwargs):
    """POST the login form as a browser does: first ``GET /login`` for the form's token (cookie and hidden field)."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", data={**data, "csrf_token": token}, **kwargs)


def login(client, role: str) -> str:
    """Log ``client`` in as the user named ``role``; returns the CSRF token."""
    r = client.post("/api/v1/login", json={"username": role, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


@contextmanager
def client_on(path, config=None):
    """A (logged-out) test client of a server on the store at ``path`` (with ``config`` if given), for a test that
    changed the store first: every open handle is closed so the server reads the change, and the server's jobs stop
    afterwards."""
    from fastapi.testclient import TestClient

    from reef.server import create_app
    from reef.store import close_all

    close_all()
    app = create_app(path, config=config) if config is not None else create_app(path)
    try:
        with TestClient(app) as c:
            yield c
    finally:
        app.state.jobs.shutdown()


def run_seed_plan(client, app, csrf: str, **form) -> int:
    """Post the form as an operator; returns the job id after it finished."""
    r = client.post("/seed-plan", data={"csrf_token": csrf, "k": "3", **form}, follow_redirects=False)
    assert r.status_code == 303, r.text
    job_id = int(re.search(r"job=(\d+)", r.headers["location"]).group(1))
    assert app.state.jobs.wait(job_id, timeout=120)["status"] == "done"
    return job_id
