"""QA (a BI developer pulling the HTTP API into a warehouse every night): what a data platform relies on.

* Every view has a row key (``GET /api/v1/views``, ``key``), unique in its table, and every page ends its order with
  it: paging a list whose sort column ties (``sort=stage``: hundreds of members per stage) gives each row exactly
  once, ties in the view's own order, then the key. Before, ``sort=`` replaced the order with the one column, and
  LIMIT/OFFSET pages of ties came in no defined order.
* Every ``invalid_parameter`` answer names its parameter in ``where.field`` (it was null for ``per_page``, ``since``,
  ``page`` and an unknown query parameter, while some routes set it).
* A download named after a campaign id in Chinese keeps that id (RFC 5987 ``filename*``) and an ASCII ``filename``.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest

from surface_fixtures import client_on, login

pytest.importorskip("fastapi")


def test_every_view_names_a_row_key_that_is_unique_in_its_table(client, app):
    login(client, "viewer")
    views = client.get("/api/v1/views").json()
    from reef.actions import VIEWS

    store = app.state.store
    for v in views:
        assert v["key"], v["name"]
        view = VIEWS[v["name"]]
        relation = f"({view.source(store)}) AS _v" if view.source is not None else f'"{view.table}"'
        if not store.table_exists(view.table):
            continue
        cols = ", ".join(f'"{c}"' for c in v["key"])
        rows, keys = store.fetch_all(f"SELECT count(*), count(DISTINCT ({cols})) FROM {relation}")[0]
        assert rows == keys, (v["name"], rows, keys)


@pytest.mark.parametrize("view, sort, tie", [("ladder_members", "stage", "rank"), ("ladder_members", "-stage", "rank"),
                                             ("network_helpers", "-people_helped", "rank")])
def test_paging_a_tied_sort_gives_every_row_once_ties_in_the_views_order(client, view, sort, tie):
    login(client, "viewer")
    key = next(v["key"] for v in client.get("/api/v1/views").json() if v["name"] == view)
    first = client.get(f"/api/v1/{view}", params={"sort": sort, "per_page": 7}).json()
    rows = list(first["items"])
    for page in range(2, first["pages"] + 1):
        rows += client.get(f"/api/v1/{view}", params={"sort": sort, "per_page": 7, "page": page}).json()["items"]
    seen = [tuple(r[c] for c in key) for r in rows]
    assert len(seen) == first["total"] == len(set(seen))
    col = sort.lstrip("-")
    for a, b in zip(rows, rows[1:]):
        if a[col] == b[col]:
            assert a[tie] < b[tie], (a[col], a[tie], b[tie])


@pytest.mark.parametrize("query, field", [("/api/v1/ladder_members?per_page=501", "per_page"),
                                          ("/api/v1/ladder_members?since=2026-13-01", "since"),
                                          ("/api/v1/ladder_members?page=abc", "page"),
                                          ("/api/v1/ladder_members?as_of=2026-01-01", "as_of"),
                                          ("/api/v1/effect?action=recognise&as_of=bad", "as_of")])
def test_every_invalid_parameter_names_its_field(client, query, field):
    login(client, "viewer")
    r = client.get(query)
    error = r.json()["error"]
    assert r.status_code == 422 and error["code"] == "invalid_parameter", r.text
    assert error["where"] == {"file": None, "line": None, "field": field}, error


def test_a_download_named_after_a_chinese_campaign_id_keeps_it_rfc_5987(db_path):
    from reef.store import open_store

    store = open_store(db_path)
    with store.transaction():
        store.execute("UPDATE campaigns SET campaign_id = '春季征集' WHERE campaign_id = "
                      "(SELECT min(campaign_id) FROM campaigns)")
    with client_on(db_path) as c:
        login(c, "viewer")
        r = c.get("/api/v1/contest/download", params={"campaign": "春季征集", "format": "csv"})
        assert r.status_code == 200, r.text
        disposition = r.headers["content-disposition"]
        assert disposition.isascii()
        assert f"filename*=UTF-8''contest-{quote('春季征集')}-" in disposition, disposition
        assert 'filename="contest-_-' in disposition, disposition
