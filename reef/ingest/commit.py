"""Validate staged rows and write them: the second half of an :class:`ImportSession`.

Order: type and row checks (one pass per entity) -> in-batch duplicates -> optional group references that name no
known group are cleared (:mod:`reef.ingest.optional_refs`) -> dangling
references (repeated until stable, since a quarantined parent orphans its children; one differing from a known id only
by leading zeros or case gets "did you mean", :mod:`reef.ingest.near_ids`) ->
replies older than their parent -> thread ids -> compare with stored rows (duplicate /
update / new) -> write (an updated row keeps its integer code) -> the integer codes of new rows and of references to
them (:mod:`reef.store.codes`) -> quarantine. Every step is set-based SQL that touches only the rows it changes, so a
clean import costs a few scans.

Example:
    >>> from reef.store import open_store
    >>> from reef.ingest.session import ImportSession
    >>> import pyarrow as pa
    >>> store = open_store(":memory:")
    >>> with ImportSession(store, fmt="arrow") as s:  # commit_session runs on exit
    ...     s.stage_arrow("members", pa.table({"member_id": ["m1", "m1"], "joined_at": ["2025-01-01", "2025-01-01"]}), file="<demo>")
    >>> (s.summary.imported, s.summary.duplicate)
    (1, 1)
"""
from __future__ import annotations

from datetime import timedelta

import duckdb

from reef.errors import Location, UnreadableFileError

from reef.ingest.attrs import same_row_sql
from reef.ingest.optional_refs import (fill_known_groups, file_quarantined_warnings, keep_unknown_groups,
                                      unknown_group_warnings)
from reef.ingest.near_ids import suggest_near_ids
from reef.ingest.html_body import register_html_unescape
from reef.ingest.validate import reference_fields, typed_table_sql
from reef.model.schema import ENTITIES
from reef.store.codes import fill_codes, keep_codes, restore_codes

__all__ = ["commit_session"]

_MAX_REFERENCE_ROUNDS = 50


def commit_session(session) -> None:
    """Type, check, deduplicate and write every staged entity of ``session`` (inside its transaction)."""
    con, store = session.con, session.store
    entities = session.staged_entities
    min_ts, max_ts = session.time_bounds()
    max_chars = int(store.config.get("ingest.max_text_chars"))
    register_html_unescape(con)
    for name in entities:
        entity = ENTITIES[name]
        source, params = session.stage_source(name)
        try:
            con.execute(
                f'CREATE OR REPLACE TEMP TABLE "typed_{name}" AS {typed_table_sql(entity, max_text_chars=max_chars, source=source)}',
                {"min_ts": min_ts, "max_ts": max_ts, **params},
            )
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            # A deferred source (a Parquet file) is read only now; a damaged one is still a one-line error naming it.
            files = session.deferred_files
            if not files:
                raise
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
            raise UnreadableFileError(f"Cannot read the data ({first}).", where=Location(file=", ".join(files))) from None
        con.execute(f'DROP TABLE "stage_{name}"')
        _mark_batch_duplicates(con, name, entity.key)
    keep_unknown_groups(con, entities)  # a board not known leaves the group empty, not the row out
    _mark_dangling(con, entities)
    if "content" in entities:
        if _mark_reply_before_parent(con, float(store.config.get("ingest.parent_skew_hours"))):
            _mark_dangling(con, entities)  # the replies of a quarantined reply are orphans now
        _fill_thread_ids(con)
    suggest_near_ids(con, entities)  # '007' for member 7: "did you mean" on the dangling rows only
    unknown_group_warnings(con, entities, session.summary)
    for name in entities:
        _write_entity(session, name)
    fill_known_groups(con, entities, session.import_id, session.summary)
    # The new rows' integer codes, and the codes of references to them (reef/store/codes.py): once, here, so the
    # analyses join on integers.
    fill_codes(con)
    _write_quarantine(session, entities)


