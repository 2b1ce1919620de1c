"""SQL functions written in Python: the few text steps SQL has no function for (HTML entities, masking personal data).

DuckDB keeps a Python function in the catalog of the *database*, which every cursor of it shares, but the function
lives only as long as the connection that created it (a function created on a cursor that is closed later crashes
the process when another cursor calls it). And creating a name the catalog already holds is an error that, inside a
transaction, aborts it: every later statement then fails with "Current transaction is aborted", and a ``COMMIT``
silently rolls back. So the store's own connection creates every function of :data:`TEXT_FUNCTIONS` once, when the
store opens and before any transaction (:func:`install_text_functions`); cursors (the server's per-request and job
handles) use them and never create them. :func:`register_text_function` is for a connection no store opened: it
creates a function the database lacks and never swallows an error.

Example:
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> install_text_functions(con)
    >>> con.cursor().execute("SELECT reef_html_unescape('a &amp; b')").fetchone()[0]
    'a & b'
    >>> register_text_function(con.cursor(), "reef_html_unescape", str.upper)  # already there: nothing to do
    >>> con.close()
"""
from __future__ import annotations

import importlib
import threading
from typing import Callable

import duckdb

__all__ = ["TEXT_FUNCTIONS", "install_text_functions", "register_text_function", "has_function"]

# SQL name -> "module:function" (text -> text), imported on its first call so opening a store imports nothing more.
TEXT_FUNCTIONS: dict[str, str] = {
    "reef_html_unescape": "reef.ingest.html_body:html_unescape",
    "reef_mask_text": "reef.actions.privacy:mask_text",
}
_LOCK = threading.Lock()  # check-then-create is one step for the threads of this process


def has_function(con, name: str) -> bool:
    """True when the database of ``con`` has a function ``name`` (created by any of its connections); a catalog read,
    safe inside a transaction (about 0.3 ms)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_functions() WHERE function_name = ?", [name]).fetchall()[0][0])


def _lazy(target: str) -> Callable:
    module, attr = target.split(":")
    cache: list[Callable] = []

    def call(value):
        if not cache:
            cache.append(getattr(importlib.import_module(module), attr))
        return cache[0](value)

    return call


def _create(con, name: str, fn: Callable) -> None:
    import pyarrow as pa

    def column(col):  # no annotations: DuckDB evaluates them
        return pa.array([None if v is None else fn(v) for v in col.to_pylist()], pa.string())

    con.create_function(name, column, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"),
                        type="arrow", null_handling="special", side_effects=False)


def install_text_functions(con) -> None:
    """Create every function of :data:`TEXT_FUNCTIONS` the database lacks, on ``con``: the store's own connection,
    outside any transaction (a function created in a transaction that rolls back can never be created again on that
    connection)."""
    with _LOCK:
        for name, target in TEXT_FUNCTIONS.items():
            if not has_function(con, name):
                _create(con, name, _lazy(target))


def register_text_function(con, name: str, fn: Callable) -> None:
    """Make the SQL function ``name`` (``fn``: text -> text, None passes through, vectorised over Arrow) callable on
    ``con``: nothing to do when its database has it already (a store's functions are created when it opens), else
    created on ``con``. An error is raised, never swallowed: inside a transaction it has aborted the transaction."""
    with _LOCK:
        if not has_function(con, name):
            _create(con, name, fn)
