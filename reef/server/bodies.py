"""ASGI middleware that checks a request's body before any route reads it: its declared size, and that text bodies
(JSON, forms) are UTF-8. Both answer through :func:`reef.server.errors.error_response` (the JSON error shape, or
the error page for a browser), so an upload form that is too large shows the page in the operator's language.
"""
from __future__ import annotations

from fastapi import Request

from reef.server.deps import SAFE_METHODS

__all__ = ["UploadLimit", "Utf8Body"]


class UploadLimit:
    """ASGI middleware: a form or upload whose declared length is over ``server.max_upload_mb`` gets 413
    before any of its body is read (FastAPI reads ``File``/``Form`` parameters before running dependencies,
    so a check there comes too late, and anyone could send one, logged in or not)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            headers = dict(scope.get("headers") or [])
            declared = headers.get(b"content-length", b"").decode("latin-1")
            if declared.isdigit():
                from reef.server.tasks import UploadTooLargeError, check_upload_size
                try:
                    check_upload_size(int(declared), self.limit)
                except UploadTooLargeError as exc:
                    from reef.server.errors import error_response
                    response = error_response(Request(scope), exc)
                    response.headers["connection"] = "close"
                    return await response(scope, receive, send)
        return await self.app(scope, receive, send)


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
    carry files of any encoding and pass; their import detects it."""

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

        from reef.server.tasks import UploadTooLargeError, check_upload_size, too_large

        chunks, size, more = [], 0, True
        while more:
            try:
                message = await receive()  # the body limit (reef.server.app) stops a streamed body here
            except StarletteHTTPException as exc:
                if exc.status_code != 413:
                    raise
                return await error_response(Request(scope), too_large(self.limit))(scope, receive, send)
            if message["type"] != "http.request":  # the client left before sending its body
                return
            chunks.append(message.get("body", b""))
            size, more = size + len(chunks[-1]), message.get("more_body", False)
            try:
                check_upload_size(size, self.limit)  # a body without a declared length is bounded too
            except UploadTooLargeError as exc:
                return await error_response(Request(scope), exc)(scope, receive, send)
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
