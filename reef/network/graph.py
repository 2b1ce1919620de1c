"""The interaction graph: who turns to whom, directed, weighted and time-decayed.

Every tie is an edge ``src -> dst`` from the member who acted to the member acted on: a reply
points at the parent's author, a mention at the member mentioned, a like at the liked item's
author, an accepted answer at the answerer (a poll vote is no tie: it picks an option). Kind
``ask`` points from an asker to whoever answered (or was @-ed in) their question, which is what ExpertiseRank walks. Each act weighs its kind's
weight (``[network]``) times ``0.5 ** (age_days / half_life_days)``. Only ``member`` accounts
take part. Everything is SQL over the point-in-time macros, so ``as_of`` works; the arrays for the
graph algorithms come out as numpy (no Python loop over edges).

Example:
    >>> from reef.store import open_store
    >>> from reef.config import load_config
    >>> from datetime import datetime, timezone
    >>> s = open_store(":memory:")
    >>> build_edges(s, datetime(2026, 1, 1, tzinfo=timezone.utc), load_config(None))
    0
    >>> load_graph(s).n
    0
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from reef.errors import MissingDependencyError

__all__ = ["ACTS_VERSION", "EDGE_KINDS", "Graph", "acts_sql", "edges_sql", "build_edges", "load_graph", "to_igraph", "require"]

# What counts as a tie; a graph kept from another version is rebuilt, not extended (2: poll votes are no ties).
ACTS_VERSION = 2
EDGE_KINDS = ("reply", "answer", "agree", "ask", "mention", "quote", "accept", "like", "share", "follow")

# Positive replies count as agreement: sentiment +1 or an intent that endorses the parent.
_AGREE = "(f.sentiment = 1 OR list_has_any(coalesce(f.intents, []), ['praise', 'thanks']))"
# A parent is a question when the text layer says so, or when the reply is an answer (Q&A sources).
_QUESTION = "(list_contains(coalesce(fp.intents, []), 'question') OR c.kind = 'answer')"


def require(module: str):
    """Import an optional graph library or raise MissingDependencyError naming the ``network`` extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(module, "network") from None


def acts_sql(with_features: bool, *, since: bool = False) -> str:
    """SELECT of every act (src, dst, kind, at, content_id) between member accounts as of ``$ts``.

    With ``since`` only acts at or after ``$since`` (the filter sits on the act's own row, so a reply
    to an old post still finds its parent).
    """
    feats = ("LEFT JOIN content_features f ON f.content_id = c.content_id "
             "LEFT JOIN content_features fp ON fp.content_id = p.content_id") if with_features else \
        "LEFT JOIN (SELECT NULL::TINYINT AS sentiment, NULL::VARCHAR[] AS intents) f ON true " \
        "LEFT JOIN (SELECT NULL::VARCHAR[] AS intents) fp ON true"
    qfeat = "LEFT JOIN content_features fq ON fq.content_id = i.related_content_id" if with_features else \
        "LEFT JOIN (SELECT NULL::VARCHAR[] AS intents) fq ON true"
    c_since, i_since = ("AND c.created_at >= $since", "AND i.created_at >= $since") if since else ("", "")
    return f"""
    WITH mem AS (SELECT member_id FROM members_at($ts) WHERE coalesce(account_type, 'member') = 'member'),
    cc AS (SELECT content_id, kind, author_id, parent_id, created_at FROM content_at($ts)),
    rep AS (
        SELECT c.author_id AS a, p.author_id AS b, c.kind, c.created_at AS act_at, c.content_id,
               {_AGREE} AS agree, {_QUESTION} AS q
        FROM cc c JOIN cc p ON p.content_id = c.parent_id {feats}
        -- a poll vote picks an option; it says nothing to the poll's author
        WHERE c.author_id <> p.author_id AND c.kind <> 'poll_vote' {c_since}),
    ia AS (
        SELECT i.kind, i.actor_id, i.created_at AS act_at, coalesce(i.related_content_id, i.target_content_id) AS content_id,
               coalesce(i.target_member_id, t.author_id) AS target, i.value, i.related_content_id
        FROM interactions_at($ts) i LEFT JOIN cc t ON t.content_id = i.target_content_id
        WHERE i.kind IN ('mention', 'quote', 'accept', 'like', 'vote', 'share', 'follow') {i_since}),
    acts AS (
        SELECT a AS src, b AS dst, CASE WHEN kind = 'answer' THEN 'answer' ELSE 'reply' END AS kind, act_at, content_id FROM rep
        UNION ALL SELECT a, b, 'agree', act_at, content_id FROM rep WHERE agree
        UNION ALL SELECT b, a, 'ask', act_at, content_id FROM rep WHERE q
        UNION ALL SELECT actor_id, target, CASE WHEN kind = 'vote' THEN 'like' ELSE kind END, act_at, content_id
            FROM ia WHERE kind <> 'vote' OR value > 0
        UNION ALL SELECT i.actor_id, i.target, 'ask', i.act_at, i.content_id FROM ia i {qfeat}
            WHERE i.kind = 'mention' AND list_contains(coalesce(fq.intents, []), 'question'))
    SELECT src, dst, kind, act_at, content_id FROM acts
    WHERE src <> dst AND src IN (SELECT member_id FROM mem) AND dst IN (SELECT member_id FROM mem)"""


