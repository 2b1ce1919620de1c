"""A new action's status when none is given depends on its kind, the same in the library, the CLI and the API:
recognise, respond and complete_task are recorded after the fact (done), every other kind starts open."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef import actions as A
from reef.actions.kinds import default_status
from surface_fixtures import login


@pytest.fixture
def s(store):
    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at) VALUES ('m1', '老周', TIMESTAMPTZ '2025-01-01 10:00:00+08')")
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at, body) "
                      "VALUES ('c1', 'thread', 'm1', TIMESTAMPTZ '2025-02-01 10:00:00+08', '投诉')")
    return store


def test_the_library_records_a_recognition_or_a_response_done_and_a_plan_open(s):
    assert A.record_action(s, "m1", "recognise", note="感谢")["status"] == "done"
    respond = A.record_action(s, "m1", "respond", details={"content": "c1"})
    assert respond["status"] == "done" and respond["done_at"]
    assert A.record_action(s, "m1", "invite")["status"] == "open"
    assert A.record_action(s, "m1", "add_to_team", details={"team": "上手指南"})["status"] == "open"  # a seat while open
    assert A.record_action(s, "m1", "recognise", status="open")["status"] == "open"  # a recognition still to give
    assert default_status("recognise") == default_status("respond") == "done" and default_status("seed") == "open"
    # none of the after-the-fact records is an open task
    assert s.fetch_value("SELECT count(*) FROM operator_actions WHERE status = 'open' AND kind = 'respond'") == 0


def test_reef_action_add_defaults_the_status_by_kind_and_status_overrides(tmp_path):
    from reef.cli import app
    from reef.store import close_all, open_store

    db = str(tmp_path / "c.duckdb")
    open_store(db).execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
    close_all()

    def add(*args):
        r = CliRunner().invoke(app, ["action", "add", "m1", *args, "--db", db, "--json"])
        assert r.exit_code == 0, r.output
        return json.loads(r.output)["status"]

    assert add("--kind", "recognise", "--note", "本周之星") == "done"
    assert add("--kind", "respond") == "done"
    assert add("--kind", "invite") == "open"
    assert add("--kind", "recognise", "--status", "open") == "open"


def test_the_api_defaults_the_status_by_kind_too(client):
    h = {"X-CSRF-Token": login(client, "operator")}
    made = {kind: client.post("/api/v1/actions", json={"member_id": "evil", "kind": kind}, headers=h) for kind in ("recognise", "invite")}
    assert {k: (r.status_code, r.json()["status"]) for k, r in made.items()} == {"recognise": (201, "done"), "invite": (201, "open")}
