"""A failed risk-radar run is said on 风险雷达, 今日 and in the report, instead of old scores shown as current."""
from __future__ import annotations

import pytest

from surface_fixtures import PASSWORD, client_on, post_login

pytest.importorskip("fastapi")


def _fail_radar(path, status="failed", message="ConstraintException: duplicate key"):
    from reef.store import close_all, open_store

    store = open_store(path)
    store.execute("""INSERT INTO analysis_runs SELECT name, version, as_of, watermark, params, now(), now() + INTERVAL 1 SECOND,
                     $s, 0, $m FROM analysis_runs WHERE name = 'risks' ORDER BY finished_at DESC LIMIT 1""", {"s": status, "m": message})
    store.checkpoint()
    close_all()


def _page_login(client, role):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def test_risks_and_today_say_the_last_run_failed(db_path):
    with client_on(db_path) as c:
        _page_login(c, "viewer")
        assert 'id="radar-failure"' not in c.get("/risks").text  # a good run: nothing said
    _fail_radar(db_path)
    with client_on(db_path) as c:
        _page_login(c, "viewer")
        page = c.get("/risks").text
        assert 'id="radar-failure"' in page and "风险雷达最近一次运行（" in page and "分析“风险雷达”出错" in page
        assert "仍是截至" in page and "ConstraintException" not in page  # operator words, not the exception
        today = c.get("/").text
        assert "风险雷达最近一次运行（" in today
        en = c.get("/risks?lang=en").text
        assert "The risk radar&#39;s last run (" in en and "the analysis Risk radar failed" in en


def test_a_radar_blocked_by_a_dependency_names_it_and_the_report_says_so(db_path):
    from reef.report.build import build_report
    from reef.report.render import to_markdown
    from reef.store import open_store

    _fail_radar(db_path, "blocked", "not run: dependency ladder failed")
    store = open_store(db_path)
    md = to_markdown(build_report(store, run=False))
    assert "它依赖的分析“" in md and "雷达未运行" in md
    from reef.actions.overview import analysis_title
    assert analysis_title("ladder") in md


def test_the_member_form_no_longer_offers_dismiss_alert(db_path):
    import re

    with client_on(db_path) as c:
        _page_login(c, "operator")
        html = c.get("/members/evil").text
        select = re.search(r'<select name="kind" id="action-kind">(.*?)</select>', html, re.S).group(1)
        assert 'value="respond"' in select and "dismiss_alert" not in select
