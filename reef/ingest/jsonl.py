"""Canonical JSONL reader: one JSON object per line (or a ``.json`` array of them, see :mod:`reef.ingest.jsondoc`).

Each line names its entity in an ``"entity"`` key, or the file name does (``members.jsonl``,
``content-0001.jsonl.gz``). Lines are read in binary chunks, decoded in Python, and parsed
and typed by DuckDB's JSON functions in bulk, so throughput stays high; a line that is not a
JSON object, is mis-encoded or names an unknown entity is quarantined with its line number.
JSON Lines should be UTF-8, but exports from Windows tools are often GBK: the encoding is
detected as for CSV (UTF-8, GB18030/GBK, Big5, UTF-16), and a non-UTF-8 file is decoded line by line.

Example:
    >>> from reef.store import open_store
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "members.jsonl"
    >>> _ = p.write_text('{"member_id": "m1", "joined_at": "2025-01-01T08:00:00+08:00"}\\n', encoding="utf-8")
    >>> from reef.ingest import import_paths
    >>> import_paths(open_store(":memory:"), [p]).imported
    1
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from reef.errors import Location, UnreadableFileError
from reef.ingest.aliases import missing_key_error
from reef.ingest.attrs import duplicate_key_sql
from reef.ingest.files import decode_line, entity_from_filename, no_entity_error, open_binary, sniff_encoding
from reef.ingest.jsondoc import read_document
from reef.ingest.session import ImportSession
from reef.model.schema import ENTITIES, entity_for_name

__all__ = ["stage_jsonl"]


_CHUNK = 1 << 25  # bytes per read; lines are split and validated as UTF-8 by Arrow, not in a Python loop
_SCAN_ROWS = 16_384  # rows per Arrow record batch handed to DuckDB


def stage_jsonl(session: ImportSession, path: Path, *, entity: str | None = None,
                encoding: str | None = None) -> None:
    """Stage every line of a JSONL file (plain or .gz) into ``session``.

    Lines are split and UTF-8-checked by Arrow and spooled to a temporary Parquet file; DuckDB
    then classifies them in one pass and extracts the fields when the session commits, in
    parallel. Nothing is held in memory per line: inside the import transaction every temp copy
    would otherwise stay alive until commit. A file that is one JSON document (an array, pretty-printed
    objects) of at most ``ingest.json_document_max_mb`` is read whole instead, one row per element.
    """
    default_entity = entity or entity_from_filename(path)
    label = str(path)
    encoding = sniff_encoding(path, encoding)  # the caller's, else detected
    session.add_file(label, "jsonl", size=path.stat().st_size, encoding=encoding)
    spool = session.spool_path(".parquet")
    writer: pq.ParquetWriter | None = None

    def write(lines: pa.Array, numbers: pa.Array) -> None:
        nonlocal writer
        if len(lines):
            batch = pa.record_batch([numbers, lines], names=["n", "line"])
            if writer is None:
                writer = pq.ParquetWriter(spool, batch.schema, compression="lz4", write_statistics=False)
            writer.write_batch(batch, row_group_size=_SCAN_ROWS)

    limit = int(float(session.store.config.get("ingest.json_document_max_mb")) * (1 << 20))
    document = read_document(path, limit, encoding=encoding)
    if document is not None:  # a JSON array or pretty-printed objects: one row per element, numbered by its first line
        numbers, texts = document
        write(*_clean(pa.array(texts, pa.large_string()), np.asarray(numbers, dtype=np.int64)))
    elif _stream(session, path, label, default_entity, write, encoding):
        raise UnreadableFileError("The file is empty.", where=Location(file=label))
    if writer is not None:
        writer.close()
        _stage_spool(session, label, spool, default_entity)


def _stream(session, path: Path, label: str, default_entity: str | None, write, encoding: str = "utf-8") -> bool:
    """Read a JSON Lines file in chunks, handing its lines to ``write``; returns whether the file was empty."""
    line_no = 0
    empty = True
    with open_binary(path) as fh:
        if encoding.startswith("utf-16"):  # lines cannot be split on bytes; decode the stream as a whole
            fh = io.BytesIO(fh.read().decode(encoding, errors="replace").encode("utf-8"))
            encoding = "utf-8"
        elif encoding in ("utf-8-sig", "ascii"):
            encoding = "utf-8"  # the byte-order mark is dropped below
        while True:
            buf = fh.read(_CHUNK)
            if not buf:
                break
            if empty and buf.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark is not part of the first object
                buf = buf[3:]
            empty = False
            if not buf.endswith(b"\n"):
                buf += fh.readline()  # finish the last line of the chunk
            lines, numbers, line_no = _split(session, label, buf, line_no, default_entity, encoding)
            write(lines, numbers)
    return empty


def _split(session, label: str, buf: bytes, line_no: int, default_entity: str | None, encoding: str = "utf-8"):
    """Split a chunk into non-blank lines and their numbers; lines not valid in ``encoding`` are quarantined.

    Splitting on the byte 0x0A is safe in GB18030 and Big5 too: no multi-byte character holds it."""
    parts = pc.split_pattern(pa.array([buf], pa.large_binary()), b"\n").flatten()
    if buf.endswith(b"\n"):
        parts = parts.slice(0, len(parts) - 1)
    numbers = np.arange(line_no + 1, line_no + 1 + len(parts), dtype=np.int64)
    try:
        if encoding != "utf-8":
            raise pa.ArrowInvalid("not UTF-8")  # decoded line by line below
        text = parts.cast(pa.large_string())
    except pa.ArrowInvalid:
        # Some line is mis-encoded (or the file is not UTF-8): decode line by line, once per such chunk.
        good, keep = [], []
        for i, raw in enumerate(parts.to_pylist()):
            decoded, problem = decode_line(raw, encoding)
            if problem:
                session.quarantine(file=label, line=int(numbers[i]), entity=default_entity, field=None, reason=problem,
                                   raw=raw.rstrip(b"\r").decode(encoding, "backslashreplace"))
            else:
                good.append(decoded)
                keep.append(i)
        text, numbers = pa.array(good, pa.large_string()), numbers[keep]
    lines, kept = _clean(text, numbers)
    return lines, kept, line_no + len(parts)


def _clean(text: pa.Array, numbers: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """Lines ready to spool, with their numbers: a CR end dropped, NULs escaped, blank lines left out."""
    text = pc.utf8_rtrim(text, "\r")
    if pc.any(pc.match_substring(text, "\x00")).as_py():
        # A raw NUL is not valid JSON. Inside a string it becomes the escape \u0000, so the validator quarantines the
        # row naming its field, as in every format; elsewhere the line stays malformed JSON.
        # After a backslash the escape would be read as an escaped backslash and the text "u0000": keep a NUL there.
        text = pc.replace_substring(pc.replace_substring(text, "\\\x00", "\\u0000\x00"), "\x00", "\\u0000")
    mask = pc.not_equal(pc.utf8_trim_whitespace(text), "")
    return text.filter(mask), pa.array(numbers).filter(mask)


def _stage_spool(session: ImportSession, label: str, spool: Path, default_entity: str | None) -> None:
    con = session.con
    source = "read_parquet($spool)"
    params = {"spool": str(spool)}
    cased = _has_cased_keys(con, source, params)
    keys = _FIELD_KEYS if cased else "json_keys(line)"  # Member_ID and member_id name one field
    if cased:
        source = f"(SELECT n, {_lower_known_keys('line')} AS line FROM {source})"
    # One pass classifies every line: a JSON object with each key once or not, and the entity it names.
    groups = con.execute(f"""
        SELECT coalesce(jtype = 'OBJECT', false) AND NOT {_twice('jtype', keys)} AS ok,
               CASE WHEN jtype = 'OBJECT' AND contains(line, '"entity"')
                    THEN lower(trim(json_extract_string(line, '$.entity'))) END AS ent, count(*)
        FROM (SELECT line, try(json_type(line)) AS jtype FROM {source})
        GROUP BY ALL
    """, params).fetchall()
    objects = f"try(json_type(line)) = 'OBJECT' AND NOT {_twice('try(json_type(line))', keys)}"
    has_bad = any(not ok for ok, _, _ in groups)
    if has_bad:
        bad = con.execute(f"""
            SELECT n, line, CASE WHEN jtype IS NULL AND contains(line, '\\u0000') THEN '{_NUL_LINE}'
                                 WHEN jtype IS NULL THEN 'malformed JSON'
                                 WHEN jtype <> 'OBJECT' THEN 'not a JSON object (got ' || lower(jtype) || ')'
                                 ELSE 'duplicate key ''' || left(dup, 80) || '''{_TWICE_REASON}' END, dup
            FROM (SELECT *, CASE WHEN jtype = 'OBJECT' THEN {duplicate_key_sql('line', keys)} END AS dup
                  FROM (SELECT n, line, try(json_type(line)) AS jtype FROM {source}))
            WHERE jtype IS DISTINCT FROM 'OBJECT' OR dup IS NOT NULL ORDER BY n
        """, params).fetchall()
        for n, line, reason, dup in bad:
            session.quarantine(file=label, line=n, entity=default_entity, field=dup, reason=reason, raw=line)
    good = [(ent, n) for ok, ent, n in groups if ok]
    if default_entity is None and good and all(ent is None for ent, _ in good):
        # Not one row names its entity: one error for the file, not a quarantine record per row.
        raise no_entity_error(session.name_of(label), column='an "entity" key to each object')
    # try(): DuckDB may evaluate this before the object test of the same WHERE, on a malformed line
    by_entity = "lower(trim(try(json_extract_string(line, '$.entity'))))"
    for name, count in good:
        entity = entity_for_name(name) if name else (ENTITIES[default_entity] if default_entity else None)
        conds = [objects] if has_bad else []
        p = dict(params)
        if len(good) > 1:
            conds.append(f"{by_entity} IS NULL" if name is None else f"{by_entity} = $ent")
            if name is not None:
                p["ent"] = name
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        if entity is None:
            reason = (f"unknown entity '{name}'" if name else
                      "no entity: add an \"entity\" key or name the file after one (members, content, interactions ...)")
            for n, line in con.execute(f"SELECT n, line FROM {source} {where} ORDER BY n", p).fetchall():
                session.quarantine(file=label, line=n, entity=None, field="entity", reason=reason, raw=line)
            continue
        # The keys of the first rows stand for the file's (an export writes every row alike); reading all would cost a pass.
        keys = con.execute(f"SELECT DISTINCT unnest(json_keys(line)) FROM (SELECT line FROM {source} {where} LIMIT 1000)", p).fetchall()
        cols = sorted(k for (k,) in keys)
        mapping = session.map_columns(entity.name, [k for k in cols if k.lower() != "entity"], file=label, require_key=False)
        if entity.key not in {k.lower() for k in cols} | set(mapping.values()) and con.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {source} {where} {'AND' if where else 'WHERE'} "
                f"try(json_extract_string(line, '$.\"{entity.key}\"')) IS NOT NULL LIMIT 1)", p).fetchone()[0] == 0:
            raise missing_key_error(entity, cols, file=session.name_of(label))  # no line has an id: one error, not a flood
        session.note_columns(entity.name, [mapping.get(k, k) for k in cols], file=label)
        session.stage_sql(entity.name, _entity_select(entity, f"FROM {source} {where}", mapping), p, file=label,
                          deferred=True, rows=int(count))


_KNOWN_KEYS = sorted({c for e in ENTITIES.values() for c in e.columns} | {"entity"})
_KNOWN_SQL = ", ".join(f"'{k}'" for k in _KNOWN_KEYS)
# A line's keys as fields: a field name in any case (Member_ID and member_id name one field).
_FIELD_KEYS = f"list_transform(json_keys(line), lambda k: CASE WHEN lower(k) IN ({_KNOWN_SQL}) THEN lower(k) ELSE k END)"
# The same key twice: JSON readers disagree on which copy counts (Python keeps the last, DuckDB the first).
_TWICE_REASON = ": it appears twice in the object (JSON readers disagree on which copy counts); keep one and import again"
_NUL_LINE = "malformed JSON with NUL characters (\\x00) outside a string: the export is damaged"


def _twice(jtype: str, keys: str) -> str:
    """SQL: the line, a JSON object when ``jtype`` says so, holds some key twice (json_keys fails on other lines)."""
    return f"coalesce(CASE WHEN {jtype} = 'OBJECT' THEN {duplicate_key_sql('line', keys)} IS NOT NULL END, false)"


def _has_cased_keys(con, source: str, params: dict) -> bool:
    """Whether the file's first lines spell a field name in another case (``Member_ID``); files are uniform."""
    return bool(con.execute(f"""
        SELECT coalesce(bool_or(list_bool_or(list_transform(json_keys(line), lambda k: k <> lower(k) AND lower(k) IN ({_KNOWN_SQL})))), false)
        FROM (SELECT line FROM {source} LIMIT 200) WHERE try(json_type(line)) = 'OBJECT'
    """, params).fetchone()[0])


def _lower_known_keys(col: str) -> str:
    """SQL rewriting a JSON object so field names match case-insensitively; other keys keep their spelling."""
    pairs = (f"list_transform(json_keys({col}), lambda k: struct_pack(k := CASE WHEN lower(k) IN ({_KNOWN_SQL}) THEN lower(k) ELSE k END, "
             f"v := json_extract({col}, '$.\"' || k || '\"')))")
    return (f"CASE WHEN try(json_type({col})) = 'OBJECT' THEN coalesce(try(to_json(map_from_entries({pairs}))::VARCHAR), {col}) "
            f"ELSE {col} END")


def _entity_select(entity, source: str, mapping: dict[str, str] | None = None) -> str:
    fields = [f.name for f in entity.fields if f.name != "attrs"]
    key_of = {field: col for col, field in (mapping or {}).items()}  # a field read from its Chinese key (用户ID)
    known = [*entity.columns, "entity", *key_of.values()]
    unknown_only = "line"
    for f in known:
        unknown_only = f"json_remove({unknown_only}, '$.\"{f}\"')"
    known_list = ", ".join(f"'{k}'" for k in known)
    # One parse extracts every field; keys the model does not know (rare) are folded into attrs.
    attrs = (
        f"CASE WHEN NOT list_bool_or(list_transform(json_keys(line), lambda k: k NOT IN ({known_list}))) "
        f"THEN json_extract(line, '$.attrs')::VARCHAR "
        # An attrs that is not an object passes through unmerged, so the validator quarantines it.
        f"WHEN coalesce(json_type(line, '$.attrs'), 'NULL') NOT IN ('OBJECT', 'NULL') THEN json_extract(line, '$.attrs')::VARCHAR "
        f"ELSE json_merge_patch(coalesce(json_extract(line, '$.attrs'), '{{}}'), {unknown_only})::VARCHAR END AS attrs"
    )
    paths = ", ".join(f"'$.\"{key_of.get(f, f)}\"'" for f in fields)
    inner = f"SELECT n, line, json_extract_string(line, [{paths}]) AS v {source}"
    cols = ", ".join(f'v[{i + 1}] AS "{f}"' for i, f in enumerate(fields))
    # The validator keeps _raw only for rows it rejects, so carrying the line costs nothing for good rows.
    return f"SELECT {cols}, {attrs}, n AS _line, line AS _raw FROM ({inner})"
