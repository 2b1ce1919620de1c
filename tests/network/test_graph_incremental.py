"""The interaction graph advanced day by day equals a full rebuild, and falls back when the past changes."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from reef.analyses import run_analyses
from reef.ingest import import_paths
from reef.network.graph import build_edges
from reef.network.incremental import refresh_edges
from reef.simulate import SimulationSpec, simulate_to_store

_COLS = "src, dst, kind, n, weight, last_at, example_id"


@pytest.fixture
def sim(store):
    simulate_to_store(store, SimulationSpec(members=300, days=60, seed=3, end_date="2026-03-01"))
    run_analyses(store, only=["text_features"])
    end = store.fetch_value("SELECT max(created_at) FROM content")
    return store, end


def _snapshot(store) -> dict:
    return {r[:3]: r[3:] for r in store.fetch_all(f"SELECT {_COLS} FROM network_edges")}


def _assert_same(store, as_of, got: dict) -> None:
    build_edges(store, as_of, store.config)
    want = _snapshot(store)
    assert got.keys() == want.keys()
    for key, (n, w, last, example) in want.items():
        gn, gw, glast, gexample = got[key]
        assert (gn, glast) == (n, last), key
        assert gw == pytest.approx(w, rel=1e-9), key
        if example != gexample:  # ties of arg_max on equal times may pick either item
            assert store.fetch_value("SELECT count(DISTINCT created_at) FROM content WHERE content_id IN (?, ?)",
                                     [example, gexample]) == 1


def test_day_by_day_updates_equal_a_full_build(sim):
    store, end = sim
    days = [end - timedelta(days=d) for d in (20, 13, 12, 5)]
    assert refresh_edges(store, days[0], store.config) == "full"
    for day in days[1:]:
        assert refresh_edges(store, day, store.config) == "incremental"
        got = _snapshot(store)
        assert len(got) > 100
        _assert_same(store, day, got)
        refresh_edges(store, day, store.config)  # bring the state back to the incremental path's as_of


def test_a_late_edit_to_an_earlier_day_forces_a_full_build(sim, tmp_path):
    store, end = sim
    t1, t2 = end - timedelta(days=10), end - timedelta(days=3)
    refresh_edges(store, t1, store.config)
    parent, author = store.fetch_all("SELECT c.content_id, c.author_id FROM content c JOIN members m ON m.member_id = c.author_id "
                                     "WHERE c.created_at < ? AND c.kind = 'thread' AND coalesce(m.account_type, 'member') = 'member' "
                                     "ORDER BY c.content_id LIMIT 1", [t1 - timedelta(days=5)])[0]
    replier = store.fetch_value("SELECT member_id FROM members WHERE member_id <> ? AND coalesce(account_type, 'member') = 'member' "
                                "ORDER BY member_id LIMIT 1", [author])
    late = {"content_id": "late-reply", "kind": "reply", "author_id": replier, "parent_id": parent,
            "created_at": (t1 - timedelta(days=2)).isoformat(), "body": "具体是哪个部分？"}
    path = tmp_path / "late.jsonl"
    path.write_text(json.dumps(late, ensure_ascii=False) + "\n", encoding="utf-8")
    import_paths(store, [path], entity="content")
    assert refresh_edges(store, t2, store.config) == "full"
    got = _snapshot(store)
    assert (replier, author, "reply") in got
    _assert_same(store, t2, got)


def test_members_who_turn_staff_lose_their_edges_incrementally(sim, tmp_path):
    store, end = sim
    t1, t2 = end - timedelta(days=10), end - timedelta(days=3)
    refresh_edges(store, t1, store.config)
    busiest = store.fetch_value("SELECT src FROM network_edges GROUP BY src ORDER BY sum(n) DESC, src LIMIT 1")
    row = store.fetch_dicts("SELECT member_id, joined_at FROM members WHERE member_id = ?", [busiest])[0]
    path = tmp_path / "staff.jsonl"
    path.write_text(json.dumps({"member_id": busiest, "joined_at": row["joined_at"].isoformat(), "account_type": "staff"}) + "\n",
                    encoding="utf-8")
    import_paths(store, [path], entity="members")
    assert refresh_edges(store, t2, store.config) == "incremental"
    got = _snapshot(store)
    assert not any(busiest in key[:2] for key in got)
    _assert_same(store, t2, got)


def test_incremental_can_be_switched_off(sim):
    store, end = sim
    refresh_edges(store, end - timedelta(days=9), store.config)
    assert refresh_edges(store, end - timedelta(days=2), store.config.with_overrides({"network.incremental": False})) == "full"
    assert refresh_edges(store, end - timedelta(days=1), store.config) == "incremental"


def test_a_changed_network_setting_or_an_earlier_as_of_rebuilds(sim):
    store, end = sim
    refresh_edges(store, end - timedelta(days=5), store.config)
    assert refresh_edges(store, end - timedelta(days=8), store.config) == "full"
    assert refresh_edges(store, end - timedelta(days=4), store.config.with_overrides({"network.half_life_days": 30.0})) == "full"


def test_a_graph_kept_from_an_older_version_of_the_acts_is_rebuilt(sim, monkeypatch):
    import reef.network.incremental as inc

    store, end = sim
    refresh_edges(store, end - timedelta(days=5), store.config)
    assert refresh_edges(store, end - timedelta(days=4), store.config) == "incremental"
    monkeypatch.setattr(inc, "ACTS_VERSION", inc.ACTS_VERSION + 1)  # as after an upgrade that changes what counts as a tie
    assert refresh_edges(store, end - timedelta(days=3), store.config) == "full"
