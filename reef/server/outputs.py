"""What leaves the dashboard: the operations report as a download, and risk alerts sent to a group robot.

Both run as background jobs (:mod:`reef.server.jobs`) and the request answers at once:

* a **report** (``kind`` ``weekly_report``) calls :func:`reef.report.build.write_report`, which first brings the analyses up
  to date at the report's as_of (a write, and minutes on a big store), then writes the HTML and the Markdown into a
  private folder of the server (``reef-report-<day>.html`` / ``.md``). ``GET /api/v1/reports/{job}`` serves them.
  Reports are always masked (:mod:`reef.report.render`), so what a viewer downloads is what an admin does; making
  one is for operators (it may run analyses; viewer routes change nothing).
* a **test message** (:func:`send_test_message`, :func:`reef.risks.robot_check.send_test`) is one post, answered at once
  (no job), with the same role rule as a send and the URL's shared pacing.
* a **send** (``kind`` ``webhook``) calls :func:`reef.risks.deliveries.send_alerts` on the ``send`` lane, so a robot's
  pacing (``risks.webhook_per_minute``) never holds up an analysis or an import; one pacing per robot URL is shared
  by every send of this server.

The report files live in a temporary folder removed when the server stops, and only the newest
``server.jobs_kept`` are kept: after a restart a report is made again.
"""
from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from reef.actions import PermissionDeniedError, allowed, audit
from reef.errors import InvalidParameterError, NotFoundError
from reef.i18n import check_lang, register_code_labels
from reef.server.deps import Principal, client_of, guarded, require
from reef.server.job_views import job_state, job_view
from reef.server.tasks import audit_done

__all__ = ["REPORT_TYPES", "start_report", "report_download", "report_jobs", "start_send", "send_jobs", "send_test_message",
           "build_outputs_router"]

# Download formats of a report and their content types.
REPORT_TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}
_FOLDER = re.compile(r"[0-9a-f]{16}")
# The job kinds as the jobs lists name them ("report" alone is an interaction kind, 举报).
register_code_labels({"weekly_report": ("周报", "weekly report"), "webhook": ("发送到群", "send to group")})


def _audit(state, who, client: str, action: str, target: str | None, details: dict[str, Any]) -> None:
    handle = state.pool.acquire()
    try:
        audit(handle, who.username, who.role, action, target, details, client)
    finally:
        state.pool.release(handle)


def report_folder(state) -> Path:
    """The server's private folder of report files (made on first use; removed when the server stops)."""
    if getattr(state, "report_dir", None) is None:
        state.report_dir = Path(tempfile.mkdtemp(prefix="reef-reports-"))
    return state.report_dir


def start_report(state, who, client: str, *, as_of: str | None = None, lang: str = "zh") -> dict[str, Any]:
    """Queue the report for ``as_of`` (None: the end of the data, as ``reef report``) in ``lang``; returns the job."""
    from reef.analyses.runner import resolve_as_of
    from reef.report.build import report_file_name, write_report
    from reef.server.tasks import check_job_as_of

    lang = check_lang(lang)
    as_of = (as_of or "").strip() or None
    check_job_as_of(state, as_of)  # a bad date, or one too far past the data, fails now, not inside the job
    root = report_folder(state)
    kept = int(state.config.get("server.jobs_kept"))
    for old in sorted(root.iterdir(), key=lambda p: p.stat().st_mtime)[:-kept or None]:
        shutil.rmtree(old, ignore_errors=True)  # as many report folders as jobs are kept
    key = secrets.token_hex(8)

    def run(store, progress) -> dict[str, Any]:
        folder = root / key
        folder.mkdir()
        html = write_report(store, folder / report_file_name(store, as_of, "html"), as_of=as_of, lang=lang,
                            on_progress=progress)
        return {"folder": key, "as_of": resolve_as_of(store, as_of).isoformat(), "lang": lang,
                "files": {"html": html.name, "md": html.with_suffix(".md").name}}

    params = {"as_of": as_of, "lang": lang}
    _audit(state, who, client, "job.report.start", None, params)
    # the job as the API gives every job (outcome, failed, blocked), like start_analyze
    return job_state(state.jobs.submit("weekly_report", run, by=who.username, params=params,
                                       on_done=audit_done(state, who, client)))


def report_download(state, job_id: int, fmt: str = "html") -> Path:
    """The file of a finished report job in ``fmt`` (html or md); :class:`NotFoundError` while it is not there."""
    if fmt not in REPORT_TYPES:
        raise InvalidParameterError("format", fmt, "html or md")
    job = state.jobs.get(job_id)
    if job["kind"] != "weekly_report":
        raise NotFoundError(f"Job {job_id} is not a report.", hint="GET /api/v1/jobs lists the report jobs (kind weekly_report).")
    if job["status"] != "done":
        raise NotFoundError(f"The report of job {job_id} is not ready: the job is {job['status']}.",
                            hint=f"Poll GET /api/v1/jobs/{job_id} until it is done; a failed job is started again.")
    result = job["result"] or {}
    folder = str(result.get("folder") or "")
    path = report_folder(state) / folder / str((result.get("files") or {}).get(fmt) or "")
    if not _FOLDER.fullmatch(folder) or path.parent.name != folder or not path.is_file():
        raise NotFoundError(f"The report file of job {job_id} is gone.",
                            hint="Reports are kept while the server runs (the newest server.jobs_kept): make it again.")
    return path


