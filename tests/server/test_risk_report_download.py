"""风险周报 from the dashboard: the 风险雷达 page links to GET /api/v1/risks/report, which answers the weekly risk report
(HTML) as an attachment for the radar's as_of, in the page's language, masked for every role, and audited."""
from __future__ import annotations

import html as htmllib
import re
from zoneinfo import ZoneInfo

import pytest

from surface_fixtures import client_on, login

pytest.importorskip("fastapi")
PHONE = "13812345678"


def _radar(db_path) -> tuple[str, str]:
    """Put a phone number into the care list (the report lists it); returns the radar's as_of and its day."""
    from reef.store import close_all, open_store

    store = open_store(db_path)
    with store.transaction():
        store.execute(f"UPDATE risk_evidence SET detail_zh = '请致电 {PHONE}', detail_en = 'call {PHONE}' "
                      "WHERE part = 'care' AND rank = (SELECT min(rank) FROM risk_evidence WHERE part = 'care')")
    held = store.fetch_value("SELECT max(as_of) FROM risk_scores")
    day = held.astimezone(ZoneInfo(store.config.get("general.timezone"))).date().isoformat()
    store.checkpoint()
    close_all()
    return held.isoformat(), day


def test_the_radar_page_links_the_download_and_every_role_gets_the_masked_file(db_path):
    as_of, day = _radar(db_path)
    with client_on(db_path) as client:
        assert client.get("/api/v1/risks/report").status_code == 401  # never without credentials
        login(client, "viewer")
        page = client.get("/risks").text
        link = re.search(r'id="risk-report-card".*?<a class="button" id="risk-report-download" href="([^"]+)"[^>]*>([^<]+)</a>',
                         page, re.S)
        assert link and link.group(2) == "下载风险周报（HTML）"
        r = client.get(htmllib.unescape(link.group(1)))  # the page's as_of and language travel in the link
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.headers["content-disposition"] == f'attachment; filename="reef-risk-report-{day}.html"'
        assert r.text.startswith('<!DOCTYPE html><html lang="zh-CN">') and "<title>风险周报</title>" in r.text
        assert PHONE not in r.text and "138****5678" in r.text  # masked, as every export
        en_page = client.get("/risks?lang=en").text
        assert "Download the weekly risk report (HTML)" in en_page and "下载风险周报" not in en_page
        en_href = htmllib.unescape(re.search(r'id="risk-report-download" href="([^"]+)"', en_page).group(1))
        assert en_href.endswith("lang=en")
        assert client.get(en_href).text.startswith('<!DOCTYPE html><html lang="en">')
        for role in ("operator", "admin"):  # the same masked file for every role (the report has no unmasked form)
            login(client, role)
            r = client.get("/api/v1/risks/report", params={"as_of": as_of})
            assert r.status_code == 200 and PHONE not in r.text
        seen = client.get("/api/v1/audit?action=risk_report.download").json()["items"]
        assert {(e["username"], e["target"]) for e in seen} >= {(u, f"reef-risk-report-{day}.html") for u in ("viewer", "operator", "admin")}


def test_an_as_of_other_than_the_radars_is_refused(client):
    login(client, "viewer")
    r = client.get("/api/v1/risks/report", params={"as_of": "2000-01-01"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_parameter"
    hint = r.json()["error"]["hint"]  # what an HTTP client can do: no Python call, no CLI option (with_api_hint)
    assert "'as_of'" in r.json()["error"]["message"] and "POST /api/v1/jobs/analyze" in hint
    assert "risks(as_of=" not in hint and "reef risks" not in hint
    assert client.get("/api/v1/risks/report", params={"lang": "fr"}).status_code == 422
    assert client.get("/api/v1/risks/report", params={"weeks": "0"}).status_code == 422
    assert client.get("/api/v1/risks/report", params={"as_of": ""}).status_code == 200  # empty: the radar's last run


def test_the_library_names_the_file_by_the_radars_day(db_path):
    from reef.report.risk_download import risk_report_file
    from reef.store import open_store

    _, day = _radar(db_path)
    got = risk_report_file(open_store(db_path), lang="EN")
    assert got["file_name"] == f"reef-risk-report-{day}.html" and got["lang"] == "en"
    assert got["html"].startswith('<!DOCTYPE html><html lang="en">')


def test_a_viewer_cannot_ask_for_years_of_recomputed_weeks(client, monkeypatch):
    """Each week risk_score_log does not cover is a whole radar run on the request: weeks=200 took 42 s on the
    120-member test store (about 0.2 s a week), so any viewer could tie up the server for hours with one link."""
    import reef.risks.analysis as analysis

    runs = []
    real = analysis.compute_risks
    monkeypatch.setattr(analysis, "compute_risks", lambda *a, **k: runs.append(1) or real(*a, **k))
    login(client, "viewer")
    for weeks in ("53", "200", str(10 ** 20)):
        r = client.get("/api/v1/risks/report", params={"weeks": weeks})
        assert r.status_code == 422, (weeks, r.text)
        # 10**20 is refused by the bound on every integer query parameter (reef.server.deps.bounded_ints) first
        assert r.json()["error"]["where"]["field"] == "weeks" and ("from 1 to 52" in r.json()["error"]["message"]
                                                                   or len(weeks) > 10)
    assert runs == []
    assert client.get("/api/v1/risks/report", params={"weeks": "52"}).status_code == 200
