"""The best-answer ranking without the accept flag: answer features and a small logistic model.

Features of an answer, most of them relative to the other answers of its question (askers pick
among what they got): net votes (signed log), whether it has the question's most votes, its gap
to the most-voted answer, thanks it drew, arrival (first, 1/order, log hours after the question),
length (log chars, and against the question's mean), evidence (numbers, spec claims, code, links),
the answerer's expertise on the question's topics (tags and aspects: their other answers there,
and the votes those drew) and a negative-tone flag. The model is a logistic regression trained by
``scripts/train_kb_best_answer.py`` on Stack Exchange questions with an accepted answer (model
card: docs/models/kb_best_answer.md); its weights ship in ``models/best_answer.json``.

Example:
    >>> import pandas as pd
    >>> ans = pd.DataFrame({"question_id": ["q", "q"], "answerer_id": ["a", "b"], "votes": [0, 5], "thanks": [0, 1],
    ...                     "created_at": pd.to_datetime(["2026-01-01 10:00", "2026-01-01 12:00"]), "body": ["ok", "冬天打七折，电耗20度"],
    ...                     "n_claims": [0, 1], "toxicity": [0.0, 0.0], "sentiment": [0, 0]})
    >>> f = answer_features(ans, {"q": pd.Timestamp("2026-01-01 09:00")}, {"q": ["续航"]})
    >>> [round(v, 2) for v in f.loc[1, ["v_top", "v_gap", "first"]]]
    [1.0, 0.0, 0.0]
    >>> m = BestAnswerModel.builtin()
    >>> bool(m.decision_function(f)[1] > m.decision_function(f)[0])
    True
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["FEATURES", "answer_features", "BestAnswerModel"]

FEATURES = ("votes", "v_top", "v_gap", "thanks", "first", "inv_order", "hours", "length", "length_rel", "evidence",
            "expertise_answers", "expertise_votes", "negative")
BUILTIN = Path(__file__).with_name("models") / "best_answer.json"


def answer_features(ans: pd.DataFrame, asked_at: dict, topics: dict) -> pd.DataFrame:
    """One row of :data:`FEATURES` per answer. ``ans`` has question_id, answerer_id, votes, thanks,
    created_at, body, n_claims, toxicity, sentiment (optional body_html); ``asked_at`` and ``topics``
    map question ids to the question's time and its topics (tags and aspects)."""
    a = ans.reset_index(drop=True)
    g = a.groupby("question_id")
    votes = a["votes"].astype(float).fillna(0)
    vlog = np.sign(votes) * np.log1p(votes.abs())
    order = g["created_at"].rank(method="first")
    body = a["body"].fillna("").astype(str)
    html = a["body_html"].fillna("").astype(str) if "body_html" in a else body
    length = np.log1p(body.str.len())
    asked = pd.to_datetime(a["question_id"].map(asked_at), utc=True)
    hours = (pd.to_datetime(a["created_at"], utc=True) - asked).dt.total_seconds().clip(lower=0).fillna(0) / 3600
    # Expertise: the answerer's OTHER answers on any of the question's topics, and their votes.
    qt = a["question_id"].map(lambda q: list(topics.get(q) or []))
    per = pd.DataFrame({"answerer_id": a["answerer_id"], "topic": qt, "votes": votes.clip(lower=0)}).explode("topic").dropna()
    tot = per.groupby(["answerer_id", "topic"])["votes"].agg(["size", "sum"])
    n_exp, v_exp = np.zeros(len(a)), np.zeros(len(a))
    for i, (who, ts, v) in enumerate(zip(a["answerer_id"], qt, votes.clip(lower=0))):
        for t in ts:
            if (who, t) in tot.index:
                n, s = tot.loc[(who, t)]
                n_exp[i], v_exp[i] = max(n_exp[i], n - 1), max(v_exp[i], s - v)
    evidence = (body.str.contains(r"\d").astype(float) + (a["n_claims"].fillna(0) > 0).astype(float)
                + html.str.contains(r"<code>|<pre>|```").astype(float) + html.str.contains(r"<a |https?://").astype(float))
    return pd.DataFrame({
        "votes": vlog, "v_top": ((votes == g["votes"].transform("max")) & (votes > 0)).astype(float),
        "v_gap": vlog - vlog.groupby(a["question_id"]).transform("max"), "thanks": a["thanks"].astype(float).fillna(0),
        "first": (order == 1).astype(float), "inv_order": 1.0 / order, "hours": np.log1p(hours),
        "length": length, "length_rel": length - length.groupby(a["question_id"]).transform("mean"), "evidence": evidence,
        "expertise_answers": np.log1p(n_exp), "expertise_votes": np.log1p(v_exp),
        "negative": ((a["toxicity"].fillna(0) > 0.5) | (a["sentiment"].fillna(0) < 0)).astype(float)})


class BestAnswerModel:
    """Logistic regression over :data:`FEATURES`; ``decision_function`` is the ranking score (logit)."""

    def __init__(self, C: float = 1.0, seed: int = 0):
        self.C, self.seed = C, seed

    def fit(self, X: pd.DataFrame, y) -> "BestAnswerModel":
        from sklearn.linear_model import LogisticRegression

        m = LogisticRegression(C=self.C, max_iter=5000, random_state=self.seed).fit(X[list(FEATURES)].to_numpy(float), np.asarray(y))
        self.coef_, self.intercept_ = m.coef_[0].astype(float), float(m.intercept_[0])
        return self

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        return X[list(FEATURES)].to_numpy(float) @ self.coef_ + self.intercept_

    def to_dict(self) -> dict:
        return {"features": list(FEATURES), "coef": [round(float(c), 6) for c in self.coef_], "intercept": round(self.intercept_, 6),
                "C": self.C, "seed": self.seed}

    def save(self, path: str | Path, **info) -> Path:
        Path(path).write_text(json.dumps({**self.to_dict(), **info}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> "BestAnswerModel":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        m = cls(C=d.get("C", 1.0), seed=d.get("seed", 0))
        coef = dict(zip(d["features"], d["coef"]))
        m.coef_ = np.array([coef.get(f, 0.0) for f in FEATURES], float)
        m.intercept_ = float(d["intercept"])
        return m

    @classmethod
    def builtin(cls) -> "BestAnswerModel":
        """The shipped model (``models/best_answer.json``)."""
        return cls.load(BUILTIN)
