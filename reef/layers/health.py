"""Size, growth and health of each interest circle (added to ``layers_circles``).

Windows: the last ``recent_days`` before ``as_of`` against the ``recent_days`` before them. Measures
per circle, over its members' content: active members (distinct authors), original posts
(``plaza_kinds``), members who joined in the window, the share of recent originals that drew a reply
from someone else, mean sentiment and the hostile share. Health 0-100 = ``health_weights`` x ramps:
activity (mean of the active-member and post ratios, recent / before, from ``activity_ratio_bad`` to
``_ok``), reply rate, and tone (the circle's mean sentiment minus the community's, so a sentiment
model's overall bias does not move every circle). Trend ``growing`` / ``declining`` when the mean of the
member and post changes reaches ``trend_change``, else ``stable``.

Example:
    >>> health_score({"active_recent": 90, "active_before": 100, "posts_recent": 90, "posts_before": 100,
    ...               "reply_rate": 0.7, "tone_delta": 0.05},
    ...              {"health_weights": {"activity": 0.4, "replies": 0.3, "tone": 0.3}, "activity_ratio_bad": 0.5,
    ...               "activity_ratio_ok": 1.0, "reply_rate_bad": 0.2, "reply_rate_ok": 0.7, "tone_bad": -0.15, "tone_ok": 0.05})
    (92.0, {'activity': 0.8, 'replies': 1.0, 'tone': 1.0})
"""
from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from reef.i18n import plural
from reef.layers.common import HOSTILE_SQL, pct, ramp, write_table

__all__ = ["health_score", "circle_stats", "add_health", "HEALTH_SCHEMA"]

# The columns add_health adds to ``layers_circles``, also when there is no circle (readers select them by name).
HEALTH_SCHEMA = pa.schema(
    [("circle_id", pa.string())]
    + [(c, pa.int64()) for c in ("active_recent", "active_before", "posts_recent", "posts_before", "items_recent", "joined_recent")]
    + [(c, pa.float64()) for c in ("reply_rate", "sentiment", "hostile_share", "tone_delta", "member_growth", "post_growth",
                                   "health", "activity_part", "replies_part", "tone_part")]
    + [(c, pa.string()) for c in ("trend", "summary_zh", "summary_en")])


def health_score(s: dict, p: dict) -> tuple[float, dict[str, float]]:
    """Health 0-100 and its parts (each 0-1) from one circle's measures."""
    ratios = [s[f"{m}_recent"] / s[f"{m}_before"] if s[f"{m}_before"] else (1.0 if s[f"{m}_recent"] else None)
              for m in ("active", "posts")]
    known = [r for r in ratios if r is not None]
    ratio = sum(known) / len(known) if known else None
    parts = {"activity": ramp(ratio, bad=p["activity_ratio_bad"], ok=p["activity_ratio_ok"]),
             "replies": ramp(s["reply_rate"], bad=p["reply_rate_bad"], ok=p["reply_rate_ok"]),
             "tone": ramp(s["tone_delta"], bad=p["tone_bad"], ok=p["tone_ok"])}
    w = p["health_weights"]
    total = sum(float(w[k]) for k in parts) or 1.0
    return round(100.0 * sum(float(w[k]) * v for k, v in parts.items()) / total, 1), {k: round(v, 3) for k, v in parts.items()}


def circle_stats(store, as_of: datetime, p: dict) -> list[dict]:
    """Measures per circle in the recent and the previous window."""
    feats = "LEFT JOIN content_features f ON f.content_id = c.content_id" if store.table_exists("content_features") else \
        "LEFT JOIN (SELECT NULL::TINYINT AS sentiment, NULL::VARCHAR[] AS intents, NULL::FLOAT AS toxicity) f ON true"
    return store.fetch_dicts(f"""
        WITH c AS (SELECT c.content_id, c.kind, c.author_id, c.created_at, m.circle_id, f.sentiment, {HOSTILE_SQL} AS hostile,
                          c.created_at >= $ts::TIMESTAMPTZ - to_days($r) AS recent
                   FROM content_at($ts) c JOIN layers_circle_members m ON m.member_id = c.author_id {feats}
                   WHERE c.created_at >= $ts::TIMESTAMPTZ - to_days(2 * $r) AND c.kind <> 'poll_vote'),
        orig AS (SELECT * FROM c WHERE recent AND kind IN (SELECT unnest($kinds))),
        answered AS (SELECT DISTINCT o.content_id FROM orig o JOIN content_at($ts) x ON x.thread_id = o.content_id
                     AND x.content_id <> o.content_id AND x.author_id <> o.author_id),
        joined AS (SELECT m.circle_id, count(*) AS n FROM layers_circle_members m JOIN members_at($ts) mm USING (member_id)
                   WHERE mm.joined_at >= $ts::TIMESTAMPTZ - to_days($r) GROUP BY 1)
        SELECT l.circle_id,
               count(DISTINCT c.author_id) FILTER (WHERE c.recent) AS active_recent,
               count(DISTINCT c.author_id) FILTER (WHERE NOT c.recent) AS active_before,
               count(*) FILTER (WHERE c.recent AND c.kind IN (SELECT unnest($kinds))) AS posts_recent,
               count(*) FILTER (WHERE NOT c.recent AND c.kind IN (SELECT unnest($kinds))) AS posts_before,
               count(*) FILTER (WHERE c.recent) AS items_recent,
               coalesce(any_value(j.n), 0) AS joined_recent,
               (SELECT count(*) FROM orig o WHERE o.circle_id = l.circle_id AND o.content_id IN (SELECT content_id FROM answered))
                 / nullif((SELECT count(*) FROM orig o WHERE o.circle_id = l.circle_id), 0) AS reply_rate,
               avg(c.sentiment) FILTER (WHERE c.recent) AS sentiment,
               avg(CAST(c.hostile AS INT)) FILTER (WHERE c.recent) AS hostile_share
        FROM layers_circles l LEFT JOIN c USING (circle_id) LEFT JOIN joined j USING (circle_id)
        GROUP BY l.circle_id ORDER BY l.circle_id""",
        {"ts": as_of, "r": int(p["recent_days"]), "kinds": list(p["plaza_kinds"]), "tox": float(p["attack_toxicity"])})


