"""The member page's action form takes a seed action's topic (话题), as the API and `reef action add --topic` do, and
refuses it on any other kind in the page's language, keeping what was typed."""
from __future__ import annotations

import html as H
import re

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")


def _csrf(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_the_member_form_records_a_seed_topic(client):
    login(client, "operator")
    page = client.get("/members/evil").text
    field = re.search(r'<input name="topic" id="action-topic"[^>]*>', page)
    assert field and 'placeholder="话题（话题播种）"' in field.group(0)
    assert 'placeholder="Topic (Seed a topic)"' in client.get("/members/evil?lang=en").text
    r = client.post("/members/evil/actions", data={"kind": "seed", "topic": " 冬季续航 ", "note": "请发起冬季续航讨论",
                                                   "csrf_token": _csrf(page)}, follow_redirects=False)
    assert r.status_code == 303
    items = client.get("/api/v1/actions", params={"member_id": "evil", "kind": "seed"}).json()["items"]
    assert [a["topic"] for a in items] == ["冬季续航"]
    assert "话题 冬季续航" in client.get("/members/evil?lang=zh").text  # among the action's details


def test_a_topic_on_another_kind_comes_back_refused_in_the_pages_language(client):
    login(client, "operator")
    csrf = _csrf(client.get("/members/evil").text)
    before = client.get("/api/v1/actions", params={"member_id": "evil"}).json()["total"]
    r = client.post("/members/evil/actions", data={"kind": "recognise", "topic": "冬季续航", "csrf_token": csrf},
                    headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 422
    assert "「表彰」不填写话题，请清空此项" in r.text and 'value="冬季续航"' in r.text
    en = client.post("/members/evil/actions?lang=en", data={"kind": "invite", "topic": "冬季续航", "csrf_token": csrf},
                     follow_redirects=False)
    assert en.status_code == 422 and "'Invite' does not take the topic; clear it (this kind takes: group id)." in H.unescape(en.text)
    assert client.get("/api/v1/actions", params={"member_id": "evil"}).json()["total"] == before  # nothing recorded
