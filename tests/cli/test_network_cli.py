"""The network commands end to end on a small simulated community (JSON output)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.simulate import SimulationSpec, simulate_to_store
from reef.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("netcli") / "c.duckdb"
    store = open_store(path)
    simulate_to_store(store, SimulationSpec(members=800, days=60, seed=3, end_date="2026-06-30"))
    store.close()
    return str(path)


def _run(*args):
    r = CliRunner().invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_connectors_json_has_parts_and_examples(db):
    rows = _run("connectors", "--db", db, "--top", "5", "--role", "all")
    assert len(rows) == 5 and rows[0]["rank"] == 1
    assert {"expertise_part", "asked_part", "brokerage_part", "reach_part", "followon_part", "examples"} <= set(rows[0])


def test_seed_plan_helpers_and_ripple(db):
    plan = _run("seed-plan", "--db", db, "--k", "3", "--runs", "50", "--exclude", "m0001")
    assert len(plan["seeds"]) == 3 and "m0001" not in plan["seeds"]
    assert {"top_degree", "top_pagerank", "random"} <= set(plan["baselines"])
    helpers = _run("helpers", "--db", db, "--top", "3")
    assert helpers["leaders"] and helpers["summary"]["acts"]
    ledger = _run("helpers", "--db", db, "--member", helpers["leaders"][0]["member_id"])
    assert ledger["acts"]
    store = open_store(db)
    camp = store.fetch_value("SELECT campaign_id FROM campaigns LIMIT 1")
    store.close()
    if camp:
        r = _run("ripple", "--db", db, "--campaign", camp)
        assert r["rings"][0]["ring"] == 0


def test_ripple_needs_seeds(db):
    r = CliRunner().invoke(app, ["ripple", "--db", db, "--topic", "露营", "--json"])
    assert r.exit_code != 0 and "seeds" in r.stdout
