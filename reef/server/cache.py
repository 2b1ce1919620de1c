"""Caches that keep the hot paths off the store under load (``benchmarks/bench_server.py``).

* :class:`TTLCache` — checked sessions and API tokens (``server.auth_cache_seconds``).
* :class:`ReadCache` — what read endpoints and pages computed (views, the 今日 overview, status,
  page data), reused while nothing was written: API answers that depend on the store alone
  (views, status, actions) until the next write, the rest for ``server.read_cache_seconds``.
  API answers are kept as encoded JSON (:func:`cached_json`), so a hit costs neither a query nor
  an encoding, nor a trip through the thread pool.

Why this is safe: while ``reef serve`` runs it holds DuckDB's write lock on the store, so every
change goes through this process — a state-changing request (actions, logins, uploads) or a
background job (import, analyze). Both bump :attr:`ReadCache.generation` when they finish, and the
generation is part of every key, so a read never sees data older than the last write; the TTL
bounds answers that depend on the clock ("active in the last 7 days"). Logout evicts the session
from the auth cache at once. Access control is not cached: roles are checked on every request and
the masking flag is part of the key.

Example:
    >>> c = ReadCache(60)
    >>> c.get_or_compute(("view", 1), lambda: [1, 2])
    [1, 2]
    >>> c.bump(); c.generation
    1
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Hashable

__all__ = ["TTLCache", "ReadCache", "InvalidateOnWrite", "json_bytes", "cached_json"]

_MISS = object()
# Reads that depend on the store alone (table views, status) are kept until a write bumps the
# generation; this bound only keeps a forgotten entry from living for ever.
LASTING_SECONDS = 3600.0


class TTLCache:
    """A thread-safe dict whose entries expire ``seconds`` after they were put (0 disables it)."""

    def __init__(self, seconds: float, max_entries: int = 10_000):
        self.seconds, self.max_entries = float(seconds), max_entries
        self._data: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, default: Any = None) -> Any:
        hit = self._data.get(key)
        if hit is None or hit[0] < time.monotonic():
            return default
        return hit[1]

    def put(self, key: Any, value: Any, seconds: float | None = None) -> None:
        """Keep ``value`` for ``seconds`` (default: the cache's own); nothing is kept when the cache is off."""
        if self.seconds <= 0:
            return
        with self._lock:
            if len(self._data) >= self.max_entries:  # drop expired entries, then the oldest half
                now = time.monotonic()
                self._data = {k: v for k, v in self._data.items() if v[0] >= now}
                if len(self._data) >= self.max_entries:
                    self._data = dict(sorted(self._data.items(), key=lambda kv: kv[1][0])[self.max_entries // 2:])
            self._data[key] = (time.monotonic() + (self.seconds if seconds is None else seconds), value)

    def evict(self, key: Any) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class ReadCache(TTLCache):
    """Results of read-only library calls, keyed by what was asked and the write generation.

    A miss is computed once: concurrent requests for the same key wait for the first one instead
    of running the same query side by side (under load an expired popular key would otherwise
    start dozens of identical scans at once).
    """

    def __init__(self, seconds: float, max_entries: int = 2_000):
        super().__init__(seconds, max_entries)
        self.generation = 0
        self._inflight: dict[Any, threading.Lock] = {}

    def bump(self) -> None:
        """Something was written: every cached read is stale from now on."""
        with self._lock:
            self.generation += 1
            self._data.clear()

    def peek(self, key: Hashable) -> Any:
        """The cached answer for ``key`` in this generation, or None (no computing, no locking)."""
        return self.get((self.generation, key))

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any], *, lasting: bool = False) -> Any:
        """The cached answer for ``key``, computed once on a miss. ``lasting``: the answer depends on the
        store only, not on the clock, so it is kept until the next write (at most LASTING_SECONDS)
        rather than for the cache's TTL."""
        full = (self.generation, key)
        hit = self.get(full, _MISS)
        if hit is not _MISS:
            return hit
        if self.seconds <= 0:  # caching off: nothing to share
            return compute()
        with self._lock:
            gate = self._inflight.setdefault(full, threading.Lock())
        with gate:  # the first caller computes; the others wait here and then read its answer
            hit = self.get(full, _MISS)
            if hit is _MISS:
                try:
                    hit = compute()
                    if full[0] == self.generation:  # a write that landed meanwhile may have changed the answer
                        self.put(full, hit, LASTING_SECONDS if lasting else None)
                finally:
                    with self._lock:
                        self._inflight.pop(full, None)
        return hit


def _fallback(value: Any) -> Any:
    from fastapi.encoders import jsonable_encoder  # Decimal, sets, pydantic models ...
    return jsonable_encoder(value)


def json_bytes(data: Any) -> bytes:
    """``data`` as JSON (orjson: dates as ISO 8601, NaN as null), the way the API answers.

    >>> from datetime import date
    >>> json_bytes({"n": 1, "day": date(2026, 5, 1), "score": float("nan")})
    b'{"n":1,"day":"2026-05-01","score":null}'
    """
    import orjson

    return orjson.dumps(data, default=_fallback, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)


async def cached_json(request, key: Hashable, compute: Callable[[], Any], *, lasting: bool = True):
    """A JSON response for a read endpoint: the encoded bytes come from the read cache when they are
    there (answered on the event loop, nothing is encoded again); a miss computes and encodes once
    on the thread pool, shared with concurrent requests for the same key. ``lasting=False`` for
    answers that depend on the clock (they expire after ``server.read_cache_seconds``)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    cache: ReadCache = request.app.state.read_cache
    body = cache.peek(("json", key))
    if body is None:
        body = await run_in_threadpool(cache.get_or_compute, ("json", key), lambda: json_bytes(compute()),
                                       lasting=lasting)
    return Response(body, media_type="application/json")


class InvalidateOnWrite:
    """ASGI middleware: after a request that may have written (any method but GET, HEAD, OPTIONS) and
    succeeded, cached reads start afresh — bumped when the response starts, so a client that follows a
    redirect at once already reads the new generation, and again when it ends.

    A refused request (an answer of 400 or more: bad input, no session, wrong CSRF token) changed nothing
    the reads show — the library writes in transactions, and a failed login only adds to the audit log,
    which is never cached — so it keeps the cache: anyone could otherwise empty it with bad POSTs. A
    request that raised instead of answering may have stopped half-way, so it still bumps."""

    def __init__(self, app, cache: ReadCache):
        self.app, self.cache = app, cache

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        succeeded = False

        async def sending(message):
            nonlocal succeeded
            if message["type"] == "http.response.start" and message["status"] < 400:
                succeeded = True
                self.cache.bump()
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except BaseException:
            self.cache.bump()
            raise
        if succeeded:
            self.cache.bump()
