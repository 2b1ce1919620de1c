"""Operator actions and access: users, sessions, the 任务 list, the audit log, read views (tables, a member, a post), masking.

The library behind ``reef serve``, ``reef user`` and ``reef export``: every surface calls these
functions and adds nothing but parsing and rendering (docs/surfaces.md).

Example:
    >>> from reef.actions import allowed
    >>> allowed("admin", "operator")
    True
"""
from reef.actions.access import (ROLES, AuthenticationError, CsrfError, PermissionDeniedError, RateLimitedError,
                                 allowed, check_role)
from reef.actions.kinds import ACTION_KINDS, ACTION_STATUSES, OFFERED_KINDS
from reef.actions.listing import audit_entries, list_actions
from reef.actions.log import audit, record_action, update_action, withdraw_action
from reef.actions.privacy import mask_contact, mask_rows, mask_text
from reef.actions.users import (LoginLimiter, add_user, authenticate, create_session, end_session, issue_token,
                                list_users, session_for, user_for_token)
from reef.actions.content import content_view
from reef.actions.views import VIEWS, TableView, member_profile, page_view, register_view

__all__ = [
    "ROLES", "AuthenticationError", "CsrfError", "PermissionDeniedError", "RateLimitedError", "allowed", "check_role",
    "ACTION_KINDS", "ACTION_STATUSES", "OFFERED_KINDS", "audit", "audit_entries", "list_actions", "record_action", "update_action",
    "withdraw_action",
    "mask_contact", "mask_rows", "mask_text", "LoginLimiter", "add_user", "authenticate", "create_session",
    "end_session", "issue_token", "list_users", "session_for", "user_for_token", "VIEWS", "TableView",
    "member_profile", "page_view", "register_view", "content_view",
]
