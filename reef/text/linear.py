"""Linear classifiers over hashed character and word n-grams, calibrated, saved as small .npz files.

Why this model: on short Chinese forum posts, char 1-3-grams plus word uni/bigrams with a
linear SVM or logistic regression are strong, train in seconds on 2 cores, and score
a million posts in minutes. Hashing keeps the vocabulary out of the artefact; only weights
of features seen in training are stored, as float16.

Example:
    >>> m = NgramLinearModel(kind="logreg", C=5.0, seed=0).fit(["好车", "垃圾车", "很好", "很垃圾"] * 5, [1, 0, 1, 0] * 5)
    >>> float(m.predict_proba(["好车"])[0, 0]) > 0.5
    True
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from reef.errors import InvalidParameterError, MissingDependencyError

__all__ = ["NgramLinearModel"]


def _sklearn():
    try:
        import sklearn  # noqa: F401
        from scipy import sparse
    except ImportError as exc:  # pragma: no cover
        raise MissingDependencyError("scikit-learn", "text") from exc
    return sparse


def _word_ngrams(tokens: Sequence[str]) -> list[str]:
    toks = [t for t in tokens if t.strip()]
    return toks + [a + " " + b for a, b in zip(toks, toks[1:])]


def _appended_word_ngrams(tokens: Sequence[str], extra: Sequence[str]) -> list[str]:
    # What _word_ngrams(tokens + extra) has beyond _word_ngrams(tokens): the extra unigrams and the bigrams they end.
    more = [t for t in extra if t.strip()]
    chain = [t for t in tokens if t.strip()][-1:] + more
    return more + [a + " " + b for a, b in zip(chain, chain[1:])]


def _as_is(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


class NgramLinearModel:
    """Binary, multiclass or multilabel (2-D ``y``) linear text classifier with calibrated scores."""

    def __init__(self, kind: str = "svm", C: float = 1.0, n_features: int = 2**18, char_ngrams: int = 3,
                 class_weight: str | None = None, calibration_share: float = 0.15, seed: int = 0,
                 lexicon: float = 0.0, nb_scale: float = 0.0):
        self.kind, self.C, self.n_features, self.char_ngrams = kind, C, n_features, char_ngrams
        self.class_weight, self.calibration_share, self.seed = class_weight, calibration_share, seed
        self.lexicon = lexicon  # > 0: add sentiment-lexicon pseudo-tokens (reef.text.sentiment_lexicon), this weight
        # > 0 (binary y only): scale each feature by |naive-Bayes log-count ratio| ** nb_scale (NBSVM,
        # Wang & Manning 2012), folded into the stored idf so scoring is unchanged
        self.nb_scale = nb_scale

    # -- features ---------------------------------------------------------------------------
    def _width(self) -> int:
        return (3 if self.lexicon else 2) * self.n_features

    def _raw(self, texts: Sequence[str], tokens: Sequence[Sequence[str]] | None, base=None):
        sparse = _sklearn()
        from sklearn.feature_extraction.text import HashingVectorizer

        if tokens is None:
            from reef.text.lexicon import segmenter
            seg = segmenter()
            tokens = [seg.cut(t) for t in texts]
        common = dict(n_features=self.n_features, alternate_sign=False, norm=None)
        if base is None:
            chars = HashingVectorizer(analyzer="char", ngram_range=(1, self.char_ngrams), **common).transform(texts)
            words = HashingVectorizer(analyzer=_word_ngrams, **common).transform(list(tokens))
            base = sparse.hstack([chars, words], format="csr", dtype=np.float32)
            base.data = 1.0 + np.log(base.data)  # sublinear tf: five mentions are not five times the evidence
        if not self.lexicon:
            return base
        from reef.text.sentiment_lexicon import lexicon_tokens

        lex = HashingVectorizer(analyzer=lexicon_tokens, **common).transform(list(tokens)).astype(np.float32)
        lex.data = 1.0 + np.log(lex.data * float(self.lexicon))
        return sparse.hstack([base, lex], format="csr", dtype=np.float32)

    def _weigh(self, X):
        from sklearn.preprocessing import normalize

        X = X.multiply(self._idf_full).tocsr()
        return normalize(X, copy=False)

    # -- training ---------------------------------------------------------------------------
    def _fit_core(self, X, y, sample_weight=None):
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        def make():
            if self.kind == "svm":
                return LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.seed)
            if self.kind == "logreg":
                return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=3000,
                                          random_state=self.seed)
            raise InvalidParameterError("kind", self.kind, "'svm' or 'logreg'")

        if y.ndim == 2:
            models = [make().fit(X, y[:, j], sample_weight=sample_weight) for j in range(y.shape[1])]
            return (np.vstack([m.coef_[0] for m in models]).T, np.array([m.intercept_[0] for m in models]))
        model = make().fit(X, y, sample_weight=sample_weight)
        return model.coef_.T, model.intercept_

    def fit(self, texts: Sequence[str], y, tokens: Sequence[Sequence[str]] | None = None,
            sample_weight=None) -> "NgramLinearModel":
        """Fit on ``texts``; calibrate on a seeded share of them, then refit on all.

        ``sample_weight`` (optional, one per text) weighs the fit, e.g. in-domain posts above a
        larger out-of-domain corpus; calibration is unweighted.
        """
        y = np.asarray(y)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.multilabel_ = y.ndim == 2
        self.classes_ = np.arange(y.shape[1]) if self.multilabel_ else np.unique(y)
        raw = self._raw(texts, tokens)
        n = raw.shape[0]
        df = np.bincount(raw.indices, minlength=raw.shape[1])
        self._idf_full = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)
        if self.nb_scale and not self.multilabel_ and len(self.classes_) == 2:
            self._idf_full *= self._nb_ratio(raw, y == self.classes_[1], w) ** np.float32(self.nb_scale)
        # n-grams never seen in training have no weight but count in the L2 norm; save() stores their
        # factor so a loaded model scores exactly like this one
        self.idf_unseen_ = float(self._idf_full[df == 0].max()) if (df == 0).any() else float(self._idf_full.max())
        X = self._weigh(raw)
        rng = np.random.default_rng(self.seed)
        order = rng.permutation(n)
        cut = int(n * self.calibration_share)
        cal, rest = order[:cut], order[cut:]
        coef, bias = self._fit_core(X[rest], y[rest], None if w is None else w[rest])
        self._set_weights(coef, bias, df)
        self.calib_ = self._calibrate(X[cal] @ self._coef_full + self.intercept_, y[cal])
        coef, bias = self._fit_core(X, y, w)
        self._set_weights(coef, bias, df)
        return self

    @staticmethod
    def _nb_ratio(raw, positive, w) -> np.ndarray:
        """|log P(f | pos) - log P(f | neg)| per feature from (weighted) document presence, add-one smoothed."""
        present = raw.copy()
        present.data = np.ones_like(present.data)
        w = np.ones(raw.shape[0]) if w is None else w
        p = 1.0 + np.asarray(present.T @ (w * positive)).ravel()
        q = 1.0 + np.asarray(present.T @ (w * ~positive)).ravel()
        return np.abs(np.log(p / p.sum()) - np.log(q / q.sum())).astype(np.float32)

    def _set_weights(self, coef, bias, df) -> None:
        self.kept_ = np.flatnonzero(df).astype(np.int32)
        self.coef_ = np.asarray(coef)[self.kept_].astype(np.float16)
        self.intercept_ = np.asarray(bias, dtype=np.float32)
        self._coef_full = np.zeros((len(df), self.coef_.shape[1]), np.float32)
        self._coef_full[self.kept_] = self.coef_

    def _calibrate(self, z, y) -> np.ndarray:
        """Platt scaling per output (binary/multilabel) or one temperature (multiclass)."""
        from scipy.optimize import minimize

        if self.multilabel_ or len(self.classes_) == 2:
            ys = y.reshape(len(y), -1) if self.multilabel_ else (y == self.classes_[1]).reshape(-1, 1).astype(float)
            params = []
            for j in range(z.shape[1]):
                def loss(p, zj=z[:, j], yj=ys[:, j]):
                    s = p[0] * zj + p[1]
                    return float(np.sum(np.logaddexp(0, s) - yj * s))
                params.append(minimize(loss, [1.0, 0.0], method="Nelder-Mead").x)
            return np.array(params, np.float32)
        onehot = (y[:, None] == self.classes_[None, :]).astype(float)

        def nll(p):
            s = z * p[0]
            s = s - s.max(1, keepdims=True)
            return float(-np.sum(onehot * (s - np.log(np.exp(s).sum(1, keepdims=True)))))
        return np.array([minimize(nll, [1.0], method="Nelder-Mead").x], np.float32)

    # -- inference --------------------------------------------------------------------------
    def featurize(self, texts: Sequence[str], tokens=None, base=None):
        """Hashed tf features; models with equal ``n_features``/``char_ngrams`` can share them.

        ``base``: n-gram features already computed by a model without the lexicon block;
        a lexicon model then only adds its pseudo-token block.
        """
        if base is not None and base.shape[1] == self._width():
            return base
        return self._raw(texts, tokens, base=base)

    def append_tokens(self, features, rows: Sequence[int], tokens: Sequence[Sequence[str]],
                      extra: Sequence[Sequence[str]]):
        """``features`` (from :meth:`featurize`, no lexicon block) as if row ``rows[k]``, tokenised as ``tokens[k]``,
        had the tokens ``extra[k]`` appended: only the word n-grams they add are hashed, and the sublinear tf is
        taken on the summed counts, so the result equals featurizing the longer token lists."""
        sparse = _sklearn()
        from sklearn.feature_extraction.text import HashingVectorizer

        grams: list[Sequence[str]] = [[] for _ in range(features.shape[0])]
        for r, toks, more in zip(rows, tokens, extra):
            grams[r] = _appended_word_ngrams(toks, more)
        added = HashingVectorizer(analyzer=_as_is, n_features=self.n_features, alternate_sign=False,
                                  norm=None).transform(grams)
        counts = features.astype(np.float32, copy=True)
        counts.data = np.rint(np.exp(counts.data - 1.0))  # back from 1 + log(count) to the count
        counts = sparse.csr_matrix(counts + sparse.hstack([sparse.csr_matrix((features.shape[0], self.n_features)), added]),
                                   dtype=np.float32)
        counts.data = 1.0 + np.log(counts.data)
        return counts

    def decision_function(self, texts: Sequence[str], tokens=None, *, features=None) -> np.ndarray:
        """Raw linear scores, shape (n, outputs); one column for a binary model."""
        X = self._weigh(self._raw(texts, tokens) if features is None else features)
        return np.asarray(X @ self._coef_full) + self.intercept_

    def predict_proba(self, texts: Sequence[str], tokens=None, *, features=None) -> np.ndarray:
        """Calibrated probabilities: (n, 1) binary, (n, k) multilabel, (n, classes) multiclass."""
        z = self.decision_function(texts, tokens, features=features)
        if self.calib_.shape[1] == 2:
            from scipy.special import expit

            return expit(z * self.calib_[:, 0] + self.calib_[:, 1])
        s = z * float(self.calib_[0, 0])
        s = np.exp(s - s.max(1, keepdims=True))
        return s / s.sum(1, keepdims=True)

    # -- persistence ------------------------------------------------------------------------
    def save(self, path: str | Path, **meta) -> None:
        """Write a compressed .npz with weights, calibration and parameters (plus ``meta``)."""
        params = {k: getattr(self, k) for k in ("kind", "C", "n_features", "char_ngrams", "class_weight",
                                                "calibration_share", "seed", "lexicon", "nb_scale")}
        header = json.dumps({"params": params, "multilabel": bool(self.multilabel_), "meta": meta}, ensure_ascii=False)
        np.savez_compressed(path, header=np.array(header), kept=self.kept_, coef=self.coef_,
                            intercept=self.intercept_, calib=self.calib_, classes=self.classes_,
                            idf=self._idf_full[self.kept_].astype(np.float16),
                            idf_unseen=np.float32(getattr(self, "idf_unseen_", self._idf_full.max())))

    @classmethod
    def load(cls, path: str | Path) -> "NgramLinearModel":
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            model = cls(**header["params"])
            model.meta_ = header["meta"]
            model.multilabel_ = header["multilabel"]
            model.kept_, model.coef_ = data["kept"], data["coef"]
            model.intercept_, model.calib_, model.classes_ = data["intercept"], data["calib"], data["classes"]
            width = model._width()
            model.idf_unseen_ = float(data["idf_unseen"])
            model._idf_full = np.full(width, model.idf_unseen_, np.float32)
            model._idf_full[model.kept_] = data["idf"].astype(np.float32)
        model._coef_full = np.zeros((width, model.coef_.shape[1]), np.float32)
        model._coef_full[model.kept_] = model.coef_
        return model
