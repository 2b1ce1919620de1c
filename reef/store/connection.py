"""The one module that owns DuckDB.

One connection per store path per process (:func:`open_store` caches it), one writer (a
process lock around write transactions; DuckDB's file lock keeps other processes out), bound
parameters everywhere, and migrations applied on open.

Example:
    >>> store = open_store(":memory:")
    >>> store.fetch_value("SELECT count(*) FROM members")
    0
    >>> store.close()
"""
from __future__ import annotations

import contextlib
import os
import threading
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

import duckdb

from reef.config import Config, load_config
from reef.errors import StoreError, StoreLockedError
from reef.store.files import check_reef_schema, check_store_file
from reef.store.functions import install_text_functions, register_text_function
from reef.store.migrations import applied_migrations, apply_migrations, refuse_newer
from reef.store.settings_sql import safe_size, safe_zone

__all__ = ["Store", "open_store", "close_all", "register_text_function", "FAR_FUTURE"]

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=timezone.utc)
_OPEN: dict[tuple[str, bool], "Store"] = {}
_OPEN_LOCK = threading.Lock()


class Store:
    """A Reef store: one DuckDB file (or ``:memory:``) with the canonical tables."""

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False, config: Config | None = None):
        self.path = str(path)
        self.read_only = read_only
        self.config = config or load_config(store_path=None if self.path == ":memory:" else self.path)
        self._write_lock = threading.RLock()
        self._in_transaction = False
        state = "new"
        if self.path != ":memory:":
            if not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            state = check_store_file(self.path, read_only=read_only)  # a CSV, JSONL or other file is refused
        try:
            self.con = duckdb.connect(
                self.path,
                read_only=read_only,
                config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
            )
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"The store {self.path} is open in another process (DuckDB allows one process with a writable "
                    "store, or several reading it, never both).",
                    hint="Wait for the other process to finish or close its handle, then try again.",
                    message_zh=f"存储文件 {self.path} 正被另一个进程打开（DuckDB 只允许一个进程以可写方式打开，或多个进程只读打开，"
                               "二者不能同时）。",
                    hint_zh="请等待那个进程结束或关闭它的连接（如 reef serve 或打开该文件的笔记本），然后重试。",
                ) from exc
            raise StoreError(f"Cannot open store {self.path}: {exc}", message_zh=f"无法打开存储文件 {self.path}：{exc}") from exc
        try:
            if state == "existing":  # before anything is written: another program's database is not migrated
                check_reef_schema(self.con, self.path, read_only=read_only)
            self.con.execute(f"SET TimeZone = '{safe_zone(self.config.get('general.timezone'))}'")
            self.con.execute(f"SET memory_limit = '{safe_size(self.config.get('store.memory_limit'))}'")
            threads = int(self.config.get("store.threads"))
            if threads > 0:
                self.con.execute(f"SET threads = {threads}")
            if not read_only:
                apply_migrations(self)
            elif state == "existing":  # read-only runs no migration, but a newer Reef's store is refused all the same
                refuse_newer(self)
            # Python SQL functions, once for every cursor and outside any transaction (reef.store.functions)
            install_text_functions(self.con)
        except BaseException:
            with contextlib.suppress(Exception):  # a refused or half-opened store is not left open in this process
                self.con.close()
            raise

    # -- migrations (reef.store.migrations) ---------------------------------------------------
    def applied_migrations(self) -> list[str]:
        """The names of the migrations this store records, in order."""
        return applied_migrations(self)

    # -- reading --------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict | None = None) -> duckdb.DuckDBPyConnection:
        """Run one statement with bound parameters on this process's connection."""
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def fetch_all(self, sql: str, params: Sequence[Any] | dict | None = None) -> list[tuple]:
        return self.execute(sql, params).fetchall()

    def fetch_value(self, sql: str, params: Sequence[Any] | dict | None = None) -> Any:
        """The first column of the first row (None without rows); the rest of the result is dropped,
        so the connection is free for the next call (a half-read result blocks ``register``)."""
        cur = self.execute(sql, params)
        row = cur.fetchone()
        if hasattr(cur, "complete"):  # DuckDB >= 2.0 keeps an unfinished result open until it is run to its end
            cur.complete()  # (not abort(): that fails an open transaction when the statement may write, e.g. nextval)
        return None if row is None else row[0]

    def fetch_dicts(self, sql: str, params: Sequence[Any] | dict | None = None) -> list[dict[str, Any]]:
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def fetch_arrow(self, sql: str, params: Sequence[Any] | dict | None = None):
        """Result as a ``pyarrow.Table``; whole-number decimals (a ``sum`` of integers) as ``int64``."""
        cur = self.execute(sql, params)
        # DuckDB 2.0 renamed fetch_arrow_table/arrow to to_arrow_table; the copy it warns about is intended.
        getter = next(getattr(cur, m) for m in ("to_arrow_table", "fetch_arrow_table", "arrow") if hasattr(cur, m))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            result = getter()
        return _whole_decimals_as_int64(result.read_all() if hasattr(result, "read_all") else result)

    def table_exists(self, name: str) -> bool:
        return bool(
            self.fetch_value(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'", [name]
            )
        )

    @contextlib.contextmanager
    def registered(self, name: str, table: Any) -> Iterator[str]:
        """Expose an Arrow table or DataFrame to SQL as ``name`` for the duration of the block.

        When the block fails inside a transaction, DuckDB refuses every statement until the rollback, the unregister
        included: that second error is dropped so the first one, which says what went wrong, is the one raised."""
        self.con.execute("SELECT 1").fetchall()  # register() is refused while an earlier fetchone() left a result open
        self.con.register(name, table)
        try:
            yield name
        except BaseException:
            with contextlib.suppress(Exception):
                self.con.unregister(name)
            raise
        self.con.unregister(name)

    # -- writing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator["Store"]:
        """One atomic write: committed on success, rolled back on any error (or a kill)."""
        if self.read_only:
            raise StoreError(f"The store {self.path} is open read-only.", hint="Open it without read_only to write.",
                             message_zh=f"存储文件 {self.path} 以只读方式打开。", hint_zh="要写入，请不带 read_only 打开它。")
        with self._write_lock:
            if self._in_transaction:  # nested: join the outer transaction
                yield self
                return
            self.con.execute("BEGIN TRANSACTION")
            self._in_transaction = True
            try:
                yield self
            except BaseException:
                self._in_transaction = False
                # DuckDB may have ended the transaction itself (an interrupted query): the error that stopped the
                # block is the one to raise, not "no transaction is active" from the rollback.
                with contextlib.suppress(duckdb.Error):
                    self.con.execute("ROLLBACK")
                raise
            self._in_transaction = False
            try:
                self.con.execute("COMMIT")
            except BaseException:  # a failed commit (a conflict, an interrupt) must not leave the transaction open
                with contextlib.suppress(duckdb.Error):
                    self.con.execute("ROLLBACK")
                raise

    def rollback_open(self) -> bool:
        """Roll back a transaction this connection left open, if any; True when there was one (a bug in the code that
        used it: :meth:`transaction` never leaves one). The server runs it on a job's handle before reusing it."""
        if self._in_transaction:
            return False  # inside transaction(): its owner ends it
        try:
            self.con.execute("ROLLBACK")
        except duckdb.TransactionException:  # "no transaction is active": the usual case
            return False
        return True

    def checkpoint(self) -> None:
        if not self.read_only:
            self.con.execute("CHECKPOINT")

    @property
    def closed(self) -> bool:
        """True once this connection was closed (by this handle or by another holder of the same store)."""
        return getattr(self, "_closed", False)

    def close(self) -> None:
        with _OPEN_LOCK:
            for key, store in list(_OPEN.items()):
                if store is self:
                    del _OPEN[key]
        self._closed = True
        with contextlib.suppress(Exception):
            self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r}, read_only={self.read_only})"


