"""Dashboard pages through the HTTP stack: Chinese by default, English switch, escaping, forms."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import HOSTILE_NAME, PASSWORD

pytest.importorskip("fastapi")
NAV = {"/": "今日", "/members": "成员", "/tasks": "任务", "/imports": "数据导入"}


def _login(client, role="operator"):
    r = client.post("/login", data={"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_pages_redirect_to_login_without_a_session(client):
    r = client.get("/members", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/members"


def test_login_form_rejects_a_wrong_password_in_chinese(client):
    r = client.post("/login", data={"username": "operator", "password": "nope-nope"})
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


def test_the_language_switch_keeps_the_search_and_page(client):
    _login(client, "viewer")
    html = client.get("/members?q=evil&page=1").text
    href = re.search(r'<a class="lang" href="([^"]+)" id="lang-switch"', html).group(1)
    assert "q=evil" in href and "page=1" in href and "lang=en" in href
    assert "lang=zh" in re.search(r'<a class="lang" href="([^"]+)"', client.get("/members?q=evil&lang=en").text).group(1)


def test_stored_codes_read_as_words_on_chinese_pages(client):
    _login(client, "admin")
    imports = client.get("/imports?lang=zh").text
    assert "<th>新增</th>" in imports and "<th>quarantined</th>" not in imports
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
