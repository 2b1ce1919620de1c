"""Essence: posts of lasting reference value, told apart from one-day virality, with an explanation.

Lasting value shows as engagement that keeps coming after the first ``[kb] essence_late_days``
days (likes, votes, bookmarks, shares, quotes, links, accepts), bookmarks (kept for later), citations
(quoted or linked by later posts) and the number of distinct months in which it was still used.
A post whose engagement all came in its first days is viral, not essence: ``viral_share`` says how
much of it came early and lowers the score. Posts by staff, brand and bot accounts are left out: the essence list
credits members (as the Q&A, the crisis pins and the ladder do). Only posts that carry knowledge themselves are
essence (version 3): answers and guides, posts with an experience, answer or guide intent, or a concrete claim; a
bare question (its answers carry its value) and a photo or homework post with none of these are left out. The
author's name is read from ``members`` like every kb list, so a member who has left keeps it.

Writes ``kb_essence`` (one row per original post with any engagement).

Example:
    >>> explain_zh(12, 0.2, 5, 3, 4)
    '发布7天后仍有12次互动（头7天的互动占20%），收藏5次，被引用3次，4个月里持续有人用'
"""
from __future__ import annotations

__all__ = ["write_essence", "explain_zh", "explain_en"]

from reef.i18n import plural
from reef.kb.params import KbParams


def explain_zh(late: int, viral_share: float, bookmarks: int, cites: int, months: int, days: int = 7) -> str:
    return (f"发布{days}天后仍有{late}次互动（头{days}天的互动占{viral_share:.0%}），收藏{bookmarks}次，被引用{cites}次，"
            f"{months}个月里持续有人用")


def explain_en(late: int, viral_share: float, bookmarks: int, cites: int, months: int, days: int = 7) -> str:
    return (f"{plural(late, 'interaction')} after its first {plural(days, 'day')} ({viral_share:.0%} of all came in those days); bookmarks {bookmarks}, "
            f"citations {cites}, months in use {months}")


def write_essence(store, as_of, config) -> int:
    """Score every original post (thread, guide, answer, photo, video) as of ``as_of``."""
    p = KbParams.from_config(config)
    store.execute("""
        CREATE OR REPLACE TABLE kb_essence AS
        WITH c AS (SELECT content_id, kind, author_id, created_at, title, body FROM content_at($ts)
                   WHERE kind IN ('thread', 'guide', 'answer', 'photo', 'video')
                     -- essence credits members: a staff, brand or bot account's post is the brand's own material
                     -- (read from members, not members_at: a departed staff account's posts stay the brand's)
                     AND author_id NOT IN (SELECT member_id FROM members
                                           WHERE coalesce(account_type, 'member') IN ('staff', 'brand', 'bot'))),
        i AS (SELECT i.target_content_id AS content_id, i.kind, i.created_at, i.created_at - c.created_at AS age
              FROM interactions_at($ts) i JOIN c ON c.content_id = i.target_content_id
              WHERE i.kind IN ('like', 'vote', 'bookmark', 'share', 'quote', 'link', 'accept', 'duplicate')
                AND coalesce(i.value, 1) > 0),
        agg AS (SELECT content_id,
                       count(*) FILTER (WHERE age <= to_days($late)) AS early,
                       count(*) FILTER (WHERE age > to_days($late)) AS late,
                       count(*) FILTER (WHERE kind = 'bookmark') AS bookmarks,
                       count(*) FILTER (WHERE kind IN ('quote', 'link', 'duplicate', 'accept')) AS cites,
                       count(DISTINCT date_trunc('month', created_at)) AS months
                FROM i GROUP BY 1)
        SELECT c.content_id, c.kind, c.author_id, m.name AS author_name, c.created_at,
               coalesce(nullif(c.title, ''), left(c.body, 40)) AS title, f.aspect_names AS aspects,
               agg.early, agg.late, agg.bookmarks, agg.cites, agg.months,
               agg.early / (agg.early + agg.late) AS viral_share,
               (2 * ln(1 + agg.late) + 1.5 * ln(1 + agg.bookmarks) + 2 * ln(1 + agg.cites) + 0.5 * (agg.months - 1)
                + CASE WHEN list_contains(f.intents, 'guide') OR c.kind = 'guide' THEN 0.5 ELSE 0 END
                + CASE WHEN len(f.claims) > 0 THEN 0.5 ELSE 0 END) * (1 - 0.5 * agg.early / (agg.early + agg.late)) AS score
        FROM c JOIN agg USING (content_id) LEFT JOIN content_features f USING (content_id)
        -- the author's name as every kb list shows it (members, not members_at): a member who left keeps their name
        LEFT JOIN members m ON m.member_id = c.author_id
        WHERE c.created_at <= $ts - to_days($late)
          -- essence is knowledge the post itself carries: an answer or guide, an experience, answer or guide intent, or
          -- a concrete claim. A bare question's value is its answers (they have their own rows), and a photo or a
          -- campaign's homework post (【作业】随手拍) with no such content is a popular post, not reference material.
          AND (c.kind IN ('answer', 'guide') OR len(list_intersect(f.intents, ['experience', 'answer', 'guide'])) > 0
               OR len(f.claims) > 0)
        ORDER BY score DESC""", {"ts": as_of, "late": p.essence_late_days})
    # Same wording as explain_zh / explain_en, built in SQL so a million posts need no Python loop.
    store.execute("""CREATE OR REPLACE TABLE kb_essence AS SELECT *,
        format('发布{}天后仍有{}次互动（头{}天的互动占{}%），收藏{}次，被引用{}次，{}个月里持续有人用',
               $late, late, $late, round(100 * viral_share)::INT, bookmarks, cites, months) AS explanation_zh,
        format('{} interactions after its first {} days ({}% of all came in those days); bookmarks {}, citations {}, months in use {}',
               late, $late, round(100 * viral_share)::INT, bookmarks, cites, months) AS explanation_en
        FROM kb_essence ORDER BY score DESC""", {"late": p.essence_late_days})
    rows = store.fetch_value("SELECT count(*) FROM kb_essence")
    return int(rows)
