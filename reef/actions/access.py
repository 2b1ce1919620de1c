"""Roles, permissions and the access errors every surface shares (HTTP, CLI, notebook).

Three roles, ordered: a **viewer** reads (personal data masked), an **operator** also acts on
members (records actions, starts analyses, imports data) and sees contact fields, an **admin** also
manages users, reads the audit log and may export unmasked data. Errors subclass :class:`ReefError`
so the HTTP API renders them in the one JSON error shape with their ``http_status``.

Example:
    >>> allowed("operator", "viewer"), allowed("viewer", "operator")
    (True, False)
"""
from __future__ import annotations

from reef.errors import InvalidParameterError, ReefError

__all__ = ["ROLES", "allowed", "check_role", "AuthenticationError", "PermissionDeniedError", "RateLimitedError",
           "CsrfError"]

ROLES = ("viewer", "operator", "admin")
_RANK = {name: i for i, name in enumerate(ROLES)}


def check_role(role: str) -> str:
    """Validate a role name."""
    if role not in _RANK:
        raise InvalidParameterError("role", role, "one of " + ", ".join(ROLES))
    return role


def allowed(role: str | None, needed: str) -> bool:
    """True when ``role`` is at least ``needed`` (unknown or missing roles are never allowed)."""
    return role in _RANK and _RANK[role] >= _RANK[check_role(needed)]


class AuthenticationError(ReefError, PermissionError):
    """No valid session, token or password."""

    exit_code = 8
    http_status = 401
    code = "not_authenticated"


class PermissionDeniedError(ReefError, PermissionError):
    """Authenticated, but the role does not allow this."""

    exit_code = 8
    http_status = 403
    code = "forbidden"


class CsrfError(PermissionDeniedError):
    """A state-changing request with a session cookie lacked the session's CSRF token."""

    code = "csrf_failed"


class RateLimitedError(ReefError, RuntimeError):
    """Too many attempts (logins) in the configured window."""

    exit_code = 8
    http_status = 429
    code = "rate_limited"
