r"""What members write about, as one TF-IDF row per member (the text side of interest circles).

A member's terms (in simplified characters) are the tags of their own items (``#改装``), the tags of the
threads they reply in, the aspects the text layer found in their items (``@续航与充电``, from
``content_features.aspect_names``) and the words of their latest texts (rjieba tokens of title and
first ``text_chars`` characters of at most ``text_items_per_member`` items). Each source has its
weight in ``[layers]``. Counting happens in DuckDB; only the tokenisation of the capped texts runs in
Python, so a million members stay within minutes.

Example:
    >>> words("澜途S7 改装轮毂和悬挂, the quantum circuit 2024 $\\left|0\\rangle$")
    ['澜途', 's7', '改装', '轮毂', '悬挂', 'quantum', 'circuit']
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa

from reef.lazy import lazy_module

sparse = lazy_module("scipy.sparse")

__all__ = ["MemberTerms", "member_terms", "words", "display_term"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"^[a-z][a-z0-9+#\-]*$")
_NUMERIC = re.compile(r"^[\d.,%\-]+$")
_MARKUP = re.compile(r"\\[A-Za-z]+|https?://\S+|\$")
# Function words and forum fillers (Chinese) on top of scikit-learn's English list.
_STOP_ZH = set("的 了 吗 呢 吧 啊 呀 嘛 么 是 在 有 和 与 就 都 也 还 又 很 请问 请教 一下 大家 各位 谢谢 求助 新人 萌新 提问 老司机 指点 "
               "说说 一个 这个 那个 什么 怎么 怎么样 我们 你们 他们 自己 没有 可以 感觉 就是 还是 但是 因为 所以 如果 已经 现在 时候 "
               "这么 那么 真的 比较 非常 一点 有点 不是 知道 觉得 出来 起来 大概 左右 一样 多少 问题 有人 希望 帮助 欢迎 补充".split())
# English forum fillers scikit-learn's list leaves out (it is a list of function words): on English sites they
# otherwise top a circle's terms ("like" was shown as the acronym LIKE).
_STOP_EN = set("like just really thing things want know think use using used way does did doesn don got make need "
               "tried try question questions answer answers".split())


@functools.cache
def _stopwords() -> frozenset[str]:
    """The stop words, read on first use (scikit-learn's English list is a costly import)."""
    try:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    except ImportError:  # the text extra is missing: Chinese list only
        ENGLISH_STOP_WORDS = frozenset()
    return frozenset(_STOP_ZH | _STOP_EN | set(ENGLISH_STOP_WORDS))


def words(text: str | None) -> list[str]:
    """Content words of ``text``: rjieba tokens of its simplified form, lower-cased, without stop words, numbers,
    single Chinese characters and Latin tokens shorter than three letters (model codes like s7 are kept)."""
    if not text:
        return []
    import rjieba  # the text extra; imported lazily so the module loads without it

    from reef.text.normalize import to_simplified

    out, stopwords = [], _stopwords()
    # Formulas (MathJax/LaTeX: \\rangle, \\left) and URLs are not topics; 續航 and 续航 are one term.
    text = to_simplified(_MARKUP.sub(" ", text))
    for w in rjieba.cut(text.lower()):
        w = w.strip()
        if not w or w in stopwords or _NUMERIC.match(w):
            continue
        if _CJK.search(w):
            if len(w) >= 2:
                out.append(w)
        elif _LATIN.match(w) and (len(w) >= 3 or any(ch.isdigit() for ch in w)):
            out.append(w)
    return out


def display_term(term: str) -> str:
    """A term as operators read it: ``#改装`` (tag) and ``@外观`` (aspect) lose their marker, and a Latin code that
    :func:`words` lower-cased is written as owners write it: a model or spec code with a digit (``l9`` -> ``L9``,
    ``800v`` -> ``800V``), a word of three letters (``ota`` -> ``OTA``) or an acronym of the car dictionary
    (``cltc`` -> ``CLTC``); other words (``gate``, ``carplay``) are left alone.

    >>> [display_term(t) for t in ("#改装", "@外观", "l9", "800v", "ota", "cltc", "gate", "carplay")]
    ['改装', '外观', 'L9', '800V', 'OTA', 'CLTC', 'gate', 'carplay']
    """
    term = term[1:] if term[:1] in "#@" else term
    if term.isascii() and term.isalnum() and (any(ch.isdigit() for ch in term) or len(term) <= 3
                                             or term.upper() in _dictionary_acronyms()):
        return term.upper()
    return term


@functools.cache
def _dictionary_acronyms() -> frozenset[str]:
    """The car dictionary's upper-case Latin entries (CLTC, WLTC, NEDC ...)."""
    from reef.text.lexicon import car_dictionary

    return frozenset(w for w, _ in car_dictionary() if w.isascii() and w.isalpha() and w.isupper())


@dataclass
class MemberTerms:
    """``ids[i]`` wrote row ``i``; ``tfidf`` is L2-normalised, ``counts`` the weighted raw counts."""

    ids: np.ndarray
    terms: np.ndarray
    tfidf: sparse.csr_matrix
    counts: sparse.csr_matrix


_MEMBERS = "SELECT member_id FROM members_at($ts) WHERE coalesce(account_type, 'member') = 'member'"


def _text_rows(store, as_of: datetime, p: dict) -> pa.Table:
    """(member_id, term, weight) of the words in each member's latest texts."""
    texts = store.fetch_arrow(f"""
        SELECT author_id, left(coalesce(title, '') || ' ' || coalesce(body, ''), $chars) AS text FROM (
            SELECT c.author_id, c.title, c.body,
                   row_number() OVER (PARTITION BY c.author_id ORDER BY c.created_at DESC, c.content_id) AS rn
            FROM content_at($ts) c WHERE c.kind IN (SELECT unnest($kinds)) AND c.author_id IN ({_MEMBERS}))
        WHERE rn <= $cap""", {"ts": as_of, "chars": int(p["text_chars"]), "kinds": list(p["text_kinds"]),
                              "cap": int(p["text_items_per_member"])})
    authors = texts.column("author_id").to_pylist()
    owner, terms = [], []
    for author, text in zip(authors, texts.column("text").to_pylist()):
        ws = words(text)
        owner.extend([author] * len(ws))
        terms.extend(ws)
    return pa.table({"member_id": pa.array(owner, pa.string()), "term": pa.array(terms, pa.string())})


def member_terms(store, as_of: datetime, params: dict) -> MemberTerms:
    """Weighted term counts and TF-IDF rows of every member who wrote anything with a term in the vocabulary."""
    words_tbl = _text_rows(store, as_of, params) if float(params["text_weight"]) > 0 else \
        pa.table({"member_id": pa.array([], pa.string()), "term": pa.array([], pa.string())})
    # Aspects need the text layer; without it (a dump never enriched) tags and words still work.
    aspects = ("UNION ALL SELECT o.author_id, '@' || unnest(f.aspect_names), $aw FROM own o "
               "JOIN content_features f ON f.content_id = o.content_id") if store.table_exists("content_features") else ""
    with store.registered("_lay_words", words_tbl):
        store.execute(f"""
            CREATE OR REPLACE TEMP TABLE _lay_terms AS
            WITH own AS (SELECT c.content_id, c.author_id, c.tags, c.thread_id FROM content_at($ts) c
                         WHERE c.author_id IN ({_MEMBERS}) AND c.kind <> 'poll_vote'),
            rows AS (
                SELECT author_id AS member_id, '#' || lower(trim(unnest(tags))) AS term, $tw AS w FROM own
                UNION ALL SELECT o.author_id, '#' || lower(trim(unnest(t.tags))), $ttw FROM own o
                    JOIN content_at($ts) t ON t.content_id = o.thread_id AND t.content_id <> o.content_id
                {aspects}
                UNION ALL SELECT member_id, term, $xw FROM _lay_words)
            SELECT member_id, term, sum(w) AS w FROM rows WHERE term NOT IN ('#', '@') AND w > 0 GROUP BY ALL""",
            {"ts": as_of, "tw": float(params["tag_weight"]), "ttw": float(params["thread_tag_weight"]),
             "xw": float(params["text_weight"]), **({"aw": float(params["aspect_weight"])} if aspects else {})})
    _simplify_tags(store)
    return _matrix(store, params)


def _simplify_tags(store) -> None:
    """Tags in simplified characters, like the words: #續航 and #续航 are one term (converted over the distinct tags,
    a small vocabulary, then summed again)."""
    from reef.text.normalize import to_simplified

    tags = [t for (t,) in store.fetch_all("SELECT DISTINCT term FROM _lay_terms WHERE term LIKE '#%'")]
    pairs = [(t, s) for t in tags if (s := to_simplified(t)) != t]
    if not pairs:
        return
    with store.registered("_lay_t2s", pa.table({"term": [a for a, _ in pairs], "simple": [b for _, b in pairs]})):
        store.execute("""CREATE OR REPLACE TEMP TABLE _lay_terms AS SELECT t.member_id, coalesce(m.simple, t.term) AS term,
                         sum(t.w) AS w FROM _lay_terms t LEFT JOIN _lay_t2s m USING (term) GROUP BY ALL""")


def _matrix(store, params: dict) -> MemberTerms:
    """Vocabulary by document frequency, then TF-IDF (1 + ln w) x idf, rows L2-normalised."""
    n = int(store.fetch_value("SELECT count(DISTINCT member_id) FROM _lay_terms") or 0)
    tbl = store.fetch_arrow("""
        WITH df AS (SELECT term, count(*) AS df FROM _lay_terms GROUP BY 1),
        vocab AS (SELECT term, df, row_number() OVER (ORDER BY df DESC, term) - 1 AS j FROM df
                  WHERE df >= $min_df AND df <= greatest($max_df * $n, $min_df) QUALIFY j < $max_terms),
        mem AS (SELECT DISTINCT member_id FROM _lay_terms t WHERE term IN (SELECT term FROM vocab)),
        mi AS (SELECT member_id, row_number() OVER (ORDER BY member_id) - 1 AS i FROM mem)
        SELECT mi.i, v.j, t.w, v.df, t.member_id, t.term FROM _lay_terms t JOIN vocab v USING (term) JOIN mi USING (member_id)
        ORDER BY mi.i, v.j""", {"min_df": int(params["min_df"]), "max_df": float(params["max_df"]), "n": n,
                                "max_terms": int(params["max_terms"])})
    store.execute("DROP TABLE IF EXISTS _lay_terms")
    if tbl.num_rows == 0:
        empty = sparse.csr_matrix((0, 0))
        return MemberTerms(np.array([], dtype=object), np.array([], dtype=object), empty, empty)
    i = tbl.column("i").to_numpy().astype(np.int64)
    j = tbl.column("j").to_numpy().astype(np.int64)
    w = tbl.column("w").to_numpy().astype(np.float64)
    df = tbl.column("df").to_numpy().astype(np.float64)
    rows, vocab = int(i.max()) + 1, int(j.max()) + 1
    ids = np.empty(rows, dtype=object)
    ids[i] = np.asarray(tbl.column("member_id").to_pylist(), dtype=object)
    terms = np.empty(vocab, dtype=object)
    terms[j] = np.asarray(tbl.column("term").to_pylist(), dtype=object)
    counts = sparse.csr_matrix((w, (i, j)), shape=(rows, vocab))
    idf = np.log((1.0 + rows) / (1.0 + df)) + 1.0
    tfidf = sparse.csr_matrix(((1.0 + np.log1p(w)) * idf, (i, j)), shape=(rows, vocab))
    norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    tfidf = sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ tfidf
    return MemberTerms(ids, terms, tfidf.tocsr(), counts)