def report_jobs(state, lang: str = "zh", n: int = 10, *, admin: bool = False, masked: bool = False) -> list[dict[str, Any]]:
    """The newest ``n`` report jobs as the 周报 page lists them (:func:`reef.server.job_views.job_view`; an unexpected
    error's detail for ``admin`` only, ``masked`` for viewers)."""
    return [job_view(j, lang, admin=admin, masked=masked) for j in state.jobs.list() if j["kind"] == "weekly_report"][:n]


def start_send(state, who, client: str, *, resend_failed: bool = False, url: str | None = None,
               platform: str | None = None, robot: str | None = None) -> dict[str, Any]:
    """Queue sending the new alerts (``resend_failed``: the failed deliveries) to every configured robot through its
    filter (``robot``: only the one of that name); only an admin may name another ``url`` or ``platform``. Returns the
    job; refused at once when no robot is configured."""
    from reef.risks.deliveries import send_alerts, shown_url

    other = bool((url or "").strip() or (platform or "").strip())
    if not other:
        robots = _configured(state, robot)
        pacers = _pacers(state)

        def run(store, progress) -> dict[str, Any]:
            return send_alerts(store, store.config, resend_failed=resend_failed, robot=robot, pacers=pacers)

        target = ", ".join(shown_url(r.url) for r in robots)
        params = {"resend_failed": resend_failed, "target": target, "platform": robots[0].platform if len(robots) == 1 else None,
                  "robot": robot}
        _audit(state, who, client, "job.webhook.start", target, params)
        return job_state(state.jobs.submit("webhook", run, by=who.username, params=params,
                                           on_done=audit_done(state, who, client), lane="send"))
    target, platform, pacer = _robot(state, who, url, platform)

    def run(store, progress) -> dict[str, Any]:
        return send_alerts(store, store.config, url=target, platform=platform, resend_failed=resend_failed, pacer=pacer)

    params = {"resend_failed": resend_failed, "target": shown_url(target), "platform": platform}  # never the key
    _audit(state, who, client, "job.webhook.start", shown_url(target), params)
    return job_state(state.jobs.submit("webhook", run, by=who.username, params=params,
                                       on_done=audit_done(state, who, client), lane="send"))


def _pacers(state) -> dict:
    """The server's pacing per robot URL, kept for its lifetime: two sends in a row stay within webhook_per_minute."""
    if getattr(state, "pacers", None) is None:
        state.pacers = {}
    return state.pacers


def _configured(state, robot: str | None):
    """The configured robots (``robot``: only that one), each with its pacing; refused when none is configured."""
    from reef.risks.deliveries import NOT_CONFIGURED_HINT
    from reef.robot_config import pick_robots
    from reef.risks.sending import Pacer

    robots = pick_robots(state.config, (robot or "").strip() or None)
    if not robots:
        raise InvalidParameterError("webhook", None, "a robot URL (risks.webhook_url or [[risks.robots]])", hint=NOT_CONFIGURED_HINT)
    for r in robots:
        _pacers(state).setdefault(r.url, Pacer(int(state.config.get("risks.webhook_per_minute"))))
    return robots


def _robot(state, who, url: str | None, platform: str | None):
    """``(url, platform, pacer)`` of the robot a send or a test goes to: the configured one, or (admins only) another."""
    from reef.risks.deliveries import NOT_CONFIGURED_HINT, robot_target
    from reef.risks.sending import Pacer

    if ((url or "").strip() or (platform or "").strip()) and not allowed(who.role, "admin"):
        raise PermissionDeniedError("Only an admin may send to a robot other than the configured one (risks.webhook_url).")
    target, platform = robot_target(state.config, url, platform)
    if target is None:
        raise InvalidParameterError("webhook", None, "a robot URL (risks.webhook_url)", hint=NOT_CONFIGURED_HINT)
    # One pacing per URL for the server's lifetime: two sends in a row stay within webhook_per_minute together.
    if getattr(state, "pacers", None) is None:
        state.pacers = {}
    return target, platform, state.pacers.setdefault(target, Pacer(int(state.config.get("risks.webhook_per_minute"))))


