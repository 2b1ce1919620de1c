"""Idle timeout of dashboard sessions (``server.session_idle_minutes``): a session unused for longer is refused like an
expired one, each use renews it (written back at most once a minute), API tokens have none. A fake clock
(``reef.actions.users._now``) stands in for waiting."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from surface_fixtures import PASSWORD, client_on

pytest.importorskip("fastapi")

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock(monkeypatch):
    now = [T0]
    monkeypatch.setattr("reef.actions.users._now", lambda: now[0])
    return now


def _config(db_path, **over):
    from reef.config import load_config

    return load_config(store_path=db_path).with_overrides({"server.auth_cache_seconds": 0, **over})


def _login(client) -> None:
    r = client.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD})
    assert r.status_code == 200, r.text


def _answers(client) -> tuple:
    api = client.get("/api/v1/me?lang=en")
    zh = client.get("/api/v1/me?lang=zh").json()["error"]["message"]
    page = client.get("/", follow_redirects=False)
    return api.status_code, api.json()["error"], zh, page.status_code, page.headers.get("location")


def _last_used(client):
    return client.app.state.pool.store.fetch_value("SELECT max(last_used_at) FROM sessions")


def test_an_idle_session_is_refused_like_an_expired_one_and_each_use_renews_it(db_path, clock):
    with client_on(db_path, _config(db_path, **{"server.session_idle_minutes": 30})) as c:
        _login(c)
        for minutes in (20, 40, 60):  # used every 20 minutes: alive well past 30 minutes after the login
            clock[0] = T0 + timedelta(minutes=minutes)
            assert c.get("/api/v1/me").status_code == 200, minutes
        clock[0] = T0 + timedelta(minutes=60 + 31)  # then 31 minutes unused
        idle = _answers(c)
        assert idle[0] == 401 and idle[1]["code"] == "not_authenticated"
        clock[0] = T0 + timedelta(minutes=60 + 32)
        assert c.get("/api/v1/me").status_code == 401  # a refused session is not renewed by asking again
        _login(c)  # the same answers as a session past server.session_hours
        clock[0] = T0 + timedelta(minutes=60 + 32, hours=12, seconds=1)
        assert _answers(c) == idle


def test_last_use_is_written_at_most_once_a_minute(db_path, clock):
    from reef.actions.users import TOUCH_SECONDS

    with client_on(db_path, _config(db_path, **{"server.session_idle_minutes": 30})) as c:
        _login(c)
        assert _last_used(c) == T0
        clock[0] = T0 + timedelta(seconds=TOUCH_SECONDS - 1)
        assert c.get("/api/v1/me").status_code == 200 and _last_used(c) == T0  # no write on this request
        clock[0] = T0 + timedelta(seconds=TOUCH_SECONDS)
        assert c.get("/api/v1/me").status_code == 200 and _last_used(c) == clock[0]


def test_zero_turns_the_idle_limit_off_and_api_tokens_have_none(db_path, clock):
    from reef.actions import issue_token

    with client_on(db_path, _config(db_path, **{"server.session_idle_minutes": 0})) as c:
        _login(c)
        token = issue_token(c.app.state.pool.store, "viewer")
        clock[0] = T0 + timedelta(hours=11)
        assert c.get("/api/v1/me").status_code == 200
        c.cookies.clear()
    with client_on(db_path, _config(db_path, **{"server.session_idle_minutes": 1})) as c:
        clock[0] = T0 + timedelta(days=30)
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_setting_defaults_to_two_hours_and_refuses_a_negative_value(db_path):
    from reef.config import load_config
    from reef.errors import ConfigError

    assert load_config(store_path=db_path).get("server.session_idle_minutes") == 120
    with pytest.raises(ConfigError, match="session_idle_minutes"):
        load_config(store_path=db_path).with_overrides({"server.session_idle_minutes": -5})
