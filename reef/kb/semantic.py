"""The semantic half of the hybrid search: latent semantic analysis (TF-IDF + truncated SVD) over
the same tokens as BM25, trained on whole threads (question + answers + replies) so that words
used in the same discussions land near each other (续航 / 掉电 / 打几折; "qubit" / "superposition").

No pre-trained multilingual encoder ships offline here, so the model is trained from text the
project has: on the community's own threads when the index is built (``[kb] semantic_model =
"community"``), or offline by ``scripts/train_kb_lsa.py`` (model card: docs/models/kb_lsa.md).
Fitting uses scikit-learn; encoding needs only numpy/scipy and the saved vocabulary, idf and
components (float16 ``.npz``).

Example:
    >>> docs = [["冬天", "续航", "打折"], ["零下", "续航", "打折"], ["充电桩", "物业", "安装"], ["家充", "物业", "安装"]] * 3
    >>> enc = LsaEncoder(n_components=2, min_df=1, seed=0).fit(docs)
    >>> v = enc.transform([["冬天", "续航"], ["零下", "打折"], ["物业", "家充"]])
    >>> bool(v[0] @ v[1] > v[0] @ v[2])
    True
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO, Sequence

import numpy as np

from reef.errors import InvalidParameterError, MissingDependencyError
from reef.lazy import lazy_module

sparse = lazy_module("scipy.sparse")

__all__ = ["LsaEncoder", "train_lsa"]


class LsaEncoder:
    """TF-IDF (sublinear tf, smooth idf) + truncated SVD; rows L2-normalised, float32."""

    def __init__(self, n_components: int = 200, min_df: int = 2, max_features: int | None = 60000,
                 max_docs: int | None = 50000, seed: int = 0):
        self.n_components, self.min_df, self.max_features = n_components, min_df, max_features
        self.max_docs, self.seed = max_docs, seed

    def fit(self, docs: Sequence[Sequence[str]]) -> "LsaEncoder":
        """Learn vocabulary, idf and components from token lists (a seeded sample of ``max_docs``)."""
        try:
            from sklearn.decomposition import TruncatedSVD
            from sklearn.feature_extraction.text import TfidfVectorizer
        except ImportError as exc:  # pragma: no cover
            raise MissingDependencyError("scikit-learn", "text") from exc
        docs = [d for d in docs if d]
        if len(docs) < 3:
            raise InvalidParameterError("docs", len(docs), "at least 3 non-empty documents to train the LSA model")
        if self.max_docs and len(docs) > self.max_docs:
            pick = np.random.default_rng(self.seed).choice(len(docs), self.max_docs, replace=False)
            docs = [docs[i] for i in np.sort(pick)]
        vec = TfidfVectorizer(analyzer=_identity, min_df=min(self.min_df, len(docs)), sublinear_tf=True,
                              max_features=self.max_features, dtype=np.float32)
        try:
            x = vec.fit_transform(docs)
        except ValueError as exc:  # every term below min_df: nothing to learn from
            raise InvalidParameterError("docs", len(docs), "documents that share terms (none is left after min_df)") from exc
        if x.shape[1] < 2:
            raise InvalidParameterError("docs", len(docs), "documents that share at least two terms")
        k = max(1, min(self.n_components, x.shape[0] - 1, x.shape[1] - 1))
        svd = TruncatedSVD(k, random_state=self.seed).fit(x)
        self.vocab_ = {t: i for i, t in enumerate(vec.get_feature_names_out())}
        self.idf_ = vec.idf_.astype(np.float32)
        self.components_ = svd.components_.astype(np.float32)
        return self

    def _tfidf(self, docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        rows, cols = [], []
        for i, d in enumerate(docs):
            ids = [self.vocab_[t] for t in d if t in self.vocab_]
            rows.extend([i] * len(ids)); cols.extend(ids)
        x = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(docs), len(self.idf_)))
        x.sum_duplicates()
        x.data = (1.0 + np.log(x.data)) * self.idf_[x.indices]
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        return sparse.diags(1.0 / np.maximum(norms, 1e-12)).dot(x).tocsr()

    def transform(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """Unit-length vectors (zeros for documents with no known token), one row per token list."""
        if not hasattr(self, "components_"):
            raise InvalidParameterError("LsaEncoder", "unfitted", "fit() or load() before transform()")
        z = np.asarray(self._tfidf(docs) @ self.components_.T, dtype=np.float32)
        return z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)

    def save(self, path: str | Path | BinaryIO) -> str | Path | BinaryIO:
        """Write vocabulary, idf and components (float16) as an ``.npz`` to a path or binary file."""
        terms = np.array(sorted(self.vocab_, key=self.vocab_.get), dtype=str)
        np.savez_compressed(path, terms=terms, idf=self.idf_.astype(np.float16), components=self.components_.astype(np.float16),
                            params=np.array([self.n_components, self.min_df, self.seed]))
        return path

    @classmethod
    def load(cls, path: str | Path | BinaryIO) -> "LsaEncoder":
        """An encoder saved by :meth:`save` (a path or a binary file)."""
        with np.load(path, allow_pickle=False) as z:
            n, min_df, seed = (int(v) for v in z["params"])
            enc = cls(n_components=n, min_df=min_df, seed=seed)
            enc.vocab_ = {t: i for i, t in enumerate(z["terms"].tolist())}
            enc.idf_ = z["idf"].astype(np.float32)
            enc.components_ = z["components"].astype(np.float32)
        return enc

    def to_bytes(self) -> bytes:
        """The ``.npz`` as bytes (stored in the ``kb_semantic`` table)."""
        buf = io.BytesIO()
        self.save(buf)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "LsaEncoder":
        return cls.load(io.BytesIO(data))


def _identity(tokens):
    return tokens


def train_lsa(docs: Sequence[Sequence[str]], params) -> LsaEncoder | None:
    """The LSA model of ``docs`` under ``params`` (a ``SearchParams``), or None when they are too few or share too
    few terms to learn from (a small community): search then runs on BM25 alone."""
    if sum(1 for d in docs if d) < 3:
        return None
    try:
        return LsaEncoder(params.semantic_dims, params.semantic_min_df, max_docs=params.semantic_max_docs,
                          seed=params.semantic_seed).fit(docs)
    except InvalidParameterError:
        return None
