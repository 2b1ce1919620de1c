"""Canonical Parquet reader: DuckDB reads the file, the shared validator judges the rows.

Columns are matched to the entity's fields case-insensitively; typed columns are cast to
text (lists, structs and maps through ``to_json``) so Parquet rows pass exactly the checks
JSONL and CSV rows pass. Columns the model does not know are folded into ``attrs``. The
entity comes from ``entity``, the file name (``content-0001.parquet``) or an ``entity``
column (rows are then grouped by it). ``_line`` is the row number in the file plus one.
A file that is not Parquet is a one-line :class:`~reef.errors.UnreadableFileError`.

Example:
    >>> import pyarrow as pa, pyarrow.parquet as pq, tempfile, pathlib
    >>> from reef.store import open_store
    >>> from reef.ingest import import_paths
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "members.parquet"
    >>> pq.write_table(pa.table({"Member_ID": ["m1"], "joined_at": ["2025-01-01 08:00"]}), p)
    >>> import_paths(open_store(":memory:"), [p]).imported
    1
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from reef.errors import Location, UnreadableFileError
from reef.ingest.files import check_readable, entity_from_filename, no_entity_error
from reef.ingest.session import ImportSession
from reef.model.schema import ENTITIES, Entity, entity_for_name

__all__ = ["stage_parquet"]

_NESTED = ("[]", "STRUCT(", "MAP(", "UNION(")


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_text(col: str, typ: str) -> str:
    if typ.endswith("]") or typ.startswith(_NESTED):  # lists, arrays, structs, maps
        return f"to_json({col})::VARCHAR"
    if typ == "VARCHAR":
        return col
    if typ == "BLOB":
        return f"decode({col})"  # UTF-8 bytes written as binary by some tools
    if typ in ("DOUBLE", "FLOAT"):
        # pandas turns an integer id column with a gap into floats: 1.0 must still name member '1'
        return (f"CASE WHEN {col} = trunc({col}) AND abs({col}) < 1e15 THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({col} AS VARCHAR) END")
    return f"CAST({col} AS VARCHAR)"


def _describe(con, path: Path) -> list[tuple[str, str]]:
    try:
        rows = con.execute("DESCRIBE SELECT * FROM read_parquet($p)", {"p": str(path)}).fetchall()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreadableFileError(f"Not a readable Parquet file ({first[:160]}).", where=Location(file=str(path))) from None
    return [(r[0], r[1]) for r in rows]


def _select_for(entity: Entity, columns: list[tuple[str, str]], mapping: dict[str, str] | None = None) -> str:
    by_lower: dict[str, tuple[str, str]] = {}
    extras: list[tuple[str, str]] = []
    for name, typ in columns:
        low = (mapping or {}).get(name.strip()) or name.strip().lower()  # a Chinese header as its field (用户ID)
        if low in entity.columns and low not in by_lower:
            by_lower[low] = (name, typ)
        elif low not in ("entity", "file_row_number", "_line", "_raw", "_file", "_seq"):
            extras.append((name, typ))
    exprs = []
    for f in entity.fields:
        if f.name == "attrs" or f.name not in by_lower:
            continue
        name, typ = by_lower[f.name]
        exprs.append(f'{_as_text(_quote_ident(name), typ)} AS "{f.name}"')
    base = None
    if "attrs" in by_lower:
        name, typ = by_lower["attrs"]
        base = _as_text(_quote_ident(name), typ)
    if extras:
        # json_merge_patch drops null members, so an empty extra cell adds nothing to attrs.
        packed = "to_json(struct_pack(" + ", ".join(f"{_quote_ident(n)} := {_quote_ident(n)}" for n, _ in extras) + "))"
        merged = f"NULLIF(json_merge_patch(coalesce(try_cast({base or 'NULL'} AS JSON), '{{}}'), {packed})::VARCHAR, '{{}}')"
        if base is not None:  # an attrs that is not an object passes through unmerged, so the validator quarantines it
            merged = (f"CASE WHEN NULLIF(trim({base}), '') IS NOT NULL AND coalesce(try(json_type(try_cast({base} AS JSON))), '') <> 'OBJECT' "
                      f"THEN {base} ELSE {merged} END")
        exprs.append(f"{merged} AS attrs")
    elif base is not None:
        exprs.append(f"{base} AS attrs")
    exprs.append("file_row_number + 1 AS _line")
    return ", ".join(exprs)


def stage_parquet(session: ImportSession, path: Path, *, entity: str | None = None) -> None:
    """Stage every row of a Parquet file into ``session``."""
    check_readable(path)
    label = str(path)
    con = session.con
    columns = _describe(con, path)
    session.add_file(label, "parquet", size=path.stat().st_size)
    source = "read_parquet($p, file_row_number=true)"
    params = {"p": str(path)}
    names = {n.strip().lower(): n for n, _ in columns}
    fixed = entity or entity_from_filename(path)
    if fixed is not None or "entity" not in names:
        target = ENTITIES[fixed] if fixed else None
        if target is None:
            raise no_entity_error(session.name_of(label))
        _stage(session, target, columns, source, "", params, label)
        return
    ent_col = _quote_ident(names["entity"])
    values = [r[0] for r in con.execute(f"SELECT DISTINCT lower(trim({ent_col})) FROM {source}", params).fetchall()]
    for value in values:
        cond = f"lower(trim({ent_col})) = $ent" if value is not None else f"{ent_col} IS NULL"
        p = dict(params, ent=value) if value is not None else params
        target = entity_for_name(value) if value else None
        if target is None:
            reason = f"unknown entity '{value}'" if value else "no entity in the 'entity' column"
            _quarantine_all(session, label, source, p, f"WHERE {cond}", reason)
            continue
        _stage(session, target, columns, source, f"WHERE {cond}", p, label)


def _stage(session, entity: Entity, columns, source: str, where: str, params: dict, label: str) -> None:
    blobs = [name for name, typ in columns if typ == "BLOB"]
    if blobs:
        # Binary text columns that are not UTF-8 lose their row to the quarantine, not the whole file.
        bad = " OR ".join(f"({_quote_ident(b)} IS NOT NULL AND try(decode({_quote_ident(b)})) IS NULL)" for b in blobs)
        for n, raw in session.con.execute(
            f"SELECT file_row_number + 1, json_remove(to_json(t), '$.file_row_number')::VARCHAR FROM {source} AS t "
            f"{where + ' AND' if where else 'WHERE'} ({bad})", params).fetchall():
            session.quarantine(file=label, line=int(n), entity=entity.name, field=None, raw=raw,
                               reason="bytes not valid utf-8 in a binary column (mis-encoded text)")
        where = f"{where + ' AND' if where else 'WHERE'} NOT ({bad})"
    mapping = session.map_columns(entity.name, [n for n, _ in columns if n.strip().lower() != "entity"], file=label)
    session.note_columns(entity.name, [mapping.get(n.strip(), n) for n, _ in columns], file=label)
    try:
        session.stage_sql(entity.name, f"SELECT {_select_for(entity, columns, mapping)} FROM {source} {where}", params, file=label,
                          deferred=True)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise UnreadableFileError(f"Cannot read the Parquet data ({first[:160]}).", where=Location(file=label)) from None


def _quarantine_all(session, label: str, source: str, params: dict, where: str, reason: str) -> None:
    rows = session.con.execute(
        f"SELECT file_row_number + 1, json_remove(to_json(t), '$.file_row_number')::VARCHAR FROM {source} AS t {where}", params
    ).fetchall()
    for n, raw in rows:
        session.quarantine(file=label, line=int(n), entity=None, field="entity", reason=reason, raw=raw)
