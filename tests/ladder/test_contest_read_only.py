"""QA (an analyst reading a store read-only): the contest joins on the integer codes (reef/store/codes.py), which a
read-only handle cannot fill. On a store older than migration 0013_integer_codes it failed with DuckDB's "Referenced
column member_code not found"; on a store where another tool left some codes NULL it silently judged the entries on
fewer likes (other scores, other ranks). Both are now refused with a ReefError naming the store and the run that fills
the codes, and after that run the read-only contest is the one a complete store gives."""
from __future__ import annotations

import shutil

import duckdb
import pytest

import reef
from reef.errors import MigrationError, StoreError
from reef.store import close_all
from tests.conftest import drop_integer_codes

CAMPAIGN = "camp-1"


def _contest(path, *, read_only=True):
    community = reef.open(path, read_only=read_only)
    try:
        return community.contest(CAMPAIGN, top=10)["entries"]
    finally:
        community.close()


def _copy(simulated_path, tmp_path):
    close_all()  # the module's store is closed: its file is copied whole
    path = tmp_path / "copy.duckdb"
    shutil.copy(simulated_path, path)
    return path


def test_a_read_only_contest_on_a_store_older_than_the_codes_says_what_to_run(simulated_path, tmp_path):
    complete = _contest(simulated_path)
    assert complete and any(e["weighted_likes"] for e in complete)
    path = _copy(simulated_path, tmp_path)
    con = duckdb.connect(str(path))  # the store as Reef wrote it before migration 0013: no code columns, no record
    drop_integer_codes(con)
    con.close()
    with pytest.raises(MigrationError) as err:
        _contest(path)
    text = str(err.value)
    assert str(path) in text and "0013_integer_codes" in text and "read-only" in text
    assert f"reef contest --campaign {CAMPAIGN} --db {path}" in err.value.hint
    assert err.value.message_zh and str(path) in err.value.text("zh")
    assert _contest(path, read_only=False) == complete  # the run the hint names migrates the store ...
    assert _contest(path) == complete  # ... and the read-only contest works after it


def test_a_read_only_contest_refuses_codes_another_tool_left_null(simulated_path, tmp_path):
    path = _copy(simulated_path, tmp_path)
    complete = _contest(path)
    assert complete == _contest(path, read_only=False)  # complete codes: read-only gives what a writable handle gives
    con = duckdb.connect(str(path))  # rows rewritten by a tool that does not know the codes
    con.execute("UPDATE interactions SET actor_code = NULL WHERE kind = 'like' AND rowid % 3 = 0")
    con.execute("UPDATE content SET author_code = NULL WHERE rowid % 5 = 0")
    con.close()
    with pytest.raises(StoreError) as err:
        _contest(path)
    assert not isinstance(err.value, MigrationError)
    text = str(err.value)
    assert str(path) in text and "interactions.actor_code" in text and "content.author_code" in text
    assert err.value.facts["missing_codes"]["interactions.actor_code"] > 0
    assert f"reef contest --campaign {CAMPAIGN} --db {path}" in err.value.hint
    assert _contest(path, read_only=False) == complete  # the writable run fills them first
    assert _contest(path) == complete
