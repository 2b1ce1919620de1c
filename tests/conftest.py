"""Shared fixtures. Every store handle is closed after each test (autouse).

The surface fixtures (tests/server/surface_fixtures.py: a small analysed store, users, an app and
a logged-in client) are loaded here once, as module ``surface_fixtures``, so every folder that
tests a surface uses them by name; they import fastapi only when a test asks for them.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from reef.store import close_all, open_store

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def load_script(name: str):
    """``scripts/<name>.py`` as a fresh module (scripts are no package), for tests that check a validation's parts."""
    spec = importlib.util.spec_from_file_location(f"{name}_for_test", Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

if "surface_fixtures" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("surface_fixtures", Path(__file__).parent / "server" / "surface_fixtures.py")
    sys.modules["surface_fixtures"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["surface_fixtures"])
_surface = sys.modules["surface_fixtures"]
store_template, db_path, app, client = _surface.store_template, _surface.db_path, _surface.app, _surface.client


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


def simulated_store_file(folder: Path, *, members: int, days: int, seed: int, analyses: list[str]) -> Path:
    """``folder/reef.duckdb``: a simulated community with ``analyses`` run on it, closed (for module fixtures)."""
    from reef.analyses import run_analyses
    from reef.api import simulate_community

    path = folder / "reef.duckdb"
    store = open_store(path)
    simulate_community(store, members=members, days=days, seed=seed)
    run_analyses(store, only=analyses)
    store.close()
    return path


def drop_integer_codes(con) -> None:
    """Make the store on ``con`` (a DuckDB connection or a Store) as Reef wrote it before migration
    ``0013_integer_codes``: no code columns and no record of the migration."""
    from reef.store.codes import CODE_KEYS, CODE_REFS

    for table, code in [(t, c) for t, (_, c) in CODE_KEYS.items()] + [(t, c) for t, _, c, _ in CODE_REFS]:
        con.execute(f'ALTER TABLE "{table}" DROP COLUMN "{code}"')
    con.execute("DELETE FROM _reef_migrations WHERE name = '0013_integer_codes'")


def import_rows(folder: Path, rows: dict, name: str = "reef.duckdb"):
    """A fresh store at ``folder/name`` with ``rows`` ({entity: [row, ...]}) imported from JSONL files."""
    import json

    from reef.ingest import import_paths

    paths = []
    for entity, items in rows.items():
        path = folder / f"{entity}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items), encoding="utf-8")
        paths.append(path)
    store = open_store(folder / name)
    import_paths(store, paths)
    return store


def shared_data(name: str) -> Path:
    """Path to a real data set in ../shared/data, skipping the test when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"real data {path} is absent (../shared/data not mounted); this test needs it")
    return path
