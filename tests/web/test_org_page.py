"""The 组织 page: interest groups, plaza starters, council and active teams, masked for viewers."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import PASSWORD

pytest.importorskip("fastapi")


def _login(client, role):
    r = client.post("/login", data={"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def test_org_page_lists_groups_and_shows_a_recorded_team_seat(client):
    _login(client, "operator")
    html = client.get("/org").text
    assert "<h1>组织</h1>" in html and 'href="/org"' in html
    assert 'id="org-teams"' in html and "冬季自驾团" not in html
    if 'id="org-groups"' in html:  # the fixture store has run the layers analyses
        assert re.search(r'<table id="org-groups">.*?<td>', html, re.S)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    r = client.post("/members/evil/actions", data={"kind": "add_to_team", "team": "冬季自驾团", "role": "主笔", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    html = client.get("/org").text
    assert "冬季自驾团" in html and "evil · 主笔" in html
    assert "<h1>Organisation</h1>" in client.get("/org?lang=en").text


def test_viewers_see_the_org_page_masked(client):
    _login(client, "viewer")
    r = client.get("/org")
    assert r.status_code == 200 and "<h1>组织</h1>" in r.text
    assert "脱敏" in r.text or 'class="muted"' in r.text


def test_the_member_form_records_recognition_text_and_completes_a_task(client):
    _login(client, "operator")
    html = client.get("/members/evil").text
    assert 'name="text"' in html and 'name="task"' in html and 'name="content"' in html
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    post = lambda **data: client.post("/members/evil/actions", data={**data, "csrf_token": csrf}, follow_redirects=False)  # noqa: E731
    assert post(kind="assign_task", brief="写一篇冬季续航攻略").status_code == 303
    task = client.get("/api/v1/actions?kind=assign_task").json()["items"][0]["action_id"]
    assert post(kind="complete_task", task=task).status_code == 303
    assert post(kind="recognise", text="感谢分享冬季续航经验").status_code == 303
    items = client.get("/api/v1/actions?member_id=evil").json()["items"]
    assert next(a for a in items if a["action_id"] == task)["status"] == "done"
    assert any(a["kind"] == "recognise" and a["text"] == "感谢分享冬季续航经验" for a in items)
