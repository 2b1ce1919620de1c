"""Operator actions on members (the 任务 list) and the audit log of everything anyone did.

An *action* is what the operations team does or plans to do about a member: recognise them,
invite them to a group, appoint a group leader, add them to a project team, seat them on the
advisory council, assign a task ... Actions are rows of the canonical ``operator_actions``
entity (ids ``ui-<n>``; imported actions keep their own ids), so analyses see them like any
other data. One starts ``open`` (or ``done`` when recorded after the fact) and can move to
``done`` or ``cancelled``. Each kind takes its own details (:data:`ACTION_DETAILS`): the group in
the ``group_id`` column, the rest (recognition text, team and role, task layer, brief and due
date) in ``attrs`` beside who created and changed it. Every change to an action, every login,
import, analysis run and export also lands in ``audit_log`` with who, when and what.

Example:
    >>> from reef.store import open_store
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
from datetime import date, datetime, timezone
from typing import Any, Mapping

from reef.errors import InvalidParameterError, Location, NotFoundError
from reef.model.schema import ACTION_KINDS as _MODEL_KINDS
from reef.i18n import register_code_labels
from reef.params import check_paging, parse_day

__all__ = ["ACTION_KINDS", "OFFERED_KINDS", "RETIRED_KINDS", "ACTION_STATUSES", "ACTION_DETAILS", "ONCE_A_DAY", "TASK_LAYERS", "actions_today", "record_action", "update_action",
           "list_actions", "audit", "audit_entries"]

# Kind -> (Chinese label, English label), one per kind of the canonical model.
ACTION_KINDS: dict[str, tuple[str, str]] = {
    "recognise": ("表彰", "Recognise"),
    "invite": ("邀请加入", "Invite"),
    "appoint_leader": ("任命组长", "Appoint a group leader"),
    "add_to_team": ("加入项目团队", "Add to a project team"),
    "seat_council": ("进入顾问团", "Seat on the council"),
    "seed": ("话题播种", "Seed a topic"),
    "boost": ("助推内容", "Boost"),
    "assign_task": ("分派任务", "Assign a task"),
    "complete_task": ("完成任务", "Complete a task"),
    "respond": ("官方回应", "Official response"),
    "note": ("备注", "Note"),
    "dismiss_alert": ("忽略提醒", "Dismiss an alert"),
}
assert set(ACTION_KINDS) == set(_MODEL_KINDS), "ACTION_KINDS must label exactly the model's kinds"
# Kinds the model still accepts from imports (and lists with their labels) but Reef no longer records: nothing read a
# dismiss_alert (it named no alert), so offering it promised an effect that never came (docs/actions.md).
RETIRED_KINDS = ("dismiss_alert",)
OFFERED_KINDS = {k: v for k, v in ACTION_KINDS.items() if k not in RETIRED_KINDS}
ACTION_STATUSES = ("open", "done", "cancelled")
register_code_labels({**ACTION_KINDS, "open": ("待办", "open"), "done": ("已完成", "done"), "cancelled": ("已取消", "cancelled")})
TASK_LAYERS = ("plaza", "group", "team", "council")
MAX_NOTE_CHARS = 2000
MAX_NAME_CHARS = 200

# Kind -> {detail: required?}. "group" goes to the group_id column, "content" (a content id) to content_id, "campaign"
# (a campaign id) to campaign_id, the rest to attrs. A detail a
# kind does not list is refused, so a typo (a team on a recognition) never disappears silently.
ACTION_DETAILS: dict[str, dict[str, bool]] = {
    "recognise": {"text": False, "content": False},  # the recognition text used (falls back to the note); the post
    "boost": {"content": False, "campaign": False},  # the item boosted; the campaign it carried
    "seed": {"campaign": False},            # the campaign the member is asked to start (a plan from 种子名单)
    "respond": {"content": False},          # the complaint or rumour answered: resolved / corrected on the risk radar
    "invite": {"group": False},             # without a group: an invitation to an event or the council
    "appoint_leader": {"group": True},
    "add_to_team": {"team": True, "role": False},
    "seat_council": {"group": False},
    "assign_task": {"layer": False, "brief": True, "due": False, "group": False, "team": False},
    "complete_task": {"task": False},       # the assign_task action it completes (marked done too)
}
# Kinds recorded at most once a day per member, campaign and content: recording the same again (a second click on
# 记录助推, a seed plan recorded twice) returns the action already recorded, marked ``already_recorded``, instead of a
# duplicate.
ONCE_A_DAY = ("boost", "seed")
_TEXT_DETAILS = ("text", "brief")  # free text: up to MAX_NOTE_CHARS, masked in exports with the note
_ATTR_DETAILS = ("text", "team", "role", "layer", "brief", "due", "task")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def audit(store, username: str | None, role: str | None, action: str, target: str | None = None,
          details: dict[str, Any] | None = None, client: str | None = None) -> None:
    """Append one entry to the audit log (joins an open transaction, else its own)."""
    with store.transaction():
        store.execute("INSERT INTO audit_log VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?, ?)",
                      [_now(), username, role, action, target,
                       json.dumps(details or {}, ensure_ascii=False, default=str), client])


def _check(kind: str | None, status: str | None, note: str | None) -> None:
    if kind is not None and kind not in ACTION_KINDS:
        raise InvalidParameterError("kind", kind, "one of " + ", ".join(ACTION_KINDS))
    if status is not None and status not in ACTION_STATUSES:
        raise InvalidParameterError("status", status, "one of " + ", ".join(ACTION_STATUSES))
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise InvalidParameterError("note", f"{len(note)} characters", f"at most {MAX_NOTE_CHARS} characters")


def _details(kind: str, details: Mapping[str, Any] | None, note: str | None) -> dict[str, Any]:
    """The kind's details, cleaned and checked; fallbacks from the note for texts."""
    given = {k: (str(v).strip() if v is not None else None) for k, v in (details or {}).items()}
    given = {k: v for k, v in given.items() if v}
    allowed = ACTION_DETAILS.get(kind, {})
    for key in given:
        if key not in allowed:
            takes = ", ".join(allowed) if allowed else "nothing beyond the note"
            raise InvalidParameterError(key, given[key], f"no {key} for a '{kind}' action, which takes {takes}")
    if kind == "recognise" and "text" not in given and note:
        given["text"] = note
    if kind == "assign_task" and "brief" not in given and note:
        given["brief"] = note
    for key, required in allowed.items():
        if required and key not in given:
            raise InvalidParameterError(key, None, f"a {key}: a '{kind}' action needs one",
                                        hint=f"Give it with --{key} (CLI) or \"{key}\" (API).")
    for key, value in given.items():
        limit = MAX_NOTE_CHARS if key in _TEXT_DETAILS else MAX_NAME_CHARS
        if len(value) > limit:
            raise InvalidParameterError(key, f"{len(value)} characters", f"at most {limit} characters")
    if "layer" in given and given["layer"] not in TASK_LAYERS:
        raise InvalidParameterError("layer", given["layer"], "one of " + ", ".join(TASK_LAYERS))
    if "due" in given:
        try:  # the whole value: "2026-07-31 maybe later" is not a date
            given["due"] = date.fromisoformat(given["due"]).isoformat()
        except ValueError:
            try:
                given["due"] = datetime.fromisoformat(given["due"]).date().isoformat()
            except ValueError:
                raise InvalidParameterError("due", given["due"], "a date like 2026-07-31") from None
    return given


