"""What a store path holds, checked before Reef writes to it.

``--db`` (and ``reef.open``) name the store Reef owns. A path that holds something else is refused, never
converted: a CSV or JSONL file (DuckDB would open it as a read-only view of that file, so an import "succeeds" and
keeps nothing), any other non-DuckDB file, and a DuckDB database of someone else's tables (migrating it would add
Reef's tables to it). A missing file, a zero-byte file and an empty DuckDB database become a new store.

Example:
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "m.jsonl"), "w") as fh:
    ...     _ = fh.write('{"member_id": "m1"}\\n')
    >>> check_store_file(os.path.join(folder, "m.jsonl"), read_only=False)
    Traceback (most recent call last):
    ...
    reef.errors.StoreError: Not a DuckDB database: ... (it looks like JSON or JSONL). ...
    >>> check_store_file(os.path.join(folder, "new.duckdb"), read_only=False)
    'new'
"""
from __future__ import annotations

from pathlib import Path

from reef.errors import StoreError, with_cli_hint

__all__ = ["check_store_file", "check_reef_schema", "MARKER_TABLE"]

# Every Reef store records its migrations here; the first migration creates it before anything else.
MARKER_TABLE = "_reef_migrations"
# The hints name no front door's options; the CLI shows its own (with_cli_hint), naming --db and REEF_DB.
_DB_HINT = ("The store path names the file Reef keeps its data in, e.g. reef.duckdb; data files are imported into it "
            "(Community.import_files), not opened as the store. Use a new file name for a new store, or the path of an "
            "existing Reef store.")
_CLI_DB_HINT = ("--db (REEF_DB) names the store file Reef keeps its data in, e.g. reef.duckdb; files to import are "
                "arguments of `reef import`. Use a new file name for a new store, or the path of an existing Reef store.")
_DB_HINT_ZH = ("存储路径指 Reef 保存数据的文件，如 reef.duckdb；数据文件要导入其中（Community.import_files），不能当作存储打开。"
               "新建存储请用新的文件名，否则请给出已有 Reef 存储的路径。")
_CLI_DB_HINT_ZH = ("--db（REEF_DB）指 Reef 保存数据的存储文件，如 reef.duckdb；要导入的文件是 `reef import` 的参数。"
                   "新建存储请用新的文件名，否则请给出已有 Reef 存储的路径。")


def _refused(message: str, message_zh: str, cli_create: tuple[str, str] | None = None) -> StoreError:
    """A StoreError in English and Chinese with the library's hint and the CLI's (naming ``--db``); ``cli_create`` is
    the command the CLI suggests to create a store that is missing or empty, in both languages."""
    if cli_create is None:
        return with_cli_hint(StoreError(message, hint=_DB_HINT, message_zh=message_zh, hint_zh=_DB_HINT_ZH),
                             _CLI_DB_HINT, _CLI_DB_HINT_ZH)
    return with_cli_hint(StoreError(message, hint="Create the store first: open it writable (reef.open(path)) and "
                                                  "import or simulate data into it.", message_zh=message_zh,
                                    hint_zh="请先创建存储：以可写方式打开它（reef.open(path)），再导入或模拟数据。"), *cli_create)


def _create(path) -> tuple[str, str]:
    """The CLI's hint to create a store that is empty, in English and Chinese."""
    return f"Create the store first, e.g. `reef import FILES --db {path}`.", f"请先创建存储，如 `reef import FILES --db {path}`。"


def _looks_like(head: bytes) -> tuple[str, str]:
    """A short guess at what a file that is not a DuckDB database holds, for the message (English, Chinese)."""
    if head.startswith(b"PAR1"):
        return "Parquet", " Parquet 文件"
    if head.startswith(b"SQLite format 3"):
        return "an SQLite database", " SQLite 数据库"
    if head.startswith(b"PK"):
        return "a ZIP archive or an Excel workbook", " ZIP 压缩包或 Excel 工作簿"
    try:
        text = head.decode("utf-8").lstrip("\ufeff \t\r\n")
    except UnicodeDecodeError:
        return "an unknown binary format", "未知的二进制格式"
    if text.startswith(("{", "[")):
        return "JSON or JSONL", " JSON 或 JSONL"
    return ("text, such as CSV", "文本，如 CSV") if "," in text or "\t" in text else ("text", "文本")


def check_store_file(path: str, *, read_only: bool) -> str:
    """``'new'`` when DuckDB will create a new database at ``path`` (no file, or a zero-byte one, removed here so
    DuckDB can create it), ``'existing'`` for a DuckDB database file; raises StoreError for anything else."""
    p = Path(path)
    if not p.exists():
        if read_only:
            raise _refused("Store file does not exist.", "存储文件不存在。",
                           (f"Create it first, e.g. `reef simulate --db {path}`.", f"请先创建它，如 `reef simulate --db {path}`。"))
        return "new"
    if p.is_dir():
        raise _refused(f"Not a store file: {path} is a folder.", f"不是存储文件：{path} 是文件夹。")
    with open(p, "rb") as fh:
        head = fh.read(4096)
    if not head:
        if read_only:
            raise _refused(f"Not a Reef store: {path} is an empty file.", f"不是 Reef 存储：{path} 是空文件。", _create(path))
        p.unlink()  # DuckDB refuses a zero-byte file; it holds nothing to keep
        return "new"
    if head[8:12] != b"DUCK":  # a DuckDB file starts with an 8-byte checksum, then the magic bytes
        looks = _looks_like(head)
        raise _refused(f"Not a DuckDB database: {path} (it looks like {looks[0]}).",
                       f"不是 DuckDB 数据库：{path}（看起来是{looks[1]}）。")
    return "existing"


def check_reef_schema(con, path: str, *, read_only: bool) -> None:
    """Refuse an existing DuckDB database that is not a Reef store (it has tables or views but no
    ``_reef_migrations``); an empty database is fine to migrate, but there is nothing to read in it read-only."""
    db = "database_name = current_database()"
    if con.execute(f"SELECT count(*) FROM duckdb_tables() WHERE {db} AND table_name = ?", [MARKER_TABLE]).fetchone()[0]:
        return
    names = [r[0] for r in con.execute(
        f"SELECT table_name FROM duckdb_tables() WHERE {db} UNION ALL "
        f"SELECT view_name FROM duckdb_views() WHERE {db} AND NOT internal ORDER BY 1 LIMIT 6").fetchall()]
    if names:
        shown = ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")
        raise _refused(f"Not a Reef store: {path} is a DuckDB database with other tables ({shown}) and no Reef "
                       "schema; Reef does not add its tables to it.",
                       f"不是 Reef 存储：{path} 是含有其他表（{shown}）的 DuckDB 数据库，没有 Reef 的结构；Reef 不会把自己的表加进去。")
    if read_only:
        raise _refused(f"Not a Reef store: {path} is an empty DuckDB database.", f"不是 Reef 存储：{path} 是空的 DuckDB 数据库。",
                       _create(path))
