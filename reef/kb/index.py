"""Chinese tokens, a BM25 index with field boosts, and TF-IDF vectors for paraphrase similarity.

The index is a scipy sparse matrix (documents x terms) of BM25 term weights, so a query is one
sparse dot product: fast enough for a search box without a search server. Fields (title, body,
best answer) are tokenised separately and their term frequencies summed with boosts before the
BM25 saturation, the BM25F way, so a word in the title counts more than one deep in an answer.

Example:
    >>> idx = BM25Index.build([{"title": "冬天续航掉多少", "body": "北方车主说说"},
    ...                        {"title": "怎么装充电桩", "body": "物业不让装"}])
    >>> idx.search("冬季续航", k=1)[0][0]
    0
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from reef.text.normalize import to_simplified
from reef.lazy import lazy_module

sparse = lazy_module("scipy.sparse")

__all__ = ["tokenize", "with_bigrams", "concepts", "clean_text", "BM25Index", "tfidf_vectors"]

_WORD = re.compile(r"[\w\u4e00-\u9fff]")
# Function words and forum fillers that match everything and rank nothing.
_STOP = set("的 了 吗 呢 吧 啊 呀 嘛 么 是 在 有 和 与 就 都 也 还 又 很 请问 请教 一下 大家 各位 谢谢 求助 新人 萌新 "
            "提问 老司机 指点 说说 一个 这个 那个 什么 怎么样 the a an of to in is are and or for on it this that "
            "with be as at by i you my can how what do does".split())


_FILLERS = re.compile("|".join(sorted((w for w in _STOP if len(w) > 1 and "\u4e00" <= w[0] <= "\u9fff"), key=len, reverse=True)))


_NOISE = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>|```.*?```|\$\$.*?\$\$|\$[^$\n]{1,200}\$|https?://\S+", re.S | re.I)
_HTML = re.compile(r"<[^>]+>")


def clean_text(text: str | None) -> str:
    r"""Text without code blocks, LaTeX, links and HTML tags: they match everything or nothing.

    >>> clean_text(r"Why is <code>H|0></code> $\frac{1}{\sqrt 2}$ here? see https://x.org/a")
    'Why is     here? see  '
    """
    if not text:
        return ""
    import html

    return html.unescape(_HTML.sub(" ", _NOISE.sub(" ", text)))


@lru_cache(maxsize=1)
def _synonyms() -> list[tuple[str, tuple[str, ...]]]:
    path = Path(__file__).with_name("resources") / "synonyms.txt"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            concept, cues = line.split("\t", 1)
            out.append(("@" + concept.strip(), tuple(cues.split())))
    return out


def concepts(text: str | None) -> list[str]:
    """Concept tokens ("@冬季", "@续航" ...) of the synonym groups whose cue words occur in ``text``.

    >>> concepts("零下的时候续航衰减厉害吗")
    ['@冬季', '@续航']
    """
    t = to_simplified(text or "").lower()  # 冬天續航 says what 冬天续航 says
    return [c for c, cues in _synonyms() if any(q in t for q in cues)]


def tokenize(text: str | None, *, bigrams: bool = True) -> list[str]:
    """Lower-cased rjieba words without stop words; plus the character bigrams of Chinese words
    longer than two characters, so 续航掉 still meets 续航 and 冬季 meets 冬天's neighbours. Traditional characters
    are read in simplified (as the text layer reads posts), so 續航 meets 续航."""
    if not text:
        return []
    import rjieba  # lazily: the text extra

    out: list[str] = []
    # Fillers rjieba splits (说说 -> 说, 说) are dropped before the cut, or their halves would match every 说说 post.
    for w in rjieba.cut(_FILLERS.sub(" ", to_simplified(text).lower())):
        w = w.strip()
        if not w or w in _STOP or not _WORD.search(w):
            continue
        out.append(w)
    return with_bigrams(out) if bigrams else out


def with_bigrams(words: list[str]) -> list[str]:
    """``tokenize(text)`` from ``tokenize(text, bigrams=False)``: each word followed by its character bigrams when it
    is a Chinese word longer than two characters (so a caller needing both cuts the text once).

    >>> with_bigrams(["续航掉", "ota"])
    ['续航掉', '续航', '航掉', 'ota']
    """
    out: list[str] = []
    for w in words:
        out.append(w)
        if len(w) > 2 and "\u4e00" <= w[0] <= "\u9fff":
            out.extend(w[i:i + 2] for i in range(len(w) - 1))
    return out


class BM25Index:
    """BM25F-style index over documents given as dicts of fields (or plain strings)."""

    def __init__(self, matrix: sparse.csr_matrix, vocab: dict[str, int]):
        self.matrix, self.vocab = matrix, vocab

    @classmethod
    def build(cls, docs: Sequence[dict | str], *, boosts: dict[str, float] | None = None, k1: float = 1.2,
              b: float = 0.75, tokens: Sequence[dict[str, list[str]]] | None = None) -> "BM25Index":
        """Index ``docs``; ``tokens`` may give pre-tokenised fields (the same shape as ``docs``)."""
        boosts = boosts or {"title": 2.0, "body": 1.0, "answer": 0.5}
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, doc in enumerate(tokens if tokens is not None else docs):
            fields = doc if isinstance(doc, dict) else {"body": doc}
            tf: dict[int, float] = {}
            for field, value in fields.items():
                toks = value if isinstance(value, list) else tokenize(value)
                weight = boosts.get(field, 1.0)
                for t in toks:
                    j = vocab.setdefault(t, len(vocab))
                    tf[j] = tf.get(j, 0.0) + weight
            rows.extend([i] * len(tf)); cols.extend(tf); vals.extend(tf.values())
        n = len(docs) if tokens is None else len(tokens)
        tf_m = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(n, max(len(vocab), 1)))
        length = np.asarray(tf_m.sum(axis=1)).ravel()
        avg = float(length.mean()) if n else 1.0
        df = np.bincount(tf_m.indices, minlength=tf_m.shape[1])
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        # Saturate every stored tf in place: tf (k1 + 1) / (tf + k1 (1 - b + b len / avg)) * idf.
        norm = np.repeat(k1 * (1 - b + b * length / max(avg, 1e-9)), np.diff(tf_m.indptr)).astype(np.float32)
        tf_m.data = tf_m.data * (k1 + 1) / (tf_m.data + norm) * idf[tf_m.indices]
        return cls(tf_m.tocsc().tocsr(), vocab)

    def query_vector(self, query: str | list[str]) -> sparse.csr_matrix:
        toks = query if isinstance(query, list) else tokenize(query)
        ids = [self.vocab[t] for t in toks if t in self.vocab]
        vec = np.bincount(ids, minlength=self.matrix.shape[1]).astype(np.float32) if ids else np.zeros(self.matrix.shape[1], np.float32)
        return sparse.csr_matrix(vec)

    def scores(self, query: str | list[str]) -> np.ndarray:
        """BM25 score of every document: the query terms' columns summed (cost ~ their postings)."""
        if not hasattr(self, "_csc"):
            self._csc = self.matrix.tocsc()
        toks = query if isinstance(query, list) else tokenize(query)
        out = np.zeros(self.matrix.shape[0], np.float32)
        ids, counts = np.unique([self.vocab[t] for t in toks if t in self.vocab], return_counts=True)
        indptr, indices, data = self._csc.indptr, self._csc.indices, self._csc.data
        for j, w in zip(ids, counts):
            a, b = indptr[j], indptr[j + 1]
            out[indices[a:b]] += w * data[a:b]
        return out

    def search(self, query: str | list[str], k: int = 10) -> list[tuple[int, float]]:
        """Top ``k`` (document index, score) with a positive score, best first."""
        s = self.scores(query)
        if not s.size:
            return []
        top = np.argpartition(-s, min(k, s.size - 1))[:k] if s.size > k else np.arange(s.size)
        return [(int(i), float(s[i])) for i in sorted(top, key=lambda i: -s[i]) if s[i] > 0]


def tfidf_vectors(texts: Iterable[str], *, concept_weight: int = 3, chars: bool = False) -> sparse.csr_matrix:
    """L2-normalised TF-IDF of words plus concept tokens (repeated ``concept_weight`` times, so two
    phrasings of one question meet), optionally character 2-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [" ".join(tokenize(t, bigrams=False) + concepts(t) * concept_weight + (_chars(t) if chars else [])) for t in texts]
    if not any(docs):  # only fillers and punctuation ("求助！", "谢谢大家"): nothing to compare, so every text stands alone
        return sparse.csr_matrix((len(docs), 1), dtype=np.float64)
    vec = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=False, min_df=1, lowercase=False)
    return vec.fit_transform(docs).tocsr()


def _chars(text: str | None) -> list[str]:
    han = [c for c in (text or "") if "\u4e00" <= c <= "\u9fff"]
    return ["".join(han[i:i + 2]) for i in range(len(han) - 1)]
