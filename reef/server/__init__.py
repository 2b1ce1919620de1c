"""``reef serve``: the HTTP API and the dashboard, thin layers over reef.actions and the analyses.

Needs the ``server`` extra (FastAPI, uvicorn, Jinja2, argon2-cffi). See docs/surfaces.md.
"""
from __future__ import annotations

import os

__all__ = ["create_app", "serve"]


def create_app(db, **kw):
    from reef.server.app import create_app as make
    return make(db, **kw)


def serve(db: str | os.PathLike, *, host: str | None = None, port: int | None = None, config=None) -> None:
    """Run the server in the foreground until interrupted."""
    try:
        import uvicorn
    except ImportError:
        from reef.errors import MissingDependencyError
        raise MissingDependencyError("uvicorn", "server") from None
    app = create_app(db, config=config)
    cfg = app.state.config
    uvicorn.run(app, host=host or cfg.get("server.host"), port=int(port or cfg.get("server.port")), log_level="info")
