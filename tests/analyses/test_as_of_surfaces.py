"""Every HTTP route and dashboard page taking ``as_of``, asked as of T, answers the same whether or not the store
already holds what happened after T (docs/analyses.md, *Point in time*; docs/surfaces.md, *as_of*).

A server runs on a copy of each store of test_as_of_isolation.py (tests/analyses/asof_stores.py, session fixture
``as_of_pair``; copied because the server writes its users, sessions, audit and files), logged in as an admin (names
unmasked: the most a page shows). The routes taking ``as_of`` are found from the app itself (:func:`as_of_routes`: a
declared query, form or body field, or a dashboard page whose loader reads ``as_of`` from the query or answers a
bad one with 422); each must have cases in ``_CASES`` or a reason in ``EXCLUDED``. A GET is asked with ``as_of=T`` on
both servers; a POST starting a job is posted with ``as_of=T`` and the job's outputs (its JSON, page and
downloads) are compared. JSON is compared recursively (floats to 1e-9 relative), HTML and CSV as text, Excel as
its cells; only what ``_VOLATILE`` names is taken out of a page first, each with its reason. Costs about 20 s
beyond the stores.
"""
from __future__ import annotations

import inspect
import io
import re
import shutil

import pytest

from tests.analyses.test_as_of_reads import _diff
from tests.server.surface_fixtures import PASSWORD, api_routes

pytest.importorskip("fastapi")

# Routes taking as_of that are not compared here, and why.
EXCLUDED = {
    "POST /api/v1/jobs/analyze": "runs the analyses: every table they write is compared by test_as_of_isolation.py",
    "POST /reports": "the dashboard form of POST /api/v1/jobs/report: the same reef.server.outputs.start_report job, "
                     "whose downloads are compared",
}

# Text taken out of a page or file before comparing, and why. Nothing else is.
_VOLATILE = (
    # the session's CSRF token (a random token per login) in every form and the page's meta tag
    (re.compile(r'(name="csrf_token" value=")[^"]+"|(name="csrf-token" content=")[^"]+"'), "csrf"),
    # the weekly report's technical details of the analysis runs: each run's wall-clock finish time and rows written
    # (as test_as_of_reads.py's _REPORT_NOW)
    (re.compile(r'<details class="tech" id="runs">.*?</details>', re.S), "runs"),
    # the same section of the Markdown report, to the next section or the end
    (re.compile(r"^## (技术细节：分析运行|Technical details: analysis runs)\n.*?(?=^## |\Z)", re.S | re.M), "runs"),
    # the report's 生成时间 / Generated line: the wall-clock minute it was made
    (re.compile(r"(?:(?<=生成时间：)|(?<=Generated: ))\d{4}-\d\d-\d\d \d\d:\d\d"), "now"),
    # the 种子名单 page's recent plans: the wall-clock time each job was queued (the 时间 / At column)
    (re.compile(r'(?<=</td><td>)\d{4}-\d\d-\d\d \d\d:\d\d[^<]*(?=</td><td><a href="/seed-plan\?job=)'), "now"),
)


def as_of_routes(app, client) -> set[str]:
    """"METHOD path" of every route of ``app`` taking ``as_of``: declared (query, form, or a body model's field), or a
    dashboard page whose loader reads it (its source names it, or ``?as_of=not-a-date`` makes it answer 422)."""
    from reef.server.pages import PAGES

    def declared(dependant) -> bool:
        for field in [*dependant.query_params, *dependant.body_params]:
            model = getattr(field, "type_", None) or getattr(getattr(field, "field_info", None), "annotation", None)
            if field.alias == "as_of" or "as_of" in getattr(model, "model_fields", {}):
                return True
        return any(declared(d) for d in dependant.dependencies)

    pages = {p.path: p for p in PAGES.values()}
    found = set()
    for route in api_routes(app.routes):
        for method in sorted(route.methods - {"HEAD"}):
            key = f"{method} {route.path}"
            if declared(route.dependant):
                found.add(key)
            elif method == "GET" and route.path in pages:
                reads = re.search(r"""query_params\.get\(\s*["']as_of""", inspect.getsource(pages[route.path].load))
                if reads or ("{" not in route.path and client.get(route.path, params={"as_of": "not-a-date"}).status_code == 422):
                    found.add(key)
    return found


def _copy(path, tmp):
    """A copy of the store at ``path`` in ``tmp``, with an admin."""
    from reef.actions import add_user
    from reef.store import open_store

    tmp.mkdir()
    shutil.copy(path, tmp / "reef.duckdb")
    store = open_store(tmp / "reef.duckdb")
    add_user(store, "admin", "admin", password=PASSWORD)
    store.checkpoint()
    return tmp / "reef.duckdb"


