"""What each parameter of the HTTP API takes, as its OpenAPI document says (:mod:`reef.server.openapi_doc`).

Each is documented from the constant the server checks it with, never a copy:

* a choice (a download's ``format``, an action's ``kind``, a view's ``sort`` ...): an ``enum`` of the values the route
  gave ``guarded(..., choices=...)`` (:func:`reef.server.deps.guarded`); ``lang`` everywhere from
  :data:`reef.i18n.LANGUAGES`, a webhook's ``platform`` from :data:`reef.risks.robots.PLATFORMS`;
* a table view's filter by its column's type (:func:`reef.params.filter_schema`: a boolean column's filter is a
  boolean, an integer column's an integer), or the view's ``choices``;
* ``as_of`` (query or body): :data:`reef.store.asof.AS_OF_PATTERN`, what is read in words, and an example the route
  takes: the data's last day, or for the risk report (``x-reef-as-of: risk_run``) the radar's last run, the only
  moment it reads; ``since`` and ``until``: :data:`reef.params.DAY_PATTERN`;
* ``page`` and ``per_page``: their bounds (:func:`reef.params.check_paging`); any other integer parameter the bounds
  the route gave ``guarded(..., bounds=...)`` as the constants it or the library checks with (``window``, ``weeks``,
  ``top``, a path's ``job_id``), which :func:`reef.server.deps.bounded_ints` holds it to before the route runs;
* a body's field: what its model declares with ``x-reef-enum``, ``x-reef-pattern`` or ``x-reef-bounds`` (the
  constants the library validates with; a bound may name a setting, read from the app's config when the document is
  built: a seed plan's ``k`` up to ``network.seed_max_k``).

The examples and the filters' types follow the store (its data's end, its tables), so the document is rebuilt when
the store changed. tests/server/test_openapi_params.py requests every enum value, a value outside each, and every
example.

Example:
    >>> op = {"x-reef-choices": {"format": ["html", "md"]}, "parameters": [
    ...     {"name": "format", "in": "query", "schema": {"type": "string", "default": "html", "title": "Format"}}]}
    >>> document_parameters(op, {"max_per_page": 500, "views": {}, "as_of": {"data": "2026-06-30"}})
    >>> op["parameters"][0]["schema"]
    {'type': 'string', 'default': 'html', 'enum': ['html', 'md']}
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

__all__ = ["parameter_facts", "document_parameters", "document_bodies", "as_of_schema"]


def parameter_facts(store, *, max_per_page: int, config=None) -> dict[str, Any]:
    """What the parameters' documentation reads from ``store``: each view's column types (``views``) and the as-of
    examples (``as_of``: ``data``, the data's last day in general.timezone, or the first of AS_OF_EXAMPLES for an empty
    store; ``risk_run``, once the radar ran, the moment of its last run); ``config`` (the app's, else the store's) for
    the bounds that are settings."""
    from zoneinfo import ZoneInfo

    from reef.actions import VIEWS
    from reef.actions.views import filter_types
    from reef.analyses.runner import data_end
    from reef.report.risk_download import risk_report_as_of
    from reef.store.asof import AS_OF_EXAMPLES, local_iso

    zone = str(store.config.get("general.timezone"))
    end, run = data_end(store), risk_report_as_of(store)
    examples = {"data": (end - timedelta(seconds=1)).astimezone(ZoneInfo(zone)).date().isoformat() if end else AS_OF_EXAMPLES[0]}
    if run is not None:
        examples["risk_run"] = local_iso(run, zone)
    return {"max_per_page": max_per_page, "views": {name: filter_types(store, view) for name, view in VIEWS.items()},
            "as_of": examples, "config": config or store.config}


def as_of_schema(example: str, *, risk_run: bool = False, default: bool = True) -> dict[str, Any]:
    """``schema``, ``description`` and ``example`` of an as-of (what :func:`reef.store.asof.as_of_timestamp` reads);
    ``default``: the description ends with what leaving it out means."""
    from reef.store.asof import AS_OF_EXAMPLES, AS_OF_PATTERN, AS_OF_YEARS

    words = (f"A date ({AS_OF_EXAMPLES[0]}) or a date and time ({AS_OF_EXAMPLES[1]}; T or a space between, seconds "
             "and up to six decimals optional, Z for UTC, no offset: general.timezone), in the years "
             f"{AS_OF_YEARS[0]} to {AS_OF_YEARS[1]}, at most general.as_of_max_days_past_data days after the data's "
             "last event.")
    if risk_run:
        words += " Only the moment of the radar's last run (risk_scores.as_of; the example): leave it out for that run."
    elif default:
        words += " Leave it out for the end of the data."
    return {"schema": {"type": "string", "pattern": AS_OF_PATTERN}, "description": words, "example": example}


def _day_schema() -> dict[str, Any]:
    from reef.params import DAY_EXAMPLE, DAY_PATTERN

    return {"schema": {"type": "string", "pattern": DAY_PATTERN}, "example": DAY_EXAMPLE,
            "description": f"A date ({DAY_EXAMPLE}); of a timestamp only its date counts."}


def _choice(schema: dict[str, Any], values) -> dict[str, Any]:
    """A string parameter taking one of ``values`` (its default kept, FastAPI's ``anyOf`` with null dropped: a
    parameter left out is no value)."""
    return {"type": "string", **({"default": schema["default"]} if "default" in schema else {}), "enum": list(values)}


def document_parameters(op: dict[str, Any], facts: dict[str, Any]) -> None:
    """Document the query and path parameters of operation ``op`` in place; the ``x-reef-*`` keys the routes set for
    it are removed."""
    from reef.i18n import LANGUAGES
    from reef.params import MAX_PAGE, filter_schema

    choices, bounds = op.pop("x-reef-choices", {}), op.pop("x-reef-bounds", {})
    types = facts["views"].get(op.pop("x-reef-view", None), {})
    risk_run = op.pop("x-reef-as-of", None) == "risk_run"
    for param in op.get("parameters", ()):
        if param.get("in") not in ("query", "path"):
            continue
        name, schema = param["name"], param.get("schema", {})
        if name in choices:
            param["schema"] = _choice(schema, choices[name])
        elif name == "lang":
            param["schema"] = _choice(schema, LANGUAGES)
        elif name in bounds:
            kept = {k: schema[k] for k in ("default",) if k in schema}
            param["schema"] = {"type": "integer", "minimum": bounds[name][0], "maximum": bounds[name][1], **kept}
        elif name in ("page", "per_page") and param["in"] == "query":
            top = MAX_PAGE if name == "page" else facts["max_per_page"]
            param["schema"] = {"type": "integer", "minimum": 1, "maximum": top, **({"default": 1} if name == "page" else {})}
        elif name == "as_of":
            example = facts["as_of"].get("risk_run" if risk_run else "data") or facts["as_of"]["data"]
            param.update(as_of_schema(example, risk_run=risk_run))
        elif name in ("since", "until"):
            param.update(_day_schema())
        elif name in types and "enum" not in schema:  # a view's filter: what its column holds
            param["schema"] = filter_schema(types[name])
        if "example" in param.get("schema", {}):  # a date column's filter: the example goes with the parameter
            param["example"] = param["schema"].pop("example")


def _string_branch(prop: dict[str, Any], kind: str = "string") -> dict[str, Any]:
    """The schema of ``prop`` that holds its text (or ``kind``; an optional field's is inside ``anyOf``, beside null)."""
    return next((s for s in prop.get("anyOf", ()) if s.get("type") == kind), prop)


def _declared(prop: dict[str, Any], config) -> None:
    """A body field's ``x-reef-*`` declarations (the model's ``json_schema_extra``) as JSON Schema, on the branch that
    holds the value, so null stays allowed beside it; a bound that names a setting is read from ``config``."""
    if "x-reef-enum" in prop:  # a list's choices (an analyze job's only) go on its items
        array = next((s for s in prop.get("anyOf", [prop]) if s.get("type") == "array"), None)
        (array["items"] if array else _string_branch(prop))["enum"] = list(prop.pop("x-reef-enum"))
    if "x-reef-pattern" in prop:
        _string_branch(prop)["pattern"] = prop.pop("x-reef-pattern")
    if "x-reef-bounds" in prop:
        values = [int(config.get(b)) if isinstance(b, str) and config is not None else b for b in prop.pop("x-reef-bounds")]
        branch = _string_branch(prop, "integer")
        branch.update({k: v for k, v in zip(("minimum", "maximum"), values) if isinstance(v, int)})


def document_bodies(schemas: dict[str, Any], facts: dict[str, Any]) -> None:
    """Document the request bodies' fields that take what a parameter of the same name takes: ``lang``, ``platform``
    (enums) and ``as_of`` (pattern, words, example), and what the models declare (:func:`_declared`)."""
    from reef.i18n import LANGUAGES
    from reef.risks.robots import PLATFORMS

    for schema in schemas.values():
        for name, prop in schema.get("properties", {}).items():
            _declared(prop, facts.get("config"))
            if name in ("lang", "platform"):
                _string_branch(prop)["enum"] = list(LANGUAGES if name == "lang" else PLATFORMS)
            elif name == "as_of":
                said = prop.get("description")  # what the field is for (and its default), then what it takes
                doc = as_of_schema(facts["as_of"]["data"], default=not said)
                _string_branch(prop)["pattern"] = doc["schema"]["pattern"]
                prop.update(description=f"{said}. {doc['description']}" if said else doc["description"],
                            examples=[doc["example"]])
