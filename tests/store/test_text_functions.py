"""The Python SQL functions (reef.store.functions) on the cursors of one store, as the server's handles use them:
making one callable on a second cursor inside a transaction used to abort that transaction (the database, shared
by every cursor, had it already and the "already exists" error was swallowed)."""
from __future__ import annotations

import duckdb
import pytest

from reef.actions.privacy import register_mask_function
from reef.ingest.html_body import register_html_unescape
from reef.store import open_store
from reef.store.functions import TEXT_FUNCTIONS, has_function, register_text_function


def _cursor(store):
    import copy

    handle = copy.copy(store)  # as reef.server.deps.StorePool makes its handles
    handle.con = store.con.cursor()
    handle._in_transaction = False
    return handle


@pytest.mark.parametrize("register, sql, expected", [
    (register_mask_function, "SELECT reef_mask_text('电话 13812345678') NOT LIKE '%13812345678%'", True),
    (register_html_unescape, "SELECT reef_html_unescape('a &amp; b')", "a & b"),
])
def test_a_second_cursor_registers_inside_a_transaction_and_keeps_it(tmp_path, register, sql, expected):
    store = open_store(tmp_path / "reef.duckdb")
    first, second = _cursor(store), _cursor(store)
    register(first.con)
    with second.transaction():
        register(second.con)
        value = second.fetch_value(sql)  # was: Current transaction is aborted
        second.execute("INSERT INTO _reef_migrations VALUES ('x-kept', now(), 'test')")
    assert value == expected
    assert store.fetch_value("SELECT count(*) FROM _reef_migrations WHERE name = 'x-kept'") == 1  # committed


def test_every_cursor_has_the_store_functions_from_its_opening(tmp_path):
    store = open_store(tmp_path / "reef.duckdb")
    cursor = _cursor(store)
    assert set(TEXT_FUNCTIONS) <= {r[0] for r in cursor.fetch_all("SELECT function_name FROM duckdb_functions()")}
    with cursor.transaction():
        assert cursor.fetch_value("SELECT reef_html_unescape('&lt;p&gt;&nbsp;x')") == "<p> x"
        assert "13812345678" not in cursor.fetch_value("SELECT reef_mask_text('call 13812345678')")
    ro = _cursor(store)
    assert ro.rollback_open() is False


def test_register_text_function_raises_instead_of_swallowing():
    con = duckdb.connect()
    con.execute("BEGIN TRANSACTION")
    register_text_function(con, "reef_test_lost", str.upper)
    con.execute("ROLLBACK")  # the function went with the transaction, and DuckDB will not create it again here
    with pytest.raises(duckdb.Error):
        register_text_function(con, "reef_test_lost", str.upper)  # said, not swallowed (a later call would fail)
    register_text_function(con, "reef_test_upper", str.upper)
    register_text_function(con.cursor(), "reef_test_upper", str.upper)  # the database has it: nothing to do
    assert has_function(con, "reef_test_upper")
    assert con.execute("SELECT reef_test_upper('ab')").fetchall() == [("AB",)]
    con.close()


def test_rollback_open_ends_a_transaction_left_open(tmp_path):
    store = open_store(tmp_path / "reef.duckdb")
    cursor = _cursor(store)
    cursor.execute("BEGIN TRANSACTION")
    cursor.execute("INSERT INTO _reef_migrations VALUES ('x-left', now(), 'test')")
    assert cursor.rollback_open() is True
    assert cursor.rollback_open() is False
    assert store.fetch_value("SELECT count(*) FROM _reef_migrations WHERE name = 'x-left'") == 0