_COLUMNS = ("action_id, kind, operator, member_id, content_id, campaign_id, "
            "(SELECT any_value(c.name) FROM campaigns c WHERE c.campaign_id = operator_actions.campaign_id) AS campaign_name, "
            "group_id, created_at, status, note, "
            "coalesce(attrs->>'text', CASE WHEN kind = 'recognise' THEN note END) AS text, "
            "attrs->>'team' AS team, attrs->>'role' AS role, attrs->>'layer' AS layer, "
            "attrs->>'brief' AS brief, attrs->>'due' AS due, attrs->>'task' AS task, "
            "(status = 'open' AND TRY_CAST(attrs->>'due' AS DATE) < current_date) AS overdue, "
            "attrs->>'done_at' AS done_at, attrs->>'source' AS source, attrs->>'updated_by' AS updated_by, "
            "attrs->>'updated_at' AS updated_at")


def actions_today(store, kind: str, *, campaign: str | None = None, member: str | None = None) -> dict[tuple, str]:
    """The first live (not cancelled) ``kind`` action recorded today (the store's zone) per (member, campaign, content),
    optionally of one ``campaign`` or ``member``: what :data:`ONCE_A_DAY` checks, and what 活动与涟漪 shows instead of
    the button.

    >>> from reef.store import open_store
    >>> actions_today(open_store(":memory:"), "boost")
    {}
    """
    rows = store.fetch_all(
        "SELECT member_id, campaign_id, content_id, arg_min(action_id, (created_at, length(action_id), action_id)) "
        "FROM operator_actions WHERE kind = $k AND status <> 'cancelled' AND CAST(created_at AS DATE) = current_date "
        "AND ($c IS NULL OR campaign_id = $c) AND ($m IS NULL OR member_id = $m) GROUP BY ALL",
        {"k": kind, "c": campaign, "m": member})
    return {(m, c, x): a for m, c, x, a in rows}


