"""Each query and path parameter of the HTTP API says what it takes, and takes what it says (reef.server.openapi_params).

The parameters come from the OpenAPI document the server serves, never from a list here, and are requested one at
a time (the rest plain) as an admin:

* an ``enum`` (a boolean: true and false): every value is taken — the answer is never a 400/422 naming the
  parameter — and a value outside is refused with 422 naming it (the refusal names every value, where it lists them);
* a ``pattern`` (as_of, since, until, a deadline): its ``example`` matches it and is taken, a word is refused; every
  ``as_of`` carries the as-of pattern (tests/store/test_as_of_pattern.py holds it to the parser), words and an example;
* any other text parameter takes a word no set of choices holds: one that refuses it takes a choice or a format the
  document does not state, so a new route whose choice parameter has no enum fails here. FREE_TEXT names the few
  that refuse the word for another reason, each with it.
"""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")

WORD = "zz-no-such-choice"
# Values that let a request reach the parameter under test: ids this store has, a team brief with a role to fill.
PLAIN = {"member_id": "m001", "campaign": "camp-1", "name": "fuzz", "writer": "1", "job_id": "1"}
# Text parameters that refuse WORD though they take no fixed set, so neither an enum nor a pattern can say what they take.
FREE_TEXT = {
    # a seed action's topic, any text; refused only because the plain request asks about another action than seed
    ("/api/v1/effect", "topic"): "only seed actions have a topic",
    # a group's id or name in the data: refused when no group or circle has it
    ("/api/v1/team/proposal", "circle"): "no group or circle of that name",
}
UPLOAD = ("members.csv", b"member_id,name\nm-upload,x\n", "text/csv")