def send_test_message(state, who, client: str, *, url: str | None = None, platform: str | None = None,
                      lang: str | None = None, robot: str | None = None) -> dict[str, Any]:
    """Post one test message to every configured robot (``robot``: only that one; only an admin may name another
    ``url`` or ``platform``) and answer whether each arrived (:func:`reef.risks.robot_check.send_test`); logged in the
    delivery log and audited."""
    from reef.risks.deliveries import shown_url
    from reef.risks.robot_check import send_test

    if not ((url or "").strip() or (platform or "").strip()):
        robots = _configured(state, robot)
        handle = state.pool.acquire()
        try:
            result = send_test(handle, state.config, lang=lang, robot=(robot or "").strip() or None, pacers=_pacers(state))
            audit(handle, who.username, who.role, "webhook.test", ", ".join(shown_url(r.url) for r in robots),
                  {"robots": [{"name": a.get("name"), "platform": a["platform"], "sent": a["sent"], "kind": a["kind"]}
                              for a in result["robots"]], "platform": result["platform"], "sent": result["sent"],
                   "kind": result["kind"]}, client)
        finally:
            state.pool.release(handle)
        return result
    target, platform, pacer = _robot(state, who, url, platform)
    handle = state.pool.acquire()
    try:
        result = send_test(handle, state.config, url=target, platform=platform, lang=lang, pacer=pacer)
        audit(handle, who.username, who.role, "webhook.test", shown_url(target),
              {"platform": platform, "sent": result["sent"], "kind": result["kind"]}, client)
    finally:
        state.pool.release(handle)
    return result


def send_jobs(state, lang: str = "zh", n: int = 5, *, admin: bool = False) -> list[dict[str, Any]]:
    """The newest ``n`` send jobs (the 风险雷达 page's 发送到群 card; an unexpected error's detail for ``admin`` only)."""
    return [job_view(j, lang, admin=admin) for j in state.jobs.list() if j["kind"] == "webhook"][:n]


def build_outputs_router() -> APIRouter:
    """The dashboard's form posts for both: 生成周报 (``POST /reports``) and 发送到群 / 重发失败 / 发送测试消息
    (``POST /risks/webhook``)."""
    from reef.server.pages import lang_of

    r = APIRouter(tags=["pages"])

    @guarded(r, "POST", "/reports", "operator", include_in_schema=False)
    def make_report(request: Request, as_of: str = Form(""), lang: str = Form(""),
                    who: Principal = Depends(require("operator"))):
        try:
            job = start_report(request.app.state, who, client_of(request), as_of=as_of, lang=lang or lang_of(request))
        except InvalidParameterError as exc:  # the page again with the date as typed and why (422), as the seed form
            from reef.server.pages import PAGES, render
            from reef.web.messages import tr
            why = tr("reports.error.as_of", lang_of(request)) if exc.name == "as_of" else exc.text(lang_of(request))
            data = {**_load_reports(None, request, who), "form_error": why, "typed_as_of": as_of}
            return render(request, "reports.html", {"page": PAGES["reports"], **data}, who=who, status_code=422)
        return RedirectResponse(f"/reports?job={job['job_id']}", status_code=303)

    @guarded(r, "POST", "/risks/webhook", "operator", include_in_schema=False)
    def send(request: Request, action: str = Form("send"), url: str = Form(""), platform: str = Form(""),
             robot: str = Form(""), who: Principal = Depends(require("operator"))):
        if action not in ("send", "resend", "test"):
            raise InvalidParameterError("action", action, "send, resend or test")
        if action == "test":  # one post, answered at once: the delivery log shows it, the notice says how it went
            got = send_test_message(request.app.state, who, client_of(request), url=url, platform=platform,
                                    lang=lang_of(request), robot=robot or None)
            return RedirectResponse(f"/risks?webhook_test={'sent' if got['sent'] else 'failed'}#webhook", status_code=303)
        job = start_send(request.app.state, who, client_of(request), resend_failed=action == "resend", url=url,
                         platform=platform, robot=robot or None)
        return RedirectResponse(f"/risks?job={job['job_id']}#webhook", status_code=303)

    return r


def _load_reports(store, request, who) -> dict[str, Any]:
    from reef.server.pages import lang_of

    started = request.query_params.get("job", "")
    from reef.server.job_views import PROGRESS_FORMATS

    return {"jobs": report_jobs(request.app.state, lang_of(request), admin=who.role == "admin", masked=who.masked), "started": started if started.isdigit() else "",
            "steps": _steps(lang_of(request)), "progress_formats": PROGRESS_FORMATS, "form_error": "", "typed_as_of": ""}


def _steps(lang: str) -> dict[str, str]:
    from reef.actions.overview import analysis_title
    from reef.analyses import discover

    return {name: analysis_title(name, lang) for name in discover()}  # reef.js words a report's progress with them


def _register() -> None:
    from reef.server.pages import Page, register_page

    # Job progress is live: not kept by the read cache.
    register_page(Page("reports", "/reports", "nav.reports", "reports.html", _load_reports, order=85, cached=False))


_register()
