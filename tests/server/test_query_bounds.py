"""Integer query parameters are bounded before any route reads them: a twenty-digit value answers 422
invalid_parameter naming the parameter on every GET route (the API's and the dashboard pages'), never a 500 from
DuckDB's BIGINT or Python's date arithmetic (``/api/v1/effect?window=…`` and ``/campaigns?page=…`` did)."""
from __future__ import annotations

import typing

import pytest

from surface_fixtures import api_routes, login

pytest.importorskip("fastapi")

HUGE = "99999999999999999999"


def _int_query(route) -> list[str]:
    """The integer query parameters ``route`` declares (its own and its dependencies'), read from FastAPI."""
    names, todo = [], [route.dependant]
    while todo:
        dependant = todo.pop()
        names += [f.alias for f in dependant.query_params
                  if f.field_info.annotation is int or int in typing.get_args(f.field_info.annotation)]
        todo.extend(dependant.dependencies)
    return names


def _sweep(app):
    """(url, parameter) for every GET route and integer query parameter; a dashboard page reads ``page``."""
    filled = {"member_id": "evil", "content_id": "evil-1", "job_id": "1", "action_id": "1", "path": "x"}
    for route in api_routes(app.routes):
        if "GET" not in route.methods:
            continue
        url = route.path
        for name, value in filled.items():
            url = url.replace("{%s}" % name, value).replace("{%s:path}" % name, value)
        assert "{" not in url, route.path  # a new path parameter: give it a value above
        names = set(_int_query(route))
        if not route.include_in_schema and not url.startswith("/api/"):
            names.add("page")  # dashboard pages read page (reef.server.pages.page_number) without declaring it
        for name in sorted(names):
            yield url, name


def test_every_integer_query_parameter_refuses_a_twenty_digit_value(app, client):
    login(client, "admin")
    swept = list(_sweep(app))
    names = {name for _, name in swept}
    assert {"page", "per_page", "window", "top", "weeks"} <= names, names  # the sweep reaches the routes it must
    failures = []
    for url, name in swept:
        for value in (HUGE, "-" + HUGE):
            r = client.get(url, params={name: value}, headers={"accept": "application/json"})
            body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
            if r.status_code != 422 or body.get("error", {}).get("code") != "invalid_parameter":
                failures.append((url, name, value, r.status_code))
    assert not failures, failures


def test_a_page_past_the_end_and_an_effect_window_past_the_calendar(client):
    login(client, "viewer")
    assert client.get("/campaigns?page=999", headers={"accept": "text/html"}).status_code == 200  # an empty page
    r = client.get("/api/v1/effect", params={"window": "999999999"})
    assert r.status_code == 422 and r.json()["error"]["where"]["field"] == "window"  # the parameter sent (its bounds: 1 to MAX_DAYS)
    page = client.get("/members", params={"page": HUGE}, headers={"accept": "text/html"})
    assert page.status_code == 422 and "page" in page.text  # the error page names it


def test_library_counts_are_bounded_too():
    from reef.errors import InvalidParameterError
    from reef.params import MAX_WHOLE, check_positive

    assert check_positive("top", MAX_WHOLE) == MAX_WHOLE
    with pytest.raises(InvalidParameterError, match="'top'"):
        check_positive("top", MAX_WHOLE + 1)
