"""How errors leave the server: the one JSON error shape for scripts, an error page in the page's language for people.

JSON: every error is ``{"error": {"code", "message", "where", "hint"}}`` with the error class's ``http_status``
(an ``invalid_parameter`` always names its parameter in ``where.field``) —
Reef's own errors, request validation and unreadable bodies (``invalid_parameter``, 422), unknown routes
(``not_found``, 404), other HTTP errors and bugs (500, details in the server log only).

HTML: a request outside ``/api/`` that accepts ``text/html`` (a browser), and an unknown path under a dashboard
page (``/members/m1/nope``), gets ``error.html`` instead, in the page's language (:func:`reef.server.pages.lang_of`:
``?lang=``, the language cookie, ``general.language``): a summary by error code in Chinese or English, the parameter
at fault, and the error's own (English) message and hint — shown in English, folded away as technical details in
Chinese (where a raiser gave the page's hint in Chinese, ``with_api_hint(page_zh=...)``, it is shown unfolded). Neither
answer names a Python call: the hint is the API's or the page's (:func:`served_error`) where the raiser gave one.
A browser asking for a page without a session is redirected to the login page. ``/api/`` always answers JSON.
"""
from __future__ import annotations

from typing import Any

from reef.errors import InvalidParameterError, NotFoundError, ReefError

__all__ = ["wants_html", "error_response", "install_error_handlers", "body_error", "served_error", "REQUIRED"]

# What a required query parameter or body field left out should have been: "Missing value for 'campaign'. Expected a
# value (it is required)." (reef.errors_zh says it in Chinese), never pydantic's "Field required" after "Expected".
REQUIRED = "a value (it is required)"


def _no_file_chosen(error: dict[str, Any]) -> bool:
    """A file field sent as an empty string, as a browser sends a form with no file chosen: pydantic says "Expected
    UploadFile, received: <class 'str'>", but it is the same as leaving the field out (``Missing value for 'files'``).

    >>> _no_file_chosen({"type": "value_error", "input": "", "msg": "Value error, Expected UploadFile, received: ..."})
    True
    """
    return error.get("input") == "" and "Expected UploadFile" in str(error.get("msg", ""))


def wants_html(request) -> bool:
    """A browser asking for a page (not the API)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _under_pages(path: str) -> bool:
    """``path`` lies under a dashboard page's first segment (``/members/…``, ``/imports/…``, ``/login…``)."""
    from reef.server.pages import PAGES

    first = path.strip("/").split("/", 1)[0]
    return bool(first) and (first in ("login", "logout")
                            or any(p.path.strip("/").split("/", 1)[0] == first for p in PAGES.values()))


def body_error(value: str, detail: str | None = None) -> InvalidParameterError:
    """The error of a request body that cannot be read: ``value`` says how (``(not UTF-8)``, ``(unparsable)``)."""
    return InvalidParameterError("body", value, "a body in UTF-8 that parses as its content type says",
                                 hint=detail or "Send JSON or a form encoded as UTF-8.")


def served_error(exc: ReefError, *, page: bool = False) -> dict[str, Any]:
    """``exc``'s error shape (``{"code", "message", "where", "hint"}``) with the server's hint instead of the library's
    (which may name a Python call such as ``ladder()``; :func:`reef.errors.with_api_hint`): the API's, or with ``page``
    the dashboard page's, else the API's. A background job's error is stored this way too.

    >>> from reef.errors import with_api_hint
    >>> exc = with_api_hint(NotFoundError("No x.", hint="x() lists them."), "GET /api/v1/x lists them.", page="The X page.")
    >>> served_error(exc)["hint"], served_error(exc, page=True)["hint"]
    ('GET /api/v1/x lists them.', 'The X page.')
    """
    error = exc.to_dict()["error"]
    for attr in (("page_hint", "api_hint") if page else ("api_hint",)):
        if getattr(exc, attr, None):
            error["hint"] = getattr(exc, attr)
            break
    return error


