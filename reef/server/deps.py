"""Request plumbing shared by every route: store handles, who is asking, roles and CSRF.

DuckDB connections are not safe to share between threads, and FastAPI runs sync routes on a
thread pool, so each request checks out its own cursor (a connection to the same database,
cheap to create) from :class:`StorePool` and returns it afterwards. Writers still serialise on
the store's process lock, which every pooled handle shares.

Authentication: a ``Authorization: Bearer <token>`` header (scripts; no CSRF since browsers
never send it on their own) or the ``reef_session`` cookie (people; state-changing requests
must then carry the session's CSRF token in ``X-CSRF-Token`` or the ``csrf_token`` form field).
"""
from __future__ import annotations

import copy
import functools
import hashlib
import hmac
import queue
from dataclasses import dataclass

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from reef.actions import (AuthenticationError, CsrfError, PermissionDeniedError, allowed, session_for,
                          user_for_token)

__all__ = ["StorePool", "Principal", "get_store", "require", "guarded", "known_query", "SESSION_COOKIE", "SAFE_METHODS",
           "GENERIC_QUERY", "client_of", "credential_key", "attachment",
           "bounded_ints"]

SESSION_COOKIE = "reef_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Query parameters every /api/ route accepts, whether or not it reads them; any other must be one the route declares.
GENERIC_QUERY = ("page", "per_page", "sort", "lang", "format")


class StorePool:
    """Per-request store handles over one open store (each its own DuckDB cursor)."""

    def __init__(self, store):
        self.store = store
        self._free: queue.SimpleQueue = queue.SimpleQueue()

    def _new(self):
        handle = copy.copy(self.store)  # shares path, config and the process write lock
        handle.con = self.store.con.cursor()
        handle._in_transaction = False
        # Session settings do not carry over to a cursor: day boundaries must use the community's zone.
        handle.con.execute(f"SET TimeZone = '{self.store.config.get('general.timezone')}'")
        return handle

    def acquire(self):
        try:
            return self._free.get_nowait()
        except queue.Empty:
            return self._new()

    def release(self, handle) -> None:
        if handle._in_transaction:  # never hand out a cursor mid-transaction
            return
        self._free.put(handle)


async def get_store(request: Request):
    """Dependency: a store handle for this request. Async (checking a handle out never blocks), so
    a request answered from the caches makes no trip through the thread pool for it."""
    pool: StorePool = request.app.state.pool
    handle = pool.acquire()
    try:
        yield handle
    finally:
        pool.release(handle)


@dataclass(frozen=True)
class Principal:
    username: str
    role: str
    csrf_token: str | None  # None for token (script) access
    via: str  # "session" or "token"

    @property
    def masked(self) -> bool:
        """Viewers see personal data masked; operators and admins work with members directly."""
        return self.role == "viewer"


def client_of(request: Request) -> str:
    return request.client.host if request.client else "-"


async def _form_csrf(request: Request) -> str | None:
    # Read the form here (async) so the sync role check below can compare without touching the body again.
    if request.method in SAFE_METHODS:
        return None
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # an oversized declared body was refused before this by UploadLimit
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


def credential_key(kind: str, secret: str) -> tuple[str, str]:
    """Cache key of a session id or token: its digest, never the secret itself."""
    return kind, hashlib.sha256(secret.encode()).hexdigest()


def _cached_principal(request: Request) -> Principal | None:
    """The caller from the auth cache, without touching the store (None: ask the store)."""
    cache = getattr(request.app.state, "auth_cache", None)
    if not cache:
        return None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return cache.get(credential_key("token", auth[7:].strip()))
    sid = request.cookies.get(SESSION_COOKIE)
    return cache.get(credential_key("session", sid)) if sid else None


def _principal(request: Request, store) -> Principal:
    who = _cached_principal(request)
    if who is not None:
        return who
    cache = getattr(request.app.state, "auth_cache", None)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = user_for_token(store, auth[7:].strip())
        who = Principal(user["username"], user["role"], None, "token")
        cache and cache.put(credential_key("token", auth[7:].strip()), who)
        return who
    sid = request.cookies.get(SESSION_COOKIE)
    if not sid:
        raise AuthenticationError("Log in first.", hint="POST /api/v1/login, or send 'Authorization: Bearer <token>'.")
    s = session_for(store, sid, float(request.app.state.config.get("server.session_idle_minutes")))
    who = Principal(s["username"], s["role"], s["csrf_token"], "session")
    cache and cache.put(credential_key("session", sid), who)
    return who


@functools.cache
def require(role: str):
    """Dependency factory: the caller must be logged in with at least ``role`` (cached per role so a
    route that lists it twice resolves it once per request)."""

    async def dependency(request: Request, store=Depends(get_store),
                         form_token: str | None = Depends(_form_csrf)) -> Principal:
        # A cached caller is settled on the event loop; a store lookup runs on the thread pool so it
        # never blocks other requests.
        who = _cached_principal(request) or await run_in_threadpool(_principal, request, store)
        if not allowed(who.role, role):
            raise PermissionDeniedError(f"This needs the role '{role}'; you are '{who.role}'.")
        if who.via == "session" and request.method not in SAFE_METHODS:
            sent = request.headers.get("x-csrf-token") or form_token or ""
            if not hmac.compare_digest(sent.encode(), (who.csrf_token or "").encode()):
                raise CsrfError("Missing or wrong CSRF token.", hint="Send the page's token as X-CSRF-Token or csrf_token.")
        request.state.principal = who
        return who

    dependency.__name__ = f"require_{role}"
    return dependency


