"""Withdrawing a done ``complete_task`` reopens the task it marked done (docs/actions.md, "Withdrawing a done
action"): the task was not done after all. It stays done when it was done on its own before the completion was
recorded, or when another completion of it still stands. One library function behind the CLI and the API."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef import actions as A
from reef.actions.listing import _get
from surface_fixtures import login


@pytest.fixture
def s(store):
    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at) VALUES ('m1', '老周', TIMESTAMPTZ '2025-01-01 10:00:00+08')")
    return store


def _task(s, **details):
    return A.record_action(s, "m1", "assign_task", details={"brief": "写提纲", **details}, by="li")["action_id"]


def test_withdrawing_a_completion_reopens_its_task(s):
    task = _task(s, due="2020-01-31")
    done = A.record_action(s, "m1", "complete_task", details={"task": task}, by="li")
    assert _get(s, task)["status"] == "done"
    w = A.withdraw_action(s, done["action_id"], "完成记错了", by="wang", role="operator")
    assert w["status"] == "cancelled" and w["reopened_task"] == task
    t = _get(s, task)
    assert (t["status"], t["done_at"], t["overdue"], t["updated_by"]) == ("open", None, True, "wang")  # back on the open list
    attrs = json.loads(s.fetch_value("SELECT attrs FROM operator_actions WHERE action_id = ?", [task]))
    assert attrs["reopened_by"] == done["action_id"] and attrs["reopened_at"]
    entry = A.audit_entries(s, action="action.update")["items"][0]
    assert json.loads(entry["details"]) == {"action_id": task, "kind": "assign_task", "from": "done", "to": "open",
                                            "reopened": True, "withdrawn_completion": done["action_id"]}
    # The reopened task can be completed again.
    again = A.record_action(s, "m1", "complete_task", details={"task": task}, by="li")
    assert again["status"] == "done" and _get(s, task)["status"] == "done"


def test_a_task_done_on_its_own_or_by_another_completion_stays_done(s):
    first = _task(s)
    A.update_action(s, first, status="done", by="li")  # done before any completion was recorded
    late = A.record_action(s, "m1", "complete_task", details={"task": first}, by="li")
    assert A.withdraw_action(s, late["action_id"], "多记了一条")["reopened_task"] is None
    assert _get(s, first)["status"] == "done"
    second = _task(s)
    c1 = A.record_action(s, "m1", "complete_task", details={"task": second}, by="li")
    c2 = A.record_action(s, "m1", "complete_task", details={"task": second}, by="li")
    assert A.withdraw_action(s, c2["action_id"], "重复")["reopened_task"] is None  # c1 still stands
    assert _get(s, second)["status"] == "done"
    assert A.withdraw_action(s, c1["action_id"], "也错了")["reopened_task"] == second
    assert _get(s, second)["status"] == "open"
    other = A.record_action(s, "m1", "recognise", by="li")  # every other kind: nothing reopened
    assert A.withdraw_action(s, other["action_id"], "x")["reopened_task"] is None


def test_the_cli_reopens_the_task_too(tmp_path):
    from reef.cli import app
    from reef.store import close_all, open_store

    db = str(tmp_path / "c.duckdb")
    open_store(db).execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
    close_all()
    run = lambda *args: CliRunner().invoke(app, [*args, "--db", db])  # noqa: E731
    task = json.loads(run("action", "add", "m1", "--kind", "assign_task", "--brief", "写提纲", "--json").output)["action_id"]
    done = json.loads(run("action", "add", "m1", "--kind", "complete_task", "--task", task, "--json").output)["action_id"]
    r = run("action", "withdraw", done, "--reason", "完成记错了")
    assert r.exit_code == 0 and f"任务 {task} 已重新打开" in r.output
    listed = json.loads(run("action", "list", "--json").output)["items"]
    assert {a["action_id"]: a["status"] for a in listed} == {task: "open", done: "cancelled"}


def test_the_api_reopens_the_task_too(client):
    h = {"X-CSRF-Token": login(client, "operator")}
    t = client.post("/api/v1/actions", json={"member_id": "evil", "kind": "assign_task", "brief": "写提纲"}, headers=h).json()
    c = client.post("/api/v1/actions", json={"member_id": "evil", "kind": "complete_task", "task": t["action_id"]}, headers=h).json()
    w = client.post(f"/api/v1/actions/{c['action_id']}/withdraw", json={"reason": "记错了"}, headers=h)
    assert w.status_code == 200 and w.json()["reopened_task"] == t["action_id"]
    assert client.get("/api/v1/actions?member_id=evil&kind=assign_task").json()["items"][0]["status"] == "open"
