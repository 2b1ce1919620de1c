"""Users, passwords, API tokens and login sessions, kept in the store (tables ``users``,
``api_tokens``, ``sessions``; migration 0005).

Passwords are hashed with Argon2id (argon2-cffi, the ``server`` extra). Tokens and session ids
are random 256-bit secrets; only their SHA-256 is stored, so a copied store file does not leak
working credentials.

Example:
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> add_user(s, "li", "operator", password="秘密口令-123")["role"]
    'operator'
    >>> authenticate(s, "li", "秘密口令-123")["username"]
    'li'
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import datetime, timedelta, timezone
from typing import Any

from reef.actions.access import AuthenticationError, RateLimitedError, check_role
from reef.actions.log import audit
from reef.errors import InvalidParameterError, MissingDependencyError, NotFoundError
from reef.i18n import plural

__all__ = ["add_user", "list_users", "authenticate", "issue_token", "user_for_token", "create_session",
           "session_for", "end_session", "LoginLimiter", "MIN_PASSWORD_CHARS", "MAX_PASSWORD_CHARS", "MAX_USERNAME_CHARS",
           "TOUCH_SECONDS"]

MIN_PASSWORD_CHARS = 8
# Longest user name and password a user may have. A login names them before anyone is known, and its name is kept (the
# audit log, the login limiter's keys): the server keeps at most MAX_USERNAME_CHARS + 1 of it (reef.server.auth.login).
MAX_USERNAME_CHARS = 128
MAX_PASSWORD_CHARS = 1024
# A session's last use is written back at most this often (seconds): the idle limit needs no write per request.
TOUCH_SECONDS = 60


def _hasher():
    try:
        from argon2 import PasswordHasher
    except ImportError:
        raise MissingDependencyError("argon2-cffi", "server") from None
    return PasswordHasher()


_DUMMY_HASH: list[str] = []  # one Argon2 hash made on first use: unknown names cost a verification too


def _dummy_hash(hasher) -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hasher.hash(secrets.token_urlsafe(16)))
    return _DUMMY_HASH[0]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def add_user(store, username: str, role: str, *, password: str | None = None, replace: bool = False,
             by: str | None = None, client: str | None = None) -> dict[str, Any]:
    """Create (or with ``replace`` update) a user; without a password the user can only use tokens. Replacing a
    user (a new password or role, a re-created name) ends their sessions and revokes their API tokens, so a reset
    locks out whoever held the old credentials. Audited (``user.create`` or ``user.replace`` with the role before
    and after) as ``by``."""
    check_role(role)
    if not username or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise InvalidParameterError("username", username, "letters, digits, '-', '_' or '.'")
    if len(username) > MAX_USERNAME_CHARS:
        raise InvalidParameterError("username", username[:20] + "…", "at most " + plural(MAX_USERNAME_CHARS, "character"))
    if password is not None and len(password) < MIN_PASSWORD_CHARS:
        raise InvalidParameterError("password", "***", "at least " + plural(MIN_PASSWORD_CHARS, "character"))
    if password is not None and len(password) > MAX_PASSWORD_CHARS:
        raise InvalidParameterError("password", "***", "at most " + plural(MAX_PASSWORD_CHARS, "character"))
    hashed = _hasher().hash(password) if password is not None else None
    with store.transaction():
        before = store.fetch_value("SELECT role FROM users WHERE username = ?", [username])
        if before is not None and not replace:
            raise InvalidParameterError("username", username, "a name not taken yet", hint="Pass --replace to change it.",
                                        hint_zh="如要替换该用户，请加 --replace。")
        store.execute("DELETE FROM users WHERE username = ?", [username])
        ended = int(store.execute("DELETE FROM sessions WHERE username = ?", [username]).fetchone()[0])  # rows deleted
        revoked = int(store.execute("DELETE FROM api_tokens WHERE username = ?", [username]).fetchone()[0])
        store.execute("INSERT INTO users VALUES (?, ?, ?, ?, FALSE)", [username, role, hashed, _now()])
        audit(store, by, "cli", "user.replace" if before is not None else "user.create",
              f"user:{username}", {"role": role, **({"previous_role": before} if before is not None else {}),
                                   "has_password": hashed is not None, "sessions_ended": ended, "tokens_revoked": revoked},
              client)
    return {"username": username, "role": role, "has_password": hashed is not None, "sessions_ended": ended,
            "tokens_revoked": revoked}


def list_users(store) -> list[dict[str, Any]]:
    """Every user with role, creation time and number of API tokens (never the hashes)."""
    return store.fetch_dicts(
        "SELECT u.username, u.role, u.created_at, u.disabled, u.password_hash IS NOT NULL AS has_password, "
        "(SELECT count(*) FROM api_tokens t WHERE t.username = u.username) AS tokens FROM users u ORDER BY 1")


def _user(store, username: str) -> dict[str, Any] | None:
    rows = store.fetch_dicts("SELECT username, role, password_hash, disabled FROM users WHERE username = ?", [username])
    return rows[0] if rows else None


def authenticate(store, username: str, password: str) -> dict[str, Any]:
    """The user for a correct password; :class:`AuthenticationError` otherwise (same message either way, and about
    the same time: an unknown name, a disabled user or one without a password is checked against a dummy hash, so
    the answer's delay does not tell which user names exist). A name or password longer than any user may have
    (:data:`MAX_USERNAME_CHARS`, :data:`MAX_PASSWORD_CHARS`) is refused the same way, never looked up or hashed whole."""
    username, password = username or "", password or ""
    user = _user(store, username) if len(username) <= MAX_USERNAME_CHARS else None
    hasher = _hasher()
    usable = bool(user and user["password_hash"] and not user["disabled"] and len(password) <= MAX_PASSWORD_CHARS)
    try:
        ok = hasher.verify(user["password_hash"] if usable else _dummy_hash(hasher), password[:MAX_PASSWORD_CHARS]) and usable
    except Exception:  # argon2 raises VerifyMismatchError / InvalidHashError
        ok = False
    if not ok:
        raise AuthenticationError("Wrong user name or password.")
    return {"username": user["username"], "role": user["role"]}


def issue_token(store, username: str, *, by: str | None = None, client: str | None = None) -> str:
    """A new API token for ``username`` (shown once; only its hash is kept). Audited as ``user.token`` by ``by``."""
    if _user(store, username) is None:
        raise NotFoundError(f"No user named '{username}'.", hint="Create it with `reef user add`.")
    token = "reef_" + secrets.token_urlsafe(32)
    with store.transaction():
        store.execute("INSERT INTO api_tokens VALUES (?, ?, ?, NULL)", [_digest(token), username, _now()])
        audit(store, by, "cli", "user.token", f"user:{username}", {}, client)
    return token


def user_for_token(store, token: str) -> dict[str, Any]:
    """The user owning an API token; :class:`AuthenticationError` when unknown or disabled."""
    rows = store.fetch_dicts(
        "SELECT u.username, u.role FROM api_tokens t JOIN users u USING (username) "
        "WHERE t.token_hash = ? AND NOT u.disabled", [_digest(token or "")])
    if not rows:
        raise AuthenticationError("Unknown or revoked API token.")
    return rows[0]


def create_session(store, username: str, hours: float) -> tuple[str, str]:
    """A new login session: returns (session id for the cookie, CSRF token for forms and headers)."""
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = _now()
    with store.transaction():
        # Expired sessions are swept here (idle ones are refused by session_for and swept once expired).
        store.execute("DELETE FROM sessions WHERE expires_at < ?", [now])
        store.execute("INSERT INTO sessions (session_hash, username, csrf_token, created_at, expires_at, last_used_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)", [_digest(sid), username, csrf, now, now + timedelta(hours=hours), now])
    return sid, csrf


def session_for(store, sid: str, idle_minutes: float = 0) -> dict[str, Any]:
    """User, role and CSRF token of a live session; :class:`AuthenticationError` otherwise. With ``idle_minutes`` (0 =
    no idle limit) a session last used longer ago than that is refused like an expired one. A session found live has
    its last use written back, but at most once per :data:`TOUCH_SECONDS`, so a busy operator costs no write per
    request (the idle limit may so end a session up to that long early)."""
    now = _now()
    idle_cut = now - timedelta(minutes=idle_minutes) if idle_minutes > 0 else None
    rows = store.fetch_dicts(
        "SELECT u.username, u.role, s.csrf_token, coalesce(s.last_used_at, s.created_at) AS last_used "
        "FROM sessions s JOIN users u USING (username) WHERE s.session_hash = ? AND s.expires_at > ? AND NOT u.disabled "
        "AND (CAST(? AS TIMESTAMPTZ) IS NULL OR coalesce(s.last_used_at, s.created_at) > ?)",
        [_digest(sid or ""), now, idle_cut, idle_cut])
    if not rows:
        raise AuthenticationError("Not logged in, or the session expired.")
    row = rows[0]
    last = row.pop("last_used")
    if last is None or last <= now - timedelta(seconds=TOUCH_SECONDS):
        with store.transaction():
            store.execute("UPDATE sessions SET last_used_at = ? WHERE session_hash = ?", [now, _digest(sid or "")])
    return row


def end_session(store, sid: str) -> None:
    with store.transaction():
        store.execute("DELETE FROM sessions WHERE session_hash = ?", [_digest(sid or "")])


class LoginLimiter:
    """At most ``attempts`` failed logins per key (client and user name, or client alone) within ``window`` seconds.
    Keys whose attempts all lie outside the window are forgotten once more than ``max_keys`` are held, so guesses
    under ever new user names cannot grow it without bound."""

    def __init__(self, attempts: int, window: float, max_keys: int = 10_000):
        self.attempts, self.window, self.max_keys = attempts, window, max_keys
        self._fails: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque:
        if key not in self._fails and len(self._fails) >= self.max_keys:
            cutoff = time.monotonic() - self.window
            for stale in [k for k, q in self._fails.items() if not q or q[-1] < cutoff]:
                del self._fails[stale]
        q = self._fails[key]
        while q and q[0] < time.monotonic() - self.window:
            q.popleft()
        return q

    def _refuse_when_full(self, recent: deque) -> None:
        if len(recent) >= self.attempts:
            raise RateLimitedError("Too many failed logins; wait before trying again.",
                                   hint=f"At most {plural(self.attempts, 'attempt')} per {plural(int(self.window), 'second')}.")

    def check(self, key: str) -> None:
        with self._lock:
            self._refuse_when_full(self._recent(key))

    def attempt(self, key: str) -> None:
        """Check and count an attempt in one step, as a failure until :meth:`succeeded` clears it: checking before a
        slow password hash and counting after let a burst of parallel guesses through."""
        with self._lock:
            recent = self._recent(key)
            self._refuse_when_full(recent)
            recent.append(time.monotonic())

    def refund(self, key: str) -> None:
        """Take back the newest attempt counted for ``key`` (a login that did not fail: a per-client count of failures
        counts each attempt first with :meth:`attempt`, so a burst cannot pass the check before any is counted)."""
        with self._lock:
            recent = self._fails.get(key)
            if recent:
                recent.pop()

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)
