"""Recognising a member from the dashboard takes them off 今日's 立即认可 card and marks them 已认可 on the 成长阶梯 page."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from surface_fixtures import PASSWORD

pytest.importorskip("fastapi")


def _alert_rows(html: str) -> list[tuple[str, str]]:
    """(member id, 认可状态 cell) of each row of the page's alerts table."""
    body = re.search(r'<table id="alerts">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [(re.search(r'href="/members/([^"]+)"', tr).group(1),
             htmllib.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)[-1])).strip())
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def _card_count(html: str) -> int | None:
    found = re.search(r"成长阶梯有 (\d+) 位成员值得立即认可", html)
    return int(found.group(1)) if found else None


def test_a_recognition_recorded_on_the_profile_clears_today_and_marks_the_ladder(client, app):
    assert client.post("/login", data={"username": "operator", "password": PASSWORD, "next": "/"},
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