def _change(now: float, before: float) -> float | None:
    return None if not before else round(now / before - 1.0, 3)


def _evidence(s: dict, p: dict) -> tuple[str, str]:
    r = int(p["recent_days"])
    ch = lambda v: "—" if v is None else f"{v:+.0%}"  # noqa: E731
    trend_zh = {"growing": "上升", "declining": "下降", "stable": "平稳"}[s["trend"]]
    tone = "—" if s["sentiment"] is None else f"{s['sentiment']:+.2f}"
    delta = "" if s["tone_delta"] is None else f"（与社区相差{s['tone_delta']:+.2f}）"
    delta_en = "" if s["tone_delta"] is None else f" ({s['tone_delta']:+.2f} vs the community)"
    zh = (f"近{r}天活跃成员{s['active_recent']}人（前{r}天{s['active_before']}人，{ch(s['member_growth'])}），"
          f"新帖{s['posts_recent']}篇（{ch(s['post_growth'])}），新加入{s['joined_recent']}人；原创帖获回复率{pct(s['reply_rate'])}，"
          f"情绪均值{tone}{delta}，敌意内容占{pct(s['hostile_share'])}；健康度{s['health']:.0f}分，趋势{trend_zh}")
    en = (f"{plural(s['active_recent'], 'active member')} in the last {plural(r, 'day')} ({s['active_before']} before, "
          f"{ch(s['member_growth'])}), {plural(s['posts_recent'], 'new post')} ({ch(s['post_growth'])}), {s['joined_recent']} joined; {pct(s['reply_rate'])} of original "
          f"posts got a reply, mean sentiment {tone}{delta_en}, hostile {pct(s['hostile_share'])}; health {s['health']:.0f}, trend {s['trend']}")
    return zh, en


def add_health(store, as_of: datetime, p: dict) -> None:
    """Add growth, health and their evidence to ``layers_circles``."""
    rows = []
    stats = circle_stats(store, as_of, p)
    weight = sum(s["items_recent"] for s in stats if s["sentiment"] is not None)
    community = sum(float(s["sentiment"]) * s["items_recent"] for s in stats if s["sentiment"] is not None) / weight if weight else None
    for s in stats:
        s["reply_rate"] = None if s["reply_rate"] is None else round(float(s["reply_rate"]), 3)
        s["sentiment"] = None if s["sentiment"] is None else round(float(s["sentiment"]), 3)
        s["hostile_share"] = None if s["hostile_share"] is None else round(float(s["hostile_share"]), 4)
        s["tone_delta"] = None if s["sentiment"] is None or community is None else round(s["sentiment"] - community, 3)
        s["member_growth"] = _change(s["active_recent"], s["active_before"])
        s["post_growth"] = _change(s["posts_recent"], s["posts_before"])
        s["health"], parts = health_score(s, p)
        s.update({f"{k}_part": v for k, v in parts.items()})
        changes = [g for g in (s["member_growth"], s["post_growth"]) if g is not None]
        g = sum(changes) / len(changes) if changes else None
        s["trend"] = "stable" if g is None or abs(g) < float(p["trend_change"]) else ("growing" if g > 0 else "declining")
        s["summary_zh"], s["summary_en"] = _evidence(s, p)
        rows.append(s)
    write_table(store, "_lay_health", pa.Table.from_pylist(rows) if rows else HEALTH_SCHEMA.empty_table())
    store.execute("CREATE OR REPLACE TABLE layers_circles AS SELECT l.*, h.* EXCLUDE (circle_id) FROM layers_circles l "
                  "LEFT JOIN _lay_health h USING (circle_id) ORDER BY l.rank")
    store.execute("DROP TABLE _lay_health")
