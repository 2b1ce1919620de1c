"""Dashboard pages through the HTTP stack: Chinese by default, English switch, escaping, forms."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import HOSTILE_NAME, PASSWORD, post_login

pytest.importorskip("fastapi")
NAV = {"/": "今日", "/members": "成员", "/tasks": "任务", "/imports": "数据导入"}


def _login(client, role="operator"):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_pages_redirect_to_login_without_a_session(client):
    r = client.get("/members", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/members"


def test_login_form_rejects_a_wrong_password_in_chinese(client):
    r = post_login(client, {"username": "operator", "password": "nope-nope"})
    assert r.status_code == 401 and "用户名或密码错误" in r.text


def test_every_nav_page_renders_in_chinese_and_switches_to_english(client):
    _login(client, "viewer")
    for path, title in NAV.items():
        r = client.get(path)
        assert r.status_code == 200 and f"<h1>{title}</h1>" in r.text, path
    r = client.get("/members?lang=en")
    assert "<h1>Members</h1>" in r.text and "reef_lang=en" in r.headers["set-cookie"]
    assert "<h1>Today</h1>" in client.get("/").text  # the choice sticks


def test_a_page_past_the_end_says_so_and_links_back(client):
    _login(client, "viewer")
    html = client.get("/members?page=500").text
    assert "第 500 页已超出范围" in html and "回到最后一页" in html and "第 500 / " not in html
    assert "第 1 / " in client.get("/members?page=1").text


def test_member_text_is_escaped_everywhere(client):
    _login(client, "operator")
    for path in ("/members/evil", "/members?q=evil"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<i>标题</i>" not in html
        assert "&lt;script&gt;alert" in html
    assert "&lt;img src=x onerror=" in client.get("/members/evil").text


def test_viewer_pages_mask_contact_and_hide_forms(client):
    _login(client, "viewer")
    html = client.get("/members/evil").text
    assert "13912345678" not in html and "139****5678" in html and "138****5678" in html
    assert 'id="record-action"' not in html


def test_recording_an_action_shows_it_on_the_member_page_and_tasks(client):
    _login(client, "operator")
    page = client.get("/members/evil").text
    r = client.post("/members/evil/actions", data={"kind": "recognise", "status": "open", "note": "<b>感谢分享</b>",
                                                   "csrf_token": _csrf(page)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/members/evil"
    html = client.get("/members/evil").text
    assert "表彰" in html and "&lt;b&gt;感谢分享&lt;/b&gt;" in html
    tasks = client.get("/tasks?status=open").text
    assert "evil" in tasks and "标记完成" in tasks
    action_id = re.search(r'action="/tasks/([^"]+)"', tasks).group(1)
    client.post(f"/tasks/{action_id}", data={"status": "done", "csrf_token": _csrf(tasks)})
    assert "已完成" in client.get("/members/evil").text


def test_a_form_post_without_csrf_is_refused(client):
    _login(client, "operator")
    r = client.post("/members/evil/actions", data={"kind": "recognise"}, headers={"accept": "text/html"})
    assert r.status_code == 403


def test_today_shows_trend_chart_and_recognition_list(client):
    _login(client, "viewer")
    html = client.get("/").text
    assert "<svg" in html and 'id="recognise"' in html
    assert HOSTILE_NAME not in html


def test_the_member_form_records_team_details_and_rejects_details_a_kind_does_not_take(client):
    _login(client, "operator")
    page = client.get("/members/evil").text
    assert 'name="team"' in page and 'name="due"' in page
    r = client.post("/members/evil/actions", data={"kind": "add_to_team", "team": "冬季续航指南", "role": "主笔",
                                                   "note": "", "csrf_token": _csrf(page)}, follow_redirects=False)
    assert r.status_code == 303
    assert "冬季续航指南" in client.get("/members/evil").text
    bad = client.post("/members/evil/actions", data={"kind": "recognise", "team": "冬季续航指南", "csrf_token": _csrf(page)},
                      headers={"accept": "text/html"}, follow_redirects=False)
    assert bad.status_code in (400, 422)


def test_todays_member_figure_says_whom_it_counts_and_agrees_with_the_ladder(client):
    import re

    _login(client, "viewer")
    note = re.search(r'id="metric-members">.*?<small class="muted">(.*?)</small>', client.get("/").text).group(1)
    ordinary = re.search(r"在群普通成员 (\d+)", note).group(1)
    assert "官方/员工" in note and f"当前在群的普通成员 {ordinary} 人" in client.get("/ladder").text


def test_the_language_switch_keeps_the_search_and_page(client):
    _login(client, "viewer")
    html = client.get("/members?q=evil&page=1").text
    href = re.search(r'<a class="lang" href="([^"]+)" id="lang-switch"', html).group(1)
    assert "q=evil" in href and "page=1" in href and "lang=en" in href
    assert "lang=zh" in re.search(r'<a class="lang" href="([^"]+)"', client.get("/members?q=evil&lang=en").text).group(1)


def test_stored_codes_read_as_words_on_chinese_pages(client):
    _login(client, "admin")
    imports = client.get("/imports?lang=zh").text
    assert '<th scope="col">新增</th>' in imports and '<th scope="col">quarantined</th>' not in imports
    member = client.get("/members/evil?lang=zh").text
    assert "<td>主题帖</td>" in member and "<td>thread</td>" not in member
    assert "<td>thread</td>" in client.get("/members/evil?lang=en").text


def test_job_times_are_shown_in_the_stores_time_zone(client, app):
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    _login(client, "admin")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/imports").text).group(1)
    before = datetime.now(timezone.utc)
    r = client.post("/api/v1/jobs/analyze", json={"only": ["activity_daily"]}, headers={"X-CSRF-Token": csrf})
    app.state.jobs.wait(r.json()["job_id"], timeout=60)
    local = before.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:")
    assert local in client.get("/imports").text


def _alerts(html: str) -> str:
    return re.search(r'<ul class="alerts">(.*?)</section>', html, re.S).group(1)


def test_today_shows_the_risk_alerts_most_severe_first_and_whom_to_recognise_now(client, app):
    # The shared store has one high risk alert and one recognise-now alert; add six more risk alerts of lower severity,
    # one quoting a phone number.
    handle = app.state.pool.acquire()
    try:
        handle.execute("""INSERT INTO risk_alerts BY NAME SELECT 'extra-' || i AS alert_key, 'heat_death' AS family,
                              'core_burnout' AS part, CASE WHEN i < 3 THEN 'low' ELSE 'medium' END AS severity, 40 + i AS score,
                              'evil' AS subject, 'evil' AS member_id, '核心成员降温' || i || ' 电话13812345678' AS message_zh,
                              'core member cooling ' || i AS message_en, i = 5 AS is_new FROM range(6) t(i)""")
        ladder = handle.fetch_dicts("SELECT member_id FROM ladder_alerts ORDER BY rank")
    finally:
        app.state.pool.release(handle)
    assert ladder, "the shared store has a recognise-now alert"
    _login(client, "operator")
    alerts = _alerts(client.get("/").text)
    assert "风险雷达当前有 7 条提醒（高 1 条" in alerts and 'href="/risks"' in alerts and "查看全部 7 条风险提醒" in alerts
    shown = re.findall(r'<li class="(high|medium|low)"><b>(.*?)</b>', alerts)
    assert len(shown) == 5  # a handful; the rest on /risks
    order = {"high": 0, "medium": 1, "low": 2}
    assert [order[s] for s, _ in shown] == sorted(order[s] for s, _ in shown) and shown[0] == ("high", "高")
    assert "热寂 · <a href=\"/members/evil\">evil</a>" in alerts and "13812345678" in alerts
    assert 'data-alert="alert.recognise_now"' in alerts and 'href="/ladder#alerts"' in alerts
    assert f'href="/members/{ladder[0]["member_id"]}"' in alerts and "值得立即认可" in alerts
    assert "暂无提醒" not in alerts
    en = _alerts(client.get("/?lang=en").text)
    assert "The risk radar holds 7 alerts (1 high" in en and "See all risk alerts (7)" in en and "<b>High</b> heat death" in en
    assert "members to recognise now" in en and "See them on the ladder" in en
    _login(client, "viewer")
    viewer = _alerts(client.get("/?lang=zh").text)
    assert "13812345678" not in viewer and "138****5678" in viewer
    risks = next(a for a in client.get("/api/v1/overview").json()["alerts"] if a["key"] == "alert.risks")
    assert risks["n"] == 7 and risks["high"] == 1 and len(risks["items"]) == 5 and risks["link"] == "/risks"


def test_the_header_names_the_role_in_the_pages_language(client):
    _login(client, "operator")
    assert '<span class="who">operator · 运营</span>' in client.get("/").text
    assert '<span class="who">operator · operator</span>' in client.get("/?lang=en").text
    _login(client, "viewer")
    assert '<span class="who">viewer · 只读</span>' in client.get("/?lang=zh").text


def test_a_refused_member_form_comes_back_with_what_was_typed_and_why_in_the_pages_language(client):
    import html as H

    _login(client, "operator")
    csrf = _csrf(client.get("/members/evil").text)
    before = client.get("/api/v1/actions?member_id=evil").json()["total"]
    r = client.post("/members/evil/actions", data={"kind": "appoint_leader", "status": "done", "note": "带领冬季自驾小组",
                                                   "csrf_token": csrf}, headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 422
    page = r.text
    assert "<h1>成员档案" in page and 'id="record-action"' in page  # the member's own page, not the error page
    assert "「任命组长」需要填写小组ID。" in page
    assert "--group" not in page and "(API)" not in page and "有问题的参数" not in page and "返回今日" not in page
    assert '<option value="appoint_leader" selected>' in page and 'value="带领冬季自驾小组"' in page
    assert '<option value="done" selected>' in page
    r = client.post("/members/evil/actions?lang=en", data={"kind": "recognise", "content": "no-such-post", "note": "thanks",
                                                           "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 422
    text = H.unescape(r.text)
    assert "No post or reply has the content id 'no-such-post'." in text and 'value="no-such-post"' in text
    assert "--content" not in text
    r = client.post("/members/evil/actions?lang=zh", data={"kind": "recognise", "team": "冬季续航指南", "csrf_token": csrf})
    assert r.status_code == 422 and "「表彰」不填写项目团队" in r.text and 'value="冬季续航指南"' in r.text
    assert client.get("/api/v1/actions?member_id=evil").json()["total"] == before  # nothing recorded
    assert client.post("/members/ghost/actions", data={"kind": "note", "csrf_token": csrf},
                       headers={"accept": "text/html"}).status_code == 404  # no such member: the error page


def test_task_layers_and_campaigns_read_as_words_in_tasks_and_profiles(client):
    _login(client, "operator")
    csrf = _csrf(client.get("/members/evil").text)
    r = client.post("/members/evil/actions", data={"kind": "assign_task", "brief": "发起冬季续航话题", "layer": "plaza",
                                                   "due": "2026-12-01", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    for path in ("/tasks", "/members/evil"):
        details = re.findall(r'<span class="muted action-details">(.*?)</span>', client.get(path + "?lang=zh").text)
        assert any("广场 · 发起冬季续航话题" in d for d in details), path
        assert not any("plaza" in d for d in details), path


def test_import_formats_have_names_and_keep_their_values(client):
    from reef.ingest import FORMATS

    _login(client, "operator")
    form = re.search(r'<select name="format".*?</select>', client.get("/imports?lang=zh").text, re.S).group(0)
    for fmt in FORMATS:
        label = re.search(rf'<option value="{fmt}">(.*?)</option>', form).group(1)
        assert label != fmt and not label.startswith("format."), fmt
    assert '<option value="auto">自动识别' in form


def test_operators_dismiss_held_rows_from_the_imports_page_and_it_is_audited(db_path, tmp_path):
    from surface_fixtures import client_on

    from reef.ingest import import_paths
    from reef.store import close_all, open_store

    bad = tmp_path / "members.jsonl"
    bad.write_text('{"member_id": "m-ok", "joined_at": "2025-01-01"}\n{"joined_at": "2025-01-01"}\n{"joined_at": "x"}\n',
                   encoding="utf-8")
    store = open_store(db_path)
    import_id = import_paths(store, [bad]).import_id
    store.checkpoint()
    close_all()
    with client_on(db_path) as client:
        _login(client, "viewer")
        assert "dismiss-form" not in client.get("/imports").text  # viewers see no write forms
        client.cookies.clear()
        _login(client, "operator")
        html = client.get("/imports?lang=zh").text
        assert f'name="import_id" value="{import_id}"' in html and "移出隔离区 (2)" in html and 'id="dismiss-all"' in html
        r = client.post("/imports/quarantine-clear", data={"import_id": str(import_id), "csrf_token": _csrf(html)},
                        follow_redirects=False)
        assert r.status_code == 303
        html = client.get("/imports").text
        assert "移出隔离区 (" not in html and 'id="dismiss-all"' not in html
    store = open_store(db_path)
    assert store.fetch_value("SELECT count(*) FROM quarantine_dismissed WHERE import_id = ?", [import_id]) == 2
    assert store.fetch_all("SELECT username, action, target FROM audit_log WHERE action = 'quarantine.dismiss'") == [
        ("operator", "quarantine.dismiss", f"import:{import_id}")]