def edges_sql(config, acts: str) -> str:
    """Aggregate ``acts`` into (src, dst, kind, n, weight decayed to ``$ts``, last_at, example_id)."""
    net = config.section("network")
    cases = " ".join(f"WHEN '{k}' THEN {float(net[f'{k}_weight'])!r}" for k in EDGE_KINDS)
    return f"""
        SELECT src, dst, kind, count(*)::INTEGER AS n,
               sum((CASE kind {cases} ELSE 0 END)
                   * pow(0.5, greatest(epoch(CAST($ts AS TIMESTAMPTZ)) - epoch(act_at), 0) / 86400.0 / $half))::DOUBLE AS weight,
               max(act_at) AS last_at, arg_max(content_id, act_at) AS example_id
        FROM ({acts}) GROUP BY ALL"""


def build_edges(store, as_of: datetime, config) -> int:
    """(Re)create ``network_edges``: one row per (src, dst, kind) with count, decayed weight, last time and an example."""
    feats = store.table_exists("content_features")
    store.execute(f"CREATE OR REPLACE TABLE network_edges AS {edges_sql(config, acts_sql(feats))}",
                  {"ts": as_of, "half": float(config.get("network.half_life_days"))})
    return int(store.fetch_value("SELECT count(*) FROM network_edges"))


@dataclass
class Graph:
    """A directed weighted graph as numpy arrays; ``ids[i]`` is the member id of node ``i``."""

    ids: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    count: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.src)


def load_graph(store, kinds: tuple[str, ...] | None = None, *, table: str = "network_edges") -> Graph:
    """Sum ``network_edges`` over ``kinds`` (all when None) into one edge per ordered pair."""
    if not store.table_exists(table):
        return Graph(*(np.zeros(0, dtype=t) for t in (object, np.int32, np.int32, np.float64, np.int64)))
    import pyarrow as pa
    import pyarrow.compute as pc

    where = "WHERE kind IN (SELECT unnest($kinds))" if kinds else ""
    params = {"kinds": list(kinds)} if kinds else {}
    # sum(n) is cast back to BIGINT: DuckDB's HUGEINT sum reaches Arrow as decimal128, which numpy reads through one
    # Python Decimal per edge.
    tbl = store.fetch_arrow(f"SELECT src, dst, sum(weight) AS w, CAST(sum(n) AS BIGINT) AS n FROM {table} {where} GROUP BY ALL "
                            "ORDER BY src, dst", params)
    # Number the members in Arrow (one hash pass) instead of SQL joins on the ids: half the time at 10M edges.
    s, d = tbl.column("src"), tbl.column("dst")
    uniq = pc.unique(pa.chunked_array(s.chunks + d.chunks, pa.string()))
    uniq = uniq.take(pc.sort_indices(uniq))
    si = pc.index_in(s, value_set=uniq).to_numpy(zero_copy_only=False).astype(np.int32)
    di = pc.index_in(d, value_set=uniq).to_numpy(zero_copy_only=False).astype(np.int32)
    w = tbl.column("w").to_numpy(zero_copy_only=False).astype(np.float64)
    c = tbl.column("n").to_numpy(zero_copy_only=False).astype(np.int64)
    key = si.astype(np.int64) * max(len(uniq), 1) + di
    if len(key) > 1 and not bool(np.all(key[1:] > key[:-1])):  # callers rely on (src, dst) order; collations may differ
        o = np.argsort(key, kind="stable")
        si, di, w, c = si[o], di[o], w[o], c[o]
    return Graph(np.asarray(uniq.to_pylist(), dtype=object), si, di, w, c)


def to_igraph(g: Graph, *, directed: bool = True):
    """An igraph Graph (compiled) with the edge weights as attribute ``weight``."""
    ig = require("igraph")
    graph = ig.Graph(n=g.n, edges=np.column_stack([g.src, g.dst]).tolist() if g.m < 2_000_000 else
                     np.column_stack([g.src, g.dst]), directed=directed)
    graph.es["weight"] = g.weight.tolist()
    return graph
