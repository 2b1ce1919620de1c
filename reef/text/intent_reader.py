"""The learned intent reader (``text.intent_reader = "learned"``): a linear model over n-grams and cue matches.

Why: on real owner text the cue patterns of :mod:`reef.text.intents` miss most answers, experience shares,
complaints and disagreements (docs/text-quality.md, section intents_real_300). The model
(``models/intents.npz``, trained by scripts/train_intents.py on 1,200 hand-labelled real texts and simulator text;
card docs/models/intents.md) reads the intents it learned; every other intent, and every intent whose cue did
better in cross-validation, still comes from the cue pattern. The cue matches are also features of the model,
written as pseudo-tokens ``__cue_<intent>`` after the text's own tokens.

Example:
    >>> with_cue_tokens([["请问", "续航"]], [["question"]])
    [['请问', '续航', '__cue_question']]
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from reef.text.intents import INTENTS

__all__ = ["with_cue_tokens", "read_intents", "READERS", "LEARNED_INTENT_LANGUAGES"]

READERS = ("cues", "learned")
# The languages (``reef.text`` detection) of the model's training text: every other text keeps the cue patterns.
LEARNED_INTENT_LANGUAGES = ("zh",)


def with_cue_tokens(tokens: Sequence[Sequence[str]], cue_intents: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each text's tokens followed by one pseudo-token per cue intent it matched."""
    return [list(t) + [f"__cue_{name}" for name in c] for t, c in zip(tokens, cue_intents)]


def read_intents(model, texts: Sequence[str], tokens: Sequence[Sequence[str]], cue_intents: Sequence[Sequence[str]],
                 thresholds: dict[str, float] | None = None, *, features=None) -> list[list[str]]:
    """Intents per text: the model's for each intent with a threshold, the cue pattern's for the rest.

    ``model`` is an :class:`~reef.text.linear.NgramLinearModel` whose meta lists the ``learned`` intents in column
    order and their ``thresholds`` (an intent learned but without a threshold is read by its cue);
    ``thresholds`` overrides the stored ones (used while tuning). ``features``: the texts' hashed n-grams already
    computed by a model of the same width (the pipeline's aspect model); only the n-grams of the cue pseudo-tokens are
    then hashed, with the same result as featurizing every text again.
    """
    if not len(texts):
        return []
    meta = model.meta_.get("intents", {})
    learned = list(meta["learned"])
    thresholds = dict(meta["thresholds"] if thresholds is None else thresholds)
    P = _probabilities(model, texts, tokens, cue_intents, features)
    out = []
    for i, cues in enumerate(cue_intents):
        keep = {name for name in cues if name not in thresholds}
        keep |= {name for j, name in enumerate(learned) if name in thresholds and P[i, j] >= thresholds[name]}
        out.append([name for name in INTENTS if name in keep])
    return out


def _probabilities(model, texts, tokens, cue_intents, features) -> np.ndarray:
    if features is None or features.shape[1] != model._width():
        return np.asarray(model.predict_proba(list(texts), with_cue_tokens(tokens, cue_intents)))
    cued = [i for i, c in enumerate(cue_intents) if c]
    if cued:
        features = model.append_tokens(features, cued, [tokens[i] for i in cued],
                                       with_cue_tokens([[] for _ in cued], [cue_intents[i] for i in cued]))
    return np.asarray(model.predict_proba(texts, tokens, features=features))
