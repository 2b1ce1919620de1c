"""The built-in pages' form posts: an action recorded from a member's page, a task's status or its withdrawal, an
import or an analysis started from 导入. Each is a role-guarded POST that calls ONE library function and redirects (303).

A member form the library refuses is shown again (422) with what was typed and the reason in the page's language
(:func:`form_error`). Added to the pages' router by :func:`reef.server.pages.build_pages_router`.
"""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse

from reef import actions as A
from reef.errors import InvalidParameterError
from reef.server.deps import Principal, client_of, get_store, guarded, require
from reef.server.pages import PAGES, _load_member, lang_of, render
from reef.web.messages import tr

__all__ = ["add_form_posts", "form_error"]


# The member form's fields as its error messages name them (message keys).
_FORM_FIELDS = {"kind": "field.kind", "status": "field.status", "note": "field.note", "group": "action.group",
                "content": "action.content_id", "campaign": "action.campaign", "team": "action.team", "role": "action.role",
                "layer": "action.layer", "brief": "action.brief", "due": "action.due", "text": "action.text", "task": "action.task",
                "topic": "action.topic"}


def form_error(exc: Exception, kind: str, lang: str, values: dict[str, str] | None = None) -> str:
    """What the member form says, in the page's language, when :func:`reef.actions.record_action` refuses it: the
    field at fault in the form's own words (no CLI or API hints on a dashboard page). ``values``: what was typed.

    >>> from reef.errors import InvalidParameterError
    >>> form_error(InvalidParameterError("group", None, "a group"), "appoint_leader", "zh")
    '「任命组长」需要填写小组ID。'
    """
    import re

    from reef.actions.kinds import ACTION_DETAILS

    field = _field_of(exc)

    def name(key: str) -> str:  # a field's label inside a sentence ("needs the group id")
        text = tr(_FORM_FIELDS[key], lang) if key in _FORM_FIELDS else key
        return text[:1].lower() + text[1:] if lang == "en" else text

    label = name(field)
    kind_label = A.ACTION_KINDS.get(kind, (kind, kind))[lang == "en"]
    takes = ACTION_DETAILS.get(kind, {})
    value = getattr(exc, "value", None)
    expected = str(getattr(exc, "expected", ""))
    if isinstance(exc, InvalidParameterError):
        if field in takes and takes[field] and value is None:
            return tr("form.needs", lang, kind=kind_label, field=label)
        if field in _FORM_FIELDS and field not in ("kind", "status", "note") and field not in takes:
            names = ("、" if lang == "zh" else ", ").join(name(k) for k in takes)
            return tr("form.not_taken", lang, kind=kind_label, field=label, takes=names) if names else \
                tr("form.not_taken_none", lang, kind=kind_label, field=label)
        limit = re.match(r"at most (\d+) characters", expected)
        if limit:
            return tr("form.too_long", lang, field=label, limit=int(limit.group(1)))
        if field in ("due", "task"):
            return tr(f"form.{field}", lang)
        return tr("form.invalid", lang, field=label, expected=expected)
    if field in ("content", "campaign", "group"):
        return tr(f"form.{field}_missing", lang, value=(values or {}).get(field, "").strip())
    return getattr(exc, "message", str(exc))


def _field_of(exc: Exception) -> str:
    """The form field a refused post names ('' when it names none)."""
    return getattr(exc, "name", None) or getattr(getattr(exc, "where", None), "field", None) or ""


