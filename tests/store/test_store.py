"""The store: named migrations, refusal of newer stores, the write lock, as-of macros, config errors."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import duckdb
import pytest

from reef.config import load_config
from reef.errors import ConfigError, MigrationError, StoreLockedError
from reef.store import as_of_timestamp, open_store
from reef.store.migrations import MIGRATIONS


def test_migrations_are_recorded_by_name_and_idempotent_on_reopen(tmp_path):
    db = tmp_path / "reef.duckdb"
    store = open_store(db)
    names = [m.name for m in MIGRATIONS]
    assert store.applied_migrations() == sorted(names)
    first = store.fetch_all("SELECT name, applied_at FROM _reef_migrations ORDER BY name")
    store.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
    store.close()
    store = open_store(db)
    assert store.fetch_all("SELECT name, applied_at FROM _reef_migrations ORDER BY name") == first
    assert store.fetch_value("SELECT count(*) FROM members") == 1


def _store_from_the_future(tmp_path):
    """A store that records a migration this Reef does not know (as a newer Reef would leave it)."""
    db = tmp_path / "reef.duckdb"
    open_store(db).close()
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO _reef_migrations VALUES ('9999_from_the_future', now(), '99.0')")
    con.close()
    return db


def test_a_store_with_an_unknown_migration_is_refused(tmp_path):
    db = _store_from_the_future(tmp_path)
    with pytest.raises(MigrationError) as info:
        open_store(db)
    assert "9999_from_the_future" in str(info.value) and "upgrade" in str(info.value).lower()
    assert "升级" in info.value.text("zh") and "9999_from_the_future" in info.value.text("zh")


def test_a_store_with_an_unknown_migration_is_refused_read_only_too(tmp_path):
    # Read commands (reef status, action list, quarantine, exports) open the store read-only and run no migration:
    # they read a newer Reef's store as if it were their own unless the open refuses it.
    from typer.testing import CliRunner

    from reef.cli import app

    db = _store_from_the_future(tmp_path)
    with pytest.raises(MigrationError, match="9999_from_the_future"):
        open_store(db, read_only=True)
    result = CliRunner().invoke(app, ["status", "--db", str(db), "--lang", "en"])
    assert result.exit_code == MigrationError.exit_code and "newer Reef" in result.output, result.output


def test_a_second_process_opening_for_write_is_locked_out(tmp_path):
    db = tmp_path / "reef.duckdb"
    store = open_store(db)
    code = (
        "import sys\nfrom reef.store import open_store\nfrom reef.errors import StoreLockedError\n"
        "try:\n    open_store(sys.argv[1])\nexcept StoreLockedError as e:\n    print('locked', e.exit_code); sys.exit(0)\n"
        "print('opened'); sys.exit(1)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("locked")
    assert StoreLockedError.exit_code != 0
    store.close()


def test_as_of_macros_hide_later_and_deleted_rows(store):
    store.execute("""INSERT INTO members (member_id, joined_at, left_at) VALUES
        ('early', '2025-01-01 08:00:00+08', NULL), ('late', '2025-03-01 08:00:00+08', NULL),
        ('gone', '2024-06-01 08:00:00+08', '2025-01-15 08:00:00+08')""")
    store.execute("""INSERT INTO content (content_id, kind, created_at, deleted_at) VALUES
        ('kept', 'thread', '2025-01-01 08:00:00+08', NULL), ('new', 'thread', '2025-02-10 08:00:00+08', NULL),
        ('removed', 'thread', '2025-01-02 08:00:00+08', '2025-01-20 08:00:00+08')""")
    ts = as_of_timestamp("2025-02-01")
    assert ts == datetime(2025, 1, 31, 16, tzinfo=timezone.utc)
    members = {r[0] for r in store.fetch_all("SELECT member_id FROM members_at(?)", [ts])}
    content = {r[0] for r in store.fetch_all("SELECT content_id FROM content_at(?)", [ts])}
    assert members == {"early"} and content == {"kept"}
    # Before the deletion, the removed item was still there.
    assert {r[0] for r in store.fetch_all("SELECT content_id FROM content_at(?)", [as_of_timestamp("2025-01-10")])} == {"kept", "removed"}


def test_config_errors_name_the_file_and_the_key(tmp_path):
    bad_key = tmp_path / "reef.toml"
    bad_key.write_text("[ingest]\nbatch_rowz = 10\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(bad_key)
    assert str(bad_key) in str(info.value) and "batch_rowz" in str(info.value) and "batch_rows" in str(info.value)

    wrong_type = tmp_path / "other.toml"
    wrong_type.write_text('[ingest]\nmax_text_chars = "lots"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(wrong_type)
    assert str(wrong_type) in str(info.value) and "ingest.max_text_chars" in str(info.value)

    unknown_section = tmp_path / "third.toml"
    unknown_section.write_text("[ingets]\nbatch_rows = 10\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(unknown_section)
    assert str(unknown_section) in str(info.value) and "ingets" in str(info.value)


def test_config_beside_the_store_is_applied(tmp_path):
    (tmp_path / "reef.toml").write_text("[ingest]\nmax_text_chars = 10\n", encoding="utf-8")
    store = open_store(tmp_path / "reef.duckdb")
    assert store.config.get("ingest.max_text_chars") == 10


def test_transactions_roll_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
            raise RuntimeError("boom")
    assert store.fetch_value("SELECT count(*) FROM members") == 0


def test_fetch_value_leaves_the_connection_free_for_a_registration(store):
    import pyarrow as pa

    assert store.fetch_value("SELECT * FROM range(100000)") == 0  # first row of many, rest dropped
    store.con.register("_t_free", pa.table({"a": [1, 2]}))
    try:
        assert store.fetch_value("SELECT count(*) FROM _t_free") == 2
    finally:
        store.con.unregister("_t_free")


def test_a_failing_statement_on_a_registered_table_keeps_its_own_error(tmp_path):
    import duckdb
    import pyarrow as pa

    from reef.store import open_store

    store = open_store(tmp_path / "r.duckdb")
    with pytest.raises(duckdb.Error) as info:
        with store.transaction():
            with store.registered("_t", pa.table({"a": [1]})):
                store.execute("SELECT no_such_column FROM _t")
    assert "no_such_column" in str(info.value)  # not "transaction is aborted" from the unregister
    with store.registered("_t", pa.table({"a": [2]})):  # usable again after the rollback
        assert store.fetch_value("SELECT a FROM _t") == 2


def test_fetch_arrow_reads_sums_of_integers_as_int64_not_decimals():
    # A HUGEINT sum reaches Arrow as decimal128(38, 0), which numpy/Polars read one Python Decimal at a time.
    import pyarrow as pa

    store = open_store(":memory:")
    t = store.fetch_arrow("SELECT sum(x) AS s, CAST(1.5 AS DECIMAL(4, 1)) AS d FROM (SELECT CAST(1099511627776 AS BIGINT) + i AS x FROM range(3) r(i))")
    assert t.schema.field("s").type == pa.int64()
    assert t.column("s").to_pylist() == [3 * 2 ** 40 + 3]
    assert pa.types.is_decimal(t.schema.field("d").type)  # a decimal with a fraction stays one
    big = store.fetch_arrow("SELECT sum(x) AS s FROM (SELECT CAST(9223372036854775807 AS BIGINT) AS x FROM range(3))")
    assert big.column("s").to_pylist() == [3 * 9223372036854775807]  # past int64: kept as a decimal, not an error
    store.close()
