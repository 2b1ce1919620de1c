"""What to pin during a wave (建议置顶): factual posts on the wave's own topic, by credibility, a few per author.

The wave's **topic** is its own words: the ``crisis_topic_terms`` car-domain tokens (:func:`reef.kb.index.tokenize`)
that the wave's negative posts share most, weighted against how common they are in the aspect's factual posts (an
``OTA 5.2`` wave on 智能与车机 is not about 语音 or 导航 in general). Candidate posts are the factual,
non-negative posts by members (not staff or brand accounts) on the aspect from before the wave (experience, answers, guides, spec claims; never a
complaint, disagreement or attack); each is scored by BM25 on those terms (:class:`reef.kb.index.BM25Index`), and
only posts that match are suggested, by match then credibility (the author's best answers and accepts, claims,
numbers, bookmarks), at most ``crisis_surface_per_author`` per author. Each suggestion says why (``terms``,
``reason_zh`` / ``reason_en``). The **topic-matched buffer** counts the candidates in the ``crisis_buffer_days``
before the wave that contain at least ``crisis_topic_min_terms`` of the terms (all of them when there are fewer).

Example:
    >>> wave_terms(["OTA 5.2后车机黑屏", "车机OTA 5.2黑屏重启"], ["车机升级OTA 5.2后流畅", "车机导航很准", "车机语音好用"], 3)
    ['5.2', 'ota']
"""
from __future__ import annotations

import math
from collections import Counter

import re

import numpy as np

from reef.i18n import plural

__all__ = ["wave_terms", "versions_in", "pin_candidates", "candidate_tokens", "rank_pins", "pick_pins"]

_NUMBER = re.compile(r"[\d.]+")
# A number is a topic word only where the wave writes it as a version: OTA 5.2, v5.2, 版本5.2, 5.2版; a bare number
# (百公里电耗19.5度, 15.0) is a measurement every post on the aspect varies, never the wave's topic.
_VERSION_IN_TEXT = re.compile(r"(?i)(?:ota|(?<![a-z])v|版本|固件|系统)\s*(\d+(?:\.\d+)+)|(\d+(?:\.\d+)+)\s*版")

_CANDIDATES = """
WITH cred AS (SELECT best_answerer_id AS author_id, count(*) AS best_answers, count(*) FILTER (WHERE best_accepted) AS accepted
              FROM kb_questions WHERE best_answerer_id IS NOT NULL GROUP BY 1),
e AS (SELECT content_id, bookmarks, cites FROM kb_essence)
SELECT c.content_id, coalesce(nullif(c.title, ''), left(c.body, 60)) AS title, coalesce(c.title, '') || ' ' || coalesce(c.body, '') AS text,
       c.author_id, m.name AS author, c.created_at, len(f.claims) AS claims, coalesce(cred.best_answers, 0) AS author_best_answers,
       coalesce(e.bookmarks, 0) AS bookmarks,
       ln(1 + coalesce(cred.best_answers, 0)) + 2 * ln(1 + coalesce(cred.accepted, 0)) + (len(f.claims) > 0)::INT
       + regexp_matches(c.body, '\\d')::INT * 0.5 + ln(1 + coalesce(e.bookmarks, 0) + coalesce(e.cites, 0)) AS credibility
FROM content_at($ts) c JOIN content_features f USING (content_id) LEFT JOIN members_at($ts) m ON m.member_id = c.author_id
LEFT JOIN cred ON cred.author_id = c.author_id LEFT JOIN e USING (content_id)
WHERE list_contains(f.aspect_names, $asp) AND f.sentiment >= 0 AND c.created_at < $before AND c.created_at >= $since
  AND (len(list_intersect(f.intents, ['experience', 'answer', 'guide'])) > 0 OR len(f.claims) > 0)
  -- a complaint or an attack read as neutral is still no post to pin during a wave
  AND len(list_intersect(f.intents, ['complaint', 'personal_attack', 'disagreement'])) = 0
  -- owners' words carry a wave's answer; a staff or brand account's post is the brand's own voice, not a pin
  AND coalesce(m.account_type, 'member') NOT IN ('brand', 'staff')"""


def _topical(token: str, versions: frozenset[str] = frozenset()) -> bool:
    """A car-domain word: in the car dictionary or an aspect cue; a number only when it is one of ``versions`` (the
    wave's texts write it as a version, :func:`versions_in`)."""
    from reef.text.lexicon import car_dictionary, seed_aspects

    if _NUMBER.fullmatch(token):
        return token in versions
    words = {w.lower() for w, _ in car_dictionary()}
    return token.lower() in words or any(p.fullmatch(token) for p in seed_aspects().values())


def versions_in(texts: list[str]) -> frozenset[str]:
    """The numbers ``texts`` write as versions (``OTA 5.2``, ``v5.2``, ``5.2版``).

    >>> sorted(versions_in(["升级OTA 4.2之后掉电", "百公里电耗19.5度", "车机5.3版卡顿"]))
    ['4.2', '5.3']
    """
    return frozenset(a or b for text in texts for a, b in _VERSION_IN_TEXT.findall(text))


