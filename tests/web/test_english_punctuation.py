"""English pages use English punctuation around their own words: no full-width colon or list comma the template
wrote in every language (found on the Stack Exchange bicycles meta dump's /kb?q=close&lang=en: "Answered by：PeteH").
Member text keeps its own punctuation."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import PASSWORD, post_login

pytest.importorskip("fastapi")


def _login(client, role="operator"):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def test_kb_results_say_answered_by_with_a_colon_of_their_language(client, app):
    _login(client)
    handle = app.state.pool.acquire()
    title = handle.fetch_value("SELECT canonical_title FROM kb_clusters WHERE times_asked >= 2 ORDER BY times_asked DESC LIMIT 1")
    app.state.pool.release(handle)
    en = client.get("/kb", params={"q": title, "lang": "en"}).text
    assert "Answered by: " in en and "Answered by：" not in en
    assert "回答者：" in client.get("/kb", params={"q": title, "lang": "zh"}).text


def test_an_action_s_text_on_the_member_page(client, app):
    from reef.actions.log import record_action

    _login(client)
    handle = app.state.pool.acquire()
    member = handle.fetch_value("SELECT member_id FROM members WHERE account_type = 'member' ORDER BY member_id LIMIT 1")
    record_action(handle, member, "recognise", note="weekly thanks", details={"text": "Thanks for the winter range guide"})
    app.state.pool.release(handle)
    en = client.get(f"/members/{member}", params={"lang": "en"}).text
    line = re.search(r'<span class="action-text">(.*?)</span>', en).group(1)
    assert line.endswith(": Thanks for the winter range guide") and "：" not in line


def test_team_coverage_lists_a_role_s_members_with_commas_in_english(client):
    _login(client)
    brief = {"name": "Winter range guide", "deadline": "2026-08-31", "writer": "2", "visual": "0", "structurer": "0",
             "size": "2", "lang": "en"}
    r = client.get("/org/team", params=brief)
    assert r.status_code == 200, r.text
    coverage = re.search(r'<table id="team-coverage"[^>]*>.*?</table>', r.text, re.S).group(0)
    cell = re.search(r"<td>(<a href=\"/members/.*?)</td></tr>", coverage).group(1)
    assert cell.count("<a ") == 2 and "</a>, <a" in cell and "、" not in cell
