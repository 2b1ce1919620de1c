"""Round 6's one learned claim candidate (variant b95), frozen: train on the ten fixtures, score any JSONL set.

Not product code. The candidate is variant b95 of ``scripts/claim_tagger_cv.py`` (docs/text-claims.md, "Round 6
groundwork" and "Round 6 addendum"): the rules' number+unit candidates (``scripts/claim_tagger_candidates.py``, extra
generators on), their rule and context features, a logistic regression (C = 1, liblinear, seed 0) trained on all ten
labelled fixtures in tests/text/fixtures. Its threshold is picked once, by leave-one-set-out over the eight
300-sentence sets (each scored by a model trained on the other nine), as the one with the most recall at pooled
precision >= 0.95. The script prints a fingerprint of the frozen model (threshold and coefficients), so a later run
can show it scored with the same model.

Scoring follows ``reef.text.evaluate.claim_scores``: per sentence, sets of (attribute, value rounded to 3, unit) after
``normalize_texts``. With ``--score FILE ...`` each file's predictions are written to ``--out`` and, when the file
carries labels, precision and recall are printed per file, per source and pooled, next to the shipped rules' figures.

Usage:
    .venv/bin/python scripts/claim_round6_candidate.py                      # freeze: threshold, fingerprint, LOSO check
    .venv/bin/python scripts/claim_round6_candidate.py --score A.jsonl B.jsonl --out /tmp/round6-pred
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claim_tagger_cv import (FOLDS, TRAIN_ONLY, _int32, build, features, fit, kept, load,  # noqa: E402
                             load_path, pick_threshold, predict_sets)

from reef.text.claims import extract_claims  # noqa: E402
from reef.text.evaluate import claim_key, prf  # noqa: E402

ALL = FOLDS + TRAIN_ONLY


def matrices(vec: DictVectorizer, cands: dict[str, list[dict]]) -> dict:
    return {n: (_int32(vec.transform([features(c, True) for c in cs])), np.array([c["label"] for c in cs]))
            for n, cs in cands.items()}


def freeze(data: dict, cands: dict) -> tuple:
    """(vectoriser, final model, threshold, out-of-fold sets) — the threshold from leave-one-set-out over the 300-sets."""
    vec = DictVectorizer().fit([features(c, True) for n in ALL for c in cands[n]])
    mats = matrices(vec, cands)
    oof = []
    for held in FOLDS:
        model = fit(mats, [n for n in ALL if n != held])
        X = mats[held][0]
        sc = model.predict_proba(X)[:, 1] if X.shape[0] else np.zeros(0)
        oof.append((data[held], cands[held], sc, kept(cands[held], sc)))
    t95, _ = pick_threshold(oof)
    return vec, fit(mats, list(ALL)), t95, oof


def fingerprint(model, threshold: float) -> str:
    h = hashlib.sha256(np.round(model.coef_, 10).tobytes() + np.round(model.intercept_, 10).tobytes())
    h.update(f"{threshold:.2f}".encode())
    return h.hexdigest()[:16]


def predict(vec, model, threshold: float, rows: list[dict]) -> list[set]:
    cands = build(rows, extra=True)  # the same candidates as in training (their labels are not used here)
    if not cands:
        return [set() for _ in rows]
    sc = model.predict_proba(_int32(vec.transform([features(c, True) for c in cands])))[:, 1]
    return predict_sets(rows, cands, sc, kept(cands, sc), threshold)


def report(label: str, pairs_rules: list, pairs_cand: list) -> None:
    pr, rr, g = prf(pairs_rules)
    pc, rc, _ = prf(pairs_cand)
    print(f"{label:<34}{len(pairs_rules):>6}{g:>6}{pr:>9.3f}{rr:>8.3f}{pc:>11.3f}{rc:>8.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--score", type=Path, nargs="*", default=[], help="claim JSONL files to score")
    ap.add_argument("--out", type=Path, default=Path("/tmp/claim-round6-pred"), help="folder for the predictions")
    args = ap.parse_args()
    data = {n: load(n) for n in ALL}
    cands = {n: build(rows, True) for n, rows in data.items()}
    vec, model, t95, oof = freeze(data, cands)
    pairs = [(r["gold"], p) for rows, cs, sc, kp in oof for r, p in zip(rows, predict_sets(rows, cs, sc, kp, t95))]
    p, r, g = prf(pairs)
    print(f"frozen b95: threshold {t95:.2f}, fingerprint {fingerprint(model, t95)}, "
          f"{sum(map(len, cands.values()))} training candidates")
    print(f"leave-one-set-out over the eight 300-sets at that threshold (chosen on them, so optimistic): "
          f"P {p:.3f} R {r:.3f} ({g} claims)")
    if not args.score:
        return
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"\n{'set':<34}{'sent':>6}{'gold':>6}{'rules P':>9}{'R':>8}{'cand. P':>11}{'R':>8}")
    pooled_rules, pooled_cand = [], []
    for path in args.score:
        rows = load_path(path)
        cand = predict(vec, model, t95, rows)
        rules = [{claim_key(c) for c in extract_claims(r["norm"])} if r["live"] else set() for r in rows]
        with open(args.out / f"{path.stem}.candidate.jsonl", "w", encoding="utf-8") as fh:
            for r, ks in zip(rows, cand):
                claims = [{"attribute": a, "value": v, "unit": u} for a, v, u in sorted(ks)]
                fh.write(json.dumps({"id": r.get("id"), "claims": claims}, ensure_ascii=False) + "\n")
        if not any(r["gold"] for r in rows):
            print(f"{path.stem:<34}{len(rows):>6}   (no labels: predictions written only)")
            continue
        for src in (None, "ccf", "simulator"):
            keep = [i for i, r in enumerate(rows) if src is None or r.get("source") == src]
            pr_ = [(rows[i]["gold"], rules[i]) for i in keep]
            pc_ = [(rows[i]["gold"], cand[i]) for i in keep]
            report(path.stem + ("" if src is None else f", {src}"), pr_, pc_)
            if src is None:
                pooled_rules += pr_
                pooled_cand += pc_
    if len(args.score) > 1 and pooled_rules:
        report("pooled", pooled_rules, pooled_cand)
    print(f"\npredictions in {args.out}")


if __name__ == "__main__":
    main()
