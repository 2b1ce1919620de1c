"""Kinds of operator action, their statuses and the details each kind takes, with the checks every new or changed
action passes (:func:`reef.actions.log.record_action`, :func:`reef.actions.log.update_action`).

Each kind takes its own details (:data:`ACTION_DETAILS`): the group, content and campaign go to their columns, the
rest (recognition text, team and role, task layer, brief and due date, a seed's topic) to ``attrs``. A detail a kind does not list is
refused; retired kinds (:data:`RETIRED_KINDS`) are still listed with their labels but no longer recorded.

Example:
    >>> OFFERED_KINDS["respond"], "dismiss_alert" in OFFERED_KINDS
    (('官方回应', 'Official response'), False)
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

from reef.errors import InvalidParameterError
from reef.model.schema import ACTION_KINDS as _MODEL_KINDS
from reef.i18n import plural, register_code_labels
from reef.params import DAY_PATTERN

__all__ = ["ACTION_KINDS", "OFFERED_KINDS", "RETIRED_KINDS", "ACTION_STATUSES", "NEW_STATUSES", "ACTION_DETAILS", "ONCE_A_DAY",
           "TASK_LAYERS", "DONE_KINDS", "DUE_EXAMPLE", "DUE_PATTERN", "default_status", "MAX_NOTE_CHARS", "MAX_NAME_CHARS"]

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
NEW_STATUSES = ("open", "done")  # a new action is cancelled afterwards, never recorded cancelled
# Kinds recorded ``done`` unless a status is given: a recognition or an official response is usually recorded after
# it was given (the content page's 官方回应 form starts at done too), and an open one would sit among the open tasks.
# complete_task is always done (:func:`reef.actions.log.record_action`). Every other kind starts open: a plan, a task,
# a seat on a team.
DONE_KINDS = ("recognise", "respond", "complete_task")
register_code_labels({**ACTION_KINDS, "open": ("待办", "open"), "done": ("已完成", "done"), "cancelled": ("已取消", "cancelled")})
TASK_LAYERS = ("plaza", "group", "team", "council")
# A task's due date as the HTTP API documents it: a date, or a date and time (its date is kept), the whole value; the
# check (_details) is Python's fromisoformat, which reads these and a few rarer forms (20260731) besides.
DUE_EXAMPLE = "2026-07-31"
DUE_PATTERN = (DAY_PATTERN + r"([T ]([01][0-9]|2[0-3])(:[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?)?"
               r"(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?$")
MAX_NOTE_CHARS = 2000
MAX_NAME_CHARS = 200

# Kind -> {detail: required?}. "group" goes to the group_id column, "content" (a content id) to content_id, "campaign"
# (a campaign id) to campaign_id, the rest to attrs. A detail a
# kind does not list is refused, so a typo (a team on a recognition) never disappears silently.
ACTION_DETAILS: dict[str, dict[str, bool]] = {
    "recognise": {"text": False, "content": False},  # the recognition text used (falls back to the note); the post
    "boost": {"content": False, "campaign": False},  # the item boosted; the campaign it carried
    "seed": {"campaign": False, "topic": False},  # the campaign the member is asked to start; the plan's topic (种子名单)
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
_ATTR_DETAILS = ("text", "team", "role", "layer", "brief", "due", "task", "topic")


def default_status(kind: str) -> str:
    """The status a new action of ``kind`` gets when none is given: ``done`` for :data:`DONE_KINDS`, else ``open``.

    >>> default_status("recognise"), default_status("respond"), default_status("invite")
    ('done', 'done', 'open')
    """
    return "done" if kind in DONE_KINDS else "open"


def _check(kind: str | None, status: str | None, note: str | None) -> None:
    if kind is not None and kind not in ACTION_KINDS:
        raise InvalidParameterError("kind", kind, "one of " + ", ".join(ACTION_KINDS))
    if status is not None and status not in ACTION_STATUSES:
        raise InvalidParameterError("status", status, "one of " + ", ".join(ACTION_STATUSES))
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise InvalidParameterError("note", plural(len(note), "character"), "at most " + plural(MAX_NOTE_CHARS, "character"))


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
            raise InvalidParameterError(key, plural(len(value), "character"), "at most " + plural(limit, "character"))
    if "layer" in given and given["layer"] not in TASK_LAYERS:
        raise InvalidParameterError("layer", given["layer"], "one of " + ", ".join(TASK_LAYERS))
    if "due" in given:
        try:  # the whole value: "2026-07-31 maybe later" is not a date
            given["due"] = date.fromisoformat(given["due"]).isoformat()
        except ValueError:
            try:
                given["due"] = datetime.fromisoformat(given["due"]).date().isoformat()
            except ValueError:
                raise InvalidParameterError("due", given["due"], f"a date like {DUE_EXAMPLE}") from None
    return given
