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

import pyarrow as pa

from reef.errors import Location, UnreadableFileError
from reef.ingest.files import decode_line, entity_from_filename, open_binary
from reef.ingest.session import ImportSession
from reef.model.schema import ENTITIES, entity_for_name

__all__ = ["stage_jsonl"]


def stage_jsonl(session: ImportSession, path: Path, *, entity: str | None = None) -> None:
    """Stage every line of a JSONL file (plain or .gz) into ``session``."""
    default_entity = entity or entity_from_filename(path)
    label = str(path)
    session.add_file(label, "jsonl", size=path.stat().st_size)
    batch_rows = int(session.store.config.get("ingest.batch_rows"))
    con = session.con
    line_no = 0
    with open_binary(path) as fh:
        while True:
            chunk = fh.readlines(1 << 24)
            if not chunk:
                break
            lines: list[str] = []
            numbers: list[int] = []
            for raw in chunk:
                line_no += 1
                raw = raw.rstrip(b"\r\n")
                if not raw.strip():
                    continue
                text, problem = decode_line(raw, "utf-8")
                if problem:
                    session.quarantine(file=label, line=line_no, entity=default_entity, field=None, reason=problem,
                                       raw=raw.decode("utf-8", "backslashreplace"))
                    continue
                lines.append(text.replace("\x00", "") if "\x00" in text else text)
                numbers.append(line_no)
                if len(lines) >= batch_rows:
                    _stage_lines(session, con, label, lines, numbers, default_entity)
                    lines, numbers = [], []
            if lines:
                _stage_lines(session, con, label, lines, numbers, default_entity)
    if line_no == 0:
        raise UnreadableFileError("The file is empty.", where=Location(file=label))


def _stage_lines(session: ImportSession, con, label: str, lines: list[str], numbers: list[int], default_entity: str | None) -> None:
    batch = pa.table({"line": pa.array(lines, pa.large_string()), "n": pa.array(numbers, pa.int64())})
    con.register("_reef_lines", batch)
    try:
        con.execute("""
            CREATE OR REPLACE TEMP TABLE _reef_json AS
            SELECT n, line, json_valid(line) AS ok,
                   CASE WHEN json_valid(line) THEN json_type(line) END AS jtype,
                   CASE WHEN json_valid(line) AND json_type(line) = 'OBJECT' THEN lower(trim(json_extract_string(line, '$.entity'))) END AS ent
            FROM _reef_lines
        """)
    finally:
        con.unregister("_reef_lines")
    bad = con.execute("""
        SELECT n, line, CASE WHEN NOT ok THEN 'malformed JSON' ELSE 'not a JSON object (got ' || lower(jtype) || ')' END
        FROM _reef_json WHERE NOT ok OR jtype <> 'OBJECT'
    """).fetchall()
    for n, line, reason in bad:
        session.quarantine(file=label, line=n, entity=default_entity, field=None, reason=reason, raw=line)
    names = [r[0] for r in con.execute("SELECT DISTINCT ent FROM _reef_json WHERE ok AND jtype = 'OBJECT'").fetchall()]
    for name in names:
        entity = entity_for_name(name) if name else (ENTITIES[default_entity] if default_entity else None)
        where = "ent IS NULL" if name is None else "ent = $ent"
        params = {} if name is None else {"ent": name}
        if entity is None:
            reason = (f"unknown entity '{name}'" if name else
                      "no entity: add an \"entity\" key or name the file after one (members, content, interactions ...)")
            for n, line in con.execute(f"SELECT n, line FROM _reef_json WHERE ok AND jtype = 'OBJECT' AND {where}", params).fetchall():
                session.quarantine(file=label, line=n, entity=None, field="entity", reason=reason, raw=line)
            continue
        unknown_only = "line"
        for f in entity.columns + ["entity"]:
            unknown_only = f"json_remove({unknown_only}, '$.\"{f}\"')"
        exprs = [
            f"json_extract_string(line, '$.\"{f.name}\"') AS \"{f.name}\"" for f in entity.fields if f.name != "attrs"
        ]
        # Keys the model does not know are kept, folded into attrs.
        exprs.append(
            f"CASE WHEN {unknown_only} = '{{}}' THEN json_extract(line, '$.attrs')::VARCHAR "
            f"ELSE json_merge_patch(coalesce(json_extract(line, '$.attrs'), '{{}}'), {unknown_only})::VARCHAR END AS attrs"
        )
        session.stage_sql(entity.name, f"SELECT {', '.join(exprs)}, n AS _line FROM _reef_json WHERE ok AND jtype = 'OBJECT' AND {where}",
                          params, file=label)
    con.execute("DROP TABLE _reef_json")