def _located(exc: ReefError) -> dict[str, Any]:
    """The JSON error shape, an invalid parameter always named in ``where.field`` (the unknown query parameter itself
    for one nobody reads), so a client finds the field at fault without parsing the message."""
    body = {"error": served_error(exc)}
    if isinstance(exc, InvalidParameterError) and body["error"]["where"] is None:
        field = exc.value if exc.name == "query parameter" else exc.name
        body["error"]["where"] = {"file": None, "line": None, "field": str(field)}
    return body


def error_response(request, exc: ReefError, status: int | None = None, *, html: bool | None = None) -> Any:
    """``exc`` as the JSON error shape, or as the error page when ``html`` (default: :func:`wants_html`)."""
    from fastapi.responses import JSONResponse

    status = status or exc.http_status
    if not (wants_html(request) if html is None else html):
        return JSONResponse(_located(exc), status_code=status)
    from reef.server.pages import lang_of, render
    from reef.web.messages import error_summary

    error = served_error(exc, page=True)
    return render(request, "error.html", {"error": error, "status": status, "param": getattr(exc, "name", None),
                                          "hint_zh": getattr(exc, "page_hint_zh", None),
                                          "summary": error_summary(error["code"], status, lang_of(request))},
                  who=getattr(request.state, "principal", None), status_code=status)


def install_error_handlers(app) -> None:
    """Every way a request can fail answers through :func:`error_response`."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import RedirectResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from reef.actions import AuthenticationError

    @app.exception_handler(ReefError)
    async def reef_error(request: Request, exc: ReefError):
        if isinstance(exc, AuthenticationError) and request.method == "GET" and wants_html(request):
            from urllib.parse import quote
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        return error_response(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        # A bug must still answer in the documented error shape; the traceback goes to the server log.
        import logging
        logging.getLogger("reef.server").error("%s %s failed", request.method, request.url.path, exc_info=exc)
        err = ReefError("Internal error: the request could not be completed.",
                        hint="The server log has the details; please report it with the time of the request.")
        from reef.server.headers import harden  # the 500 leaves outside the header middlewares (reef.server.headers)

        return harden(error_response(request, err, 500), request.url.path, request.headers.get("origin"),
                      request.app.state.config.get("server.cors_origins"))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            return error_response(request, InvalidParameterError(
                "body", "(malformed JSON)", "a JSON object", hint=str((first.get("ctx") or {}).get("error", "")) or None))
        loc = list(first.get("loc", ())[1:])
        if no_file := _no_file_chosen(first):  # the field, not its list item ('files', not 'files.0')
            loc = [p for p in loc if not isinstance(p, int)]
        field = ".".join(str(p) for p in loc) or "request"
        if first.get("type") == "missing" or no_file:  # pydantic's "Field required" is no sentence after "Expected"
            return error_response(request, InvalidParameterError(
                field, None, REQUIRED, hint=f"Add '{field}' to the request and send it again.",
                hint_zh=f"请在请求中加上 '{field}' 后再发送。"))
        return error_response(request, InvalidParameterError(
            field, first.get("input", None) if field != "password" else "***",
            # pydantic says "Input should be a valid integer, ...": the message already says what was given
            str(first.get("msg", "a valid request")).removeprefix("Input should be ")))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:  # an unknown path under a page is a missing page, whatever the client accepts
            path = request.url.path
            return error_response(request, NotFoundError(f"No route {path}."), 404,
                                  html=not path.startswith("/api/") and (wants_html(request) or _under_pages(path)))
        if exc.status_code == 413:  # a body streamed past its limit (reef.server.bodies.BodyLimit)
            from reef.server.bodies import body_limit, is_upload, too_big
            from reef.server.tasks import too_large, upload_limit
            cfg = request.app.state.config
            return error_response(request, too_large(upload_limit(cfg)) if is_upload(request.scope) else too_big(body_limit(cfg)))
        if exc.status_code == 400:  # the framework could not parse the body (undecodable JSON, a broken multipart)
            return error_response(request, body_error("(unparsable)", str(exc.detail)))
        return error_response(request, ReefError(str(exc.detail)), exc.status_code)
