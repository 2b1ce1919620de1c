"""Fair judging of a themed content call: quality first, not raw likes.

Each submission (an original item carrying the campaign's id) gets four parts, each 0-1:
``text`` (length saturating at 300 characters, aspects named, an experience or guide intent, no
toxicity), ``originality`` (1 minus the best MinHash similarity to any earlier item sharing a band), ``media``
(1 for a photo or video item or any item whose ``attrs`` carry ``photos``, ``images`` or ``video``, such as a
thread with photos attached; 0 otherwise) and ``engagement``: weighted likes of the first ``contest_exposure_days``
online (ring and burst discounts applied) divided by exposure (days online, at most that many) and by the author's
usual audience (median weighted likes of their earlier items in their own first days + 1), squashed to 0-1. So a
newcomer's great post can beat a popular author's weak one, and an early entry does not win on late likes. Weights are
``ladder.contest_*_weight``; each part's points (100 x weight x part, rounded) add up to the score, and equal scores
share a rank. Entries by staff and brand accounts, and by members
who left before as_of (no prize reaches them; their likes have no weights), are not judged; the
latter are counted in ``entries_of_members_who_left``.

Example:
    >>> from reef.store import open_store
    >>> contest_scores(open_store(":memory:"), "c1")
    Traceback (most recent call last):
    ...
    reef.errors.NotFoundError: No campaign 'c1' in the store. The store has no campaigns.
"""
from __future__ import annotations

from typing import Any

from reef.errors import NotFoundError
from reef.ladder.params import LadderParams
from reef.store.asof import iso_sql

__all__ = ["contest_scores"]

# A campaign's entries (content_at($ts) c): original items carrying its id, not by staff or brand accounts, whose
# results are announced to members.
_ENTRIES = """c.campaign_id = $campaign AND c.kind IN ('thread', 'photo', 'video', 'guide', 'event')
    AND c.author_id NOT IN (SELECT member_id FROM members WHERE coalesce(account_type, 'member') IN ('staff', 'brand', 'bot'))"""

