"""Starting the long computations as background jobs (the routes stay thin; see jobs.py); how a job is shown is
job_views.py.

Each starter validates what it can up front (so a bad request fails with 4xx at once), audits
the start, and hands one library call to the job manager: ``run_analyses``, ``import_paths`` or a seeding plan.
An upload over ``server.max_upload_mb`` is refused as it is read (:func:`check_upload_size`).

Example:
    >>> check_upload_size(2 << 20, 1 << 20)
    Traceback (most recent call last):
    ...
    reef.server.tasks.UploadTooLargeError: Invalid value for 'files': '2.0 MB'. Expected at most 1 MB in all. Raise server.max_upload_mb, or use `reef import` on the server.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from reef.actions import audit
from reef.errors import InvalidParameterError
from reef.server.job_views import job_state

__all__ = ["check_job_as_of", "start_analyze", "start_import", "start_seed_plan", "UploadTooLargeError", "upload_limit", "check_upload_size",
           "too_large", "audit_done"]


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


def check_job_as_of(state, as_of: Any) -> None:
    """Check a job's ``as_of`` against the store before queueing it (:func:`reef.analyses.runner.resolve_as_of`: a
    date, and no further past the data than ``general.as_of_max_days_past_data``), so a bad one is a 422 at once."""
    from reef.analyses.runner import resolve_as_of

    handle = state.pool.acquire()
    try:
        resolve_as_of(handle, as_of)
    finally:
        state.pool.release(handle)


def start_analyze(state, who, client: str, *, as_of: str | None = None, only: list[str] | None = None,
                  force: bool = False) -> dict[str, Any]:
    """Queue ``reef analyze``; returns the job (its result carries ``warning`` when ``as_of`` lies outside the data)."""
    from reef.analyses import discover, run_analyses

    unknown = sorted(set(only or ()) - set(discover()))
    if unknown:
        raise InvalidParameterError("only", unknown, "names of registered analyses")
    check_job_as_of(state, as_of)  # a bad date, or one too far past the data, fails now, not inside the job

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
    if fmt == "auto":  # a name that tells no format is a 400 now, not a job that fails after the upload
        from reef.ingest import detect_format

        try:
            for name in names:
                detect_format(Path(name))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
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
