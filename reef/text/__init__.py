"""Text understanding for owner-community posts: offline, trained on real data, one table per batch.

``analyze(texts)`` returns one row per text: language and script, simplified text, tokens,
sentiment, car aspects with sentiment, intents, toxicity, spec claims, PII spans and a
MinHash signature. The heavy dependencies (rjieba, opencc, scikit-learn) come with the
``text`` extra and are imported on first use.

Example:
    >>> from reef.text import analyze, mask_pii
    >>> analyze(["续航很扎实，充电也快"]).num_rows
    1
    >>> mask_pii("我的车牌粤B12345")
    '我的车牌粤B****5'
"""
from __future__ import annotations

from importlib import import_module

__all__ = ["analyze", "model_version", "extract_claims", "find_pii", "mask_pii", "detect_intents",
           "minhash", "jaccard", "parse_number", "enrich_store", "mask_table"]

_WHERE = {
    "analyze": "reef.text.inputs", "model_version": "reef.text.pipeline",
    "extract_claims": "reef.text.claims", "find_pii": "reef.text.pii", "mask_pii": "reef.text.inputs",
    "detect_intents": "reef.text.intents", "minhash": "reef.text.signature", "jaccard": "reef.text.signature",
    "parse_number": "reef.text.numerals",
    "enrich_store": "reef.text.enrich", "mask_table": "reef.text.files",
}


def __getattr__(name: str):
    # Lazy: importing reef.text must not pull in scikit-learn or OpenCC until a function is used.
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'reef.text' has no attribute {name!r}")
