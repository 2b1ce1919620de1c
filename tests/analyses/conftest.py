"""The as-of isolation tests' two stores (tests/analyses/asof_stores.py), built once per session and shared by
test_as_of_isolation.py (the analyses' tables) and test_as_of_reads.py (the Community reads)."""
from __future__ import annotations

import pytest

from tests.analyses.asof_stores import build_pair


@pytest.fixture(scope="session")
def as_of_pair(tmp_path_factory):
    """(full, cut, t): the store with what happened after T and the store as it stood at T, both analysed as of T."""
    return build_pair(tmp_path_factory.mktemp("asof"))
