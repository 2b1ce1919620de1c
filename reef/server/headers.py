"""Response headers of the HTTP API: answers that carry data are never stored by a browser or proxy, and browsers on
the origins of ``server.cors_origins`` may call the API (Starlette's own ``CORSMiddleware``; none by default).

* **No caching** (:func:`no_store_wanted`, applied by :class:`ResponseHeaders`): every answer under ``/api/``, every JSON answer elsewhere (the one error shape,
  ``/health``), every download (``Content-Disposition``) and every error (status 400 or more, Starlette's own plain
  ``413 Content Too Large`` included) gets ``Cache-Control: no-store``: they hold member data,
  masked or not for the one who asked, and a shared cache or the browser's disk must keep none of it. A route that
  sets its own ``Cache-Control`` keeps it; the static assets (no data) are not changed (the vendored chart script
  keeps its ``public, max-age=86400``).
  The dashboard's HTML pages are not changed here.
* **CORS** (:func:`cors_options`): with ``server.cors_origins`` empty (the default) no CORS header is sent, so a
  browser lets no other origin read an answer. Listed origins (``https://bi.example.com``; ``"*"`` for any) may call
  the API with an API token (``Authorization: Bearer``); cookies are not allowed across origins
  (``allow_credentials`` off), so a logged-in operator's session is never used by another site.
* **Browser hardening** (:func:`security_headers`, applied by :class:`ResponseHeaders`): every answer says ``X-Content-Type-Options: nosniff`` (a download
  or a JSON answer holding member text is never sniffed into HTML) and ``Referrer-Policy: same-origin`` (a member or
  post id in a dashboard address never leaves in a ``Referer``); a dashboard page (HTML, not a download) also carries
  :data:`PAGE_CSP` and ``X-Frame-Options: DENY``: no other site may frame it (clickjacking the operator's buttons),
  and only Reef's own scripts run (no inline script exists, so an injected ``<script>`` would not run either).
* **The generic 500** leaves from Starlette's outermost ``ServerErrorMiddleware``, outside these middlewares:
  :func:`harden` gives it the same headers (``reef.server.errors``), the CORS ones too (:func:`cors_headers`), so a
  page on a listed origin can read the error.

Example:
    >>> no_store_wanted("/api/v1/status", {})
    True
    >>> no_store_wanted("/members/m1", {b"content-type": b"text/html; charset=utf-8"})
    False
    >>> no_store_wanted("/api/v1/reports/3", {b"cache-control": b"private"})
    False
    >>> no_store_wanted("/login", {b"content-type": b"text/plain; charset=utf-8"}, 413)
    True
    >>> cors_options(["https://bi.example.com"])["allow_origins"]
    ['https://bi.example.com']
    >>> cors_options([]) is None
    True
    >>> cors_headers("https://bi.example.com", ["https://bi.example.com"])["Access-Control-Allow-Origin"]
    'https://bi.example.com'
    >>> "Access-Control-Allow-Origin" in cors_headers("https://evil.example", ["https://bi.example.com"])
    False
    >>> [k.decode() for k, _ in security_headers({b"content-type": b"text/html; charset=utf-8"})]
    ['x-content-type-options', 'referrer-policy', 'content-security-policy', 'x-frame-options']
"""
from __future__ import annotations

from typing import Any

__all__ = ["NO_STORE", "CORS_METHODS", "CORS_HEADERS", "no_store_wanted", "cors_options", "install_headers",
           "PAGE_CSP", "ResponseHeaders", "added_headers", "security_headers", "harden", "cors_headers"]

NO_STORE = "no-store"
# What a page of another origin may send: the API's methods, its token, JSON bodies and (sessions) the CSRF header.
CORS_METHODS = ["GET", "POST", "PATCH", "OPTIONS"]
CORS_HEADERS = ["Authorization", "Content-Type", "X-CSRF-Token", "Accept-Language"]
_EXPOSED = ["Content-Disposition"]  # a download's file name, readable by the calling page
# The dashboard's pages load only their own scripts (reef.js, the vendored plotly.js) and call only their own origin;
# styles may be inline (plotly.js adds <style> rules; one template sets a style attribute).
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def no_store_wanted(path: str, headers: dict[bytes, bytes], status: int = 200) -> bool:
    """Whether an answer on ``path`` with these (lower-case) response headers and ``status`` gets ``Cache-Control:
    no-store``: under ``/api/``, JSON, a download or an error, unless it names its own ``Cache-Control``."""
    if b"cache-control" in headers:
        return False
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return path.startswith("/api/") or kind == b"application/json" or b"content-disposition" in headers or status >= 400


