"""Canonical JSONL reader: one JSON object per line.

Each line names its entity in an ``"entity"`` key, or the file name does (``members.jsonl``,
``content-0001.jsonl.gz``). Lines are read in binary chunks, decoded in Python, and parsed
and typed by DuckDB's JSON functions in bulk, so throughput stays high; a line that is not a
JSON object, is mis-encoded or names an unknown entity is quarantined with its line number.

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

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from reef.errors import Location, UnreadableFileError
from reef.ingest.files import decode_line, entity_from_filename, open_binary
from reef.ingest.session import ImportSession
from reef.model.schema import ENTITIES, entity_for_name

__all__ = ["stage_jsonl"]


_CHUNK = 1 << 25  # bytes per read; lines are split and validated as UTF-8 by Arrow, not in a Python loop


def stage_jsonl(session: ImportSession, path: Path, *, entity: str | None = None) -> None:
    """Stage every line of a JSONL file (plain or .gz) into ``session``."""
    default_entity = entity or entity_from_filename(path)
    label = str(path)
    session.add_file(label, "jsonl", size=path.stat().st_size)
    con = session.con
    line_no = 0
    empty = True
    with open_binary(path) as fh:
        while True:
            buf = fh.read(_CHUNK)
            if not buf:
                break
            empty = False
            if not buf.endswith(b"\n"):
                buf += fh.readline()  # finish the last line of the chunk
            lines, numbers, line_no = _split(session, label, buf, line_no, default_entity)
            if len(lines):
                _stage_lines(session, con, label, lines, numbers, default_entity)
    if empty:
        raise UnreadableFileError("The file is empty.", where=Location(file=label))


def _split(session, label: str, buf: bytes, line_no: int, default_entity: str | None):
    """Split a chunk into non-blank lines and their numbers; lines that are not UTF-8 are quarantined."""
    parts = pc.split_pattern(pa.array([buf], pa.large_binary()), b"\n").flatten()
    if buf.endswith(b"\n"):
        parts = parts.slice(0, len(parts) - 1)
    numbers = np.arange(line_no + 1, line_no + 1 + len(parts), dtype=np.int64)
    try:
        text = parts.cast(pa.large_string())
    except pa.ArrowInvalid:
        # Some line is mis-encoded: find it (and any others) the slow way, once per bad chunk.
        good, keep = [], []
        for i, raw in enumerate(parts.to_pylist()):
            decoded, problem = decode_line(raw, "utf-8")
            if problem:
                session.quarantine(file=label, line=int(numbers[i]), entity=default_entity, field=None, reason=problem,
                                   raw=raw.rstrip(b"\r").decode("utf-8", "backslashreplace"))
            else:
                good.append(decoded)
                keep.append(i)
        text, numbers = pa.array(good, pa.large_string()), numbers[keep]
    text = pc.utf8_rtrim(text, "\r")
    if pc.any(pc.match_substring(text, "\x00")).as_py():
        text = pc.replace_substring(text, "\x00", "")
    mask = pc.not_equal(pc.utf8_trim_whitespace(text), "")
    return text.filter(mask), pa.array(numbers).filter(mask), line_no + len(parts)


def _stage_lines(session: ImportSession, con, label: str, lines: pa.Array, numbers: pa.Array, default_entity: str | None) -> None:
    batch = pa.table({"line": lines, "n": numbers})
    con.register("_reef_lines", batch)
    try:
        # try(json_type(...)) parses once and is NULL for malformed JSON.
        con.execute("""
            CREATE OR REPLACE TEMP TABLE _reef_json AS
            SELECT n, line, jtype, CASE WHEN jtype = 'OBJECT' THEN lower(trim(json_extract_string(line, '$.entity'))) END AS ent
            FROM (SELECT n, line, try(json_type(line)) AS jtype FROM _reef_lines)
        """)
    finally:
        con.unregister("_reef_lines")
    bad = con.execute("""
        SELECT n, line, CASE WHEN jtype IS NULL THEN 'malformed JSON' ELSE 'not a JSON object (got ' || lower(jtype) || ')' END
        FROM _reef_json WHERE jtype IS NULL OR jtype <> 'OBJECT'
    """).fetchall()
    for n, line, reason in bad:
        session.quarantine(file=label, line=n, entity=default_entity, field=None, reason=reason, raw=line)
    names = [r[0] for r in con.execute("SELECT DISTINCT ent FROM _reef_json WHERE jtype = 'OBJECT'").fetchall()]
    for name in names:
        entity = entity_for_name(name) if name else (ENTITIES[default_entity] if default_entity else None)
        where = "ent IS NULL" if name is None else "ent = $ent"
        params = {} if name is None else {"ent": name}
        if entity is None:
            reason = (f"unknown entity '{name}'" if name else
                      "no entity: add an \"entity\" key or name the file after one (members, content, interactions ...)")
            for n, line in con.execute(f"SELECT n, line FROM _reef_json WHERE jtype = 'OBJECT' AND {where}", params).fetchall():
                session.quarantine(file=label, line=n, entity=None, field="entity", reason=reason, raw=line)
            continue
        session.stage_sql(entity.name, _entity_select(entity, where), params, file=label)
    con.execute("DROP TABLE _reef_json")


def _entity_select(entity, where: str) -> str:
    fields = [f.name for f in entity.fields if f.name != "attrs"]
    known = [*entity.columns, "entity"]
    unknown_only = "line"
    for f in known:
        unknown_only = f"json_remove({unknown_only}, '$.\"{f}\"')"
    known_list = ", ".join(f"'{k}'" for k in known)
    # One parse extracts every field; keys the model does not know (rare) are folded into attrs.
    attrs = (
        f"CASE WHEN NOT list_bool_or(list_transform(json_keys(line), lambda k: k NOT IN ({known_list}))) "
        f"THEN json_extract(line, '$.attrs')::VARCHAR "
        f"ELSE json_merge_patch(coalesce(json_extract(line, '$.attrs'), '{{}}'), {unknown_only})::VARCHAR END AS attrs"
    )
    paths = ", ".join(f"'$.\"{f}\"'" for f in fields)
    inner = f"SELECT n, line, json_extract_string(line, [{paths}]) AS v FROM _reef_json WHERE jtype = 'OBJECT' AND {where}"
    cols = ", ".join(f'v[{i + 1}] AS "{f}"' for i, f in enumerate(fields))
    return f"SELECT {cols}, {attrs}, n AS _line FROM ({inner})"
