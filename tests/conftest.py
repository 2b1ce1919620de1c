"""Shared fixtures. Every store handle is closed after each test (autouse)."""
from __future__ import annotations

from pathlib import Path

import pytest

from reef.store import close_all, open_store

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _close_stores():
    yield
    close_all()


@pytest.fixture
def store(tmp_path):
    """A fresh file-backed store in a temporary folder."""
    s = open_store(tmp_path / "reef.duckdb")
    yield s
    s.close()


def shared_data(name: str) -> Path:
    """Path to a real data set in ../shared/data, skipping the test when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"real data {path} is absent (../shared/data not mounted); this test needs it")
    return path
