"""A viewer never gets through a job what they could not get directly: job results, params and errors are masked
for viewers on the jobs API and the pages listing jobs; operators read them as they read every route (unmasked)."""
from __future__ import annotations

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")

PHONE, MASKED = "13812345678", "138****5678"


def _job_quoting_a_phone(app, kind: str = "seed_plan", fail: bool = False) -> int:
    """A finished job whose result (or error) quotes a member's phone, as a seed plan's risk flag or an import warning do."""
    from reef.errors import ReefError

    def run(store, progress):
        if fail:
            raise ReefError(f"bad row: contact {PHONE}")
        return {"why": [{"member_id": "m1", "flags": [{"reason": "risk", "message_zh": f"加我 {PHONE}"}]}],
                "warnings": [{"code": "x", "message": f"row quotes {PHONE}", "message_zh": f"行 {PHONE}"}]}

    job = app.state.jobs.submit(kind, run, by="operator", params={"k": 3, "topic": f"车主 {PHONE}", "circle": None, "exclude": [], "as_of": None})
    app.state.jobs.wait(job["job_id"], timeout=60)
    return job["job_id"]


@pytest.mark.parametrize("fail", [False, True])
def test_viewers_read_jobs_masked(client, app, fail):
    job_id = _job_quoting_a_phone(app, "import", fail=fail)
    login(client, "viewer")
    for url in (f"/api/v1/jobs/{job_id}", "/api/v1/jobs", "/imports"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert PHONE not in r.text, url
    assert MASKED in client.get(f"/api/v1/jobs/{job_id}").text


def test_viewers_read_seed_plan_jobs_masked(client, app):
    job_id = _job_quoting_a_phone(app)
    login(client, "viewer")
    body = client.get(f"/api/v1/jobs/{job_id}").json()
    assert body["result"]["why"][0]["flags"][0]["message_zh"] == f"加我 {MASKED}"
    assert body["result"]["why"][0]["member_id"] == "m1"  # ids still join back
    assert PHONE not in client.get("/seed-plan").text


def test_operators_read_jobs_as_they_read_every_route(client, app):
    job_id = _job_quoting_a_phone(app)
    login(client, "operator")
    assert PHONE in client.get(f"/api/v1/jobs/{job_id}").text
