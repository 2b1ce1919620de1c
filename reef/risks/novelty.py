"""Novelty of new posts against the reef (heat death): how much of each week's writing is new.

A new original post (thread, photo, video, guide, event, poll) is a *repeat* when an earlier
original still in the reef (the radar's horizon) is a near-duplicate of it: the two share one of
``risks.novelty_bands`` locality-sensitive bands of ``risks.novelty_band_rows`` MinHash values
each, from the signatures the text layer keeps in ``content_features.minhash``. With 8 bands of
8 values a pair is caught with probability 1 - (1 - J^8)^8: 99 % at Jaccard 0.9, 77 % at 0.8,
3 % at 0.5, so "shares a band" means "nearly the same text", not "same topic".
Weekly novelty = 1 - repeats / new originals. The part compares the last 7 days with the
median of the ``baseline_weeks`` before, gated by the binomial surprise of that many repeats.

The band keys live in the persisted table ``risk_base_bands`` (the run reads them as ``_risk_bands``), kept with the radar's base
(:mod:`reef.risks.incremental`): a daily run hashes only the new or re-enriched posts, and
finds each new post's earlier twin with one semi-join on the keys.

Example:
    >>> round(lsh_catch_probability(0.9, bands=8, rows=8), 2)
    0.99
    >>> round(lsh_catch_probability(0.5, bands=8, rows=8), 2)
    0.03
"""
from __future__ import annotations

import numpy as np

from reef.risks.common import ORIGINAL_KINDS, FamilyResult, Part, binom_high_surprise, ramp
from reef.risks import wording as W

__all__ = ["BANDS", "band_keys_sql", "lsh_catch_probability", "weekly_novelty", "novelty_part"]

# The band keys of the run (reef.risks.common.risk_base): a view over the persisted risk_base_bands, or a temp table.
BANDS = "_risk_bands"


