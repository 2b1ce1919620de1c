"""Answers that carry data are never cached (Cache-Control: no-store on the API, JSON and downloads), and CORS is off
unless server.cors_origins names origins (Starlette's CORSMiddleware; no cookies across origins)."""
from __future__ import annotations

import pytest

from surface_fixtures import client_on, login

pytest.importorskip("fastapi")
BI = "https://bi.example.com"


def test_api_answers_errors_and_downloads_are_not_stored(client):
    assert client.get("/api/v1/me").headers.get("cache-control") == "no-store"  # 401 JSON error shape, logged out
    login(client, "viewer")
    for path in ("/api/v1/status", "/api/v1/jobs", "/api/v1/views"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store", path
    r = client.get("/api/v1/risks/report")  # a download (Content-Disposition)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert r.headers["cache-control"] == "no-store"
    assert client.get("/api/v1/no-such-route").headers["cache-control"] == "no-store"  # 404 JSON
    assert client.get("/health").headers["cache-control"] == "no-store"
    page = client.get("/risks")
    assert page.status_code == 200 and "cache-control" not in page.headers  # the HTML pages are not changed here
    static = client.get("/static/reef.js")
    assert static.status_code == 200 and "cache-control" not in static.headers  # assets hold no data


def test_no_cors_headers_by_default(client):
    login(client, "viewer")
    r = client.get("/api/v1/status", headers={"Origin": BI})
    assert r.status_code == 200 and not any(h.startswith("access-control-") for h in r.headers)
    pre = client.options("/api/v1/status", headers={"Origin": BI, "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers


def test_listed_origins_may_call_the_api_with_a_token(db_path):
    from reef.config import load_config

    config = load_config().with_overrides({"server.cors_origins": [BI]})
    with client_on(db_path, config) as c:
        pre = c.options("/api/v1/status", headers={"Origin": BI, "Access-Control-Request-Method": "GET",
                                                  "Access-Control-Request-Headers": "Authorization"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == BI
        assert "authorization" in pre.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in pre.headers  # cookies never cross origins
        other = c.options("/api/v1/status", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
        login(c, "viewer")
        r = c.get("/api/v1/status", headers={"Origin": BI})
        assert r.headers["access-control-allow-origin"] == BI and r.headers["cache-control"] == "no-store"
        assert "access-control-allow-origin" not in c.get("/api/v1/status", headers={"Origin": "https://evil.example"}).headers


@pytest.mark.parametrize("bad", [["https://bi.example.com/"], ["bi.example.com"], ["https://bi.example.com/api"], [3],
                                 "https://bi.example.com"])
def test_cors_origins_are_checked_when_merged(bad):
    from reef.config import load_config
    from reef.errors import ConfigError

    with pytest.raises(ConfigError) as refused:
        load_config().with_overrides({"server.cors_origins": bad})
    assert refused.value.where.field == "server.cors_origins"
    assert load_config().with_overrides({"server.cors_origins": ["*", "http://127.0.0.1:3000"]}).get("server.cors_origins")


@pytest.mark.parametrize("listed", [[BI], ["*"]])
def test_the_generic_500_carries_the_cors_headers_of_a_listed_origin(db_path, listed):
    """The 500 leaves outside the CORS middleware (harden): a page on an allowed origin must still read the error."""
    from fastapi.testclient import TestClient

    from reef.config import load_config
    from reef.server import create_app
    from reef.store import close_all

    def boom():
        raise RuntimeError("a bug")

    close_all()
    app = create_app(db_path, config=load_config().with_overrides({"server.cors_origins": listed}))
    app.add_api_route("/api/v1/boom-test", boom)
    try:
        with TestClient(app, raise_server_exceptions=False) as c:
            r = c.get("/api/v1/boom-test", headers={"Origin": BI})
            assert r.status_code == 500 and r.json()["error"]["code"]
            assert r.headers["access-control-allow-origin"] == ("*" if listed == ["*"] else BI)
            assert "content-disposition" in r.headers["access-control-expose-headers"].lower()
            ok = c.get("/health", headers={"Origin": BI})  # what the CORS middleware gives any other answer
            assert ok.headers["access-control-allow-origin"] == r.headers["access-control-allow-origin"]
            other = c.get("/api/v1/boom-test", headers={"Origin": "https://evil.example"})
            assert other.status_code == 500 and ("access-control-allow-origin" not in other.headers or listed == ["*"])
    finally:
        app.state.jobs.shutdown()
