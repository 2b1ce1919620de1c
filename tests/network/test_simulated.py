"""The simulated community: planted connectors are found, campaign rings match the truth, plans beat baselines."""
from __future__ import annotations

import pytest

from reef.analyses import run_analyses
from reef.simulate import SimulationSpec, simulate_to_store
from reef.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("net") / "sim.duckdb"
    store = open_store(path)
    simulate_to_store(store, SimulationSpec(members=3000, days=180, seed=7, end_date="2026-06-30"))
    report = run_analyses(store, only=["network_connectors", "network_ripple", "network_helpers"])
    store.close()
    return path, report.as_of


@pytest.fixture
def sim(built):
    """A fresh handle per test (the autouse fixture closes every store after each test)."""
    return open_store(built[0]), built[1]


def test_planted_connectors_precision_at_20(sim):
    store, _ = sim
    hits = store.fetch_value("""SELECT count(*) FILTER (WHERE t.latent_type = 'connector') FROM
        (SELECT member_id FROM network_connectors WHERE role = 'connector' ORDER BY rank LIMIT 20) JOIN truth_members t USING (member_id)""")
    assert hits / 20 >= 0.8


def test_campaign_rings_and_via_match_the_truth(sim):
    store, _ = sim
    total, ring_ok, via_ok = store.fetch_all("""
        SELECT count(*), count(*) FILTER (WHERE r.ring = t.ring), count(*) FILTER (WHERE r.via_member_id IS NOT DISTINCT FROM t.via_member_id)
        FROM truth_campaign_rings t LEFT JOIN network_ripple r USING (campaign_id, member_id)""")[0]
    assert total > 100 and ring_ok == total and via_ok == total


def test_boost_list_is_rings_two_and_three_and_credits_the_seed(sim):
    store, _ = sim
    rows = store.fetch_dicts("SELECT * FROM network_boost")
    assert rows and {r["ring"] for r in rows} <= {2, 3}
    seeds = set(store.fetch_value("SELECT seed_member_ids FROM campaigns"))
    for r in rows:
        assert r["seed_member_id"] in seeds
        assert r["seed_name"] in r["acknowledgement"] and "延续了" in r["acknowledgement"]


def test_seed_plan_beats_degree_and_matches_pynetim(sim):
    from reef.network.seeding import seed_plan

    store, as_of = sim
    r = seed_plan(store, as_of, store.config, k=10, runs=400, reference=True)
    assert len(r["seeds"]) == 10
    assert r["plan"]["mean"] >= r["baselines"]["top_degree"]["mean"]
    assert r["plan"]["mean"] >= r["baselines"]["random"]["mean"]
    assert r["plan"]["mean"] >= 0.98 * r["baselines"]["pynetim_imm"]["mean"]
    topic = seed_plan(store, as_of, store.config, k=5, runs=50, topic="露营", baselines=False)
    assert topic["candidates"] < r["candidates"]


def test_help_ledger_credits_answers_and_finds_mentors(sim):
    from reef.network.helpers import help_summary

    store, as_of = sim
    s = help_summary(store, as_of)
    assert s["acts"]["answer"] > 0 and s["acts"]["accepted"] > 0
    assert 0 < s["answered_24h_share"] <= 1
    assert store.fetch_value("SELECT count(*) FROM network_mentorships") > 0
    top = store.fetch_value("""SELECT count(*) FILTER (WHERE latent_type IN ('connector', 'leader', 'burnout_core'))
        FROM (SELECT member_id FROM network_helpers ORDER BY rank LIMIT 20) JOIN truth_members USING (member_id)""")
    assert top >= 10
