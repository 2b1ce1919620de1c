"""The OpenAPI document as the server really answers: FastAPI's, corrected where it guesses wrong.

FastAPI documents a 422 as its own ``{"detail": [...]}`` and nothing else that can go wrong, and every answer as JSON.
Reef sends every error in one shape (:class:`reef.server.schemas.ErrorOut`, :mod:`reef.server.errors`), so each
operation's 422 and its ``default`` response (401 not logged in, 403 role or CSRF, 404, 413, 429, 500 ...) are that
shape; a download (``guarded(..., media=...)``) documents the file types it sends; every parameter says what it takes
(:mod:`reef.server.openapi_params`: enums, date patterns with examples, integer bounds; the bodies' fields too). A schema-driven fuzz
(tests/server/test_api_fuzz.py) holds the server to it, and tests/server/test_openapi_params.py each parameter.

Example:
    >>> doc = {"paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {}}}}},
    ...        "x-reef-media": ["text/csv"], "parameters": [{"name": "lang", "in": "query", "schema": {}}]}}},
    ...        "components": {"schemas": {}}}
    >>> op = corrected(doc, max_per_page=500)["paths"]["/x"]["get"]
    >>> list(op["responses"]["200"]["content"]), op["parameters"][0]["schema"]["enum"], sorted(op["responses"])
    (['text/csv'], ['zh', 'en'], ['200', 'default'])
"""
from __future__ import annotations

import copy
from typing import Any

__all__ = ["corrected", "install_openapi", "ERROR_REF"]

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_ERRORS = ("Any other error, in the one error shape: 400 unreadable body, 401 not logged in (not_authenticated), "
           "403 role or CSRF token (permission_denied, csrf), 404 not_found, 413 body too large, 429 too many "
           "logins, 500 a bug (details in the server log only), 503 store busy.")


def _error_schemas() -> dict[str, Any]:
    from reef.server.schemas import ErrorOut

    schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    return {**schema.pop("$defs", {}), "ErrorOut": schema}


def corrected(doc: dict[str, Any], *, max_per_page: int, facts: dict[str, Any] | None = None) -> dict[str, Any]:
    """``doc`` (FastAPI's OpenAPI document) corrected in place as the module says; returned. ``facts``: what the
    parameters' documentation reads from the store (:func:`reef.server.openapi_params.parameter_facts`; without it,
    no view filter's type and the as-of examples of :data:`reef.store.asof.AS_OF_EXAMPLES`)."""
    from reef.server.openapi_params import document_bodies, document_parameters
    from reef.store.asof import AS_OF_EXAMPLES

    facts = facts or {"max_per_page": max_per_page, "views": {}, "as_of": {"data": AS_OF_EXAMPLES[0]}}
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422 body: Reef never sends it
        schemas.pop(name, None)
    schemas.update(_error_schemas())
    error = {"content": {"application/json": {"schema": ERROR_REF}}}
    for operations in doc.get("paths", {}).values():
        for op in operations.values():
            responses = op.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "Invalid parameter or body (invalid_parameter; where.field names it)",
                                    **error}
            responses["default"] = {"description": _ERRORS, **error}
            media = op.pop("x-reef-media", None)
            if media:  # a download: the file's types, never JSON
                ok = next(code for code in responses if code.startswith("2"))
                responses[ok]["content"] = {m: {"schema": {"type": "string", "format": "binary"}} for m in media}
            document_parameters(op, facts)
    document_bodies(schemas, facts)
    return doc


def install_openapi(app) -> None:
    """Make ``app.openapi()`` return the corrected document, built again once the store changed (a write bumps the read
    cache's generation): its examples and filter types follow the store (:mod:`reef.server.openapi_params`)."""
    from reef.server.openapi_params import parameter_facts

    plain = app.openapi  # FastAPI's, built once: each build corrects a copy

    def openapi() -> dict[str, Any]:
        generation = app.state.read_cache.generation
        held = getattr(app.state, "openapi_doc", None)
        if held is None or held[0] != generation:
            top = int(app.state.config.get("server.max_page_size"))
            handle = app.state.pool.acquire()
            try:
                facts = parameter_facts(handle, max_per_page=top, config=app.state.config)
            finally:
                app.state.pool.release(handle)
            app.state.openapi_doc = held = (generation, corrected(copy.deepcopy(plain()), max_per_page=top, facts=facts))
        return held[1]

    app.openapi = openapi
