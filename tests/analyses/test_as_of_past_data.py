"""An as-of far past the data is refused with the data's end named, not run through empty years.

The crisis radar's hourly series runs from the data's start to the as-of: at year 9999 an analysis took 16 GB
(found by the API fuzz). ``general.as_of_max_days_past_data`` (366) bounds it for every surface, which all resolve
the as-of with :func:`reef.analyses.runner.resolve_as_of`.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from reef.analyses.runner import data_end, resolve_as_of
from reef.cli import app
from reef.errors import InvalidParameterError
from reef.store import open_store


@pytest.fixture()
def small_store(tmp_path):
    path = tmp_path / "s.duckdb"
    store = open_store(path)
    store.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', TIMESTAMPTZ '2025-03-01 08:00:00+08')")
    yield store, path
    store.close()


def test_as_of_within_the_limit_is_resolved_and_beyond_it_refused(small_store):
    store, _ = small_store
    end = data_end(store)
    assert resolve_as_of(store, end + timedelta(days=366)) == end + timedelta(days=366)
    with pytest.raises(InvalidParameterError) as caught:
        resolve_as_of(store, end + timedelta(days=367))
    exc = caught.value
    assert exc.name == "as_of" and "at most 366 days after the data's last event (2025-03-01 08:00)" in exc.message
    assert "数据最后一条记录（2025-03-01 08:00）之后 366 天以内" in exc.message_zh
    assert "general.as_of_max_days_past_data" in exc.hint and "调大" in exc.hint_zh
    assert resolve_as_of(store, None) == end  # no as-of: the end of the data, as before


def test_the_limit_is_a_setting(tmp_path):
    (tmp_path / "reef.toml").write_text("[general]\nas_of_max_days_past_data = 30\n", encoding="utf-8")
    store = open_store(tmp_path / "s.duckdb")  # a reef.toml beside the store is read
    try:
        store.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', TIMESTAMPTZ '2025-03-01 08:00:00+08')")
        with pytest.raises(InvalidParameterError, match="at most 30 days after"):
            resolve_as_of(store, "2025-04-15")
        assert resolve_as_of(store, "2025-03-20").year == 2025
    finally:
        store.close()


@pytest.mark.parametrize(("lang", "said"), [("en", "at most 366 days after the data's last event"),
                                            ("zh", "之后 366 天以内的时刻")])
def test_reef_analyze_says_so_in_the_operators_language(small_store, lang, said):
    store, path = small_store
    store.close()
    result = CliRunner().invoke(app, ["analyze", "--db", str(path), "--as-of", "2999-01-01", "--lang", lang])
    assert result.exit_code == 2, result.output
    assert said in " ".join(result.output.split())
