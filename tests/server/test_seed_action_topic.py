"""A seed action keeps its plan's topic as a field (``attrs.topic``), not only inside the note: listed and filtered on
every surface that lists actions (the API, ``reef action list --json``, the 任务 and member pages), recorded by hand
with ``--topic``; a seed action recorded before topics were kept lists an empty topic and is still read by the
plan's 'already recruited' check through its note."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from surface_fixtures import login, run_seed_plan

pytest.importorskip("fastapi")


def _cli(*args: str) -> dict:
    from reef.cli import app as cli

    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_recorded_plan_lists_and_filters_its_topic_everywhere(client, app, db_path):
    csrf = login(client, "operator")
    job_id = run_seed_plan(client, app, csrf, topic="续航")
    r = client.post(f"/api/v1/seed-plan/{job_id}/record", json={}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    recorded = r.json()["recorded"]
    assert len(recorded) == 3
    handle = app.state.pool.acquire()
    try:  # an action recorded before the topic was kept: the topic only inside its note
        member = handle.fetch_value("SELECT min(member_id) FROM members WHERE account_type = 'member'")
        handle.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, note, attrs, "
                       "ingested_at) VALUES ('old-1', 'seed', 'li', ?, now(), 'open', '种子名单：续航，3 位种子', "
                       "'{\"source\": \"seed_plan\"}', now())", [member])
    finally:
        app.state.pool.release(handle)

    api = client.get("/api/v1/actions", params={"kind": "seed"}).json()["items"]
    topics = {a["action_id"]: a["topic"] for a in api}
    assert topics == {**{a: "续航" for a in recorded}, "old-1": None}  # old rows stay readable, with no topic
    only = client.get("/api/v1/actions", params={"kind": "seed", "topic": "续航"}).json()
    assert sorted(a["action_id"] for a in only["items"]) == sorted(recorded) and only["total"] == 3
    assert client.get("/api/v1/actions", params={"topic": "充电"}).json()["total"] == 0

    tasks = client.get("/tasks").text
    assert tasks.count("话题 续航") == 3
    seeded = next(a for a in api if a["action_id"] == recorded[0])["member_id"]
    assert "话题 续航" in client.get(f"/members/{seeded}").text

    from reef.store import close_all

    close_all()  # the command line opens the store read-only: the server's handles first
    cli = _cli("action", "list", "--kind", "seed", "--db", str(db_path))
    assert {a["action_id"]: a["topic"] for a in cli["items"]} == topics
    assert sorted(a["action_id"] for a in _cli("action", "list", "--topic", "续航", "--db", str(db_path))["items"]) == sorted(recorded)

    # the plan's check still reads the old action through its note: its member is flagged as already recruited
    from reef.network.seed_checks import _recruited
    from reef.store import open_store

    close_all()

    assert "old-1" in {a for _, a in _recruited(open_store(db_path), "续航")}


def test_a_seed_recorded_by_hand_takes_a_topic(db_path):
    from reef.store import open_store

    member = open_store(db_path).fetch_value("SELECT min(member_id) FROM members WHERE account_type = 'member'")
    a = _cli("action", "add", member, "--kind", "seed", "--topic", "冬季续航", "--db", str(db_path))
    assert a["topic"] == "冬季续航" and a["note"] is None
    from reef.cli import app as cli

    refused = CliRunner().invoke(cli, ["action", "add", member, "--kind", "boost", "--topic", "冬季续航", "--db", str(db_path)])
    assert refused.exit_code == 2  # a topic is a seed's detail only
