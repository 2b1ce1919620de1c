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


def _missing(con, table: str, where: str) -> int:
    return int(con.execute(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchone()[0])


def fill_codes(con) -> int:
    """Give every row without a code one, then fill every reference code still NULL whose id names a row; returns
    the number of codes written. Touches only NULL codes, so existing codes never change."""
    written = 0
    for table, (_, code) in CODE_KEYS.items():
        if _missing(con, table, f'"{code}" IS NULL'):
            # Numbered after the largest code in use, in the order the rows were written.
            written += int(con.execute(f"""
                UPDATE "{table}" SET "{code}" = n.code FROM (
                    SELECT rowid AS r, (SELECT coalesce(max("{code}"), 0) FROM "{table}") + row_number() OVER (ORDER BY rowid) AS code
                    FROM "{table}" WHERE "{code}" IS NULL) n
                WHERE "{table}".rowid = n.r""").fetchone()[0])
    for table, ref, code, target in CODE_REFS:
        key, target_code = CODE_KEYS[target]
        where = f'"{code}" IS NULL AND "{ref}" IS NOT NULL'
        if not _missing(con, table, where):
            continue
        # The rows still missing a code are found first, so the join's hash table is built on them, not on the target.
        con.execute(f'CREATE OR REPLACE TEMP TABLE _reef_codes_missing AS SELECT rowid AS r, "{ref}" AS ref FROM "{table}" WHERE {where}')
        written += int(con.execute(f"""
            UPDATE "{table}" SET "{code}" = x.code FROM (
                SELECT m.r, k."{target_code}" AS code FROM _reef_codes_missing m JOIN "{target}" k ON k."{key}" = m.ref) x
            WHERE "{table}".rowid = x.r""").fetchone()[0])
        con.execute("DROP TABLE _reef_codes_missing")
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
    con.execute(f"""UPDATE "{table}" SET "{code}" = k.code FROM _reef_kept_codes k
                    WHERE "{table}"."{key}" = k.k AND "{table}"."{code}" IS NULL""")
    con.execute("DROP TABLE _reef_kept_codes")
