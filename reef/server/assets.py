"""Static assets: Reef's own CSS and JS, plus chart JavaScript vendored from installed packages.

``/static/vendor/<name>`` serves a file another package ships (plotly's ``plotly.min.js``, see
:data:`reef.web.VENDOR`), gzip-compressed once in memory (4.8 MB -> about 1.4 MB) and cached by
browsers for a day; everything else under ``/static`` comes from ``reef/web/static``. Static assets
carry no data, so they stay public (the login page needs its CSS).
"""
from __future__ import annotations

import gzip
import hashlib
import threading

from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles

from reef.web import STATIC, vendor_path

__all__ = ["ReefStatic"]

_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


class ReefStatic(StaticFiles):
    """``StaticFiles`` over ``reef/web/static`` that also answers ``vendor/<name>``."""

    def __init__(self) -> None:
        super().__init__(directory=str(STATIC))
        self._vendor: dict[str, tuple[bytes, bytes, str]] = {}
        self._lock = threading.Lock()

    def _load(self, name: str) -> tuple[bytes, bytes, str] | None:
        with self._lock:
            if name not in self._vendor:
                path = vendor_path(name)
                if path is None:
                    return None
                raw = path.read_bytes()
                self._vendor[name] = (raw, gzip.compress(raw, 6), '"' + hashlib.sha1(raw).hexdigest()[:16] + '"')
            return self._vendor[name]

    async def get_response(self, path: str, scope) -> Response:
        if not path.startswith("vendor/"):
            return await super().get_response(path, scope)
        name = path[len("vendor/"):]
        found = self._load(name)
        if found is None:
            return PlainTextResponse("Not found", status_code=404)
        raw, packed, etag = found
        headers = {"cache-control": "public, max-age=86400", "etag": etag, "vary": "accept-encoding"}
        request_headers = dict(scope.get("headers") or [])
        if request_headers.get(b"if-none-match", b"").decode() == etag:
            return Response(status_code=304, headers=headers)
        media = _MEDIA.get(name[name.rfind("."):], "application/octet-stream")
        if b"gzip" in request_headers.get(b"accept-encoding", b""):
            return Response(packed, media_type=media, headers={**headers, "content-encoding": "gzip"})
        return Response(raw, media_type=media, headers=headers)
