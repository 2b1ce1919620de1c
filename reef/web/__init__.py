"""The dashboard's templates, static assets and message catalogue (rendered by reef.server.pages).

Chart JavaScript is not copied into Reef: it comes from a package installed from PyPI with the
``server`` extra (plotly ships ``plotly.min.js``) and Reef serves it under ``/static/vendor/``
itself, so the dashboard needs no CDN and works offline. Without the package, pages still render
their server-side SVG charts and tables.

Example:
    >>> vendor_url("no-such.js") is None
    True
"""
from __future__ import annotations

import functools
from importlib.util import find_spec
from pathlib import Path

__all__ = ["TEMPLATES", "STATIC", "VENDOR", "vendor_path", "vendor_url"]

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
# file name under /static/vendor/ -> (package, path inside the package)
VENDOR = {"plotly.min.js": ("plotly", "package_data/plotly.min.js")}


@functools.cache
def vendor_path(name: str) -> Path | None:
    """Where an installed package keeps the vendored asset ``name``, or None when it is not installed."""
    if name not in VENDOR:
        return None
    package, inner = VENDOR[name]
    spec = find_spec(package)  # locate without importing the package (plotly's import is slow)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / inner
    return path if path.is_file() else None


def vendor_url(name: str) -> str | None:
    """The URL the dashboard loads ``name`` from, or None when the asset is not installed."""
    return f"/static/vendor/{name}" if vendor_path(name) else None
