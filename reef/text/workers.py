"""Worker processes for ``reef enrich`` that never re-run the caller's ``__main__``.

``multiprocessing``'s spawn start method re-imports the parent's main module in every child (as ``__mp_main__``)
so that functions defined there can be unpickled. A notebook has no main file, and a script guarded by
``if __name__ == "__main__":`` skips its body, but a plain script calling ``reef.open(db).enrich()`` at top level
would run again in each worker: it opens the store the parent holds, fails, the worker dies and a
``multiprocessing.Pool`` starts another one, forever. The workers only run :func:`reef.text.enrich.analyze_for_store`
(importable from Reef), so they need nothing from ``__main__``: :func:`clean_spawn_context` is a spawn context whose
processes are started without the main module (the preparation data's ``init_main_from_*`` keys are dropped, for
Reef's processes only, via a thread-local flag). The pool is a :class:`concurrent.futures.ProcessPoolExecutor`,
which fails (``BrokenProcessPool``) instead of respawning when a worker dies; the caller then goes on in one process.

Example:
    >>> from concurrent.futures import ProcessPoolExecutor
    >>> with ProcessPoolExecutor(1, mp_context=clean_spawn_context()) as pool:  # doctest: +SKIP
    ...     pool.submit(abs, -2).result()
    2
"""
from __future__ import annotations

import threading
from multiprocessing import context as _mp_context, spawn as _spawn
from typing import Any

__all__ = ["clean_spawn_context", "start_pool", "MAIN_KEYS"]

MAIN_KEYS = ("init_main_from_name", "init_main_from_path")
_local = threading.local()
_lock = threading.Lock()
_original_preparation = None


def _preparation_data(name: str) -> dict[str, Any]:
    data = _original_preparation(name)
    if getattr(_local, "clean", False):
        for key in MAIN_KEYS:
            data.pop(key, None)
    return data


def _install() -> None:
    """Wrap ``multiprocessing.spawn.get_preparation_data`` once; it only differs while a Reef worker is started."""
    global _original_preparation
    with _lock:
        if _original_preparation is None:
            _original_preparation = _spawn.get_preparation_data
            _spawn.get_preparation_data = _preparation_data


class _CleanSpawnProcess(_mp_context.SpawnProcess):
    @staticmethod
    def _Popen(process_obj):  # noqa: N802 - the multiprocessing hook's name
        _install()
        _local.clean = True
        try:
            return _mp_context.SpawnProcess._Popen(process_obj)
        finally:
            _local.clean = False


class _CleanSpawnContext(_mp_context.SpawnContext):
    Process = _CleanSpawnProcess


def clean_spawn_context() -> _mp_context.SpawnContext:
    """A spawn context whose children start without importing the parent's ``__main__``."""
    return _CleanSpawnContext()


def start_pool(workers: int):
    """A process pool of ``workers`` spawned processes that do not re-run the caller's script."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=clean_spawn_context())
