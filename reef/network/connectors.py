"""Key connectors (关键节点): members others turn to, whose words set off further talk.

Five parts, each kept in the result so an operator sees why someone ranks high:

* ``expertise`` — ExpertiseRank: PageRank (igraph, compiled) on asker -> answerer edges
  (``ask`` and ``accept``), so being answered-to by people who themselves are asked counts more;
* ``brokerage`` — approximate betweenness (networkit's sampled estimator) on the undirected
  conversation graph: who bridges groups that would otherwise not talk;
* ``reach`` — decayed reach: distinct members who responded to them plus ``reach_decay`` x the
  members who responded to those (two hops, computed with ``np.bincount``);
* ``followon`` — replies by other members (not staff, brand or anonymous accounts) per item they
  wrote, shrunk by ``followon_prior`` items (their messages start discussions, not just one lucky
  post); poll votes are neither items nor replies;
* ``distinct`` — distinct members who asked, mentioned, quoted, accepted or agreed with them.

``asked`` (distinct askers) is weighed apart from ``distinct``, since being turned to with
questions is the core of trust. Each part is scaled by its ``score_quantile`` value across members
and capped at 1; the score is the weighted sum. High-volume accounts whose traffic
is one-way (many items, few follow-on replies, few partners answering back) are labelled
``broadcaster`` and kept out of the connector ranking.

Example:
    >>> import numpy as np
    >>> pct_rank(np.array([3.0, 1.0, 2.0])).tolist()
    [1.0, 0.3333333333333333, 0.6666666666666666]
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from reef.network.graph import load_graph, require, to_igraph

__all__ = ["connector_list", "CONVERSATION_KINDS", "TRUST_KINDS", "pct_rank", "expertise_rank", "approx_betweenness", "decayed_reach",
           "compute_connectors"]

CONVERSATION_KINDS = ("reply", "answer", "agree", "ask", "mention", "quote", "accept")
TRUST_KINDS = ("ask", "mention", "quote", "accept", "agree")
_PARTS = ("expertise", "asked", "distinct", "brokerage", "reach", "followon")
_COLUMN = {"distinct": "distinct_others", "asked": "askers"}  # config key -> column


def pct_rank(x: np.ndarray) -> np.ndarray:
    """Percentile rank in (0, 1]; ties share the highest rank of their group."""
    if len(x) == 0:
        return x.astype(float)
    order = np.sort(x)
    return np.searchsorted(order, x, side="right") / len(x)


def expertise_rank(g, damping: float) -> np.ndarray:
    """Weighted PageRank on ``g`` (asker -> answerer); answerers of answerers rank higher."""
    if g.m == 0:
        return np.zeros(g.n)
    ig = to_igraph(g)
    return np.asarray(ig.pagerank(damping=damping, weights="weight", directed=True))


def approx_betweenness(n: int, src: np.ndarray, dst: np.ndarray, samples: int, seed: int, *,
                       max_work: float = float("inf"), error: float = 0.01) -> np.ndarray:
    """Sampled betweenness on the undirected simple graph, normalised.

    networkit's EstimateBetweenness (``samples`` BFS sources) while ``samples`` x edges stays within
    ``max_work``; above that (around a million members) KADABRA (Borassi & Natale 2016), which samples
    shortest paths by balanced bidirectional BFS and touches a small part of a power-law graph per
    sample, with absolute error ``error`` w.p. 0.9: a full BFS per source would take minutes there.
    """
    if len(src) == 0 or n < 3:
        return np.zeros(n)
    nk = require("networkit")
    nk.setSeed(int(seed), False)
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    pairs = np.unique(lo.astype(np.int64) * n + hi)  # one undirected edge per pair
    g = nk.Graph(n, weighted=False, directed=False)
    g.addEdges((pairs // n, pairs % n), addMissing=False, checkMultiEdge=False)
    if min(int(samples), n) * len(pairs) <= max_work:
        est = nk.centrality.EstimateBetweenness(g, min(int(samples), n), normalized=True, parallel=True)
    else:
        est = nk.centrality.KadabraBetweenness(g, float(error), 0.1, True)  # deterministic given the seed
    est.run()
    return np.asarray(est.scores())


def decayed_reach(n: int, src: np.ndarray, dst: np.ndarray, decay: float) -> tuple[np.ndarray, np.ndarray]:
    """(one-hop, reach): distinct responders of each node, plus ``decay`` x the responders of those responders."""
    if len(src) == 0:
        return np.zeros(n), np.zeros(n)
    pairs = src.astype(np.int64) * n + dst
    if len(pairs) > 1 and not bool(np.all(pairs[1:] > pairs[:-1])):  # load_graph hands over sorted unique pairs already
        pairs = np.unique(pairs)
    s, d = pairs // n, pairs % n
    hop1 = np.bincount(d, minlength=n).astype(float)
    hop2 = np.bincount(d, weights=hop1[s], minlength=n)
    return hop1, hop1 + decay * hop2


def compute_connectors(store, as_of, config) -> pa.Table:
    """Per-member graph parts (numpy) as an Arrow table; ``network_edges`` must exist."""
    net = config.section("network")
    conv = load_graph(store, CONVERSATION_KINDS)
    n = conv.n
    index = {m: i for i, m in enumerate(conv.ids)}
    expert = np.zeros(n)
    eg = load_graph(store, ("ask", "accept"))
    if eg.m:
        pr = expertise_rank(eg, float(net["pagerank_damping"]))
        pos = np.fromiter((index.get(m, -1) for m in eg.ids), dtype=np.int64, count=eg.n)
        expert[pos[pos >= 0]] = pr[pos >= 0]
    brok = approx_betweenness(n, conv.src, conv.dst, int(net["betweenness_samples"]), int(net["seed"]),
                              max_work=float(net["betweenness_max_work"]), error=float(net["betweenness_error"]))
    hop1, reach = decayed_reach(n, conv.src, conv.dst, float(net["reach_decay"]))
    # Reciprocity: share of the partners a member addressed who also addressed them.
    # load_graph sorts edges by (src, dst), so the keys are sorted: a binary search replaces np.isin's sort.
    key = conv.src.astype(np.int64) * max(n, 1) + conv.dst
    rev = conv.dst.astype(np.int64) * max(n, 1) + conv.src
    back = key[np.minimum(np.searchsorted(key, rev), max(len(key) - 1, 0))] == rev if len(key) else np.zeros(0, bool)
    out_partners = np.bincount(conv.src, minlength=n).astype(float)
    recip = np.divide(np.bincount(conv.src, weights=back.astype(float), minlength=n), out_partners,
                      out=np.zeros(n), where=out_partners > 0)
    return pa.table({"member_id": pa.array(conv.ids.tolist(), pa.string()), "expertise": expert, "brokerage": brok,
                     "responders": hop1, "reach": reach, "reciprocity": recip})


def write_connectors(store, as_of, config) -> int:
    """(Re)create ``network_connectors`` from ``network_edges`` and the content tree."""
    net = config.section("network")
    parts = compute_connectors(store, as_of, config)
    from reef.actions.privacy import register_mask_function

    register_mask_function(store.con)  # a name may hold a phone or WeChat id; the table feeds every surface
    with store.registered("_net_parts", parts):
        store.execute(f"""
        CREATE OR REPLACE TABLE network_connectors AS
        WITH mem AS (SELECT member_id, name FROM members_at($ts) WHERE coalesce(account_type, 'member') = 'member'),
        -- Poll votes are neither items nor follow-on talk: a vote picks an option.
        cc AS (SELECT content_id, author_id, parent_id FROM content_at($ts) WHERE kind <> 'poll_vote'),
        -- Follow-on replies come from member accounts (staff, brand and anonymous replies are service, not talk set off);
        -- a member who has left since still replied then.
        voices AS (SELECT member_id FROM members WHERE coalesce(account_type, 'member') = 'member'),
        kids AS (SELECT p.content_id, p.author_id, count(c.content_id) AS followon
                 FROM cc p LEFT JOIN cc c ON c.parent_id = p.content_id AND c.author_id IS DISTINCT FROM p.author_id
                                          AND c.author_id IN (SELECT member_id FROM voices)
                 WHERE p.author_id IN (SELECT member_id FROM mem) GROUP BY ALL),
        items AS (SELECT author_id AS member_id, count(*) AS items, sum(followon) AS followon_total,
                         list(content_id ORDER BY followon DESC, content_id)[1:$ex] AS examples
                  FROM kids GROUP BY 1),
        trust AS (SELECT dst AS member_id, count(DISTINCT src) AS distinct_others,
                         count(DISTINCT src) FILTER (WHERE kind = 'ask') AS askers,
                         count(DISTINCT src) FILTER (WHERE kind = 'mention') AS mentioners,
                         count(DISTINCT src) FILTER (WHERE kind = 'quote') AS quoters,
                         count(DISTINCT src) FILTER (WHERE kind = 'agree') AS agreers
                  FROM network_edges WHERE kind IN (SELECT unnest($trust)) GROUP BY 1),
        base AS (
            SELECT p.member_id, reef_mask_text(m.name) AS name, p.expertise, p.brokerage, p.responders, p.reach, p.reciprocity,
                   coalesce(i.items, 0) AS items, coalesce(i.followon_total, 0) AS followon_replies,
                   coalesce(i.followon_total, 0) / (coalesce(i.items, 0) + $prior) AS followon,
                   coalesce(t.distinct_others, 0) AS distinct_others, coalesce(t.askers, 0) AS askers,
                   coalesce(t.mentioners, 0) AS mentioners, coalesce(t.quoters, 0) AS quoters,
                   coalesce(t.agreers, 0) AS agreers, coalesce(i.examples, []) AS examples
            FROM _net_parts p JOIN mem m USING (member_id) LEFT JOIN items i USING (member_id)
            LEFT JOIN trust t USING (member_id)),
        q AS (SELECT {", ".join(f"greatest(quantile_cont({_COLUMN.get(p, p)}, $q), 1e-12) AS q_{p}" for p in _PARTS)} FROM base),
        ranked AS (
            SELECT base.*, {", ".join(f"round(least({_COLUMN.get(p, p)} / q_{p}, 1.0), 4) AS {p}_part" for p in _PARTS)},
                   items >= $bmin AND coalesce(followon_replies / greatest(items, 1), 0) < $bfollow AND reciprocity < $brecip
                   AS broadcaster
            FROM base, q)
        SELECT member_id, name,
               CASE WHEN broadcaster THEN 'broadcaster' WHEN distinct_others >= $dmin THEN 'connector' ELSE 'member' END AS role,
               round({" + ".join(f"$w_{p} * {p}_part" for p in _PARTS)}, 4) AS score,
               * EXCLUDE (member_id, name, broadcaster)
        FROM ranked""", {"ts": as_of, "ex": int(net["examples"]), "trust": list(TRUST_KINDS),
                         "bmin": int(net["broadcaster_min_posts"]), "bfollow": float(net["broadcaster_max_followon"]),
                         "brecip": float(net["broadcaster_max_reciprocity"]), "dmin": int(net["min_distinct_others"]),
                         "prior": float(net["followon_prior"]), "q": float(net["score_quantile"]),
                         **{f"w_{p}": float(net[f"{p}_weight"]) for p in _PARTS}})
    store.execute("""CREATE OR REPLACE TABLE network_connectors AS
        SELECT row_number() OVER (ORDER BY role = 'connector' DESC, score DESC, member_id) AS rank, *
        FROM network_connectors ORDER BY rank""")
    return int(store.fetch_value("SELECT count(*) FROM network_connectors"))


def connector_list(store, *, role: str = "connector", top: int = 20) -> list[dict]:
    """Rows of ``network_connectors`` with every score part, best first; ``role="all"`` for every member.

    Example:
        >>> from reef.store import open_store
        >>> s = open_store(":memory:")
        >>> _ = s.execute("CREATE TABLE network_connectors AS SELECT 1 AS rank, 'm1' AS member_id, 'connector' AS role")
        >>> [r["member_id"] for r in connector_list(s)]
        ['m1']
    """
    from reef.params import check_choice, check_positive

    check_choice("role", role, ("connector", "broadcaster", "member", "all"))
    check_positive("top", top)
    return store.fetch_dicts("SELECT * FROM network_connectors WHERE $role = 'all' OR role = $role ORDER BY rank LIMIT $top",
                             {"role": role, "top": top})