# A notebook cell run again rebinds its variable: the first handle is no longer at hand to close, but still open.
_LOST_HANDLE = ("A handle no longer at hand (a notebook cell run again) is closed with reef.store.close_all(), which "
                "closes every store of this process; the handles still in use reopen on their next call.")
_LOST_HANDLE_ZH = "拿不到的连接（笔记本单元重新运行后）可用 reef.store.close_all() 关闭：它关闭本进程的所有存储，仍在使用的连接下次调用时自动重新打开。"


def open_store(path: str | os.PathLike = "reef.duckdb", *, read_only: bool = False, config: Config | None = None) -> Store:
    """The process's connection to the store at ``path`` (opened and migrated on first use)."""
    key = (str(path) if str(path) == ":memory:" else str(Path(path).resolve()), read_only)
    with _OPEN_LOCK:
        store = _OPEN.get(key)
        other = _OPEN.get((key[0], not read_only))
    if store is not None and key[0] != ":memory:":
        if config is not None and config.as_dict() != store.config.as_dict():
            raise StoreError(f"The store {path} is already open in this process with another configuration.",
                             hint="Pass the same configuration, or close the first handle (Community.close()) before "
                                  f"opening it with a new one. {_LOST_HANDLE}",
                             message_zh=f"存储文件 {path} 已在本进程中以另一套配置打开。",
                             hint_zh=f"请使用相同的配置，或先关闭第一个连接（Community.close()）再用新配置打开。{_LOST_HANDLE_ZH}")
        return store
    if other is not None and key[0] != ":memory:":
        # DuckDB keeps one database per file and process: it cannot be read-only and writable at once.
        mode, mode_zh = ("read-write", "可写") if read_only else ("read-only", "只读")
        raise StoreError(f"The store {path} is already open {mode} in this process.",
                         hint="Use that handle, or close it (Community.close()) before opening the store "
                              f"{'read-only' if read_only else 'for writing'}. {_LOST_HANDLE}",
                         message_zh=f"存储文件 {path} 已在本进程中以{mode_zh}方式打开。",
                         hint_zh=f"请使用那个连接，或先关闭它（Community.close()）再以{'只读' if read_only else '可写'}方式打开。"
                                 f"{_LOST_HANDLE_ZH}")
    store = Store(path, read_only=read_only, config=config)
    if key[0] != ":memory:":
        with _OPEN_LOCK:
            _OPEN[key] = store
    return store


def close_all() -> None:
    """Close every store this process opened (tests use this after each test)."""
    with _OPEN_LOCK:
        stores = list(_OPEN.values())
        _OPEN.clear()
    for store in stores:
        store._closed = True
        with contextlib.suppress(Exception):
            store.con.close()


def _whole_decimals_as_int64(table):
    """``table`` with its scale-0 decimal columns cast to int64 when every value fits (a column that does not, such as a
    sum of 64-bit hashes, stays as it is).

    DuckDB sums integers into HUGEINT, which reaches Arrow as ``decimal128(38, 0)``; numpy, Polars and pandas then read
    it through one Python ``Decimal`` per value (15.7M of them, 12 s of the ladder's run at 50M events).
    """
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type) and field.type.scale == 0:
            try:
                table = table.set_column(i, field.name, table.column(i).cast(pa.int64()))
            except pa.ArrowInvalid:
                pass
    return table

