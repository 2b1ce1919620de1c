"""Seeding plans (种子名单): whom to introduce a topic through so it spreads furthest.

The independent-cascade probability of ``u -> v`` is how often ``v`` actually replied to ``u``:
replies of ``v`` to ``u``'s items divided by ``u``'s items, capped at ``ic_max_prob`` (Goyal et al.
2010's Bernoulli estimate). IMM (``reef.network.influence``) picks the k seeds; a topic or circle
restricts the candidates to members who wrote on it; members who are over-asked, burning out, under an open
risk alert or already recruited for the topic are left out or flagged (:mod:`reef.network.seed_checks`): ``exclusions``
lists those left out of the candidates with why, each seed's ``flags`` what was kept but needs a look. The plan's expected reach is simulated with a 95% confidence interval next to the
usual baselines: top degree, top PageRank, k random members, and the brand accounts broadcasting.
Each seed comes with why it was chosen (``why``): the members it adds beyond the seeds chosen before it (IMM's
marginal coverage) and how many members take its topics up (its ties in the cascade graph).

Example:
    >>> from reef.store import open_store
    >>> from datetime import datetime, timezone
    >>> from reef.config import load_config
    >>> seed_plan(open_store(":memory:"), datetime(2026, 1, 1, tzinfo=timezone.utc), load_config(None), k=3)["seeds"]
    []
"""
from __future__ import annotations

from datetime import datetime

import numpy as np

from reef.network.campaign import check_member_ids, topic_terms
from reef.network.graph import Graph, require, to_igraph
from reef.network.influence import CascadeGraph, imm, monte_carlo, rr_spread
from reef.network.seed_checks import seed_checks

__all__ = ["load_cascade_graph", "seed_plan", "pynetim_imm"]


def load_cascade_graph(store, as_of: datetime, config) -> tuple[CascadeGraph, np.ndarray, np.ndarray]:
    """(graph, node ids, is_brand) with IC probabilities learned from reply frequency."""
    net = config.section("network")
    tbl = store.fetch_arrow("""
        WITH acc AS (SELECT member_id, coalesce(account_type, 'member') AS t FROM members_at($ts)),
        cc AS (SELECT content_id, author_id, parent_id FROM content_at($ts) WHERE author_id IN (SELECT member_id FROM acc)),
        items AS (SELECT author_id AS u, count(*) AS n FROM cc GROUP BY 1),
        rep AS (SELECT p.author_id AS u, c.author_id AS v, count(*) AS r FROM cc c JOIN cc p ON p.content_id = c.parent_id
                WHERE c.author_id <> p.author_id GROUP BY ALL),
        e AS (SELECT u, v, least(r / n, $pmax) AS p FROM rep JOIN items USING (u)
              WHERE r >= $rmin AND v IN (SELECT member_id FROM acc WHERE t = 'member')
                AND u IN (SELECT member_id FROM acc WHERE t IN ('member', 'brand', 'staff'))),
        ids AS (SELECT id, (row_number() OVER (ORDER BY id) - 1)::BIGINT AS k FROM (SELECT u AS id FROM e UNION SELECT v FROM e))
        SELECT a.k AS s, b.k AS d, e.p, NULL::VARCHAR AS id, NULL::BOOLEAN AS brand FROM e JOIN ids a ON a.id = e.u JOIN ids b ON b.id = e.v
        UNION ALL SELECT k, -1, NULL, id, id IN (SELECT member_id FROM acc WHERE t <> 'member') FROM ids""",
        {"ts": as_of, "pmax": float(net["ic_max_prob"]), "rmin": int(net["ic_min_replies"])})
    d = tbl.column("d").to_numpy()
    s = tbl.column("s").to_numpy()
    e = d >= 0
    n = int((~e).sum())
    ids = np.empty(n, dtype=object)
    brand = np.zeros(n, dtype=bool)
    # to_numpy, not to_pylist: the same str and bool values without a million-item Python list in between
    ids[s[~e]] = tbl.column("id").to_numpy(zero_copy_only=False)[~e]
    brand[s[~e]] = tbl.column("brand").to_numpy(zero_copy_only=False)[~e].astype(bool) if n else brand
    p = tbl.column("p").to_numpy(zero_copy_only=False)[e].astype(float)
    return CascadeGraph.from_edges(n, s[e].astype(np.int64), d[e].astype(np.int64), p), ids, brand


