"""``reef serve``: the HTTP API and the dashboard, thin layers over reef.actions and the analyses.

Needs the ``server`` extra (FastAPI, uvicorn, Jinja2, argon2-cffi). See docs/surfaces.md.
"""
from __future__ import annotations

import os

__all__ = ["create_app", "serve", "check_listen"]


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
    check_listen(host, port)  # uvicorn would take 70000 as 70000 mod 65536 and log the number it was given
    app = create_app(db, config=config)
    cfg = app.state.config
    uvicorn.run(app, host=host or cfg.get("server.host"), port=int(port or cfg.get("server.port")), log_level="info")


def check_listen(host: str | None, port: int | None, *, options: bool = False) -> None:
    """Refuse a ``port`` outside 1-65535 or a ``host`` that is no address to listen on (None: the configured
    ``server.host`` / ``server.port``, checked when the configuration was merged), as :class:`InvalidParameterError`
    naming ``port`` / ``host`` (``--port`` / ``--host`` when ``options``).

    >>> check_listen("127.0.0.1", 8000)
    >>> check_listen(None, 70000)
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'port': 70000. Expected a port number from 1 to 65535.
    """
    from reef.config_rules import server_rule
    from reef.errors import InvalidParameterError

    for name, value in (("host", host), ("port", port)):
        expected = server_rule(name, value) if value is not None else None
        if expected is not None:
            raise InvalidParameterError(f"--{name}" if options else name, value, expected)
