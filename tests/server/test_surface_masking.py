"""Personal data stays masked for viewers on every surface that quotes members, and 今日 follows the page language."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")

PHONE, MASKED = "13812345678", "138****5678"
# Result columns that may quote what a member wrote or called themselves.
_PERSONAL = re.compile(r"(^|_)(name|snippet|message|detail|title|body|text|acknowledgement|subject|quote|excerpt|evidence|reason"
                       r"|summary|raw|note|question|answer|topic|terms)(_|$)")
_LABELS = {"stage_name", "stage_name_en", "name_zh", "name_en", "topic_type"}  # the system's own words


def _quote_phone_in_alerts(db_path) -> None:
    from reef.store import close_all, open_store

    store = open_store(db_path)
    with store.transaction():
        if not store.fetch_value("SELECT count(*) FROM ladder_alerts"):
            store.execute("""INSERT INTO ladder_alerts (rank, alert, member_id, name, stage, potential, "at", snippet, message_zh, message_en)
                             SELECT 1, 'first_original', member_id, name, stage, potential, now(), 'x', 'x', 'x'
                             FROM ladder_members LIMIT 1""")
        store.execute("UPDATE ladder_alerts SET message_zh = ?, message_en = ?, name = ?",
                      [f"首次发布原创：加我 {PHONE}", f"first original post: add me {PHONE}", f"车主 {PHONE}"])
    store.checkpoint()
    close_all()


@pytest.fixture
def quoting_client(db_path):
    from fastapi.testclient import TestClient

    from reef.server import create_app

    _quote_phone_in_alerts(db_path)
    app = create_app(db_path)
    with TestClient(app) as c:
        yield c
    app.state.jobs.shutdown()


def test_every_view_and_sheet_masks_its_member_text_columns(app):
    from reef.actions.views import VIEWS
    from reef.export import SHEETS

    handle = app.state.pool.acquire()
    try:
        def text_columns(table):
            return {r[0] for r in handle.con.execute(f'DESCRIBE "{table}"').fetchall() if r[1] == "VARCHAR"}

        checked, missing = 0, {}
        for owner, table, masked in [*((v.name, v.table, set(v.text_columns)) for v in VIEWS.values()),
                                     *((s.sheet, s.table, set(s.text_columns)) for s in SHEETS)]:
            if not handle.table_exists(table):
                continue
            personal = {c for c in text_columns(table) if _PERSONAL.search(c) and not c.endswith("_id") and c not in _LABELS}
            if personal - masked:
                missing[owner] = sorted(personal - masked)
            checked += 1
        assert checked > 20
        assert not missing
    finally:
        app.state.pool.release(handle)


def test_viewers_see_recognise_now_alerts_masked_on_today_and_the_api(quoting_client):
    login(quoting_client, "viewer")
    for url in ("/", "/?lang=en", "/api/v1/overview", "/api/v1/overview?lang=en", "/api/v1/ladder_alerts"):
        body = quoting_client.get(url).text
        assert PHONE not in body, url
    assert MASKED in quoting_client.get("/").text


def test_operators_see_the_alert_as_written(quoting_client):
    login(quoting_client, "operator")
    assert PHONE in quoting_client.get("/api/v1/overview").text


def test_today_panels_follow_the_page_language(client):
    login(client, "operator")
    zh, en = client.get("/?lang=zh").text, client.get("/?lang=en").text
    assert "风险雷达" in zh and "Risk radar" in en
    for title in ("立即认可", "助推名单", "风险雷达"):
        assert title not in en
    data = client.get("/api/v1/overview?lang=en").json()
    assert data["panels"] and all(not re.search("[\u4e00-\u9fff]", p["title"]) for p in data["panels"].values())
    assert client.get("/api/v1/overview?lang=fr").status_code == 422


def test_viewers_see_action_notes_and_briefs_masked(client):
    csrf = login(client, "operator")
    member = "evil"  # a member of the fixture store
    for body in ({"member_id": member, "kind": "recognise", "note": f"车主电话{PHONE}，微信 wxid_abc12345"},
                 {"member_id": member, "kind": "assign_task", "brief": f"联系{PHONE}确认", "due": "2026-07-31"}):
        assert client.post("/api/v1/actions", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert PHONE in client.get("/api/v1/actions").text  # operators read what was written
    login(client, "viewer")
    for url in ("/api/v1/actions", f"/api/v1/members/{member}", "/tasks", f"/members/{member}"):
        body = client.get(url).text
        assert PHONE not in body and "wxid_abc12345" not in body, url
    assert MASKED in client.get("/api/v1/actions").text



def test_viewers_see_the_team_role_and_topic_an_operator_typed_masked(client):
    """The export masked an action's team, role and topic (its attrs and topic columns) but the 任务 list, the member
    page and 组织's running teams showed them to viewers as typed."""
    csrf = login(client, "operator")
    for body in ({"member_id": "evil", "kind": "seed", "topic": f"续航 {PHONE}"},
                 {"member_id": "evil", "kind": "add_to_team", "team": f"车队 {PHONE}", "role": f"联络 {PHONE}"}):
        assert client.post("/api/v1/actions", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.get("/api/v1/actions").text.count(PHONE) == 3 and PHONE in client.get("/org").text
    login(client, "viewer")
    for url in ("/api/v1/actions", "/api/v1/members/evil", "/tasks", "/members/evil", "/org"):
        body = client.get(url).text
        assert PHONE not in body, url
    items = client.get("/api/v1/actions").json()["items"]
    assert {(a["topic"], a["team"], a["role"]) for a in items if a["kind"] in ("seed", "add_to_team")} == {
        (f"续航 {MASKED}", None, None), (None, f"车队 {MASKED}", f"联络 {MASKED}")}

def test_a_viewer_filters_actions_on_the_masked_topic_and_team_not_on_a_guess(client):
    """?topic=<the unmasked topic> returned the masked row to a viewer: a guess of what the masking hides confirmed."""
    csrf = login(client, "operator")
    for body in ({"member_id": "evil", "kind": "seed", "topic": f"续航 {PHONE}"},
                 {"member_id": "evil", "kind": "add_to_team", "team": f"车队 {PHONE}", "role": "联络"}):
        assert client.post("/api/v1/actions", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.get("/api/v1/actions", params={"topic": f"续航 {PHONE}"}).json()["total"] == 1  # operators: as typed
    login(client, "viewer")
    for name, typed in (("topic", "续航"), ("team", "车队")):
        assert client.get("/api/v1/actions", params={name: f"{typed} {PHONE}"}).json()["total"] == 0, name
        seen = client.get("/api/v1/actions", params={name: f"{typed} {MASKED}"}).json()
        assert seen["total"] == 1 and seen["items"][0][name] == f"{typed} {MASKED}", name


def test_tasks_page_shows_brief_and_due_and_the_api_refuses_unknown_fields(client):
    csrf = login(client, "operator")
    body = {"member_id": "evil", "kind": "assign_task", "brief": "发起冬季续航征集", "due": "2020-01-31"}
    assert client.post("/api/v1/actions", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    page = client.get("/tasks").text
    assert "发起冬季续航征集" in page and "2020-01-31" in page and "已逾期" in page
    r = client.post("/api/v1/actions", json={**body, "due_date": "2026-07-31"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and "due_date" in r.text
    r = client.post("/api/v1/actions", json={**body, "due": "2026-07-31 maybe later"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and "due" in r.text
