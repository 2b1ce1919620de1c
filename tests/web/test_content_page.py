"""The 帖子 page and API (/content/<id>, /api/v1/content/<id>): a cited post can be read, in both languages,
masked for viewers, and the risk radar and crisis room link their content ids to it."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import HOSTILE_NAME, PASSWORD, client_on, post_login

pytest.importorskip("fastapi")
HTML = {"accept": "text/html"}


def _login(client, role):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def _one(app, sql: str, params=None):
    handle = app.state.pool.acquire()
    try:
        return handle.fetch_dicts(sql, params or [])[0]
    finally:
        app.state.pool.release(handle)


def _reply(app):
    """A reply in a thread (its parent is the thread's first post) whose author is a member."""
    return _one(app, "SELECT c.content_id, c.author_id, c.thread_id FROM content c JOIN members m ON m.member_id = c.author_id "
                     "WHERE c.kind = 'reply' AND c.parent_id = c.thread_id ORDER BY c.content_id LIMIT 1")


def test_the_post_page_reads_in_chinese_and_english_with_its_thread_and_author(client, app):
    _login(client, "viewer")
    post = _reply(app)
    html = client.get(f"/content/{post['content_id']}").text
    assert f'<h1>帖子: <span id="content-id">{post["content_id"]}</span></h1>' in html
    assert '<dd id="content-kind">回复</dd>' in html and "主题首帖" in html and "直接回复" in html
    assert f'href="/members/{post["author_id"]}" id="content-author"' in html
    assert f'href="/content/{post["thread_id"]}"' in html  # the thread's first post, readable in turn
    en = client.get(f"/content/{post['content_id']}?lang=en").text
    assert f'<h1>Post: <span id="content-id">{post["content_id"]}</span></h1>' in en
    assert '<dd id="content-kind">reply</dd>' in en and "First post of the thread" in en and "帖子" not in en


def test_a_viewer_reads_the_post_masked_and_escaped_without_the_respond_form(client):
    _login(client, "viewer")
    html = client.get("/content/evil-1").text
    assert "13812345678" not in html and "138****5678" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<i>标题</i>" not in html
    assert "&lt;img src=x onerror=" in html and "&lt;script&gt;alert" in html
    assert 'id="respond-action"' not in html
    body = client.get("/api/v1/content/evil-1").json()["item"]["body"]
    assert "13812345678" not in body and "138****5678" in body


def test_an_operator_sees_the_post_unmasked_and_records_an_official_response_on_it(client):
    _login(client, "operator")
    page = client.get("/content/evil-1").text
    assert "13812345678" in page and 'id="respond-action"' in page and 'action="/members/evil/actions"' in page
    assert '<input type="hidden" name="content" value="evil-1">' in page
    r = client.post("/members/evil/actions", data={"kind": "respond", "status": "done", "content": "evil-1",
                                                   "note": "已联系车主", "next": "/content/evil-1", "csrf_token": _csrf(page)},
                    follow_redirects=False)
    # back to the post, told which action was recorded (as every form that records an action is)
    assert r.status_code == 303 and r.headers["location"].startswith("/content/evil-1?recorded=ui-")
    assert "官方回应" in client.get("/content/evil-1").text.split('id="content-actions"')[1]
    actions = client.get("/api/v1/content/evil-1").json()["actions"]
    assert [(a["kind"], a["member_id"], a["note"]) for a in actions] == [("respond", "evil", "已联系车主")]


def test_an_unknown_post_is_an_html_404_page_and_a_json_not_found(client):
    _login(client, "viewer")
    page = client.get("/content/no-such-post", headers=HTML)
    assert page.status_code == 404 and 'id="error-page"' in page.text and "找不到这个页面或记录。" in page.text
    api = client.get("/api/v1/content/no-such-post")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert "no-such-post" in api.json()["error"]["message"]


def test_the_api_answers_the_library_dict_and_refuses_unknown_parameters(client, app):
    _login(client, "viewer")
    post = _reply(app)
    r = client.get(f"/api/v1/content/{post['content_id']}?lang=en")
    assert r.status_code == 200
    data = r.json()
    assert set(data) == {"item", "features", "facts", "thread", "interactions", "actions"}
    assert data["item"]["kind_name"] == "reply" and data["thread"]["root"]["content_id"] == post["thread_id"]
    assert client.get(f"/api/v1/content/{post['content_id']}").json()["item"]["kind_name"] == "回复"
    bad = client.get(f"/api/v1/content/{post['content_id']}?lnag=en")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameter" and "lnag" in bad.json()["error"]["message"]
    assert client.get(f"/api/v1/content/{post['content_id']}?lang=fr").status_code == 422


def test_risk_evidence_links_its_post_to_the_post_page_and_its_member_to_the_member(client, app):
    from reef.risks.surfaces import radar_view

    handle = app.state.pool.acquire()
    try:  # an evidence row the page shows whose subject is the post it cites (a newcomer's unanswered first post)
        rows = [e for f in radar_view(handle)["families"] for e in f["evidence"]
                if e["content_id"] and e["member_id"] and e["subject"] == e["content_id"]]
    finally:
        app.state.pool.release(handle)
    assert rows
    _login(client, "viewer")
    html = client.get("/risks").text
    evidence = "".join(re.findall(r'<table class="evidence"[^>]*>.*?</table>', html, re.S))
    for e in rows:
        assert f'<a href="/content/{e["content_id"]}" class="content-link">{e["content_id"]}</a>' in evidence, e
        assert f'<a href="/members/{e["member_id"]}" class="member-link">' in evidence, e
        # the QA finding: a content id as the text of a link to a member page
        assert not re.search(rf'href="/members/[^"]*"[^>]*>{re.escape(e["content_id"])}</a>', evidence), e


@pytest.fixture
def hostile_client(db_path):
    """The shared store with a risk alert about the member with a hostile name (surface_fixtures.add_hostile_results)."""
    from surface_fixtures import add_hostile_results

    add_hostile_results(db_path)
    with client_on(db_path) as c:
        yield c


def test_a_risk_alert_about_a_member_still_links_the_member_by_name(hostile_client):
    _login(hostile_client, "operator")
    alerts = re.search(r'<table id="risk-alerts"[^>]*>.*?</table>', hostile_client.get("/risks").text, re.S).group(0)
    assert '<a href="/members/evil" class="member-link">&lt;script&gt;' in alerts and HOSTILE_NAME not in alerts


def test_the_crisis_rooms_suggested_posts_link_to_the_post_page(client, app):
    _login(client, "viewer")
    html = client.get("/crisis").text
    surface = re.search(r'<table id="crisis-surface"[^>]*>.*?</table>', html, re.S).group(0)
    ids = re.findall(r'<a href="/content/([^"]+)" class="content-link">', surface)
    assert ids, "the fixture store suggests posts to surface"
    for cid in ids:
        assert client.get(f"/content/{cid}").status_code == 200


def test_a_rumour_names_the_official_figure_and_links_its_risk_alert(db_path):
    """A post whose CLTC range claim contradicts the simulated spec sheet (澜途S7 620 km) and the radar's alert on it."""
    from reef.store import open_store

    store = open_store(db_path)
    with store.transaction():
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at, title, body) VALUES ('rumour-1', 'thread', 'evil', "
                      "TIMESTAMPTZ '2026-06-21 10:00:00+08', 'OTA后续航改了', '内部消息：澜途S7的CLTC续航只有450km了')")
        store.execute("""INSERT INTO content_features (content_id, sentiment, intents, toxicity, claims) VALUES ('rumour-1', 0, ['complaint'], 0.1,
            [{'model': NULL, 'attribute': 'range', 'value': 450.0, 'value_max': NULL, 'unit': 'km', 'qualifier': 'CLTC', 'start': 0,
              'end': 5, 'evidence': '内部消息：澜途S7的CLTC续航只有450km了'}])""")
        store.execute("INSERT INTO risk_alerts BY NAME SELECT 'entropy:misinformation:rumour-1' AS alert_key, 'entropy' AS family, "
                      "'misinformation' AS part, 'medium' AS severity, 60.0 AS score, 'rumour-1' AS subject, 'evil' AS member_id, "
                      "'rumour-1' AS content_id, '与官方续航620公里不符' AS message_zh, 'contradicts the official range 620 km' AS message_en")
    store.checkpoint()
    with client_on(db_path) as client:
        _login(client, "viewer")
        html = client.get("/content/rumour-1").text
        facts = html.split('id="content-facts"')[1].split("</section>")[0]
        assert "与官方信息不符" in facts and "帖中说450公里；官方：CLTC续航620公里 <span class=\"muted\">（澜途S7，来源：澜途官网配置表）" in facts
        assert 'href="/risks#family-entropy"' in facts and "与官方续航620公里不符" in facts
        assert 'id="family-entropy"' in client.get("/risks").text  # the anchor the link goes to
        en = client.get("/content/rumour-1?lang=en").text
        assert "Contradicts the official facts" in en and "official: CLTC range 620 km <span class=\"muted\">(澜途S7, source: 澜途官网配置表)" in en
        assert 'id="content-facts"' not in client.get("/content/evil-1").text  # a post without claims or alerts: no flag


def test_replies_by_brand_or_staff_accounts_are_marked_official(client, app):
    _login(client, "viewer")
    row = _one(app, """SELECT parent_id, content_id FROM (
                         SELECT c.parent_id, c.content_id, m.account_type,
                                row_number() OVER (PARTITION BY c.parent_id ORDER BY c.created_at, c.content_id) AS k
                         FROM content c JOIN members m ON m.member_id = c.author_id WHERE c.parent_id IS NOT NULL AND c.deleted_at IS NULL)
                       WHERE account_type IN ('brand', 'staff') AND k <= 20 ORDER BY parent_id LIMIT 1""")
    html = client.get(f"/content/{row['parent_id']}").text
    replies = html.split('id="content-replies"')[1].split("</table>")[0]
    marked = re.search(rf'<tr data-content="{row["content_id"]}" class="official-row">.*?</tr>', replies)
    assert marked and '<span class="official"' in marked.group(0) and ">官方</span>" in marked.group(0)
    assert "其中官方回复" in html.split('id="content-official-replies"')[1][:80]
    assert client.get(f"/api/v1/content/{row['parent_id']}").json()["thread"]["official_replies"] >= 1
