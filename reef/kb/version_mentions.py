"""OTA versions and model years as owners mention them, each tied to the aspects named in its own clause.

A post often mentions a version in passing: "车机升级到OTA 6.9之后流畅了不少。4S店给的保养报价是八百元。" speaks of
OTA 6.9 on the car's software, not on servicing. Until kb_gaps 6 a version counted against every aspect named
anywhere in the post, so OTA 6.9 "arrived" on 售后与服务 and 舒适性 and made answers about the first service or
carsickness "outdated". Here a mention counts against the post's aspects (``content_features.aspect_names``)
that its clause names too (read by the text layer's aspect model and lexicon cues on the clause alone), and
always against ``全部`` (anywhere). A clause ends at ，,。！？!?；; or a line break (never at the dot of ``6.9``).
Clauses, not sentences: "老车主路过，这台车客服真的没话说，车机升级到OTA 5.7之后流畅了不少。" is one sentence. A
model year in a clause naming no aspect ("作为2025款澜途X5车主，……") counts on ``全部`` only.

Example:
    >>> clauses("车机升级到OTA 6.9之后流畅了不少。4S店给的保养报价是八百元，还行！")
    ['车机升级到OTA 6.9之后流畅了不少。', '4S店给的保养报价是八百元，', '还行！']
    >>> [sorted(a) for a in clause_aspects(["车机升级到OTA 6.9之后很流畅。", "4S店给的保养报价是八百元。"])]
    [['智能与车机'], ['价格', '售后与服务']]
"""
from __future__ import annotations

import re

import numpy as np

from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["clauses", "clause_aspects", "mention_rows", "MENTION_COLUMNS"]

MENTION_COLUMNS = ["content_id", "author_id", "created_at", "kind", "value", "aspect"]
_CLAUSE = re.compile(r"[^，,。！？!?；;\n]+[，,。！？!?；;]*")


def clauses(text: str | None) -> list[str]:
    """The clauses of ``text``, stripped, empty ones dropped."""
    return [s.strip() for s in _CLAUSE.findall(text or "") if s.strip()]


def clause_aspects(texts: list[str], config=None) -> list[set[str]]:
    """The aspects each text names on its own: the text layer's aspect model at ``text.aspect_threshold`` plus
    its lexicon cues (:func:`reef.text.lexicon.seed_aspects`), as ``analyze`` reads a post."""
    from reef.config import load_config
    from reef.text.inputs import packaged_model
    from reef.text.lexicon import seed_aspects, segmenter

    if not texts:
        return []
    seg, model, cues = segmenter(), packaged_model("ccf_aspects"), seed_aspects()
    tokens = [[t for t in seg.cut(x) if t.strip()] or list(x) for x in texts]
    probs = model.predict_proba(texts, tokens, features=model.featurize(texts, tokens))
    labels, threshold = model.meta_["labels"], float((config or load_config()).section("text")["aspect_threshold"])
    return [{labels[j] for j in np.flatnonzero(p >= threshold)} | {name for name, cue in cues.items() if cue.search(x)}
            for x, p in zip(texts, probs)]


_POSTS_SQL = """
SELECT c.content_id, c.author_id, c.created_at,
       coalesce(f.text_simplified, coalesce(c.title, '') || chr(10) || coalesce(c.body, '')) AS text,
       coalesce(f.aspect_names, []) AS aspects
FROM content_at($ts) c LEFT JOIN content_features f USING (content_id)
WHERE c.kind NOT IN ('poll_vote', 'event')
  AND (regexp_matches(coalesce(f.text_simplified, coalesce(c.title, '') || ' ' || coalesce(c.body, '')), $ota)
       OR regexp_matches(coalesce(f.text_simplified, coalesce(c.title, '') || ' ' || coalesce(c.body, '')), $year))"""


def mention_rows(store, as_of, config=None) -> pd.DataFrame:
    """One row per version mention and aspect (:data:`MENTION_COLUMNS`): the post's aspects its clause names,
    and ``全部``."""
    from reef.kb.versions import OTA_PATTERN, YEAR_PATTERN, mentions

    posts = store.fetch_arrow(_POSTS_SQL, {"ts": as_of, "ota": OTA_PATTERN, "year": YEAR_PATTERN}).to_pandas()
    found: list[tuple[int, str, list[tuple[str, str]]]] = []
    for i, text in enumerate(posts["text"]):
        for s in clauses(text):
            m = mentions(s)
            if m:
                found.append((i, s, m))
    unique = list(dict.fromkeys(s for _, s, _ in found))
    named = dict(zip(unique, clause_aspects(unique, config)))
    ids, authors, times, aspects = (posts[c].tolist() for c in ("content_id", "author_id", "created_at", "aspects"))
    out = []
    for i, s, m in found:
        asp = [a for a in (aspects[i] if aspects[i] is not None else []) if a in named[s]] + ["全部"]
        out += [(ids[i], authors[i], times[i], kind, value, a) for kind, value in dict.fromkeys(m) for a in asp]
    df = pd.DataFrame(out, columns=MENTION_COLUMNS)
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True)
    return df
