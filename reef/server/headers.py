"""Response headers of the HTTP API: answers that carry data are never stored by a browser or proxy, and browsers on
the origins of ``server.cors_origins`` may call the API (Starlette's own ``CORSMiddleware``; none by default).

* **No caching** (:class:`NoStore`): every answer under ``/api/``, every JSON answer elsewhere (the one error shape,
  ``/health``) and every download (``Content-Disposition``) gets ``Cache-Control: no-store``: they hold member data,
  masked or not for the one who asked, and a shared cache or the browser's disk must keep none of it. A route that
  sets its own ``Cache-Control`` keeps it; the static assets (no data) are not changed (the vendored chart script
  keeps its ``public, max-age=86400``).
  The dashboard's HTML pages are not changed here.
* **CORS** (:func:`cors_options`): with ``server.cors_origins`` empty (the default) no CORS header is sent, so a
  browser lets no other origin read an answer. Listed origins (``https://bi.example.com``; ``"*"`` for any) may call
  the API with an API token (``Authorization: Bearer``); cookies are not allowed across origins
  (``allow_credentials`` off), so a logged-in operator's session is never used by another site.

Example:
    >>> no_store_wanted("/api/v1/status", {})
    True
    >>> no_store_wanted("/members/m1", {b"content-type": b"text/html; charset=utf-8"})
    False
    >>> no_store_wanted("/api/v1/reports/3", {b"cache-control": b"private"})
    False
    >>> cors_options(["https://bi.example.com"])["allow_origins"]
    ['https://bi.example.com']
    >>> cors_options([]) is None
    True
"""
from __future__ import annotations

from typing import Any

__all__ = ["NO_STORE", "CORS_METHODS", "CORS_HEADERS", "NoStore", "no_store_wanted", "cors_options", "install_headers"]

NO_STORE = "no-store"
# What a page of another origin may send: the API's methods, its token, JSON bodies and (sessions) the CSRF header.
CORS_METHODS = ["GET", "POST", "PATCH", "OPTIONS"]
CORS_HEADERS = ["Authorization", "Content-Type", "X-CSRF-Token", "Accept-Language"]
_EXPOSED = ["Content-Disposition"]  # a download's file name, readable by the calling page


def no_store_wanted(path: str, headers: dict[bytes, bytes]) -> bool:
    """Whether an answer on ``path`` with these (lower-case) response headers gets ``Cache-Control: no-store``: under
    ``/api/``, JSON or a download, unless it names its own ``Cache-Control``."""
    if b"cache-control" in headers:
        return False
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return path.startswith("/api/") or kind == b"application/json" or b"content-disposition" in headers


class NoStore:
    """ASGI middleware: ``Cache-Control: no-store`` on the answers :func:`no_store_wanted` names."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path") or ""

        async def sending(message):
            if message["type"] == "http.response.start":
                raw = list(message.get("headers") or [])
                if no_store_wanted(path, {k.lower(): v for k, v in raw}):
                    message = {**message, "headers": raw + [(b"cache-control", NO_STORE.encode())]}
            await send(message)

        await self.app(scope, receive, sending)


def cors_options(origins: list[str] | None) -> dict[str, Any] | None:
    """The keyword arguments of Starlette's ``CORSMiddleware`` for ``server.cors_origins``, or None (empty: no CORS)."""
    origins = [str(o).strip() for o in origins or [] if str(o).strip()]
    if not origins:
        return None
    return {"allow_origins": origins, "allow_methods": CORS_METHODS, "allow_headers": CORS_HEADERS,
            "allow_credentials": False, "expose_headers": _EXPOSED, "max_age": 600}


def install_headers(app, config) -> None:
    """Add :class:`NoStore` and, when ``server.cors_origins`` names any, ``CORSMiddleware`` (outermost, so a
    preflight is answered before anything else and every answer, errors included, carries the CORS headers)."""
    from starlette.middleware.cors import CORSMiddleware

    app.add_middleware(NoStore)
    options = cors_options(config.get("server.cors_origins"))
    if options is not None:
        app.add_middleware(CORSMiddleware, **options)
