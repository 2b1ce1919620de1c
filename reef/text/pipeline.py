"""``analyze``: one row of text features per input text, as a pyarrow Table.

The same function serves the CLI, the store's enrich step and notebooks. Bad input never
raises: it gets neutral sentiment, no aspects and a flag (see :mod:`reef.text.normalize`).

Example:
    >>> t = analyze(["汉EV续航五百二十公里，车机很流畅，推荐！", "請問充電樁怎麼裝？"])
    >>> t.column("language").to_pylist(), t.column("script").to_pylist()
    (['zh', 'zh'], ['simplified', 'traditional'])
    >>> t.column("claims").to_pylist()[0][0]["value"]
    520.0
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence

import numpy as np
import pyarrow as pa

from reef.config import Config, load_config
from reef.errors import InvalidParameterError
from reef.text.claims import extract_claims
from reef.text.evaluation import decide_sentiment
from reef.text.intent_reader import LEARNED_INTENT_LANGUAGES, READERS, read_intents
from reef.text.intents import detect_intents
from reef.text.lexicon import seed_aspects, segmenter
from reef.text.linear import NgramLinearModel
from reef.text.normalize import normalize_texts
from reef.text.pii import find_pii
from reef.text.sentiment import SentimentEvidence, sentiment_evidence
from reef.text.signature import minhash

__all__ = ["analyze", "model_version", "intent_reader", "load_model", "SCHEMA", "NO_ASPECT_LANGUAGES"]

_ASPECT = pa.struct([("aspect", pa.string()), ("sentiment", pa.int8()), ("score", pa.float32()),
                     ("source", pa.string())])
_CLAIM = pa.struct([("model", pa.string()), ("attribute", pa.string()), ("value", pa.float64()),
                    ("value_max", pa.float64()), ("unit", pa.string()), ("qualifier", pa.string()),
                    ("start", pa.int32()), ("end", pa.int32()), ("evidence", pa.string())])
_PII = pa.struct([("kind", pa.string()), ("start", pa.int32()), ("end", pa.int32()), ("text", pa.string())])
SCHEMA = pa.schema([
    ("original", pa.string()), ("text", pa.string()), ("language", pa.string()), ("script", pa.string()),
    ("flags", pa.list_(pa.string())), ("tokens", pa.list_(pa.string())),
    ("sentiment", pa.int8()), ("sentiment_score", pa.float32()), ("sentiment_confidence", pa.float32()),
    ("aspects", pa.list_(_ASPECT)), ("intents", pa.list_(pa.string())), ("toxicity", pa.float32()),
    ("claims", pa.list_(_CLAIM)), ("pii", pa.list_(_PII)), ("minhash", pa.list_(pa.uint32())),
])
# Languages (reef.text.normalize) that get no aspects: the aspect model and the lexicon's cues read Chinese; on
# English text only a few Latin cues could match, and they named car topics on a quantum computing forum.
# Sentiment, toxicity and the learned intents are not read there either, but keep the models' neutral, near-zero reading.
NO_ASPECT_LANGUAGES = ("en",)


@lru_cache(maxsize=None)
def load_model(name: str) -> NgramLinearModel:
    """The packaged model ``name`` (``reef/text/models/<name>.npz``), loaded once per process; ``load_model.cache_clear()``
    reads the files again (scripts/train_ccf.py, after writing them)."""
    path = resources.files("reef.text").joinpath("models", f"{name}.npz")
    with resources.as_file(path) as real:
        return NgramLinearModel.load(real)


def model_version(config: Config | None = None) -> str:
    """One string naming every model ``analyze`` uses with ``config``; enrich re-runs items when it changes."""
    names = ["ccf_aspects", "ccf_sentiment", "ccf_polarity", "cold_toxicity"]
    if intent_reader(config) == "learned":
        names.append("intents")
    return "reef-text-1+" + "+".join(str(load_model(n).meta_.get("version", n)) for n in names)


def intent_reader(config: Config | None = None) -> str:
    """``text.intent_reader`` of ``config``, checked: ``"cues"`` or ``"learned"``."""
    return _reader_of(_settings(config))


def _reader_of(cfg: dict[str, Any]) -> str:
    reader = cfg.get("intent_reader", "cues")
    if reader not in READERS:
        raise InvalidParameterError("text.intent_reader", reader, " or ".join(map(repr, READERS)))
    return reader


def _settings(config: Config | None) -> dict[str, Any]:
    return (config or load_config()).section("text")


def _aspect_rows(evidence: SentimentEvidence, meta: dict[str, Any], n: int) -> list[list[dict[str, Any]]]:
    # Per-aspect sentiment: post and clause probabilities mixed (scripts/train_ccf.py tunes the
    # weights); CCF aspects use offsets tuned for joint (aspect, sentiment) F1, lexicon aspects a
    # weight and offsets tuned for macro-F1 of CCF aspect sentiment, so their negatives are not
    # drowned in neutral (68% of CCF aspect labels are neutral; joint F1 rewards predicting it).
    weight = float(meta.get("clause_weight", 0.0))
    probs = evidence.aspect_probs(weight, float(meta.get("lexicon_clause_weight", weight)))
    zero = [0.0, 0.0, 0.0]
    by_source = {"model": decide_sentiment(probs, meta.get("aspect_offsets", zero)),
                 "lexicon": decide_sentiment(probs, meta.get("lexicon_offsets", zero))}
    out: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    for k, (i, name, score, source, _) in enumerate(evidence.pairs):
        out[i].append({"aspect": name, "sentiment": int(by_source[source][k]), "score": score, "source": source})
    return out


def analyze(texts: Iterable[Any], *, config: Config | None = None) -> pa.Table:
    """Analyse texts (str, bytes or None each) and return a table with :data:`SCHEMA`, one row per text."""
    if isinstance(texts, (str, bytes, bytearray)):  # iterating it would analyse each character
        raise InvalidParameterError("texts", texts[:40], "a list of texts, not one string",
                                    hint="Pass a list: analyze([text]).")
    cfg = _settings(config)
    items = list(texts)
    batch = max(1, int(cfg["batch_size"]))
    tables = [_analyze_batch(items[i:i + batch], cfg) for i in range(0, len(items), batch)]
    return pa.concat_tables(tables) if tables else SCHEMA.empty_table()


def _analyze_batch(items: list[Any], cfg: dict[str, Any]) -> pa.Table:
    rows = normalize_texts(items, max_chars=int(cfg["max_chars"]))
    seg = segmenter()
    texts = [r["text"] for r in rows]
    tokens = [[t for t in seg.cut(x) if t.strip()] if x else [] for x in texts]
    live = [i for i, r in enumerate(rows) if "empty" not in r["flags"] and "no_words" not in r["flags"]]
    n = len(rows)
    sent_p = np.zeros((n, 3), np.float32)
    sent_p[:, 1] = 1.0  # no words: neutral with full confidence
    tox = np.zeros(n, np.float32)
    aspects: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    meta = load_model("ccf_sentiment").meta_
    if live:
        lt, ltok = [texts[i] for i in live], [tokens[i] for i in live]
        models = {"sentiment": load_model("ccf_sentiment"), "polarity": load_model("ccf_polarity"),
                  "aspects": load_model("ccf_aspects")}
        tox_model = load_model("cold_toxicity")
        feats = models["aspects"].featurize(lt, ltok)  # hashed once, scored by every model
        evidence, _ = sentiment_evidence(lt, ltok, models, threshold=float(cfg["aspect_threshold"]),
                                         cues=seed_aspects(), features=feats)
        sent_p[live] = evidence.post
        tox[live] = tox_model.predict_proba(lt, ltok, features=tox_model.featurize(lt, ltok, base=feats))[:, 0]
        for i, row in zip(live, _aspect_rows(evidence, meta, len(live))):
            aspects[i] = row
    # per-class offsets tuned for macro-F1 on validation posts (scripts/train_ccf.py)
    decided = decide_sentiment(sent_p, meta.get("decision_offsets", [0.0, 0.0, 0.0]))
    for i in live:  # the aspect model and cues are Chinese: "ota" in "notation" read 智能与车机 (OTA)
        if rows[i]["language"] in NO_ASPECT_LANGUAGES:
            aspects[i] = []
    live_set = set(live)
    intents = [detect_intents(texts[i], float(tox[i]), attack_threshold=float(cfg["attack_toxicity"]))
               if i in live_set else [] for i in range(n)]
    if live and _reader_of(cfg) == "learned":
        # The model learned from Chinese text only; in other languages its n-grams mean nothing, the cues still apply.
        pick = [k for k, i in enumerate(live) if rows[i]["language"] in LEARNED_INTENT_LANGUAGES]
        if pick:
            some = len(pick) < len(live)  # all Chinese, the usual batch: no copies of the texts or features
            read = read_intents(load_model("intents"), [lt[k] for k in pick] if some else lt,
                                [ltok[k] for k in pick] if some else ltok, [intents[live[k]] for k in pick],
                                features=feats[pick] if some else feats)
            for k, found in zip(pick, read):
                intents[live[k]] = found
    out: dict[str, list] = {name: [] for name in SCHEMA.names}
    for i, row in enumerate(rows):
        text = texts[i]
        sentiment = int(decided[i]) if i in live_set else 0
        confidence = float(sent_p[i, sentiment + 1])
        has_words = i in live_set
        out["original"].append(row["original"])
        out["text"].append(text)
        out["language"].append(row["language"])
        out["script"].append(row["script"])
        if len(row["original"]) > int(cfg["max_pii_chars"]):
            row["flags"].append("pii_scan_truncated")  # spans cover the head only; mask_table rescans all
        out["flags"].append(row["flags"])
        out["tokens"].append(tokens[i])
        out["sentiment"].append(sentiment)
        out["sentiment_score"].append(float(sent_p[i, 2] - sent_p[i, 0]))
        out["sentiment_confidence"].append(confidence)
        out["aspects"].append(aspects[i])
        out["intents"].append(intents[i])
        out["toxicity"].append(float(tox[i]))
        out["claims"].append(extract_claims(text) if has_words else [])
        out["pii"].append(find_pii(row["original"][: int(cfg["max_pii_chars"])]))
        out["minhash"].append(minhash(text, num_perm=int(cfg["minhash_perms"]), shingle=int(cfg["minhash_shingle"])))
    return pa.table(out, schema=SCHEMA)
