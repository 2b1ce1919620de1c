"""Seeding plans over HTTP: the 种子名单 page's form posts and ``/api/v1/seed-plan``.

A plan is a background job (``reef.server.tasks.start_seed_plan``: IMM takes seconds on a large store and must not
hold a request thread or the event loop), so starting one answers at once — a redirect to ``/seed-plan?job=N`` for
the page, 202 with the job for the API — and the plan is read back from the finished job through
:func:`reef.network.seedplan.seed_plan_view` (names masked for viewers). Recording a plan writes one ``seed`` action
per seed through :func:`reef.network.seedplan.record_seed_plan`. A finished plan downloads as Excel or CSV (the page's
words and columns, names masked for viewers, audited like exports: :mod:`reef.network.seed_download`). A refused form comes back as the page with the
reason in its language (422), like the member form.
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from reef.errors import InvalidParameterError, NotFoundError
from reef.server.deps import Principal, attachment, client_of, get_store, guarded, require
from reef.server.jobs import JOB_ID_BOUNDS
from reef.server.schemas import SeedPlanIn, SeedRecordIn

__all__ = ["build_seed_router", "seed_form_error"]


def seed_form_error(exc: Exception, lang: str, typed: dict[str, str] | None = None) -> str:
    """What the 种子名单 page says when a plan or its recording is refused, in the page's language (``typed``: what
    was typed, for errors that do not carry the value).

    >>> seed_form_error(InvalidParameterError("k", "0", "a whole number from 1 to 50"), "zh")
    '种子人数应是 1 到 50 之间的整数。'
    """
    import re

    from reef.actions.kinds import MAX_NOTE_CHARS
    from reef.network.seedplan import MAX_TOPIC_CHARS
    from reef.web.messages import tr

    field = _field_of(exc)
    value = getattr(exc, "value", None)
    if field == "k":
        top = re.search(r"to (\d+)", str(getattr(exc, "expected", "")))
        return tr("seed.error.k", lang, max=top.group(1) if top else "")
    if field == "note":  # the operator's share of the note: the plan's summary takes the rest (seedplan.note_limit)
        top = re.search(r"at most (\d+)", str(getattr(exc, "expected", "")))
        return tr("seed.error.note", lang, limit=int(top.group(1)) if top else MAX_NOTE_CHARS)
    if field in ("topic", "as_of"):
        return tr(f"seed.error.{field}", lang, limit=MAX_TOPIC_CHARS)
    if field in ("circle", "exclude"):
        shown = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value or "")
        return tr(f"seed.error.{field}", lang, value=shown)
    if field == "campaign":
        return tr("form.campaign_missing", lang, value=(typed or {}).get("campaign", "").strip())
    if field in ("seeds", "job"):
        return tr("seed.error.not_done", lang)
    return getattr(exc, "message", str(exc))


def _field_of(exc: Exception) -> str:
    """The form field a refused post names ('' when it names none)."""
    return getattr(exc, "name", None) or getattr(getattr(exc, "where", None), "field", None) or ""


def _finished_plan(state, job_id: int) -> dict[str, Any]:
    """The job's plan when it is a seed plan that finished; a plan still running (or failed) cannot be recorded."""
    job = state.jobs.get(job_id)
    if job["kind"] != "seed_plan":
        raise NotFoundError(f"Job {job_id} is no seed plan.", hint="GET /api/v1/jobs lists the jobs and their kinds.")
    if job["status"] != "done":
        raise InvalidParameterError("job", job_id, "a seed plan that has finished (this one is " + job["status"] + ")")
    return job["result"]


def _page_again(request: Request, store, who: Principal, **errors: Any):
    from reef.network.seed_page import load_seed_page
    from reef.server.pages import PAGES, render

    data = load_seed_page(store, request, who, **errors)
    return render(request, "seed_plan.html", {"page": PAGES["seed_plan"], **data}, who=who, status_code=422)


