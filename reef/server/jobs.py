"""Background jobs: long computations (analyze, import) run off the request path, with progress.

A request starts a job and answers ``202`` with its id at once; clients poll
``GET /api/v1/jobs/{id}`` for ``status`` (queued, running, done, failed), ``progress``
(step, done, total, fed by the library's ``on_progress`` callbacks) and the result or the error
in the one JSON error shape. Jobs run on a small thread pool (``server.job_workers``) with their
own store handle. A job may name its *lane*: webhook sends (paced, minutes long) run on a lane of their own
(:data:`LANES`), so an analysis or an import never waits behind a robot's pacing.

Jobs are persisted in the store (table ``server_jobs``) when they start, change status and at
most once a second while they report progress, so the 导入 page still lists them after a
restart; a job that was queued or running when the server stopped is marked failed
(``interrupted``) — it cannot be resumed, the operator starts it again. The newest
``server.jobs_kept`` jobs are kept.
"""
from __future__ import annotations

import json
import threading
import time
import traceback
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable

from reef.errors import NotFoundError, ReefError
from reef.i18n import plural
from reef.params import MAX_WHOLE

__all__ = ["JobManager", "JOBS_TABLE", "LANES", "JOB_ID_BOUNDS"]

JOBS_TABLE = "server_jobs"
# A route's {job_id} (guarded(..., bounds=...)): ids count from 1; 0 or twenty digits is a mistake, not a missing job.
JOB_ID_BOUNDS = {"job_id": (1, MAX_WHOLE)}
# Lanes beside the main one (``server.job_workers`` threads) and their threads: one send at a time, so two sends to a
# robot never race its pacing; they only wait for each other.
LANES = {"send": 1}
_JSON_FIELDS = ("params", "progress", "result", "error")
_COLUMNS = ("job_id", "kind", "status", "by", "params", "progress", "created_at", "finished_at", "result", "error")
_INTERRUPTED = {"code": "interrupted", "message": "The server stopped before this job finished.", "where": None,
                "hint": "Start the job again."}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _left_open(handle) -> bool:
    try:
        return bool(handle.rollback_open())
    except Exception:  # a closed store (shutdown): nothing to hand back
        return False


