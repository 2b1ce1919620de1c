"""Independent-cascade influence: reverse-influence sampling, IMM, Monte-Carlo spread.

Edges ``u -> v`` carry the probability that ``v`` takes a topic up from ``u``. Random
reverse-reachable (RR) sets and forward cascades are sampled many at a time with numpy
(a batch is a set of (sample, node) keys; each BFS level is a handful of array operations),
so there is no Python loop per edge or per node. ``imm`` follows Tang, Shi & Xiao (SIGMOD 2015):
it sizes the number of RR sets so that greedy max-coverage is within (1 - 1/e - eps) of the best
seed set with probability at least 1 - 1/n^l; the final selection uses fresh RR sets (Chen 2018).

Example:
    >>> import numpy as np
    >>> ic = CascadeGraph.from_edges(3, np.array([0, 0]), np.array([1, 2]), np.array([1.0, 1.0]))
    >>> imm(ic, 1, seed=1).seeds.tolist()
    [0]
    >>> round(monte_carlo(ic, [0], runs=50, seed=1)["mean"], 1)
    3.0
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["CascadeGraph", "IMMResult", "rr_sets", "greedy_cover", "imm", "monte_carlo", "rr_spread"]

_KEYS_PER_BATCH = 40_000_000  # bounds the visited bitmap (samples x nodes) of one batch
_EDGES_PER_STEP = 4_000_000  # bounds the edge arrays of one BFS step (memory)


@dataclass
class CascadeGraph:
    """CSR in both directions: ``out_*`` for forward cascades, ``in_*`` for reverse sampling."""

    n: int
    out_ptr: np.ndarray
    out_dst: np.ndarray
    out_p: np.ndarray
    in_ptr: np.ndarray
    in_src: np.ndarray
    in_p: np.ndarray

    @classmethod
    def from_edges(cls, n: int, src: np.ndarray, dst: np.ndarray, p: np.ndarray) -> "CascadeGraph":
        o = np.lexsort((dst, src))
        i = np.lexsort((src, dst))
        return cls(n, np.searchsorted(src[o], np.arange(n + 1)).astype(np.int64), dst[o].astype(np.int64), p[o],
                   np.searchsorted(dst[i], np.arange(n + 1)).astype(np.int64), src[i].astype(np.int64), p[i])


def _expand(ptr, nbr, prob, sample, node, rng):
    """One BFS level: every live edge out of the frontier (sample, node) pairs."""
    start, cnt = ptr[node], ptr[node + 1] - ptr[node]
    total = int(cnt.sum())
    if total == 0:
        return sample[:0], node[:0]
    offs = np.repeat(start - np.cumsum(cnt) + cnt, cnt) + np.arange(total)
    live = rng.random(total) < prob[offs]
    return np.repeat(sample, cnt)[live], nbr[offs[live]]


def _bfs(ptr, nbr, prob, n, roots: list[np.ndarray], rng, seen: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Reachable (sample, node) pairs from each sample's root nodes, batched; samples numbered from 0.

    ``seen``: an all-False scratch bitmap of at least len(roots) x n, left all-False again (callers running many
    batches pass one: allocating ~40 MB per batch cost most of a seed plan's minutes on a million members)."""
    sample = np.concatenate([np.full(len(r), i, dtype=np.int64) for i, r in enumerate(roots)]) if roots else np.zeros(0, np.int64)
    node = np.concatenate(roots).astype(np.int64) if roots else np.zeros(0, np.int64)
    return _reach(ptr, nbr, prob, n, len(roots), sample, node, rng, seen)


