"""Staging an import's rows: Arrow batches and SELECTs into per-entity stage tables, and the SQL reading them back.

:class:`Staging` is the part of :class:`reef.ingest.session.ImportSession` that the readers call (``stage_arrow``,
``stage_sql``) and the commit reads (``stage_source``, ``staged_entities``, ``deferred_files``). Each staged row
carries ``_file``, ``_line`` and ``_seq`` (file index * stride + line, so rows keep their order across files); a
deferred SELECT (a Parquet file) is not copied but read again at commit.
"""
from __future__ import annotations

import re
from typing import Any

import pyarrow as pa

from reef.ingest.validate import ENTITY_ORDER, stage_ddl
from reef.model.schema import ENTITIES, Entity

__all__ = ["Staging"]

_FILE_STRIDE = 10**12  # _seq = file index * stride + line, to order rows across files


class Staging:
    """Staging methods of :class:`reef.ingest.session.ImportSession`, which holds their state (``con``, ``summary``,
    ``_files``, ``_staged``, ``_deferred``) and the file bookkeeping they call (``name_of``, ``file_index``,
    ``_progress``)."""

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


def _as_text(name: str, typ: pa.DataType) -> str:
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_struct(typ) or pa.types.is_map(typ):
        return f'to_json("{name}")::VARCHAR'
    if pa.types.is_dictionary(typ):
        return f'CAST(CAST("{name}" AS VARCHAR) AS VARCHAR)'
    return f'CAST("{name}" AS VARCHAR)'


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
