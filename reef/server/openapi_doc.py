"""The OpenAPI document as the server really answers: FastAPI's, corrected where it guesses wrong.

FastAPI documents a 422 as its own ``{"detail": [...]}`` and nothing else that can go wrong, and every answer as JSON.
Reef sends every error in one shape (:class:`reef.server.schemas.ErrorOut`, :mod:`reef.server.errors`), so each
operation's 422 and its ``default`` response (401 not logged in, 403 role or CSRF, 404, 413, 429, 500 ...) are that
shape; a download (``guarded(..., media=...)``) documents the file types it sends; ``page``, ``per_page`` and ``lang``
carry the bounds the server checks. A schema-driven fuzz (tests/server/test_api_fuzz.py) holds the server to it.

Example:
    >>> doc = {"paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {}}}}},
    ...        "x-reef-media": ["text/csv"], "parameters": [{"name": "lang", "in": "query", "schema": {}}]}}},
    ...        "components": {"schemas": {}}}
    >>> op = corrected(doc, max_per_page=500)["paths"]["/x"]["get"]
    >>> list(op["responses"]["200"]["content"]), op["parameters"][0]["schema"]["enum"], sorted(op["responses"])
    (['text/csv'], ['zh', 'en'], ['200', 'default'])
"""
from __future__ import annotations

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


def _bounded(param: dict[str, Any], max_per_page: int) -> None:
    """The bounds the server checks on the parameters every paged or translated route reads (reef.params)."""
    from reef.params import MAX_PAGE

    if param.get("in") != "query":
        return
    name = param.get("name")
    if name == "lang":
        param["schema"] = {"type": "string", "enum": ["zh", "en"]}
    elif name in ("page", "per_page"):
        top = MAX_PAGE if name == "page" else max_per_page
        param["schema"] = {"type": "integer", "minimum": 1, "maximum": top,
                           **({"default": 1} if name == "page" else {})}


def corrected(doc: dict[str, Any], *, max_per_page: int) -> dict[str, Any]:
    """``doc`` (FastAPI's OpenAPI document) corrected in place as the module says; returned."""
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
            for param in op.get("parameters", ()):
                _bounded(param, max_per_page)
    return doc


def install_openapi(app) -> None:
    """Make ``app.openapi()`` return the corrected document (built once, like FastAPI's)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if not getattr(app.state, "openapi_doc", None):
            app.state.openapi_doc = corrected(plain(), max_per_page=int(app.state.config.get("server.max_page_size")))
        return app.state.openapi_doc

    app.openapi = openapi
