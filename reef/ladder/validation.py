"""Measuring the ladder: per-stage precision/recall on the simulator, and the held-out SE protocol.

Simulator: latent types with an unambiguous stage (lurker 0, participant and newcomer 1,
creator 2, connector 3, leader 4) are compared with ``ladder_members.stage``; troll, burnout-prone
core and misinformer have no single right stage and are reported as distributions only.

Stack Exchange (issue 5): cut at ``T``; targets are members active before ``T`` who are in the top 5%
by ``answers with score >= 1 + 3 x accepted answers`` after ``T``; rankings: the ladder (stage, then
potential) and four baselines from the same data before ``T``; precision@10/@20 and NDCG@50.

Example:
    >>> EXPECTED_STAGE["leader"]
    4
"""
from __future__ import annotations

import math
from datetime import datetime, timezone

__all__ = ["EXPECTED_STAGE", "simulator_scores", "se_rankings", "ranking_metrics", "promotion_auc"]

EXPECTED_STAGE = {"lurker": 0, "participant": 1, "newcomer": 1, "creator": 2, "connector": 3, "leader": 4}


def simulator_scores(store) -> dict:
    """Per-stage precision, recall, F1 and macro-F1 of ``ladder_members`` against ``truth_members``."""
    rows = store.fetch_all(
        "SELECT t.latent_type, m.stage FROM ladder_members m JOIN truth_members t USING (member_id)")
    pairs = [(EXPECTED_STAGE[t], int(s)) for t, s in rows if t in EXPECTED_STAGE]
    per = {}
    for stage in range(5):
        tp = sum(1 for e, s in pairs if e == stage and s == stage)
        pred = sum(1 for _, s in pairs if s == stage)
        true = sum(1 for e, _ in pairs if e == stage)
        prec, rec = (tp / pred if pred else 0.0), (tp / true if true else 0.0)
        per[stage] = {"precision": round(prec, 3), "recall": round(rec, 3), "members": true,
                      "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0}
    other: dict[str, dict[int, int]] = {}
    for t, s in rows:
        if t not in EXPECTED_STAGE:
            other.setdefault(t, {}).setdefault(int(s), 0)
            other[t][int(s)] += 1
    ring = store.fetch_all(
        """SELECT t.member_id, f.member_id IS NOT NULL FROM truth_members t
           LEFT JOIN (SELECT DISTINCT member_id FROM ladder_like_flags WHERE flag = 'like_ring') f USING (member_id)
           WHERE json_extract_string(t.attrs, '$.role') = 'like_ring'""")
    flagged = int(store.fetch_value("SELECT count(DISTINCT member_id) FROM ladder_like_flags WHERE flag = 'like_ring'"))
    return {"per_stage": per, "macro_f1": round(sum(v["f1"] for v in per.values()) / 5, 3),
            "accuracy": round(sum(e == s for e, s in pairs) / max(len(pairs), 1), 3), "other_types": other,
            "ring_members": len(ring), "ring_flagged": sum(1 for _, f in ring if f), "flagged_total": flagged}


def ranking_metrics(ranking: list[str], targets: set[str]) -> dict:
    """precision@10, precision@20 and NDCG@50 of a ranked member list against a target set."""
    def p_at(k: int) -> float:
        return sum(1 for m in ranking[:k] if m in targets) / k
    dcg = sum(1 / math.log2(i + 2) for i, m in enumerate(ranking[:50]) if m in targets)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(50, len(targets))))
    return {"p@10": round(p_at(10), 3), "p@20": round(p_at(20), 3), "ndcg@50": round(dcg / ideal if ideal else 0.0, 3)}


def promotion_auc(before: list[tuple[str, int, int]], after: dict[str, int]) -> dict:
    """Within-stage ranking quality of the potential: does it put the members who later advance first?

    ``before`` holds (member, stage, rank) at the cut, ``after`` the stage at the end. For each stage 0-3, the
    AUC is the chance that a member who advanced is ranked above one who did not (ties count half); ``all``
    averages the stages weighted by members who advanced.

    Example:
        >>> promotion_auc([("a", 0, 1), ("b", 0, 2), ("c", 0, 3)], {"a": 1, "b": 0, "c": 0})["all"]
        1.0
    """
    out: dict = {}
    weighted, total = 0.0, 0
    for stage in range(4):
        rows = [(rank, after.get(m, stage) > stage) for m, s, rank in before if s == stage]
        pos = sum(1 for _, y in rows if y)
        neg = len(rows) - pos
        if not pos or not neg:
            continue
        # Mann-Whitney on ranks (1 = best): count pairs where the advancing member ranks better.
        order = sorted(rows)
        better, seen_neg = 0, 0
        for _, y in reversed(order):  # worst first
            if y:
                better += seen_neg
            else:
                seen_neg += 1
        auc = better / (pos * neg)
        out[stage] = {"members": len(rows), "advanced": pos, "auc": round(auc, 3)}
        weighted += auc * pos
        total += pos
    out["all"] = round(weighted / total, 3) if total else None
    return out


