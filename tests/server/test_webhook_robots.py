"""发送到群 with several robots ([[risks.robots]]): the card lists each robot's status, the test button and
POST /api/v1/webhook/test reach every robot (or the named one), and a send goes to each through its filter. The robots
are local fakes (tests/risks/conftest.py)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from surface_fixtures import client_on, login
from tests.risks.conftest import robot, second  # noqa: F401 - the local fake robot fixtures

pytest.importorskip("fastapi")
KEY = "SECRET-robot-key"


@contextmanager
def _server(db_path, ops: str, pr: str):
    from reef.config import load_config

    config = load_config().with_overrides({"risks.webhook_retries": 0, "risks.robots": [
        {"name": "ops", "url": f"{ops}?key={KEY}"},
        {"name": "pr", "url": pr, "format": "feishu", "min_severity": "high", "families": ["backlash", "crisis"]}]})
    with client_on(db_path, config) as c:
        yield c


def test_the_card_lists_each_robot_and_tests_reach_every_one(db_path, robot, second):  # noqa: F811
    (ops, ops_h), (pr, pr_h) = robot, second
    with _server(db_path, ops, pr) as client:
        csrf = login(client, "operator")
        page = client.get("/risks").text
        assert 'id="webhook-robots"' in page and 'data-robot="ops"' in page and 'data-robot="pr"' in page
        assert "仅高 · 反噬、危机室" in page and KEY not in page
        r = client.post("/risks/webhook", data={"csrf_token": csrf, "action": "test"}, follow_redirects=False)
        assert r.headers["location"] == "/risks?webhook_test=sent#webhook"
        assert len(ops_h.received) == 1 and len(pr_h.received) == 1
        got = client.post("/api/v1/webhook/test", json={"robot": "pr", "lang": "en"}, headers={"X-CSRF-Token": csrf}).json()
        assert got["sent"] and [a["name"] for a in got["robots"]] == ["pr"] and len(pr_h.received) == 2
        assert len(ops_h.received) == 1 and KEY not in str(got)
        pr_h.mode = "refuse"
        got = client.post("/api/v1/webhook/test", json={}, headers={"X-CSRF-Token": csrf}).json()
        assert not got["sent"] and {a["name"]: a["sent"] for a in got["robots"]} == {"ops": True, "pr": False}
        status = client.get("/api/v1/webhook").json()
        assert [r["name"] for r in status["robots"]] == ["ops", "pr"] and KEY not in str(status)
        r = client.post("/api/v1/webhook/test", json={"robot": "nobody"}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 422


def test_a_send_job_goes_to_each_robot_through_its_filter(db_path, robot, second):  # noqa: F811
    (ops, ops_h), (pr, pr_h) = robot, second
    with _server(db_path, ops, pr) as client:
        csrf = login(client, "operator")
        r = client.post("/api/v1/jobs/webhook", json={}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 202, r.text
        job = client.app.state.jobs.wait(r.json()["job_id"], timeout=120)
        assert job["status"] == "done", job["error"]
        by = {x["name"]: x["delivery"] for x in job["result"]["robots"]}
        assert by["ops"]["sent"] >= 1 and ops_h.received
        handle = client.app.state.pool.acquire()
        try:  # what the PR robot got: high-severity backlash or crisis alerts only
            rows = handle.fetch_all("""SELECT severity, json_extract_string(alert, '$.family'), alert_key FROM risk_alert_delivery
                                       WHERE target = $u AND status = 'sent'""", {"u": pr})
            every = handle.fetch_value("SELECT count(*) FROM risk_alerts")
        finally:
            client.app.state.pool.release(handle)
        assert len(rows) == by["pr"]["sent"] and by["pr"]["sent"] < by["ops"]["sent"] <= every + 10
        assert all(sev == "high" and (fam == "backlash" or key.startswith("crisis:")) for sev, fam, key in rows), rows
        assert KEY not in str(job)