def record_action(store, member_id: str, kind: str, *, note: str | None = None, status: str = "open",
                  details: Mapping[str, Any] | None = None, source: str | None = None, by: str | None = None,
                  role: str | None = None, client: str | None = None) -> dict[str, Any]:
    """Record an action on a member (who must exist) and audit it; returns the stored row.

    ``details`` holds what the kind takes (:data:`ACTION_DETAILS`): ``group`` (a group id),
    ``content`` (a content id: the post recognised or boosted, the complaint a ``respond`` answers),
    ``campaign`` (a campaign id: the campaign a boost carried), ``text``, ``team``, ``role``, ``layer``,
    ``brief``, ``due`` (a date) or ``task`` (an action id). A kind in :data:`ONCE_A_DAY` already recorded
    today (the store's time zone) for the same member, campaign and content, and not cancelled, is not
    recorded again: that action is returned with ``already_recorded`` set (nothing written or audited).
    A content or campaign id that does not exist is a :class:`NotFoundError` whose ``where.field`` names it.
    """
    _check(kind, status, note)
    if kind in RETIRED_KINDS:
        raise InvalidParameterError("kind", kind, "one of " + ", ".join(OFFERED_KINDS),
                                    hint="Alerts are not dismissed by an action: record the official response (respond) on the "
                                         "post, or a note.")
    if status == "cancelled":
        raise InvalidParameterError("status", status, "open or done for a new action (cancel it afterwards)")
    if kind == "complete_task":
        status = "done"  # it records a completion: an open one would add a task instead of closing one
    if not store.fetch_value("SELECT count(*) FROM members WHERE member_id = ?", [member_id]):
        raise NotFoundError(f"No member with id '{member_id}'.")
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


def _get(store, action_id: str) -> dict[str, Any]:
    rows = store.fetch_dicts(f"SELECT {_COLUMNS} FROM operator_actions WHERE action_id = ?", [action_id])
    if not rows:
        raise NotFoundError(f"No action with id {action_id}.", hint="List actions with `reef action list`.")
    return _iso(rows[0])


def update_action(store, action_id: str, *, status: str | None = None, note: str | None = None,
                  by: str | None = None, role: str | None = None, client: str | None = None) -> dict[str, Any]:
    """Change an action's status and/or note (marking a task done is ``status="done"``), and audit it."""
    _check(None, status, note)
    before = _get(store, action_id)
    if status is not None and status != before["status"] and before["status"] != "open":
        # done and cancelled are final: a finished task reopened would carry its done_at and show as overdue.
        raise InvalidParameterError("status", status, f"no change: action {action_id} is already {before['status']}",
                                    hint="Record a new action instead.")
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


def _paged(store, base: str, where: list[str], params: list[Any], order: str, page: int, per_page: int,
           columns: str = "*", max_per_page: int | None = None) -> dict[str, Any]:
    check_paging(page, per_page, max_per_page=max_per_page)
    sql_where = " WHERE " + " AND ".join(where) if where else ""
    total = int(store.fetch_value(f"SELECT count(*) FROM {base}{sql_where}", params))
    rows = store.fetch_dicts(f"SELECT {columns} FROM {base}{sql_where} ORDER BY {order} LIMIT ? OFFSET ?",
                             params + [per_page, (page - 1) * per_page])
    return {"items": [_iso(r) for r in rows], "page": page, "per_page": per_page, "total": total,
            "pages": max(1, -(-total // per_page))}


def list_actions(store, *, member_id: str | None = None, status: str | None = None, kind: str | None = None,
                 group_id: str | None = None, team: str | None = None, since: Any = None, until: Any = None,
                 page: int = 1, per_page: int = 50, max_per_page: int | None = None,
                 masked: bool = False) -> dict[str, Any]:
    """Actions newest first, filtered by member, status, kind, group, team and creation date; paginated.

    Each item carries its details as columns (``text``, ``team``, ``role``, ``layer``, ``brief``,
    ``due``, ``task``) and ``overdue`` (an open task past its due date). ``masked``: personal data in
    the free texts (note, recognition text, brief) masked, as viewers see them.
    """
    _check(kind, status, None)
    where, params = [], []
    for col, value in (("member_id", member_id), ("status", status), ("kind", kind), ("group_id", group_id),
                       ("attrs->>'team'", team)):
        if value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    lo, hi = parse_day("since", since), parse_day("until", until)
    if lo is not None:
        where.append("CAST(created_at AS DATE) >= CAST(? AS DATE)")
        params.append(lo)
    if hi is not None:
        where.append("CAST(created_at AS DATE) <= CAST(? AS DATE)")
        params.append(hi)
    out = _paged(store, "operator_actions", where, params, "created_at DESC, action_id DESC", page, per_page, _COLUMNS,
                 max_per_page=max_per_page)
    if masked:
        from reef.actions.privacy import mask_rows

        out["items"] = mask_rows(out["items"], ("note",) + _TEXT_DETAILS)
    return out


def audit_entries(store, *, username: str | None = None, action: str | None = None,
                  page: int = 1, per_page: int = 50, max_per_page: int | None = None) -> dict[str, Any]:
    """The audit log newest first, optionally for one user or one action name; paginated."""
    where, params = [], []
    for col, value in (("username", username), ("action", action)):
        if value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    return _paged(store, "audit_log", where, params, "audit_id DESC", page, per_page, max_per_page=max_per_page)
