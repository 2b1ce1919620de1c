"""Held rows: rows quarantined for a dangling reference are tried again when an import brings what they refer to.

A reply imported before its author's member row is quarantined as ``dangling reference: author_id 'u9' is not a
known member id``. When a later import stages members, every row held for a missing member is staged again with
it, from the canonical record the quarantine kept (``raw``), under its first file's name and line (the file shows as
``<file> (held rows)`` in the import). It is taken out of the quarantine inside the same transaction, so it is either
stored or quarantined again with this import's id and its current reason; nothing is lost or counted twice.

Example:
    >>> from reef.store import open_store
    >>> from reef.ingest import import_paths
    >>> import_paths(open_store(":memory:"), []).warnings  # nothing held, nothing retried
    []
"""
from __future__ import annotations

import re

from reef.i18n import plural
from reef.ingest.validate import reference_fields
from reef.model.schema import ENTITIES

__all__ = ["stage_held_rows"]

HELD_SUFFIX = " (held rows)"
_DANGLING = re.compile(r"dangling reference: (\w+) '")


def _targets() -> dict[tuple[str, str], str]:
    """(entity, reference field) -> the entity it refers to."""
    return {(e.name, f.name): f.ref for e in ENTITIES.values() for f in reference_fields(e)}


def stage_held_rows(session) -> int:
    """Stage again the held rows whose missing reference is of an entity ``session`` stages; returns how many.

    Called by the session just before it validates and commits, in its transaction."""
    from reef.ingest.jsonl import _entity_select

    if not session.staged_entities or not session.store.table_exists("quarantine"):
        return 0
    targets, n, files = _targets(), 0, []
    # A file read again by this import brings its own held rows; staging them twice would count them twice.
    read_now = {f.path for f in session._files}
    # A held thread staged again brings the held replies under it (their missing parent is content): repeat until none.
    while True:
        staged = set(session.staged_entities)
        held = session.con.execute(
            "SELECT rowid, entity, file, reason FROM quarantine WHERE reason LIKE 'dangling reference: %' AND raw IS NOT NULL "
            "AND entity IS NOT NULL").fetchall()
        picked: dict[tuple[str, str], list[int]] = {}
        for rowid, entity, file, reason in held:
            m = _DANGLING.match(reason)
            base = (file or "").removesuffix(HELD_SUFFIX)
            if m and targets.get((entity, m.group(1))) in staged and base not in read_now:
                picked.setdefault((entity, file or "?"), []).append(int(rowid))
        if not picked:
            break
        for (entity, file), rowids in sorted(picked.items()):
            source = "FROM (SELECT coalesce(line, 0) AS n, raw AS line FROM quarantine WHERE rowid IN (SELECT unnest($rowids)))"
            label = file if file.endswith(HELD_SUFFIX) else file + HELD_SUFFIX  # held a second time: same label
            n += session.stage_sql(entity, _entity_select(ENTITIES[entity], source), {"rowids": rowids}, file=label)
            session.con.execute("DELETE FROM quarantine WHERE rowid IN (SELECT unnest($rowids))", {"rowids": rowids})
            files.append(label)
    if n:
        session.summary.warnings.append({
            "code": "held_rows_retried", "file": ", ".join(dict.fromkeys(files)),
            "message": f"{plural(n, 'row')} held for a missing reference {'was' if n == 1 else 'were'} tried again with this import",
            "message_zh": f"{n} 行因引用缺失而暂存的数据已随本次导入重新处理"})
    return n
