"""Train the toxicity (offensive language) model from COLD (../shared/data/cold).

Split: fit on COLD train only; report on COLD dev, which is never used for fitting or
tuning (the official test split is not in ../shared/data). Platt calibration uses a seeded
15% share of train. Held-out figures are printed as JSON and stored in the model's meta.

Usage: .venv/bin/python scripts/train_toxicity.py [--data ../shared/data/cold] [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from reef.text.datasets import load_cold
from reef.text.lexicon import segmenter
from reef.text.linear import NgramLinearModel
from reef.text.normalize import normalize_texts

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "reef" / "text" / "models"
PARAMS = dict(kind="svm", C=0.5)


def prepare(texts):
    norm = [r["text"] for r in normalize_texts(texts)]
    seg = segmenter()
    return norm, [seg.cut(t) for t in norm]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "cold"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    train, ytr = load_cold(args.data, "train")
    dev, ydev = load_cold(args.data, "dev")
    Xt, Tt = prepare(train)
    Xd, Td = prepare(dev)
    model = NgramLinearModel(**PARAMS, seed=args.seed).fit(Xt, np.array(ytr), Tt)
    p = model.predict_proba(Xd, Td)[:, 0]
    pred = (p >= 0.5).astype(int)
    figures = {
        "train_rows": len(train), "dev_rows": len(dev),
        "dev_accuracy": round(accuracy_score(ydev, pred), 4),
        "dev_f1": round(f1_score(ydev, pred), 4),
        "dev_precision": round(precision_score(ydev, pred), 4),
        "dev_recall": round(recall_score(ydev, pred), 4),
        "dev_auc": round(roc_auc_score(ydev, p), 4),
        "dev_brier": round(float(np.mean((p - np.array(ydev)) ** 2)), 4),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    model.save(OUT / "cold_toxicity.npz", figures=figures, version="cold_toxicity-1")
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
