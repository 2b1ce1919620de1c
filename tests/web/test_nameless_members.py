"""Members without a name (every Weibo CED uid: the dump has no nicknames) show an empty name cell on the dashboard,
never Python's ``None``: the Weibo walk found 昵称 ``None`` on the overview, /members and /network."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import PASSWORD, client_on

pytest.importorskip("fastapi")


def test_pages_show_no_none_for_members_without_a_name(db_path):
    from reef.analyses import run_analyses
    from reef.store import close_all, open_store

    store = open_store(db_path)
    with store.transaction():
        store.execute("UPDATE members SET name = NULL")
    run_analyses(store, force=True)
    store.checkpoint()
    close_all()
    with client_on(db_path) as client:
        assert client.post("/api/v1/login", json={"username": "operator", "password": PASSWORD}).status_code == 200
        for page in ("/", "/members", "/network", "/ladder", "/org"):
            r = client.get(page)
            assert r.status_code == 200, page
            cells = re.findall(r"<td[^>]*>(.*?)</td>", r.text, flags=re.S)
            assert cells, page
            assert "None" not in cells, page
