"""The HTTP API routes that take as_of say when it lies outside the data: `warning` in the effect estimate and in
the result of an analyze job (null when the data covers it), as `reef effect --json` and `reef analyze --json` do."""
from __future__ import annotations

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")


def test_effect_carries_the_warning_only_for_an_as_of_outside_the_data(client):
    login(client, "viewer")
    before = client.get("/api/v1/effect", params={"as_of": "2000-01-01", "lang": "en"})
    assert before.status_code == 200 and "before the first content (" in before.json()["warning"]
    assert before.json()["warning"].endswith("Pass a later as_of.")  # the HTTP API's parameter, not the CLI's --as-of
    assert "早于最早的内容" in client.get("/api/v1/effect", params={"as_of": "2000-01-01"}).json()["warning"]
    assert client.get("/api/v1/effect").json()["warning"] is None  # the end of the data


def test_an_analyze_job_says_so_in_its_result(client, app):
    csrf = login(client, "operator")
    jobs = [client.post("/api/v1/jobs/analyze", json={"as_of": at, "only": ["activity_daily"]}, headers={"X-CSRF-Token": csrf})
            for at in ("2027-03-01", None)]  # after the data (within general.as_of_max_days_past_data)
    late, now = (app.state.jobs.wait(r.json()["job_id"], timeout=300) for r in jobs)
    assert late["status"] == now["status"] == "done"
    assert "晚" in late["result"]["warning"] and "risks.stale_data_days" in late["result"]["warning"]
    assert now["result"]["warning"] is None


def test_effect_says_which_recorded_actions_it_left_out(client):
    login(client, "viewer")
    r = client.get("/api/v1/effect", params={"as_of": "2000-01-01"}).json()  # nothing recorded yet
    assert r["n_recorded"] == 0 and r["left_out_note"] is None and r["measurable_from"] is None
    r = client.get("/api/v1/effect", params={"lang": "en"}).json()
    assert r["n_recorded"] == r["n_treated"] + sum(r["left_out"].values()) and set(r["left_out"]) >= {"too_recent", "cancelled"}
    assert r["measurable_from"] == (r["too_recent"][0]["measurable_from"] if r["too_recent"] else None)
