"""The member profile read from ``overview_members`` (analysis ``store_overview``) equals the live
profile, and the profile goes back to the live queries once the data moved after the analysis."""
from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from reef.analyses import run_analyses
    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    path = tmp_path_factory.mktemp("profile") / "reef.duckdb"
    store = open_store(path)
    simulate_to_store(store, SimulationSpec(members=150, days=30, seed=11))
    with store.transaction():  # a deleted post whose likes no longer count as received
        target = store.fetch_value("SELECT content_id FROM content WHERE author_id IS NOT NULL ORDER BY content_id LIMIT 1")
        store.execute("UPDATE content SET deleted_at = created_at + INTERVAL 1 MINUTE WHERE content_id = ?", [target])
    run_analyses(store, only=["store_overview"])
    store.close()
    return path


@pytest.fixture
def store(template, tmp_path):
    from reef.store import open_store

    shutil.copy(template, tmp_path / "reef.duckdb")
    s = open_store(tmp_path / "reef.duckdb")
    yield s
    s.close()


def _live_profiles(store, ids, n=20):
    """Profiles with the precomputed table gone (so read live), then the table restored."""
    from reef.actions import member_profile

    store.execute("ALTER TABLE overview_members RENAME TO overview_members_hidden")
    try:
        return {m: member_profile(store, m, masked=False, contributions=n) for m in ids}
    finally:
        store.execute("ALTER TABLE overview_members_hidden RENAME TO overview_members")


def test_precomputed_profile_equals_the_live_one(store):
    from reef.actions import member_profile
    from reef.analyses.overview_readers import member_activity

    ids = [r[0] for r in store.fetch_all("SELECT member_id FROM members ORDER BY member_id")]
    assert all(member_activity(store, m, contributions=20) is not None for m in ids)
    fast = {m: member_profile(store, m, masked=False, contributions=20) for m in ids}
    live = _live_profiles(store, ids)
    for m in ids:
        assert fast[m] == live[m], m
        # dict order is the display order (most first): compare it too
        for part in ("interactions_given", "interactions_received"):
            assert list(fast[m][part].items()) == list(live[m][part].items()), (m, part)
    assert sum(len(p["contributions"]) for p in fast.values()) > len(ids)
    assert sum(sum(p["interactions_received"].values()) for p in fast.values()) > 0
    # received by kind adds up to the summary's count (the deleted post's likes left out in both)
    for m in ids:
        summary = fast[m]["summary"]
        assert sum(fast[m]["interactions_received"].values()) == summary["interactions_received"], m
        assert sum(fast[m]["interactions_given"].values()) == summary["interactions_given"], m


def test_asking_for_more_items_than_kept_reads_live(store):
    from reef.actions import member_profile
    from reef.analyses.overview_readers import member_activity

    busiest = store.fetch_value("SELECT author_id FROM content GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    kept = int(store.config.get("server.profile_contributions"))
    assert store.fetch_value("SELECT count(*) FROM content WHERE author_id = ?", [busiest]) > kept
    assert member_activity(store, busiest, contributions=kept + 1) is None
    assert len(member_profile(store, busiest, contributions=kept + 1)["contributions"]) == kept + 1


def test_profile_falls_back_to_live_after_an_import(store):
    from reef.actions import member_profile
    from reef.analyses.overview_readers import member_activity

    member = store.fetch_value("SELECT author_id FROM content WHERE author_id IS NOT NULL ORDER BY 1 LIMIT 1")
    before = member_profile(store, member, masked=False)
    with store.transaction():  # an import finished after the last store_overview run
        store.execute("INSERT INTO imports (import_id, started_at, finished_at, format) "
                      "VALUES (999, now(), now(), 'jsonl')")
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at, title, body) "
                      "VALUES ('late-1', 'guide', ?, now() + INTERVAL 1 DAY, '新攻略', '刚写的')", [member])
        store.execute("INSERT INTO interactions (interaction_id, kind, actor_id, target_content_id, created_at) "
                      "VALUES ('late-i', 'like', 'someone-else', 'late-1', now() + INTERVAL 1 DAY)")
    assert member_activity(store, member) is None
    after = member_profile(store, member, masked=False)
    assert after["contributions"][0]["content_id"] == "late-1"
    assert after["interactions_received"].get("like", 0) == before["interactions_received"].get("like", 0) + 1


def test_a_run_before_the_end_of_the_data_is_not_used_for_profiles(store):
    from reef.analyses import run_analyses
    from reef.analyses.overview_readers import member_activity

    member = store.fetch_value("SELECT author_id FROM content WHERE author_id IS NOT NULL ORDER BY 1 LIMIT 1")
    middle = store.fetch_value("SELECT min(created_at) + (max(created_at) - min(created_at)) / 2 FROM content")
    run_analyses(store, as_of=middle, only=["store_overview"])
    assert member_activity(store, member) is None


def test_today_overview_reads_the_precomputed_rows(store):
    from reef.actions.overview import today_overview
    from reef.analyses.overview_readers import recognise_today

    top = int(store.config.get("server.recognise_top"))
    data = today_overview(store)
    assert data["status"]["precomputed_at"] is not None
    assert data["recognise"] == recognise_today(store, top=top) and data["recognise"]
    store.execute("DROP TABLE overview_recognise")  # not run yet: the live scan of member_summary
    assert [r["member_id"] for r in today_overview(store)["recognise"]] == [r["member_id"] for r in data["recognise"]]


def test_profiles_written_in_member_ranges_equal_one_pass(store):
    from reef.analyses.overview import _member_profiles
    from reef.analyses.runner import resolve_as_of

    as_of = resolve_as_of(store, None)
    cols = "member_id, part, kind, n, content_id, created_at, title, body, thread_id, group_id"
    _member_profiles(store, as_of, 5, chunk_members=10**9)
    one = store.fetch_all(f"SELECT {cols} FROM overview_members")
    _member_profiles(store, as_of, 5, chunk_members=7)  # about 20 ranges on 150 members
    ranged = store.fetch_all(f"SELECT {cols} FROM overview_members")
    assert len(one) > 150
    assert sorted(ranged, key=repr) == sorted(one, key=repr)
    ids = [r[0] for r in ranged]
    assert ids == sorted(ids)  # ranges written in order: the table stays sorted by member_id
