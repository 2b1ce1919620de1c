"""Cancelling an action: ``reef action cancel``, the cancellation on the member's timeline (library, API, page), and
every time of an action (created, done, cancelled, updated) in the store's zone."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from typer.testing import CliRunner

from reef import actions as A
from reef.actions.views import member_timeline
from surface_fixtures import login

_STORE_OFFSET = timedelta(hours=8)  # general.timezone defaults to Asia/Shanghai


@pytest.fixture
def s(store):
    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at) VALUES ('m1', '老周', TIMESTAMPTZ '2025-01-01 10:00:00+08')")
    return store


def _offsets(a: dict) -> dict[str, timedelta]:
    return {k: datetime.fromisoformat(a[k]).utcoffset() for k in ("created_at", "done_at", "cancelled_at", "updated_at") if a.get(k)}


def test_a_cancelled_action_is_marked_on_the_timeline_in_both_languages(s):
    team = A.record_action(s, "m1", "add_to_team", details={"team": "上手指南", "role": "主笔"}, by="li")
    A.update_action(s, team["action_id"], status="cancelled", by="li")
    timeline = member_timeline(s, "m1")
    assert [e["label_zh"] for e in timeline] == ["已取消：加入项目团队", "加入项目团队"]  # newest first
    assert timeline[0]["label_en"].startswith("Cancelled: ") and timeline[0]["detail"] == "上手指南 · 主笔"
    assert timeline[0]["status"] == "cancelled" and timeline == A.member_profile(s, "m1")["timeline"]


def test_a_cancelled_action_with_no_later_time_marks_its_own_entry(s):
    a = A.record_action(s, "m1", "recognise", note="感谢", by="li")
    with s.transaction():  # as an imported cancelled action: no cancelled_at, no updated_at
        s.execute("UPDATE operator_actions SET status = 'cancelled', attrs = '{}' WHERE action_id = ?", [a["action_id"]])
    assert [e["label_zh"] for e in member_timeline(s, "m1")] == ["已取消：表彰"]


def test_every_time_of_an_action_is_in_the_stores_zone(s):
    t1 = A.record_action(s, "m1", "assign_task", details={"brief": "写开箱"}, by="li")
    t2 = A.record_action(s, "m1", "assign_task", details={"brief": "拍视频"}, by="li")
    done = A.update_action(s, t1["action_id"], status="done", by="li")
    cancelled = A.update_action(s, t2["action_id"], status="cancelled", by="li")
    assert _offsets(done) == dict.fromkeys(("created_at", "done_at", "updated_at"), _STORE_OFFSET)
    assert set(_offsets(cancelled)) == {"created_at", "cancelled_at", "updated_at"}
    listed = A.list_actions(s, member_id="m1")["items"]
    assert all(o == _STORE_OFFSET for a in [done, cancelled, *listed] for o in _offsets(a).values())
    # the same instant as attrs holds it (UTC)
    raw = json.loads(s.fetch_value("SELECT attrs FROM operator_actions WHERE action_id = ?", [t1["action_id"]]))
    assert datetime.fromisoformat(done["done_at"]) == datetime.fromisoformat(raw["done_at"])


def test_cli_cancel_is_done_with_another_status(tmp_path):
    from reef.cli import app
    from reef.store import close_all, open_store

    db = str(tmp_path / "c.duckdb")
    open_store(db).execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
    close_all()
    run = CliRunner().invoke
    add = lambda: json.loads(run(app, ["action", "add", "m1", "--kind", "assign_task", "--brief", "写提纲", "--db", db, "--json"]).output)  # noqa: E731
    t1, t2 = add(), add()
    r = run(app, ["action", "cancel", t1["action_id"], "--note", "车主换车了", "--by", "wang", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    cancelled = json.loads(r.output)
    assert (cancelled["status"], cancelled["note"], cancelled["updated_by"]) == ("cancelled", "车主换车了", "wang")
    done = json.loads(run(app, ["action", "done", t2["action_id"], "--db", db, "--json"]).output)
    assert set(cancelled) == set(done)  # one JSON shape
    again = run(app, ["action", "cancel", t2["action_id"], "--db", db])  # done is final
    assert again.exit_code == run(app, ["action", "done", t1["action_id"], "--db", db]).exit_code == 2
    assert "already done" in again.output
    missing = (run(app, ["action", "cancel", "ui-999", "--db", db]), run(app, ["action", "done", "ui-999", "--db", db]))
    assert missing[0].exit_code == missing[1].exit_code != 0 and "ui-999" in missing[0].output
    table = run(app, ["action", "cancel", add()["action_id"], "--db", db])
    assert table.exit_code == 0 and "已取消" in table.output
    assert member_timeline(open_store(db, read_only=True), "m1")[0]["label_zh"] == "已取消：分派任务"


def test_api_and_page_show_the_cancellation_with_times_in_the_stores_zone(client):
    h = {"X-CSRF-Token": login(client, "operator")}
    body = {"member_id": "evil", "kind": "add_to_team", "team": "上手指南", "role": "主笔"}
    action_id = client.post("/api/v1/actions", json=body, headers=h).json()["action_id"]
    r = client.patch(f"/api/v1/actions/{action_id}", json={"status": "cancelled"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert _offsets(r.json()) == dict.fromkeys(("created_at", "cancelled_at", "updated_at"), _STORE_OFFSET)
    done = client.patch(f"/api/v1/actions/{client.post('/api/v1/actions', json=body, headers=h).json()['action_id']}",
                        json={"status": "done"}, headers=h).json()
    assert _offsets(done) == dict.fromkeys(("created_at", "done_at", "updated_at"), _STORE_OFFSET)
    listed = client.get("/api/v1/actions?member_id=evil&status=cancelled").json()["items"]
    assert [a["action_id"] for a in listed] == [action_id] and set(_offsets(listed[0]).values()) == {_STORE_OFFSET}
    timeline = client.get("/api/v1/members/evil").json()["timeline"]
    mine = [e for e in timeline if e.get("action_id") == action_id]
    assert [e["label_zh"] for e in mine] == ["已取消：加入项目团队", "加入项目团队"]
    assert "已取消：加入项目团队" in client.get("/members/evil").text
    assert "Cancelled: " in client.get("/members/evil?lang=en").text
