"""Withdrawing a done action recorded by mistake (reef.actions.withdraw_action): cancelled with a required reason,
note and done_at kept, audited; read as it was before the withdrawal and as cancelled after it (the ladder's
已认可, ``reef effect``); the same through the CLI, the API and the 任务 page. And the member form's status starts at
the kind's default, as the library's does."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from reef import actions as A
from reef.actions.effect import action_effect
from reef.actions.views import member_timeline
from reef.errors import InvalidParameterError
from reef.ladder import ladder_alerts
from surface_fixtures import login


@pytest.fixture
def s(store):
    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at) VALUES ('m1', '老周', TIMESTAMPTZ '2025-01-01 10:00:00+08')")
    return store


def test_a_done_recognition_is_withdrawn_with_its_reason_and_the_record_kept(s):
    a = A.record_action(s, "m1", "recognise", note="帮助了三位新车主", by="li")
    assert a["status"] == "done"
    w = A.withdraw_action(s, a["action_id"], "  记错了成员  ", by="wang", role="operator", client="1.2.3.4")
    assert (w["status"], w["withdraw_reason"], w["note"], w["text"]) == ("cancelled", "记错了成员", "帮助了三位新车主", "帮助了三位新车主")
    assert w["done_at"] == a["done_at"] and w["cancelled_at"] and w["updated_by"] == "wang"
    entry = A.audit_entries(s, action="action.update")["items"][0]
    assert (entry["username"], entry["role"], entry["target"]) == ("wang", "operator", "member:m1")
    assert json.loads(entry["details"]) == {"action_id": a["action_id"], "kind": "recognise", "from": "done",
                                            "to": "cancelled", "withdrawn": True}  # the reason is free text: not audited
    timeline = member_timeline(s, "m1")
    assert [(e["label_zh"], e["detail"]) for e in timeline][0] == ("已撤回：表彰", "记错了成员")
    assert timeline[0]["label_en"] == "Withdrawn: Recognise"
    listed = A.list_actions(s, member_id="m1", status="cancelled")["items"]
    assert [x["withdraw_reason"] for x in listed] == ["记错了成员"]


def test_a_withdrawal_needs_a_reason_and_a_done_action(s):
    done = A.record_action(s, "m1", "respond", by="li")["action_id"]
    with pytest.raises(InvalidParameterError) as blank:
        A.withdraw_action(s, done, "   ")
    assert blank.value.name == "reason" and "--reason" in blank.value.hint
    with pytest.raises(InvalidParameterError, match="at most 2000"):
        A.withdraw_action(s, done, "x" * 2001)
    assert A.list_actions(s, member_id="m1")["items"][0]["status"] == "done"  # nothing written
    task = A.record_action(s, "m1", "assign_task", details={"brief": "写提纲"})["action_id"]
    with pytest.raises(InvalidParameterError) as still_open:  # an open action is cancelled, not withdrawn
        A.withdraw_action(s, task, "不需要了")
    assert "reef action cancel" in still_open.value.hint
    A.withdraw_action(s, done, "回应错了帖子")
    with pytest.raises(InvalidParameterError, match="is cancelled") as again:  # cancelled is final
        A.withdraw_action(s, done, "再撤一次")
    assert again.value.hint == "A cancelled action is final."
    with pytest.raises(InvalidParameterError):
        A.update_action(s, done, status="done")


def test_cancelling_a_done_action_points_to_the_withdrawal(s):
    a = A.record_action(s, "m1", "recognise", by="li")["action_id"]
    with pytest.raises(InvalidParameterError, match="already done") as refused:
        A.update_action(s, a, status="cancelled", note="记错了")
    assert f"reef action withdraw {a} --reason" in refused.value.hint and f"/api/v1/actions/{a}/withdraw" in refused.value.hint


# --- the ladder's 已认可, as of before and after the withdrawal ---------------------------------------------------

T = datetime(2026, 6, 1, 10, tzinfo=timezone(timedelta(hours=8)))
AT = T - timedelta(hours=3)  # the alert's act
DATA_END = T - timedelta(hours=2)


def _alert(store, as_of) -> None:
    store.execute("""CREATE OR REPLACE TABLE ladder_alerts AS
        SELECT 1 AS rank, 'first_original' AS alert, 'm1' AS member_id, '老周' AS name, CAST(2 AS TINYINT) AS stage,
               CAST(NULL AS TINYINT) AS stage_before, 50.0 AS potential, 'c1' AS content_id, 'thread' AS content_kind,
               CAST(NULL AS VARCHAR) AS act, CAST(NULL AS INTEGER) AS uses, CAST($at AS TIMESTAMPTZ) AS "at",
               CAST($at AS TIMESTAMPTZ) AS act_created_at, '分享' AS snippet, '请立即认可' AS message_zh,
               'recognise now' AS message_en, CAST($as_of AS TIMESTAMPTZ) AS as_of""", {"at": AT, "as_of": as_of})


def _status(store):
    return [(r["member_id"], r["recognised_status"]) for r in ladder_alerts(store)]


def test_a_withdrawn_recognition_stops_marking_the_alert_but_was_recognised_before(s):
    with s.transaction():
        s.execute("INSERT INTO content (content_id, kind, author_id, created_at, body) VALUES ('c1', 'thread', 'm1', ?, 'x')", [DATA_END])
        _alert(s, DATA_END + timedelta(seconds=1))  # the end of the data
    a = A.record_action(s, "m1", "recognise", by="li")
    assert _status(s) == [("m1", "done")]
    A.withdraw_action(s, a["action_id"], "认可错了人", by="li")
    assert _status(s) == [("m1", None)]  # recognised no more
    # A past ladder run (as_of inside the data) still sees it as it was then: done, withdrawn only later.
    with s.transaction():
        s.execute("UPDATE operator_actions SET created_at = ?, attrs = json_merge_patch(attrs, json_object('done_at', ?, "
                  "'cancelled_at', ?)) WHERE action_id = ?",
                  [AT + timedelta(minutes=5), (AT + timedelta(minutes=5)).isoformat(), (AT + timedelta(minutes=50)).isoformat(),
                   a["action_id"]])
        _alert(s, AT + timedelta(minutes=30))
    assert _status(s) == [("m1", "done")]  # not 已安排 (open): it was done then
    with s.transaction():
        _alert(s, AT + timedelta(minutes=51))
    assert _status(s) == [("m1", None)]


# --- reef effect ------------------------------------------------------------------------------------------------

@pytest.fixture
def recorded(store):
    """t1's recognition is measurable with c1 as its control; the data ends on 2026-06-01."""
    with store.transaction():
        for m in ("t1", "c1"):
            store.execute("INSERT INTO members (member_id, joined_at) VALUES (?, TIMESTAMPTZ '2025-01-01 12:00:00+08')", [m])
            store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                          "(?, 'thread', ?, TIMESTAMPTZ '2026-03-02 12:00:00+08')", [f"{m}-0", m])
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                      "('late', 'thread', 'c1', TIMESTAMPTZ '2026-06-01 00:00:00+08')")
        store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs) VALUES "
                      "('a1', 'recognise', 'li', 't1', TIMESTAMPTZ '2026-03-01 15:00:00+08', 'done', '{}')")
    return store