def build_seed_router() -> APIRouter:
    from reef.network.seed_download import MEDIA_TYPES

    r = APIRouter(tags=["seed-plan"])

    @guarded(r, "POST", "/seed-plan", "operator", include_in_schema=False)
    def start_page(request: Request, k: str = Form(""), topic: str = Form(""), circle: str = Form(""),
                   exclude: str = Form(""), as_of: str = Form(""), store=Depends(get_store),
                   who: Principal = Depends(require("operator"))):
        from reef.server.pages import lang_of
        from reef.server.tasks import start_seed_plan

        typed = {"k": k, "topic": topic, "circle": circle, "exclude": exclude, "as_of": as_of}
        try:
            job = start_seed_plan(request.app.state, who, client_of(request), **typed)
        except (InvalidParameterError, NotFoundError) as exc:  # the page again, with what was typed and why
            return _page_again(request, store, who, form=typed, form_error=seed_form_error(exc, lang_of(request)),
                               form_field=_field_of(exc))
        return RedirectResponse(f"/seed-plan?job={job['job_id']}", status_code=303)

    @guarded(r, "POST", "/seed-plan/{job_id}/record", "operator", include_in_schema=False)
    def record_page(job_id: int, request: Request, campaign: str = Form(""), note: str = Form(""), store=Depends(get_store),
                    who: Principal = Depends(require("operator"))):
        from urllib.parse import urlencode

        from reef.network.seedplan import record_seed_plan
        from reef.server.pages import lang_of

        lang = lang_of(request)
        try:
            done = record_seed_plan(store, _finished_plan(request.app.state, job_id), campaign=campaign.strip() or None,
                                    note=note, lang=lang, by=who.username, role=who.role, client=client_of(request))
        except (InvalidParameterError, NotFoundError) as exc:
            if isinstance(exc, NotFoundError) and not (exc.where and exc.where.field):
                raise  # no such job: the error page
            # the plan the button was under (load_seed_page reads the path's job id), with the reason
            return _page_again(request, store, who, record_error=seed_form_error(exc, lang, {"campaign": campaign}))
        query = {"job": job_id, **{k: ",".join(v) for k, v in done.items() if v}}
        return RedirectResponse(f"/seed-plan?{urlencode(query)}#record", status_code=303)

    @guarded(r, "POST", "/api/v1/seed-plan", "operator", status_code=202,
             summary="Start a seeding plan (IMM) in the background; read it with GET /api/v1/seed-plan/{job_id}")
    def start_api(body: SeedPlanIn, request: Request, who: Principal = Depends(require("operator"))):
        from reef.server.tasks import start_seed_plan

        return start_seed_plan(request.app.state, who, client_of(request), **body.model_dump())

    @guarded(r, "GET", "/api/v1/seed-plan/{job_id}", "viewer",
             summary="A seeding plan: seeds with reasons, expected reach with 95% CI against the alternatives",
             bounds=JOB_ID_BOUNDS)
    def read_api(job_id: int, request: Request, lang: Optional[str] = None, store=Depends(get_store),
                 who: Principal = Depends(require("viewer"))):
        from reef.i18n import check_lang
        from reef.network.seedplan import seed_plan_view
        from reef.server.job_views import job_error_shown, job_view

        lang = check_lang(lang or request.app.state.config.get("general.language"))
        job = request.app.state.jobs.get(job_id)
        if job["kind"] != "seed_plan":
            raise NotFoundError(f"Job {job_id} is no seed plan.", hint="GET /api/v1/jobs lists the jobs and their kinds.")
        view = job_view(job, lang, masked=who.masked)
        plan = seed_plan_view(store, job["result"], masked=who.masked, lang=lang) if job["status"] == "done" else None
        error = job_error_shown(view["error"], admin=who.role == "admin")  # an unexpected error's trace: admins only
        return {"job_id": job_id, "status": job["status"], "progress": view["progress_text"], "error": error,
                "params": view["params"], "plan": plan, "lang": lang}

    @guarded(r, "GET", "/api/v1/seed-plan/{job_id}/download", "viewer",
             summary="Download a finished plan (format xlsx or csv): seeds, expected reach with 95% CI, members left out",
             media=tuple(MEDIA_TYPES.values()), choices={"format": MEDIA_TYPES}, bounds=JOB_ID_BOUNDS)
    def download_api(job_id: int, request: Request, format: str = "xlsx", lang: Optional[str] = None,  # noqa: A002
                     store=Depends(get_store), who: Principal = Depends(require("viewer"))):
        from reef.actions.log import audit
        from reef.i18n import check_lang
        from reef.network.seed_download import seed_plan_file
        from reef.network.seedplan import seed_plan_view
        from reef.server.pages import lang_of

        lang = check_lang(lang) if lang else lang_of(request)  # the dashboard's language when not asked
        if format not in MEDIA_TYPES:
            raise InvalidParameterError("format", format, "xlsx or csv")
        view = seed_plan_view(store, _finished_plan(request.app.state, job_id), masked=who.masked, lang=lang)
        content, name = seed_plan_file(view, format, lang, job_id)
        if not store.read_only:  # downloads are audited like exports
            audit(store, who.username, who.role, "seed_plan.download", name, {"job": job_id, "format": format,
                                                                              "masked": who.masked}, client_of(request))
        return Response(content, media_type=MEDIA_TYPES[format],
                        headers=attachment(name))

    @guarded(r, "POST", "/api/v1/seed-plan/{job_id}/record", "operator", status_code=201,
             summary="Record a finished plan as one open seed action per seed", bounds=JOB_ID_BOUNDS)
    def record_api(job_id: int, body: SeedRecordIn, request: Request, store=Depends(get_store),
                   who: Principal = Depends(require("operator"))):
        from reef.network.seedplan import record_seed_plan

        return record_seed_plan(store, _finished_plan(request.app.state, job_id), campaign=body.campaign, note=body.note,
                                lang=request.app.state.config.get("general.language"), by=who.username, role=who.role,
                                client=client_of(request))

    return r
