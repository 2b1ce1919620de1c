"""Train the LSA model of ``reef ask`` (docs/models/kb_lsa.md) on a community's own threads.

    .venv/bin/python scripts/train_kb_lsa.py --db community.duckdb --out lsa.npz [--exclude ids.txt]
        [--dims 300] [--min-df 2] [--max-docs 50000] [--seed 0]

Each document is one whole thread (root post, answers, replies; code, LaTeX and links stripped),
tokenised like the search index (rjieba words, bigrams of long Chinese words, stop words dropped).
``--exclude`` names thread root ids (one per line) kept out of training: the validation keeps every
Stack Exchange question of a duplicate link out this way. Point ``[kb] semantic_model`` at the
``.npz`` to use it instead of the model the ``kb_search`` analysis trains on the community itself.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def train_encoder(store, *, exclude=frozenset(), dims: int = 300, min_df: int = 2, max_docs: int = 50000, seed: int = 0, as_of=None):
    """(encoder, threads used): the LSA model trained on the store's threads minus ``exclude``."""
    from reef.kb.hybrid import SearchParams
    from reef.kb.search import community_threads
    from reef.kb.semantic import LsaEncoder

    if as_of is None:
        as_of = store.fetch_value("SELECT max(created_at) FROM content")
    params = SearchParams(semantic_dims=dims, semantic_min_df=min_df, semantic_max_docs=max_docs, semantic_seed=seed)
    docs = community_threads(store, params, as_of, exclude=frozenset(exclude))
    return LsaEncoder(dims, min_df, max_docs=max_docs, seed=seed).fit(docs), len(docs)


def main() -> None:
    from reef.store import open_store

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a Reef store (the community to learn from)")
    ap.add_argument("--out", required=True, help="where to write the .npz")
    ap.add_argument("--exclude", help="file of thread root ids to leave out, one per line")
    ap.add_argument("--dims", type=int, default=300)
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--max-docs", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    exclude = set(Path(a.exclude).read_text(encoding="utf-8").split()) if a.exclude else set()
    t = time.time()
    store = open_store(a.db, read_only=True)
    enc, n = train_encoder(store, exclude=exclude, dims=a.dims, min_df=a.min_df, max_docs=a.max_docs, seed=a.seed)
    enc.save(a.out)
    print(f"{a.out}: {n} threads, {len(enc.vocab_)} terms, {enc.components_.shape[0]} dimensions, {time.time() - t:.1f} s")


if __name__ == "__main__":
    main()
