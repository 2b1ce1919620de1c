"""Every list route that takes ``sort`` offers columns to sort by, and each of them sorts (both directions)."""
from __future__ import annotations

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")


def _views():
    from reef.actions.views import VIEWS
    from reef.analyses import discover

    discover()
    return sorted(VIEWS.values(), key=lambda v: v.name)


def test_every_view_names_its_sortable_columns():
    unsortable = [v.name for v in _views() if not v.sortable]
    assert unsortable == []  # ?sort= on them said "Expected one of  (prefix - for descending)."


def test_every_sortable_column_sorts_on_every_list_route(client):
    login(client, "admin")
    checked = 0
    for view in _views():
        for col in view.sortable:
            for sort in (col, "-" + col):
                response = client.get(f"/api/v1/{view.name}?sort={sort}&per_page=500")
                assert response.status_code == 200, (view.name, sort, response.text[:300])
                body = response.json()
                if not body.get("available", True) or not body["items"]:
                    continue
                values = [r[col] for r in body["items"] if r.get(col) is not None]
                assert values == sorted(values, reverse=sort.startswith("-")), (view.name, sort)
                checked += 1
    assert checked > 40


def test_quarantine_sorts_by_import_id_and_a_wrong_column_lists_the_columns(client):
    login(client, "admin")
    assert client.get("/api/v1/quarantine?sort=-import_id").status_code == 200
    bad = client.get("/api/v1/quarantine?sort=nope").json()["error"]["message"]
    assert "import_id" in bad and "one of  " not in bad
