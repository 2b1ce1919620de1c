"""Ripple tracking (涟漪扩散): who took a seeded topic up, through whom, ring by ring.

An *adopting item* is content on the topic: it belongs to the campaign, matches one of the
topic's terms, or sits in a thread started by an adopting item (for ``threads`` mode, every item
of the thread). Each item links to the adopter it came through: its parent item when it replies
inside the cascade (explicit reply/repost trees), otherwise the earlier adopter it quoted or
mentioned, otherwise the earlier adopter it last interacted with before adopting (implicit
adoption). Items of a seed that link to nobody are ring 0; an item's ring is its link's ring
plus one; a member's ring is the ring of the item they adopted with (their first), which is their
hop distance from the seeds along the adoption links.
Rings are computed with vectorized numpy passes (one pass per ring), never a Python loop per item.

Example:
    >>> import numpy as np
    >>> propagate_rings(np.array([0, 1, 2]), np.array([-1, 0, 1]), np.array([-1, -1, -1]),
    ...                 np.array([True, False, False])).tolist()
    [0, 1, 2]
"""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

__all__ = ["propagate_rings", "ripple_items", "ripple_threads", "ripple", "write_campaign_ripples"]

_BIG = np.iinfo(np.int32).max


def bound(sql: str, params: dict) -> dict:
    """Only the parameters ``sql`` names (DuckDB refuses extra ones)."""
    used = set(re.findall(r"\$(\w+)", sql))
    return {k: v for k, v in params.items() if k in used}


