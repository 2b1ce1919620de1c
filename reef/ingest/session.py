"""An import session: stage rows from any reader, validate them together, commit atomically.

The whole import (all files given to one ``reef import``) is one DuckDB transaction: killed
halfway, the store is left as before and the next run completes it. Rows are deduplicated by
id: an identical row already stored counts as a duplicate, a changed one as an update. Rows
that fail a check go to ``quarantine`` with file, line, field and reason.

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
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from reef import __version__
from reef.ingest.summary import ImportSummary
from reef.ingest.validate import ENTITY_ORDER, reference_fields, row_problem_sql, stage_ddl, typed_select
from reef.model.schema import ENTITIES, Entity
from reef.store.connection import Store

__all__ = ["ImportSession", "Progress"]

Progress = Callable[[str, int, int], None]  # (label, done, total)
_FILE_STRIDE = 10**12  # _seq = file index * stride + line, to order rows across files


@dataclass
class _File:
    path: str
    fmt: str
    sha256: str | None = None
    size: int | None = None
    encoding: str | None = None
    rows_read: int = 0


class ImportSession:
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

    # -- staging --------------------------------------------------------------------------
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

    def _ensure_stage(self, entity: Entity) -> None:
        if entity.name not in self._staged:
            self.con.execute(stage_ddl(entity))
            self._staged.add(entity.name)

    def stage_arrow(self, entity_name: str, table: pa.Table | pa.RecordBatch, *, file: str, first_line: int = 1) -> None:
        """Stage an Arrow batch; columns not in the entity are folded into ``attrs``.

        ``_line`` may be given as a column; otherwise rows are numbered from ``first_line``.
        """
        entity = ENTITIES[entity_name]
        self._ensure_stage(entity)
        file = self.name_of(file)
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        n = table.num_rows
        if n == 0:
            return
        idx = self.file_index(file)
        self._files[idx].rows_read += n
        self.summary.add(entity.name, read=n)
        names = set(table.column_names)
        cols, exprs = [], []
        for f in entity.fields:
            if f.name in names:
                cols.append(f'"{f.name}"')
                exprs.append(_as_text(f.name, table.schema.field(f.name).type))
        extra = [c for c in table.column_names if c not in entity.columns and not c.startswith("_")]
        if extra:
            packed = "to_json(struct_pack(" + ", ".join(f"{_ident(c)} := {_ident(c)}" for c in extra) + "))"
            base = f"NULLIF(trim({_as_text('attrs', table.schema.field('attrs').type)}), '')" if "attrs" in names else "NULL"
            # An attrs cell that is not a JSON object stays as it is, so the validator quarantines it.
            attrs_expr = (f"CASE WHEN {base} IS NULL OR json_type(try_cast({base} AS JSON)) = 'OBJECT' "
                          f"THEN NULLIF(json_merge_patch(coalesce({base}, '{{}}'), {packed})::VARCHAR, '{{}}') ELSE {base} END")
            if '"attrs"' in cols:
                exprs[cols.index('"attrs"')] = attrs_expr
            else:
                cols.append('"attrs"')
                exprs.append(attrs_expr)
        line_expr = '"_line"' if "_line" in names else f"{first_line - 1} + row_number() OVER ()"
        raw_expr = '"_raw"' if "_raw" in names else "NULL"
        self.con.register("_reef_batch", table)
        try:
            self.con.execute(
                f'INSERT INTO "stage_{entity.name}" ({", ".join(cols)}, _file, _line, _raw, _seq) '
                f"SELECT {', '.join(exprs)}, $file, {line_expr}, {raw_expr}, {idx * _FILE_STRIDE} + {line_expr} FROM _reef_batch",
                {"file": file},
            )
        finally:
            self.con.unregister("_reef_batch")
        self._progress(file, n)

    def stage_sql(self, entity_name: str, select_sql: str, params: dict[str, Any] | None = None, *, file: str,
                  deferred: bool = False, rows: int | None = None) -> int:
        """Stage rows from a SELECT yielding text columns named as fields plus ``_line`` (and optionally ``_raw``).

        ``deferred=True`` (for sources that can be read again, such as a Parquet file) does not copy the
        rows now: the validator reads the SELECT directly when the session commits, which saves a full
        materialisation. The SELECT must not depend on temp tables the reader drops.
        """
        entity = ENTITIES[entity_name]
        self._ensure_stage(entity)
        file = self.name_of(file)
        idx = self.file_index(file)
        params = dict(params or {})
        if deferred:
            # ``rows`` spares a pass over the source when the reader already knows how many rows it selects.
            n = rows if rows is not None else int(self.con.execute(f"SELECT count(*) FROM ({select_sql})", params).fetchone()[0])
            names = [d[0] for d in self.con.execute(f"SELECT * FROM ({select_sql}) LIMIT 0", params).description]
            prefix = f"d{sum(map(len, self._deferred.values()))}_"  # each source gets its own parameter names
            sql = re.sub(r"\$(" + "|".join(map(re.escape, params)) + r")\b", lambda m: "$" + prefix + m.group(1), select_sql) if params else select_sql
            self._deferred.setdefault(entity.name, []).append(
                (sql, {prefix + k: v for k, v in params.items()}, idx, [c for c in names if c in entity.columns or c in ("_line", "_raw")], file))
            self._files[idx].rows_read += n
            self.summary.add(entity.name, read=n)
            self._progress(file, n)
            return n
        # Insert straight from the SELECT: materialising it first would copy every row twice.
        names = [d[0] for d in self.con.execute(f"SELECT * FROM ({select_sql}) LIMIT 0", params).description]
        cols = [f'"{c}"' for c in names if c in entity.columns]
        raw = '"_raw"' if "_raw" in names else "NULL"
        params["_reef_file"] = file
        n = int(self.con.execute(
            f'INSERT INTO "stage_{entity.name}" ({", ".join(cols)}, _file, _line, _raw, _seq) '
            f"SELECT {', '.join(cols)}, $_reef_file, _line, {raw}, {idx * _FILE_STRIDE} + _line FROM ({select_sql})",
            params,
        ).fetchone()[0])
        self._files[idx].rows_read += n
        self.summary.add(entity.name, read=n)
        self._progress(file, n)
        return n

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

        self._flush_quarantine()
        commit_session(self)
        self.summary.import_id = self.import_id
        self.summary.files = [f.path for f in self._files]
        self.con.executemany(
            "INSERT INTO import_files VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(self.import_id, f.path, f.sha256, f.size, f.fmt, f.encoding, f.rows_read) for f in self._files],
        ) if self._files else None
        s = self.summary
        self.con.execute(
            "INSERT INTO imports VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self.import_id, self.started_at, self.fmt, [f.path for f in self._files], __version__,
             s.read, s.imported, s.updated, s.duplicate, s.quarantined, s.to_json()],
        )

    def stage_source(self, entity_name: str) -> tuple[str, dict[str, Any]]:
        """SQL (and params) yielding every staged row of an entity: the stage table plus deferred SELECTs."""
        entity = ENTITIES[entity_name]
        cols = [f.name for f in entity.fields] + ["_file", "_line", "_raw", "_seq"]
        parts = [f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "stage_{entity.name}"']
        params: dict[str, Any] = {}
        for sql, p, idx, names, file in self._deferred.get(entity.name, []):
            key = f"d_file_{idx}"
            exprs = []
            for c in cols:
                if c == "_file":
                    exprs.append(f"${key} AS _file")
                elif c == "_seq":
                    exprs.append(f"{idx * _FILE_STRIDE} + _line AS _seq")
                elif c in names:
                    exprs.append(f'"{c}"')
                else:
                    exprs.append(f'NULL::{"BIGINT" if c == "_line" else "VARCHAR"} AS "{c}"')
            parts.append(f"SELECT {', '.join(exprs)} FROM ({sql})")
            params.update(p)
            params[key] = file
        return " UNION ALL ".join(parts), params

    @property
    def deferred_files(self) -> list[str]:
        return sorted({src[4] for sources in self._deferred.values() for src in sources})

    @property
    def staged_entities(self) -> list[str]:
        return [e for e in ENTITY_ORDER if e in self._staged]

    def time_bounds(self) -> tuple[datetime, datetime]:
        cfg = self.store.config
        min_ts = datetime.fromisoformat(cfg.get("ingest.min_timestamp")).replace(tzinfo=timezone.utc)
        max_ts = datetime.now(timezone.utc) + timedelta(hours=float(cfg.get("ingest.max_future_hours")))
        return min_ts, max_ts


def _as_text(name: str, typ: pa.DataType) -> str:
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_struct(typ) or pa.types.is_map(typ):
        return f'to_json("{name}")::VARCHAR'
    if pa.types.is_dictionary(typ):
        return f'CAST(CAST("{name}" AS VARCHAR) AS VARCHAR)'
    return f'CAST("{name}" AS VARCHAR)'


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _reason_class(reason: str) -> str:
    """Group reasons for the summary: the text before the first quote, colon or digit."""
    import re

    head = re.split(r"[':(]|\s\d", reason, maxsplit=1)[0].strip()
    return head or reason[:40]
