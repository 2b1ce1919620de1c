"""Interest circles from whom members talk to and what they write about.

1. **Seeds from the graph.** Leiden (igraph's ``community_leiden``, RB modularity at ``resolution``,
   seeded) on the undirected interaction graph. Communities of at
   least ``min_size`` members, ``min_share`` of the graph and ``min_ratio`` x the median size of the
   others seed the circles, the largest ``max_circles`` of them.
2. **Text match.** Each circle's centroid of its seed members' TF-IDF rows; a member's text match is a
   softmax of the cosines with the centroids at ``temperature``.
3. **Voting.** ``P = alpha x (share of the member's tie weight in each circle) + (1 - alpha) x text match``,
   repeated ``iterations`` times, the ties voting with their current circles (members without ties use
   text only, members without text use ties only). The circle of a member is the arg max; ``proba_``
   keeps the mix.

Without any seed community (a store with no interactions) the seeds come from k-means clusters of
the term rows (``fallback`` of them). Deterministic for a given ``seed``.

Example:
    >>> import numpy as np
    >>> from scipy import sparse
    >>> blocks = sparse.block_diag([np.ones((4, 4)) - np.eye(4)] * 2).tocsr()
    >>> model = InterestCircles(min_size=3, min_share=0.0).fit(blocks, sparse.csr_matrix((8, 0)))
    >>> model.labels_.tolist()
    [0, 0, 0, 0, 1, 1, 1, 1]
"""
from __future__ import annotations

import numpy as np

from reef.errors import MissingDependencyError
from reef.lazy import lazy_module

sparse = lazy_module("scipy.sparse")

__all__ = ["InterestCircles", "leiden"]


def leiden(adjacency: sparse.spmatrix, *, resolution: float = 1.0, seed: int = 7) -> np.ndarray:
    """Community of every node of an undirected weighted graph (upper triangle of ``adjacency`` is read).

    igraph's compiled Leiden on RB modularity, its random generator seeded for repeatable results. (The
    ``leidenalg`` package optimises the same objective; on a 200k-member graph it took 12.5 s of CPU
    against 0.66 s here, with the same AMI on the simulator, so Reef does not need it.)
    """
    n = adjacency.shape[0]
    upper = sparse.triu(adjacency, k=1).tocoo()
    if upper.nnz == 0:
        return np.arange(n)
    try:
        import igraph as ig
    except ImportError:
        raise MissingDependencyError("igraph", "network") from None
    import random

    graph = ig.Graph(n=n, edges=np.column_stack([upper.row, upper.col]), directed=False)
    ig.set_random_number_generator(random.Random(seed))
    try:
        part = graph.community_leiden(objective_function="modularity", weights=upper.data.astype(float).tolist(),
                                      resolution=resolution, n_iterations=2)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(part.membership)


def _row_normalise(m: np.ndarray) -> np.ndarray:
    s = m.sum(axis=1, keepdims=True)
    return np.divide(m, s, out=np.zeros_like(m), where=s > 0)