def _relevant(store, as_of, topic: str | None, circle: str | None) -> set[str] | None:
    if not topic and not circle:
        return None
    terms = topic_terms(topic)
    if circle and not store.fetch_value("SELECT count(*) FROM groups_at($ts) WHERE name = $c OR group_id = $c",
                                        {"ts": as_of, "c": circle}):
        from reef.errors import NotFoundError

        raise NotFoundError(f"No group named or with id '{circle}' in the store.", hint="Give the id or name of a board (the groups table).")
    rows = store.fetch_all("""
        SELECT DISTINCT c.author_id FROM content_at($ts) c LEFT JOIN groups_at($ts) g ON g.group_id = c.group_id
        -- both given: members who wrote on the topic in that group
        WHERE (len($terms) = 0 OR list_bool_or([contains(lower(coalesce(c.title, '') || coalesce(c.body, '')), lower(t)) FOR t IN $terms]))
          AND ($circle IS NULL OR g.name = $circle OR g.group_id = $circle)""", {"ts": as_of, "terms": terms or [], "circle": circle})
    return {r[0] for r in rows}


def _member_of(ids: np.ndarray, members: set[str]) -> np.ndarray:
    """``np.isin(ids, list(members))`` by hashing: on object ids isin compares every id with every member (a topic
    of 100k writers on a million members: ~18 minutes)."""
    return np.fromiter((i in members for i in ids), dtype=bool, count=len(ids)) if members else np.zeros(len(ids), bool)