def _reach(ptr, nbr, prob, n, samples, sample, node, rng, seen):
    """:func:`_bfs` from its roots as (sample, node) arrays."""
    seen = np.zeros(samples * n, dtype=bool) if seen is None else seen
    keys = np.unique(sample * n + node)
    seen[keys] = True
    out = [keys]
    sample, node = np.divmod(keys, n)
    while len(sample):
        # Expand the frontier in slices so one level never materialises more than ~_EDGES_PER_STEP edges.
        deg = np.cumsum(ptr[node + 1] - ptr[node])
        if deg[-1] <= _EDGES_PER_STEP:  # one slice (what the cuts below come to), without their cost
            bounds = [len(node)]
        else:
            cuts = np.searchsorted(deg, np.arange(_EDGES_PER_STEP, int(deg[-1]) + _EDGES_PER_STEP, _EDGES_PER_STEP))
            bounds = np.unique(np.append(np.minimum(cuts + 1, len(node)), len(node)))
        found, lo = [], 0
        for hi in bounds:
            if hi > lo:
                s2, v2 = _expand(ptr, nbr, prob, sample[lo:hi], node[lo:hi], rng)
                k = np.unique(s2 * n + v2)
                found.append(k[~seen[k]])
                seen[found[-1]] = True
                lo = hi
        # one slice's keys are unique and sorted already (np.unique, then a mask)
        k = found[0] if len(found) == 1 else np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
        out.append(k)
        sample, node = np.divmod(k, n)
    allk = np.concatenate(out)
    seen[allk] = False  # every key set above is in allk: the scratch is clean for the next batch
    return np.divmod(allk, n)