def _withdrawn_at(store, action_id, when: str) -> None:
    A.withdraw_action(store, action_id, "记错了成员", by="li")
    store.execute("UPDATE operator_actions SET attrs = json_merge_patch(attrs, json_object('cancelled_at', ?)) WHERE action_id = ?",
                  [when, action_id])


def test_reef_effect_leaves_a_withdrawn_action_out_as_cancelled_from_its_withdrawal_on(recorded):
    before = action_effect(recorded, "recognise", as_of="2026-05-01")
    assert before["n_treated"] == 1 and before["left_out"]["cancelled"] == 0
    _withdrawn_at(recorded, "a1", "2026-05-15T00:00:00+00:00")  # inside the data
    assert action_effect(recorded, "recognise", as_of="2026-05-01") == before  # a past answer stays as it was
    after = action_effect(recorded, "recognise", as_of="2026-05-20")
    assert after["n_treated"] == 0 and after["left_out"]["cancelled"] == 1 and after["n_recorded"] == 1


def test_a_withdrawal_after_the_data_end_counts_at_the_end(recorded):
    # The data's end is the present (reef.actions.cutoff): a withdrawal today drops the action from the default answer.
    assert action_effect(recorded, "recognise")["n_treated"] == 1
    _withdrawn_at(recorded, "a1", "2026-06-10T00:00:00+00:00")
    end = action_effect(recorded, "recognise")
    assert end["n_treated"] == 0 and end["left_out"]["cancelled"] == 1
    assert "已取消 1 条" in end["left_out_note"]


# --- the CLI and the API ------------------------------------------------------------------------------------------