def lsh_catch_probability(jaccard: float, bands: int, rows: int) -> float:
    """Chance that two signatures with this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - jaccard ** rows) ** bands


def band_keys_sql(source: str, bands: int, rows: int) -> str:
    """SQL giving (content_id, created_at, key) for every band of every signature in ``source``
    (a relation with content_id, created_at, minhash) long enough for all bands."""
    return f"""SELECT content_id, created_at, hash(k, minhash[k * {int(rows)} + 1:(k + 1) * {int(rows)}]) AS key
        FROM {source}, range(0, {int(bands)}) t(k) WHERE len(minhash) >= {int(bands) * int(rows)}"""


def _repeats(store, ts, weeks: int) -> None:
    # One row per new original of the weeks: its week k, whether an earlier post shares a band, and the
    # earliest such post (ties broken by id, so every run names the same twin).
    store.execute(f"""CREATE OR REPLACE TEMP TABLE _risk_novelty AS
        WITH o AS (SELECT content_id, created_at FROM _risk_posts WHERE list_contains($kinds, kind)),
        new AS (SELECT b.content_id, b.created_at, b.key, CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(b.created_at)) / (7 * 86400)) AS BIGINT) AS k
                FROM {BANDS} b JOIN o USING (content_id) WHERE b.created_at >= $ts::TIMESTAMPTZ - to_days(7 * $weeks)),
        -- Earlier carriers of the new posts' keys only (a semi-join), with the member and as-of filter; a key carried
        -- once is only the post's own and cannot make a repeat, so only shared keys go on to the join below.
        shared AS (SELECT key, min({{'t': c.created_at, 'id': c.content_id}}) AS f FROM {BANDS} c JOIN o USING (content_id)
                   WHERE c.key IN (SELECT key FROM new WHERE key IN (SELECT key FROM {BANDS}_shared))
                     AND c.created_at < $ts::TIMESTAMPTZ GROUP BY key HAVING count(*) > 1),
        rep AS (SELECT n.content_id, min(s.f) FILTER (WHERE s.f.t < n.created_at) AS twin FROM new n JOIN shared s USING (key) GROUP BY 1)
        SELECT n.k, n.content_id, n.created_at, rep.twin
        FROM (SELECT DISTINCT k, content_id, created_at FROM new) n LEFT JOIN rep USING (content_id)""",
        {"ts": ts, "weeks": int(weeks), "kinds": list(ORIGINAL_KINDS)})


def weekly_novelty(store, ts, weeks: int) -> list[dict]:
    """Per week back from ``ts`` (oldest first): new originals, repeats of an earlier post and novelty
    (needs :func:`reef.risks.common.risk_base`, which provides the band keys)."""
    _repeats(store, ts, weeks)
    try:
        rows = _weekly(store, ts, weeks)
    finally:
        store.execute("DROP TABLE IF EXISTS _risk_novelty")
    return rows


def _weekly(store, ts, weeks: int) -> list[dict]:
    rows = store.fetch_dicts("""SELECT w.k, ($ts::TIMESTAMPTZ - to_days(7 * (w.k + 1)))::TIMESTAMPTZ AS week_start,
               count(n.content_id) AS posts, count(n.twin) AS repeats
        FROM range(0, $weeks) w(k) LEFT JOIN _risk_novelty n ON n.k = w.k GROUP BY 1, 2 ORDER BY w.k DESC""", {"ts": ts, "weeks": int(weeks)})
    for r in rows:
        r["novelty"] = 1.0 - r["repeats"] / r["posts"] if r["posts"] else None
    return rows


def _examples(store, ts, n: int) -> list[dict]:
    """The latest repeats of the last week with the earlier post each repeats (needs ``_risk_novelty``)."""
    return store.fetch_dicts("""SELECT n.content_id, n.twin.id AS twin_id, p.author_id,
               date_diff('hour', n.twin.t, n.created_at) / 24.0 AS days_after
        FROM _risk_novelty n JOIN _risk_posts p USING (content_id) WHERE n.k = 0 AND n.twin IS NOT NULL
        ORDER BY n.created_at DESC, n.content_id LIMIT $n""", {"n": int(n)})


def novelty_part(store, ts, c: dict, res: FamilyResult) -> None:
    """Heat-death part ``novelty``: the last week's novelty against the weeks before, weekly series and examples."""
    weeks_n = int(c["baseline_weeks"]) + 1
    _repeats(store, ts, weeks_n)
    try:
        weeks = _weekly(store, ts, weeks_n)
        examples = _examples(store, ts, int(c["novelty_evidence"]))
    finally:
        store.execute("DROP TABLE IF EXISTS _risk_novelty")
    res.series += [{"metric": "novelty", "week_start": w["week_start"], "value": round(w["novelty"], 4)} for w in weeks if w["novelty"] is not None]
    base_weeks = [w for w in weeks[:-1] if w["posts"] >= c["novelty_min_posts"]]
    now = weeks[-1]
    if not base_weeks or now["posts"] < c["novelty_min_posts"]:
        res.parts.append(Part("novelty", now["novelty"], 0.0, None, f"近7天新帖{now['posts']}条，样本不足以判断新颖度",
                              f"{W.plural(now['posts'], 'new post')} in 7 days: too few to judge novelty"))
        return
    base = float(np.median([w["novelty"] for w in base_weeks]))
    drop = base - now["novelty"]
    # More repeats than the baseline's repeat rate gives by chance: the drop counts in full only when surprising.
    surprise = binom_high_surprise(now["repeats"], now["posts"], max(1.0 - base, 1e-3))
    score = round(ramp(drop, ok=c["novelty_drop_ok"], bad=c["novelty_drop_bad"]) * min(1.0, surprise / float(c["part_surprise"])), 1)
    res.parts.append(Part("novelty", round(now["novelty"], 3), score, round(base, 3),
                          f"近7天{now['posts']}条新帖中{now['repeats']}条与社区已有内容近乎重复，新颖度{now['novelty']:.0%}（基线{base:.0%}，重复这么多{W.chance(surprise)[0]}）",
                          f"{now['repeats']} of {W.plural(now['posts'], 'new post')} in 7 days nearly repeat earlier posts: novelty "
                          f"{now['novelty']:.0%} (baseline {base:.0%}; {W.chance(surprise)[1]})"))
    for e in examples if score > 0 else []:
        res.evidence.append({"part": "novelty", "subject": e["content_id"], "content_id": e["content_id"], "member_id": e["author_id"],
                             "value": round(float(e["days_after"]), 1),
                             "detail_zh": f"新帖与{e['days_after']:.0f}天前的帖子{e['twin_id']}近乎重复",
                             "detail_en": f"new post nearly repeats {e['twin_id']}, posted {W.plural(round(e['days_after']), 'day')} earlier"})
    if score >= c["alert_score"]:
        res.alerts.append({"part": "novelty", "subject": "new_posts", "member_id": None, "content_id": None, "score": score,
                           "message_zh": res.parts[-1].note_zh, "message_en": res.parts[-1].note_en})
