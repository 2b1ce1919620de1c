"""Integer codes in the canonical tables: every member and item gets a stable BIGINT code, and the references the
analyses join on most carry the code of what they point at, so the joins are on integers, not on string ids.

Codes (:data:`CODE_KEYS`): ``members.member_code`` and ``content.content_code``, numbered from 1 in the order rows are
written; an update (a row written again with the same id) keeps its code. References (:data:`CODE_REFS`):
``content.author_code`` / ``parent_code``, ``interactions.actor_code`` / ``target_content_code`` and
``content_features.content_code``, each the code of the row its string id names (NULL when the id is empty or names no
row, as a join on the string would find none).

:func:`fill_codes` fills every code still NULL: after each import (the new rows, the rows whose target arrived since),
by migration ``0013_integer_codes`` on an older store, and before the ladder and the help ledger read them (rows
written by other tools than Reef's importer). When nothing is missing it costs a few statistics-answered counts.

Example:
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> _ = s.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now()), ('m2', now())")
    >>> _ = s.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES ('c1', 'thread', 'm2', now())")
    >>> fill_codes(s.con)
    4
    >>> s.fetch_all("SELECT content_code, author_code FROM content")
    [(1, 2)]
"""
from __future__ import annotations

__all__ = ["CODE_KEYS", "CODE_REFS", "code_column_ddl", "fill_codes", "keep_codes", "restore_codes"]

# table -> (key column, code column)
CODE_KEYS = {"members": ("member_id", "member_code"), "content": ("content_id", "content_code")}
# (table, string reference, its code column, table referred to)
CODE_REFS = (
    ("content", "author_id", "author_code", "members"),
    ("content", "parent_id", "parent_code", "content"),
    ("interactions", "actor_id", "actor_code", "members"),
    ("interactions", "target_content_id", "target_content_code", "content"),
    ("content_features", "content_id", "content_code", "content"),
)


def code_column_ddl() -> list[str]:
    """ALTER TABLE statements adding every code column (idempotent)."""
    cols = [(t, code) for t, (_, code) in CODE_KEYS.items()] + [(t, code) for t, _, code, _ in CODE_REFS]
    return [f'ALTER TABLE "{t}" ADD COLUMN IF NOT EXISTS "{c}" BIGINT' for t, c in cols]


_LOCAL_ROW_IDS = 2**55  # DuckDB's MAX_ROW_ID: the first row id of rows not committed yet


def _missing(con, table: str, where: str) -> int:
    return int(con.execute(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchone()[0])


def fill_codes(con) -> int:
    """Give every row without a code one, then fill every reference code still NULL whose id names a row; returns
    the number of codes written. Touches only NULL codes, so existing codes never change."""
    written = 0
    for table, (_, code) in CODE_KEYS.items():
        # Numbered after the largest code in use, in the order the rows were written: the row id less the smallest
        # row id without a code. Rows written in the current transaction have row ids from 2^55 on (DuckDB's
        # transaction-local storage), committed rows below: each group is numbered on its own, so both stay compact.
        for group in (f"rowid < {_LOCAL_ROW_IDS}", f"rowid >= {_LOCAL_ROW_IDS}"):
            where = f'"{code}" IS NULL AND {group}'
            low = con.execute(f'SELECT min(rowid) FROM "{table}" WHERE {where}').fetchone()[0]
            if low is None:
                continue
            base = int(con.execute(f'SELECT coalesce(max("{code}"), 0) FROM "{table}"').fetchone()[0])
            written += int(con.execute(f'UPDATE "{table}" SET "{code}" = {base + 1 - int(low)} + rowid WHERE {where}').fetchone()[0])
    for table, ref, code, target in CODE_REFS:
        key, target_code = CODE_KEYS[target]
        where = f'"{table}"."{code}" IS NULL AND "{table}"."{ref}" IS NOT NULL'
        if not _missing(con, table, where):
            continue
        # A scalar lookup: DuckDB probes the target's keys with the table's rows in order, so the updates arrive in row
        # order (an UPDATE ... FROM join fed them in hash order: content's parent codes took 288-523 CPU s at 15M items
        # that way, against 5 s). min() keeps it one value should an id have been written twice by another tool.
        sql = (f'UPDATE "{table}" SET "{code}" = (SELECT min(k."{target_code}") FROM "{target}" k WHERE k."{key}" = "{table}"."{ref}") '
               f'WHERE {where}')
        written += int(con.execute(sql).fetchone()[0])
    return written


def keep_codes(con, table: str, typed: str) -> None:
    """Before the rows of ``table`` that an import updates are deleted (and written again), keep their codes."""
    if table not in CODE_KEYS:
        return
    key, code = CODE_KEYS[table]
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _reef_kept_codes AS SELECT "{key}" AS k, "{code}" AS code FROM "{table}"
                    WHERE "{key}" IN (SELECT "t_{key}" FROM "{typed}" WHERE _status = 'update')""")


def restore_codes(con, table: str) -> None:
    """Give the rows written again the codes :func:`keep_codes` kept (their references still point at them)."""
    if table not in CODE_KEYS:
        return
    key, code = CODE_KEYS[table]
    # The scalar lookup keeps the updates in row order (see fill_codes).
    con.execute(f"""UPDATE "{table}" SET "{code}" = (SELECT min(k.code) FROM _reef_kept_codes k WHERE k.k = "{table}"."{key}")
                    WHERE "{table}"."{code}" IS NULL AND "{table}"."{key}" IN (SELECT k FROM _reef_kept_codes)""")
    con.execute("DROP TABLE _reef_kept_codes")