def test_cli_withdraw(tmp_path):
    from reef.cli import app
    from reef.store import close_all, open_store

    db = str(tmp_path / "c.duckdb")
    open_store(db).execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
    close_all()
    run = lambda *args: CliRunner().invoke(app, [*args, "--db", db])  # noqa: E731
    a = json.loads(run("action", "add", "m1", "--kind", "recognise", "--note", "本周之星", "--json").output)["action_id"]
    refused = run("action", "cancel", a)
    assert refused.exit_code == 2 and "already done" in refused.output and "reef action withdraw" in refused.output
    assert run("action", "withdraw", a).exit_code == 2  # --reason is required
    blank = run("action", "withdraw", a, "--reason", " ")
    assert blank.exit_code == 2 and "reason" in blank.output
    r = run("action", "withdraw", a, "--reason", "记错了成员", "--by", "wang", "--json")
    assert r.exit_code == 0, r.output
    w = json.loads(r.output)
    assert (w["status"], w["withdraw_reason"], w["note"], w["updated_by"]) == ("cancelled", "记错了成员", "本周之星", "wang")
    assert run("action", "withdraw", a, "--reason", "again").exit_code == 2  # cancelled is final
    table = run("action", "withdraw", json.loads(run("action", "add", "m1", "--kind", "respond", "--json").output)["action_id"],
                "--reason", "回应错了")
    assert table.exit_code == 0 and "回应错了" in table.output
    listed = json.loads(run("action", "list", "--status", "cancelled", "--json").output)["items"]
    assert {x["withdraw_reason"] for x in listed} == {"记错了成员", "回应错了"}


def test_api_withdraw(client):
    h = {"X-CSRF-Token": login(client, "operator")}
    made = client.post("/api/v1/actions", json={"member_id": "evil", "kind": "recognise", "note": "感谢"}, headers=h).json()
    path = f"/api/v1/actions/{made['action_id']}"
    patched = client.patch(path, json={"status": "cancelled"}, headers=h)
    assert patched.status_code == 422 and "/withdraw" in patched.json()["error"]["hint"]
    missing = client.post(f"{path}/withdraw", json={}, headers=h)
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid_parameter"
    assert "reason" in missing.json()["error"]["message"]
    assert client.post(f"{path}/withdraw", json={"reason": "x", "note": "y"}, headers=h).status_code == 422  # unknown field
    r = client.post(f"{path}/withdraw", json={"reason": "记错了成员"}, headers=h)
    assert r.status_code == 200 and (r.json()["status"], r.json()["withdraw_reason"]) == ("cancelled", "记错了成员")
    listed = client.get("/api/v1/actions?member_id=evil&status=cancelled").json()["items"]  # the read cache moved on
    assert made["action_id"] in [a["action_id"] for a in listed]
    assert client.post("/api/v1/actions/ui-999999/withdraw", json={"reason": "x"}, headers=h).status_code == 404
    h = {"X-CSRF-Token": login(client, "viewer")}
    assert client.post(f"{path}/withdraw", json={"reason": "x"}, headers=h).status_code == 403


# --- the dashboard ------------------------------------------------------------------------------------------------

def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_the_tasks_page_withdraws_a_done_action_with_a_reason(client):
    login(client, "operator")
    csrf = _csrf(client.get("/tasks").text)
    client.post("/members/evil/actions", data={"kind": "recognise", "status": "done", "note": "感谢", "csrf_token": csrf})
    a = client.get("/api/v1/actions?member_id=evil&kind=recognise").json()["items"][0]["action_id"]
    page = client.get("/tasks").text
    assert f'action="/tasks/{a}/withdraw"' in page and 'name="reason" required' in page and "撤回原因（必填）" in page
    assert "Reason (required)" in client.get("/tasks?lang=en").text
    client.get("/tasks?lang=zh")
    r = client.post(f"/tasks/{a}/withdraw", data={"reason": "认可错了人", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/tasks"
    page = client.get("/tasks").text
    row = page.split(f"<td>{a}</td>")[1].split("</tr>")[0]
    assert "已撤回" in row and "撤回原因：认可错了人" in row and "/withdraw" not in row
    assert "已撤回：表彰" in client.get("/members/evil").text
    assert "Withdrawn: 认可错了人" in client.get("/tasks?lang=en").text  # the page's language switch sets a cookie: last
    blank = client.post(f"/tasks/{a}/withdraw", data={"reason": "", "csrf_token": csrf}, follow_redirects=False)
    assert blank.status_code == 422


def test_the_member_form_starts_at_the_kinds_default_status(client):
    login(client, "operator")
    html = client.get("/members/evil").text
    select = re.search(r'<select name="status" id="action-status"[^>]*>(.*?)</select>', html).group(1)
    assert re.findall(r'<option value="([a-z]*)"', select) == ["", "open", "done"] and " selected" not in select
    assert "表彰、官方回应、完成任务记为已完成" in html
    csrf = _csrf(html)
    for kind in ("recognise", "invite"):  # the browser posts the empty default
        r = client.post("/members/evil/actions", data={"kind": kind, "status": "", "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303, r.text
    items = client.get("/api/v1/actions?member_id=evil").json()["items"]
    assert {a["kind"]: a["status"] for a in items if a["kind"] in ("recognise", "invite")} == {"recognise": "done", "invite": "open"}
    open_recognise = client.post("/members/evil/actions", data={"kind": "recognise", "status": "open", "csrf_token": csrf},
                                 follow_redirects=False)
    assert open_recognise.status_code == 303
    assert client.get("/api/v1/actions?member_id=evil&kind=recognise&status=open").json()["total"] == 1
