"""Recognise-now alerts: acts of the last ``alert_hours`` that the seed says to answer at once.

Kinds, most urgent first: ``leader_crossing`` (the act that lifted a member into stage 4),
``first_proactive`` (a member's first proactive act ever), ``first_original`` (first original
post of adequate quality: a stage-2 welcome) and ``first_newcomer_answer`` (first answer to a
newcomer: a stage-3 welcome). One alert per member and act, ranked by urgency then potential.

Example:
    >>> ALERT_KINDS[0]
    'leader_crossing'
"""
from __future__ import annotations

from datetime import timedelta

from reef.ladder.params import LadderParams

__all__ = ["build_alerts", "ALERT_KINDS"]

ALERT_KINDS = ("leader_crossing", "first_proactive", "first_original", "first_newcomer_answer")

_SQL = """
CREATE OR REPLACE TABLE ladder_alerts AS
WITH firsts AS (
  SELECT author_mc, min(created_at) FILTER (WHERE proactive IS NOT NULL) AS first_pro,
         min(created_at) FILTER (WHERE is_orig_ok) AS first_orig, min(created_at) FILTER (WHERE is_newcomer_help) AS first_nc
  FROM _lad_items GROUP BY 1),
recent AS (  -- texts and member ids come from the store for these few rows only (_lad_items keeps neither)
  SELECT r.*, m.member_id AS author_id, coalesce(c.title, '') AS title, coalesce(c.body, '') AS body
  FROM (SELECT * FROM _lad_items WHERE created_at >= $since AND created_at < $ts) r
  JOIN _lad_members m ON m.mc = r.author_mc JOIN content_at($ts) c ON c.content_id = r.content_id),
cross4 AS (  -- stage 4 now, but not without the last hours' proactive acts
  SELECT r.*, 0 AS urgency, 'leader_crossing' AS alert FROM recent r JOIN ladder_members m ON m.member_id = r.author_id
  WHERE r.proactive IS NOT NULL AND m.stage = 4
    AND m.proactive - (SELECT count(*) FROM recent q WHERE q.author_id = r.author_id AND q.proactive IS NOT NULL) < $leader_min),
cand AS (
  SELECT * FROM cross4
  UNION ALL BY NAME SELECT r.*, 1 AS urgency, 'first_proactive' AS alert FROM recent r JOIN firsts f ON f.author_mc = r.author_mc
    WHERE r.proactive IS NOT NULL AND r.created_at = f.first_pro
  UNION ALL BY NAME SELECT r.*, 2 AS urgency, 'first_original' AS alert FROM recent r JOIN firsts f ON f.author_mc = r.author_mc
    WHERE r.is_orig_ok AND r.created_at = f.first_orig
  UNION ALL BY NAME SELECT r.*, 3 AS urgency, 'first_newcomer_answer' AS alert FROM recent r JOIN firsts f ON f.author_mc = r.author_mc
    WHERE r.is_newcomer_help AND r.created_at = f.first_nc),
best AS (SELECT * FROM cand QUALIFY row_number() OVER (PARTITION BY author_id, content_id ORDER BY urgency) = 1)
SELECT row_number() OVER (ORDER BY b.urgency, m.potential DESC, b.created_at DESC, b.author_id) AS rank,
       b.alert, b.author_id AS member_id, m.name, m.stage, m.potential, b.content_id, b.kind AS content_kind,
       b.proactive AS act, b.created_at AS at, left(coalesce(nullif(b.title, ''), b.body), 80) AS snippet,
       CASE b.alert WHEN 'leader_crossing' THEN '刚升为引领者：' WHEN 'first_proactive' THEN '首次主动创造价值：'
            WHEN 'first_original' THEN '首次发布原创：' ELSE '首次回答新人提问：' END
         || left(coalesce(nullif(b.title, ''), b.body), 40) || '，请立即认可' AS message_zh,
       CASE b.alert WHEN 'leader_crossing' THEN 'just became a leader: ' WHEN 'first_proactive' THEN 'first proactive act: '
            WHEN 'first_original' THEN 'first original post: ' ELSE 'first answer to a newcomer: ' END
         || left(coalesce(nullif(b.title, ''), b.body), 40) || ' - recognise now' AS message_en,
       CAST($ts AS TIMESTAMPTZ) AS as_of
FROM best b JOIN ladder_members m ON m.member_id = b.author_id
ORDER BY rank
"""


def build_alerts(store, as_of, p: LadderParams) -> int:
    """Write ``ladder_alerts`` from ``_lad_items`` and ``ladder_members`` (both as of ``as_of``)."""
    store.execute(_SQL, {"ts": as_of, "since": as_of - timedelta(hours=p.alert_hours), "leader_min": p.leader_min_acts})
    return int(store.fetch_value("SELECT count(*) FROM ladder_alerts"))
