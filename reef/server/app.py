"""The FastAPI application behind ``reef serve``: wiring only (routers, middleware, errors, static files).

Every error leaves as the one JSON shape of :meth:`ReefError.to_dict` with the class's
``http_status`` — including validation errors, unreadable bodies and unknown routes — or, for a
browser, as the error page in its language (:mod:`reef.server.errors`). Browsers asking for a page
without a session are redirected to the login page instead. The OpenAPI document is served at
``/api/v1/openapi.json`` to logged-in users only (no CDN-hosted explorer: the tool works offline).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reef.config import Config
from reef.store import open_store

__all__ = ["create_app"]


def create_app(db: str | os.PathLike, *, config: Config | None = None, store=None) -> Any:
    """A ready app over the store at ``db`` (opened read-write; migrations add the user tables)."""
    try:
        from fastapi import FastAPI
    except ImportError as exc:
        from reef.errors import MissingDependencyError
        raise MissingDependencyError(getattr(exc, "name", "fastapi") or "fastapi", "server") from None
    from reef import __version__
    from reef.actions import LoginLimiter
    from reef.analyses import discover
    from reef.server.auth import build_auth_router
    from reef.server.cache import InvalidateOnWrite, ReadCache, TTLCache
    from reef.server.bodies import BodyLimit, UploadLimit, Utf8Body, body_limit
    from reef.server.headers import install_headers
    from reef.server.deps import StorePool, guarded
    from reef.server.errors import install_error_handlers
    from reef.server.openapi_doc import install_openapi
    from reef.server.tasks import upload_limit
    from reef.server.jobs import JobManager
    from reef.server.pages import build_pages_router
    from reef.server.routes_team import build_team_router
    from reef.server.outputs import build_outputs_router  # registers the 周报 page too
    from reef.server.routes_api import build_api_router
    from reef.server.routes_contest import build_contest_router
    from reef.server.routes_seed import build_seed_router
    from reef.server.assets import ReefStatic

    store = store or open_store(db, config=config)
    cfg = store.config
    discover()  # capabilities register their analyses, views and pages on import
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(application):
        yield
        application.state.jobs.shutdown()  # let a running import or analysis finish its transaction
        if getattr(application.state, "report_dir", None) is not None:  # the reports made while it ran
            import shutil
            shutil.rmtree(application.state.report_dir, ignore_errors=True)

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
    app.state.client_limiter = LoginLimiter(int(cfg.get("server.login_max_client_attempts")),
                                            float(cfg.get("server.login_window_seconds")))

    # Outermost last: an oversized declared body is refused first, then one that is not UTF-8; only what
    # passes both reaches the routes (and, when it succeeds, invalidates the read cache).
    app.add_middleware(InvalidateOnWrite, cache=app.state.read_cache)
    # Two limits (reef.server.bodies): an upload's server.max_upload_mb, any other body's server.max_body_bytes.
    limits = {"limit": upload_limit(cfg), "body": body_limit(cfg)}
    app.add_middleware(Utf8Body, limit=body_limit(cfg))
    # A body streamed without a declared length (chunked) is cut off at its limit too (Starlette's own counter),
    # before the form parser has spooled it to disk, logged in or not: 413 upload_too_large / body_too_large.
    app.add_middleware(BodyLimit, **limits)
    app.add_middleware(UploadLimit, **limits)
    # Cache-Control: no-store on API answers, JSON and downloads, then (outermost) CORS when server.cors_origins is set.
    install_headers(app, cfg)

    install_error_handlers(app)
    install_openapi(app)  # errors in the one error shape, downloads as files, parameter bounds

    app.include_router(build_auth_router())
    app.include_router(build_api_router())
    app.include_router(build_pages_router())
    app.include_router(build_team_router())  # the team builder's API route and adopt button (reef.layers)
    app.include_router(build_seed_router())
    app.include_router(build_contest_router())  # campaigns and the contest (reef.ladder.contest_view)
    app.include_router(build_outputs_router())

    @guarded(app.router, "GET", "/api/v1/openapi.json", "viewer", include_in_schema=False)
    def openapi():
        return app.openapi()

    # Static assets hold no data; the login page needs them before anyone is logged in. Chart JS
    # vendored from an installed package is served under /static/vendor/ (no CDN).
    app.mount("/static", ReefStatic(), name="static")

    return app