_SQL = """
WITH sub AS (
  SELECT c.content_id, c.author_id, c.kind, c.created_at, coalesce(c.title, '') AS title, coalesce(c.body, '') AS body,
         length(coalesce(c.title, '')) + length(coalesce(c.body, '')) AS chars, f.minhash, coalesce(f.intents, []::VARCHAR[]) AS intents,
         coalesce(len(f.aspects), 0) AS n_aspects, coalesce(f.toxicity, 0) AS tox,
         -- media: a photo or video item, or any item carrying photos, images or a video in attrs (a thread with photos)
         c.kind IN ('photo', 'video') OR coalesce(json_exists(c.attrs, '$.photos') OR json_exists(c.attrs, '$.images')
           OR json_exists(c.attrs, '$.video'), false) AS has_media
  FROM content_at($ts) c LEFT JOIN content_features f USING (content_id)
  WHERE {entries}
    -- nor entries of members who left by as_of: no prize can reach them, and their likes have no weights
    AND c.author_id NOT IN (SELECT member_id FROM members WHERE left_at < $ts)),
sb AS (  -- each submission's MinHash bands (8 bands x 4 rows, as the ladder's near-duplicate test), any signature length
  SELECT content_id, created_at, minhash, hash(b, minhash[b * 4 + 1:b * 4 + 4]) AS key FROM sub CROSS JOIN range(8) t(b)
  WHERE len(minhash) >= 32),
eb AS (  -- items sharing a band with some submission: an equi-join on the band key, not a scan of every pair
  SELECT e.content_id, e.minhash, hash(b, e.minhash[b * 4 + 1:b * 4 + 4]) AS key
  FROM content_features e CROSS JOIN range(8) t(b) WHERE len(e.minhash) >= 32
  AND hash(b, e.minhash[b * 4 + 1:b * 4 + 4]) IN (SELECT key FROM sb)),
sim AS (  -- best estimated Jaccard with an earlier item sharing a band
  SELECT s.content_id, max(list_sum(list_transform(range(1, len(s.minhash) + 1), lambda i: CAST(s.minhash[i] = e.minhash[i] AS INT)))
                          / len(s.minhash)) AS best
  FROM sb s JOIN eb e ON e.key = s.key AND e.content_id <> s.content_id AND len(e.minhash) = len(s.minhash)
  JOIN content_at($ts) ec ON ec.content_id = e.content_id AND ec.created_at < s.created_at
  GROUP BY 1),
likes AS (  -- raw likes in the exposure window (the first contest_exposure_days after posting), as engagement counts them
  SELECT s.content_id, count(*) AS likes FROM interactions_at($ts) i JOIN sub s ON s.content_id = i.target_content_id
  WHERE (i.kind = 'like' OR (i.kind = 'vote' AND coalesce(i.value, 1) > 0))
    AND epoch_us(i.created_at) - epoch_us(s.created_at) < $window_us GROUP BY 1),
wl AS (  -- weighted likes of every item in its exposure window: a like a month later does not lift an early entry
  SELECT c.content_id, sum(l.weight) AS wlikes FROM _lad_likes l JOIN _lad_c c ON c.cc = l.cc
  WHERE epoch_us(l.created_at) - epoch_us(c.created_at) < $window_us GROUP BY 1),
aud AS (  -- the author's usual audience: median weighted likes of their earlier items
  SELECT s.content_id, median(coalesce(w.wlikes, 0)) AS usual FROM sub s
  JOIN content_at($ts) p ON p.author_id = s.author_id AND p.created_at < s.created_at AND p.kind IN ('thread', 'photo', 'video', 'guide')
  LEFT JOIN wl w ON w.content_id = p.content_id GROUP BY 1),
parts AS (
  SELECT s.*, coalesce(l.likes, 0) AS likes, coalesce(w.wlikes, 0) AS wlikes, coalesce(a.usual, 0) AS usual,
         least(1.0, s.chars / 300.0) * 0.6 + least(1.0, s.n_aspects / 3.0) * 0.2
           + CASE WHEN list_has_any(s.intents, ['experience', 'guide']) THEN 0.2 ELSE 0 END
           - CASE WHEN s.tox >= $toxic THEN 0.5 ELSE 0 END AS text_q,
         1.0 - coalesce(x.best, 0) AS originality,
         CAST(CASE WHEN s.has_media THEN 1.0 ELSE 0.0 END AS DOUBLE) AS media,
         coalesce(w.wlikes, 0) / greatest(1.0, least($window_days, date_diff('hour', s.created_at, CAST($ts AS TIMESTAMPTZ)) / 24.0))
           / (1.0 + coalesce(a.usual, 0)) AS eng_raw
  FROM sub s LEFT JOIN sim x USING (content_id) LEFT JOIN likes l USING (content_id) LEFT JOIN wl w USING (content_id)
  LEFT JOIN aud a USING (content_id)),
pts AS (  -- each part's points (its weight x 100 x the part, rounded): the score is their sum, so the parts add up
  SELECT *, greatest(text_q, 0) AS text_c, eng_raw / (eng_raw + 1.0) AS eng,
         round(100 * $wt * greatest(text_q, 0), 1) AS text_points, round(100 * $wo * originality, 1) AS originality_points,
         round(100 * $wm * media, 1) AS media_points, round(100 * $we * eng_raw / (eng_raw + 1.0), 1) AS engagement_points
  FROM parts)
SELECT content_id, author_id, reef_mask_text(m.name) AS name, kind, {created_at_iso} AS created_at,
       -- the title, unless the body repeats it (a call's hashtag title is every entry's): then the body, which tells entries apart
       left(reef_mask_text(CASE WHEN body = '' THEN title WHEN title = '' OR contains(body, title) THEN body
                                ELSE title || '｜' || body END), 60) AS snippet,
       likes, round(wlikes, 2) AS weighted_likes, round(usual, 2) AS author_usual_likes,
       round(text_c, 3) AS text_quality, round(originality, 3) AS originality, media, round(eng, 3) AS engagement,
       text_points, originality_points, media_points, engagement_points,
       round(text_points + originality_points + media_points + engagement_points, 1) AS score,
       -- ties share a rank (1, 2, 2, 4): equal scores are not split by an id
       CAST(rank() OVER (ORDER BY round(text_points + originality_points + media_points + engagement_points, 1) DESC) AS INTEGER) AS rank
FROM pts LEFT JOIN members_at($ts) m ON m.member_id = pts.author_id
ORDER BY score DESC, created_at, content_id
""".replace("{entries}", _ENTRIES).replace("{created_at_iso}", iso_sql("created_at"))


