"""Train the car-aspect and post-sentiment models from CCF BDCI 2018 (../shared/data/ccf-car-aspects).

Split: 20% of unique post texts held out (reef.text.datasets.split_posts, seed 20181), never
used for fitting or tuning. The aspect decision threshold is tuned on a validation share of
the training part only. Held-out figures are printed as JSON and stored in each model's meta.

Usage: .venv/bin/python scripts/train_ccf.py [--data ../shared/data/ccf-car-aspects] [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from reef.text.datasets import CCF_ASPECTS, load_ccf, post_sentiment, split_posts
from reef.text.lexicon import segmenter
from reef.text.linear import NgramLinearModel
from reef.text.normalize import normalize_texts

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "reef" / "text" / "models"
ASPECT_PARAMS = dict(kind="svm", C=1.0)
SENTIMENT_PARAMS = dict(kind="logreg", C=3.0, class_weight="balanced")


def prepare(texts):
    norm = [r["text"] for r in normalize_texts(texts)]
    seg = segmenter()
    return norm, [seg.cut(t) for t in norm]


def labels(posts, texts):
    Y = np.array([[a in posts[t] for a in CCF_ASPECTS] for t in texts], dtype=np.int8)
    s = np.array([post_sentiment(posts[t]) for t in texts])
    return Y, s


def decide(P, threshold):
    """Aspects above threshold; every CCF post has at least one, so keep the best one too."""
    out = P >= threshold
    out[np.arange(len(P)), P.argmax(1)] = True
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "ccf-car-aspects"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    posts = load_ccf(args.data)
    train, held = split_posts(posts)
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(train))
    val = [train[i] for i in order[:1500]]
    fit_part = [train[i] for i in order[1500:]]

    # 1. threshold for aspects, chosen on validation (inside training) only
    Xf, Tf = prepare(fit_part)
    Xv, Tv = prepare(val)
    Yf, _ = labels(posts, fit_part)
    Yv, _ = labels(posts, val)
    probe = NgramLinearModel(**ASPECT_PARAMS, seed=args.seed).fit(Xf, Yf, Tf)
    Pv = probe.predict_proba(Xv, Tv)
    grid = np.arange(0.15, 0.6, 0.025)
    scores = [f1_score(Yv, decide(Pv, t), average="micro") for t in grid]
    threshold = float(grid[int(np.argmax(scores))])

    # 2. final models on the whole training part
    Xt, Tt = prepare(train)
    Xh, Th = prepare(held)
    Yt, st = labels(posts, train)
    Yh, sh = labels(posts, held)
    aspects = NgramLinearModel(**ASPECT_PARAMS, seed=args.seed).fit(Xt, Yt, Tt)
    sentiment = NgramLinearModel(**SENTIMENT_PARAMS, seed=args.seed).fit(Xt, st, Tt)

    Ph = decide(aspects.predict_proba(Xh, Th), threshold)
    Sp = sentiment.predict_proba(Xh, Th)
    sent_pred = sentiment.classes_[Sp.argmax(1)]
    gold_pairs = [{(a, v) for a, v in posts[t].items()} for t in held]
    pred_pairs = [{(CCF_ASPECTS[j], int(sent_pred[i])) for j in np.flatnonzero(Ph[i])} for i in range(len(held))]
    tp = sum(len(g & p) for g, p in zip(gold_pairs, pred_pairs))
    prec = tp / max(1, sum(map(len, pred_pairs)))
    rec = tp / max(1, sum(map(len, gold_pairs)))
    conf = Sp.max(1)
    bins = np.minimum((conf * 10).astype(int), 9)
    correct = sent_pred == sh
    ece = sum(abs(correct[bins == b].mean() - conf[bins == b].mean()) * (bins == b).mean()
              for b in range(10) if (bins == b).any())
    figures = {
        "posts_train": len(train), "posts_held_out": len(held), "aspect_threshold": threshold,
        "aspect_micro_f1": round(f1_score(Yh, Ph, average="micro"), 4),
        "aspect_macro_f1": round(f1_score(Yh, Ph, average="macro"), 4),
        "per_aspect_f1": {a: round(f, 4) for a, f in zip(CCF_ASPECTS, f1_score(Yh, Ph, average=None))},
        "sentiment_macro_f1": round(f1_score(sh, sent_pred, average="macro"), 4),
        "sentiment_accuracy": round(float(correct.mean()), 4),
        "sentiment_ece": round(float(ece), 4),
        "joint_aspect_sentiment_f1": round(2 * prec * rec / max(1e-9, prec + rec), 4),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    aspects.save(OUT / "ccf_aspects.npz", labels=list(CCF_ASPECTS), threshold=threshold, figures=figures,
                 version="ccf_aspects-1")
    sentiment.save(OUT / "ccf_sentiment.npz", figures=figures, version="ccf_sentiment-1")
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
