"""Train and measure a learned intent reader against the cue patterns (protocol fixed before the training labels).

Why: on 300 real texts labelled by two blind annotators (tests/text/fixtures/intents_300.jsonl), the cue patterns of
reef/text/intents.py reach micro-F1 0.287; answers, experience shares, complaints and disagreements are mostly missed.

Protocol (written before any training label was read):
- Training data: tests/text/fixtures/intents_train.jsonl (1,200 real texts, 600 CCF + 600 Weibo, each labelled once
  with the same guidelines) plus simulator texts of seed 2613 (1,500 members, 120 days; up to 1,500 content items,
  title + newline + body as ``reef enrich`` reads them) with their truth intents, so the grammar the demo and the
  validations use is not forgotten.
- Learned intents: those with at least 20 positive real training texts. Every other intent keeps its cue pattern.
- Model: ``NgramLinearModel(kind="logreg")`` multilabel over the learned intents; features are the char/word n-grams
  of the normalised text plus one pseudo-token per cue pattern that matches ("__cue_question", ...).
- Tuning on the gold set's ``dev`` part only (150 texts): C from (0.3, 1, 3, 10) by dev micro-F1 over the learned
  intents, then one probability threshold per learned intent from 0.10-0.90 (step 0.05) by its dev F1.
- Amended after the first dev run (held-out untouched; the first run chose C = 10, the grid's edge, by F1 at
  threshold 0.5): C from (1, 3, 10, 30, 100), chosen by dev micro-F1 *after* the per-intent thresholds are tuned;
  and per learned intent the cue pattern is kept instead when its dev F1 is higher than the tuned model's (the
  first run's learned question reader was below the cue on dev, 0.500 vs 0.612).
- Amended again after the second dev run (held-out untouched): intents with 0-2 dev gold texts got threshold 0.10
  from a tie at F1 0 there. Thresholds and the cue-or-model choice now come from 5-fold out-of-fold
  probabilities on the 1,200 real training texts (each fold's model fitted on the other folds plus all simulator
  texts), which have 9-270 positives per intent; dev only chooses C (by dev micro-F1 with those thresholds) and
  is reported.
- Reported: dev figures of cues and candidate; with ``--held-out``, the gold set's ``held_out`` part (150 texts),
  run once for the frozen candidate; simulator agreement with truth intents on seed 2614 (never trained on), for
  cues and candidate.
- Adoption as the default reader needs: held-out micro-F1 over all eleven intents above the cues', and simulator
  micro-F1 not more than 0.02 below the cues' (the simulator validations read intents). Until the validations of the
  other issues are re-run with it, it ships as an option (``text.intent_reader = "learned"``).

Usage: .venv/bin/python scripts/train_intents.py [--held-out] [--save]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reef.text.datasets import intent_texts  # noqa: E402
from reef.text.evaluate import default_data_dir, read_jsonl  # noqa: E402
from reef.text.intent_reader import read_intents, with_cue_tokens  # noqa: E402
from reef.text.intent_scores import intent_scores, simulator_intents  # noqa: E402
from reef.text.intents import INTENTS  # noqa: E402

FIXTURES = ROOT / "tests" / "text" / "fixtures"
MIN_POSITIVES = 20
C_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
THRESHOLDS = np.round(np.arange(0.10, 0.901, 0.05), 2)
SIM_TRAIN_SEED, SIM_CHECK_SEED, SIM_ITEMS = 2613, 2614, 1500
VERSION = "intents-1"


def prepared(texts: list[str]) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Normalised texts, their tokens, and the cue reader's intents (as ``reef.text.analyze`` gives them)."""
    from reef.text.lexicon import segmenter
    from reef.text.pipeline import analyze

    table = analyze(texts)
    norm = [t or "" for t in table.column("text").to_pylist()]
    cue = [list(v or []) for v in table.column("intents").to_pylist()]
    seg = segmenter()
    return norm, [[w for w in seg.cut(t) if w.strip()] for t in norm], cue


