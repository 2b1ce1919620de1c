"""``enrich_store``: fill ``content_features`` with the text layer's output, once per item.

Incremental: an item is (re)analysed only when it is new, its title+body changed (MD5 of the
text differs) or it was enriched by another :func:`features_version` (a model or a rule
changed). Work is read in batches of ``[text] enrich_batch`` items and each batch is written
in its own ``store.transaction()``, so an interrupted run keeps its finished batches. Large
runs are analysed by ``[text] enrich_workers`` spawned processes; only this (parent) process
writes, which keeps DuckDB's one-writer rule. Registered as the analysis ``text_features``,
which later capabilities name in ``depends_on``.

Example:
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> enrich_store(s).enriched
    0
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import time
import warnings
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from reef.analyses.registry import register_analysis
from reef.errors import MissingDependencyError, ReefWarning

__all__ = ["enrich_store", "EnrichSummary", "features_version", "analyze_for_store", "FEATURE_COLUMNS"]

for _pkg in ("numpy", "pyarrow", "rjieba", "opencc"):
    if importlib.util.find_spec(_pkg) is None:  # discovery then reports "skipped because ..."
        raise MissingDependencyError(_pkg, "text")

Progress = Callable[[str, int, int], None]
_HERE = Path(__file__).resolve().parent
# Every module of reef.text decides the features except these (storage, files, evaluation): a change
# to any other module, model or resource re-enriches every item.
# spec_facts.py judges claims against the spec sheet for the risk radar and the ladder, coverage.py counts the stored
# languages for the surfaces' note; analyze() never imports them.
_NOT_DECIDING = ("__init__.py", "enrich.py", "workers.py", "inputs.py", "files.py", "records.py", "record_lines.py", "evaluate.py", "evaluation.py", "datasets.py",
                 "intent_scores.py", "report.py", "spec_facts.py", "coverage.py")
# Decide only with text.intent_reader = "learned": digested into that reader's version suffix instead.
_LEARNED_INTENTS = ("intent_reader.py", "intents.npz")
# Columns of analyze()'s table kept in content_features (tokens and the original are not: the
# original is in content, and tokens are cheap to recompute and large to store).
# [text] settings that change what analyze() returns (batching and worker settings do not; toxic_threshold is
# read downstream, intent_reader is named in the version already).
_DECIDING_SETTINGS = ("max_chars", "max_pii_chars", "aspect_threshold", "attack_toxicity", "minhash_perms",
                      "minhash_shingle")
FEATURE_COLUMNS = ("text", "language", "script", "flags", "sentiment", "sentiment_score", "sentiment_confidence",
                   "aspects", "intents", "toxicity", "claims", "pii", "minhash")


@lru_cache(maxsize=2)
def _files_digest(learned_intents: bool = False) -> str:
    h = hashlib.sha256()
    paths = [p for p in sorted(_HERE.glob("*.py")) if p.name not in _NOT_DECIDING]
    paths += sorted((_HERE / "models").glob("*.npz")) + sorted((_HERE / "resources").glob("*"))
    paths = [p for p in paths if (p.name in _LEARNED_INTENTS) == learned_intents]
    for p in paths:
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


def _settings_digest(config: Any) -> str:
    """Digest of the ``[text]`` settings that change features, or "" when all are at their packaged defaults."""
    from reef.config import load_config, packaged_defaults

    defaults = packaged_defaults("text")
    current = (config or load_config()).section("text")
    changed = {k: current.get(k) for k in _DECIDING_SETTINGS if current.get(k) != defaults.get(k)}
    if not changed:
        return ""
    return hashlib.sha256(json.dumps(changed, sort_keys=True, default=str).encode()).hexdigest()[:8]


def features_version(config: Any = None) -> str:
    """The models' version plus a digest of the rules and models (stored per row); it names the learned intent
    reader, with its own digest, only when ``text.intent_reader`` selects it, and ends in ``+cfg-<digest>`` when a
    feature-deciding ``[text]`` setting differs from its default (so changing one re-enriches every item)."""
    from reef.text.pipeline import intent_reader, model_version

    version = f"{model_version(config)}+{_files_digest()}"
    if intent_reader(config) == "learned":
        version += "+" + _files_digest(learned_intents=True)
    settings = _settings_digest(config)
    return f"{version}+cfg-{settings}" if settings else version


@dataclass
class EnrichSummary:
    items: int = 0  # content items considered
    enriched: int = 0  # analysed and written in this run
    up_to_date: int = 0
    removed: int = 0  # features of items no longer in the store
    batches: int = 0
    workers: int = 1
    seconds: float = 0.0
    model_version: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def analyze_for_store(texts: list[str], config: Any = None):
    """``analyze`` restricted to :data:`FEATURE_COLUMNS` (what a worker sends back to the writer)."""
    from reef.text.pipeline import analyze

    return analyze(texts, config=config).select(list(FEATURE_COLUMNS))


def _settings(store) -> tuple[int, int, int]:
    cfg = store.config.section("text")
    batch = max(1, int(cfg.get("enrich_batch", 10000)))
    workers = int(cfg.get("enrich_workers", 0)) or (os.cpu_count() or 1)
    return batch, max(1, workers), int(cfg.get("enrich_parallel_min", 20000))


def _plan(store, as_of: Any, version: str, force: bool) -> tuple[int, int]:
    """Create the temp table of items to (re)analyse; return (items considered, to do)."""
    source = "content_at($ts)" if as_of is not None else "content"
    params: dict[str, Any] = {"v": version, "force": bool(force)}
    if as_of is not None:
        params["ts"] = as_of
    store.execute(f"""
        CREATE OR REPLACE TEMP TABLE _reef_enrich_todo AS
        WITH src AS (
            SELECT content_id, concat_ws(chr(10), title, body) AS text FROM {source}
        ), hashed AS (SELECT content_id, text, md5(text) AS h FROM src)
        SELECT row_number() OVER () AS rn, s.content_id, s.h, s.text, f.content_id IS NOT NULL AS existed
        FROM hashed s LEFT JOIN content_features f ON f.content_id = s.content_id
        WHERE $force OR f.content_id IS NULL OR f.content_hash <> s.h OR f.model_version <> $v
    """, params)
    todo = int(store.fetch_value("SELECT count(*) FROM _reef_enrich_todo"))
    total = int(store.fetch_value(f"SELECT count(*) FROM {source}", {"ts": as_of} if as_of is not None else None))
    return total, todo


def _write(store, ids: list, hashes: list, existed: bool, table, version: str) -> None:
    import pyarrow as pa

    batch = table.rename_columns(["text_simplified" if c == "text" else c for c in table.column_names])
    batch = batch.append_column("content_id", pa.array(ids, pa.string()))
    batch = batch.append_column("content_hash", pa.array(hashes, pa.string()))
    with store.registered("_reef_enrich_batch", batch):
        with store.transaction():
            if existed:
                store.execute("DELETE FROM content_features WHERE content_id IN (SELECT content_id FROM _reef_enrich_batch)")
            store.execute("""
                INSERT INTO content_features BY NAME
                SELECT content_id, content_hash, $v AS model_version, language, script, flags, text_simplified,
                       sentiment, sentiment_score, sentiment_confidence, aspects,
                       list_distinct([a.aspect FOR a IN aspects]) AS aspect_names, intents, toxicity, claims, pii,
                       minhash, now() AS enriched_at,
                       -- the item's integer code (reef/store/codes.py), which the ladder and the help ledger join on
                       (SELECT min(c.content_code) FROM content c WHERE c.content_id = b.content_id) AS content_code
                FROM _reef_enrich_batch b""", {"v": version})


def enrich_store(store, *, as_of: Any = None, force: bool = False, on_progress: Progress | None = None) -> EnrichSummary:
    """Analyse every new or changed content item (all of them with ``force``) into ``content_features``.

    ``as_of`` limits the work to items visible at that moment (``content_at``). Returns an
    :class:`EnrichSummary`; re-running on an enriched store only compares hashes.
    """
    t0 = time.perf_counter()
    version = features_version(store.config)
    batch_size, workers, parallel_min = _settings(store)
    total, todo = _plan(store, as_of, version, force)
    summary = EnrichSummary(items=total, up_to_date=total - todo, model_version=version)
    pool = None
    if todo >= parallel_min and workers > 1:
        from reef.text.workers import start_pool

        # spawn, not fork: the parent holds a DuckDB connection and its threads; started without the caller's
        # __main__, so a script without an `if __name__ == "__main__":` guard is not run again by each worker.
        pool = start_pool(workers)
    summary.workers = workers if pool is not None else 1
    try:
        _run_batches(store, todo, batch_size, version, pool, workers, summary, on_progress)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        store.execute("DROP TABLE IF EXISTS _reef_enrich_todo")
    with store.transaction():
        summary.removed = int(store.fetch_value(
            "SELECT count(*) FROM content_features WHERE content_id NOT IN (SELECT content_id FROM content)"))
        if summary.removed:
            store.execute("DELETE FROM content_features WHERE content_id NOT IN (SELECT content_id FROM content)")
    summary.seconds = round(time.perf_counter() - t0, 3)
    return summary


def _run_batches(store, todo: int, batch_size: int, version: str, pool, workers: int,
                 summary: EnrichSummary, on_progress: Progress | None) -> None:
    config = store.config

    def read(start: int):
        rows = store.fetch_all("SELECT content_id, h, text, existed FROM _reef_enrich_todo "
                               "WHERE rn > ? AND rn <= ? ORDER BY rn", [start, start + batch_size])
        texts = [r[2] for r in rows]
        if pool is None:
            return rows, texts
        # One chunk per worker per batch; the parent reads and writes while workers compute.
        step = -(-len(texts) // workers)
        return rows, [pool.submit(analyze_for_store, texts[i:i + step], config)
                      for i in range(0, len(texts), step)]

    def collect(job):
        import pyarrow as pa
        from concurrent.futures.process import BrokenProcessPool

        nonlocal pool
        rows, work = job
        if pool is None:  # one process, or the pool broke after this batch was sent
            return analyze_for_store([r[2] for r in rows], config)
        try:
            return pa.concat_tables([w.result() for w in work])
        except BrokenProcessPool as exc:  # a worker died (killed, out of memory): go on in this process
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
            summary.workers = 1
            warnings.warn(f"Text enrichment: a worker process died ({exc}); continuing in one process", ReefWarning,
                          stacklevel=4)
            return analyze_for_store([r[2] for r in rows], config)

    starts = list(range(0, todo, batch_size))
    pending = read(starts[0]) if starts else None
    for k, _ in enumerate(starts):
        rows, _work = pending
        following = read(starts[k + 1]) if pool is not None and k + 1 < len(starts) else None
        table = collect(pending)
        _write(store, [r[0] for r in rows], [r[1] for r in rows], any(r[3] for r in rows), table, version)
        summary.enriched += len(rows)
        summary.batches += 1
        if on_progress:
            on_progress("enrich", summary.enriched, todo)
        pending = following if pool is not None else (read(starts[k + 1]) if k + 1 < len(starts) else None)


def _analysis_version() -> str:
    return f"1+{_files_digest()}"  # models or rules changed -> the runner recomputes


def _features_current(store, as_of) -> bool:
    """No stored row of an item that existed at ``as_of`` has another features version than this configuration's
    (``reef enrich --config`` may have written rows with other settings since the last run). Later items are not
    looked at: a run at ``as_of`` does not enrich them, so their old version would make every run recompute."""
    return not store.fetch_value("""SELECT count(*) FROM (SELECT 1 FROM content_features f JOIN content_at($ts) c USING (content_id)
                                    WHERE f.model_version <> $v LIMIT 1)""", {"v": features_version(store.config), "ts": as_of})


@register_analysis("text_features", _analysis_version(), writes=("content_features",), order=5,
                   title={"zh": "文本特征", "en": "Text features"},
                   description={"zh": "每条内容的情感、方面、意图、毒性、说法、个人信息和 MinHash 指纹。"}, fresh=_features_current)
def text_features(store, as_of, config) -> int:
    """Sentiment, aspects, intents, toxicity, claims, PII and MinHash of every content item."""
    enrich_store(store, as_of=as_of)
    return int(store.fetch_value("SELECT count(*) FROM content_features"))
