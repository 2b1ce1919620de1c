"""One Stack Exchange site per store: a second site (same ids, p1/u1) is refused before anything is written, the
same site imports again as duplicates, and a store written before the site was recorded is still guarded."""
from __future__ import annotations

from pathlib import Path

import pytest

from reef.errors import OtherSiteError, StoreError
from reef.ingest import import_paths
from reef.ingest.stackexchange.site import META_KEY, site_name
from reef.store import open_store
from tests.conftest import shared_data
from tests.ingest.test_stackexchange_synthetic import write


def dump(folder: Path, who: str) -> Path:
    """A tiny dump whose ids (u1, p1, p2, v1) are those of every other dump made here."""
    folder.mkdir(parents=True)
    write(folder, "Users", "users", [f'<row Id="1" CreationDate="2015-01-01T00:00:00.000" DisplayName="{who}" />'])
    write(folder, "Posts", "posts", [
        f'<row Id="1" PostTypeId="1" OwnerUserId="1" CreationDate="2015-02-01T00:00:00.000" Title="{who} asks" '
        'Body="&lt;p&gt;q&lt;/p&gt;" Tags="|x|" AcceptedAnswerId="2" />',
        f'<row Id="2" PostTypeId="2" ParentId="1" OwnerUserId="1" CreationDate="2015-02-02T00:00:00.000" Body="{who} answers" />',
    ])
    write(folder, "Votes", "votes", ['<row Id="1" PostId="2" VoteTypeId="1" CreationDate="2015-02-03T00:00:00.000" />'])
    return folder


def snapshot(store) -> list:
    return [store.fetch_all(f"SELECT * EXCLUDE (import_id) FROM {t} ORDER BY 1") for t in ("members", "content", "interactions")]


def test_a_second_site_is_refused_and_nothing_is_written(store, tmp_path):
    a, b = dump(tmp_path / "site-a", "Ann"), dump(tmp_path / "site-b", "Bob")
    first = import_paths(store, [a])
    assert first.imported == 4 and store.fetch_value("SELECT value FROM meta WHERE key = $k", {"k": META_KEY}) == "site-a"
    before, imports = snapshot(store), store.fetch_value("SELECT count(*) FROM imports")
    with pytest.raises(OtherSiteError) as err:
        import_paths(store, [b])
    assert isinstance(err.value, StoreError) and err.value.code == "other_site" and err.value.exit_code == 4
    text = str(err.value)
    assert "'site-b'" in text and "'site-a'" in text and "own store" in text and str(b) in text
    assert snapshot(store) == before and store.fetch_value("SELECT count(*) FROM imports") == imports
    assert store.fetch_value("SELECT name FROM members WHERE member_id = 'u1'") == "Ann"
    # a single file of the other site is refused too (its folder names the site)
    with pytest.raises(OtherSiteError):
        import_paths(store, [b / "Users.xml"])
    assert snapshot(store) == before


def test_the_same_site_imports_again_as_duplicates(store, tmp_path):
    a = dump(tmp_path / "Site-A", "Ann")
    import_paths(store, [a])
    again = import_paths(store, [a])
    assert (again.imported, again.updated, again.duplicate) == (0, 0, 4)
    also = import_paths(store, [a / "Posts.xml"])  # a file of the same dump, given alone
    assert (also.imported, also.updated) == (0, 0)


def test_two_sites_in_one_import_are_refused(store, tmp_path):
    a, b = dump(tmp_path / "site-a", "Ann"), dump(tmp_path / "site-b", "Bob")
    with pytest.raises(OtherSiteError, match="this import already holds"):
        import_paths(store, [a, b])
    assert store.fetch_value("SELECT count(*) FROM members") == 0
    assert store.fetch_value("SELECT count(*) FROM meta WHERE key = $k", {"k": META_KEY}) == 0


def test_a_store_from_before_the_site_was_recorded_is_guarded_by_its_import_history(store, tmp_path):
    a, b = dump(tmp_path / "site-a", "Ann"), dump(tmp_path / "site-b", "Bob")
    import_paths(store, [a])
    store.execute("DELETE FROM meta WHERE key = $k", {"k": META_KEY})  # as a store written by an older Reef
    with pytest.raises(OtherSiteError):
        import_paths(store, [b])
    assert store.fetch_value("SELECT name FROM members WHERE member_id = 'u1'") == "Ann"


def test_site_is_the_dump_folder_name(tmp_path):
    a = dump(tmp_path / "QuantumComputing.StackExchange.com", "Ann")
    assert site_name(a) == site_name(a / "Posts.xml") == "quantumcomputing.stackexchange.com"


def test_real_dumps_second_site_refused(tmp_path):
    qc, bikes = shared_data("se-quantumcomputing"), shared_data("se-bicycles-meta")
    store = open_store(tmp_path / "qc.duckdb")
    try:
        import_paths(store, [qc])
        before = snapshot(store)
        with pytest.raises(OtherSiteError, match="se-quantumcomputing"):
            import_paths(store, [bikes])
        assert snapshot(store) == before
    finally:
        store.close()
