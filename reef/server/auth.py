"""Login, logout and health: the only routes that answer without a session (besides static assets).

Failed logins are rate-limited per client and user name (``server.login_max_attempts`` within
``server.login_window_seconds``) and per client whatever the name (``server.login_max_client_attempts``: guessing
one password under many names), and audited; the session cookie is HttpOnly, SameSite=Strict and Secure when the
request came over HTTPS (a TLS proxy's ``X-Forwarded-Proto``, trusted by uvicorn from ``FORWARDED_ALLOW_IPS``) or
``server.cookie_secure`` is on.

The login form carries a token of its own (login CSRF: another site must not log the operator in under its own
account): ``GET /login`` sets it in the ``reef_login_csrf`` cookie (HttpOnly, SameSite=Strict, path ``/login``) and
the form's hidden ``csrf_token`` field, and ``POST /login`` is refused (403 ``csrf_failed``, before any password
check) unless the two match. No session exists yet, so this is the double-submit form of the sessions' token.
``POST /api/v1/login`` takes JSON only, which a page of another site cannot send without CORS. A successful login
ends the session whose cookie came with it (the client is switching user), so the earlier one cannot be replayed.

Example:
    >>> _safe_next("/members/m1?lang=en"), _safe_next("//evil.example"), _safe_next("https://evil.example")
    ('/members/m1?lang=en', '/', '/')
"""
from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from reef import actions as A
from reef.actions.users import MAX_USERNAME_CHARS
from reef.server.deps import SESSION_COOKIE, Principal, client_of, credential_key, get_store, guarded, require
from reef.server.schemas import LoginIn

__all__ = ["build_auth_router", "login", "LOGIN_CSRF_COOKIE"]

LOGIN_CSRF_COOKIE = "reef_login_csrf"


def login(request: Request, store, response: Response, username: str, password: str) -> dict[str, Any]:
    """Check the rate limit and the password, open a session and set its cookie."""
    cfg = request.app.state.config
    limiter: A.LoginLimiter = request.app.state.login_limiter
    per_client: A.LoginLimiter = request.app.state.client_limiter
    client = client_of(request)
    # Anyone may send a name of any length (up to server.max_body_bytes); it is kept in the audit log and the
    # limiter's keys, so no more of it than a name can hold (and one more, so an overlong name matches no user).
    username = username[:MAX_USERNAME_CHARS + 1]
    key = f"{client}|{username}"
    # Both counted before the hash, checked and counted in one step each, so parallel guesses cannot all pass the
    # check first. Per client (one client guessing under many names) only failures count: an attempt refused by the
    # per-name limit or that succeeds is taken back, never cleared.
    per_client.attempt(client)
    try:
        limiter.attempt(key)
    except A.RateLimitedError:
        per_client.refund(client)
        raise
    try:
        user = A.authenticate(store, username, password)
    except A.AuthenticationError:
        A.audit(store, username, None, "login.failed", None, {}, client)
        raise
    limiter.succeeded(key)
    per_client.refund(client)
    if request.cookies.get(SESSION_COOKIE):  # the client is switching user: its earlier session ends, not lingers
        _end(request, store)
    sid, csrf = A.create_session(store, user["username"], float(cfg.get("server.session_hours")))
    A.audit(store, user["username"], user["role"], "login", None, {}, client)
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict", path="/",
                        secure=_secure(request),
                        max_age=int(float(cfg.get("server.session_hours")) * 3600))
    return {"username": user["username"], "role": user["role"], "csrf_token": csrf}


def _end(request: Request, store) -> None:
    """End the cookie's session and forget it in the auth cache at once."""
    sid = request.cookies.get(SESSION_COOKIE, "")
    A.end_session(store, sid)
    request.app.state.auth_cache.evict(credential_key("session", sid))


def _secure(request: Request) -> bool:
    """Whether a cookie set on this request is Secure: ``server.cookie_secure``, or the request came over HTTPS."""
    return bool(request.app.state.config.get("server.cookie_secure")) or request.url.scheme == "https"


def _login_page(request: Request, next_: str, error: str, status: int = 200, *, fresh: bool = False,
                username: str = "") -> Response:
    """The login page with its form token, set in the cookie too (kept while it is there, new when ``fresh``), and
    after a failed login the user name typed (never the password)."""
    from reef.server.pages import render

    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if fresh or len(token) < 32:
        token = secrets.token_urlsafe(32)
    page = render(request, "login.html", {"next": _safe_next(next_), "error": error, "login_csrf": token,
                                         "username": username}, who=None,
                  status_code=status)
    page.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login",
                    secure=_secure(request))
    return page


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an attacker must not turn the login page into an open redirect. Browsers read ``\\`` as
    ``/`` and drop tabs and newlines, so ``/\\evil`` and ``/<tab>/evil`` name another host too."""
    if not target or not target.startswith("/") or "\\" in target or any(ord(ch) < 32 for ch in target):
        return "/"
    return "/" if target.startswith("//") else target


def build_auth_router() -> APIRouter:
    r = APIRouter(tags=["auth"])

    @guarded(r, "GET", "/health", "public", summary="Liveness probe (no data)")
    def health():
        return {"status": "ok"}

    @guarded(r, "POST", "/api/v1/login", "public", summary="Log in; sets the session cookie, returns the CSRF token")
    def api_login(body: LoginIn, request: Request, response: Response, store=Depends(get_store)):
        return login(request, store, response, body.username, body.password)

    @guarded(r, "POST", "/api/v1/logout", "viewer", summary="End this session")
    def api_logout(request: Request, response: Response, store=Depends(get_store),
                   who: Principal = Depends(require("viewer"))):
        _end(request, store)
        A.audit(store, who.username, who.role, "logout", None, {}, client_of(request))
        response.delete_cookie(SESSION_COOKIE, path="/")
        return {"ok": True}

    @guarded(r, "GET", "/login", "public", include_in_schema=False)
    def login_page(request: Request, next: str = "/", error: str = ""):  # noqa: A002
        from reef.server.pages import check_page_lang
        check_page_lang(request)
        return _login_page(request, next, error)

    @guarded(r, "POST", "/login", "public", include_in_schema=False)
    def login_form(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),  # noqa: A002
                   csrf_token: str = Form(""), store=Depends(get_store)):
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(csrf_token.encode(), expected.encode()):
            return _login_page(request, next, A.CsrfError.code, A.CsrfError.http_status, fresh=True)
        redirect = RedirectResponse(_safe_next(next), status_code=303)
        try:
            login(request, store, redirect, username, password)
        except (A.AuthenticationError, A.RateLimitedError) as exc:
            return _login_page(request, next, exc.code, exc.http_status, username=username)
        redirect.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return redirect

    @guarded(r, "POST", "/logout", "viewer", include_in_schema=False)
    def logout_form(request: Request, store=Depends(get_store), who: Principal = Depends(require("viewer"))):
        _end(request, store)
        A.audit(store, who.username, who.role, "logout", None, {}, client_of(request))
        redirect = RedirectResponse("/login", status_code=303)
        redirect.delete_cookie(SESSION_COOKIE, path="/")
        return redirect

    return r
