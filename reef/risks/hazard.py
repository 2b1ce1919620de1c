"""Who is likely to go quiet: a discrete-time logistic hazard of dropping out, fitted on the past.

Person-period data: at each of ``cuts`` past moments t (every ``step_days``, the latest one
``horizon_days`` before ``as_of`` so its outcome is known), every member who posted in the 90 days
before t is one row with recency/frequency/trend features; the label is "posted nothing in the
``horizon_days`` after t". A scikit-learn logistic regression on these rows (a discrete-time
hazard model) then scores every member active now. Nothing after ``as_of`` is read.

Too little to learn from: a community younger than ``hazard_horizon_days`` plus a few ``hazard_step_days`` has
most training moments before its first post, and the fit falls back to its base rate (about 0). The risk is
then *unknown* (``None``), not 0: the fit needs at least ``hazard_min_moments`` training moments holding rows and,
by the events-per-variable rule for logistic regression (Peduzzi et al. 1996), at least
``hazard_min_events_per_feature`` x len(FEATURES) rows of its rarer class (dropouts, or stayers).

Example:
    >>> import numpy as np
    >>> X = np.array([[0, 0, 3.0, 0, 0, 1], [2, 3, 4, 0, 1, 1]] * 20, dtype=float)
    >>> y = np.array([1, 0] * 20)
    >>> model = DropoutHazard(seed=1).fit(X, y)
    >>> bool(model.predict_proba(X[:1])[0] > 0.5)
    True
    >>> DropoutHazard(min_events_per_feature=10).fit(X, y).known_   # 20 dropouts < 10 x 6 features
    False
"""
from __future__ import annotations

from datetime import timedelta

import numpy as np

from reef.risks.common import MEMBER_POSTS

__all__ = ["DropoutHazard", "FEATURES", "member_features", "dropout_risk"]

FEATURES = ("log_posts_7d", "log_posts_28d", "log_posts_90d", "log_days_silent", "trend_28_90", "log_tenure_days")


class DropoutHazard:
    """Discrete-time logistic hazard: P(no post in the next ``horizon_days`` | features now)."""

    def __init__(self, horizon_days: int = 28, C: float = 1.0, max_rows: int = 200_000, seed: int = 0,
                 min_moments: int = 0, min_events_per_feature: float = 0.0):
        self.horizon_days = horizon_days
        self.min_moments = min_moments
        self.min_events_per_feature = min_events_per_feature
        self.C = C
        self.max_rows = max_rows
        self.seed = seed

    def fit(self, X: np.ndarray, y: np.ndarray, moments: int | None = None) -> "DropoutHazard":
        """Fit on person-period rows; ``moments`` = training moments that hold rows (unchecked when None)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
        if len(y) > self.max_rows:  # a seeded subsample keeps large communities affordable
            keep = np.random.default_rng(self.seed).choice(len(y), self.max_rows, replace=False)
            X, y = X[keep], y[keep]
        self.base_rate_ = float(y.mean()) if len(y) else 0.0
        self.n_train_ = int(len(y))
        self.n_events_ = int(min(y.sum(), len(y) - y.sum())) if len(y) else 0  # rows of the rarer class
        self.n_moments_ = moments
        n_features = X.shape[1] if X.ndim == 2 else 1
        self.known_ = (self.n_events_ > 0 and self.n_events_ >= self.min_events_per_feature * n_features
                      and (moments is None or moments >= self.min_moments))
        self.model_ = None
        if len(np.unique(y)) == 2:
            self.model_ = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=500)).fit(X, y)
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of dropping out for each row (the training base rate when one class was seen)."""
        X = np.asarray(X, dtype=float)
        if self.model_ is None:
            return np.full(len(X), self.base_rate_)
        return self.model_.predict_proba(X)[:, 1]


