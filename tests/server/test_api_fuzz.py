"""A seeded fuzz of the HTTP API against its own OpenAPI document (plain hypothesis, no schema tool).

For every documented operation — except logging out and those that start a background job — requests are made from
the document itself and sent as a logged-in admin: first a sweep of each parameter and body field over boundary values
(empty, NUL, long text, huge numbers, dates at the calendar's edge) with the rest plain, then hypothesis requests of
each declared type, with some odd text and wrong types. Each answer must hold to the document:
never a 5xx; a success only with a status the operation declares, in a media type it declares; every error a 4xx in
the one error shape (reef.server.errors). Derandomized, so every run sends the same requests.
"""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

EXAMPLES = 20  # per operation, after the sweep: about 40 s in all on two cores
SKIPPED = {("post", "/api/v1/logout")}  # it would end the session the fuzz runs in
ODD = ["", " ", "0", "-1", "1", "abc", "true", "null", "m001", "camp-1", "evil", "%", "_", "\\", "'", "\x00", "zh", "en",
       "电池", "x" * 300, "a,b", "../etc/passwd"]
# Dates and times, for parameters named like one: the data's, malformed ones and the calendar's edges.
DATES = ["0001-01-01", "9999-12-31T23:59-12:00", "0001-01-01T00:00+14:00", "1900-01-01", "9999-12-31", "2026-06-01",
         "2026-06-30T23:00+08:00", "2026-13-01", "2026-02-30", "2026-06-01T25:00", "20260601"]
DATE_NAMES = ("as_of", "since", "until", "due", "deadline")
EDGES = {"int": [-1, 0, 2**63, 10**20, "abc"], "bool": ["maybe", 2], "list": [[""], ["\x00"]],
         "str": ["", " ", "\x00", "x" * 300, "-1", "%", "'", "\\", "9223372036854775808", "电池"]}
# What a sweep sends for the fields it does not vary: ids and names this store has.
PLAIN = {"member_id": "m001", "campaign": "camp-1", "kind": "note", "name": "fuzz", "deadline": "2026-07-31"}
BIG = [0, -1, 1, 2, 2**31, -(2**63), 2**63, 10**20]


def _resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _value(doc: dict, schema: dict, name: str = "") -> st.SearchStrategy:
    """Values of ``schema`` (for the parameter or field ``name``), and some of the wrong type or out of bounds; None
    only where the field may be null and is not a parameter (a parameter left out is drawn as leaving it out)."""
    schema = _resolve(doc, schema)
    odd = st.one_of(st.sampled_from(ODD), st.text(max_size=12), st.sampled_from(BIG))
    if "anyOf" in schema:
        return st.one_of([_value(doc, s, name) for s in schema["anyOf"] if s.get("type") != "null"] or [st.none()])
    kind = schema.get("type")
    if "enum" in schema:
        typed = st.sampled_from(schema["enum"])
    elif kind == "integer":
        lo, hi = schema.get("minimum", -(2**64)), schema.get("maximum", 2**64)
        typed = st.one_of(st.integers(lo, hi), st.sampled_from(BIG + [lo - 1, hi + 1]))
    elif kind == "boolean":
        typed = st.booleans()
    elif kind == "array":
        typed = st.lists(_value(doc, schema.get("items", {})), max_size=3)
    elif kind == "object" and schema.get("properties"):
        props = {k: st.one_of(st.none(), _value(doc, v, k)) for k, v in schema["properties"].items()}
        need = set(schema.get("required", ()))
        typed = st.fixed_dictionaries({k: v for k, v in props.items() if k in need},
                                      optional={k: v for k, v in props.items() if k not in need})
    elif name in DATE_NAMES:
        typed = st.sampled_from(DATES)
    else:
        typed = st.one_of(st.sampled_from(ODD), st.text(max_size=20))
    return st.one_of(typed, typed, typed, odd)  # mostly the declared type


def _text(value) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _params(op: dict) -> list[dict]:
    return [p for p in op.get("parameters", ()) if p["in"] in ("query", "path")]


def _url(path: str, op: dict, got: dict) -> tuple[str, list]:
    """The URL (path parameters filled in) and query pairs of the parameter values ``got``."""
    url, query = path, []
    for p in _params(op):
        if got.get(p["name"]) is None:
            continue
        value = got[p["name"]]
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", quote(_text(value) or "-", safe=""))
        else:
            query += [(p["name"], _text(v)) for v in (value if isinstance(value, list) else [value]) if v is not None]
    return url, query


