"""One simulated store per test session at a small size, shared by the scenario tests."""
from __future__ import annotations

import pytest

from reef.simulate import SimulationSpec, simulate_to_store
from reef.store import open_store

SMALL = dict(members=1200, days=150, seed=11)


@pytest.fixture(scope="session")
def sim(tmp_path_factory):
    """(store, summary) of a small simulated community; reopened per test by path."""
    path = tmp_path_factory.mktemp("sim") / "sim.duckdb"
    store = open_store(path)
    summary = simulate_to_store(store, SimulationSpec(**SMALL))
    store.close()
    return path, summary


@pytest.fixture
def simstore(sim):
    from reef.store import open_store as _open

    return _open(sim[0])
