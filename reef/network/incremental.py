"""Keep ``network_edges`` up to date incrementally as days of data arrive.

A full build (``build_edges``) aggregates every act in the store. When the graph was last built
as of ``T1`` and is asked for a later ``T2``, most of that work can be kept: an edge's decayed
weight at ``T2`` is its weight at ``T1`` times ``0.5 ** ((T2 - T1) / half_life)``, plus the acts
of ``[T1, T2)``. :func:`refresh_edges` does exactly that, and falls back to a full build whenever
the shortcut would not give the same table:

- no earlier state, another configuration of ``[network]`` or version of the acts (``ACTS_VERSION``), text
  features appearing, or ``T2 < T1``;
- anything dated before ``T1`` was added, changed or removed since (a late import, an edited or
  deleted post, re-enriched text features, a writer that bypassed imports and changed a count);
- a member who newly counts (joined, or turned from staff into a member) already has acts before ``T1``.

Members who stop counting (left, or became staff) simply lose their edges. The state lives in
``network_edges_state`` (one row) and ``network_edges_members`` (the members the graph was built on).

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> refresh_edges(s, datetime(2026, 1, 1, tzinfo=timezone.utc), s.config)
    'full'
    >>> refresh_edges(s, datetime(2026, 1, 2, tzinfo=timezone.utc), s.config)
    'incremental'
"""
from __future__ import annotations

import json
from datetime import datetime

from reef.network.graph import ACTS_VERSION, EDGE_KINDS, acts_sql, build_edges, edges_sql

__all__ = ["refresh_edges"]

_MEMBERS = "SELECT member_id FROM members_at($ts) WHERE coalesce(account_type, 'member') = 'member'"


def refresh_edges(store, as_of: datetime, config) -> str:
    """Bring ``network_edges`` to ``as_of``; returns ``'incremental'`` or ``'full'`` (the path taken)."""
    feats = store.table_exists("content_features")
    # Only what the edges depend on: kind weights, half-life and whether text features exist.
    net = config.section("network")
    params = json.dumps({"half_life_days": float(net["half_life_days"]), "features": feats, "acts": ACTS_VERSION,
                         **{k: float(net[f"{k}_weight"]) for k in EDGE_KINDS}}, sort_keys=True)
    state = _state(store)
    mode = "incremental" if (config.get("network.incremental") and state and state["params"] == params
                             and state["as_of"] <= as_of and _unchanged_before(store, state, as_of)) else "full"
    with store.transaction():
        store.execute(f"CREATE OR REPLACE TEMP TABLE _ng_mem AS {_MEMBERS}", {"ts": as_of})
        if mode == "incremental" and _added_members_have_history(store, state["as_of"]):
            mode = "full"
        if mode == "full":
            build_edges(store, as_of, config)
        else:
            _advance(store, state["as_of"], as_of, config, feats)
        _save_state(store, as_of, params)
        store.execute("DROP TABLE IF EXISTS _ng_mem")
    return mode


def _state(store) -> dict | None:
    if not (store.table_exists("network_edges_state") and store.table_exists("network_edges")
            and store.table_exists("network_edges_members")):
        return None
    rows = store.fetch_dicts("SELECT * FROM network_edges_state")
    return rows[0] if rows else None


def _unchanged_before(store, state: dict, as_of: datetime) -> bool:
    """Nothing dated before the state's as_of was added, changed or removed since it was built."""
    p = {"t1": state["as_of"], "t2": as_of, "iid": state["max_import_id"]}
    counts = store.fetch_all(
        "SELECT (SELECT count(*) FROM content WHERE created_at < $t1), "
        "(SELECT count(*) FROM interactions WHERE created_at < $t1), "
        "(SELECT count(*) FROM content WHERE created_at < $t1 AND import_id > $iid), "
        "(SELECT count(*) FROM interactions WHERE created_at < $t1 AND import_id > $iid), "
        "(SELECT count(*) FROM content WHERE created_at < $t1 AND deleted_at >= $t1 AND deleted_at < $t2)", p)[0]
    if counts != (state["content_before"], state["interactions_before"], 0, 0, 0):
        return False
    if state["features_mark"] is not None and store.table_exists("content_features"):
        late = store.fetch_value(
            "SELECT count(*) FROM content_features f JOIN content c USING (content_id) "
            "WHERE f.enriched_at > $fm AND c.created_at < $t1", {"fm": state["features_mark"], "t1": state["as_of"]})
        return int(late) == 0
    return True


def _added_members_have_history(store, t1: datetime) -> bool:
    """A member who counts now but did not at t1 and already acted (or was acted on) before t1."""
    store.execute("CREATE OR REPLACE TEMP TABLE _ng_added AS SELECT member_id FROM _ng_mem "
                  "EXCEPT SELECT member_id FROM network_edges_members")
    return bool(store.fetch_value(
        "SELECT EXISTS (SELECT 1 FROM content WHERE created_at < $t1 AND author_id IN (SELECT member_id FROM _ng_added)) "
        "OR EXISTS (SELECT 1 FROM interactions WHERE created_at < $t1 AND (actor_id IN (SELECT member_id FROM _ng_added) "
        "OR target_member_id IN (SELECT member_id FROM _ng_added)))", {"t1": t1}))


def _advance(store, t1: datetime, t2: datetime, config, feats: bool) -> None:
    half = float(config.get("network.half_life_days"))
    factor = 0.5 ** ((t2 - t1).total_seconds() / 86400.0 / half)
    store.execute(f"CREATE OR REPLACE TEMP TABLE _ng_new AS {edges_sql(config, acts_sql(feats, since=True))}",
                  {"ts": t2, "since": t1, "half": half})
    # Members who no longer count (left, or became staff) lose their edges; the rest decay and add the new acts.
    store.execute("""
        CREATE OR REPLACE TABLE network_edges AS
        WITH kept AS (SELECT * FROM network_edges
                      WHERE src IN (SELECT member_id FROM _ng_mem) AND dst IN (SELECT member_id FROM _ng_mem))
        SELECT coalesce(o.src, x.src) AS src, coalesce(o.dst, x.dst) AS dst, coalesce(o.kind, x.kind) AS kind,
               (coalesce(o.n, 0) + coalesce(x.n, 0))::INTEGER AS n,
               (coalesce(o.weight * $f, 0) + coalesce(x.weight, 0))::DOUBLE AS weight,
               CASE WHEN x.src IS NULL THEN o.last_at ELSE x.last_at END AS last_at,
               CASE WHEN x.src IS NULL THEN o.example_id ELSE x.example_id END AS example_id
        FROM kept o FULL JOIN _ng_new x ON o.src = x.src AND o.dst = x.dst AND o.kind = x.kind""", {"f": factor})
    store.execute("DROP TABLE IF EXISTS _ng_new")


def _save_state(store, as_of: datetime, params: str) -> None:
    feats = store.table_exists("content_features")
    store.execute("CREATE OR REPLACE TABLE network_edges_members AS SELECT member_id FROM _ng_mem")
    store.execute(f"""
        CREATE OR REPLACE TABLE network_edges_state AS SELECT
            CAST($ts AS TIMESTAMPTZ) AS as_of, $params::VARCHAR AS params,
            (SELECT coalesce(max(import_id), 0) FROM imports)::BIGINT AS max_import_id,
            {"(SELECT max(enriched_at) FROM content_features)" if feats else "NULL::TIMESTAMPTZ"} AS features_mark,
            (SELECT count(*) FROM content WHERE created_at < $ts) AS content_before,
            (SELECT count(*) FROM interactions WHERE created_at < $ts) AS interactions_before""",
                  {"ts": as_of, "params": params})
