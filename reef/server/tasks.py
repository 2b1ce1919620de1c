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

__all__ = ["start_analyze", "start_import", "UploadTooLargeError", "check_upload_size", "job_view", "progress_text",
           "PROGRESS_FORMATS"]


class UploadTooLargeError(InvalidParameterError):
    """An upload is over ``server.max_upload_mb`` (refused before its body is read when it says its size)."""

    http_status = 413
    code = "upload_too_large"


def upload_limit(config) -> int:
    """``server.max_upload_mb`` in bytes."""
    return int(config.get("server.max_upload_mb")) * 1024 * 1024


def check_upload_size(size: int, limit: int) -> None:
    if size > limit:
        raise UploadTooLargeError("files", f"{size / (1 << 20):.1f} MB", f"at most {limit >> 20} MB in all",
                                  hint="Raise server.max_upload_mb, or use `reef import` on the server.")


def _audit_done(state, who, client: str):
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
    return state.jobs.submit("analyze", run, by=who.username, params={"as_of": as_of, "only": only, "force": force},
                             on_done=_audit_done(state, who, client))


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
        audit(handle, who.username, who.role, "job.import.start", None, {"files": names, "format": fmt}, client)
    finally:
        state.pool.release(handle)
    return state.jobs.submit("import", run, by=who.username, params={"files": names, "format": fmt},
                             on_done=_audit_done(state, who, client))


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
    if job.get("kind") in ("analyze", "weekly_report"):  # a report brings the analyses up to date first
        if step == "done":
            return tr("job.progress.finished", lang, step="", done=done, total=total)
        return tr("job.progress.running", lang, step=analysis_title(step, lang), done=done, total=total)
    if job.get("kind") != "import":
        return ""
    name = Path(step).name or step  # jobs saved before uploads kept their own names show the temporary path's file
    return tr("job.progress.file" if total else "job.progress.rows", lang, step=name, done=done, total=total)


def job_view(job: dict[str, Any], lang: str = "zh") -> dict[str, Any]:
    """A job as the 导入 page lists it: the job plus ``outcome`` (its status; ``partial`` for an analysis run that
    finished with analyses failed or not run, ``interrupted`` for a job a restart stopped), ``failed`` and
    ``blocked`` (those analyses' operator names) and ``progress_text`` (:func:`progress_text`)."""
    from reef.actions.overview import analysis_title

    results = ((job.get("result") or {}).get("results") or []) if job.get("kind") == "analyze" else []
    failed = [analysis_title(r["name"], lang) for r in results if r.get("status") == "failed"]
    blocked = [analysis_title(r["name"], lang) for r in results if r.get("status") == "blocked"]
    outcome = job["status"]
    if (job.get("error") or {}).get("code") == "interrupted":
        outcome = "interrupted"
    elif outcome == "done" and (failed or blocked):
        outcome = "partial"
    return {**job, "outcome": outcome, "failed": failed, "blocked": blocked, "progress_text": progress_text(job, lang)}