def _schema(param: dict) -> dict:
    """The schema a value of ``param`` is read by (an optional parameter's non-null branch)."""
    schema = param.get("schema", {})
    return next((s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"), schema)


def _plain(param: dict):
    schema = _schema(param)
    if param["name"] in PLAIN:
        return PLAIN[param["name"]]
    if "enum" in schema:
        return schema["enum"][0]
    if "example" in param:
        return param["example"]
    if schema.get("type") == "array":
        return [schema["items"]["enum"][0]] if "enum" in schema["items"] else ["x"]
    return {"integer": 1, "boolean": "false"}.get(schema.get("type"), "x")


def _operations(doc: dict):
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            params = [p for p in op.get("parameters", ()) if p["in"] in ("query", "path")]
            if params and path != "/api/v1/logout":
                yield method, path, op, params


def _text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


class Api:
    """Requests of one operation with one parameter set to a value and the others plain."""

    def __init__(self, client):
        self.client, self.csrf = client, login(client, "admin")
        self.doc = client.get("/api/v1/openapi.json").json()

    def send(self, method: str, path: str, op: dict, params: list[dict], name: str, value, also: dict | None = None):
        values = {p["name"]: _plain(p) for p in params if p.get("required") or p["in"] == "path" or p["name"] in PLAIN}
        values.update(also or {})
        url, query = path, []
        for key, got in {**values, name: value}.items():
            if "{" + key + "}" in url:
                url = url.replace("{" + key + "}", quote(_text(got), safe=""))
            else:
                query += [(key, _text(v)) for v in (got if isinstance(got, list) else [got])]
        content = op.get("requestBody", {}).get("content", {})
        body = {"files": [("files", UPLOAD)]} if "multipart/form-data" in content else {"json": {}} if content else {}
        return self.client.request(method, url, params=query, headers={"X-CSRF-Token": self.csrf}, **body)


def _refusal(r, name: str) -> str | None:
    """The refusal's message and hint when the answer refuses ``name`` (400 or 422 naming it), else None."""
    if r.status_code not in (400, 422):
        return None
    error = r.json()["error"]
    if (error.get("where") or {}).get("field") == name or f"'{name}'" in error["message"]:
        return f"{error['message']} {error.get('hint') or ''}"
    return None


def _listed(said: str) -> set[str] | None:
    """The values a refusal lists as expected ("Expected one of a, b, c." or "Expected a (what) or b."), None when it
    words what it expects otherwise."""
    m = re.search(r"Expected (?:one of )?(.*?)\.(?:\s|$)", said)
    values = {v.strip() for v in re.split(r",\s*|\s+or\s+", re.sub(r"\s*\([^)]*\)", "", m.group(1)))} if m else set()
    return values if values and all(re.fullmatch(r"[\w-]+", v) for v in values) else None


def test_every_choice_parameter_takes_exactly_its_enum(client):
    api, failures, checked = Api(client), [], set()
    for method, path, op, params in _operations(api.doc):
        for param in params:
            name, schema = param["name"], _schema(param)
            many = schema.get("type") == "array"
            values = (schema["items"] if many else schema).get("enum") or ([True, False] if schema.get("type") == "boolean" else None)
            if values is None:
                continue
            checked.add((path, name))
            if "default" in schema and schema["default"] not in values:
                failures.append(f"{path} {name}: default {schema['default']!r} not among {values}")
            for value in values:
                r = api.send(method, path, op, params, name, [value] if many else value)
                assert r.status_code < 500, (path, name, value, r.text[:300])
                if _refusal(r, name):
                    failures.append(f"{method.upper()} {path} {name}={value!r} refused: {_refusal(r, name)}")
            said = _refusal(api.send(method, path, op, params, name, [WORD] if many else WORD), name)
            if said is None:
                failures.append(f"{method.upper()} {path} {name}={WORD!r} taken, though not in its enum")
            elif schema.get("type") != "boolean" and not many and _listed(said) not in (None, {v.lstrip("-") for v in values}):
                # a sort order is a column, ascending, or with - before it: the refusal lists the columns
                failures.append(f"{path} {name}: the refusal lists {sorted(_listed(said))}, the enum {values}")
    assert not failures, "\n".join(failures)
    # the choices this module was written for are among those found (the document lists them, not this test)
    assert {("/api/v1/export", "format"), ("/api/v1/export", "headers"), ("/api/v1/reports/{job_id}", "format"),
            ("/api/v1/effect", "action"), ("/api/v1/actions", "kind"), ("/api/v1/jobs/import", "format"),
            ("/api/v1/risk_alerts", "sort"), ("/api/v1/risk_alerts", "is_new"), ("/api/v1/kb_gaps", "kind"),
            ("/api/v1/contest/download", "format"), ("/api/v1/overview", "lang")} <= checked, checked


def test_every_date_parameter_states_its_form_and_takes_its_example(client):
    from reef.store.asof import AS_OF_PATTERN, AS_OF_YEARS

    api, failures, as_ofs = Api(client), [], 0
    for method, path, op, params in _operations(api.doc):
        for param in params:
            name, schema = param["name"], _schema(param)
            if name == "as_of":
                as_ofs += 1
                if schema.get("pattern") != AS_OF_PATTERN or f"{AS_OF_YEARS[0]} to {AS_OF_YEARS[1]}" not in param.get("description", ""):
                    failures.append(f"{path} as_of: not documented as an as-of ({schema}, {param.get('description')!r})")
            if "pattern" not in schema:
                continue
            example = param.get("example")
            if example is None or not re.search(schema["pattern"], example):
                failures.append(f"{path} {name}: example {example!r} missing or not matching {schema['pattern']}")
                continue
            r = api.send(method, path, op, params, name, example)
            assert r.status_code < 500, (path, name, example, r.text[:300])
            if _refusal(r, name):
                failures.append(f"{method.upper()} {path} {name}={example!r} (its example) refused: {_refusal(r, name)}")
            if _refusal(api.send(method, path, op, params, name, WORD), name) is None:
                failures.append(f"{method.upper()} {path} {name}={WORD!r} taken: the pattern says more than the route checks")
    assert not failures, "\n".join(failures)
    assert as_ofs >= 2, as_ofs  # /effect and /risks/report


def test_every_other_text_parameter_takes_any_text(client):
    api, failures, exempt_seen = Api(client), [], set()
    for method, path, op, params in _operations(api.doc):
        for param in params:
            name, schema = param["name"], _schema(param)
            text = schema.get("type") == "string" or (schema.get("type") == "array" and schema["items"].get("type") == "string")
            if not text or "enum" in schema or "enum" in schema.get("items", {}) or "pattern" in schema:
                continue
            said = _refusal(api.send(method, path, op, params, name, [WORD] if schema["type"] == "array" else WORD), name)
            if (path, name) in FREE_TEXT:
                exempt_seen.add((path, name))
                if said is None:  # the exemption is no longer needed
                    failures.append(f"{path} {name} takes {WORD!r} now: drop it from FREE_TEXT")
            elif said is not None:
                failures.append(f"{method.upper()} {path} {name}={WORD!r} refused, but its schema states no choices or "
                                f"form ({said}): give the route choices= (reef.server.deps.guarded) or a pattern")
    assert not failures, "\n".join(failures)
    assert exempt_seen == set(FREE_TEXT), set(FREE_TEXT) - exempt_seen  # each exemption names a real parameter


# The rest of a body whose field is under test: a task on a member the store has (its kind, status, layer and due).
BODY_PLAIN = {"ActionIn": {"member_id": "m001", "kind": "assign_task", "brief": "fuzz"}}


def test_every_choice_field_of_a_body_takes_exactly_its_enum(client):
    """The JSON bodies' choices and forms too (an action's kind, status, layer and due date, a webhook's platform, a
    language): every enum value and the pattern's example taken, a word refused naming the field; operations that
    start a job (202) aside. A path's {action_id} is a new open action each time (a done one could not change)."""
    api, failures, checked = Api(client), [], set()

    def send(method: str, path: str, model: str, name: str, value):
        if "{action_id}" in path:
            new = client.post("/api/v1/actions", json={"member_id": "m001", "kind": "note"}, headers={"X-CSRF-Token": api.csrf})
            path = path.replace("{action_id}", new.json()["action_id"])
        r = client.request(method, path, json={**BODY_PLAIN.get(model, {}), name: value}, headers={"X-CSRF-Token": api.csrf})
        assert r.status_code < 500, (path, name, value, r.text[:300])
        return r

    for method, path, op, model, schema in _json_bodies(api.doc):
        if "202" in op["responses"] or ("{" in path and "{action_id}" not in path):
            continue
        for name, prop in schema.get("properties", {}).items():
            branch = _schema({"schema": prop})
            pattern, examples = branch.get("pattern"), prop.get("examples") or []
            if "enum" not in branch and not (pattern and name != "as_of"):  # as_of: the date test's (a job's, here)
                continue
            checked.add((path, name))
            if pattern and not (examples and all(re.search(pattern, e) for e in examples)):
                failures.append(f"{path} {name}: examples {examples} missing or not matching {pattern}")
            for value in branch.get("enum") or examples:
                said = _refusal(send(method, path, model, name, value), name)
                if said:
                    failures.append(f"{method.upper()} {path} {name}={value!r} refused: {said}")
            if not _refusal(send(method, path, model, name, WORD), name):
                failures.append(f"{method.upper()} {path} {name}={WORD!r} taken, though not in its enum or pattern")
    assert not failures, "\n".join(failures)
    assert {("/api/v1/webhook/test", "platform"), ("/api/v1/webhook/test", "lang"), ("/api/v1/actions", "kind"),
            ("/api/v1/actions", "status"), ("/api/v1/actions", "layer"), ("/api/v1/actions", "due"),
            ("/api/v1/actions/{action_id}", "status")} <= checked, checked


def test_the_document_follows_the_store(client, app):
    """The as-of example is the data's last day: a later post moves it once the store changed (the document is built
    again when a write bumps the read cache's generation)."""
    login(client, "admin")

    def example() -> str:
        params = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/effect"]["get"]["parameters"]
        return next(p["example"] for p in params if p["name"] == "as_of")

    before = example()
    with app.state.store.transaction():
        app.state.store.execute("INSERT INTO content (content_id, kind, author_id, created_at, title, body) VALUES "
                                "('later-1', 'thread', 'm001', TIMESTAMPTZ '2026-07-15 10:00:00+08', 't', 'b')")
    assert example() == before  # nothing said the store changed: the built document is kept
    app.state.read_cache.bump()
    assert before < example() == "2026-07-15"


# What a bound of an integer parameter needs beside it to be read at all (the team builder reads a brief as a whole).
BESIDE = {
    ("/api/v1/team/proposal", "writer"): {"visual": 1},  # writer=0 alone asks for no role: refused as an empty brief
    ("/api/v1/team/proposal", "expert_count"): {"expert": ["动力"]},  # experts per ticked aspect: none ticked, unread
}
# Bounds the test store cannot take though the route does, each with why (the refusal is about the data): a team of 50
# needs 50 candidates and the test store has 8 (the roles asked for, 50 writers say, count towards the 50 as well).
UNREACHED = {("/api/v1/team/proposal", name, 50) for name in ("writer", "visual", "structurer", "expert_count", "size")}
# Integer body fields that state no bounds, each with why: any whole number is taken and looked up.
UNBOUNDED_BODY = {("QuarantineDismissIn", "import_id"): "an import's id: one the store lacks is 404 not_found"}


def _bounds_failures(name: str, low, high, send, unreached=()) -> list[str]:
    """What is wrong with ``name``'s documented ``low`` to ``high`` (``send(value)`` answers a request with it;
    ``unreached``: bounds not to be asked for)."""
    if not (isinstance(low, int) and isinstance(high, int) and low <= high):
        return [f"{name}: bounds {low!r} to {high!r} not stated"]
    failures = []
    for value in (low, high):
        if value in unreached:
            continue
        r = send(value)
        assert r.status_code < 500, (name, value, r.text[:300])
        if _refusal(r, name):
            failures.append(f"{name}={value} (a bound) refused: {_refusal(r, name)}")
    for value in (low - 1, high + 1):
        if _refusal(send(value), name) is None:
            failures.append(f"{name}={value} (past its bounds {low} to {high}) not refused naming it")
    return failures


def test_every_integer_parameter_states_its_bounds_and_keeps_them(client):
    """Every integer query and path parameter the document lists says its minimum and maximum, the route takes both
    and refuses one past either, naming the parameter (view filters, page sizes, counts, a job id ...)."""
    api, failures, checked = Api(client), [], set()
    for method, path, op, params in _operations(api.doc):
        for param in params:
            name, schema = param["name"], _schema(param)
            if schema.get("type") != "integer":
                continue
            checked.add((path, name))
            also = BESIDE.get((path, name))
            found = _bounds_failures(name, schema.get("minimum"), schema.get("maximum"),
                                     lambda value: api.send(method, path, op, params, name, value, also),
                                     {bound for p, n, bound in UNREACHED if (p, n) == (path, name)})
            failures += [f"{method.upper()} {path} {f}" for f in found]
    assert not failures, "\n".join(failures)
    assert {(p, n) for p, n, _ in UNREACHED} | set(BESIDE) <= checked  # each names a real parameter
    assert {("/api/v1/effect", "window"), ("/api/v1/risks/report", "weeks"), ("/api/v1/contest", "top"),
            ("/api/v1/jobs/{job_id}", "job_id"), ("/api/v1/actions", "per_page"), ("/api/v1/ladder_members", "stage"),
            ("/api/v1/team/proposal", "size")} <= checked, checked


def _json_bodies(doc: dict):
    """(method, path, op, model name, its schema) of each operation taking a JSON body."""
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
            if ref is not None:
                name = ref.rsplit("/", 1)[-1]
                yield method, path, op, name, doc["components"]["schemas"][name]


def test_every_integer_field_of_a_body_states_its_bounds_and_keeps_them(client, app):
    """A seed plan's k: 1 to network.seed_max_k, read from the app's config (a plan of either size starts)."""
    api, failures, checked = Api(client), [], set()
    for method, path, op, model, schema in _json_bodies(api.doc):
        for name, prop in schema.get("properties", {}).items():
            branch = _schema({"schema": prop})
            if branch.get("type") != "integer" or (model, name) in UNBOUNDED_BODY:
                continue
            checked.add((path, name))
            send = lambda value: client.request(method, path, json={name: value}, headers={"X-CSRF-Token": api.csrf})  # noqa: E731
            failures += [f"{path} {f}" for f in _bounds_failures(name, branch.get("minimum"), branch.get("maximum"), send)]
    assert not failures, "\n".join(failures)
    assert checked == {("/api/v1/seed-plan", "k")}, checked
    k = _schema({"schema": api.doc["components"]["schemas"]["SeedPlanIn"]["properties"]["k"]})
    assert (k["minimum"], k["maximum"]) == (1, int(app.state.config.get("network.seed_max_k")))


def test_an_analyze_job_s_only_lists_the_registered_analyses(client, app):
    """``only`` of POST /api/v1/jobs/analyze takes names of the registered analyses: its items' enum is the registry's
    names (had none, so a client could not know them), and a name outside it is refused naming ``only``. The job
    itself (202) is left to the job tests."""
    from reef.analyses.registry import discover

    api = Api(client)
    only = api.doc["components"]["schemas"]["AnalyzeIn"]["properties"]["only"]
    items = next(s for s in only["anyOf"] if s.get("type") == "array")["items"]
    assert items["enum"] == sorted(discover()) and {"ladder", "risks", "kb_qa"} <= set(items["enum"])
    assert "x-reef-enum" not in only and "enum" not in only  # on the items, not on the list
    r = client.post("/api/v1/jobs/analyze", json={"only": [WORD]}, headers={"X-CSRF-Token": api.csrf})
    assert r.status_code == 422 and _refusal(r, "only"), r.text
