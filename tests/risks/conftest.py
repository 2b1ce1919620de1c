"""Hand-made stores for the risk tests: rows per entity, and a stand-in ladder whose core the test names."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.conftest import import_rows

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def ts(d: float) -> str:
    """ISO time ``d`` days after T0."""
    return (T0 + timedelta(days=d)).isoformat()


def handmade_store(tmp_path, rows: dict, core: tuple = ()):
    """Import ``rows`` ({entity: [row, ...]}) into a fresh store; ``core`` members get ladder stage 3."""
    store = import_rows(tmp_path, rows, "s.duckdb")
    store.execute("CREATE TABLE ladder_members AS SELECT member_id, 3 AS stage, 3 AS max_stage FROM members WHERE list_contains($c, member_id)",
                  {"c": list(core) or [""]})
    return store


def burnout_result(store, day: float, **over):
    """The heat-death family result of ``burnout_part`` alone, ``day`` days after T0, with ``risks.*`` overrides."""
    from reef.config import load_config
    from reef.risks.burnout import burnout_part
    from reef.risks.common import FamilyResult, risk_base

    c = load_config().with_overrides({f"risks.{k}": v for k, v in over.items()}).section("risks")
    res = FamilyResult("heat_death")
    with risk_base(store, T0 + timedelta(days=day), 400):
        burnout_part(store, T0 + timedelta(days=day), c, res)
    return res
