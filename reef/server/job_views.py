"""How a background job is shown: its outcome (:func:`job_state`), its progress and error in the operator's words for the
pages (:func:`job_view`), and what the API gives each role (:func:`job_shown`: masked for viewers, an unexpected
error's text for admins only). Starting jobs is tasks.py; running them jobs.py.

Example:
    >>> job_state({"kind": "import", "status": "done", "result": {}})["outcome"]
    'done'
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["PROGRESS_FORMATS", "progress_text", "job_state", "job_error_shown", "job_error_view", "masked_job", "job_shown",
           "job_view"]


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
