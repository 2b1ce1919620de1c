"""A back-dated radar run (``reef risks --as-of`` for last month's report) replaces the radar's tables: 风险雷达 and
今日 say so (the same test as ``reef alerts``), instead of calling its alerts the current ones."""
from __future__ import annotations

from datetime import timedelta

import pytest

from surface_fixtures import PASSWORD, client_on, post_login

pytest.importorskip("fastapi")


def _back_date(path, days=12):
    from reef.risks.analysis import run_risks
    from reef.store import close_all, open_store

    store = open_store(path)
    end = store.fetch_value("SELECT max(created_at) FROM content")
    run_risks(store, end - timedelta(days=days), store.config)
    store.checkpoint()
    close_all()


def _login(client, role="viewer"):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def test_a_back_dated_run_is_never_shown_as_current(db_path):
    with client_on(db_path) as c:  # the run at the end of the data: current, nothing said
        _login(c)
        page = c.get("/risks").text
        assert 'id="back-dated"' not in page
        alerts = page.split('id="risk-alerts"', 1)[1].split("</table>", 1)[0]  # the alerts name their family (风险)
        assert '<th scope="col">风险</th>' in alerts and '<td class="family" data-family="' in alerts
        assert "回溯" not in c.get("/").text
    _back_date(db_path)
    with client_on(db_path) as c:
        _login(c)
        page = c.get("/risks").text
        assert 'id="back-dated"' in page and "以下结果截至" in page and "早于数据的最新日期" in page and "回溯运行" in page
        today = c.get("/").text
        assert "风险雷达当前有" not in today and "回溯结果" in today and "早于数据的最新日期" in today
        en = c.get("/risks?lang=en").text
        assert "The results below are as of" in en and "back-dated run" in en
    from reef.risks.freshness import radar_back_dated
    from reef.store import close_all, open_store

    store = open_store(db_path)
    back = radar_back_dated(store)
    assert back["shown_as_of"] < back["data_end"] == back["latest_run"][:10]
    close_all()

    store = open_store(db_path)  # back to the end of the data: current again, the banner gone
    from reef.risks.analysis import run_risks

    run_risks(store, None, store.config)
    store.checkpoint()
    close_all()
    with client_on(db_path) as c:
        _login(c)
        assert 'id="back-dated"' not in c.get("/risks").text and "风险雷达当前有" in c.get("/").text