def wave_terms(wave_texts: list[str], background: list[str], n: int, *, background_tokens: list[list[str]] | None = None) -> list[str]:
    """The ``n`` car-domain tokens (:func:`_topical`; a number only where the wave writes it as a version) that set the
    wave apart: share ``a`` of wave posts containing the
    token against its share ``b`` among ``background`` (the aspect's factual posts), keyness ``a log(a / b)`` > 0.
    Tokens no background post uses are left out (nothing to pin could match them). ``background_tokens``: the
    background's :func:`candidate_tokens`, when the caller has them already."""
    from reef.kb.index import tokenize

    if not wave_texts:
        return []
    df_wave = Counter(t for text in wave_texts for t in set(tokenize(text, bigrams=False)) if len(t) > 1)
    if background_tokens is None:
        background_tokens = [tokenize(text, bigrams=False) for text in background]
    df_bg = Counter(t for toks in background_tokens for t in set(toks) if t in df_wave)
    nb, nw = max(len(background), 1), len(wave_texts)
    versions = versions_in(wave_texts)
    score = {t: (k / nw) * math.log((k / nw) / (df_bg[t] / nb)) for t, k in df_wave.items()
             if df_bg[t] and (k > 1 or nw < 3) and _topical(t, versions)}
    return [t for t, v in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:n] if v > 0]


def pin_candidates(store, as_of, aspect: str, *, before, since) -> list[dict]:
    """Factual, non-negative posts on ``aspect`` written in [``since``, ``before``) with their credibility and text."""
    if not (store.table_exists("kb_questions") and store.table_exists("kb_essence")):
        return []
    return store.fetch_dicts(_CANDIDATES, {"ts": as_of, "asp": aspect, "before": before, "since": since})


def candidate_tokens(candidates: list[dict]) -> list[list[str]]:
    """Each candidate's words (``tokenize(text, bigrams=False)``), cut once for :func:`wave_terms` and :func:`rank_pins`:
    at a million posts the candidates are tens of thousands and cutting them is most of the crisis room's time."""
    from reef.kb.index import tokenize

    return [tokenize(c["text"], bigrams=False) for c in candidates]


def _reason(terms: list[str], post: dict, lang: str) -> str:
    words = "、".join(terms) if lang == "zh" else ", ".join(terms)
    if lang == "en":
        parts = [f"same topic as the wave ({words})" if terms else "credible factual post on the aspect"]
        if post["author_best_answers"]:
            parts.append("author has " + plural(post["author_best_answers"], "best answer"))
        if post["claims"]:
            parts.append("states concrete facts")
        return "; ".join(parts)
    parts = [f"与声浪同话题（{words}）" if terms else "该方面的可信事实帖"]
    if post["author_best_answers"]:
        parts.append(f"作者有 {post['author_best_answers']} 个最佳回答")
    if post["claims"]:
        parts.append("含具体说法")
    return "；".join(parts)


def rank_pins(candidates: list[dict], terms: list[str], *, n: int, per_author: int, min_terms: int,
              tokens: list[list[str]] | None = None) -> dict:
    """``{"posts": [...], "matched": k}``: the ``n`` posts to pin (topic match first, then credibility, at most
    ``per_author`` each) and how many candidates contain at least ``min_terms`` of ``terms``. ``tokens``: the
    candidates' :func:`candidate_tokens`, when the caller has them already."""
    from reef.kb.index import BM25Index, with_bigrams

    if not candidates:
        return {"posts": [], "matched": 0}
    if terms:
        tokens = candidate_tokens(candidates) if tokens is None else tokens
        # The index's tokens are the text's with bigrams: built from the words already cut, not by cutting again.
        scores = BM25Index.build(candidates, tokens=[{"body": with_bigrams(t)} for t in tokens]).scores(terms)
        hits = [[t for t in terms if t in words] for words in map(set, tokens)]
    else:  # no wave to match (a calm aspect): by credibility alone, as the reason says
        scores, hits = np.zeros(len(candidates)), [[] for _ in candidates]
    return pick_pins(candidates, terms, scores, hits, n=n, per_author=per_author, min_terms=min_terms)


def pick_pins(candidates: list[dict], terms: list[str], scores: np.ndarray, hits: list[list[str]], *, n: int,
              per_author: int, min_terms: int) -> dict:
    """:func:`rank_pins` once each candidate has its BM25 ``scores`` against ``terms`` and the ``hits`` (terms it
    contains): the order, the per-author cap, each row's reason, and how many match at least ``min_terms``."""
    top_cred = max(max(float(c["credibility"] or 0) for c in candidates), 1e-9)
    matched = sum(len(h) >= min(min_terms, len(terms)) for h in hits) if terms else 0
    top_score = float(max(scores.max(), 1e-9))
    # Topic first (a credible post on charging is no answer to a black screen), credibility breaks near-ties.
    order = sorted((i for i in range(len(candidates)) if hits[i] or not terms),
                   key=lambda i: (-(float(scores[i]) / top_score + 0.3 * float(candidates[i]["credibility"] or 0) / top_cred),
                                  -candidates[i]["created_at"].timestamp() if hasattr(candidates[i]["created_at"], "timestamp") else 0))
    posts, per = [], Counter()
    for i in order:
        c = candidates[i]
        if per[c["author_id"]] >= per_author:
            continue
        per[c["author_id"]] += 1
        row = {k: v for k, v in c.items() if k != "text"}
        row.update(match=round(float(scores[i]), 2), terms=hits[i], credibility=round(float(c["credibility"] or 0), 2),
                   reason_zh=_reason(hits[i], c, "zh"), reason_en=_reason(hits[i], c, "en"))
        posts.append(row)
        if len(posts) >= n:
            break
    return {"posts": posts, "matched": matched}