class InterestCircles:
    """Circles from an interaction graph ``A`` (n x n, symmetric) and term rows ``X`` (n x V, L2-normalised)."""

    def __init__(self, *, resolution: float = 1.0, min_size: int = 20, min_share: float = 0.005, min_ratio: float = 0.25,
                 max_circles: int = 30, alpha: float = 0.5, temperature: float = 20.0, iterations: int = 3, fallback: int = 8, seed: int = 7):
        self.resolution, self.min_size, self.min_share, self.max_circles = resolution, min_size, min_share, max_circles
        self.min_ratio = min_ratio
        self.alpha, self.temperature, self.iterations, self.fallback, self.seed = alpha, temperature, iterations, fallback, seed

    def _seeds(self, A: sparse.csr_matrix, X: sparse.csr_matrix, has_ties: np.ndarray) -> np.ndarray:
        """Seed circle of each node (-1 outside every seed community), circles numbered by size."""
        n = A.shape[0]
        seeds = np.full(n, -1)
        if has_ties.any():
            community = leiden(A, resolution=self.resolution, seed=self.seed)
            community[~has_ties] = -1  # isolated nodes are their own singletons: not seeds
            sizes = np.bincount(community[community >= 0], minlength=1)
            floor = max(self.min_size, self.min_share * int(has_ties.sum()))
            first = np.full(len(sizes), n)  # ties in size: the community holding the lower node id comes first
            np.minimum.at(first, community[community >= 0], np.flatnonzero(community >= 0))
            big = [c for c in np.lexsort((first, -sizes)) if sizes[c] >= floor][: self.max_circles]
            # A community far smaller than the typical circle is a splinter of one (its members re-vote below).
            if big:
                typical = float(np.median(sizes[big]))
                big = [c for c in big if sizes[c] >= self.min_ratio * typical]
            remap = np.full(len(sizes), -1)
            remap[big] = np.arange(len(big))
            seeds[community >= 0] = remap[community[community >= 0]]
        if (seeds >= 0).any() or X.shape[1] == 0 or X.nnz == 0:
            return seeds
        return self._topic_seeds(X)

    def _topic_seeds(self, X: sparse.csr_matrix) -> np.ndarray:
        """No seed community in the graph: k-means clusters of the (L2-normalised) term rows seed the circles instead."""
        from sklearn.cluster import KMeans, MiniBatchKMeans

        has = np.flatnonzero(X.getnnz(axis=1) > 0)
        k = max(1, min(self.fallback, len(has) - 1))
        if k < 2:
            return np.full(X.shape[0], -1)
        model = (KMeans(k, n_init=4, random_state=self.seed) if len(has) <= 50_000 else
                 MiniBatchKMeans(k, n_init=3, random_state=self.seed, batch_size=4096))
        found = model.fit_predict(X[has])
        sizes = np.bincount(found, minlength=k)
        keep = [c for c in np.argsort(-sizes, kind="stable") if sizes[c] >= min(self.min_size, max(2, len(has) // (4 * k)))]
        remap = np.full(k, -1)
        remap[keep] = np.arange(len(keep))
        seeds = np.full(X.shape[0], -1)
        seeds[has] = remap[found]
        return seeds

    def fit(self, A: sparse.spmatrix, X: sparse.spmatrix) -> "InterestCircles":
        A = sparse.csr_matrix(A, dtype=np.float64)
        X = sparse.csr_matrix(X, dtype=np.float64)
        n = A.shape[0]
        has_ties = np.asarray(A.getnnz(axis=1) > 0)
        has_text = np.asarray(X.getnnz(axis=1) > 0) if X.shape[1] else np.zeros(n, bool)
        self.seeds_ = self._seeds(A, X, has_ties)
        k = int(self.seeds_.max()) + 1 if (self.seeds_ >= 0).any() else 0
        self.n_circles_ = k
        if k == 0:
            self.proba_ = np.zeros((n, 0), np.float32)
            self.labels_ = np.full(n, -1)
            self.graph_part_ = self.text_part_ = np.zeros(n, np.float32)
            self.centroids_ = sparse.csr_matrix((0, X.shape[1]))
            return self
        seeded = np.flatnonzero(self.seeds_ >= 0)
        Y = sparse.csr_matrix((np.ones(len(seeded)), (seeded, self.seeds_[seeded])), shape=(n, k))
        centroids = Y.T @ X
        norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
        self.centroids_ = sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ centroids
        text = (X @ self.centroids_.T).toarray().astype(np.float32) if X.shape[1] else np.zeros((n, k), np.float32)
        text = np.exp(self.temperature * (text - text.max(axis=1, keepdims=True)))
        text = _row_normalise(text)
        text[~has_text] = 0.0
        walk = sparse.diags(1.0 / np.maximum(np.asarray(A.sum(axis=1)).ravel(), 1e-12)) @ A
        w_graph = np.where(has_ties, np.where(has_text, self.alpha, 1.0), 0.0).astype(np.float32)[:, None]
        w_text = np.where(has_text, 1.0 - np.where(has_ties, self.alpha, 0.0), 0.0).astype(np.float32)[:, None]
        # Each round, a member's ties vote with their current circles (hard labels keep the mix readable:
        # "60% of their ties are in c03"); unseeded members start from their text match.
        labels = np.where(self.seeds_ >= 0, self.seeds_, np.where(has_text, text.argmax(axis=1), -1))
        for _ in range(max(1, self.iterations)):
            known = np.flatnonzero(labels >= 0)
            votes = sparse.csr_matrix((np.ones(len(known), np.float32), (known, labels[known])), shape=(n, k))
            graph = _row_normalise(np.asarray((walk @ votes).todense(), dtype=np.float32))
            proba = _row_normalise(w_graph * graph + w_text * text)
            labels = np.where(proba.max(axis=1) > 0, proba.argmax(axis=1), -1)
        self.proba_ = proba
        self.labels_ = np.where(proba.max(axis=1) > 0, proba.argmax(axis=1), -1)
        rows = np.arange(n)
        lab = np.maximum(self.labels_, 0)
        self.graph_part_ = np.where(self.labels_ >= 0, (w_graph[:, 0] * graph[rows, lab]), 0).astype(np.float32)
        self.text_part_ = np.where(self.labels_ >= 0, (w_text[:, 0] * text[rows, lab]), 0).astype(np.float32)
        return self
