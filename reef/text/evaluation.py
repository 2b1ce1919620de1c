"""Measure ``reef.text.analyze`` on the fixed CCF parts, and the sentiment decision offsets.

:func:`ccf_figures` is what the training script stores in the model meta and what an
evaluation command reports: held-out aspect / sentiment / joint figures and the positive vs
negative accuracy on later-round car reviews the models never saw (see
:func:`reef.text.datasets.ccf_parts`), next to SnowNLP's own sentiment on the same polar posts
(the issue's baseline, :func:`snownlp_accuracy`). :func:`tune_offsets` picks per-class log-probability
offsets that maximise macro-F1 on a validation part; :func:`decide_sentiment` applies them.

Example:
    >>> import numpy as np
    >>> P = np.array([[0.3, 0.6, 0.1], [0.1, 0.5, 0.4]])
    >>> decide_sentiment(P, [0.0, 0.0, 0.0]).tolist(), decide_sentiment(P, [1.0, 0.0, 0.5]).tolist()
    ([0, 0], [-1, 1])
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

__all__ = ["ccf_figures", "tune_offsets", "decide_sentiment", "joint_f1", "snownlp_accuracy"]


def decide_sentiment(P: np.ndarray, offsets: Sequence[float]) -> np.ndarray:
    """-1/0/1 per row of probabilities ordered (-1, 0, 1), after adding ``offsets`` to the log-probabilities."""
    P = np.asarray(P, dtype=np.float64)
    if len(P) == 0:
        return np.zeros(0, dtype=np.int8)
    return (np.log(P + 1e-12) + np.asarray(offsets, dtype=np.float64)).argmax(1).astype(np.int8) - 1


def tune_offsets(P: np.ndarray, y: Sequence[int], grid: Sequence[float] | None = None) -> tuple[list[float], float]:
    """Offsets (neg, 0, pos) on a grid maximising macro-F1 of ``decide_sentiment`` on (P, y)."""
    from sklearn.metrics import f1_score

    grid = np.round(np.arange(-1.0, 1.51, 0.1), 2) if grid is None else grid
    best = (-1.0, [0.0, 0.0, 0.0])
    for neg in grid:
        for pos in grid:
            offsets = [float(neg), 0.0, float(pos)]
            f = f1_score(y, decide_sentiment(P, offsets), average="macro")
            if f > best[0] + 1e-9:
                best = (f, offsets)
    return best[1], float(best[0])


def joint_f1(gold: Sequence[set], pred: Sequence[set]) -> float:
    """Micro F1 over (aspect, sentiment) pairs."""
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    precision = tp / max(1, sum(map(len, pred)))
    recall = tp / max(1, sum(map(len, gold)))
    return 2 * precision * recall / max(1e-9, precision + recall)


def snownlp_accuracy(texts: Sequence[str], positive: Sequence[bool]) -> float | None:
    """Positive-vs-negative accuracy of SnowNLP's shipped naive-Bayes sentiment (> 0.5 = positive).

    The issue's named baseline, run on the raw post texts; None when ``snownlp`` is not installed
    (the ``lexicons`` extra).
    """
    try:
        from snownlp import SnowNLP
    except ImportError:
        return None
    if not texts:
        return None
    pred = np.array([SnowNLP(t).sentiments > 0.5 if t.strip() else False for t in texts])
    return round(float((pred == np.asarray(positive, dtype=bool)).mean()), 4)


def ccf_figures(folder: str | Path, *, config=None, sets: Sequence[str] = ("held_out", "unseen"),
                baseline: bool = True) -> dict[str, Any]:
    """Figures of ``analyze`` on CCF ``held_out`` and ``unseen`` posts (dict of two dicts).

    An aspect counts as the operator sees it: every row naming a CCF aspect, from the model or from a lexicon
    cue (安全性's fire cues). ``sets`` narrows the parts and ``baseline=False`` skips SnowNLP: ``sets=("held_out",),
    baseline=False`` takes seconds (``scripts/eval_text.py --aspects``).
    """
    from sklearn.metrics import accuracy_score, f1_score

    from reef.text.datasets import CCF_ASPECTS, ccf_parts, load_ccf, post_sentiment
    from reef.text.pipeline import analyze

    posts = load_ccf(folder)
    parts = ccf_parts(folder, posts)
    out: dict[str, Any] = {}
    for name in sets:
        texts = parts[name]
        table = analyze(texts, config=config)
        rows = table.column("aspects").to_pylist()
        shown = [[a for a in r if a["aspect"] in CCF_ASPECTS] for r in rows]
        gold = np.array([[a in posts[t] for a in CCF_ASPECTS] for t in texts])
        pred = np.array([[any(a["aspect"] == c for a in r) for c in CCF_ASPECTS] for r in shown])
        sent_gold = np.array([post_sentiment(posts[t]) for t in texts])
        sent = np.array(table.column("sentiment").to_pylist())
        score = table.column("sentiment_score").to_numpy()
        polar = sent_gold != 0
        out[name] = {
            "posts": len(texts), "polar_posts": int(polar.sum()),
            "aspect_micro_f1": round(float(f1_score(gold, pred, average="micro")), 4),
            "sentiment_macro_f1": round(float(f1_score(sent_gold, sent, average="macro")), 4),
            "sentiment_accuracy": round(float(accuracy_score(sent_gold, sent)), 4),
            "joint_f1": round(joint_f1([set(posts[t].items()) for t in texts],
                                       [{(a["aspect"], a["sentiment"]) for a in r} for r in shown]), 4),
            "binary_pos_vs_neg_accuracy": round(float(((score[polar] > 0) == (sent_gold[polar] > 0)).mean()), 4),
        }
        snow = snownlp_accuracy([t for t, p in zip(texts, polar) if p], sent_gold[polar] > 0) if baseline else None
        if snow is not None:
            out[name]["snownlp_pos_vs_neg_accuracy"] = snow
            out[name]["margin_over_snownlp"] = round(out[name]["binary_pos_vs_neg_accuracy"] - snow, 4)
    return out