class JobManager:
    """Runs ``fn(store, on_progress) -> dict`` callables in the background, tracks and persists them."""

    def __init__(self, pool, workers: int = 1, kept: int = 50, *, progress_every: float = 1.0,
                 on_finish: Callable[[], None] | None = None):
        self.pool = pool
        self.on_finish = on_finish  # e.g. the server's read cache: a finished import changes every view
        self.kept = kept
        self.progress_every = progress_every
        self._executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="reef-job")
        self._lanes = {name: ThreadPoolExecutor(max_workers=n, thread_name_prefix=f"reef-{name}") for name, n in LANES.items()}
        self._jobs: OrderedDict[int, dict[str, Any]] = OrderedDict()  # live jobs of this process
        self._futures: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._next_id = self._recover()

    # -- persistence ---------------------------------------------------------------------------
    def _db(self, sql: str, params: list[Any] | None = None, fetch: bool = False):
        handle = self.pool.acquire()
        try:
            return handle.fetch_dicts(sql, params) if fetch else handle.execute(sql, params)
        finally:
            self.pool.release(handle)

    def _recover(self) -> int:
        """Mark jobs a previous process left unfinished as failed (the table comes from migration
        0006_server_jobs); return the next job id."""
        self._db(f"UPDATE {JOBS_TABLE} SET status = 'failed', error = ?, finished_at = ? WHERE status IN ('queued', 'running')",
                 [json.dumps(_INTERRUPTED), _now()])
        return int(self._db(f"SELECT coalesce(max(job_id), 0) AS n FROM {JOBS_TABLE}", fetch=True)[0]["n"]) + 1

    def _save(self, job: dict[str, Any], *, insert: bool = False) -> None:
        values = [json.dumps(job[c], ensure_ascii=False, default=str) if c in _JSON_FIELDS else job[c] for c in _COLUMNS]
        try:
            if insert:
                self._db(f"INSERT INTO {JOBS_TABLE} VALUES ({', '.join('?' * len(_COLUMNS))})", values)
            else:
                self._db(f"""UPDATE {JOBS_TABLE} SET status = ?, progress = ?, finished_at = ?, result = ?, error = ?
                             WHERE job_id = ?""", [values[2], values[5], values[7], values[8], values[9], job["job_id"]])
        except Exception:  # progress bookkeeping must never fail the job itself; memory still has it
            pass

    @staticmethod
    def _row(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, **{c: json.loads(row[c]) if row[c] else None for c in _JSON_FIELDS}}

    # -- running ---------------------------------------------------------------------------------
    def submit(self, kind: str, fn: Callable[..., dict[str, Any]], *, by: str, params: dict[str, Any] | None = None,
               on_done: Callable[[dict[str, Any]], None] | None = None, lane: str = "main") -> dict[str, Any]:
        """Queue ``fn`` on ``lane`` (``main`` or one of :data:`LANES`); returns the job."""
        executor = self._executor if lane == "main" else self._lanes[lane]
        with self._lock:
            job_id = self._next_id
            self._next_id += 1
            job = {"job_id": job_id, "kind": kind, "status": "queued", "by": by, "params": params or {},
                   "progress": {"step": "", "done": 0, "total": 0}, "created_at": _now(), "finished_at": None,
                   "result": None, "error": None}
            self._jobs[job_id] = job
            for old in [k for k, j in self._jobs.items() if j["status"] in ("done", "failed")][:-self.kept or None]:
                self._jobs.pop(old)  # finished jobs stay readable from the store
                self._futures.pop(old, None)
        self._save(job, insert=True)
        self._db(f"DELETE FROM {JOBS_TABLE} WHERE job_id <= ? AND status IN ('done', 'failed')", [job_id - self.kept])
        self._futures[job_id] = executor.submit(self._run, job, fn, on_done)
        return dict(job)

    def _run(self, job: dict[str, Any], fn, on_done) -> None:
        job["status"] = "running"
        self._save(job)
        last = [0.0]

        def progress(step: str, done: int, total: int) -> None:
            job["progress"] = {"step": step, "done": int(done), "total": int(total)}
            if time.monotonic() - last[0] >= self.progress_every:
                last[0] = time.monotonic()
                self._save(job)

        handle = self.pool.acquire()
        try:
            job["result"] = fn(handle, progress)
            job["status"] = "done"
        except ReefError as exc:
            from reef.server.errors import served_error  # the API's hint, not a Python call (with_api_hint)

            job["error"], job["status"] = served_error(exc), "failed"
        except Exception as exc:  # a bug must not kill the worker; keep the trace for the operator
            job["error"] = {"code": "internal_error", "message": str(exc), "where": None,
                            "hint": traceback.format_exc(limit=3)}
            job["status"] = "failed"
        finally:
            # A job never hands the shared pool a handle mid-transaction: whatever it left open is rolled back (its
            # writes were never committed) and the job fails saying so, instead of the next job failing with
            # "Current transaction is aborted".
            if _left_open(handle) and job["status"] == "done":
                job["error"], job["status"] = {"code": "internal_error", "where": None, "hint": None,
                                               "message": "The job left a store transaction open; it was rolled back."}, "failed"
            self.pool.release(handle)
            job["finished_at"] = _now()
            self._save(job)
            if self.on_finish is not None:
                self.on_finish()
        if on_done is not None:
            try:
                on_done(job)
            except Exception:  # auditing a finished job must not turn it into a failure
                pass

    # -- reading ---------------------------------------------------------------------------------
    def get(self, job_id: int) -> dict[str, Any]:
        job = self._jobs.get(job_id)
        if job is not None:
            return dict(job)
        rows = self._db(f"SELECT * FROM {JOBS_TABLE} WHERE job_id = ?", [job_id], fetch=True)
        if not rows:
            raise NotFoundError(f"No job {job_id}.", hint=f"Only the newest {plural(self.kept, 'job')} are kept.")
        return self._row(rows[0])

    def list(self) -> list[dict[str, Any]]:
        """The newest jobs first: live ones from memory, earlier ones (and other restarts') from the store."""
        stored = [self._row(r) for r in self._db(f"SELECT * FROM {JOBS_TABLE} ORDER BY job_id DESC LIMIT ?", [self.kept],
                                                 fetch=True)]
        return [dict(self._jobs[j["job_id"]]) if j["job_id"] in self._jobs else j for j in stored]

    def wait(self, job_id: int, timeout: float | None = None) -> dict[str, Any]:
        """Block until the job finishes (tests and scripts); returns the job."""
        future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)
        return self.get(job_id)

    def shutdown(self) -> None:
        for executor in (self._executor, *self._lanes.values()):
            executor.shutdown(wait=True, cancel_futures=True)
