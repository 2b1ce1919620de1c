"""The 组织 page: interest groups, plaza starters, council and active teams, masked for viewers."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import PASSWORD, post_login

pytest.importorskip("fastapi")


def _login(client, role):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def test_org_page_lists_groups_and_shows_a_recorded_team_seat(client):
    _login(client, "operator")
    html = client.get("/org").text
    assert "<h1>组织</h1>" in html and 'href="/org"' in html
    assert 'id="org-teams"' in html and "冬季自驾团" not in html
    if 'id="org-groups"' in html:  # the fixture store has run the layers analyses
        assert re.search(r'<table id="org-groups"[^>]*>.*?<td>', html, re.S)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    r = client.post("/members/evil/actions", data={"kind": "add_to_team", "team": "冬季自驾团", "role": "主笔", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    html = client.get("/org").text
    assert "冬季自驾团" in html and re.search(r'<a href="/members/evil">[^<]+</a> · 主笔', html)
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


def test_org_page_shows_circle_ids_recorded_appointments_and_invites_and_labelled_teams(client, db_path):
    """QA: after appoint_leader m0941 --group c06, /org listed the leader as a plain suggestion, showed no invitee,
    no circle id, and the team table read "新车主快速上手指南 | 1 | m0941 · 主笔" without names or a header."""
    import html as H

    from reef.store import open_store

    st = open_store(db_path)
    circle, leader = st.fetch_all("SELECT circle_id, member_id FROM layers_circle_leaders ORDER BY circle_id, rank LIMIT 1")[0]
    guest, guest_name = st.fetch_all("SELECT member_id, name FROM members WHERE name IS NOT NULL AND member_id <> ? "
                                     "ORDER BY member_id LIMIT 1", [leader])[0]
    _login(client, "operator")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/org").text).group(1)
    for member, kind in ((leader, "appoint_leader"), (guest, "invite")):
        r = client.post(f"/members/{member}/actions", data={"kind": kind, "group": circle, "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303, r.text
    client.post(f"/members/{guest}/actions", data={"kind": "add_to_team", "team": "新车主快速上手指南", "role": "主笔", "csrf_token": csrf})
    page = H.unescape(client.get("/org").text)
    row = re.search(rf"<tr><td class=\"circle-id\"><code>{circle}</code></td>.*?</tr>", page, re.S).group(0)
    assert re.search(rf'<a href="/members/{leader}"[^>]*>[^<]+</a> <span class="badge appointed">已任命</span>', row)
    assert "已邀请：" in row and f'<a href="/members/{guest}">{guest_name}</a>' in row
    teams = page[page.index('id="org-teams"'):]
    assert '<thead><tr><th scope="col">项目团队</th><th scope="col">在队人数</th><th scope="col">成员 · 角色</th></tr></thead>' in teams
    assert f'<a href="/members/{guest}">{guest_name}</a> · 主笔' in teams
    en = H.unescape(client.get("/org?lang=en").text)
    assert "invited: " in en and "Members on it" in en and "、" not in en.split('id="org-groups"')[1].split("</table>")[0]


def test_the_member_form_offers_the_group_ids_and_refuses_an_unknown_one(client):
    _login(client, "operator")
    html = client.get("/members/evil").text
    assert 'list="group-ids"' in html and re.search(r'<datalist id="group-ids">.*?<option value="c01">', html, re.S)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    r = client.post("/members/evil/actions", data={"kind": "invite", "group": "不存在的小组", "csrf_token": csrf},
                    headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 422 and "找不到ID为“不存在的小组”的小组或兴趣圈" in r.text
