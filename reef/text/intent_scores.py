"""Measure the intent cues on the hand-labelled real texts of tests/text/fixtures/intents_300.jsonl.

The fixture holds keys and labels only; the texts are read from ../shared/data
(:func:`reef.text.datasets.intent_texts`). Texts go through ``reef.text.analyze`` as the product
reads them (normalisation, toxicity for the personal-attack rule). Figures: per intent precision,
recall, F1 and gold count; micro figures over all intents, per source and per part (``dev`` /
``held_out``, fixed when the set was drawn); and the two labellers' agreement (Cohen's kappa per
intent) when their independent labels are in ``fixtures/agreement``.

Example:
    >>> rows = [{"key": "a", "intents": ["question"]}, {"key": "b", "intents": []}]
    >>> s = intent_scores(rows, predicted={"a": ["question", "thanks"], "b": []})
    >>> s["micro"]["precision"], s["micro"]["recall"], s["per_intent"]["question"]["f1"]
    (0.5, 1.0, 1.0)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from reef.text.intents import INTENTS

__all__ = ["intent_scores", "labeller_agreement", "predict_intents", "evaluate_intent_set", "simulator_intents",
           "evaluate_simulator_intents"]

# Below this many gold texts an intent's own figures are printed but left out of the macro-F1.
MIN_SUPPORT = 10


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": tp + fn, "predicted": tp + fp}


def intent_scores(rows: Sequence[Mapping[str, Any]], predicted: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Per-intent and micro figures of ``predicted`` (key -> intents) against the rows' gold ``intents``."""
    counts = {name: [0, 0, 0] for name in INTENTS}
    for row in rows:
        gold, pred = set(row["intents"]), set(predicted[row["key"]])
        for name in INTENTS:
            counts[name][0] += name in gold and name in pred
            counts[name][1] += name in pred and name not in gold
            counts[name][2] += name in gold and name not in pred
    per = {name: _prf(*c) for name, c in counts.items()}
    micro = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    measured = [per[name]["f1"] for name in INTENTS if per[name]["gold"] >= MIN_SUPPORT]
    exact = sum(set(r["intents"]) == set(predicted[r["key"]]) for r in rows)
    return {"texts": len(rows), "micro": micro,
            "macro_f1_supported": round(sum(measured) / len(measured), 4) if measured else None,
            "intents_with_support": len(measured), "exact_match": round(exact / max(1, len(rows)), 4),
            "per_intent": per}


def labeller_agreement(first: Sequence[Mapping[str, Any]], second: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Cohen's kappa per intent (None when neither labeller used it) and the share of texts labelled alike."""
    from sklearn.metrics import cohen_kappa_score

    other = {r["key"]: set(r["intents"]) for r in second}
    keys = [r["key"] for r in first]
    mine = {r["key"]: set(r["intents"]) for r in first}
    kappa = {}
    for name in INTENTS:
        a = [name in mine[k] for k in keys]
        b = [name in other[k] for k in keys]
        kappa[name] = None if not (any(a) or any(b)) else round(float(cohen_kappa_score(a, b)), 3)
    same = sum(mine[k] == other[k] for k in keys)
    return {"texts": len(keys), "identical_label_sets": round(same / max(1, len(keys)), 4), "kappa": kappa}


def predict_intents(texts: Mapping[str, str], config=None) -> dict[str, list[str]]:
    """Key -> intents as ``reef.text.analyze`` gives them (with ``config``'s ``text.intent_reader``)."""
    from reef.text.pipeline import analyze

    keys = list(texts)
    column = analyze([texts[k] for k in keys], config=config).column("intents").to_pylist()
    return {k: list(v or []) for k, v in zip(keys, column)}


def evaluate_intent_set(fixture: str | Path, data_dir: str | Path, reader: str = "cues", *,
                        texts: Mapping[str, str] | None = None, agreement: bool = True) -> dict[str, Any]:
    """Every figure of the intent set read by ``reader`` (``text.intent_reader``): all texts, per source, per part,
    and (``agreement``) labeller agreement. ``texts`` (key -> text) saves reading the data folder again."""
    from reef.config import load_config
    from reef.text.datasets import intent_texts
    from reef.text.evaluate import read_jsonl

    fixture = Path(fixture)
    rows = read_jsonl(fixture)
    config = load_config().with_overrides({"text.intent_reader": reader})
    texts = texts if texts is not None else intent_texts(data_dir, [r["key"] for r in rows])
    predicted = predict_intents({r["key"]: texts[r["key"]] for r in rows}, config)
    out = intent_scores(rows, predicted)
    for field in ("source", "part"):
        for value in sorted({r[field] for r in rows}):
            subset = [r for r in rows if r[field] == value]
            s = intent_scores(subset, predicted)
            out[f"{field}_{value}"] = {"texts": s["texts"], **s["micro"], "macro_f1_supported": s["macro_f1_supported"]}
    base = fixture.parent / "agreement" / fixture.stem
    first, second = Path(f"{base}.first.jsonl"), Path(f"{base}.second.jsonl")
    if agreement and first.exists() and second.exists():
        out["labeller_agreement"] = labeller_agreement(read_jsonl(first), read_jsonl(second))
    return out


def simulator_intents(seed: int, limit: int = 1500) -> list[tuple[str, list[str]]]:
    """(text, truth intents) of ``limit`` content items of a seeded simulated community (1,500 members, 120 days),
    the text joined as ``reef enrich`` joins title and body."""
    import tempfile

    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "s.duckdb")
        try:
            simulate_to_store(store, SimulationSpec.from_config(store.config, members=1500, days=120, seed=seed))
            rows = store.fetch_all("SELECT concat_ws(chr(10), c.title, c.body), t.intents FROM content c "
                                   "JOIN truth_content t USING (content_id) ORDER BY hash(c.content_id) LIMIT $n",
                                   {"n": limit})
        finally:
            store.close()
    # the simulator's truth calls the clarification intent "rumour_clarification"
    rename = {"rumour_clarification": "clarification"}
    return [(text, [rename.get(i, i) for i in intents or []]) for text, intents in rows]


def evaluate_simulator_intents(seed: int = 2614, readers: Sequence[str] = ("cues", "learned")) -> dict[str, Any]:
    """Micro figures of each reader against the simulator's truth intents (seed 2614: never trained on)."""
    from reef.config import load_config

    items = simulator_intents(seed)
    rows = [{"key": str(i), "intents": truth} for i, (_, truth) in enumerate(items)]
    texts = {str(i): text for i, (text, _) in enumerate(items)}
    out: dict[str, Any] = {"seed": seed, "items": len(items)}
    for reader in readers:
        config = load_config().with_overrides({"text.intent_reader": reader})
        out[reader] = intent_scores(rows, predict_intents(texts, config))["micro"]
    return out
