"""The crisis room at scale (benchmarks/bench_kb.py --steps crisis-room): each candidate post to pin is cut into words
once, and the report says exactly what it said when each was cut three to ten times."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from reef.kb.index import tokenize, with_bigrams


@pytest.fixture(scope="module")
def sim_path(tmp_path_factory):
    from tests.conftest import simulated_store_file

    return simulated_store_file(tmp_path_factory.mktemp("crisisspeed"), members=200, days=45, seed=3,
                                analyses=["kb_crisis", "kb_qa", "kb_essence"])


@pytest.fixture
def sim_store(sim_path, tmp_path):
    """A copy of the simulated store (the tests rewrite crisis_daily at their moments)."""
    import shutil

    from reef.store import open_store

    shutil.copy(sim_path, tmp_path / "sim.duckdb")
    store = open_store(tmp_path / "sim.duckdb")
    yield store
    store.close()


def _listing_old_waves(store):
    """The store's config with every past wave still the room's current one (``kb.crisis_recent_days`` far out): these
    tests measure the wave's path at the end of the data, where the simulated wave is otherwise past."""
    return store.config.with_overrides({"kb.crisis_recent_days": 3650})


def _moments(store):
    start, end = store.fetch_all("SELECT started_at, ended_at FROM truth_scenarios WHERE scenario = 'pr_crisis'")[0]
    return [pd.Timestamp(start) + pd.Timedelta(days=1), pd.Timestamp(store.fetch_value("SELECT max(created_at) FROM content"))]


# The pin functions as they were before the candidates were cut once (reef.kb.pin at 71470e5), for the comparison.
def _old_wave_terms(wave_texts, background, n, **_):
    from reef.kb.pin import _topical

    if not wave_texts:
        return []
    df_wave = Counter(t for text in wave_texts for t in set(tokenize(text, bigrams=False)) if len(t) > 1)
    df_bg = Counter(t for text in background for t in set(tokenize(text, bigrams=False)) if t in df_wave)
    nb, nw = max(len(background), 1), len(wave_texts)
    score = {t: (k / nw) * math.log((k / nw) / (df_bg[t] / nb)) for t, k in df_wave.items()
             if df_bg[t] and (k > 1 or nw < 3) and _topical(t)}
    return [t for t, v in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:n] if v > 0]


def _old_rank_pins(candidates, terms, *, n, per_author, min_terms, **_):
    # The scoring as it was (every candidate cut again for the index and for its hits); the ordering after it was not
    # touched by the change, so it is the library's.
    from reef.kb.index import BM25Index
    from reef.kb.pin import pick_pins

    if not candidates:
        return {"posts": [], "matched": 0}
    if terms:
        scores = BM25Index.build([{"body": c["text"]} for c in candidates]).scores(terms)
        hits = [[t for t in terms if t in set(tokenize(c["text"], bigrams=False))] for c in candidates]
    else:
        scores, hits = np.zeros(len(candidates)), [[] for _ in candidates]
    return pick_pins(candidates, terms, scores, hits, n=n, per_author=per_author, min_terms=min_terms)


def test_with_bigrams_rebuilds_the_bigram_tokens_from_the_words():
    for text in ("冬天续航掉多少", "OTA 5.2之后车机黑屏，續航也掉了", "说说你们的快充体验", "Range drops in winter", "", None):
        assert with_bigrams(tokenize(text, bigrams=False)) == tokenize(text)


def test_the_report_reads_as_before_the_candidates_were_cut_once(sim_store, monkeypatch):
    import reef.kb.pin as pin
    from reef.kb.crisis import write_crisis_daily
    from reef.kb.room import crisis_report
    from reef.kb.views import surface_posts

    topic_path = False
    config = _listing_old_waves(sim_store)
    for moment in _moments(sim_store):
        write_crisis_daily(sim_store, moment, sim_store.config)  # the timeline as kb_crisis at that moment wrote it
        for aspect, masked in ((None, False), (None, True), ("续航与充电", False), ("全部", False)):
            new = crisis_report(sim_store, moment, config, aspect=aspect, masked=masked)
            wave = [p["title"] for p in new["wave"]["posts"]]
            new_pins = surface_posts(sim_store, moment, new["aspect"], wave_texts=wave)
            with monkeypatch.context() as m:
                m.setattr(pin, "wave_terms", _old_wave_terms)
                m.setattr(pin, "rank_pins", _old_rank_pins)
                old = crisis_report(sim_store, moment, config, aspect=aspect, masked=masked)
                old_pins = surface_posts(sim_store, moment, new["aspect"], wave_texts=wave)
            assert new == old and new_pins == old_pins
            topic_path |= bool(new["buffer"]["terms"] and new["surface"] and new["buffer"]["topic_posts"])
    assert topic_path  # the comparison went through the wave's topic words, not only the calm path


def test_each_candidate_post_is_cut_into_words_once(sim_store, monkeypatch):
    import reef.kb.index as index
    import reef.kb.pin as pin
    from reef.kb.crisis import write_crisis_daily
    from reef.kb.room import crisis_report

    moment = _moments(sim_store)[-1]  # at the end the room opens on a wave with topic words (the small store's day 1 has none)
    write_crisis_daily(sim_store, moment, sim_store.config)
    calls, cands = [], []
    cut, candidates = index.tokenize, pin.pin_candidates

    def spy(*args, **kwargs):
        out = candidates(*args, **kwargs)
        cands.extend(out)
        return out

    monkeypatch.setattr(index, "tokenize", lambda text, **kw: calls.append(text) or cut(text, **kw))
    monkeypatch.setattr(pin, "pin_candidates", spy)
    report = crisis_report(sim_store, moment, _listing_old_waves(sim_store))
    assert report["buffer"]["terms"] and len(cands) > 20
    # the wave's posts once (its topic words) and each candidate once (the topic's background, BM25 and the matches)
    assert len(calls) == report["wave"]["total"] + len(cands)
