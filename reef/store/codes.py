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
A read-only store cannot be filled: :func:`require_codes` refuses it instead when codes are missing
(:func:`missing_codes`), as a store without the code columns (older than the migration), so a read-only run never
joins on incomplete codes (rows silently left out) nor fails on a column DuckDB cannot find.

Example:
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> _ = s.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now()), ('m2', now())")
    >>> _ = s.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES ('c1', 'thread', 'm2', now())")
    >>> fill_codes(s.con)
    4
    >>> s.fetch_all("SELECT content_code, author_code FROM content")
    [(1, 2)]
    >>> missing_codes(s.con)
    {}
"""
from __future__ import annotations

__all__ = ["CODE_KEYS", "CODE_REFS", "code_column_ddl", "fill_codes", "keep_codes", "restore_codes", "missing_codes",
           "require_codes"]

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


def missing_codes(con) -> dict[str, int] | None:
    """The codes :func:`fill_codes` would write, by ``table.column`` (only those with some): ``{}`` when every code is
    there, None when a table lacks its code columns (a store older than migration ``0013_integer_codes``). Reads only:
    counts of NULL codes (answered from statistics when there are none), a reference's only where its id names a row."""
    db = "database_name = current_database() AND schema_name = 'main'"
    columns = {(t, c) for t, c in con.execute(f"SELECT table_name, column_name FROM duckdb_columns() WHERE {db}").fetchall()}
    tables = {t for t, _ in columns}
    wanted = [(t, code) for t, (_, code) in CODE_KEYS.items()] + [(t, code) for t, _, code, _ in CODE_REFS]
    if any(t in tables and (t, c) not in columns for t, c in wanted):
        return None
    out = {}
    for table, (_, code) in CODE_KEYS.items():
        out[f"{table}.{code}"] = _missing(con, table, f'"{code}" IS NULL') if table in tables else 0
    for table, ref, code, target in CODE_REFS:
        if table not in tables:
            continue
        key = CODE_KEYS[target][0]
        out[f"{table}.{code}"] = _missing(con, table, f'"{code}" IS NULL AND "{ref}" IS NOT NULL AND EXISTS '
                                                     f'(SELECT 1 FROM "{target}" k WHERE k."{key}" = "{table}"."{ref}")')
    return {k: n for k, n in out.items() if n}


def require_codes(store, needed_by: str, retry: str, *, needed_by_zh: str | None = None) -> None:
    """Refuse to run ``needed_by`` on a read-only ``store`` whose codes are not all there (:func:`missing_codes`): a
    :class:`reef.errors.MigrationError` for a store older than the codes, a :class:`reef.errors.StoreError` naming the
    codes still NULL; ``retry`` is the writable run that fills them (the hint), ``needed_by_zh`` the Chinese words of
    ``needed_by``. Free of writes; a writable store fills its codes instead (:func:`fill_codes`)."""
    from reef.errors import MigrationError, StoreError

    missing = missing_codes(store.con)
    if missing == {}:
        return
    by_zh = needed_by_zh or needed_by
    how = f"Run it once on a writable handle, which {'migrates the store and ' if missing is None else ''}fills them: " \
          f"{retry}; read-only handles work after that."
    how_zh = f"请先以可写方式运行一次（会{'迁移存储并' if missing is None else ''}补齐编码）：{retry}；之后只读打开即可。"
    if missing is None:
        raise MigrationError(
            f"The store {store.path} was written by an older Reef: it has no integer codes (migration 0013_integer_codes), "
            f"which are needed by {needed_by}, and it is open read-only, so they cannot be added.", hint=how,
            message_zh=f"存储文件 {store.path} 由旧版 Reef 写入，缺少整数编码（迁移 0013_integer_codes），"
                       f"{by_zh}需要它们，而该文件以只读方式打开，无法补上。", hint_zh=how_zh,
            facts={"store": store.path, "migration": "0013_integer_codes"})
    shown = ", ".join(f"{k} ({n})" for k, n in missing.items())
    raise StoreError(
        f"The store {store.path} has rows without their integer codes: {shown} (rows written by another tool than "
        f"Reef's importer), needed by {needed_by}, and the store is open read-only, so they cannot be filled.",
        hint=how, message_zh=f"存储文件 {store.path} 中有缺少整数编码的行：{shown}（由 Reef 导入以外的工具写入）；"
                             f"{by_zh}需要它们，而该文件以只读方式打开，无法补齐。", hint_zh=how_zh,
        facts={"store": store.path, "missing_codes": missing})
