"""The capability pages (知识礁, 风险雷达, 危机室, 活动与涟漪) through the HTTP stack: Chinese by default,
English switch, charts with a no-JavaScript fallback, pagination, masking and escaping of member text."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import PASSWORD, add_hostile_results, client_on, post_login

pytest.importorskip("fastapi")
PAGES = {"/kb": ("知识礁", "Knowledge reef"), "/risks": ("风险雷达", "Risk radar"), "/crisis": ("危机室", "Crisis room"),
         "/campaigns": ("活动与涟漪", "Campaigns and ripples")}


def _login(client, role="operator"):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


@pytest.fixture
def hostile_app(db_path):
    """The shared store with member-written text carrying script in every table the new pages show."""
    from reef.server import create_app

    add_hostile_results(db_path)
    app = create_app(db_path)
    yield app
    app.state.jobs.shutdown()


@pytest.fixture
def hostile_client(hostile_app):
    from fastapi.testclient import TestClient

    with TestClient(hostile_app) as c:
        yield c


def test_the_tables_behind_the_pages_have_rows(app):
    # Guard for the escaping tests below: they prove nothing if the pages have no rows to show.
    handle = app.state.pool.acquire()
    try:
        for table in ("kb_clusters", "kb_gaps", "risk_alerts", "network_boost", "crisis_daily"):
            assert handle.fetch_value(f"SELECT count(*) FROM {table}") > 0, table
    finally:
        app.state.pool.release(handle)


def test_pages_render_in_chinese_then_english_in_the_nav_order(client):
    _login(client, "viewer")
    for path, (zh, _) in PAGES.items():
        r = client.get(path)
        assert r.status_code == 200 and f"<h1>{zh}</h1>" in r.text, path
    for path, (_, en) in PAGES.items():
        assert f"<h1>{en}</h1>" in client.get(path + "?lang=en").text, path
    nav = re.findall(r'data-page="(\w+)"', client.get("/").text)
    assert nav.index("today") < nav.index("campaigns") < nav.index("kb") < nav.index("risks") < nav.index("crisis") < nav.index("tasks")


def test_kb_search_finds_a_repeated_question_with_its_answer(client, app):
    _login(client, "viewer")
    handle = app.state.pool.acquire()
    title = handle.fetch_value("SELECT canonical_title FROM kb_clusters WHERE times_asked >= 2 ORDER BY times_asked DESC LIMIT 1")
    app.state.pool.release(handle)
    html = client.get("/kb", params={"q": title}).text
    assert 'id="kb-results"' in html
    first = re.search(r'<article class="result"><h3>1\. (.*?) <span', html)
    assert first and first.group(1) == title


def test_tables_paginate_and_keep_their_filters(client, app):
    _login(client, "viewer")
    per = int(app.state.config.get("server.page_size"))
    handle = app.state.pool.acquire()
    alerts = handle.fetch_value("SELECT count(*) FROM risk_alerts")
    aspect = handle.fetch_value("SELECT aspect FROM crisis_daily GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    app.state.pool.release(handle)
    html = client.get("/risks").text
    rows = re.search(r'<table id="risk-alerts"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S).group(1).count("<tr")
    assert rows == min(alerts, per)
    pages = -(-alerts // per)
    assert f"第 1 / {pages} 页，共 {alerts} 条" in html
    crisis = client.get("/crisis", params={"aspect": aspect}).text
    assert f"逐日时间线：{aspect}" in crisis
    days = re.search(r'<table id="crisis-timeline"[^>]*>.*?<tbody>(.*?)</tbody>', crisis, re.S).group(1).count("<tr")
    assert 0 < days <= per
    assert client.get("/risks?page=abc").status_code == 422


def test_charts_carry_a_static_svg_and_load_the_served_plotly(client):
    _login(client, "viewer")
    for path in ("/", "/ladder", "/risks", "/crisis", "/campaigns"):
        html = client.get(path).text
        assert 'data-chart="' in html and "<svg" in html, path  # drawn without JavaScript too
        assert '<script src="/static/vendor/plotly.min.js">' in html, path
        assert "cdn" not in html.lower() and "https://" not in html, path
    assert "plotly.min.js" not in client.get("/kb").text  # pages without charts do not load it


def test_plotly_is_served_by_reef_gzipped_and_cached(client):
    r = client.get("/static/vendor/plotly.min.js", headers={"accept-encoding": "gzip"})  # public: no data in it
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert "max-age" in r.headers["cache-control"] and r.content.startswith(b"/**\n* plotly.js")
    again = client.get("/static/vendor/plotly.min.js", headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/static/vendor/nothing.js").status_code == 404


def test_member_text_is_escaped_and_masked_on_the_new_pages(hostile_client):
    _login(hostile_client, "viewer")
    for path in ("/kb", "/risks", "/campaigns"):
        html = hostile_client.get(path).text
        assert "<script>alert" not in html, path
        assert "&lt;script&gt;alert" in html, path
        assert "13812345678" not in html, path  # viewers see phone numbers masked
    assert "138****5678" in hostile_client.get("/kb").text
    searched = hostile_client.get("/kb", params={"q": "冬天续航掉多少"}).text
    assert "<script>alert" not in searched


def test_operators_can_record_a_boost_from_the_campaign_page(hostile_client):
    _login(hostile_client, "operator")
    html = hostile_client.get("/campaigns").text
    form = re.search(r'<form method="post" action="/members/([^/"]+)/actions" class="inline">(.*?)</form>', html, re.S)
    assert form, "operators get a record-boost button per boost row"
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    member = form.group(1)
    note = re.search(r'name="note" value="([^"]*)"', form.group(2)).group(1)
    back = re.search(r'name="next" value="([^"]*)"', form.group(2)).group(1)
    r = hostile_client.post(f"/members/{member}/actions", data={"kind": "boost", "status": "done", "note": note.replace("&amp;", "&"),
                                                                  "next": back, "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/campaigns")
    assert "助推" in hostile_client.get(f"/members/{member}").text
    # An off-site "next" is ignored (no open redirect).
    r = hostile_client.post(f"/members/{member}/actions", data={"kind": "note", "next": "//evil.example", "csrf_token": csrf},
                            follow_redirects=False)
    assert r.headers["location"] == f"/members/{member}"
    _login(hostile_client, "viewer")
    assert 'action="/members/' not in hostile_client.get("/campaigns").text


def test_risk_page_shows_the_radars_coverage_warning(client, app, monkeypatch):
    _login(client, "viewer")
    assert 'id="coverage-warning"' not in client.get("/risks").text  # the shared store's radar lies inside its data
    import reef.risks.surfaces as surfaces

    seen = []

    def warning(store, as_of, config, lang="zh"):
        seen.append(lang)
        return "注意：评估时点晚于最新数据" if lang == "zh" else "Warning: as of is after the latest data"

    monkeypatch.setattr(surfaces, "coverage_warning", warning)
    app.state.read_cache.bump()  # the page read before is cached until the store changes
    try:
        html = client.get("/risks").text
        assert '<p class="warn" id="coverage-warning">注意：评估时点晚于最新数据</p>' in html
        assert "Warning: as of is after the latest data" in client.get("/risks?lang=en").text and seen == ["zh", "en"]
        assert "<td>核心倦怠</td>" in html or "<td>新人融入</td>" in html  # parts show their display names, not keys
    finally:
        app.state.read_cache.bump()  # later tests must not read the page with the fake warning


def test_crisis_room_warns_when_its_analysis_runs_past_the_data(db_path):
    from reef.analyses import run_analyses
    from reef.store import open_store

    store = open_store(db_path)
    run_analyses(store, as_of="2027-03-01", only=["kb_crisis"])  # months after the simulated data ends
    with client_on(db_path) as c:
        _login(c, "viewer")
        html = c.get("/crisis").text
        assert 'id="coverage-warning"' in html and "2027-03-01" in html


def test_crisis_room_refuses_an_as_of_it_does_not_hold(db_path):
    """/crisis?as_of= was silently ignored: the room of the latest breakwater run showed under another date."""
    from reef.analyses import run_analyses
    from reef.store import open_store

    store = open_store(db_path)
    run_analyses(store, only=["kb_crisis"])
    run_analyses(store, as_of="2026-06-29T12:00+08:00", only=["kb_crisis"])  # the latest run, back-dated
    with client_on(db_path) as c:
        _login(c, "viewer")
        room = c.get("/crisis")
        assert room.status_code == 200 and "2026-06-29 12:00" in room.text  # the latest run, not the largest as_of
        assert c.get("/crisis", params={"as_of": "2026-06-29T12:00+08:00"}).status_code == 200
        other = c.get("/crisis", params={"as_of": "2026-06-01"})
        assert other.status_code == 422 and "2026-06-29T12:00" in other.text


def test_community_wide_alert_subjects_are_named_not_shown_as_keys(db_path):
    from reef.store import open_store

    store = open_store(db_path)
    key = store.fetch_value("SELECT min(alert_key) FROM risk_alerts")
    with store.transaction():  # the community-wide alerts of core burnout and of narrative dilution
        store.execute("INSERT INTO risk_alerts SELECT * REPLACE ('copy' AS alert_key) FROM risk_alerts WHERE alert_key = ?", [key])
        for k, subject in ((key, "core"), ("copy", "selling_points")):
            store.execute("UPDATE risk_alerts SET subject = ?, member_id = NULL, content_id = NULL, severity = 'high', "
                          "score = 99 WHERE alert_key = ?", [subject, k])
    store.checkpoint()
    with client_on(db_path) as client:
        _login(client, "viewer")
        cells = lambda html: re.search(r'<table id="risk-alerts"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S).group(1)  # noqa: E731
        zh = cells(client.get("/risks").text)
        assert "核心成员" in zh and "核心卖点" in zh
        assert ">core<" not in zh and "selling_points" not in zh
        en = cells(client.get("/risks?lang=en").text)
        assert "core members" in en and "selling points" in en and "selling_points" not in en


def _boost_forms(html: str) -> list[tuple[str, dict[str, str]]]:
    import html as H

    return [(member, {k: H.unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', body)})
            for member, body in re.findall(r'<form method="post" action="/members/([^/"]+)/actions" class="inline">(.*?)</form>',
                                           html, re.S)]


def test_a_boost_carries_its_post_and_campaign_says_so_and_is_not_recorded_twice(client):
    _login(client, "operator")
    forms = _boost_forms(client.get("/campaigns").text)
    member, fields = forms[0]
    assert fields["content"] and fields["campaign"] == "camp-1" and fields["next"].startswith("/campaigns?campaign=camp-1")
    r = client.post(f"/members/{member}/actions", data=fields, follow_redirects=False)
    assert r.status_code == 303 and "recorded=ui-" in r.headers["location"]
    action_id = r.headers["location"].split("recorded=")[1].split("#")[0]
    page = client.get(r.headers["location"]).text
    assert f"已记录行动 {action_id}" in page and 'id="boost-recorded"' in page
    assert len(_boost_forms(page)) == len(forms) - 1 and f"已记录 {action_id}" in page  # the row no longer offers it
    again = client.post(f"/members/{member}/actions", data=fields, follow_redirects=False)
    assert again.status_code == 303 and f"already={action_id}" in again.headers["location"]
    assert "今天已记录过同样的行动" in client.get(again.headers["location"]).text
    boosts = client.get(f"/api/v1/actions?member_id={member}&kind=boost").json()["items"]
    assert [(a["action_id"], a["content_id"], a["campaign_id"]) for a in boosts] == [(action_id, fields["content"], "camp-1")]
    assert "Recorded as action" in client.get(r.headers["location"].split("#")[0] + "&lang=en").text


def test_the_boost_snippet_is_the_posts_own_text_and_campaigns_are_named(client, app):
    handle = app.state.pool.acquire()
    try:
        rows = handle.fetch_dicts("""SELECT b.snippet, c.title, c.body FROM network_boost b JOIN content c USING (content_id)""")
        name = handle.fetch_value("SELECT name FROM campaigns WHERE campaign_id = 'camp-1'")
    finally:
        app.state.pool.release(handle)
    assert rows and name
    for r in rows:  # campaign posts carry the campaign's hashtag as their title; the snippet quotes the post itself
        assert r["snippet"] == r["body"][:80] and r["snippet"] != r["title"]
    assert len({r["snippet"] for r in rows}) > 1
    _login(client, "operator")
    network = client.get("/network").text
    rings = re.search(r'<table id="rings"[^>]*>.*?</table>', network, re.S).group(0)
    assert name in rings and "<td>camp-1</td>" not in network
    panel = re.search(r'<section class="card panel" data-panel="network_boost">(.*?)</section>', client.get("/").text, re.S).group(1)
    assert name in panel and "camp-1" not in panel
    assert f"<h2>按圈层的参与者: {name}</h2>" in client.get("/campaigns").text


def test_a_crisis_alarm_shows_on_today_and_the_room_states_its_window(db_path):
    from reef.store import open_store

    store = open_store(db_path)
    aspect = store.fetch_value("SELECT aspect FROM crisis_daily WHERE aspect <> '全部' ORDER BY aspect LIMIT 1")
    store.execute("UPDATE crisis_daily SET alarm = true, ratio = 6.0, p_value = 1e-9, first_alarm_at = day + INTERVAL 3 HOUR "
                  "WHERE aspect = $a AND day = (SELECT max(day) FROM crisis_daily)", {"a": aspect})
    with client_on(db_path) as c:
        _login(c, "viewer")
        today = c.get("/").text
        assert 'data-alert="alert.crisis"' in today and "出现负面声浪" in today and "倍" in today
        assert 'data-alert="alert.risks"' in today  # the simulated store has radar alerts: the wave comes first
        assert today.index('data-alert="alert.crisis"') < today.index('data-alert="alert.risks"')
        room = c.get("/crisis").text
        assert 'id="crisis-window"' in room and "负面声量按近 24 小时计" in room
        # the buffer is a current wave's; without one (the room's own hourly test here) one sentence says so
        assert 'id="crisis-wave-posts"' in room and ('id="crisis-buffer-note"' in room or 'id="crisis-no-wave"' in room)


def test_the_room_without_a_current_wave_says_so_instead_of_an_empty_buffer(db_path):
    """QA: a store with no wave showed 声浪负面帖 1 / 缓冲比 0.0 and blank topic words; now one sentence says why."""
    from reef.kb.surfaces import crisis_page
    from reef.store import open_store

    store = open_store(db_path)
    page = crisis_page(store, masked=True)
    store.close()
    assert page["aspects"] and not page["current_wave"]  # guard: the shared simulated store has no wave now
    with client_on(db_path) as c:
        _login(c, "viewer")
        zh = c.get("/crisis").text
        assert 'id="crisis-no-wave"' in zh and "当前没有负面声浪" in zh and 'id="crisis-buffer"' not in zh
        en = c.get("/crisis?lang=en").text
        assert "No negative wave now" in en
