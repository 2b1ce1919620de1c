"""Caches that keep the hot paths off the store under load (``benchmarks/bench_server.py``).

* :class:`TTLCache` — checked sessions and API tokens (``server.auth_cache_seconds``).
* :class:`ReadCache` — what read endpoints and pages computed (views, the 今日 overview, status,
  page data), reused for ``server.read_cache_seconds`` while nothing was written.

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

__all__ = ["TTLCache", "ReadCache", "InvalidateOnWrite"]

_MISS = object()


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

    def put(self, key: Any, value: Any) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            if len(self._data) >= self.max_entries:  # drop expired entries, then the oldest half
                now = time.monotonic()
                self._data = {k: v for k, v in self._data.items() if v[0] >= now}
                if len(self._data) >= self.max_entries:
                    self._data = dict(sorted(self._data.items(), key=lambda kv: kv[1][0])[self.max_entries // 2:])
            self._data[key] = (time.monotonic() + self.seconds, value)

    def evict(self, key: Any) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class ReadCache(TTLCache):
    """Results of read-only library calls, keyed by what was asked and the write generation."""

    def __init__(self, seconds: float, max_entries: int = 2_000):
        super().__init__(seconds, max_entries)
        self.generation = 0

    def bump(self) -> None:
        """Something was written: every cached read is stale from now on."""
        with self._lock:
            self.generation += 1
            self._data.clear()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        full = (self.generation, key)
        hit = self.get(full, _MISS)
        if hit is _MISS:
            hit = compute()
            if full[0] == self.generation:  # a write that landed meanwhile may have changed the answer
                self.put(full, hit)
        return hit


class InvalidateOnWrite:
    """ASGI middleware: after a request that may have written (any method but GET, HEAD, OPTIONS),
    cached reads start afresh — bumped when the response starts, so a client that follows a
    redirect at once already reads the new generation."""

    def __init__(self, app, cache: ReadCache):
        self.app, self.cache = app, cache

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                self.cache.bump()
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.cache.bump()
