"""The FastAPI application behind ``reef serve``: wiring only (routers, errors, static files).

Every error leaves as the one JSON shape of :meth:`ReefError.to_dict` with the class's
``http_status`` — including validation errors and unknown routes. Browsers asking for a page
without a session are redirected to the login page instead. The OpenAPI document is served at
``/api/v1/openapi.json`` to logged-in users only (no CDN-hosted explorer: the tool works offline).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reef.config import Config
from reef.errors import InvalidParameterError, NotFoundError, ReefError
from reef.store import open_store

__all__ = ["create_app"]


def _error(exc: ReefError, status: int | None = None):
    from fastapi.responses import JSONResponse
    return JSONResponse(exc.to_dict(), status_code=status or exc.http_status)


def _wants_html(request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def create_app(db: str | os.PathLike, *, config: Config | None = None, store=None) -> Any:
    """A ready app over the store at ``db`` (opened read-write; migrations add the user tables)."""
    try:
        from fastapi import FastAPI, Request
        from fastapi.exceptions import RequestValidationError
        from fastapi.responses import RedirectResponse
        from starlette.exceptions import HTTPException as StarletteHTTPException
    except ImportError as exc:
        from reef.errors import MissingDependencyError
        raise MissingDependencyError(getattr(exc, "name", "fastapi") or "fastapi", "server") from None
    from reef import __version__
    from reef.actions import AuthenticationError, LoginLimiter
    from reef.analyses import discover
    from reef.server.auth import build_auth_router
    from reef.server.cache import InvalidateOnWrite, ReadCache, TTLCache
    from reef.server.deps import StorePool, UploadLimit, guarded
    from reef.server.tasks import upload_limit
    from reef.server.jobs import JobManager
    from reef.server.pages import build_pages_router, render
    from reef.server.routes_api import build_api_router
    from reef.server.assets import ReefStatic

    store = store or open_store(db, config=config)
    cfg = store.config
    discover()  # capabilities register their analyses, views and pages on import
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(application):
        yield
        application.state.jobs.shutdown()  # let a running import or analysis finish its transaction

    app = FastAPI(title="Reef", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan,
                  description="KOC community operations: read views, operator actions, background jobs.")
    app.state.store, app.state.config = store, cfg
    app.state.pool = StorePool(store)
    app.state.read_cache = ReadCache(float(cfg.get("server.read_cache_seconds")))
    app.state.jobs = JobManager(app.state.pool, int(cfg.get("server.job_workers")), int(cfg.get("server.jobs_kept")),
                                on_finish=app.state.read_cache.bump)  # imports and analyses change what reads see
    app.state.auth_cache = TTLCache(float(cfg.get("server.auth_cache_seconds")))
    app.state.login_limiter = LoginLimiter(int(cfg.get("server.login_max_attempts")),
                                           float(cfg.get("server.login_window_seconds")))

    app.add_middleware(InvalidateOnWrite, cache=app.state.read_cache)
    app.add_middleware(UploadLimit, limit=upload_limit(app.state.config))

    @app.exception_handler(ReefError)
    async def reef_error(request: Request, exc: ReefError):
        if isinstance(exc, AuthenticationError) and request.method == "GET" and _wants_html(request):
            from urllib.parse import quote
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        if _wants_html(request):
            return render(request, "error.html", {"error": exc.to_dict()["error"]},
                          who=getattr(request.state, "principal", None), status_code=exc.http_status)
        return _error(exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        # A bug must still answer in the documented error shape; the traceback goes to the server log.
        import logging
        logging.getLogger("reef.server").error("%s %s failed", request.method, request.url.path, exc_info=exc)
        err = ReefError("Internal error: the request could not be completed.",
                        hint="The server log has the details; please report it with the time of the request.")
        if _wants_html(request):
            return render(request, "error.html", {"error": err.to_dict()["error"]},
                          who=getattr(request.state, "principal", None), status_code=500)
        return _error(err, 500)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            return _error(InvalidParameterError("body", "(malformed JSON)", "a JSON object",
                                                hint=str((first.get("ctx") or {}).get("error", "")) or None))
        field = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return _error(InvalidParameterError(field, first.get("input", None) if field != "password" else "***",
                                            first.get("msg", "a valid request")))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        err = NotFoundError(f"No route {request.url.path}.") if exc.status_code == 404 else \
            ReefError(str(exc.detail))
        return _error(err, exc.status_code)

    app.include_router(build_auth_router())
    app.include_router(build_api_router())
    app.include_router(build_pages_router())

    @guarded(app.router, "GET", "/api/v1/openapi.json", "viewer", include_in_schema=False)
    def openapi():
        return app.openapi()

    # Static assets hold no data; the login page needs them before anyone is logged in. Chart JS
    # vendored from an installed package is served under /static/vendor/ (no CDN).
    app.mount("/static", ReefStatic(), name="static")

    return app
