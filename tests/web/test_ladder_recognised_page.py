"""Recognising a member from the dashboard takes them off 今日's 立即认可 card and marks them 已认可 on the 成长阶梯 page."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from surface_fixtures import PASSWORD, post_login

pytest.importorskip("fastapi")


def _alert_rows(html: str) -> list[tuple[str, str]]:
    """(member id, 认可状态 cell) of each row of the page's alerts table."""
    body = re.search(r'<table id="alerts"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [(re.search(r'href="/members/([^"]+)"', tr).group(1),
             htmllib.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)[-1])).strip())
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def _card_count(html: str) -> int | None:
    found = re.search(r"成长阶梯有 (\d+) 位成员值得立即认可", html)
    return int(found.group(1)) if found else None


def test_a_recognition_recorded_on_the_profile_clears_today_and_marks_the_ladder(client, app):
    assert post_login(client, {"username": "operator", "password": PASSWORD, "next": "/"},
                       follow_redirects=False).status_code == 303
    before = _alert_rows(client.get("/ladder").text)
    n = _card_count(client.get("/").text)
    assert before and n == len(before) and all(r[-1] == "" for r in before)
    member = before[0][0]
    page = client.get(f"/members/{member}").text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    r = client.post(f"/members/{member}/actions", data={"kind": "recognise", "status": "done", "note": "本周之星",
                                                        "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    after = _alert_rows(client.get("/ladder").text)
    mine = [r for r in after if r[0] == member]
    assert after[-len(mine):] == mine and all(r[-1].startswith("已认可 20") for r in mine)
    assert all(r[-1] == "" for r in after[:-len(mine)])
    assert _card_count(client.get("/").text) == (n - len(mine) or None)
    assert "recognised 20" in client.get("/ladder?lang=en").text


def test_each_alert_links_the_post_of_its_act(client, app, db_path):
    """QA (an operator): the 立即认可 table named the member but not the post, so she could not open what to praise."""
    from surface_fixtures import login

    login(client, "viewer")
    body = re.search(r'<table id="alerts"[^>]*>.*?<tbody>(.*?)</tbody>', client.get("/ladder").text, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    store = app.state.pool.acquire()
    try:
        wanted = [r[0] for r in store.fetch_all("SELECT content_id FROM ladder_alerts ORDER BY rank LIMIT 20")]
    finally:
        app.state.pool.release(store)
    assert rows and any(wanted)
    linked = [re.search(r'href="/content/([^"]+)"', tr) for tr in rows]
    assert sorted(m.group(1) for m in linked if m) == sorted(c for c in wanted[:len(rows)] if c)
    assert '<th scope="col">帖子</th>' in client.get("/ladder").text and '<th scope="col">Post</th>' in client.get("/ladder?lang=en").text
    assert client.get(f"/content/{next(m.group(1) for m in linked if m)}").status_code == 200
