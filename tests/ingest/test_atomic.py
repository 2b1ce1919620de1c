"""An import killed with SIGKILL leaves the store exactly as before; the next run completes it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from reef.ingest import import_paths
from reef.store import open_store

# The child announces each phase on stdout; commit_session is wrapped so "commit" is printed
# when validation and writing begin.
_CHILD = r"""
import sys
import reef.ingest.commit as commit
from reef.ingest import import_paths
from reef.store import open_store

original = commit.commit_session
def announced(session):
    print("commit", flush=True)
    original(session)
commit.commit_session = announced
store = open_store(sys.argv[1])
print("open", flush=True)
import_paths(store, sys.argv[2:], on_progress=lambda label, n, total: print("staged", flush=True))
print("done", flush=True)
"""
TABLES = ("members", "content", "interactions", "imports", "import_files", "quarantine")


def _write_data(folder, n_members=10_000, n_content=80_000, n_inter=200_000):
    rng = np.random.default_rng(3)
    ids = lambda p, n: pc.binary_join_element_wise(p, pc.cast(pa.array(np.arange(n)), pa.string()), "")  # noqa: E731
    members = ids("m", n_members)
    content = ids("c", n_content)
    pq.write_table(pa.table({"member_id": members, "joined_at": ["2024-01-01 08:00"] * n_members}), folder / "members.parquet")
    pq.write_table(pa.table({
        "content_id": content, "kind": ["thread"] * n_content,
        "author_id": pc.take(members, pa.array(rng.integers(0, n_members, n_content))),
        "created_at": ["2025-01-01 08:00"] * n_content, "body": ["冬天续航怎么样，大家说说经验。" * 4] * n_content,
    }), folder / "content.parquet")
    pq.write_table(pa.table({
        "interaction_id": ids("i", n_inter), "kind": ["like"] * n_inter,
        "actor_id": pc.take(members, pa.array(rng.integers(0, n_members, n_inter))),
        "target_content_id": pc.take(content, pa.array(rng.integers(0, n_content, n_inter))),
        "created_at": ["2025-01-02 08:00"] * n_inter,
    }), folder / "interactions.parquet")
    return [folder / f"{n}.parquet" for n in ("members", "content", "interactions")], n_members + n_content + n_inter


def _counts(db):
    store = open_store(db)
    try:
        return {t: store.fetch_value(f'SELECT count(*) FROM "{t}"') for t in TABLES}
    finally:
        store.close()


def _kill_during(db, files, phase: str, delay: float) -> list[str]:
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(db), *map(str, files)], stdout=subprocess.PIPE, text=True)
    seen = []
    try:
        for line in proc.stdout:
            seen.append(line.strip())
            if line.strip() == phase:
                time.sleep(delay)
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=60)
        seen += [ln.strip() for ln in proc.stdout.read().splitlines()]
    assert proc.returncode == -signal.SIGKILL, seen
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("phase, delay", [("staged", 0.0), ("commit", 0.3)])
def test_kill_9_leaves_the_store_as_before_and_the_rerun_completes(tmp_path, phase, delay):
    files, total = _write_data(tmp_path)
    db = tmp_path / "reef.duckdb"
    # Something already in the store, which must survive untouched.
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text('{"entity": "members", "member_id": "old", "joined_at": "2023-01-01"}\nbroken\n', encoding="utf-8")
    store = open_store(db)
    import_paths(store, [earlier])
    store.close()
    before = _counts(db)

    seen = _kill_during(db, files, phase, delay)
    assert "done" not in seen, f"the import finished before it could be killed: {seen}"

    assert _counts(db) == before
    store = open_store(db)
    summary = import_paths(store, files)
    assert (summary.imported, summary.quarantined) == (total, 0)
    after = {t: store.fetch_value(f'SELECT count(*) FROM "{t}"') for t in TABLES}
    assert after["members"] == before["members"] + 10_000
    assert after["imports"] == before["imports"] + 1
    assert after["quarantine"] == before["quarantine"] == 1