def rr_sets(g: CascadeGraph, count: int, rng, candidates: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``count`` random RR sets as (set id, node) pairs; roots are uniform over all nodes."""
    batch = max(1, _KEYS_PER_BATCH // max(g.n, 1))
    ids, nodes, done = [], [], 0
    seen = np.zeros(min(batch, count) * g.n, dtype=bool) if count > 0 else None
    while done < count:
        b = min(batch, count - done)
        roots = rng.integers(0, g.n, size=b)  # one root per sample
        s, v = _reach(g.in_ptr, g.in_src, g.in_p, g.n, b, np.arange(b, dtype=np.int64), roots.astype(np.int64), rng, seen)
        ids.append(s + done)
        nodes.append(v)
        done += b
    return (np.concatenate(ids), np.concatenate(nodes)) if ids else (np.zeros(0, np.int64), np.zeros(0, np.int64))


def greedy_cover(n: int, set_id: np.ndarray, node: np.ndarray, n_sets: int, k: int,
                 allowed: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Greedy max coverage of RR sets by ``k`` allowed nodes; returns (seeds, covered fraction)."""
    seeds, frac, _ = _cover(n, set_id, node, n_sets, k, allowed)
    return seeds, frac


def _cover(n, set_id, node, n_sets, k, allowed):
    """:func:`greedy_cover` plus each seed's gain: the RR sets it newly covered when chosen (its marginal reach)."""
    by_node = np.argsort(node, kind="stable")
    node_ptr = np.searchsorted(node[by_node], np.arange(n + 1))
    by_set = np.argsort(set_id, kind="stable")
    set_ptr = np.searchsorted(set_id[by_set], np.arange(n_sets + 1))
    gain = np.bincount(node, minlength=n).astype(np.int64)
    if allowed is not None:
        gain[~allowed] = -1
    covered = np.zeros(n_sets, dtype=bool)
    seeds, gains = [], []
    for _ in range(min(k, n)):
        v = int(np.argmax(gain))
        if gain[v] < 0:
            break
        seeds.append(v)
        gains.append(int(gain[v]))
        sets = set_id[by_node[node_ptr[v]:node_ptr[v + 1]]]
        sets = sets[~covered[sets]]
        covered[sets] = True
        cnt = set_ptr[sets + 1] - set_ptr[sets]
        if len(sets):
            offs = np.repeat(set_ptr[sets] - np.cumsum(cnt) + cnt, cnt) + np.arange(int(cnt.sum()))
            np.subtract.at(gain, node[by_set[offs]], 1)
        gain[v] = -1
    return np.asarray(seeds, dtype=np.int64), float(covered.sum()) / max(n_sets, 1), np.asarray(gains, dtype=np.int64)


@dataclass
class IMMResult:
    seeds: np.ndarray
    estimate: float  # expected spread estimated from the final RR sets
    rr_sets: int
    epsilon: float
    marginal: np.ndarray | None = None  # per seed, in the order chosen: members it adds beyond the seeds before it


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def imm(g: CascadeGraph, k: int, *, epsilon: float = 0.3, l: float = 1.0, seed: int = 0,  # noqa: E741
        allowed: np.ndarray | None = None, max_sets: int = 20_000_000) -> IMMResult:
    """IMM seed selection (1 - 1/e - epsilon guarantee, failure probability 1/n^l)."""
    rng = np.random.default_rng(seed)
    n = g.n
    if n < 2 or k <= 0:
        return IMMResult(np.arange(min(k, n)), float(min(k, n)), 0, epsilon, np.ones(min(k, n)))
    k = min(k, n)
    l2 = l * (1 + math.log(2) / math.log(n))
    eps2 = math.sqrt(2) * epsilon
    lc = _log_comb(n, k)
    lam2 = (2 + 2 * eps2 / 3) * (lc + l2 * math.log(n) + math.log(max(math.log2(n), 1.0001))) * n / eps2 ** 2
    lb, ids, nodes, have = 1.0, np.zeros(0, np.int64), np.zeros(0, np.int64), 0
    for i in range(1, max(int(math.log2(n)), 2)):
        x = n / 2 ** i
        theta = min(int(math.ceil(lam2 / x)), max_sets)
        s, v = rr_sets(g, theta - have, rng)
        ids, nodes, have = np.concatenate([ids, s + have]), np.concatenate([nodes, v]), theta
        _, frac = greedy_cover(n, ids, nodes, have, k, allowed)
        if n * frac >= (1 + eps2) * x or theta >= max_sets:
            lb = n * frac / (1 + eps2)
            break
    alpha = math.sqrt(l2 * math.log(n) + math.log(2))
    beta = math.sqrt((1 - 1 / math.e) * (lc + l2 * math.log(n) + math.log(2)))
    lam_star = 2 * n * ((1 - 1 / math.e) * alpha + beta) ** 2 / epsilon ** 2
    theta = min(int(math.ceil(lam_star / max(lb, 1.0))), max_sets)
    s, v = rr_sets(g, theta, rng)  # fresh sets for the final selection
    seeds, frac, gains = _cover(n, s, v, theta, k, allowed)
    return IMMResult(seeds, n * frac, theta, epsilon, n * gains / max(theta, 1))


def monte_carlo(g: CascadeGraph, seeds, *, runs: int = 1000, seed: int = 0) -> dict:
    """Expected spread of ``seeds`` (seeds included) over ``runs`` cascades, with a 95% confidence interval."""
    seeds = np.unique(np.asarray(list(seeds), dtype=np.int64))
    if len(seeds) == 0:
        return {"mean": 0.0, "ci_low": 0.0, "ci_high": 0.0, "runs": runs}
    rng = np.random.default_rng(seed)
    batch = max(1, _KEYS_PER_BATCH // max(g.n, 1))
    sizes = []
    seen = np.zeros(min(batch, runs) * g.n, dtype=bool)
    for start in range(0, runs, batch):
        b = min(batch, runs - start)
        s, _ = _bfs(g.out_ptr, g.out_dst, g.out_p, g.n, [seeds] * b, rng, seen)
        sizes.append(np.bincount(s, minlength=b))
    x = np.concatenate(sizes).astype(float)
    half = 1.96 * x.std(ddof=1) / math.sqrt(len(x)) if len(x) > 1 else 0.0
    return {"mean": float(x.mean()), "ci_low": float(x.mean() - half), "ci_high": float(x.mean() + half), "runs": runs}


def rr_spread(g: CascadeGraph, seed_sets: dict, *, count: int = 100_000, seed: int = 0) -> dict:
    """Expected spread of each seed set from ``count`` fresh RR sets: n x P(a random RR set meets the set).

    Unbiased like Monte Carlo (Borgs et al. 2014), but one batch of RR sets serves every seed set and
    costs the size of the RR sets, not of the cascades: on a million members where a good plan reaches
    a sixth of the graph, forward cascades cost ~10M edge draws each. The 95% CI is the binomial one.
    """
    rng = np.random.default_rng(seed)
    set_id, node = rr_sets(g, count, rng)
    out = {}
    for name, seeds in seed_sets.items():
        hit = np.zeros(count, dtype=bool)
        hit[set_id[np.isin(node, np.asarray(list(seeds), dtype=np.int64))]] = True
        f = float(hit.mean())
        half = 1.96 * g.n * math.sqrt(f * (1 - f) / count)
        out[name] = {"mean": g.n * f, "ci_low": g.n * f - half, "ci_high": g.n * f + half, "runs": count, "method": "rr"}
    return out
