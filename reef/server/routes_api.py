"""JSON endpoints under ``/api/v1``: each parses its input, calls one library function, returns JSON.

Read endpoints are paginated (``page``, ``per_page``) and filter by date (``since``, ``until``)
plus each view's own filters; every registered :class:`reef.actions.TableView` gets
``GET /api/v1/<view>`` automatically. Write endpoints (actions, analyses, imports) need an operator;
the audit log and unmasked exports an admin. All writes land in the audit log.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from reef import actions as A
from reef.errors import InvalidParameterError
from reef.i18n import check_lang
from reef.server.cache import cached_json
from reef.server.deps import Principal, attachment, client_of, get_store, guarded, require
from reef.server.jobs import JOB_ID_BOUNDS
from reef.server.schemas import ActionIn, ActionPatch, ActionWithdraw, AnalyzeIn, QuarantineDismissIn, ReportIn, WebhookIn, WebhookTestIn

__all__ = ["build_api_router"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# GET /export: the file each ``format`` sends (zip: CSV files) and the ``headers`` it takes (checked and documented).
EXPORT_TYPES = {"xlsx": XLSX, "zip": "application/zip"}
EXPORT_HEADERS = ("labels", "raw")


def _per_page(request: Request, per_page: Optional[int]) -> int:
    # 0 is a bad page size like -5 (check_paging says so), not a request for the default
    return int(request.app.state.config.get("server.page_size")) if per_page is None else per_page


def _max_per_page(request: Request) -> int:
    return int(request.app.state.config.get("server.max_page_size"))


def _view_route(router: APIRouter, view: A.TableView) -> None:
    params = [{"name": f, "in": "query", "required": False,
               "schema": {"type": "string", **({"enum": list(view.choices[f])} if f in view.choices else {})},
               "description": f"Only rows whose {f} equals this"} for f in view.filters]
    if view.label_columns:  # the language of the <column>_label codes (read from the query: see read_view)
        params.append({"name": "lang", "in": "query", "required": False, "schema": {"type": "string"},
                       "description": "The language of the *_label columns (default: general.language)"})

    async def read_view(request: Request, since: Optional[str] = None, until: Optional[str] = None,
                        q: Optional[str] = None, sort: Optional[str] = None, page: int = 1,
                        per_page: Optional[int] = None, store=Depends(get_store),
                        who: Principal = Depends(require("viewer"))):
        filters = {f: request.query_params.get(f) for f in view.filters if f in request.query_params}
        size = _per_page(request, per_page)
        lang = (request.query_params.get("lang") or request.app.state.config.get("general.language")) if view.label_columns else "zh"
        key = ("view", view.name, since, until, tuple(sorted(filters.items())), q, sort, page, size, who.masked, lang)
        return await cached_json(request, key, lambda: A.page_view(
            store, view.name, since=since, until=until, filters=filters, q=q, sort=sort, page=page, per_page=size,
            masked=who.masked, max_per_page=_max_per_page(request), lang=lang))

    read_view.__name__ = f"read_{view.name}"
    guarded(router, "GET", f"/{view.name}", "viewer", summary=view.title.get("en", view.name),
            description=f"{view.title.get('zh', '')}: one page of `{view.table}`; "
                        + (f"date column `{view.date_column}`" if view.date_column else "no date column (since/until do not apply)")
                        + f"; search {list(view.search)}; sort {list(view.sortable)}.",
            choices={"sort": view.sort_orders or ("",)},  # an unsortable view takes sort= empty only
            # x-reef-view: the filters are documented by their columns' types (reef.server.openapi_params)
            openapi_extra={"parameters": params, "x-reef-view": view.name})(read_view)


def build_api_router() -> APIRouter:
    """All /api/v1 routes; built after capabilities registered their views."""
    from reef.actions.effect_data import OUTCOMES
    from reef.ingest import FORMATS as IMPORT_FORMATS
    from reef.params import MAX_DAYS  # effect_params: a window from 1 day to MAX_DAYS
    from reef.risks.weekly import MAX_WEEKS
    from reef.server.outputs import REPORT_TYPES

    r = APIRouter(prefix="/api/v1", tags=["api"])

    @guarded(r, "GET", "/me", "viewer", summary="Who am I (user, role, CSRF token for this session)")
    def me(who: Principal = Depends(require("viewer"))):
        return {"username": who.username, "role": who.role, "csrf_token": who.csrf_token, "masked": who.masked}

    @guarded(r, "GET", "/status", "viewer", summary="Store counts, date range, imports, quarantine, analysis runs")
    async def status(request: Request, store=Depends(get_store)):
        from reef.analyses.overview_readers import status_summary  # big-table parts precomputed by `store_overview`
        return await cached_json(request, ("status",), lambda: status_summary(store))

    @guarded(r, "POST", "/quarantine/dismiss", "operator", summary="Dismiss quarantined rows of one import, or all")
    def dismiss(body: QuarantineDismissIn, request: Request, store=Depends(get_store),
                who: Principal = Depends(require("operator"))):
        from reef.ingest.dismiss import dismiss_quarantine
        n = dismiss_quarantine(store, import_id=body.import_id, everything=body.all, by=who.username, role=who.role,
                               client=client_of(request))
        return {"dismissed": n}

    @guarded(r, "GET", "/overview", "viewer", summary="The 今日 page's data: alerts, trend, whom to recognise")
    async def overview(request: Request, lang: Optional[str] = None, store=Depends(get_store),
                       who: Principal = Depends(require("viewer"))):
        from reef.actions.overview import today_overview
        lang = check_lang(lang or request.app.state.config.get("general.language"))
        # 今日 depends on the clock ("recognised in the last 30 days"): it expires after read_cache_seconds.
        return await cached_json(request, ("overview", lang, who.masked),
                                 lambda: today_overview(store, lang=lang, masked=who.masked), lasting=False)

    @guarded(r, "GET", "/views", "viewer", summary="Every table view with its filters")
    def views():
        return [{"name": v.name, "table": v.table, "title": v.title, "date_column": v.date_column,
                 "filters": list(v.filters), "search": list(v.search), "sortable": list(v.sortable), "key": list(v.key)}
                for v in A.VIEWS.values()]

    for view in list(A.VIEWS.values()):
        _view_route(r, view)

    @guarded(r, "GET", "/members/{member_id}", "viewer", summary="A member's profile, contributions and actions")
    async def member(member_id: str, request: Request, store=Depends(get_store), who: Principal = Depends(require("viewer"))):
        n = int(request.app.state.config.get("server.profile_contributions"))
        # Cached like the table views: actions recorded through the server start a new cache generation.
        return await cached_json(request, ("member", member_id, n, who.masked),
                                 lambda: A.member_profile(store, member_id, masked=who.masked, contributions=n))

    @guarded(r, "GET", "/content/{content_id}", "viewer",
             summary="One post: the item, its thread (first post, parent, direct replies), interactions, actions")
    async def content(content_id: str, request: Request, lang: Optional[str] = None, store=Depends(get_store),
                      who: Principal = Depends(require("viewer"))):
        lang = check_lang(lang or request.app.state.config.get("general.language"))
        return await cached_json(request, ("content", content_id, lang, who.masked, who.role == "admin"),
                                 lambda: A.content_view(store, content_id, masked=who.masked, lang=lang,
                                                               show_deleted=who.role == "admin"))

    @guarded(r, "GET", "/actions", "viewer", summary="Operator actions (任务), newest first",
             choices={"kind": A.ACTION_KINDS, "status": A.ACTION_STATUSES})
    async def list_actions(request: Request, member_id: Optional[str] = None, status: Optional[str] = None,
                           kind: Optional[str] = None, group_id: Optional[str] = None, team: Optional[str] = None,
                           topic: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                           page: int = 1, per_page: Optional[int] = None, store=Depends(get_store),
                           who: Principal = Depends(require("viewer"))):
        size = _per_page(request, per_page)  # actions change only through this server: the read cache is safe
        key = ("actions", member_id, status, kind, group_id, team, topic, since, until, page, size, who.masked)
        return await cached_json(request, key, lambda: A.list_actions(
            store, member_id=member_id, status=status, kind=kind, group_id=group_id, team=team, topic=topic,
            since=since, until=until, page=page, per_page=size, max_per_page=_max_per_page(request), masked=who.masked))

    @guarded(r, "POST", "/actions", "operator", status_code=201, summary="Record an action on a member",
             responses={200: {"description": "A boost recorded today already: nothing was created (already_recorded)"}})
    def create_action(body: ActionIn, request: Request, response: Response, store=Depends(get_store),
                      who: Principal = Depends(require("operator"))):
        action = A.record_action(store, body.member_id, body.kind, note=body.note, status=body.status, source=body.source,
                                 details=body.details(), by=who.username, role=who.role, client=client_of(request))
        if action.get("already_recorded"):  # a boost recorded today already: nothing was created
            response.status_code = 200
        return action

    @guarded(r, "PATCH", "/actions/{action_id}", "operator", summary="Change an action's status or note")
    def patch_action(action_id: str, body: ActionPatch, request: Request, store=Depends(get_store),
                     who: Principal = Depends(require("operator"))):
        return A.update_action(store, action_id, status=body.status, note=body.note, by=who.username, role=who.role,
                               client=client_of(request))

    @guarded(r, "POST", "/actions/{action_id}/withdraw", "operator",
             summary="Withdraw a done action recorded by mistake (cancelled, with the reason)")
    def withdraw_action(action_id: str, body: ActionWithdraw, request: Request, store=Depends(get_store),
                        who: Principal = Depends(require("operator"))):
        return A.withdraw_action(store, action_id, body.reason, by=who.username, role=who.role, client=client_of(request))

    @guarded(r, "GET", "/effect", "viewer", summary="What actions of one kind did: matched difference in differences",
             choices={"action": A.ACTION_KINDS, "outcome": OUTCOMES}, bounds={"window": (1, MAX_DAYS)})
    def effect(request: Request, action: str = "recognise", window: Optional[int] = None, outcome: Optional[str] = None,
               as_of: Optional[str] = None, lang: Optional[str] = None, topic: Optional[str] = None,
               store=Depends(get_store)):
        from reef.actions.effect import action_effect
        return action_effect(store, action, window_days=window, outcome=outcome, as_of=as_of, topic=topic,
                             lang=lang or request.app.state.config.get("general.language"))

    @guarded(r, "GET", "/audit", "admin", summary="The audit log")
    def audit(request: Request, username: Optional[str] = None, action: Optional[str] = None, page: int = 1,
              per_page: Optional[int] = None, store=Depends(get_store)):
        return A.audit_entries(store, username=username, action=action, page=page, per_page=_per_page(request, per_page),
                               max_per_page=_max_per_page(request))

    @guarded(r, "GET", "/users", "admin", summary="Users and roles (manage them with `reef user`)")
    def users(store=Depends(get_store)):
        return A.list_users(store)

    @guarded(r, "GET", "/jobs", "viewer", summary="Background jobs and their progress")
    def jobs(request: Request, who: Principal = Depends(require("viewer"))):
        from reef.server.job_views import job_shown
        return [job_shown(j, who) for j in request.app.state.jobs.list()]

    @guarded(r, "GET", "/jobs/{job_id}", "viewer", summary="One background job (its outcome: done, partial, failed ...)",
             bounds=JOB_ID_BOUNDS)
    def job(job_id: int, request: Request, who: Principal = Depends(require("viewer"))):
        from reef.server.job_views import job_shown
        return job_shown(request.app.state.jobs.get(job_id), who)  # masked for viewers

    @guarded(r, "POST", "/jobs/analyze", "operator", status_code=202, summary="Start `reef analyze` in the background")
    def start_analyze(body: AnalyzeIn, request: Request, who: Principal = Depends(require("operator"))):
        from reef.server.tasks import start_analyze as start
        return start(request.app.state, who, client_of(request), as_of=body.as_of, only=body.only, force=body.force)

    @guarded(r, "POST", "/jobs/import", "operator", status_code=202, summary="Upload files and import them in the background",
             choices={"format": IMPORT_FORMATS})
    def start_import(request: Request, files: list[UploadFile] = File(...), fmt: str = Query("auto", alias="format"),
                     who: Principal = Depends(require("operator"))):
        from reef.server.tasks import start_import as start
        return start(request.app.state, who, client_of(request), files, fmt=fmt)

    @guarded(r, "POST", "/jobs/report", "operator", status_code=202,
             summary="Make the operations report (`reef report`) in the background; download it from /reports/{job_id}")
    def start_report(body: ReportIn, request: Request, who: Principal = Depends(require("operator"))):
        from reef.server.outputs import start_report as start
        from reef.server.pages import lang_of
        return start(request.app.state, who, client_of(request), as_of=body.as_of, lang=body.lang or lang_of(request))

    @guarded(r, "GET", "/reports/{job_id}", "viewer", summary="Download a finished report (format html or md; always masked)",
             media=tuple(REPORT_TYPES.values()), choices={"format": REPORT_TYPES}, bounds=JOB_ID_BOUNDS)
    def report(job_id: int, request: Request, format: str = "html", who: Principal = Depends(require("viewer"))):  # noqa: A002
        from reef.server.outputs import report_download
        path = report_download(request.app.state, job_id, format)
        handle = request.app.state.pool.acquire()
        try:  # downloads are audited like exports
            A.audit(handle, who.username, who.role, "report.download", path.name, {"job": job_id}, client_of(request))
        finally:
            request.app.state.pool.release(handle)
        return FileResponse(path, media_type=REPORT_TYPES[format], filename=path.name)

    @guarded(r, "GET", "/risks/report", "viewer",
             summary="Download the weekly risk report (风险周报, self-contained HTML; always masked) of the radar's last run",
             media=("text/html; charset=utf-8",),
             openapi_extra={"x-reef-as-of": "risk_run"},  # as_of: only the radar's last run (its example)
             bounds={"weeks": (1, MAX_WEEKS)})
    def risk_report(request: Request, as_of: Optional[str] = None, lang: Optional[str] = None, weeks: int = 8,
                    store=Depends(get_store), who: Principal = Depends(require("viewer"))):
        from reef.report.risk_download import risk_report_file
        from reef.server.pages import lang_of
        got = risk_report_file(store, as_of=as_of, lang=check_lang(lang) if lang else lang_of(request), weeks=weeks,
                               by=who.username, role=who.role, client=client_of(request))
        return Response(got["html"], media_type="text/html; charset=utf-8",
                        headers=attachment(got["file_name"]))

    @guarded(r, "POST", "/jobs/webhook", "operator", status_code=202,
             summary="Send the new risk alerts (or re-send failed ones) to every configured group robot (or one) in the background")
    def start_webhook(body: WebhookIn, request: Request, who: Principal = Depends(require("operator"))):
        from reef.server.outputs import start_send
        return start_send(request.app.state, who, client_of(request), resend_failed=body.resend_failed, url=body.url,
                          platform=body.platform, robot=body.robot)

    @guarded(r, "POST", "/webhook/test", "operator",
             summary="Send one test message to every configured group robot (or one; admins: another) and say whether each arrived")
    def test_webhook(body: WebhookTestIn, request: Request, who: Principal = Depends(require("operator"))):
        from reef.server.outputs import send_test_message
        lang = check_lang(body.lang) if body.lang else request.app.state.config.get("general.language")
        return send_test_message(request.app.state, who, client_of(request), url=body.url, platform=body.platform, lang=lang,
                                 robot=body.robot)

    @guarded(r, "GET", "/webhook", "operator", summary="The configured group robots (without their keys), each one's status, and the delivery log")
    def webhook(request: Request, lang: Optional[str] = None, store=Depends(get_store),
                who: Principal = Depends(require("operator"))):
        from reef.risks.deliveries import webhook_status
        lang = check_lang(lang or request.app.state.config.get("general.language"))
        return webhook_status(store, request.app.state.config, lang=lang, masked=who.masked)

    @guarded(r, "GET", "/export", "operator", summary="Download the main tables as xlsx (PII masked unless an admin asks)",
             media=tuple(EXPORT_TYPES.values()), choices={"format": EXPORT_TYPES, "headers": EXPORT_HEADERS})
    def export(request: Request, format: str = "xlsx", unmask: bool = False, lang: Optional[str] = None,  # noqa: A002
               headers: str = "labels", store=Depends(get_store), who: Principal = Depends(require("operator"))):
        from reef.export import export_file_name, export_tables
        from reef.server.pages import lang_of
        if format not in EXPORT_TYPES:
            raise InvalidParameterError("format", format, "xlsx or zip (CSV files)")
        if headers not in EXPORT_HEADERS:
            raise InvalidParameterError("headers", headers, "labels (names in lang) or raw (column keys)")
        if unmask and not A.allowed(who.role, "admin"):
            raise A.PermissionDeniedError("Only an admin may export unmasked personal data.")
        lang = check_lang(lang) if lang else lang_of(request)  # the dashboard's language when not asked
        tmp = Path(tempfile.mkdtemp(prefix="reef-export-"))
        out = tmp / export_file_name(store, format)
        result = export_tables(store, out, fmt="xlsx" if format == "xlsx" else "csv", unmask=unmask, by=who.username,
                               role=who.role, client=client_of(request), lang=lang, raw_headers=headers == "raw")
        cleanup = BackgroundTask(shutil.rmtree, tmp, ignore_errors=True)  # after the download is sent
        # The export's warning (results from another moment or an older analysis version) is on its 说明 sheet / in its
        # README; a client reads it here too (percent-encoded UTF-8: a header is Latin-1).
        from urllib.parse import quote

        extra = {"X-Reef-Warning": quote(result["warning"], safe=" :;,.()`")} if result.get("warning") else None
        return FileResponse(out, filename=out.name, background=cleanup, headers=extra)

    return r
