"""Who already works with whom: partner lists of the team candidates and tie strengths between them.

``write_partner_lists`` (part of the ``layers_role_fitness`` analysis) writes
``layers_team_partners``: for every candidate, their partners in ``network_edges`` over
``team.cohesion_kinds`` (both directions summed: decayed weight and count), the strongest
``team.max_partners`` of them as lists of ``hash(member_id)`` keys, and the full partner count.
A proposal then reads only the pooled members' rows (a few hundred) instead of scanning the
whole graph, which is what keeps it within seconds at a million members.

``load_ties`` turns those rows into three P x P matrices for the pooled members: the tie
strength (``1 - exp(-w / tie_scale)`` for a direct tie, else ``path2_weight`` x the cosine of the
two partner sets), direct interaction counts and shared partners (for the explanations).

Example:
    >>> from reef.store import open_store
    >>> from reef.config import load_config
    >>> s = open_store(":memory:")
    >>> tie, n, shared = load_ties(s, ["a", "b"], load_config(None).section("team"))
    >>> tie.shape, float(tie.sum())
    ((2, 2), 0.0)
"""
from __future__ import annotations

import numpy as np

__all__ = ["write_partner_lists", "load_ties"]


def write_partner_lists(store, config, candidates: str = "layers_role_fitness") -> int:
    """(Re)create ``layers_team_partners`` for the members of table ``candidates``; returns its rows."""
    c = config.section("team")
    if not store.table_exists("network_edges"):
        store.execute("""CREATE OR REPLACE TABLE layers_team_partners (member_id VARCHAR, degree BIGINT, partner_keys UBIGINT[],
                         partner_w DOUBLE[], partner_n BIGINT[])""")
        return 0
    store.execute(f"""
        CREATE OR REPLACE TABLE layers_team_partners AS
        WITH cand AS (SELECT member_id FROM {candidates}),
        k AS (SELECT unnest($kinds::VARCHAR[]) AS kind),
        e AS (SELECT src AS a, dst AS b, weight, n FROM network_edges SEMI JOIN k USING (kind) WHERE src IN (SELECT member_id FROM cand)
              UNION ALL
              SELECT dst, src, weight, n FROM network_edges SEMI JOIN k USING (kind) WHERE dst IN (SELECT member_id FROM cand)),
        pe AS (SELECT a, b, sum(weight)::DOUBLE AS w, sum(n)::BIGINT AS n FROM e GROUP BY ALL),
        r AS (SELECT *, count(*) OVER (PARTITION BY a) AS degree FROM pe
              QUALIFY row_number() OVER (PARTITION BY a ORDER BY w DESC, b) <= $maxp)
        SELECT a AS member_id, any_value(degree) AS degree, list(hash(b) ORDER BY w DESC, b) AS partner_keys,
               list(w ORDER BY w DESC, b) AS partner_w, list(n ORDER BY w DESC, b) AS partner_n
        FROM r GROUP BY 1 ORDER BY 1""", {"kinds": list(c["cohesion_kinds"]), "maxp": int(c["max_partners"])})
    return int(store.fetch_all("SELECT count(*) FROM layers_team_partners")[0][0])


def load_ties(store, ids: list[str], c: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tie strength, direct interaction counts and shared partners between ``ids`` (P x P each, zero diagonal)."""
    import pyarrow.compute as pc
    import scipy.sparse as sp

    n = len(ids)
    weight, direct_n, shared = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n))
    if n == 0 or not store.table_exists("layers_team_partners"):
        return weight, direct_n, shared
    tbl = store.fetch_arrow("""
        WITH ids AS (SELECT unnest($ids::VARCHAR[]) AS member_id, generate_subscripts($ids::VARCHAR[], 1) - 1 AS i)
        SELECT ids.i, hash(ids.member_id) AS key, coalesce(p.degree, 0) AS degree, coalesce(p.partner_keys, []) AS partner_keys,
               coalesce(p.partner_w, []) AS partner_w, coalesce(p.partner_n, []) AS partner_n
        FROM ids LEFT JOIN layers_team_partners p USING (member_id) ORDER BY ids.i""", {"ids": list(ids)})
    keys = tbl.column("key").to_numpy(zero_copy_only=False).astype(np.uint64)
    degree = tbl.column("degree").to_numpy(zero_copy_only=False).astype(float)
    lists = tbl.column("partner_keys")
    owner = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    pkeys = pc.list_flatten(lists).to_numpy(zero_copy_only=False).astype(np.uint64)
    pw = pc.list_flatten(tbl.column("partner_w")).to_numpy(zero_copy_only=False).astype(float)
    pn = pc.list_flatten(tbl.column("partner_n")).to_numpy(zero_copy_only=False).astype(float)
    if len(pkeys):
        order = np.argsort(keys, kind="stable")
        pos = np.minimum(np.searchsorted(keys[order], pkeys), n - 1)
        hit = keys[order][pos] == pkeys
        other = order[pos[hit]]
        np.add.at(weight, (owner[hit], other), pw[hit])
        np.add.at(direct_n, (owner[hit], other), pn[hit])
        # Lists are capped at max_partners: take the larger side so a tie seen from one end only still counts.
        weight, direct_n = np.maximum(weight, weight.T), np.maximum(direct_n, direct_n.T)
        _, col = np.unique(pkeys, return_inverse=True)
        b = sp.csr_matrix((np.ones(len(pkeys)), (owner, col.ravel())), shape=(n, int(col.max()) + 1))
        shared = (b @ b.T).toarray()
    np.fill_diagonal(shared, 0)
    np.fill_diagonal(weight, 0)
    np.fill_diagonal(direct_n, 0)
    direct = 1 - np.exp(-weight / float(c["tie_scale"]))
    # Shared partners as a cosine of the two partner sets: hubs share partners with everyone.
    norm = np.sqrt(np.maximum(degree, 1.0))
    two_step = float(c["path2_weight"]) * shared / np.outer(norm, norm)
    return np.maximum(direct, two_step), direct_n, shared