def member_features(store, cuts: list, horizon_days: int, with_keys: bool = True) -> tuple[list[tuple[int, str]], np.ndarray, np.ndarray]:
    """Rows (cut index, member id), feature matrix and the label "silent for ``horizon_days`` after the cut"
    for every member who posted in the 90 days before each cut (needs :func:`reef.risks.common.risk_base`).
    ``with_keys=False`` returns no row keys (training needs none; millions of Python tuples cost seconds)."""
    if not cuts:
        return [], np.zeros((0, len(FEATURES))), np.zeros(0, dtype=int)
    # Columns straight into numpy arrays, rows in the same order either way.
    cols = store.execute(f"""
        -- Window bounds once per cut, not per post (time-zone-aware interval arithmetic per row halved the speed).
        -- Tenure in days as DATE subtraction (equal to date_diff('day', ...) in any zone, about 4x cheaper).
        WITH cuts AS (SELECT t, k, t - INTERVAL 7 DAY AS t7, t - INTERVAL 28 DAY AS t28, t - INTERVAL 90 DAY AS t90, t + to_days($h) AS th
                      FROM (SELECT unnest($cuts) AS t, generate_subscripts($cuts, 1) - 1 AS k)),
        x AS (SELECT k, author_id, any_value(joined_at) AS joined, any_value(t) AS t,
                     count(*) FILTER (WHERE created_at >= t7 AND created_at < t) AS n7,
                     count(*) FILTER (WHERE created_at >= t28 AND created_at < t) AS n28,
                     count(*) FILTER (WHERE created_at < t) AS n90,
                     max(created_at) FILTER (WHERE created_at < t) AS last_at,
                     count(*) FILTER (WHERE created_at >= t) AS future
              FROM cuts JOIN ({MEMBER_POSTS}) p ON p.created_at >= t90 AND p.created_at < th
              GROUP BY k, author_id)
        SELECT k, {'author_id' if with_keys else 'NULL'} AS author_id, ln(1 + n7), ln(1 + n28), ln(1 + n90), ln(1 + date_diff('hour', last_at, t) / 24.0),
               (n28 / 28.0) / (n90 / 90.0), ln(1 + greatest(t::DATE - coalesce(joined, t)::DATE, 0)), CAST(future = 0 AS INT)
        FROM x WHERE n90 > 0 ORDER BY k, x.author_id""", {"cuts": list(cuts), "h": int(horizon_days)}).fetchnumpy()
    vals = list(cols.values())
    keys = list(zip(vals[0].astype(int).tolist(), vals[1].tolist())) if with_keys else []
    X = np.column_stack([np.asarray(v, dtype=float) for v in vals[2:8]]).reshape(-1, len(FEATURES))
    return keys, X, np.asarray(vals[8], dtype=int)


def dropout_risk(store, ts, c: dict) -> tuple[dict[str, float | None], DropoutHazard]:
    """``{member_id: P(drop out within hazard_horizon_days)}`` for members active in the last 90 days, from a model
    fitted on ``hazard_cuts`` past moments (the latest ``hazard_horizon_days`` before ``ts``); every value is None
    (unknown) when the model had too little to learn from (``model.known_`` is False)."""
    h, step = int(c["hazard_horizon_days"]), int(c["hazard_step_days"])
    cuts = [ts - timedelta(days=h + step * j) for j in range(int(c["hazard_cuts"]))]
    _, X, y = member_features(store, cuts, h, with_keys=False)
    # Moments holding rows: those after the data's first post (earlier ones have no one to learn from).
    first = store.fetch_all(f"SELECT min(created_at) FROM ({MEMBER_POSTS})")[0][0]
    moments = sum(first is not None and t > first for t in cuts)
    model = DropoutHazard(horizon_days=h, C=float(c["hazard_c"]), max_rows=int(c["hazard_max_rows"]), seed=int(c["hazard_seed"]),
                          min_moments=int(c["hazard_min_moments"]), min_events_per_feature=float(c["hazard_min_events_per_feature"])
                          ).fit(X, y, moments=moments)
    keys, Xnow, _ = member_features(store, [ts], 0)
    if not model.known_:
        return {m: None for _, m in keys}, model
    probs = model.predict_proba(Xnow) if len(keys) else np.zeros(0)
    return {m: float(p) for (_, m), p in zip(keys, probs)}, model
