"""Background jobs: long computations (analyze, import) run off the request path, with progress.

A request starts a job and answers ``202`` with its id at once; clients poll
``GET /api/v1/jobs/{id}`` for ``status`` (queued, running, done, failed), ``progress``
(step, done, total, fed by the library's ``on_progress`` callbacks) and the result or the error
in the one JSON error shape. Jobs run on a small thread pool (``server.job_workers``) with their
own store handle; the newest ``server.jobs_kept`` are remembered.
"""
from __future__ import annotations

import itertools
import threading
import traceback
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable

from reef.errors import NotFoundError, ReefError

__all__ = ["JobManager"]


class JobManager:
    """Runs ``fn(store, on_progress) -> dict`` callables in the background and tracks them."""

    def __init__(self, pool, workers: int = 1, kept: int = 50):
        self.pool = pool
        self.kept = kept
        self._executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="reef-job")
        self._jobs: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._futures: dict[int, Any] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def submit(self, kind: str, fn: Callable[..., dict[str, Any]], *, by: str, params: dict[str, Any] | None = None,
               on_done: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
        with self._lock:
            job_id = next(self._ids)
            job = {"job_id": job_id, "kind": kind, "status": "queued", "by": by, "params": params or {},
                   "progress": {"step": "", "done": 0, "total": 0},
                   "created_at": datetime.now(timezone.utc).isoformat(), "finished_at": None,
                   "result": None, "error": None}
            self._jobs[job_id] = job
            while len(self._jobs) > self.kept:  # forget the oldest finished job
                oldest = next((k for k, j in self._jobs.items() if j["status"] in ("done", "failed")), None)
                if oldest is None:
                    break
                self._jobs.pop(oldest)
                self._futures.pop(oldest, None)
        self._futures[job_id] = self._executor.submit(self._run, job, fn, on_done)
        return dict(job)

    def _run(self, job: dict[str, Any], fn, on_done) -> None:
        job["status"] = "running"

        def progress(step: str, done: int, total: int) -> None:
            job["progress"] = {"step": step, "done": int(done), "total": int(total)}

        handle = self.pool.acquire()
        try:
            job["result"] = fn(handle, progress)
            job["status"] = "done"
        except ReefError as exc:
            job["error"], job["status"] = exc.to_dict()["error"], "failed"
        except Exception as exc:  # a bug must not kill the worker; keep the trace for the operator
            job["error"] = {"code": "internal_error", "message": str(exc), "where": None,
                            "hint": traceback.format_exc(limit=3)}
            job["status"] = "failed"
        finally:
            self.pool.release(handle)
            job["finished_at"] = datetime.now(timezone.utc).isoformat()
        if on_done is not None:
            try:
                on_done(job)
            except Exception:  # auditing a finished job must not turn it into a failure
                pass

    def get(self, job_id: int) -> dict[str, Any]:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"No job {job_id}.", hint="Jobs are kept in memory until the server restarts.")
        return dict(job)

    def list(self) -> list[dict[str, Any]]:
        return [dict(j) for j in reversed(self._jobs.values())]

    def wait(self, job_id: int, timeout: float | None = None) -> dict[str, Any]:
        """Block until the job finishes (tests and scripts); returns the job."""
        future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)
        return self.get(job_id)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
