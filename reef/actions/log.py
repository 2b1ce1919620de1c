"""Operator actions on members (the 任务 list) and the audit log of everything anyone did.

An *action* is what the operations team does or plans to do about a member: recognise them,
invite them to a group, appoint a group leader, add them to a project team, seat them on the
advisory council, assign a task ... Actions are rows of the canonical ``operator_actions``
entity (ids ``ui-<n>``; imported actions keep their own ids), so analyses see them like any
other data. One starts ``open`` (or ``done`` when recorded after the fact: a recognise or respond does unless told
otherwise, :data:`reef.actions.kinds.DONE_KINDS`) and can move to
``done`` or ``cancelled``; a done one recorded by mistake is *withdrawn* (:func:`withdraw_action`: cancelled, with
the reason). Each kind takes its own details (:data:`reef.actions.kinds.ACTION_DETAILS`): the group in
the ``group_id`` column, the rest (recognition text, team and role, task layer, brief and due
date) in ``attrs`` beside who created and changed it. Every change to an action, every login,
import, analysis run and export also lands in ``audit_log`` with who, when and what.

This module writes (:func:`record_action`, :func:`update_action`, :func:`withdraw_action`, :func:`audit`); the kinds and their checks are
:mod:`reef.actions.kinds`, the reads (:func:`reef.actions.listing.list_actions`, ``audit_entries``) are
:mod:`reef.actions.listing`.

Example:
    >>> from reef.store import open_store
    >>> from reef.actions.listing import audit_entries, list_actions
    >>> s = open_store(":memory:")
    >>> _ = s.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
    >>> a = record_action(s, "m1", "recognise", note="帮助了三位新车主", by="li")
    >>> t = record_action(s, "m1", "add_to_team", details={"team": "上手指南", "role": "主笔"}, by="li")
    >>> [(r["kind"], r["team"]) for r in list_actions(s, member_id="m1")["items"]]
    [('add_to_team', '上手指南'), ('recognise', None)]
    >>> audit_entries(s)["items"][0]["action"]
    'action.create'
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Mapping

from reef.actions.kinds import (MAX_NOTE_CHARS, NEW_STATUSES, OFFERED_KINDS, ONCE_A_DAY, RETIRED_KINDS, _TEXT_DETAILS, _check,
                               _details, default_status)
from reef.actions.listing import _get, actions_today
from reef.errors import InvalidParameterError, Location, NotFoundError
from reef.i18n import plural

__all__ = ["audit", "record_action", "update_action", "withdraw_action"]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def audit(store, username: str | None, role: str | None, action: str, target: str | None = None,
          details: dict[str, Any] | None = None, client: str | None = None) -> None:
    """Append one entry to the audit log (joins an open transaction, else its own)."""
    with store.transaction():
        store.execute("INSERT INTO audit_log VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?, ?)",
                      [_now(), username, role, action, target,
                       json.dumps(details or {}, ensure_ascii=False, default=str), client])


# Kinds whose group is one of the community's groups: a board of the store (``groups.group_id``) or an interest circle
# found by ``reef groups`` (``layers_circles.circle_id``). seat_council's group is the council's own (it may live outside
# the store), so it is not checked.
GROUP_CHECKED_KINDS = ("invite", "appoint_leader", "assign_task")


def _check_group(store, group: str) -> None:
    """Refuse a group id that is neither a group of the store nor an interest circle (``NotFoundError`` on field group)."""
    if store.fetch_value("SELECT count(*) FROM groups WHERE group_id = ?", [group]):
        return
    if store.table_exists("layers_circles") and store.fetch_value(
            "SELECT count(*) FROM layers_circles WHERE circle_id = ?", [group]):
        return
    raise NotFoundError(f"No group or interest circle with id '{group}'.", where=Location(field="group"),
                        hint="Give a group id of the store or an interest circle id (c01 ...): `reef groups` lists the "
                             "circles with their ids, the 组织 page (/org) too.",
                        message_zh=f"找不到ID为“{group}”的小组或兴趣圈。",
                        hint_zh="请填写店内小组ID或兴趣圈ID（c01……）：`reef groups` 列出各兴趣圈及其ID，组织页（/org）也有。",
                        facts={"group": group})


def record_action(store, member_id: str, kind: str, *, note: str | None = None, status: str | None = None,
                  details: Mapping[str, Any] | None = None, source: str | None = None, by: str | None = None,
                  role: str | None = None, client: str | None = None) -> dict[str, Any]:
    """Record an action on a member (who must exist) and audit it; returns the stored row.

    ``status`` is ``open`` or ``done``; without one the kind decides (:func:`reef.actions.kinds.default_status`:
    ``done`` for a recognise or respond, recorded after the fact, ``open`` for the rest).
    ``details`` holds what the kind takes (:data:`ACTION_DETAILS`): ``group`` (a group id),
    ``content`` (a content id: the post recognised or boosted, the complaint a ``respond`` answers),
    ``campaign`` (a campaign id: the campaign a boost carried), ``text``, ``team``, ``role``, ``layer``,
    ``brief``, ``due`` (a date) or ``task`` (an action id). A kind in :data:`ONCE_A_DAY` already recorded
    today (the store's time zone) for the same member, campaign and content, and not cancelled, is not
    recorded again: that action is returned with ``already_recorded`` set (nothing written or audited).
    A content or campaign id that does not exist is a :class:`NotFoundError` whose ``where.field`` names it.
    """
    _check(kind, status, note)
    if status is None:
        status = default_status(kind)
    if kind in RETIRED_KINDS:
        raise InvalidParameterError("kind", kind, "one of " + ", ".join(OFFERED_KINDS),
                                    hint="Alerts are not dismissed by an action: record the official response (respond) on the "
                                         "post, or a note.")
    if status not in NEW_STATUSES:
        raise InvalidParameterError("status", status, " or ".join(NEW_STATUSES) + " for a new action (cancel it afterwards)")
    if kind == "complete_task":
        status = "done"  # it records a completion: an open one would add a task instead of closing one
    if not store.fetch_value("SELECT count(*) FROM members WHERE member_id = ?", [member_id]):
        from reef.ladder.queries import unknown_member

        raise unknown_member(store, member_id)
    extra = _details(kind, details, note)
    task = extra.get("task")
    if task is not None:
        found = _get(store, task)
        if found["kind"] != "assign_task" or found["member_id"] != member_id:
            raise InvalidParameterError("task", task, f"the id of an assign_task action on member {member_id}")
    group = extra.pop("group", None)
    content = extra.pop("content", None)
    campaign = extra.pop("campaign", None)
    if content is not None and not store.fetch_value("SELECT count(*) FROM content WHERE content_id = ?", [content]):
        raise NotFoundError(f"No content item with id '{content}'.", where=Location(field="content"),
                            hint="Give the id of a post or reply in the store (--content).")
    if group is not None and kind in GROUP_CHECKED_KINDS:
        _check_group(store, group)
    if campaign is not None and not store.fetch_value("SELECT count(*) FROM campaigns WHERE campaign_id = ?", [campaign]):
        raise NotFoundError(f"No campaign with id '{campaign}'.", where=Location(field="campaign"),
                            hint="Give the id of a campaign in the store (--campaign).")
    with store.transaction():
        if kind in ONCE_A_DAY:
            earlier = actions_today(store, kind, member=member_id).get((member_id, campaign, content))
            if earlier is not None:
                return {**_get(store, earlier), "already_recorded": True}
        action_id = "ui-{}".format(store.fetch_value("SELECT nextval('action_seq')"))
        now = _now()
        attrs = {"source": source, "updated_by": by, "updated_at": now.isoformat(), **extra}
        if status == "done":
            attrs["done_at"] = now.isoformat()
        store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, content_id, campaign_id, group_id, "
                      "created_at, status, note, attrs, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [action_id, kind, by or "-", member_id, content, campaign, group, now, status, note,
                       json.dumps(attrs, ensure_ascii=False), now])
        audit(store, by, role, "action.create", f"member:{member_id}",
              {"action_id": action_id, "kind": kind, "status": status,
               **({"group": group} if group else {}), **({"content": content} if content else {}),
               **({"campaign": campaign} if campaign else {}), **{k: v for k, v in extra.items() if k not in _TEXT_DETAILS}},
              client)
        if task is not None:
            update_action(store, task, status="done", by=by, role=role, client=client)
    return _get(store, action_id)


def update_action(store, action_id: str, *, status: str | None = None, note: str | None = None,
                  by: str | None = None, role: str | None = None, client: str | None = None) -> dict[str, Any]:
    """Change an action's status and/or note (marking a task done is ``status="done"``), and audit it."""
    _check(None, status, note)
    before = _get(store, action_id)
    if status is not None and status != before["status"] and before["status"] != "open":
        # done and cancelled are final: a finished task reopened would carry its done_at and show as overdue. A done
        # action recorded by mistake is withdrawn instead (withdraw_action: cancelled, with the reason).
        mistaken = before["status"] == "done" and status == "cancelled"
        raise InvalidParameterError("status", status, f"no change: action {action_id} is already {before['status']}",
                                    hint=f"A done action recorded by mistake is withdrawn with the reason: `reef action withdraw "
                                         f"{action_id} --reason TEXT` (API: POST /api/v1/actions/{action_id}/withdraw)."
                                    if mistaken else "Record a new action instead.")
    status = None if status == before["status"] else status
    note = None if note == before["note"] else note
    if status is None and note is None:  # nothing changes: nothing to write or audit
        return before
    now = _now().isoformat()
    patch = {"updated_by": by, "updated_at": now}
    if status == "done" and before["status"] != "done":
        patch["done_at"] = now
    if status == "cancelled" and before["status"] != "cancelled":
        patch["cancelled_at"] = now  # so a read at an earlier as_of still sees the action open
    with store.transaction():
        store.execute("UPDATE operator_actions SET status = coalesce(?, status), note = coalesce(?, note), "
                      "attrs = json_merge_patch(coalesce(attrs, '{}'), ?) WHERE action_id = ?",
                      [status, note, json.dumps(patch), action_id])
        audit(store, by, role, "action.update", f"member:{before['member_id']}",
              {"action_id": action_id, "kind": before["kind"], "from": before["status"], "to": status or before["status"],
               **({"note_changed": True} if note is not None else {})}, client)
    return _get(store, action_id)


def withdraw_action(store, action_id: str, reason: str, *, by: str | None = None, role: str | None = None,
                    client: str | None = None) -> dict[str, Any]:
    """Withdraw a done action recorded by mistake (the wrong member, a recognition never given) and audit it.

    It becomes ``cancelled``: ``attrs.cancelled_at`` is now and ``attrs.withdraw_reason`` the ``reason`` (required);
    its note, details and ``done_at`` stay, so a read as of a moment before the withdrawal still sees it done, and one
    after sees it cancelled (a withdrawn recognise no longer marks a ladder alert 已认可; ``reef effect`` leaves it out
    as cancelled). Only a done action is withdrawn: an open one is cancelled (:func:`update_action`), a cancelled one
    is final. Audited as ``action.update`` from ``done`` to ``cancelled`` with ``withdrawn`` (the reason is free text,
    not audited).

    A withdrawn ``complete_task`` reopens the ``assign_task`` it marked done (:func:`_reopen_task`): the task goes back
    to ``open`` (its ``done_at`` dropped, ``attrs.reopened_at`` and ``attrs.reopened_by`` set; audited as
    ``action.update`` from ``done`` to ``open`` with ``reopened``), unless it was done before the completion was
    recorded or another completion of it still stands. The result's ``reopened_task`` names the task reopened (None
    otherwise, and for every other kind).

    Example:
        >>> from reef.store import open_store
        >>> s = open_store(":memory:")
        >>> _ = s.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
        >>> a = record_action(s, "m1", "recognise", note="帮助了三位新车主", by="li")
        >>> w = withdraw_action(s, a["action_id"], "记错了成员", by="li")
        >>> w["status"], w["withdraw_reason"], w["note"], w["done_at"] is not None
        ('cancelled', '记错了成员', '帮助了三位新车主', True)
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidParameterError("reason", reason, "why the action is withdrawn (required)",
                                    hint='Say why, e.g. --reason "记错了成员" (CLI) or "reason" (API).')
    if len(reason) > MAX_NOTE_CHARS:
        raise InvalidParameterError("reason", plural(len(reason), "character"), "at most " + plural(MAX_NOTE_CHARS, "character"))
    before = _get(store, action_id)
    if before["status"] != "done":
        raise InvalidParameterError(
            "status", before["status"], f"a done action to withdraw: action {action_id} is {before['status']}",
            hint=f"Cancel an open action instead: `reef action cancel {action_id}` (API: PATCH with status=cancelled)."
            if before["status"] == "open" else "A cancelled action is final.")
    now = _now().isoformat()
    patch = {"updated_by": by, "updated_at": now, "cancelled_at": now, "withdraw_reason": reason}
    with store.transaction():
        store.execute("UPDATE operator_actions SET status = 'cancelled', "
                      "attrs = json_merge_patch(coalesce(attrs, '{}'), ?) WHERE action_id = ?",
                      [json.dumps(patch, ensure_ascii=False), action_id])
        audit(store, by, role, "action.update", f"member:{before['member_id']}",
              {"action_id": action_id, "kind": before["kind"], "from": "done", "to": "cancelled", "withdrawn": True}, client)
        reopened = _reopen_task(store, before, now, by, role, client) if before["kind"] == "complete_task" else None
    return {**_get(store, action_id), "reopened_task": reopened}


def _reopen_task(store, completion: dict[str, Any], now: str, by: str | None, role: str | None,
                 client: str | None) -> str | None:
    """Reopen the task a withdrawn completion marked done; returns its id, or None when it stays as it is: no task
    named, the task not done (cancelled, or open already), done before the completion was recorded (done on its own,
    e.g. ``reef action done``), or done by another completion that still stands."""
    task_id = completion.get("task")
    if not task_id:
        return None
    rows = store.fetch_dicts("SELECT status, TRY_CAST(attrs->>'done_at' AS TIMESTAMPTZ) AS done_at FROM operator_actions "
                             "WHERE action_id = ?", [task_id])
    if not rows or rows[0]["status"] != "done" or rows[0]["done_at"] is None:
        return None
    recorded = store.fetch_value("SELECT created_at FROM operator_actions WHERE action_id = ?", [completion["action_id"]])
    if rows[0]["done_at"] < recorded:
        return None
    others = store.fetch_value("SELECT count(*) FROM operator_actions WHERE kind = 'complete_task' AND status = 'done' "
                               "AND attrs->>'task' = ? AND action_id <> ?", [task_id, completion["action_id"]])
    if others:
        return None
    patch = {"done_at": None, "reopened_at": now, "reopened_by": completion["action_id"], "updated_by": by, "updated_at": now}
    store.execute("UPDATE operator_actions SET status = 'open', attrs = json_merge_patch(coalesce(attrs, '{}'), ?) "
                  "WHERE action_id = ?", [json.dumps(patch), task_id])
    audit(store, by, role, "action.update", f"member:{completion['member_id']}",
          {"action_id": task_id, "kind": "assign_task", "from": "done", "to": "open", "reopened": True,
           "withdrawn_completion": completion["action_id"]}, client)
    return task_id
