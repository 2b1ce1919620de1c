"""Ripple tracking (涟漪扩散): who took a seeded topic up, through whom, ring by ring.

An *adopting item* is content on the topic: it belongs to the campaign, matches one of the
topic's terms, or sits in a thread started by an adopting item (for ``threads`` mode, every item
of the thread). Each item links to the adopter it came through: its parent item when it replies
inside the cascade (explicit reply/repost trees), otherwise the earlier adopter it quoted or
mentioned, otherwise the earlier adopter it last interacted with before adopting (implicit
adoption). A seed's items are ring 0. An item is reached when the member it links to was reached
before it, and its ring is that member's ring plus one; a member is reached at their earliest reached
item (an earlier unreached item does not count) and keeps its ring, which is their hop distance from
the seeds along the adoption links. So every reached member's link member is one ring nearer the
seeds and adopted no later, and following the links always ends at a seed.
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


def propagate_rings(group: np.ndarray, parent: np.ndarray, via_group: np.ndarray, seed: np.ndarray, *,
                    member_hops: bool = True) -> np.ndarray:
    """Item rings: 0 for a seed's items, else 1 + the ring of the member linked to; -1 unreached.

    Items are in time order. ``group`` is each item's (cascade, member) group, ``parent`` an item index or -1,
    ``via_group`` a group index or -1 (used when there is no parent), ``seed`` whether the item's author is a seed
    (a seed group is at ring 0 from its first item). An item links to the member of its parent item, else to its via
    member, and is reached when that member was reached before it (at an earlier item). A member is reached at their
    earliest reached item and keeps its ring: an item linking to them gets that ring + 1, so every reached member's
    link member is one ring nearer the seeds and reached earlier. The passes repeat until nothing changes; each
    settles at least one more ring, and the answer is the one a walk through the items in time order would give.

    ``member_hops=False`` (explicit reply trees, ``ripple_threads``): an item with a parent is one ring below its
    parent item when that item is reached (the tree depth, as Weibo counts repost levels), and only a seed's items
    without a parent are ring 0; items linked by ``via_group`` still take the member's ring + 1.
    """
    n = len(group)
    if not n:
        return np.zeros(0, dtype=np.int64)
    seed = seed.astype(bool)
    pos = np.arange(n)
    ng = int(group.max()) + 1
    psafe = np.maximum(parent, 0)
    by_item = (parent >= 0) if not member_hops else np.zeros(n, dtype=bool)
    link = np.where(parent >= 0, group[psafe], np.where(via_group >= 0, via_group, -1))
    by_member, safe = (link >= 0) & ~by_item, np.maximum(link, 0)
    seed_g = np.zeros(ng, dtype=bool)
    seed_g[group[seed]] = True
    first_any = np.full(ng, n, dtype=np.int64)
    np.minimum.at(first_any, group, pos)
    root = seed_g[group] if member_hops else seed & (parent < 0)
    reached_at = np.where(seed_g, first_any, n)  # a group's earliest reached item (n: not reached)
    gring = np.where(seed_g, 0, _BIG).astype(np.int64)
    ring = np.where(root, 0, _BIG).astype(np.int64)
    for _ in range(n + 2):
        ok_m = by_member & ~root & (reached_at[safe] < pos)
        ok_i = by_item & ~root & (ring[psafe] < _BIG)
        new = np.where(root, 0, np.where(ok_m, gring[safe] + 1, np.where(ok_i, ring[psafe] + 1, _BIG)))
        new = np.minimum(new, _BIG)
        hit = new < _BIG
        at = np.full(ng, n, dtype=np.int64)
        np.minimum.at(at, group[hit], pos[hit])
        at = np.where(seed_g, first_any, at)
        gr = np.where(seed_g, 0, np.where(at < n, new[np.minimum(at, n - 1)], _BIG))
        if np.array_equal(new, ring) and np.array_equal(at, reached_at) and np.array_equal(gr, gring):
            break
        ring, reached_at, gring = new, at, gr
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
               s.member_id IS NOT NULL AS seed
        FROM _rp_items i LEFT JOIN _rp_items p ON p.content_id = i.parent_id AND p.cascade = i.cascade
        LEFT JOIN vbest v ON v.pos = i.pos AND p.pos IS NULL
        LEFT JOIN _rp_seeds s ON s.cascade = i.cascade AND s.member_id = i.author_id
        ORDER BY i.pos""", {"ts": params["ts"]} if implicit else None)
    col = lambda c: tbl.column(c).to_numpy(zero_copy_only=False)  # noqa: E731
    # campaigns count hops between members; explicit reply trees (threads) count reply depth, as Weibo does
    rings = propagate_rings(col("grp"), col("parent"), col("vgrp"), col("seed"), member_hops=implicit)
    ring_tbl = pa.table({"pos": col("pos"), "ring": rings, "link_member": tbl.column("link_member")})
    with store.registered("_rp_rings", ring_tbl):
        out = store.fetch_arrow("""
            WITH j AS (SELECT i.*, nullif(r.ring, -1) AS ring, r.link_member, s.member_id IS NOT NULL AS seed
                       FROM _rp_items i JOIN _rp_rings r USING (pos)
                       LEFT JOIN _rp_seeds s ON s.cascade = i.cascade AND s.member_id = i.author_id),
            -- a member adopted with their earliest reached item, a seed with their first (at ring 0 even when it was
            -- a reply inside someone else's thread); a member never reached is listed from their first item, no ring
            m AS (SELECT cascade, author_id AS member_id, count(*) AS items, bool_or(seed) AS seed,
                         CASE WHEN bool_or(seed) THEN min(pos)
                              ELSE coalesce(min(pos) FILTER (WHERE ring IS NOT NULL), min(pos)) END AS at_pos
                  FROM j GROUP BY ALL),
            a AS (SELECT m.cascade, m.member_id, CASE WHEN m.seed THEN 0 ELSE j.ring END AS ring, j.link_member,
                         j.created_at AS adopted_at, j.content_id, m.items FROM m JOIN j ON j.pos = m.at_pos)
            SELECT cascade, member_id, ring, CASE WHEN coalesce(ring, 0) = 0 THEN NULL ELSE link_member END AS via_member_id,
                   adopted_at, content_id, items FROM a
            ORDER BY cascade, ring NULLS LAST, adopted_at, member_id""")
    store.execute("DROP TABLE IF EXISTS _rp_items; DROP TABLE IF EXISTS _rp_seeds")
    return out


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
