"""Hybrid search: BM25F over Chinese (or any) tokens fused with LSA cosine similarity.

Documents are token fields: ``title``, ``body`` (code, LaTeX, links and HTML stripped), ``answer``
(the answers' text) and ``concepts`` (synonym-group tokens); term frequencies are summed with the
``[kb] search_*_boost`` weights before BM25 saturation. The query repeats its title
``search_query_title_weight`` times (a question's title says what it asks; a search-box query is
all title). The semantic score is the cosine between LSA vectors (:class:`reef.kb.semantic.LsaEncoder`)
of the query and of each document's title and body. Both scores are standardised over the index
(z-scores) and fused as ``z(bm25) + semantic_weight * z(cosine)``; weights were tuned on Stack
Exchange related links, never on the duplicate links that measure it (docs/reef-validation.md).

Example:
    >>> docs = [doc_fields("冬天续航掉多少", "北方车主说说"), doc_fields("怎么装家充桩", "物业不让装")]
    >>> HybridIndex(SearchParams(semantic_weight=0.0)).fit(docs).search(query_tokens("零下续航"), k=1)[0][0]
    0
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from reef.config import packaged_defaults
from reef.kb.index import BM25Index, clean_text, concepts, tokenize
from reef.kb.semantic import LsaEncoder, train_lsa

__all__ = ["SearchParams", "doc_fields", "query_tokens", "HybridIndex"]

_KB = packaged_defaults("kb")  # field defaults come from defaults.toml, not repeated here


@dataclass(frozen=True)
class SearchParams:
    """Search weights; :meth:`from_config` reads ``[kb] search_*`` and ``semantic_*``."""

    search_title_boost: float = _KB["search_title_boost"]
    search_body_boost: float = _KB["search_body_boost"]
    search_answer_boost: float = _KB["search_answer_boost"]
    search_concept_boost: float = _KB["search_concept_boost"]
    search_query_title_weight: int = _KB["search_query_title_weight"]
    search_k1: float = _KB["search_k1"]
    search_b: float = _KB["search_b"]
    semantic_model: str = _KB["semantic_model"]
    semantic_weight: float = _KB["semantic_weight"]
    semantic_dims: int = _KB["semantic_dims"]
    semantic_min_df: int = _KB["semantic_min_df"]
    semantic_max_docs: int = _KB["semantic_max_docs"]
    semantic_min_cosine: float = _KB["semantic_min_cosine"]
    semantic_full_scan_max: int = _KB["semantic_full_scan_max"]
    semantic_rerank_candidates: int = _KB["semantic_rerank_candidates"]
    semantic_seed: int = _KB["semantic_seed"]

    @classmethod
    def from_config(cls, config, **overrides) -> "SearchParams":
        section = config.section("kb") if config is not None else {}
        values = {f.name: type(f.default)(section[f.name]) for f in fields(cls) if f.name in section}
        return cls(**{**values, **overrides})

    @property
    def boosts(self) -> dict[str, float]:
        return {"title": self.search_title_boost, "body": self.search_body_boost, "answer": self.search_answer_boost,
                "concepts": self.search_concept_boost}


def doc_fields(title: str | None, body: str | None, answer: str | None = None) -> dict[str, list[str]]:
    """Token fields of one document (body and answer cleaned of code, LaTeX, links, HTML)."""
    body = clean_text(body)
    return {"title": tokenize(title), "body": tokenize(body), "answer": tokenize(clean_text(answer)),
            "concepts": concepts(f"{title or ''} {body}")}


def query_tokens(title: str | None, body: str | None = None, *, title_weight: int = 1) -> dict[str, list[str]]:
    """Query fields: ``bm25`` (title repeated ``title_weight`` times, body, concepts) and ``semantic``."""
    t, b = tokenize(title), tokenize(clean_text(body))
    return {"bm25": t * title_weight + b + concepts(f"{title or ''} {body or ''}"), "semantic": t + b}


class HybridIndex:
    """BM25F plus LSA over a fixed list of documents (``fit``), queried with :func:`query_tokens`."""

    def __init__(self, params: SearchParams | None = None):
        self.params = params or SearchParams()

    def fit(self, docs: list[dict[str, list[str]]], *, semantic_docs: list[list[str]] | None = None,
            encoder: LsaEncoder | None = None) -> "HybridIndex":
        """Index ``docs`` (from :func:`doc_fields`). The LSA encoder is ``encoder`` if given, else trained
        on ``semantic_docs`` (whole threads; default the documents themselves); none at weight 0."""
        p = self.params
        self.bm25_ = BM25Index.build(docs, boosts=p.boosts, tokens=docs, k1=p.search_k1, b=p.search_b)
        self.encoder_, self.vectors_ = None, None
        if p.semantic_weight > 0 and docs:
            if encoder is None:
                train = semantic_docs if semantic_docs is not None else [d["title"] + d["body"] + d.get("answer", []) for d in docs]
                encoder = train_lsa(train, p)
            if encoder is not None:
                self.encoder_ = encoder
                self.vectors_ = encoder.transform([d["title"] + d["body"] for d in docs])
        return self

    def _parts(self, query: dict[str, list[str]]) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(BM25 scores, cosines, the documents they cover: None = all). Above
        ``semantic_full_scan_max`` documents the LSA only re-ranks the best BM25 candidates: scanning
        every vector per query would cost more than a search box can wait."""
        bm = self.bm25_.scores(query["bm25"]).astype(np.float64)
        if self.vectors_ is None:
            return bm, None, None
        q = self.encoder_.transform([query["semantic"]])[0]
        if len(bm) <= self.params.semantic_full_scan_max:
            return bm, (self.vectors_ @ q).astype(np.float64), None
        k = min(self.params.semantic_rerank_candidates, len(bm) - 1)
        cand = np.argpartition(-bm, k)[:k]
        cand = cand[bm[cand] > 0]
        return bm, (self.vectors_[cand] @ q).astype(np.float64), cand

    def _fused(self, query: dict[str, list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(fused scores, eligible mask) over every document."""
        bm, cos, cand = self._parts(query)
        if cos is None:
            return bm, bm > 0
        w, min_cos = self.params.semantic_weight, self.params.semantic_min_cosine
        if cand is None:
            return _z(bm) + w * _z(cos), (bm > 0) | (cos >= min_cos)
        fused = np.full(len(bm), -np.inf)
        fused[cand] = _z(bm[cand]) + w * _z(cos)
        return fused, np.isfinite(fused)

    def scores(self, query: dict[str, list[str]]) -> np.ndarray:
        """Fused score of every document: z(BM25) + semantic_weight * z(cosine)."""
        return self._fused(query)[0]

    def search(self, query: dict[str, list[str]], k: int = 10) -> list[tuple[int, float]]:
        """Top ``k`` (document index, fused score): documents sharing a term with the query, or
        semantically close (cosine >= ``semantic_min_cosine``), best first."""
        s, ok = self._fused(query)
        if not s.size:
            return []
        s = np.where(ok, s, -np.inf)
        top = np.argpartition(-s, min(k, s.size - 1))[:k] if s.size > k else np.arange(s.size)
        return [(int(i), float(s[i])) for i in sorted(top, key=lambda i: -s[i]) if np.isfinite(s[i])]


def _z(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)