def _declared_query(route) -> frozenset[str]:
    """The query parameters ``route`` reads: its own and its dependencies' (by alias), those it documents
    in ``openapi_extra`` (a view's filters) and :data:`GENERIC_QUERY`."""
    names, todo = set(GENERIC_QUERY), [route.dependant]
    while todo:
        dependant = todo.pop()
        names.update(field.alias for field in dependant.query_params)
        todo.extend(dependant.dependencies)
    names.update(p["name"] for p in (route.openapi_extra or {}).get("parameters", ()) if p.get("in") == "query")
    return frozenset(names)


async def known_query(request: Request) -> None:
    """Dependency of every /api/ route: a query parameter the route does not read (a misspelled filter) is
    refused with 422 naming it and listing those it takes, instead of being ignored while the answer looks
    filtered; ``lang``, where given, must be zh or en."""
    from reef.i18n import check_lang
    from reef.params import check_known

    route = request.scope.get("route")
    if not request.query_params or getattr(route, "dependant", None) is None:
        return
    declared = route.__dict__.get("_reef_query")
    if declared is None:
        declared = route.__dict__["_reef_query"] = _declared_query(route)
    check_known("query parameter", request.query_params.keys(), declared,
                hint="A misspelled filter is refused rather than ignored; GET /api/v1/views lists each view's filters.")
    if "lang" in request.query_params:
        check_lang(request.query_params["lang"])


def _int_query(route) -> tuple[str, ...]:
    """The query parameters ``route`` (or a dependency of it) declares as integers, by alias."""
    import typing

    names, todo = [], [route.dependant]
    while todo:
        dependant = todo.pop()
        for field in dependant.query_params:
            kind = field.field_info.annotation
            if kind is int or int in typing.get_args(kind):
                names.append(field.alias)
        todo.extend(dependant.dependencies)
    return tuple(names)


async def bounded_ints(request: Request) -> None:
    """Dependency of every route: an integer query parameter past :data:`reef.params.MAX_WHOLE` (``page=`` twenty
    digits) is refused with 422 naming it before the route runs, instead of overflowing DuckDB or date arithmetic
    into a 500. ``page`` is checked on every route (the dashboard pages read it without declaring it). A query or path
    parameter the route gave ``guarded(..., bounds=...)`` must lie within them (the bounds its schema states)."""
    from reef.errors import InvalidParameterError
    from reef.params import check_range, check_whole

    route = request.scope.get("route")
    if getattr(route, "dependant", None) is None or not (request.query_params or request.path_params):
        return
    names = route.__dict__.get("_reef_ints")
    if names is None:
        names = route.__dict__["_reef_ints"] = frozenset(_int_query(route)) | {"page", "per_page"}
    bounds = (route.openapi_extra or {}).get("x-reef-bounds", {})
    given = [(n, v) for n in names & request.query_params.keys() for v in request.query_params.getlist(n)]
    for name, value in given + [(n, request.path_params[n]) for n in bounds.keys() & request.path_params.keys()]:
        if name not in bounds:
            check_whole(name, value)
            continue
        try:  # a bounded parameter's refusal states its own bounds, whatever was wrong
            check_range(name, check_whole(name, value), *bounds[name])
        except InvalidParameterError:
            raise InvalidParameterError(name, value, "an integer from {} to {}".format(*bounds[name])) from None


def guarded(router, method: str, path: str, role: str, **kw):
    """Register a route that needs ``role`` ("public" for login and health only).

    The role is recorded on the route (``openapi_extra["x-reef-role"]``) so the route-enumeration
    test can prove every route refuses callers below it. Routes under ``/api/`` also refuse query
    parameters they do not read (:func:`known_query`), after the role check. ``media``: a download's file
    types, documented instead of JSON; ``choices``: ``{parameter: values}`` of the query parameters that take one of a
    fixed set, given as the very constant the route or library checks them against, documented as the parameter's
    ``enum`` (:mod:`reef.server.openapi_doc`); ``bounds``: ``{parameter: (lowest, highest)}`` of its integer query and
    path parameters, given as the constants the route or library checks them with, checked before the route runs
    (:func:`bounded_ints`) and documented as the parameter's ``minimum`` and ``maximum``.
    """
    deps = list(kw.pop("dependencies", []))
    if role != "public":
        deps.append(Depends(require(role)))
    deps.append(Depends(bounded_ints))  # after the role check: a caller logged out is sent to log in first
    if (getattr(router, "prefix", "") + path).startswith("/api/"):
        deps.append(Depends(known_query))
    extra = {**kw.pop("openapi_extra", {}), "x-reef-role": role}
    if media := kw.pop("media", None):
        extra["x-reef-media"] = list(media)
    if choices := kw.pop("choices", None):
        extra["x-reef-choices"] = {name: list(values) for name, values in choices.items()}
    if bounds := kw.pop("bounds", None):
        extra["x-reef-bounds"] = {name: [int(low), int(high)] for name, (low, high) in bounds.items()}
    return router.api_route(path, methods=[method], dependencies=deps, openapi_extra=extra, **kw)


def attachment(name: str) -> dict[str, str]:
    """The ``Content-Disposition`` header of a download named ``name``: an ASCII ``filename`` (other characters as
    ``_``) for old clients and, when the name is not plain ASCII, ``filename*`` in UTF-8 (RFC 5987/6266), which
    browsers and HTTP libraries prefer.

    >>> print(attachment("contest-春季-2026-06-29.csv")["Content-Disposition"])
    attachment; filename="contest-_-2026-06-29.csv"; filename*=UTF-8''contest-%E6%98%A5%E5%AD%A3-2026-06-29.csv
    """
    import re
    from urllib.parse import quote

    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    value = f'attachment; filename="{plain}"'
    if plain != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return {"Content-Disposition": value}