def _server(path):
    """A server on the store at ``path`` and its logged-in admin's client."""
    from fastapi.testclient import TestClient

    from reef.server import create_app

    app = create_app(path)
    client = TestClient(app)
    client.__enter__()
    r = client.post("/api/v1/login", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 200, r.text
    client.csrf = r.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = client.csrf
    return app, client


@pytest.fixture(scope="module")
def copies(as_of_pair, tmp_path_factory):
    """(full copy, cut copy, t)."""
    full, cut, t = as_of_pair
    folder = tmp_path_factory.mktemp("asof-surfaces")
    return _copy(full, folder / "full"), _copy(cut, folder / "cut"), t


@pytest.fixture
def servers(copies, tmp_path):
    """(full app, full client, cut app, cut client, t): per test, since every store handle is closed after each
    (tests/conftest.py), each on its own copy of the module's (job ids are kept in the store)."""
    from reef.store import close_all

    *paths, t = copies
    close_all()  # the servers open their own handles (close_all closes every one: not after the first server starts)
    made = []
    for path, name in zip(paths, ("full", "cut")):
        (tmp_path / name).mkdir()  # the same file name in both: the report names the store's file
        shutil.copy(path, tmp_path / name / "reef.duckdb")
        made.append(_server(tmp_path / name / "reef.duckdb"))
    yield (*made[0], *made[1], t)
    for app, client in made:
        client.__exit__(None, None, None)
        app.state.jobs.shutdown()


def _normal(response):
    """A response as plain data: JSON as itself, a workbook as its sheets' cells, text with ``_VOLATILE`` taken out."""
    kind = response.headers.get("content-type", "")
    if kind.startswith("application/json"):
        return response.json()
    if "spreadsheetml" in kind:
        import openpyxl
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    text = response.text
    for pattern, name in _VOLATILE:
        text = pattern.sub(f"<{name}>", text)
    return text


def _get(client, path: str, params: dict):
    r = client.get(path, params=params)
    return {"status": r.status_code, "file": r.headers.get("content-disposition"), "body": _normal(r)}


def _job(app, client, path: str, t, **fields) -> int:
    """Post ``fields`` with as_of=T (JSON to the API, a form to a page); the job's id once it finished."""
    fields["as_of"] = t.isoformat()
    if path.startswith("/api/"):
        r = client.post(path, json=fields)
        assert r.status_code == 202, r.text
        job = r.json()["job_id"]
    else:
        r = client.post(path, data={**fields, "csrf_token": client.csrf}, follow_redirects=False)
        assert r.status_code == 303, r.text
        job = int(re.search(r"job=(\d+)", r.headers["location"]).group(1))
    assert app.state.jobs.wait(job, timeout=300)["status"] == "done", app.state.jobs.get(job)
    return job


def _seed_plan_outputs(job: int) -> list[tuple[str, dict]]:
    return [("/seed-plan", {"job": job}), (f"/api/v1/seed-plan/{job}", {}), (f"/api/v1/seed-plan/{job}", {"lang": "en"}),
            (f"/api/v1/seed-plan/{job}/download", {"format": "csv"}), (f"/api/v1/seed-plan/{job}/download", {"format": "xlsx"})]


def _report_outputs(job: int) -> list[tuple[str, dict]]:
    return [(f"/api/v1/reports/{job}", {"format": "html"}), (f"/api/v1/reports/{job}", {"format": "md"})]


# route -> (GET: its query parameters besides as_of) | (POST: the job's fields besides as_of, the outputs to compare)
_CASES = {
    "GET /api/v1/effect": [{"action": kind} for kind in ("recognise", "respond", "assign_task", "add_to_team", "seed",
                                                         "boost", "invite", "seat_council", "note")]
                          + [{"action": "recognise", "window": 14, "outcome": "threads", "lang": "en"},
                             {"action": "seed", "topic": "续航"}],
    "GET /api/v1/risks/report": [{}, {"lang": "en", "weeks": 4}],
    "GET /crisis": [{}, {"lang": "en"}, {"aspect": "续航与充电"}, {"aspect": "质量与故障"}],
    "POST /seed-plan": [({"k": "3"}, _seed_plan_outputs)],
    "POST /api/v1/seed-plan": [({"k": 2, "topic": "续航"}, _seed_plan_outputs)],
    "POST /api/v1/jobs/report": [({"lang": "zh"}, _report_outputs), ({"lang": "en"}, _report_outputs)],
}


def test_every_route_taking_as_of_is_compared_or_excluded(servers):
    app, client, *_ = servers
    routes = as_of_routes(app, client)
    assert {"GET /api/v1/effect", "GET /crisis", "POST /api/v1/jobs/analyze"} <= routes, routes
    missing = sorted(routes - set(_CASES) - set(EXCLUDED))
    assert not missing, f"routes taking as_of with no case in _CASES and no reason in EXCLUDED: {missing}"
    assert not set(_CASES) & set(EXCLUDED), "a route is both compared and excluded"
    assert not (set(_CASES) | set(EXCLUDED)) - routes, "a case names no route taking as_of"


@pytest.mark.parametrize("route", sorted(_CASES))
def test_route_as_of_t_ignores_what_happened_after_t(servers, route):
    full_app, full, cut_app, cut, t = servers
    method, path = route.split(" ", 1)
    for case in _CASES[route]:
        if method == "GET":
            asked = [(path, {**case, "as_of": t.isoformat()})]
            pair = [[_get(c, p, q) for p, q in asked] for c in (full, cut)]
        else:
            fields, outputs = case
            pair = []
            for app, c in ((full_app, full), (cut_app, cut)):
                asked = outputs(_job(app, c, path, t, **fields))
                pair.append([_get(c, p, q) for p, q in asked])
        for (p, q), a, b in zip(asked, *pair):
            assert a["status"] == 200, f"{route} {case}: {p} {q} answered {a['status']}: {str(a['body'])[:300]}"
            assert a["body"] not in (None, {}, [], ""), f"{p} {q} is empty: the comparison would prove nothing"
            diff = _diff(a, b)
            assert diff is None, f"{route} {case}: {p} {q} differs {diff}"
