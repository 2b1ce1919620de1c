"""Every dashboard page that shows analysis results carries the risk page's coverage banner when those analyses last
ran at an as_of outside the data (reef.store.coverage.results_warning), in the page's language, and none otherwise."""
from __future__ import annotations

import pytest

from surface_fixtures import PASSWORD, client_on

pytest.importorskip("fastapi")
PAGES = ("/ladder", "/network", "/campaigns", "/kb", "/org")
BANNER = 'id="coverage-warning"'
# What the pages read; dependencies run at the same as_of.
ANALYSES = ["ladder", "network_connectors", "network_ripple", "network_helpers", "kb_qa", "kb_gaps", "layers_groups"]


def _login(client, role="viewer"):
    r = client.post("/login", data={"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def test_pages_of_results_inside_the_data_show_no_banner(client):
    _login(client)
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 200 and BANNER not in r.text, path


def test_pages_of_results_computed_before_the_data_show_the_banner_in_both_languages(db_path):
    from reef.analyses import run_analyses
    from reef.store import open_store

    store = open_store(db_path)
    run_analyses(store, as_of="2000-01-01", only=ANALYSES)  # a mistyped year
    with client_on(db_path) as c:
        _login(c)
        for path in PAGES:
            zh = c.get(path + "?lang=zh")  # the switch sets a cookie: ask for each language
            assert zh.status_code == 200 and f'<p class="warn" {BANNER}>注意：评估时点2000-01-01早于最早的内容' in zh.text, path
            en = c.get(path + "?lang=en").text
            assert BANNER in en and "as of 2000-01-01 is before the first content" in en and "注意：" not in en, path