def propagate_rings(group: np.ndarray, parent: np.ndarray, via_group: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """Item rings: seeds 0, else 1 + ring of the parent item or of the via member group; -1 unreached.

    Items are in time order. ``group`` is each item's (cascade, member) group, ``parent`` an item
    index or -1, ``via_group`` a group index or -1 (used when there is no parent); a group's ring is
    the ring of its first item (the member adopted with it).
    """
    n = len(group)
    ring = np.where(seed, 0, _BIG).astype(np.int64)
    ng = int(group.max()) + 1 if n else 0
    first = np.full(ng, n, dtype=np.int64)
    np.minimum.at(first, group, np.arange(n))  # items come in time order: a member's ring is their first item's
    has_p, has_v = parent >= 0, (parent < 0) & (via_group >= 0)
    for _ in range(n + 1):
        gring = ring[first]
        cand = ring.copy()
        cand[has_p] = np.minimum(cand[has_p], ring[parent[has_p]] + 1)
        cand[has_v] = np.minimum(cand[has_v], gring[via_group[has_v]] + 1)
        cand = np.minimum(cand, _BIG)
        if np.array_equal(cand, ring):
            break
        ring = cand
    return np.where(ring >= _BIG, -1, ring)


def ripple_items(store, items_sql: str, seeds_sql: str, params: dict, *, implicit: bool) -> pa.Table:
    """Adopters table from adopting items ``(cascade, content_id, author_id, created_at, parent_id)`` and seeds
    ``(cascade, member_id)``: cascade, member_id, ring, via_member_id, seed_member_id, adopted_at, content_id, items."""
    store.execute(f"""CREATE OR REPLACE TEMP TABLE _rp_items AS
        SELECT (row_number() OVER (ORDER BY cascade, created_at, content_id) - 1)::BIGINT AS pos,
               dense_rank() OVER (ORDER BY cascade, author_id) - 1 AS grp, * FROM ({items_sql})""", bound(items_sql, params))
    store.execute(f"CREATE OR REPLACE TEMP TABLE _rp_seeds AS SELECT DISTINCT cascade, member_id FROM ({seeds_sql})", bound(seeds_sql, params))
    # Implicit links: the earlier adopter quoted or mentioned in the item, else the last one interacted with before.
    via = """, vq AS (SELECT i.pos, a.grp, a.author_id AS via, 1 AS pri, NULL::TIMESTAMPTZ AS act_at
                 FROM _rp_items i JOIN interactions_at($ts) x ON x.related_content_id = i.content_id
                 LEFT JOIN content_at($ts) t ON t.content_id = x.target_content_id
                 JOIN first a ON a.cascade = i.cascade AND a.author_id = coalesce(x.target_member_id, t.author_id)
                 WHERE x.kind IN ('quote', 'mention') AND a.act_at < i.created_at AND a.author_id <> i.author_id
               UNION ALL
               SELECT i.pos, a.grp, a.author_id, 2, x.created_at
                 FROM _rp_items i JOIN interactions_at($ts) x ON x.actor_id = i.author_id AND x.created_at <= i.created_at
                 JOIN content_at($ts) t ON t.content_id = x.target_content_id
                 JOIN first a ON a.cascade = i.cascade AND a.author_id = t.author_id
                 WHERE a.act_at < x.created_at AND a.author_id <> i.author_id
               UNION ALL
               SELECT i.pos, a.grp, a.author_id, 2, r.created_at
                 FROM _rp_items i JOIN content_at($ts) r ON r.author_id = i.author_id AND r.created_at <= i.created_at
                 JOIN content_at($ts) t ON t.content_id = r.parent_id
                 JOIN first a ON a.cascade = i.cascade AND a.author_id = t.author_id
                 WHERE a.act_at < r.created_at AND a.author_id <> i.author_id),
           vbest AS (SELECT pos, arg_min(grp, pri * 1e12 - coalesce(epoch(act_at), 0)) AS vgrp,
                            arg_min(via, pri * 1e12 - coalesce(epoch(act_at), 0)) AS via FROM vq GROUP BY 1)""" if implicit else \
        ", vbest AS (SELECT NULL::BIGINT AS pos, NULL::BIGINT AS vgrp, NULL::VARCHAR AS via WHERE false)"
    tbl = store.fetch_arrow(f"""
        WITH first AS (SELECT cascade, author_id, grp, min(created_at) AS act_at FROM _rp_items GROUP BY ALL){via}
        SELECT i.pos, i.grp, coalesce(p.pos, -1) AS parent, coalesce(v.vgrp, -1) AS vgrp,
               coalesce(p.author_id, v.via) AS link_member,
               (s.member_id IS NOT NULL AND p.pos IS NULL) AS seed
        FROM _rp_items i LEFT JOIN _rp_items p ON p.content_id = i.parent_id AND p.cascade = i.cascade
        LEFT JOIN vbest v ON v.pos = i.pos AND p.pos IS NULL
        LEFT JOIN _rp_seeds s ON s.cascade = i.cascade AND s.member_id = i.author_id
        ORDER BY i.pos""", {"ts": params["ts"]} if implicit else None)
    col = lambda c: tbl.column(c).to_numpy(zero_copy_only=False)  # noqa: E731
    rings = propagate_rings(col("grp"), col("parent"), col("vgrp"), col("seed"))
    ring_tbl = pa.table({"pos": col("pos"), "ring": rings, "link_member": tbl.column("link_member")})
    with store.registered("_rp_rings", ring_tbl):
        return store.fetch_arrow("""
            WITH j AS (SELECT i.*, r.ring, r.link_member FROM _rp_items i JOIN _rp_rings r USING (pos)),
            -- a member's ring is that of their first item; a seed is at ring 0 even when their first item on the
            -- topic was a reply inside someone else's thread
            m AS (SELECT j.cascade, j.author_id AS member_id, min(j.created_at) AS adopted_at,
                         arg_min(j.content_id, j.created_at) AS content_id, count(*) AS items,
                         CASE WHEN bool_or(s.member_id IS NOT NULL) THEN 0 ELSE nullif(arg_min(j.ring, j.pos), -1) END AS ring,
                         arg_min(j.link_member, j.pos) AS via_member_id
                  FROM j LEFT JOIN _rp_seeds s ON s.cascade = j.cascade AND s.member_id = j.author_id
                  GROUP BY j.cascade, j.author_id)
            SELECT cascade, member_id, ring, CASE WHEN coalesce(ring, 0) = 0 THEN NULL ELSE via_member_id END AS via_member_id,
                   adopted_at, content_id, items FROM m ORDER BY cascade, ring NULLS LAST, adopted_at""")
        store.execute("DROP TABLE IF EXISTS _rp_items; DROP TABLE IF EXISTS _rp_seeds")


def ripple_threads(store, as_of, thread_ids: list[str] | None = None) -> pa.Table:
    """Rings of explicit reply/repost trees: each thread is a cascade seeded by its author."""
    where = "AND c.thread_id IN (SELECT unnest($threads))" if thread_ids is not None else ""
    params = {"ts": as_of, **({"threads": list(thread_ids)} if thread_ids is not None else {})}
    items = f"""SELECT c.thread_id AS cascade, c.content_id, c.author_id, c.created_at, c.parent_id
                FROM content_at($ts) c WHERE c.thread_id IS NOT NULL AND c.author_id IS NOT NULL {where}"""
    seeds = f"""SELECT c.thread_id AS cascade, c.author_id AS member_id FROM content_at($ts) c
                WHERE c.content_id = c.thread_id {where}"""
    return ripple_items(store, items, seeds, params, implicit=False)


from reef.network.campaign import ripple, write_campaign_ripples  # noqa: E402 - campaign mode builds on the above
