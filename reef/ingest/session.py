"""An import session: stage rows from any reader, validate them together, commit atomically.

The whole import (all files given to one ``reef import``) is one DuckDB transaction: killed
halfway, the store is left as before and the next run completes it. Rows are deduplicated by
id: an identical row already stored counts as a duplicate, a changed one as an update. Rows
that fail a check go to ``quarantine`` with file, line, field and reason.

The staging itself (stage tables, deferred SELECTs) is :mod:`reef.ingest.staging`; validation and the write are
:mod:`reef.ingest.commit`.

Example:
    >>> from reef.store import open_store
    >>> import pyarrow as pa
    >>> store = open_store(":memory:")
    >>> with ImportSession(store, fmt="arrow") as s:
    ...     s.stage_arrow("members", pa.table({"member_id": ["m1"], "joined_at": ["2025-01-01 08:00"]}), file="<demo>")
    >>> s.summary.imported
    1
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from reef import __version__
from reef.ingest.staging import Staging
from reef.ingest.summary import ImportSummary
from reef.model.schema import ENTITIES
from reef.store.connection import Store

__all__ = ["ImportSession", "Progress"]

Progress = Callable[[str, int, int], None]  # (label, done, total)


@dataclass
class _File:
    path: str
    fmt: str
    sha256: str | None = None
    size: int | None = None
    encoding: str | None = None
    rows_read: int = 0


class ImportSession(Staging):
    """Collects staged rows for one import and writes them in one transaction."""

    def __init__(self, store: Store, *, fmt: str, on_progress: Progress | None = None,
                 names: dict[str, str] | None = None):
        self.store = store
        self.con = store.con
        self.fmt = fmt
        self.on_progress = on_progress
        # reader's file label (the path) -> the name recorded in quarantine, imports and progress (an upload's own
        # file name instead of its temporary path); labels not in it are recorded as they are
        self.names = dict(names or {})
        self.summary = ImportSummary()
        self._files: list[_File] = []
        self._staged: set[str] = set()
        # entity -> [(select_sql, params, file index, columns, file)] read at commit time (see stage_sql).
        self._deferred: dict[str, list[tuple]] = {}
        self._spool_dir: Path | None = None
        self._spools = 0
        self._tx: contextlib.ExitStack | None = None
        self.import_id: int | None = None
        self._pending_quarantine: list[tuple] = []
        self._columns_seen: set[tuple[str, str]] = set()
        self._mapped: dict[tuple[str, str], dict[str, str]] = {}

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> "ImportSession":
        self._tx = contextlib.ExitStack()
        self._tx.enter_context(self.store.transaction())
        self.import_id = int(self.store.fetch_value("SELECT nextval('import_seq')"))
        self.started_at = datetime.now(timezone.utc)
        self.con.execute(
            "CREATE TEMP TABLE IF NOT EXISTS stage_quarantine (file VARCHAR, line BIGINT, entity VARCHAR, field VARCHAR, reason VARCHAR, raw VARCHAR)"
        )
        self.con.execute("DELETE FROM stage_quarantine")
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._tx is not None
        try:
            if exc_type is None:
                self._finish()
        except BaseException:
            self._tx.__exit__(*__import__("sys").exc_info())
            self._drop_temps()
            raise
        self._tx.__exit__(exc_type, exc, tb)
        self._drop_temps()

    def spool_path(self, suffix: str) -> Path:
        """A fresh temporary file for a reader to spool rows to; removed when the session ends.

        Spools sit beside the store (same disk as DuckDB's own spill files), in a folder named after
        the store, so a spool left by a killed import is removed by the next import of that store.
        """
        if self._spool_dir is None:
            base = Path(tempfile.gettempdir()) if self.store.path == ":memory:" else Path(self.store.path).resolve().parent
            prefix = f".reef-spool-{Path(self.store.path).name}-"
            if self.store.path != ":memory:":
                for stale in base.glob(prefix + "*"):  # one writer per store: any other spool of it is stale
                    shutil.rmtree(stale, ignore_errors=True)
            self._spool_dir = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
        self._spools += 1
        return self._spool_dir / f"spool-{self._spools}{suffix}"

    def _drop_temps(self) -> None:
        if self._spool_dir is not None:
            shutil.rmtree(self._spool_dir, ignore_errors=True)
            self._spool_dir = None
        for name in ENTITIES:
            for prefix in ("stage_", "typed_"):
                with contextlib.suppress(Exception):
                    self.con.execute(f'DROP TABLE IF EXISTS "{prefix}{name}"')
        with contextlib.suppress(Exception):
            self.con.execute("DROP TABLE IF EXISTS stage_quarantine")

    # -- files, quarantine and progress (the staging methods: reef.ingest.staging) ----------
    def add_file(self, path: str, fmt: str, *, sha256: str | None = None, size: int | None = None, encoding: str | None = None) -> int:
        """Register an input file; returns its index (used to order rows across files)."""
        self._files.append(_File(self.name_of(path), fmt, sha256, size, encoding))
        return len(self._files) - 1

    def name_of(self, path: str) -> str:
        """The name recorded for the file a reader labels ``path`` (see ``names``)."""
        return self.names.get(path, path)

    def file_index(self, path: str) -> int:
        path = self.name_of(path)
        for i, f in enumerate(self._files):
            if f.path == path:
                return i
        return self.add_file(path, self.fmt)
    def map_columns(self, entity_name: str, columns, *, file: str, require_key: bool = True) -> dict[str, str]:
        """Columns of ``file`` that stand for fields of ``entity_name`` under a Chinese header (column -> field,
        :func:`reef.ingest.aliases.map_columns`), recorded in the summary; once per file and entity. Without the
        entity's id column, under its name or an alias, the file is refused whole (``require_key``)."""
        from reef.ingest.aliases import map_columns, missing_key_error

        file = self.name_of(file)
        if (file, entity_name) in self._mapped:
            return self._mapped[(file, entity_name)]
        entity, cols = ENTITIES[entity_name], [str(c).strip() for c in columns]
        mapping = map_columns(entity, cols, file=file)
        if require_key and entity.key not in {c.lower() for c in cols} | set(mapping.values()):
            raise missing_key_error(entity, cols, file=file)
        if mapping:
            self.summary.add_mapping(file, entity_name, mapping)
        self._mapped[(file, entity_name)] = mapping
        return mapping

    def note_columns(self, entity_name: str, columns, *, file: str) -> None:
        """Warn in the summary about columns of ``file`` left unused that look like a field ``entity_name`` lacks
        (:func:`reef.ingest.columns.unused_column_warnings`); once per file and entity, however many batches."""
        from reef.ingest.columns import unused_column_warnings

        file = self.name_of(file)
        if (file, entity_name) not in self._columns_seen:
            self._columns_seen.add((file, entity_name))
            self.summary.warnings += unused_column_warnings(ENTITIES[entity_name], columns, file)

    def quarantine(self, *, file: str, line: int | None, entity: str | None, field: str | None, reason: str, raw: str | None) -> None:
        """Quarantine a row that could not even be staged (malformed line, bad bytes, unknown entity)."""
        file = self.name_of(file)
        self._pending_quarantine.append((file, line, entity, field, reason, raw))
        self.summary.add(entity or "unknown", read=1, quarantined=1)
        self.summary.add_reason(_reason_class(reason))
        idx = self.file_index(file)
        self._files[idx].rows_read += 1
        if len(self._pending_quarantine) >= 10_000:
            self._flush_quarantine()

    def _flush_quarantine(self) -> None:
        if self._pending_quarantine:
            self.con.executemany("INSERT INTO stage_quarantine VALUES (?, ?, ?, ?, ?, ?)", self._pending_quarantine)
            self._pending_quarantine.clear()

    def _progress(self, label: str, n: int) -> None:
        if self.on_progress:
            self.on_progress(label, n, 0)

    # -- validation and commit ------------------------------------------------------------
    def _finish(self) -> None:
        from reef.ingest.commit import commit_session
        from reef.ingest.held import stage_held_rows

        self._flush_quarantine()
        stage_held_rows(self)  # rows held for a reference this import may bring: tried again with it
        commit_session(self)
        self.summary.import_id = self.import_id
        self.summary.files = [f.path for f in self._files]
        self.con.executemany(
            "INSERT INTO import_files VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(self.import_id, f.path, f.sha256, f.size, f.fmt, f.encoding, f.rows_read) for f in self._files],
        ) if self._files else None
        s = self.summary
        self.con.execute(
            # the wall clock now, not DuckDB's now(): that is the transaction's start, earlier than started_at
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self.import_id, self.started_at, datetime.now(timezone.utc), self.fmt, [f.path for f in self._files], __version__,
             s.read, s.imported, s.updated, s.duplicate, s.quarantined, s.to_json()],
        )

    def time_bounds(self) -> tuple[datetime, datetime]:
        cfg = self.store.config
        min_ts = datetime.fromisoformat(cfg.get("ingest.min_timestamp")).replace(tzinfo=timezone.utc)
        max_ts = datetime.now(timezone.utc) + timedelta(hours=float(cfg.get("ingest.max_future_hours")))
        return min_ts, max_ts


def _reason_class(reason: str) -> str:
    """Group reasons for the summary: the text before the first quote, colon or digit."""
    import re

    head = re.split(r"[':(]|\s\d", reason, maxsplit=1)[0].strip()
    return head or reason[:40]
