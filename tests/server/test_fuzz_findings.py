"""Defects the API fuzz (schemathesis against the OpenAPI document, then probes by hand) found, each kept as a plain
request: an as-of at the edge of the calendar was a 500 or a background job failed as a bug, and the OpenAPI document
described errors in a shape the server never sends."""
from __future__ import annotations

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")

# Year 1 in a zone east of UTC is year 0 in UTC; 9999-12-31 late in a zone west of UTC is year 10000.
EDGES = ["0001-01-01", "0001-01-01T00:00+14:00", "9999-12-31T23:59-12:00"]


def _refused(r, field: str = "as_of") -> dict:
    assert r.status_code == 422, (r.status_code, r.text[:300])
    error = r.json()["error"]
    assert error["code"] == "invalid_parameter" and error["where"]["field"] == field
    assert "1900 to 2999" in error["message"]
    return error


@pytest.mark.parametrize("as_of", EDGES)
def test_effect_refuses_an_as_of_at_the_calendars_edge(client, as_of):
    login(client, "viewer")
    # was 500 (OverflowError: date value out of range, turning the moment into UTC)
    _refused(client.get("/api/v1/effect", params={"as_of": as_of, "lang": "en"}))


@pytest.mark.parametrize("path", ["/api/v1/jobs/analyze", "/api/v1/jobs/report", "/api/v1/seed-plan"])
def test_jobs_refuse_an_as_of_at_the_calendars_edge_before_starting(client, app, path):
    csrf = login(client, "operator")
    before = len(app.state.jobs.list())
    # was 202, then the job failed as internal_error "date value out of range"
    _refused(client.post(path, json={"as_of": "0001-01-01"}, headers={"X-CSRF-Token": csrf}))
    assert len(app.state.jobs.list()) == before  # nothing was queued


def test_an_as_of_inside_the_years_still_works(client):
    login(client, "viewer")
    r = client.get("/api/v1/effect", params={"as_of": "1900-01-01T00:00+14:00", "lang": "en"})
    assert r.status_code == 200 and r.json()["as_of"].startswith("1899-12-31T18:05:43")  # Shanghai's 1900 offset


def test_openapi_declares_errors_in_the_shape_they_are_sent(client):
    login(client, "admin")
    doc = client.get("/api/v1/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]  # FastAPI's {"detail": [...]}, never sent
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            responses = op["responses"]
            # any error (401 not logged in, 403, 404 not found, 413, 429 ...) is documented, in the one error shape
            assert responses["default"]["content"]["application/json"]["schema"] == error, (method, path)
            if "422" in responses:
                assert responses["422"]["content"]["application/json"]["schema"] == error, (method, path)
    assert {"200", "201"} <= set(doc["paths"]["/api/v1/actions"]["post"]["responses"])  # a boost recorded today: 200


@pytest.mark.parametrize(("path", "media"), [
    ("/api/v1/export", "application/zip"),
    ("/api/v1/risks/report", "text/html"),
    ("/api/v1/reports/{job_id}", "text/markdown"),
    ("/api/v1/contest/download", "text/csv"),
    ("/api/v1/seed-plan/{job_id}/download", "text/csv"),
])
def test_openapi_declares_what_downloads_send(client, path, media):
    login(client, "admin")
    ok = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]["responses"]["200"]["content"]
    assert "application/json" not in ok and any(m.startswith(media) for m in ok), ok


@pytest.mark.parametrize("path", ["/api/v1/jobs/analyze", "/api/v1/jobs/report", "/api/v1/seed-plan"])
def test_jobs_refuse_an_as_of_years_past_the_data_before_starting(client, app, path):
    """An analysis as of 2999 ran the crisis radar's hourly series through every empty hour up to it (16 GB at 9999
    before the year limit); more than general.as_of_max_days_past_data after the data's last event is refused."""
    csrf = login(client, "operator")
    before = len(app.state.jobs.list())
    r = client.post(path, json={"as_of": "2999-01-01"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422, (r.status_code, r.text[:300])
    error = r.json()["error"]
    assert error["code"] == "invalid_parameter" and error["where"]["field"] == "as_of"
    assert "366 days after the data's last event" in error["message"] and "as_of_max_days_past_data" in error["hint"]
    assert len(app.state.jobs.list()) == before  # nothing was queued


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/quarantine/dismiss", {"import_id": False}, "import_id"),  # was read as import 0
    ("/api/v1/seed-plan", {"k": True}, "k"),  # was a plan of 1 seed
])
def test_a_json_boolean_is_no_number(client, app, path, body, field):
    csrf = login(client, "operator")
    before = len(app.state.jobs.list())
    r = client.post(path, json=body, headers={"X-CSRF-Token": csrf}, params={"lang": "en"})
    assert r.status_code == 422, (r.status_code, r.text[:300])
    error = r.json()["error"]
    assert error["code"] == "invalid_parameter" and error["where"]["field"] == field, error
    assert "true" in error["message"].lower() or "false" in error["message"].lower(), error["message"]
    assert len(app.state.jobs.list()) == before
