"""Train the best-answer model of ``reef.kb.answer_rank`` (docs/models/kb_best_answer.md).

    .venv/bin/python scripts/train_kb_best_answer.py [--db se.duckdb] [--out reef/kb/models/best_answer.json] [--C 1.0]

Training data: every question of a Stack Exchange store with an accepted answer and at least two
answers; label = the accepted answer; features = :data:`reef.kb.answer_rank.FEATURES` (the accept
flag itself is never a feature). Without ``--db`` the quantumcomputing dump in ../shared/data is
imported into a temporary store (with ``reef enrich``'s text features). scripts/validate_kb.py uses
:func:`training_frame` and :func:`cross_validate` to report held-out accuracy.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SE_QC = ROOT.parent / "shared" / "data" / "se-quantumcomputing"


def training_frame(store, as_of=None) -> pd.DataFrame:
    """Features, label ``y``, ``question_id``, ``net_votes`` and ``created_at`` of every answer to a
    question that has an accepted answer and at least two answers."""
    from reef.kb.answer_rank import answer_features
    from reef.kb.qa import load_answers

    if as_of is None:
        as_of = store.fetch_value("SELECT max(created_at) FROM content")
    questions, ans = load_answers(store, as_of)
    asked = dict(zip(questions["question_id"], questions["created_at"]))
    topics = {q: list(a if a is not None else []) + list(t if t is not None else [])
              for q, a, t in zip(questions["question_id"], questions["aspects"], questions["tags"])}
    feats = answer_features(ans, asked, topics)
    df = pd.concat([ans[["question_id", "answer_id", "created_at"]].reset_index(drop=True),
                    ans["votes"].rename("net_votes").reset_index(drop=True), feats], axis=1)
    df["y"] = (ans["accepts"].to_numpy() > 0).astype(int)
    g = df.groupby("question_id")
    keep = (g["y"].transform("sum") == 1) & (g["y"].transform("size") >= 2)
    return df[keep].reset_index(drop=True)


def top_is_accepted(df: pd.DataFrame, score) -> pd.Series:
    """Per question: is the top-scored answer (earlier wins ties) the accepted one?"""
    d = df.assign(_s=np.asarray(score, float))
    top = d.sort_values(["_s", "created_at"], ascending=[False, True]).groupby("question_id").head(1)
    return top.set_index("question_id")["y"].astype(bool)


def cross_validate(df: pd.DataFrame, *, folds: int = 5, seed: int = 7, C: float = 1.0) -> pd.Series:
    """Per question, whether a model trained on the OTHER folds (questions split at random) ranks
    its accepted answer first."""
    from reef.kb.answer_rank import BestAnswerModel

    qs = np.array(sorted(df["question_id"].unique()))
    fold = dict(zip(np.random.default_rng(seed).permutation(qs), np.arange(len(qs)) % folds))
    f = df["question_id"].map(fold)
    out = []
    for k in range(folds):
        train, test = df[f != k], df[f == k]
        model = BestAnswerModel(C=C, seed=seed).fit(train, train["y"])
        out.append(top_is_accepted(test, model.decision_function(test)))
    return pd.concat(out)


def main() -> None:
    from reef.kb.answer_rank import BUILTIN, BestAnswerModel

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="a Stack Exchange store with text features (default: import the quantumcomputing dump)")
    ap.add_argument("--out", default=str(BUILTIN))
    ap.add_argument("--C", type=float, default=1.0)
    a = ap.parse_args()
    from reef.store import open_store

    if a.db:
        store = open_store(a.db, read_only=True)
    else:
        from reef.analyses import run_analyses
        from reef.ingest import import_paths

        store = open_store(Path(tempfile.mkdtemp()) / "se.duckdb")
        import_paths(store, [SE_QC], fmt="stackexchange")
        run_analyses(store, only=["text_features"])
    df = training_frame(store)
    model = BestAnswerModel(C=a.C, seed=7).fit(df, df["y"])
    model.save(a.out, trained_on=f"{df['question_id'].nunique()} Stack Exchange questions with an accepted answer and 2+ answers "
               f"({len(df)} answers), scripts/train_kb_best_answer.py")
    cv = cross_validate(df, C=a.C)
    print(f"{a.out}: {df['question_id'].nunique()} questions, {len(df)} answers; 5-fold held-out top-1 = accepted {cv.mean():.3f}")
    print(dict(zip(model.to_dict()["features"], model.to_dict()["coef"])))


if __name__ == "__main__":
    main()