def pynetim_imm(g: CascadeGraph, k: int, *, epsilon: float, seed: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """The registry's independent IMM (pynetim, C++) on the same graph, as a reference.

    pynetim cannot restrict candidates, so edges out of non-candidates are dropped (they can then
    only be chosen as worthless seeds, never profit from brand reach)."""
    pn = require("pynetim")
    src = np.repeat(np.arange(g.n), np.diff(g.out_ptr))
    keep = np.ones(len(src), bool) if allowed is None else allowed[src]
    graph = pn.IMGraph(list(zip(src[keep].tolist(), g.out_dst[keep].tolist())), weights=g.out_p[keep].tolist())
    chosen = pn.IMMAlgorithm(graph, "IC", epsilon=epsilon, random_seed=seed).run(k)
    back = graph.internal_to_original  # pynetim renumbers the nodes it saw
    return np.asarray(sorted(back[i] for i in chosen), dtype=np.int64)


def _no_plan(k: int, topic, circle, net, *, members: int, excluded: list[str], warning: str, empty: str,
             exclusions: list[dict] | None = None) -> dict:
    """An empty plan with the same keys as a real one, and why it is empty (``empty``: ``no_interactions`` or
    ``no_candidates``, for surfaces that word it in their own language; a real plan carries ``empty``: None)."""
    return {"k": k, "topic": topic, "circle": circle, "members": members, "candidates": 0, "excluded": excluded,
            "exclusions": exclusions or [], "rr_sets": 0, "epsilon": float(net["imm_epsilon"]), "seeds": [], "why": [], "plan": {}, "baselines": {},
            "warning": warning, "empty": empty}


def seed_plan(store, as_of: datetime, config, *, k: int | None = None, topic: str | None = None, circle: str | None = None,
              exclude: list[str] | None = None, runs: int | None = None, baselines: bool = True,
              reference: bool = False, seed: int | None = None, on_progress=None) -> dict:
    """Seeds chosen by IMM with their expected reach (95% CI) and the baselines' reach. ``k`` defaults to
    ``network.seed_k``; ``on_progress(step, done, total)`` hears the three steps (``graph``, ``imm``, ``reach``)."""
    from reef.params import check_positive

    net = config.section("network")
    seed = int(net["seed"]) if seed is None else int(seed)
    runs = check_positive("runs", int(net["mc_runs"]) if runs is None else runs)
    k = check_positive("k", int(net["seed_k"]) if k is None else k)
    progress = on_progress or (lambda step, done, total: None)
    progress("graph", 0, 3)
    if isinstance(exclude, str):  # one member id, not the letters of it
        exclude = [exclude]
    typed = check_member_ids(store, "exclude", list(exclude or []))  # a typo is refused even when there is no graph
    g, ids, brand = load_cascade_graph(store, as_of, config)
    if g.n == 0:
        return _no_plan(k, topic, circle, net, members=0, excluded=[], warning="No interactions between members yet at as_of.",
                        empty="no_interactions")
    checks = seed_checks(store, as_of, config, topic=topic, typed=typed)
    skip = {m for m, cs in checks.items() if any(c["exclude"] for c in cs)}
    eligible = ~brand  # a brand or staff account, or a member off the topic or circle, is no candidate to leave out
    relevant = _relevant(store, as_of, topic, circle)
    if relevant is not None:
        eligible &= _member_of(ids, relevant)
    allowed = eligible & ~_member_of(ids, skip)
    excluded = sorted(skip & set(ids[eligible].tolist()))
    exclusions = [{"member_id": m, "reasons": [c for c in checks[m] if c["exclude"]]} for m in excluded]
    if not allowed.any():  # IMM would sample RR sets toward its cap to pick from nobody
        return _no_plan(k, topic, circle, net, members=int((~brand).sum()), excluded=excluded, exclusions=exclusions,
                        warning="No member fits the topic, circle and exclusions: widen them to get a plan.", empty="no_candidates")
    progress("imm", 1, 3)
    res = imm(g, k, epsilon=float(net["imm_epsilon"]), l=float(net["imm_l"]), seed=seed, allowed=allowed)
    sets: dict[str, np.ndarray] = {"plan": res.seeds}
    if baselines:
        cand = np.flatnonzero(allowed)
        outdeg = np.diff(g.out_ptr)
        sets["top_degree"] = cand[np.argsort(-outdeg[cand], kind="stable")[:k]]
        rev = Graph(ids, g.out_dst.astype(np.int32), np.repeat(np.arange(g.n), outdeg).astype(np.int32), g.out_p,
                    np.ones(len(g.out_p), np.int64))
        pr = np.asarray(to_igraph(rev).pagerank(weights="weight")) if g.n else np.zeros(0)
        sets["top_pagerank"] = cand[np.argsort(-pr[cand], kind="stable")[:k]]
        rng = np.random.default_rng(seed)
        sets["random"] = rng.choice(cand, size=min(k, len(cand)), replace=False)
        if brand.any():
            sets["brand_broadcast"] = np.flatnonzero(brand)
    if reference:
        sets["pynetim_imm"] = pynetim_imm(g, k, epsilon=float(net["imm_epsilon"]), seed=seed, allowed=allowed)
    progress("reach", 2, 3)
    # Large graphs: one batch of fresh RR sets scores every set (unbiased, far cheaper than forward cascades there).
    if g.n > int(net["mc_max_members"]):
        reach = rr_spread(g, sets, count=int(net["rr_eval_sets"]), seed=seed + 1)
    else:  # the same cascades (seed) for every set, so differences are not sampling noise
        reach = {name: monte_carlo(g, s, runs=runs, seed=seed + 1) for name, s in sets.items()}
    for name, r in reach.items():  # how many accounts each set starts from (the brand accounts may be more than k)
        r["size"] = int(len(sets[name]))
    if "brand_broadcast" in reach:  # members reached beyond the brand accounts themselves
        nb = len(sets["brand_broadcast"])
        reach["brand_broadcast"] = {key: (v - nb if key in ("mean", "ci_low", "ci_high") else v)
                                    for key, v in reach["brand_broadcast"].items()}
    progress("done", 3, 3)
    outdeg = np.diff(g.out_ptr)
    # Why each seed, in the order IMM chose them: members it adds beyond the seeds before it, and its responders
    # (members with a reply tie to it: those who may take its topics up).
    # flags: checks that kept them a candidate (a flagged risk, already recruited) but the operator should see.
    why = [{"member_id": str(ids[i]), "order": n + 1, "marginal": float(m), "responders": int(outdeg[i]),
            "flags": [c for c in checks.get(str(ids[i]), []) if not c["exclude"]]}
           for n, (i, m) in enumerate(zip(res.seeds, res.marginal))]
    return {"k": k, "topic": topic, "circle": circle, "members": int((~brand).sum()), "candidates": int(allowed.sum()),
            "excluded": excluded, "exclusions": exclusions, "rr_sets": res.rr_sets, "epsilon": res.epsilon,
            "seeds": [str(ids[i]) for i in res.seeds], "why": why, "plan": reach.pop("plan"), "baselines": reach,
            "warning": None, "empty": None}
