"""Shared pieces of the layers analyses: parameters, scaling, table writing and the flags other
capabilities raise about members (burnout, backlash care list, conflict history).

Example:
    >>> import numpy as np
    >>> scaled(np.array([0.0, 5.0, 10.0, 20.0]), 0.5).tolist()
    [0.0, 0.5, 1.0, 1.0]
    >>> round(ramp(0.45, bad=0.2, ok=0.7), 3)
    0.5
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["layer_params", "scaled", "ramp", "write_table", "flagged_members", "HOSTILE_SQL", "has_table", "pct"]

# A hostile item: personal attack or toxic text (as the ladder and the risk radar count it).
HOSTILE_SQL = "(list_contains(coalesce(f.intents, []), 'personal_attack') OR coalesce(f.toxicity, 0) >= $tox)"


def layer_params(config) -> dict:
    """The ``[layers]`` section plus the text layer's attack threshold."""
    p = config.section("layers")
    p["attack_toxicity"] = float(config.get("text.attack_toxicity"))
    return p


def scaled(x: np.ndarray, quantile: float) -> np.ndarray:
    """``x`` divided by its ``quantile`` over the positive values, capped at 1 (0 stays 0)."""
    x = np.asarray(x, dtype=float)
    pos = x[x > 0]
    if len(pos) == 0:
        return np.zeros_like(x)
    ref = float(np.quantile(pos, quantile)) or float(pos.max())
    return np.minimum(x / ref, 1.0)


def ramp(value: float | None, *, bad: float, ok: float) -> float:
    """0 at ``bad`` (or worse), 1 at ``ok`` (or better), linear between; None counts as 0.5 (unknown)."""
    if value is None or not np.isfinite(value):
        return 0.5
    return float(np.clip((value - bad) / (ok - bad), 0.0, 1.0)) if ok != bad else 1.0


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def has_table(store, name: str) -> bool:
    return store.table_exists(name)


def write_table(store, name: str, table: pa.Table) -> int:
    """CREATE OR REPLACE ``name`` from an Arrow table; returns its rows."""
    with store.registered(f"_lay_write_{name}", table) as view:
        store.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {view}")
    return table.num_rows


def flagged_members(store, as_of, attack_toxicity: float) -> dict[str, set[str]]:
    """Members the risk radar flagged, by part: ``burnout`` (cooling or silent core), ``care`` (backlash care list),
    ``misinformation`` (stated a wrong spec) and ``conflict`` (wrote a hostile reply in an escalated conflict thread).
    Empty sets without a risk result."""
    out: dict[str, set[str]] = {"burnout": set(), "care": set(), "misinformation": set(), "conflict": set()}
    if not store.table_exists("risk_evidence"):
        return out
    for part, member in store.fetch_all("SELECT part, member_id FROM risk_evidence WHERE part IN ('burnout', 'care', 'misinformation') "
                                        "AND member_id IS NOT NULL"):
        out[part].add(member)
    if store.table_exists("content_features"):
        rows = store.fetch_all("""
            SELECT DISTINCT c.author_id FROM risk_evidence r JOIN content_at($ts) c ON c.thread_id = r.subject
            JOIN content_features f ON f.content_id = c.content_id
            WHERE r.part = 'conflict' AND c.author_id IS NOT NULL
              AND (list_has_any(coalesce(f.intents, []), ['personal_attack', 'disagreement']) OR coalesce(f.toxicity, 0) >= $tox)""",
                               {"ts": as_of, "tox": attack_toxicity})
        out["conflict"] = {r[0] for r in rows}
    return out
