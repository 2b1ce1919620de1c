"""Interest groups (兴趣小组): circles found from ties and terms, named by their top terms.

``fit_circles`` gathers the inputs (``network_edges`` of the ``circle_edge_kinds``, each tie weighing
kind weight x ln(1 + acts), both directions summed; :func:`reef.layers.terms.member_terms`) and fits
:class:`reef.layers.circles.InterestCircles`. ``write_circles`` writes

* ``layers_circle_members`` — one row per member with a circle: ``circle_id``, ``confidence`` (share of the
  winning circle in the member's mix), ``graph_part`` / ``text_part`` (what ties and terms gave it),
  ``second_circle_id``, ``seed`` (in the Leiden community that seeded it), ``ties``, ``terms``;
* ``layers_circles`` — one row per circle: ``name`` (top ``name_terms`` terms), ``top_terms`` with their
  scores (p(t|c) x ln(p(t|c) / p(t)), the term's share of the circle's KL divergence from the community),
  ``size``, ``seed_size``, ``share``, ``main_board`` (the group its members post most in).

Circles are numbered ``c01``, ``c02`` … by size. Health, growth and leaders are added by
:mod:`reef.layers.health` and :mod:`reef.layers.leaders`.

Example:
    >>> import numpy as np
    >>> top_terms(np.array([[4.0, 0.0, 1.0], [0.0, 4.0, 1.0]]), np.array(["#改装", "影音", "@外观"]), 2)[0]
    [('改装', 0.555)]
    >>> [t for t, _ in top_terms(np.array([[5.0, 4, 3, 2, 0], [0, 0, 0, 0, 5]]), np.array(["#充电与续航", "续航", "@续航与充电", "@价格", "改装"]), 3)[0]]
    ['充电与续航', '价格']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from reef.layers.circles import InterestCircles
from reef.layers.common import write_table
from reef.layers.terms import MemberTerms, display_term, member_terms
from reef.lazy import lazy_module

sparse = lazy_module("scipy.sparse")

__all__ = ["CircleFit", "fit_circles", "write_circles", "top_terms", "same_idea", "circle_graph"]


@dataclass
class CircleFit:
    """Members (``ids``), the fitted model, their terms and tie counts; ``circle_ids[k]`` names circle k."""

    ids: np.ndarray
    model: InterestCircles
    terms: MemberTerms
    counts: sparse.csr_matrix  # term counts aligned with ids
    ties: np.ndarray
    circle_ids: list[str]
    labels: np.ndarray  # final circle index per member (renumbered by size), -1 none
    renumber: np.ndarray  # model circle index -> final index (-1: circle left empty)


def circle_graph(store, params: dict) -> tuple[pa.Table, list[str]]:
    """Undirected-to-be tie weights ``(src, dst, w)`` from ``network_edges`` of the circle edge kinds."""
    kinds = {k: float(v) for k, v in dict(params["circle_edge_kinds"]).items() if float(v) > 0}
    if not store.table_exists("network_edges") or not kinds:
        return pa.table({"src": pa.array([], pa.string()), "dst": pa.array([], pa.string()), "w": pa.array([], pa.float64())}), []
    tbl = store.fetch_arrow("""
        WITH kw AS (SELECT unnest($kinds) AS kind, unnest($weights) AS kw)
        SELECT src, dst, sum(kw * ln(1 + n))::DOUBLE AS w FROM network_edges JOIN kw USING (kind) GROUP BY ALL""",
        {"kinds": list(kinds), "weights": list(kinds.values())})
    return tbl, list(kinds)


def fit_circles(store, as_of: datetime, params: dict) -> CircleFit:
    """Fit the circles of every member with a tie or a term at ``as_of``."""
    mt = member_terms(store, as_of, params)
    edges, _ = circle_graph(store, params)
    term_ids = pa.array(mt.ids.tolist(), pa.string())
    ids = pc.unique(pa.chunked_array([term_ids] + edges.column("src").chunks + edges.column("dst").chunks, pa.string()))
    ids = ids.take(pc.sort_indices(ids))
    n = len(ids)
    si = pc.index_in(edges.column("src"), value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)
    di = pc.index_in(edges.column("dst"), value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)
    A = sparse.csr_matrix((edges.column("w").to_numpy(zero_copy_only=False), (si, di)), shape=(n, n))
    A = (A + A.T).tocsr()
    ti = pc.index_in(term_ids, value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)
    place = sparse.csr_matrix((np.ones(len(ti)), (ti, np.arange(len(ti)))), shape=(n, len(ti)))
    X = (place @ mt.tfidf).tocsr() if len(ti) else sparse.csr_matrix((n, 0))
    counts = (place @ mt.counts).tocsr() if len(ti) else sparse.csr_matrix((n, 0))
    model = InterestCircles(resolution=float(params["leiden_resolution"]), min_size=int(params["min_circle_size"]),
                            min_share=float(params["min_circle_share"]), min_ratio=float(params["min_circle_ratio"]),
                            max_circles=int(params["max_circles"]),
                            alpha=float(params["graph_alpha"]), temperature=float(params["text_temperature"]),
                            iterations=int(params["spread_iterations"]), fallback=int(params["fallback_circles"]),
                            seed=int(params["seed"])).fit(A, X)
    # Renumber circles by final size so c01 is the largest.
    sizes = np.bincount(model.labels_[model.labels_ >= 0], minlength=model.n_circles_)
    order = np.argsort(-sizes, kind="stable")
    keep = [k for k in order if sizes[k] > 0]
    new = np.full(max(model.n_circles_, 1), -1)
    new[keep] = np.arange(len(keep))
    labels = np.where(model.labels_ >= 0, new[np.maximum(model.labels_, 0)], -1)
    width = max(2, len(str(len(keep))))
    return CircleFit(np.asarray(ids.to_pylist(), dtype=object), model, mt, counts, np.diff(A.indptr),
                     [f"c{i + 1:0{width}d}" for i in range(len(keep))], labels, new)


_JOINERS = re.compile(r"[与和及、&/]")


def same_idea(a: str, b: str) -> bool:
    """Whether two display terms name one idea, so a circle's name says it once: one holds the other (续航 in 续航与充电,
    安全 in 安全性), or they join the same words (充电与续航 and the aspect 续航与充电).

    >>> same_idea("充电与续航", "续航与充电"), same_idea("续航", "充电与续航"), same_idea("安全", "安全性"), same_idea("价格", "性价比")
    (True, True, True, False)
    """
    x, y = a.lower(), b.lower()
    if x in y or y in x:
        return True
    px, py = {w for w in _JOINERS.split(x) if w}, {w for w in _JOINERS.split(y) if w}
    return len(px | py) > 1 and (px <= py or py <= px)


def top_terms(mass: np.ndarray, terms: np.ndarray, k: int, exclude=()) -> list[list[tuple[str, float]]]:
    """Per circle (row of ``mass``: summed term counts), the ``k`` terms with the largest p(t|c) ln(p(t|c)/p(t)),
    shown without their #/@ markers, each idea once (a term naming the same idea as a better one, :func:`same_idea`,
    is left out: the tag 充电与续航 stands for the aspect 续航与充电 and the word 续航); display terms in ``exclude`` (any
    case) are skipped."""
    exclude = {str(t).lower() for t in exclude}
    total = mass.sum()
    out = []
    if total <= 0:
        return [[] for _ in range(mass.shape[0])]
    p_t = mass.sum(axis=0) / total
    for row in mass:
        s = row.sum()
        if s <= 0:
            out.append([])
            continue
        p = row / s
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(p > 0, p * np.log(p / np.maximum(p_t, 1e-300)), 0.0)
        picked, seen = [], set()
        for j in np.argsort(-score, kind="stable"):
            if score[j] <= 0 or len(picked) >= k:
                break
            name = display_term(str(terms[j]))
            if name not in seen and name.lower() not in exclude and not any(same_idea(name, t) for t, _ in picked):
                seen.add(name)
                picked.append((name, round(float(score[j]), 3)))
        out.append(picked)
    return out


def write_circles(store, as_of: datetime, fit: CircleFit, params: dict) -> int:
    """Write ``layers_circle_members`` and ``layers_circles`` (without health and leaders)."""
    m = fit.model
    has = fit.labels >= 0
    k = len(fit.circle_ids)
    cid = np.asarray(fit.circle_ids + [None], dtype=object)
    proba = m.proba_
    second = np.full(len(fit.ids), -1)
    second_conf = np.zeros(len(fit.ids), np.float32)
    if proba.shape[1] > 1:
        rest = proba.copy()
        rest[np.arange(len(rest)), np.maximum(m.labels_, 0)] = -1.0  # the runner-up, never the circle itself (ties)
        two = rest.argmax(axis=1)
        second_conf = np.maximum(proba[np.arange(len(two)), two], 0)
        second = np.where(second_conf > 0, fit.renumber[two], -1)
    conf = np.where(has, proba.max(axis=1) if proba.shape[1] else 0.0, 0.0)
    term_n = np.diff(fit.counts.indptr) if fit.counts.shape[1] else np.zeros(len(fit.ids), np.int64)
    members = pa.table({
        "member_id": pa.array(fit.ids[has].tolist(), pa.string()),
        "circle_id": pa.array(cid[fit.labels[has]].tolist(), pa.string()),
        "confidence": pa.array(np.round(conf[has], 4), pa.float64()),
        "graph_part": pa.array(np.round(m.graph_part_[has].astype(float), 4), pa.float64()),
        "text_part": pa.array(np.round(m.text_part_[has].astype(float), 4), pa.float64()),
        "second_circle_id": pa.array(cid[second[has]].tolist(), pa.string()),
        "second_confidence": pa.array(np.round(second_conf[has].astype(float), 4), pa.float64()),
        "seed": pa.array((m.seeds_ >= 0)[has] & (m.seeds_[has] == m.labels_[has])),
        "ties": pa.array(fit.ties[has].astype(np.int64)),
        "terms": pa.array(term_n[has].astype(np.int64)),
    })
    write_table(store, "layers_circle_members", members)
    Y = sparse.csr_matrix((np.ones(int(has.sum())), (np.flatnonzero(has), fit.labels[has])), shape=(len(fit.ids), max(k, 1)))
    mass = np.asarray((Y.T @ fit.counts).todense()) if fit.counts.shape[1] else np.zeros((k, 0))
    named = top_terms(mass[:k], fit.terms.terms if fit.counts.shape[1] else np.array([], dtype=object), int(params["top_terms"]),
                      params.get("name_stopwords", ()))
    sizes = np.bincount(fit.labels[has], minlength=k)
    seed_sizes = np.bincount(fit.labels[has & (m.seeds_ >= 0)], minlength=k) if has.any() else np.zeros(k, int)
    circles = pa.table({
        "circle_id": pa.array(fit.circle_ids, pa.string()),
        "rank": pa.array(np.arange(1, k + 1), pa.int64()),
        "name": pa.array(["·".join(t for t, _ in terms[: int(params["name_terms"])]) or cid_ for terms, cid_ in zip(named, fit.circle_ids)],
                         pa.string()),
        "top_terms": pa.array([[t for t, _ in terms] for terms in named], pa.list_(pa.string())),
        "term_scores": pa.array([[s for _, s in terms] for terms in named], pa.list_(pa.float64())),
        "size": pa.array(sizes[:k].astype(np.int64)),
        "seed_size": pa.array(seed_sizes[:k].astype(np.int64)),
        "share": pa.array(np.round(sizes[:k] / max(int(has.sum()), 1), 4), pa.float64()),
    })
    write_table(store, "layers_circles", circles)
    store.execute("""
        CREATE OR REPLACE TABLE layers_circles AS
        WITH posts AS (SELECT m.circle_id, c.group_id, count(*) AS n FROM content_at($ts) c
                       JOIN layers_circle_members m ON m.member_id = c.author_id WHERE c.group_id IS NOT NULL GROUP BY ALL),
        board AS (SELECT circle_id, arg_max(group_id, n) AS group_id FROM posts GROUP BY 1)
        SELECT l.*, b.group_id AS main_board_id, g.name AS main_board FROM layers_circles l LEFT JOIN board b USING (circle_id)
        LEFT JOIN groups_at($ts) g ON g.group_id = b.group_id ORDER BY l.rank""", {"ts": as_of})
    return int(has.sum())