def _with_query(path: str, name: str, value: str) -> str:
    """``path`` (a same-site path, maybe with a query and a fragment) with ``name=value`` added to its query."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("recorded", "already")]
    return urlunsplit(("", "", parts.path, urlencode([*query, (name, value)]), parts.fragment))


def add_form_posts(r: APIRouter) -> None:
    """The form posts of the member, 任务 and 导入 pages, on the pages' router ``r``."""

    @guarded(r, "POST", "/members/{member_id}/actions", "operator", include_in_schema=False)
    def record(member_id: str, request: Request, kind: str = Form(...), note: str = Form(""),
               status: str = Form(""), next: str = Form(""), group: str = Form(""), content: str = Form(""),  # noqa: A002
               campaign: str = Form(""), team: str = Form(""), role: str = Form(""), layer: str = Form(""),
               brief: str = Form(""), due: str = Form(""), text: str = Form(""), task: str = Form(""), topic: str = Form(""),
               store=Depends(get_store), who: Principal = Depends(require("operator"))):
        from reef.errors import NotFoundError

        typed = {"group": group, "content": content, "campaign": campaign, "team": team, "role": role, "layer": layer,
                 "brief": brief, "due": due, "text": text, "task": task, "topic": topic}
        # The form offers every detail field; only those filled in are passed, so each kind gets its own.
        filled = {k: v.strip() for k, v in typed.items() if v.strip()}
        try:
            # No status chosen: the kind's default, as in the library (a recognise or a respond is recorded done).
            action = A.record_action(store, member_id, kind, note=note or None, status=status or None, details=filled or None,
                                     source="dashboard", by=who.username, role=who.role, client=client_of(request))
        except (InvalidParameterError, NotFoundError) as exc:
            if isinstance(exc, NotFoundError) and not (exc.where and exc.where.field):
                raise  # no such member: the error page
            # The member's page again, with what was typed and the problem in the page's language.
            form = {"kind": kind, "note": note, "status": status, **typed}
            data = _load_member(store, request, who, form=form, form_error=form_error(exc, kind, lang_of(request), typed),
                                form_field=_field_of(exc))
            return render(request, "member.html", {"page": PAGES["member"], **data}, who=who, status_code=422)
        again = "already" if action.get("already_recorded") else "recorded"
        # Back to the page the action was taken on (a boost from 活动与涟漪, told what was recorded), same-site paths only.
        if next.startswith("/") and not next.startswith("//"):
            return RedirectResponse(_with_query(next, again, action["action_id"]), status_code=303)
        back = f"/members/{quote(member_id, safe='')}"
        return RedirectResponse(_with_query(back, again, action["action_id"]) if again == "already" else back, status_code=303)

    @guarded(r, "POST", "/tasks/{action_id}", "operator", include_in_schema=False)
    def update(action_id: str, request: Request, status: str = Form(...), store=Depends(get_store),
               who: Principal = Depends(require("operator"))):
        A.update_action(store, action_id, status=status, by=who.username, role=who.role, client=client_of(request))
        return RedirectResponse("/tasks", status_code=303)

    @guarded(r, "POST", "/tasks/{action_id}/withdraw", "operator", include_in_schema=False)
    def withdraw(action_id: str, request: Request, reason: str = Form(""), store=Depends(get_store),
                 who: Principal = Depends(require("operator"))):
        A.withdraw_action(store, action_id, reason, by=who.username, role=who.role, client=client_of(request))
        return RedirectResponse("/tasks", status_code=303)

    @guarded(r, "POST", "/imports/analyze", "operator", include_in_schema=False)
    def analyze(request: Request, who: Principal = Depends(require("operator"))):
        from reef.server.tasks import start_analyze
        start_analyze(request.app.state, who, client_of(request))
        return RedirectResponse("/imports", status_code=303)

    @guarded(r, "POST", "/imports/quarantine-clear", "operator", include_in_schema=False)
    def quarantine_clear(request: Request, import_id: str = Form(""), store=Depends(get_store),
                         who: Principal = Depends(require("operator"))):
        from reef.ingest.dismiss import dismiss_quarantine
        which = {"everything": True} if import_id == "all" else {"import_id": int(import_id) if import_id.isdigit() else -1}
        dismiss_quarantine(store, **which, by=who.username, role=who.role, client=client_of(request))
        return RedirectResponse("/imports", status_code=303)

    @guarded(r, "POST", "/imports/upload", "operator", include_in_schema=False)
    def upload(request: Request, files: list[UploadFile] = File(...), format: str = Form("auto"),  # noqa: A002
               who: Principal = Depends(require("operator"))):
        from reef.server.tasks import start_import
        job = start_import(request.app.state, who, client_of(request), files, fmt=format)
        return RedirectResponse(f"/imports?job={job['job_id']}", status_code=303)
