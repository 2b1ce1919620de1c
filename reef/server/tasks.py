"""Starting the long computations as background jobs (the routes stay thin; see jobs.py).

Each starter validates what it can up front (so a bad request fails with 4xx at once), audits
the start, and hands one library call to the job manager: ``run_analyses`` or ``import_paths``.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from reef.actions import audit
from reef.errors import InvalidParameterError

__all__ = ["start_analyze", "start_import", "start_seed_plan", "UploadTooLargeError", "check_upload_size", "too_large", "job_view",
           "job_state", "job_error_view", "job_error_shown", "job_shown", "masked_job", "progress_text", "PROGRESS_FORMATS", "audit_done"]


class UploadTooLargeError(InvalidParameterError):
    """An upload is over ``server.max_upload_mb`` (refused before its body is read when it says its size)."""

    http_status = 413
    code = "upload_too_large"


def upload_limit(config) -> int:
    """``server.max_upload_mb`` in bytes."""
    return int(config.get("server.max_upload_mb")) * 1024 * 1024


def check_upload_size(size: int, limit: int) -> None:
    if size > limit:
        raise too_large(limit, f"{size / (1 << 20):.1f} MB")


def too_large(limit: int, size: str | None = None) -> UploadTooLargeError:
    """The error of a body over ``limit`` bytes; ``size`` as said, or "more than" the limit (a streamed body is cut off
    at the limit, its whole size never known)."""
    return UploadTooLargeError("files", size or f"more than {limit >> 20} MB", f"at most {limit >> 20} MB in all",
                               hint="Raise server.max_upload_mb, or use `reef import` on the server.")


def audit_done(state, who, client: str):
    """The ``on_done`` callback of a dashboard job: writes ``job.<kind>.<status>`` to the audit log for ``who``."""
    def done(job: dict[str, Any]) -> None:
        handle = state.pool.acquire()
        try:
            audit(handle, who.username, who.role, f"job.{job['kind']}.{job['status']}", f"job:{job['job_id']}",
                  {"error": (job["error"] or {}).get("message")}, client)
        finally:
            state.pool.release(handle)
    return done


def start_analyze(state, who, client: str, *, as_of: str | None = None, only: list[str] | None = None,
                  force: bool = False) -> dict[str, Any]:
    """Queue ``reef analyze``; returns the job (its result carries ``warning`` when ``as_of`` lies outside the data)."""
    from reef.analyses import discover, run_analyses
    from reef.store.asof import as_of_timestamp

    unknown = sorted(set(only or ()) - set(discover()))
    if unknown:
        raise InvalidParameterError("only", unknown, "names of registered analyses")
    as_of_timestamp(as_of, state.config.get("general.timezone"))  # a bad date fails now, not inside the job

    def run(store, progress) -> dict[str, Any]:
        from reef.store.coverage import coverage_warning

        report = run_analyses(store, as_of=as_of, only=only, force=force, on_progress=progress, raise_on_error=False)
        # as_of outside the data: said in the job's result, as `reef analyze --json` says it
        return {**report.as_dict(), "warning": coverage_warning(store, report.as_of, lang=store.config.get("general.language"))}

    handle = state.pool.acquire()
    try:
        audit(handle, who.username, who.role, "job.analyze.start", None, {"as_of": as_of, "only": only, "force": force}, client)
    finally:
        state.pool.release(handle)
    return job_state(state.jobs.submit("analyze", run, by=who.username, params={"as_of": as_of, "only": only, "force": force},
                                       on_done=audit_done(state, who, client)))


def start_import(state, who, client: str, files, *, fmt: str = "auto") -> dict[str, Any]:
    """Save the uploaded files to a private temporary folder and queue their import; returns the job."""
    from reef.ingest import import_paths

    from reef.ingest import FORMATS

    if not files:
        raise InvalidParameterError("files", [], "at least one file")
    if fmt not in FORMATS:
        raise InvalidParameterError("format", fmt, "one of " + ", ".join(FORMATS))

    limit = upload_limit(state.config)
    folder = Path(tempfile.mkdtemp(prefix="reef-upload-"))
    paths, size = [], 0
    try:
        for i, upload in enumerate(files):
            name = Path(upload.filename or "").name  # never trust a client's path
            if name in ("", ".", ".."):
                name = "upload"
            # a folder per file: two uploads of one name (the entity lives in the name) must not overwrite each other
            (folder / str(i)).mkdir()
            target = folder / str(i) / name
            with open(target, "wb") as out:
                while chunk := upload.file.read(1 << 20):
                    size += len(chunk)
                    check_upload_size(size, limit)
                    out.write(chunk)
            paths.append(target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    names = [p.name for p in paths]
    # Quarantine, the import history and the progress name each file as it was uploaded, not by its temporary copy;
    # a name uploaded twice gets its position (members.jsonl, members.jsonl (2)) so the two stay apart.
    recorded: dict[Path, str] = {}
    for path, name in zip(paths, names):
        label, n = name, 1
        while label in recorded.values():
            n += 1
            label = f"{name} ({n})"
        recorded[path] = label

    def run(store, progress) -> dict[str, Any]:
        try:
            return import_paths(store, paths, fmt=fmt, on_progress=progress, names=recorded).as_dict()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    handle = state.pool.acquire()
    try:
        if fmt in ("auto", "stackexchange"):  # one Stack Exchange site per store, as `reef import` checks: 409 at once
            from reef.ingest.stackexchange.site import check_upload_site
            try:
                check_upload_site(handle, paths, recorded)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
        audit(handle, who.username, who.role, "job.import.start", None, {"files": names, "format": fmt}, client)
    finally:
        state.pool.release(handle)
    return job_state(state.jobs.submit("import", run, by=who.username, params={"files": names, "format": fmt},
                                       on_done=audit_done(state, who, client)))


def start_seed_plan(state, who, client: str, **asked: Any) -> dict[str, Any]:
    """Queue a seeding plan (:func:`reef.network.seedplan.run_seed_request`: IMM takes seconds on a large store, so it
    runs on the job threads, never on a request's); ``asked``: k, topic, circle, exclude, as_of as a form or body gave
    them, checked now so a bad one fails with 422 at once. Returns the job."""
    from reef.network.seedplan import check_seed_request, run_seed_request

    handle = state.pool.acquire()
    try:
        request = check_seed_request(handle, **asked)
        audit(handle, who.username, who.role, "job.seed_plan.start", None, request, client)
    finally:
        state.pool.release(handle)
    return job_state(state.jobs.submit("seed_plan", lambda store, progress: run_seed_request(store, request, progress),
                                       by=who.username, params=request, on_done=audit_done(state, who, client)))


# How the 导入 page words a job's progress (reef.js fills the same formats while it polls a running job).
PROGRESS_FORMATS = ("running", "finished", "file", "rows")


def progress_text(job: dict[str, Any], lang: str = "zh") -> str:
    """A job's progress in words: the analysis running (its operator name) or that all have run; the file being
    imported (its own name, never a temporary path) and the rows read so far.

    >>> progress_text({"kind": "analyze", "progress": {"step": "done", "done": 19, "total": 19}})
    '已运行完 19/19'
    >>> progress_text({"kind": "import", "progress": {"step": "/tmp/reef-upload-x/0/members.jsonl", "done": 2, "total": 0}}, "en")
    'members.jsonl: 2 rows read'
    """
    from reef.actions.overview import analysis_title
    from reef.web.messages import tr

    p = job.get("progress") or {}
    step, done, total = str(p.get("step") or ""), int(p.get("done") or 0), int(p.get("total") or 0)
    if not step:
        return ""
    if job.get("kind") == "seed_plan":  # reading the network, choosing the seeds, estimating the reach
        return tr("job.progress.file", lang, step=tr(f"seed.step.{step}", lang), done=done, total=total)
    if job.get("kind") in ("analyze", "weekly_report"):  # a report brings the analyses up to date first
        if step == "done":
            return tr("job.progress.finished", lang, step="", done=done, total=total)
        return tr("job.progress.running", lang, step=analysis_title(step, lang), done=done, total=total)
    if job.get("kind") != "import":
        return ""
    name = Path(step).name or step  # jobs saved before uploads kept their own names show the temporary path's file
    return tr("job.progress.file" if total else "job.progress.rows", lang, step=name, done=done, total=total)


def job_state(job: dict[str, Any]) -> dict[str, Any]:
    """A job as the API gives it: the job plus ``outcome`` (its status; ``partial`` for an analysis run that finished
    with analyses failed or not run, and for a send (kind ``webhook``) that left alerts undelivered without every
    delivery failing — exactly when ``reef alerts`` exits 10, ``delivery_incomplete``; a send in which every delivery
    failed is a failed job; ``interrupted`` for a job a restart stopped) and ``failed`` / ``blocked`` (the names of
    those analyses). ``status`` stays the job's own (queued, running, done, failed) for pollers.

    >>> job_state({"kind": "analyze", "status": "done", "result": {"results": [{"name": "risks", "status": "failed"}]}})["outcome"]
    'partial'
    >>> job_state({"kind": "webhook", "status": "done", "result": {"delivery": {"sent": 17, "failed": 3}}})["outcome"]
    'partial'
    """
    results = ((job.get("result") or {}).get("results") or []) if job.get("kind") == "analyze" else []
    failed = [r["name"] for r in results if r.get("status") == "failed"]
    blocked = [r["name"] for r in results if r.get("status") == "blocked"]
    outcome = job["status"]
    if (job.get("error") or {}).get("code") == "interrupted":
        outcome = "interrupted"
    elif outcome == "done" and (failed or blocked or _undelivered(job) is not None):
        outcome = "partial"
    return {**job, "outcome": outcome, "failed": failed, "blocked": blocked}


def _undelivered(job: dict[str, Any]):
    """What a finished send left undelivered, as the CLI's exit code 10 says it (``delivery_incomplete``), or None."""
    if job.get("kind") != "webhook" or job.get("status") != "done" or not isinstance(job.get("result"), dict):
        return None
    from reef.risks.delivery_outcome import delivery_incomplete

    return delivery_incomplete(job["result"])


def job_error_shown(error: dict[str, Any] | None, *, admin: bool = False) -> dict[str, Any] | None:
    """A failed job's error as the API gives it (the one JSON error shape): an unexpected error's (``internal_error``)
    message and traceback (its hint) are for admins only, as on the pages (:func:`job_error_view`).

    >>> job_error_shown({"code": "internal_error", "message": "boom", "where": None, "hint": "Traceback ..."})["hint"]
    """
    if not error or admin or error.get("code") != "internal_error":
        return error
    return {**error, "message": "The job failed unexpectedly; an admin can read its error.", "hint": None}


def job_error_view(error: dict[str, Any] | None, lang: str = "zh", *, admin: bool = False) -> dict[str, Any] | None:
    """A failed job's error in operator words: ``lead``, a sentence in ``lang`` for its kind (the ReefError class's
    ``code``); ``detail``, the error's own English text after it (where — file, line, field — message and hint);
    ``trace``, the traceback of an unexpected error. An unexpected error (``internal_error``, not a ReefError) shows
    only the generic lead to all but admins, who get its detail and trace too.

    >>> job_error_view({"code": "unreadable_file", "message": "File is empty.", "where": {"file": "a.csv"}, "hint": None})["detail"]
    'a.csv: File is empty.'
    >>> job_error_view({"code": "internal_error", "message": "boom", "hint": "Traceback ..."})["detail"]
    ''
    """
    from reef.errors import Location
    from reef.web.messages import WEB_MESSAGES, tr

    if not error:
        return None
    code = str(error.get("code") or "")
    lead = tr(f"job.error.{code}" if f"job.error.{code}" in WEB_MESSAGES else "job.error.reef_error", lang)
    where = error.get("where") or {}
    file = where.get("file")
    if file and "reef-upload-" in str(file):  # an upload's temporary copy: name the file as it was uploaded
        file = Path(str(file)).name
    place = str(Location(file=file, line=where.get("line"), field=where.get("field")))
    detail = " ".join(p for p in (str(error.get("message") or ""), str(error.get("hint") or "")) if p)
    detail = f"{place}: {detail}" if place and detail else place or detail
    if code == "interrupted":
        detail = ""  # the lead says it all
    trace = ""
    if code == "internal_error":
        detail, trace = (str(error.get("message") or ""), str(error.get("hint") or "")) if admin else ("", "")
    return {"code": code, "lead": lead, "detail": detail, "trace": trace}


def masked_job(job: dict[str, Any]) -> dict[str, Any]:
    """``job`` as a viewer reads it: ``params``, ``result`` and ``error`` masked (:func:`reef.actions.privacy.mask_result`).
    Operators start jobs, which hold what operators read unmasked (a seed plan's alert messages, an import's warnings).

    >>> masked_job({"kind": "seed_plan", "result": {"flags": [{"message_zh": "加我13812345678"}]}})["result"]
    {'flags': [{'message_zh': '加我138****5678'}]}
    """
    from reef.actions.privacy import mask_result
    return {**job, **{k: mask_result(job[k]) for k in ("params", "result", "error") if k in job}}


def job_shown(job: dict[str, Any], who) -> dict[str, Any]:
    """A job as ``GET /api/v1/jobs`` gives ``who`` it: :func:`job_state`, :func:`masked_job` for viewers, :func:`job_error_shown`."""
    shown = job_state(masked_job(job) if who.masked else job)
    return {**shown, "error": job_error_shown(shown.get("error"), admin=who.role == "admin")}


def job_view(job: dict[str, Any], lang: str = "zh", *, admin: bool = False, masked: bool = False) -> dict[str, Any]:
    """A job as the 导入 page lists it: :func:`job_state` with ``failed`` and ``blocked`` as the analyses' operator
    names, ``undelivered`` (a partial send: what it left undelivered, in ``lang``), ``error_view`` (:func:`job_error_view`) and ``progress_text`` (:func:`progress_text`); ``masked`` (a viewer): :func:`masked_job` first."""
    from reef.actions.overview import analysis_title

    job = masked_job(job) if masked else job
    state = job_state(job)
    left = _undelivered(job)  # a partial send: what it left undelivered, in the page's language (no CLI hint)
    return {**state, "failed": [analysis_title(n, lang) for n in state["failed"]],
            "undelivered": None if left is None else (left.message_zh if lang == "zh" else left.message),
            "blocked": [analysis_title(n, lang) for n in state["blocked"]],
            "error_view": job_error_view(job.get("error"), lang, admin=admin), "progress_text": progress_text(job, lang)}