def main() -> None:
    from sklearn.metrics import f1_score

    from reef.text.linear import NgramLinearModel

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=default_data_dir())
    ap.add_argument("--held-out", action="store_true", help="also measure the frozen candidate on the held-out part")
    ap.add_argument("--save", action="store_true", help="write reef/text/models/intents.npz with its card figures")
    args = ap.parse_args()

    train_rows, gold_rows = read_jsonl(FIXTURES / "intents_train.jsonl"), read_jsonl(FIXTURES / "intents_300.jsonl")
    texts = intent_texts(args.data, [r["key"] for r in train_rows + gold_rows])
    counts = {n: sum(n in r["intents"] for r in train_rows) for n in INTENTS}
    learned = [n for n in INTENTS if counts[n] >= MIN_POSITIVES]
    print("real training positives:", counts)
    print("learned intents:", learned)

    sim = simulator_intents(SIM_TRAIN_SEED, SIM_ITEMS)
    fit_texts = [texts[r["key"]] for r in train_rows] + [t for t, _ in sim]
    fit_labels = [r["intents"] for r in train_rows] + [i for _, i in sim]
    X_text, X_plain, X_cue = prepared(fit_texts)
    X_tok = with_cue_tokens(X_plain, X_cue)  # the model's features: n-grams plus the cue matches
    Y = np.array([[n in labels for n in learned] for labels in fit_labels], dtype=np.int8)

    parts = {p: [r for r in gold_rows if r["part"] == p] for p in ("dev", "held_out")}
    gold_prep = {p: prepared([texts[r["key"]] for r in rows]) for p, rows in parts.items()}

    def cue_reader(part):
        return {r["key"]: c for r, c in zip(parts[part], gold_prep[part][2])}

    def fitted(C, idx=None):
        """The model fitted on the rows ``idx`` (default all), its columns named for :func:`read_intents`."""
        idx = np.arange(len(X_text)) if idx is None else idx
        m = NgramLinearModel(kind="logreg", C=C, seed=0).fit([X_text[i] for i in idx], Y[idx], [X_tok[i] for i in idx])
        m.meta_ = {"intents": {"learned": learned}}
        return m

    def candidate(model, thresholds, norm, tokens, cue):
        """Cue intents, except that each intent in ``thresholds`` comes from the model at its threshold."""
        return read_intents(model, norm, tokens, cue, thresholds=thresholds)

    def f1_of(pred, gold):
        return f1_score(gold, pred, zero_division=0)

    def tuned(C):
        """Per learned intent: threshold from out-of-fold probabilities on the real training texts, if the model
        beats the cue there (5 folds, seeded)."""
        n_real = len(train_rows)
        fold = np.random.default_rng(0).permutation(n_real) % 5
        oof = np.zeros((n_real, len(learned)))
        sim_idx = np.arange(n_real, len(X_text))
        for k in range(5):
            fit = np.concatenate([np.flatnonzero(fold != k), sim_idx])
            test = np.flatnonzero(fold == k)
            oof[test] = fitted(C, fit).predict_proba([X_text[i] for i in test], [X_tok[i] for i in test])
        thresholds = {}
        for j, n in enumerate(learned):
            gold = Y[:n_real, j].astype(bool)
            cue_f1 = f1_of(np.array([n in c for c in X_cue[:n_real]]), gold)
            f1s = [f1_of(oof[:, j] >= th, gold) for th in THRESHOLDS]
            if max(f1s) > cue_f1:
                thresholds[n] = float(THRESHOLDS[int(np.argmax(f1s))])
        return thresholds

    dev_norm, dev_tok, dev_cue = gold_prep["dev"]
    dev_rows = parts["dev"]
    best = None
    for C in C_GRID:
        thresholds = tuned(C)
        model = fitted(C)
        pred = candidate(model, thresholds, dev_norm, dev_tok, dev_cue)
        f1 = intent_scores(dev_rows, {r["key"]: p for r, p in zip(dev_rows, pred)})["micro"]["f1"]
        print(f"C={C}: dev micro-F1 = {f1}; thresholds {thresholds}")
        if best is None or f1 > best[0]:
            best = (f1, C, model, thresholds)
    _, C, model, thresholds = best
    print("chosen C:", C, "thresholds:", thresholds)

    report = {"C": C, "thresholds": thresholds, "learned": learned, "train_real": len(train_rows),
              "train_sim": len(sim)}
    measured = ["dev"] + (["held_out"] if args.held_out else [])
    for part in measured:
        rows = parts[part]
        cues = intent_scores(rows, cue_reader(part))
        cand_pred = candidate(model, thresholds, *gold_prep[part])
        cand = intent_scores(rows, {r["key"]: p for r, p in zip(rows, cand_pred)})
        report[part] = {"cues": cues, "candidate": cand}
        print(f"\n{part}: cues micro {cues['micro']}  candidate micro {cand['micro']}")
        for n in INTENTS:
            print(f"  {n:16s} cues F1 {cues['per_intent'][n]['f1']:.3f}  cand F1 {cand['per_intent'][n]['f1']:.3f}"
                  f"  gold {cand['per_intent'][n]['gold']}")

    check = simulator_intents(SIM_CHECK_SEED, SIM_ITEMS)
    c_norm, c_tok, c_cue = prepared([t for t, _ in check])
    sim_rows = [{"key": str(i), "intents": i_} for i, (_, i_) in enumerate(check)]
    sim_cues = intent_scores(sim_rows, {str(i): c for i, c in enumerate(c_cue)})
    sim_cand = intent_scores(sim_rows, {str(i): p for i, p in enumerate(candidate(model, thresholds, c_norm, c_tok, c_cue))})
    report["simulator"] = {"cues": sim_cues["micro"], "candidate": sim_cand["micro"]}
    print(f"\nsimulator seed {SIM_CHECK_SEED} ({len(check)} items): cues micro {sim_cues['micro']}"
          f"  candidate micro {sim_cand['micro']}")
    if args.save:
        model.save(ROOT / "reef" / "text" / "models" / "intents.npz", version=VERSION, intents=report)
        print("saved reef/text/models/intents.npz")
    print(json.dumps({k: v for k, v in report.items() if k not in ("dev", "held_out")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
