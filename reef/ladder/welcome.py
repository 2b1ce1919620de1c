"""Which posts a welcome may praise: the stage-2 and stage-3 welcomes (``first_original``, ``first_newcomer_answer``).

A welcome asks the team to praise a post in public at once, so a post is never one when the text layer reads it
as a complaint (intent ``complaint`` or negative overall sentiment; for an original post also a sentiment score
leaning negative, at most ``kb.crisis_lean_score``: the breakwater's rule, as the text model reads most short
complaints neutral, "OTA把续航搞坏了" −0.13), a personal attack, hostile (toxicity at least
``text.attack_toxicity``) or toxic (at least ``text.toxic_threshold``), when it reports a fire and is not read as
positive (a cue of the lexicon's 安全性 line, :func:`reef.text.lexicon.seed_aspects`: "电池起火了！官方一直在隐瞒"
reads neutral to the sentiment models, which learnt little about fires), or when one of its spec claims contradicts
the official spec sheet (:mod:`reef.text.spec_facts`, the risk radar's comparison and settings). The stage evidence
is untouched: such a post still counts as the docs/ladder.md measures say (an original of adequate quality, an
answer to a newcomer); only the welcome skips it. The welcome stays on the member's first post: when that one is unfit, no welcome
(never one for a later post: a member whose earlier originals were complaints is no newcomer to welcome).

:func:`build_unfit` writes ``_lad_unfit`` (the integer codes ``cc`` of unfit items) for the members who have a
welcome candidate since ``since`` only: the welcomes compare a candidate with that member's earlier items alone,
so the few members who posted in the last hours are read, not the whole history.

Example:
    >>> from reef.text.lexicon import seed_aspects
    >>> "complaint" in _UNFIT, bool(seed_aspects()[SAFETY_ASPECT].search("澜途S7电池起火了"))
    (True, True)
"""
from __future__ import annotations

import re

import pyarrow as pa

from reef.ladder.params import LadderParams

__all__ = ["build_unfit"]

# Items of the members with a candidate since $since: originals and help (answers) that could be or precede a welcome.
_UNFIT = """
CREATE OR REPLACE TEMP TABLE _lad_welcome_items AS
WITH a AS (SELECT DISTINCT author_mc FROM _lad_items WHERE created_at >= $since AND (is_orig_ok OR is_newcomer_help))
SELECT i.cc, i.content_id, c.n_claims > 0 AS has_claims,
       i.hostile OR c.tox >= $toxic OR coalesce(f.sentiment < 0, false)
         -- an original leaning negative (kb.crisis_lean_score) is the breakwater's wave material, not work to praise
         OR coalesce(i.is_orig_ok AND f.sentiment_score <= $lean, false)
         OR coalesce(list_contains(f.intents, 'complaint') OR list_contains(f.intents, 'personal_attack'), false) AS unfit,
       CASE WHEN coalesce(f.sentiment, 0) <= 0 AND regexp_matches(f.text_simplified, $fire) THEN f.text_simplified END AS fire_text
FROM _lad_items i SEMI JOIN a ON a.author_mc = i.author_mc JOIN _lad_cx c ON c.cc = i.cc
LEFT JOIN content_features f ON f.content_id = i.content_id
WHERE i.is_orig_ok OR i.is_help"""
SAFETY_ASPECT = "安全性"  # the lexicon line whose cues report a fire


def build_unfit(store, as_of, since, p: LadderParams, rules=None) -> int:
    """``_lad_unfit(cc)``: items a welcome must not praise, among those of members with a candidate since ``since``.

    ``rules``: the claim comparison's :class:`reef.text.spec_facts.ClaimRules` (from the store's configuration when
    None). Reads ``_lad_items`` and ``_lad_cx``; returns the number of unfit items.
    """
    from reef.text.lexicon import seed_aspects
    from reef.text.spec_facts import ClaimRules, contradictions

    rules = rules or ClaimRules.from_config(store.config)
    fire = seed_aspects()[SAFETY_ASPECT]
    # DuckDB's RE2 has no lookaround: it preselects with the cues less their lookarounds, Python's regex decides
    rough = re.sub(r"\(\?<?[!=][^)]*\)", "", fire.pattern)
    store.execute(_UNFIT, {"since": since, "toxic": p.toxic_threshold, "fire": rough, "lean": p.lean_score})
    rows = store.fetch_all("SELECT cc, content_id, unfit, has_claims, fire_text FROM _lad_welcome_items "
                           "WHERE unfit OR has_claims OR fire_text IS NOT NULL")
    unfit = {cc for cc, _, bad, _, text in rows if bad or (text is not None and fire.search(text))}
    claimed = {cid: cc for cc, cid, _, has, _ in rows if has and cc not in unfit}
    # A post whose claim contradicts the sheet in force at as_of is a rumour (the radar raises it too), not work to praise.
    unfit |= {claimed[cid] for cid in contradictions(store, as_of, claimed, rules)}
    with store.registered("_lad_unfit_arrow", pa.table({"cc": pa.array(sorted(unfit), pa.int64())})):
        store.execute("CREATE OR REPLACE TEMP TABLE _lad_unfit AS SELECT cc FROM _lad_unfit_arrow")
    store.execute("DROP TABLE IF EXISTS _lad_welcome_items")
    return len(unfit)
