"""Hand-made stores for the risk tests: rows per entity, and a stand-in ladder whose core the test names."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from reef.ingest import import_paths
from reef.store import open_store

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def ts(d: float) -> str:
    """ISO time ``d`` days after T0."""
    return (T0 + timedelta(days=d)).isoformat()


def handmade_store(tmp_path, rows: dict, core: tuple = ()):
    """Import ``rows`` ({entity: [row, ...]}) into a fresh store; ``core`` members get ladder stage 3."""
    paths = []
    for name, rs in rows.items():
        p = tmp_path / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rs), encoding="utf-8")
        paths.append(p)
    store = open_store(tmp_path / "s.duckdb")
    import_paths(store, paths)
    store.execute("CREATE TABLE ladder_members AS SELECT member_id, 3 AS stage, 3 AS max_stage FROM members WHERE list_contains($c, member_id)",
                  {"c": list(core) or [""]})
    return store