def _mark_batch_duplicates(con, name: str, key: str) -> None:
    # Among valid rows with the same id, the first (by file order) wins; an identical later copy is a
    # duplicate, a different one is quarantined because the file contradicts itself. Repeated ids are
    # rare, so find them with one aggregate and touch only their rows.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _reef_dups AS SELECT "t_{key}" AS k FROM "typed_{name}"
                    WHERE _problem IS NULL GROUP BY 1 HAVING count(*) > 1""")
    if con.execute("SELECT count(*) FROM _reef_dups").fetchone()[0]:
        con.execute(f"""
            UPDATE "typed_{name}" AS t SET
                _status = CASE WHEN t._hash = f._hash THEN 'batch_duplicate' ELSE NULL END,
                _problem = CASE WHEN t._hash = f._hash THEN NULL
                                ELSE ['{key}', 'duplicate id ''' || t."t_{key}" || ''' differs from the row at ' || f._file || ':' || f._line] END,
                _raw = CASE WHEN t._hash = f._hash THEN NULL ELSE t._raw END
            FROM (SELECT "t_{key}" AS k, _hash, _file, _line, _seq FROM (
                    SELECT *, row_number() OVER (PARTITION BY "t_{key}" ORDER BY _seq) AS rn
                    FROM "typed_{name}" WHERE _problem IS NULL AND "t_{key}" IN (SELECT k FROM _reef_dups)) WHERE rn = 1) AS f
            WHERE t."t_{key}" = f.k AND t._seq <> f._seq AND t._problem IS NULL
        """)
    con.execute("DROP TABLE _reef_dups")


def _mark_dangling(con, entities: list[str]) -> None:
    for _ in range(_MAX_REFERENCE_ROUNDS):
        changed = 0
        for name in entities:
            for f in reference_fields(ENTITIES[name]):
                target = ENTITIES[f.ref]
                noun = target.name[:-1] if target.name.endswith("s") else target.name
                staged = (f'UNION ALL SELECT "t_{target.key}" FROM "typed_{target.name}" WHERE _problem IS NULL AND _status IS NULL'
                          if target.name in entities else "")
                n = con.execute(f"""
                    UPDATE "typed_{name}" SET _problem = ['{f.name}', 'dangling reference: {f.name} ''' || "t_{f.name}" || ''' is not a known {noun} id']
                    WHERE _problem IS NULL AND "t_{f.name}" IS NOT NULL AND "t_{f.name}" NOT IN (
                        SELECT "{target.key}" FROM "{target.name}" {staged})
                """).fetchone()[0]
                changed += int(n)
        if not changed:
            return


def _mark_reply_before_parent(con, skew_hours: float) -> int:
    skew = timedelta(hours=skew_hours)
    return int(con.execute("""
        UPDATE typed_content AS t SET _problem = ['created_at', 'reply dated ' || strftime(t.t_created_at, '%Y-%m-%d %H:%M') ||
            ', before its parent (' || strftime(p.created_at, '%Y-%m-%d %H:%M') || ')']
        FROM (SELECT content_id, created_at FROM content UNION ALL
              SELECT t_content_id, t_created_at FROM typed_content WHERE _problem IS NULL) AS p
        WHERE t._problem IS NULL AND t.t_parent_id = p.content_id AND t.t_created_at < p.created_at - $skew
    """, {"skew": skew}).fetchone()[0])


def _fill_thread_ids(con) -> None:
    con.execute("UPDATE typed_content SET t_thread_id = t_content_id WHERE t_thread_id IS NULL AND t_parent_id IS NULL AND _problem IS NULL")
    for _ in range(_MAX_REFERENCE_ROUNDS):
        n = con.execute("""
            UPDATE typed_content AS t SET t_thread_id = p.thread_id
            FROM (SELECT content_id, thread_id FROM content WHERE thread_id IS NOT NULL UNION ALL
                  SELECT t_content_id, t_thread_id FROM typed_content WHERE t_thread_id IS NOT NULL AND _problem IS NULL) AS p
            WHERE t.t_thread_id IS NULL AND t._problem IS NULL AND t.t_parent_id = p.content_id
        """).fetchone()[0]
        if not n:
            return


def _write_entity(session, name: str) -> None:
    con = session.con
    entity = ENTITIES[name]
    key = entity.key
    # Against an empty table every valid row is new: skip the join.
    kept = bool(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
    if kept:
        con.execute(f"""
            UPDATE "typed_{name}" AS t SET _status = CASE WHEN s.row_hash = t._hash OR {same_row_sql(entity, "s", "t")}
                                                          THEN 'duplicate' ELSE 'update' END
            FROM "{name}" AS s WHERE s."{key}" = t."t_{key}" AND t._problem IS NULL AND t._status IS NULL
        """)
        if "edited_at" in entity.columns:
            older = f"""s.edited_at IS NOT NULL AND (t.t_edited_at IS NULL OR t.t_edited_at < s.edited_at)"""
            if "deleted_at" in entity.columns:
                # A copy older than the stored edit that deletes the item (moderation exports leave edited_at empty) is
                # news: the deletion is applied and the edit kept. The stored row takes this import's id, so incremental
                # readers see the change.
                con.execute(f"""
                    UPDATE "typed_{name}" AS t SET _status = 'deleted'
                    FROM "{name}" AS s WHERE s."{key}" = t."t_{key}" AND t._status = 'update' AND {older}
                      AND t.t_deleted_at IS NOT NULL AND (s.deleted_at IS NULL OR t.t_deleted_at < s.deleted_at)
                """)
                con.execute(f"""
                    UPDATE "{name}" AS s SET deleted_at = t.t_deleted_at, import_id = $iid, ingested_at = now()
                    FROM "typed_{name}" AS t WHERE s."{key}" = t."t_{key}" AND t._status = 'deleted'
                """, {"iid": session.import_id})
            # An older copy of an edited item (a file imported again after a newer one) does not undo the edit.
            con.execute(f"""
                UPDATE "typed_{name}" AS t SET _status = 'stale'
                FROM "{name}" AS s WHERE s."{key}" = t."t_{key}" AND t._status = 'update' AND {older}
            """)
        keep_codes(con, name, f"typed_{name}")  # an updated row keeps its integer code (reef/store/codes.py)
        con.execute(f"""DELETE FROM "{name}" WHERE "{key}" IN (SELECT "t_{key}" FROM "typed_{name}" WHERE _status = 'update')""")
    cols = ", ".join(f'"{f.name}"' for f in entity.fields)
    values = ", ".join(f'"t_{f.name}"' for f in entity.fields)
    # The typed table is in file order already (insertion order is preserved), so no ORDER BY.
    con.execute(
        f'INSERT INTO "{name}" ({cols}, import_id, row_hash, ingested_at) SELECT {values}, $iid, _hash, now() '
        f"FROM \"typed_{name}\" WHERE _problem IS NULL AND (_status IS NULL OR _status = 'update')",
        {"iid": session.import_id},
    )
    if kept:
        restore_codes(con, name)
    counts = dict(con.execute(
        f"""SELECT CASE WHEN _problem IS NOT NULL THEN 'quarantined' ELSE coalesce(_status, 'new') END, count(*)
            FROM "typed_{name}" GROUP BY 1""").fetchall())
    session.summary.add(
        name,
        imported=counts.get("new", 0),
        updated=counts.get("update", 0) + counts.get("deleted", 0),
        duplicate=counts.get("duplicate", 0) + counts.get("batch_duplicate", 0) + counts.get("stale", 0),
        quarantined=counts.get("quarantined", 0),
    )


def _write_quarantine(session, entities: list[str]) -> None:
    from reef.ingest.session import _reason_class

    con = session.con
    for name in entities:
        entity = ENTITIES[name]
        # Rows that failed a later check (references, duplicates) kept no raw text: show their typed values.
        packed = "to_json(struct_pack(" + ", ".join(f'"{f.name}" := "t_{f.name}"' for f in entity.fields) + "))::VARCHAR"
        con.execute(f"""
            INSERT INTO stage_quarantine
            SELECT _file, _line, '{name}', _problem[1], _problem[2], coalesce(_raw, {packed})
            FROM "typed_{name}" WHERE _problem IS NOT NULL
        """)
    problems = " UNION ALL ".join(f'SELECT _problem FROM "typed_{n}" WHERE _problem IS NOT NULL' for n in entities)
    if problems:
        for reason, n in con.execute(f"SELECT _problem[2], count(*) FROM ({problems}) GROUP BY 1").fetchall():
            session.summary.add_reason(_reason_class(reason), n)
    # A file imported again quarantines the same bad rows again; keep one record of each. Its older records
    # that this import no longer quarantines (a missing parent has arrived since) are resolved: drop them.
    # Held rows tried again come under "<file> (held rows)": only a file read now settles its records (both labels);
    # another file's held rows that were not tried again stay.
    from reef.ingest.held import HELD_SUFFIX

    read = [f.path for f in session._files if not f.path.endswith(HELD_SUFFIX)]
    labels = read + [p + HELD_SUFFIX for p in read]
    if labels:
        con.execute(
            """DELETE FROM quarantine q WHERE list_contains($labels, q.file) AND NOT EXISTS (
                   SELECT 1 FROM stage_quarantine s WHERE q.file = s.file AND q.line IS NOT DISTINCT FROM s.line
                      AND q.reason = s.reason AND q.raw IS NOT DISTINCT FROM s.raw)""",
            {"labels": labels},
        )
    file_quarantined_warnings(con, entities, session.summary, read)
    con.execute(
        """INSERT INTO quarantine SELECT $iid, s.file, s.line, s.entity, s.field, s.reason, s.raw, now()
           FROM stage_quarantine s ANTI JOIN quarantine q
             ON q.file = s.file AND q.line IS NOT DISTINCT FROM s.line AND q.reason = s.reason
            AND q.raw IS NOT DISTINCT FROM s.raw""",
        {"iid": session.import_id},
    )