def _request(doc: dict, path: str, op: dict) -> st.SearchStrategy:
    """One request of the operation: (url, query pairs, JSON body or None)."""
    values = {p["name"]: _value(doc, p.get("schema", {}), p["name"]) for p in _params(op)}
    need = sorted(p["name"] for p in _params(op) if p.get("required") or p["in"] == "path")
    optional = sorted(set(values) - set(need))
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    bodies = _value(doc, body["schema"]) if body else st.none()

    @st.composite
    def requests(draw) -> tuple[str, list, object]:
        # At most two optional parameters: with more, one is nearly always refused first and the rest go untested.
        chosen = draw(st.sets(st.sampled_from(optional), max_size=2)) if optional else set()
        url, query = _url(path, op, {name: draw(values[name]) for name in [*need, *sorted(chosen)]})
        return url, query, draw(bodies)

    return requests()


def _plain(doc: dict, schema: dict, name: str):
    """A value of ``schema`` that passes on its own, so a sweep reaches the value it varies."""
    schema = _resolve(doc, schema)
    kinds = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    schema = kinds[0] if kinds else schema
    if "enum" in schema:
        return schema["enum"][0]
    return PLAIN.get(name, {"integer": 1, "boolean": False, "array": []}.get(schema.get("type"), "x"))


def _sweep(doc: dict, path: str, op: dict):
    """Requests varying one parameter or body field at a time over boundary values, the rest plain (a coverage pass:
    a random request with several odd values is refused on the first and never reaches the others)."""
    params = {p["name"]: p for p in _params(op)}
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    fields = _resolve(doc, body["schema"]).get("properties", {}) if body else {}
    base = {k: _plain(doc, p.get("schema", {}), k) for k, p in params.items() if p.get("required") or p["in"] == "path"}
    plain_body = {k: _plain(doc, v, k) for k, v in fields.items()
                  if k in _resolve(doc, body["schema"]).get("required", ())} if body else None
    for name, schema in [*((k, p.get("schema", {})) for k, p in params.items()), *fields.items()]:
        kind = _plain(doc, schema, name)
        edges = DATES[:6] if name in DATE_NAMES else EDGES.get(type(kind).__name__, EDGES["str"])
        for value in edges:
            if name in params:
                yield (*_url(path, op, {**base, name: value}), plain_body)
            else:
                yield (*_url(path, op, base), {**plain_body, name: value})


def _check(op: dict, method: str, path: str, r) -> None:
    where = f"{method.upper()} {r.request.url}"
    assert r.status_code < 500, f"{where} -> {r.status_code} {r.text[:300]}"
    media = r.headers.get("content-type", "").split(";")[0]
    if r.status_code >= 400:  # every error, declared or not, is a 4xx in the one shape
        assert media == "application/json", f"{where} -> {r.status_code} as {media}"
        body = r.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "where", "hint"}, f"{where}: {body}"
        assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str), f"{where}: {body}"
        return
    declared = op["responses"].get(str(r.status_code))
    assert declared is not None, f"{where} -> {r.status_code}, not among {sorted(op['responses'])}"
    types = [t.split(";")[0] for t in declared.get("content", {"application/json": {}})]
    assert media in types, f"{where} -> {r.status_code} as {media}, not among {types}"
    if media == "application/json":
        r.json()


def _fuzzer(client, csrf: str, doc: dict, method: str, path: str, op: dict):
    """A hypothesis test sending the operation's generated requests and checking each answer."""

    def send(url: str, query: list, body) -> None:
        try:
            r = client.request(method, url, params=query, json=body, headers={"X-CSRF-Token": csrf})
        except Exception as exc:  # the test client re-raises a route's exception: the server would answer 500
            raise AssertionError(f"{method.upper()} {url} {query} {body} -> raised {exc!r}") from exc
        _check(op, method, path, r)

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(_request(doc, path, op))
    def fuzz(request):
        send(*request)

    def run() -> None:
        for request in _sweep(doc, path, op):
            send(*request)
        fuzz()

    return run


def test_every_operation_answers_as_its_openapi_document_says(client, monkeypatch):
    import urllib.error
    import urllib.request

    def offline(*_, **__):  # a fuzzed robot URL is never contacted
        raise urllib.error.URLError("no network in tests")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    csrf = login(client, "admin")
    doc = client.get("/api/v1/openapi.json").json()
    failures, tried = [], 0
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            if (method, path) in SKIPPED or "202" in op["responses"]:  # 202: an analysis or import per example
                continue
            tried += 1
            try:
                _fuzzer(client, csrf, doc, method, path, op)()
            except AssertionError as exc:
                failures.append(str(exc).splitlines()[0])
    assert tried >= 50, tried  # the document lists the operations: an empty one would pass vacuously
    assert not failures, "\n".join(failures)
