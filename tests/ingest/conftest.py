"""Fixtures for ingest tests."""
from __future__ import annotations

import pytest

from reef.ingest import import_paths


@pytest.fixture
def imp(store):
    """imp(*paths, **kw) -> summary dict of one import into the test store."""
    def run(*paths, **kw):
        return import_paths(store, list(paths), **kw).as_dict()
    return run