def security_headers(headers: dict[bytes, bytes]) -> list[tuple[bytes, bytes]]:
    """The hardening headers an answer with these (lower-case) response headers lacks: ``nosniff`` and the referrer
    policy on every answer, the CSP and frame refusal on an HTML page that is not a download."""
    add = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if kind == b"text/html" and b"content-disposition" not in headers:
        add += [(b"content-security-policy", PAGE_CSP.encode()), (b"x-frame-options", b"DENY")]
    return [(k, v) for k, v in add if k not in headers]


def added_headers(path: str, headers: dict[bytes, bytes], status: int = 200) -> list[tuple[bytes, bytes]]:
    """Every header an answer on ``path`` with these (lower-case) response headers and ``status`` lacks:
    ``no-store`` where :func:`no_store_wanted` says so, then :func:`security_headers`."""
    add = [(b"cache-control", NO_STORE.encode())] if no_store_wanted(path, headers, status) else []
    return add + security_headers(headers)


class ResponseHeaders:
    """ASGI middleware: adds :func:`added_headers` to every HTTP answer (errors and static files included)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path") or ""

        async def sending(message):
            if message["type"] == "http.response.start":
                raw = list(message.get("headers") or [])
                extra = added_headers(path, {k.lower(): v for k, v in raw}, int(message.get("status", 200)))
                message = {**message, "headers": raw + extra}
            await send(message)

        await self.app(scope, receive, sending)


def harden(response, path: str, origin: str | None = None, origins: list[str] | None = None):
    """``response`` (a Starlette response made outside the middlewares: the generic 500) with the headers
    :class:`ResponseHeaders` would have added on ``path`` and the CORS ones for a request from ``origin`` under
    ``server.cors_origins`` (``origins``, :func:`cors_headers`); returned for chaining."""
    for key, value in added_headers(path, {k.lower(): v for k, v in response.raw_headers}, response.status_code):
        response.headers[key.decode()] = value.decode()
    response.headers.update(cors_headers(origin, origins))
    return response


def cors_headers(origin: str | None, origins: list[str] | None) -> dict[str, str]:
    """The CORS headers Starlette's ``CORSMiddleware`` (:func:`cors_options`) gives a simple (not preflight) answer to
    a request from ``origin``: none without ``server.cors_origins`` or an ``Origin``; the allowed origin (``*`` when
    any is) only to a listed one."""
    options = cors_options(origins)
    if options is None or origin is None:
        return {}
    out = {"Access-Control-Expose-Headers": ", ".join(options["expose_headers"]), "Vary": "Origin"}
    if "*" in options["allow_origins"] or origin in options["allow_origins"]:
        out["Access-Control-Allow-Origin"] = "*" if "*" in options["allow_origins"] else origin
    return out


def cors_options(origins: list[str] | None) -> dict[str, Any] | None:
    """The keyword arguments of Starlette's ``CORSMiddleware`` for ``server.cors_origins``, or None (empty: no CORS)."""
    origins = [str(o).strip() for o in origins or [] if str(o).strip()]
    if not origins:
        return None
    return {"allow_origins": origins, "allow_methods": CORS_METHODS, "allow_headers": CORS_HEADERS,
            "allow_credentials": False, "expose_headers": _EXPOSED, "max_age": 600}


def install_headers(app, config) -> None:
    """Add :class:`ResponseHeaders` and, when ``server.cors_origins`` names any, ``CORSMiddleware`` (outermost, so a
    preflight is answered before anything else and every answer, errors included, carries the CORS headers)."""
    from starlette.middleware.cors import CORSMiddleware

    app.add_middleware(ResponseHeaders)
    options = cors_options(config.get("server.cors_origins"))
    if options is not None:
        app.add_middleware(CORSMiddleware, **options)
