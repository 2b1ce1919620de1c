"""The network page (网络): rendered for viewers, bilingual, member text escaped; report sections on an empty store."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

import surface_fixtures as _mod  # loaded by tests/conftest.py


def test_network_page_for_a_viewer_in_both_languages(client):
    _mod.login(client, "viewer")
    zh = client.get("/network")
    assert zh.status_code == 200
    assert "关键节点" in zh.text and "活动与涟漪" in zh.text and "互助榜" in zh.text
    assert 'href="/network"' in zh.text  # in the navigation
    en = client.get("/network?lang=en")
    assert "Key connectors" in en.text and "Mutual help" in en.text
    assert "<script>alert" not in zh.text  # hostile member names are escaped or masked


def test_network_page_needs_a_login(client):
    r = client.get("/network", follow_redirects=False)
    assert r.status_code in (302, 303, 307, 401)


def test_sections_on_an_empty_store_say_what_to_do():
    from reef.network.report import connectors_section, helpers_section, ripple_section
    from reef.store import open_store

    store = open_store(":memory:")
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    # a report section: its reader starts the analysis on the dashboard, not at a terminal
    assert "数据导入" in connectors_section(store, at, "zh").paragraphs[0] and "reef analyze" not in connectors_section(store, at, "zh").paragraphs[0]
    assert ripple_section(store, at, "en").paragraphs == ["No campaign with seed members yet."]
    assert helpers_section(store, at, "zh").tables == []
