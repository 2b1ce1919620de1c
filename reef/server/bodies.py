"""ASGI middleware that checks a request's body before any route reads it: its size, and that text bodies (JSON,
forms) are UTF-8. Both answer through :func:`reef.server.errors.error_response` (the JSON error shape, or the error
page for a browser), so an upload form that is too large shows the page in the operator's language.

Two size limits: an upload (``multipart/form-data``) may reach ``server.max_upload_mb``; any other body (JSON, a
form, anything else) ``server.max_body_bytes``, so an anonymous ``POST /api/v1/login`` cannot make the server read
and parse hundreds of megabytes. A declared length over the limit is refused before any byte is read
(:class:`UploadLimit`); a streamed (chunked) body is counted as it arrives and cut off at the limit
(:class:`BodyLimit`).

Example:
    >>> scope = {"type": "http", "headers": [(b"content-type", b"application/json")]}
    >>> is_upload(scope), too_big(2 << 20, 1 << 20).code
    (False, 'body_too_large')
"""
from __future__ import annotations

from fastapi import Request

from reef.errors import InvalidParameterError
from reef.i18n import plural
from reef.server.deps import SAFE_METHODS

__all__ = ["UploadLimit", "BodyLimit", "Utf8Body", "BodyTooLargeError", "body_limit", "is_upload", "too_big"]


class BodyTooLargeError(InvalidParameterError):
    """A request body that is not an upload is over ``server.max_body_bytes``."""

    http_status = 413
    code = "body_too_large"


def body_limit(config) -> int:
    """``server.max_body_bytes``: the largest body of a request that is not an upload."""
    return int(config.get("server.max_body_bytes"))


def is_upload(scope) -> bool:
    """The request carries files (``multipart/form-data``): the upload limit applies, not the body limit."""
    ctype = dict(scope.get("headers") or []).get(b"content-type", b"").decode("latin-1")
    return ctype.split(";")[0].strip().lower() == "multipart/form-data"


def too_big(limit: int, size: int | None = None) -> BodyTooLargeError:
    """The error of a body over ``limit`` bytes (``size`` when declared; a streamed one is cut off at the limit)."""
    return BodyTooLargeError("body", plural(size, "byte") if size is not None else "more than " + plural(limit, "byte"),
                             "at most " + plural(limit, "byte"), hint="Raise server.max_body_bytes; files go to the upload routes.")


def _limits(scope, uploads: int, bodies: int) -> tuple[int, bool]:
    return (uploads, True) if is_upload(scope) else (bodies, False)


class UploadLimit:
    """ASGI middleware: a body whose declared length is over its limit (an upload's ``server.max_upload_mb``, any
    other's ``server.max_body_bytes``) gets 413 before any of it is read (FastAPI reads ``File``/``Form`` parameters
    before running dependencies, so a check there comes too late, and anyone could send one, logged in or not)."""

    def __init__(self, app, limit: int, body: int | None = None):
        self.app, self.limit, self.body = app, limit, limit if body is None else body

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            headers = dict(scope.get("headers") or [])
            declared = headers.get(b"content-length", b"").decode("latin-1")
            limit, upload = _limits(scope, self.limit, self.body)
            if declared.isdigit() and int(declared) > limit:
                from reef.server.errors import error_response
                from reef.server.tasks import too_large

                exc = too_large(limit, f"{int(declared) / (1 << 20):.1f} MB") if upload else too_big(limit, int(declared))
                response = error_response(Request(scope), exc)
                response.headers["connection"] = "close"
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)


class BodyLimit:
    """ASGI middleware: a body streamed without a declared length (chunked) is counted as it arrives and cut off at
    its limit (Starlette's counter, which raises a 413 the error handlers word as ``upload_too_large`` or
    ``body_too_large``), before the form parser spools it to disk or the JSON parser holds it, logged in or not."""

    def __init__(self, app, limit: int, body: int | None = None):
        self.app, self.limit, self.body = app, limit, limit if body is None else body

    async def __call__(self, scope, receive, send):
        from starlette.middleware.body_limit import RequestBodyLimitMiddleware

        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit, _ = _limits(scope, self.limit, self.body)
        return await RequestBodyLimitMiddleware(self.app, max_body_size=limit)(scope, receive, send)


_TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")


def _is_utf8(body: bytes, form: bool) -> bool:
    from urllib.parse import parse_qsl

    try:
        text = body.decode("utf-8")
        if form:  # the %XX escapes of a form must decode to UTF-8 too
            parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


class Utf8Body:
    """ASGI middleware: a JSON or form body that is not UTF-8 (raw, or once a form's %XX escapes are decoded) is
    refused with 422 ``invalid_parameter`` naming ``body`` before a route reads it. Without it the JSON parser
    answers 400 and the form parser turns the bytes into other characters in silence. Uploads (multipart)
    carry files of any encoding and pass; their import detects it. ``limit`` is the body limit
    (``server.max_body_bytes``): the body is read here, so it is counted here too."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            return await self.app(scope, receive, send)
        ctype = dict(scope.get("headers") or []).get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        form = ctype == "application/x-www-form-urlencoded"
        if not (form or ctype in _TEXT_BODIES or ctype.endswith("+json")):
            return await self.app(scope, receive, send)
        from reef.server.errors import body_error, error_response
        from starlette.exceptions import HTTPException as StarletteHTTPException

        chunks, size, more = [], 0, True
        while more:
            try:
                message = await receive()  # the body limit (BodyLimit) stops a streamed body here
            except StarletteHTTPException as exc:
                if exc.status_code != 413:
                    raise
                return await error_response(Request(scope), too_big(self.limit))(scope, receive, send)
            if message["type"] != "http.request":  # the client left before sending its body
                return
            chunks.append(message.get("body", b""))
            size, more = size + len(chunks[-1]), message.get("more_body", False)
            if size > self.limit:  # a body without a declared length is bounded too
                return await error_response(Request(scope), too_big(self.limit))(scope, receive, send)
        body = b"".join(chunks)
        if not _is_utf8(body, form):
            return await error_response(Request(scope), body_error("(not UTF-8)"))(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)
