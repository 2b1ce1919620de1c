"""Train the car-aspect and post-sentiment models from CCF BDCI 2018 (../shared/data/ccf-car-aspects).

Split (reef.text.datasets.ccf_parts): 20% of unique post texts of the extended file held out
(split_posts, seed 20181), never used for fitting or tuning; the models are fitted on the rest
of train.csv's posts only, so the later-round posts of the extended file are car reviews they
never saw ("unseen"). The aspect threshold and the sentiment decision offsets are tuned on a
1,500-post validation share of the training part. Held-out and unseen figures
(reef.text.evaluation.ccf_figures) are printed as JSON and stored in each model's meta.

Usage: .venv/bin/python scripts/train_ccf.py [--data ../shared/data/ccf-car-aspects] [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from reef.config import load_config
from reef.text.datasets import CCF_ASPECTS, ccf_parts, load_ccf, post_sentiment
from reef.text.evaluation import ccf_figures, decide_sentiment, joint_f1, tune_offsets
from reef.text.lexicon import segmenter
from reef.text.linear import NgramLinearModel
from reef.text.normalize import normalize_texts

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "reef" / "text" / "models"
ASPECT_PARAMS = dict(kind="svm", C=1.0)
# lexicon=3: sentiment-lexicon pseudo-tokens weighted 3 (validation macro-F1 0.530 -> 0.565).
SENTIMENT_PARAMS = dict(kind="logreg", C=1.0, class_weight="balanced", lexicon=0.0)


def prepare(texts):
    norm = [r["text"] for r in normalize_texts(texts)]
    seg = segmenter()
    return norm, [seg.cut(t) for t in norm]


def labels(posts, texts):
    Y = np.array([[a in posts[t] for a in CCF_ASPECTS] for t in texts], dtype=np.int8)
    s = np.array([post_sentiment(posts[t]) for t in texts])
    return Y, s


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "ccf-car-aspects"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    posts = load_ccf(args.data)
    train = ccf_parts(args.data, posts)["train"]
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(train))
    val = [train[i] for i in order[:1500]]
    fit_part = [train[i] for i in order[1500:]]

    # 1. aspect threshold and sentiment offsets, chosen on validation (inside training) only
    Xf, Tf = prepare(fit_part)
    Xv, Tv = prepare(val)
    Yf, sf = labels(posts, fit_part)
    Yv, sv = labels(posts, val)
    probe = NgramLinearModel(**ASPECT_PARAMS, seed=args.seed).fit(Xf, Yf, Tf)
    Pv = probe.predict_proba(Xv, Tv)
    grid = np.arange(0.15, 0.6, 0.025)
    scores = [f1_score(Yv, Pv >= t, average="micro") for t in grid]
    threshold = round(float(grid[int(np.argmax(scores))]), 3)
    probe = NgramLinearModel(**SENTIMENT_PARAMS, seed=args.seed).fit(Xf, sf, Tf)
    Sv = probe.predict_proba(Xv, Tv)[:, [int(np.flatnonzero(probe.classes_ == c)[0]) for c in (-1, 0, 1)]]
    offsets, val_f1 = tune_offsets(Sv, sv)
    # aspects carry the post's sentiment; their offsets maximise joint (aspect, sentiment) F1 instead
    gold_pairs = [set(posts[t].items()) for t in val]
    found = [[CCF_ASPECTS[j] for j in np.flatnonzero(p >= threshold)] for p in Pv]

    def joint(offs):
        lab = decide_sentiment(Sv, offs)
        return joint_f1(gold_pairs, [{(a, int(s)) for a in f} for s, f in zip(lab, found)])
    grid2 = np.round(np.arange(-1.0, 1.51, 0.1), 2)
    aspect_offsets = max(([float(a), 0.0, float(b)] for a in grid2 for b in grid2), key=joint)
    val_joint = joint(aspect_offsets)

    # 2. final models on the whole training part
    Xt, Tt = prepare(train)
    Yt, st = labels(posts, train)
    aspects = NgramLinearModel(**ASPECT_PARAMS, seed=args.seed).fit(Xt, Yt, Tt)
    sentiment = NgramLinearModel(**SENTIMENT_PARAMS, seed=args.seed).fit(Xt, st, Tt)
    tuning = {"posts_train": len(train), "posts_validation": len(val), "aspect_threshold": threshold,
              "aspect_validation_micro_f1": round(float(max(scores)), 4), "sentiment_offsets": offsets,
              "sentiment_validation_macro_f1": round(val_f1, 4),
              "aspect_sentiment_offsets": aspect_offsets, "joint_validation_f1": round(val_joint, 4)}
    OUT.mkdir(parents=True, exist_ok=True)
    aspects.save(OUT / "ccf_aspects.npz", labels=list(CCF_ASPECTS), threshold=threshold, tuning=tuning,
                 version="ccf_aspects-2")
    sentiment.save(OUT / "ccf_sentiment.npz", decision_offsets=offsets, aspect_offsets=aspect_offsets, tuning=tuning, version="ccf_sentiment-2")
    figures = {**tuning, **ccf_figures(args.data, config=load_config().with_overrides({"text.aspect_threshold": threshold}))}
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