_TARGETS = """
WITH before AS (SELECT DISTINCT author_id AS m FROM content_at($t) WHERE author_id IS NOT NULL
                UNION SELECT DISTINCT actor_id FROM interactions_at($t) WHERE actor_id IS NOT NULL),
ans AS (SELECT c.content_id, c.author_id FROM content c WHERE c.kind = 'answer' AND c.created_at >= $t
        AND c.created_at < $until AND c.deleted_at IS NULL),
sc AS (SELECT a.author_id, a.content_id, coalesce(sum(i.value) FILTER (WHERE i.kind = 'vote'), 0) AS score,
              count(*) FILTER (WHERE i.kind = 'accept') > 0 AS accepted
       FROM ans a LEFT JOIN interactions i ON i.target_content_id = a.content_id AND i.created_at < $until GROUP BY ALL),
per AS (SELECT author_id, sum(CAST(score >= 1 AS INT)) + 3 * sum(CAST(accepted AS INT)) AS value FROM sc
        JOIN members mm ON mm.member_id = sc.author_id AND coalesce(mm.account_type, 'member') = 'member'
        WHERE author_id IN (SELECT m FROM before) GROUP BY 1 HAVING value > 0),
-- The top 5% of the members active before T (ties at the cut included; a value of 0 never qualifies).
cutoff AS (SELECT value FROM per ORDER BY value DESC
           LIMIT 1 OFFSET (SELECT greatest(CAST(ceil(0.05 * count(*)) AS BIGINT) - 1, 0) FROM before b
                           JOIN members mm ON mm.member_id = b.m AND coalesce(mm.account_type, 'member') = 'member'))
SELECT author_id FROM per WHERE value >= coalesce((SELECT value FROM cutoff), (SELECT min(value) FROM per))
"""
# Baselines, each over members active before T (non-staff), best first.
_BASELINES = {
    "post_count": "SELECT author_id, count(*) AS s FROM content_at($t) WHERE kind <> 'poll_vote' GROUP BY 1",
    "upvotes": """SELECT c.author_id, count(*) AS s FROM interactions_at($t) i JOIN content_at($t) c ON c.content_id = i.target_content_id
                  WHERE (i.kind = 'vote' AND i.value > 0) OR i.kind = 'like' GROUP BY 1""",
    # Discourse TL3-style: in the last 100 days, posts in >= 10 distinct topics and >= 20 likes received;
    # members who pass rank first, each group ordered by posts in those 100 days.
    "tl3_rule": """WITH p AS (SELECT author_id, count(DISTINCT thread_id) AS topics, count(*) AS posts FROM content_at($t)
                              WHERE created_at >= $t - INTERVAL 100 DAY GROUP BY 1),
                        l AS (SELECT c.author_id, count(*) AS likes FROM interactions_at($t) i JOIN content_at($t) c ON c.content_id = i.target_content_id
                              WHERE ((i.kind = 'vote' AND i.value > 0) OR i.kind = 'like') AND i.created_at >= $t - INTERVAL 100 DAY GROUP BY 1)
                   SELECT p.author_id, CAST(p.topics >= 10 AND coalesce(l.likes, 0) >= 20 AS INT) * 1e6 + p.posts AS s
                   FROM p LEFT JOIN l USING (author_id)""",
    # Orbit-style love: activity weights (answer/thread 3, comment/reply 1, vote given 0.5) decayed with a 90-day half-life.
    "orbit_love": """SELECT m, sum(w * pow(0.5, (epoch($t) - epoch(ev_at)) / (90 * 86400.0))) AS s FROM (
                       SELECT author_id AS m, created_at AS ev_at, CASE WHEN kind IN ('answer', 'thread', 'guide') THEN 3.0 ELSE 1.0 END AS w
                       FROM content_at($t) WHERE kind <> 'poll_vote'
                       UNION ALL SELECT actor_id, created_at, 0.5 FROM interactions_at($t) WHERE actor_id IS NOT NULL) GROUP BY 1""",
}


def se_rankings(store, cut, until=None) -> dict:
    """Targets and the five rankings (ladder must have been computed as of ``cut``).

    ``until`` ends the target period (answers and their votes before it): a development cut uses the
    evaluation cut as ``until`` so that nothing after the evaluation cut is seen while developing.
    """
    until = until or datetime(9999, 1, 1, tzinfo=timezone.utc)
    targets = {r[0] for r in store.fetch_all(_TARGETS, {"t": cut, "until": until})}
    staff = "SELECT member_id FROM members WHERE coalesce(account_type, 'member') <> 'member'"
    out = {"ladder": [r[0] for r in store.fetch_all(
        f"SELECT member_id FROM ladder_members WHERE member_id NOT IN ({staff}) ORDER BY rank")]}
    for name, sql in _BASELINES.items():
        out[name] = [r[0] for r in store.fetch_all(
            f"SELECT * FROM ({sql}) b WHERE b.{'m' if name == 'orbit_love' else 'author_id'} IS NOT NULL "
            f"AND b.{'m' if name == 'orbit_love' else 'author_id'} NOT IN ({staff}) ORDER BY s DESC, 1", {"t": cut})]
    return {"targets": targets, "rankings": out,
            "metrics": {name: ranking_metrics(r, targets) for name, r in out.items()}}