def contest_scores(store, campaign_id: str, *, as_of=None, top: int | None = None) -> dict[str, Any]:
    """Rank a campaign's submissions with every score's parts (``ladder`` must have run for like weights).

    An unknown campaign id (neither in ``campaigns`` nor on any item) is a NotFoundError listing the known ids.
    """
    from reef.params import check_positive
    from reef.store.asof import as_of_timestamp
    from reef.store.connection import FAR_FUTURE

    if top is not None:
        check_positive("top", top)
    p = LadderParams.from_config(store.config)
    ts = as_of_timestamp(as_of, store.config.get("general.timezone")) or FAR_FUTURE
    known = [r[0] for r in store.fetch_all(
        "SELECT campaign_id FROM campaigns_at($ts) UNION SELECT DISTINCT campaign_id FROM content_at($ts) "
        "WHERE campaign_id IS NOT NULL ORDER BY 1", {"ts": ts})]
    if campaign_id not in known:
        shown = ", ".join(known[:20]) + (f" … ({len(known)} in all)" if len(known) > 20 else "")
        later = as_of is not None and bool(store.fetch_value(
            "SELECT count(*) FROM (SELECT campaign_id FROM campaigns UNION SELECT campaign_id FROM content) WHERE campaign_id = $c",
            {"c": campaign_id}))
        where = "at the given as_of (it starts later)" if later else "in the store"
        hint = f"Known campaign ids: {shown}." if known else ("No campaign had started by then." if as_of is not None else "The store has no campaigns.")
        # the operator's words too (the CLI's error line in Chinese): what is missing and which ids to use instead
        shown_zh = "、".join(known[:20]) + (f" …（共{len(known)}个）" if len(known) > 20 else "")
        where_zh = "在所给的截止时间还没有开始" if later else "在数据库中不存在"
        hint_zh = (f"已有的活动ID：{shown_zh}。" if known else "截止时间之前还没有活动开始。" if as_of is not None
                   else "数据库中还没有活动：请先导入活动文件（campaigns.csv / .jsonl，docs/importers.md）。")
        raise NotFoundError(f"No campaign {campaign_id!r} {where}.", hint=hint,
                            message_zh=f"活动ID“{campaign_id}”{where_zh}。", hint_zh=hint_zh,
                            facts={"campaign": campaign_id, "known": known})
    from reef.ladder.items import build_likes

    if store.read_only:  # codes it cannot fill: refused, not joined on half of them (reef.store.codes)
        from reef.store.codes import require_codes

        require_codes(store, "the contest", f"`reef contest --campaign {campaign_id} --db {store.path}` (the CLI opens the store "
                      f"writable) or reef.open({store.path!r}).contest({campaign_id!r})", needed_by_zh="活动评选")
    build_likes(store, ts, p, write_flags=False)  # like weights as of this contest's as_of (an earlier call's would be stale)
    from reef.actions.privacy import register_mask_function

    register_mask_function(store.con)  # results are announced to members: names and excerpts masked, before the cut
    rows = store.fetch_dicts(_SQL, {"ts": ts, "campaign": campaign_id, "toxic": p.toxic_threshold,
                                    "wt": p.contest_text_weight, "wo": p.contest_originality_weight,
                                    "wm": p.contest_media_weight, "we": p.contest_engagement_weight,
                                    "window_days": float(p.contest_exposure_days),
                                    "window_us": int(p.contest_exposure_days * 86_400_000_000)})
    name = store.fetch_value("SELECT name FROM campaigns WHERE campaign_id = $c", {"c": campaign_id})
    left = int(store.fetch_value(f"""SELECT count(*) FROM content_at($ts) c JOIN members m ON m.member_id = c.author_id
        WHERE {_ENTRIES} AND m.left_at < $ts""", {"ts": ts, "campaign": campaign_id}))
    return {"campaign_id": campaign_id, "campaign": name, "entries": rows[:top] if top is not None else rows,
            "entries_judged": len(rows), "entries_of_members_who_left": left,
            # each part's most points (its weight x 100): the four ``*_points`` of an entry add up to its score
            "max_points": {"text_points": round(100 * p.contest_text_weight, 1),
                           "originality_points": round(100 * p.contest_originality_weight, 1),
                           "media_points": round(100 * p.contest_media_weight, 1),
                           "engagement_points": round(100 * p.contest_engagement_weight, 1)},
            "exposure_days": p.contest_exposure_days}
