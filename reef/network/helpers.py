"""The mutual-help ledger (互助榜): every help act, mentorship ties and pay-it-forward.

Help acts (``network_help_acts``, one row per act, credit from ``[network] help_*_credit``):

* ``answer`` — a reply or answer to someone else's question (text intent ``question``, or an answer);
* ``accepted`` — the asker accepted it; ``thanked`` — the asker thanked in the thread afterwards
  (the problem got fixed);
* ``advice`` — a reply with advice or praise on someone's photo, video or guide (their work);
* ``cocreate`` — a photo, video or guide that @-mentions a collaborator.

``network_mentorships``: an old member who helped the same newcomer ``mentor_min_acts`` times.
``network_helpers``: the leaderboard, with ``paid_forward`` = helped as a newcomer, later helped
others. Help is scored on the same scale as content (one act = one item) so recognitions can
credit it at least as much.

Example:
    >>> sorted(ACT_KINDS)
    ['accepted', 'advice', 'answer', 'cocreate', 'thanked']
"""
from __future__ import annotations

from datetime import datetime

__all__ = ["ACT_KINDS", "write_helpers", "help_summary", "help_leaders", "member_help_acts"]

ACT_KINDS = ("answer", "accepted", "thanked", "advice", "cocreate")


def write_helpers(store, as_of: datetime, config) -> int:
    """(Re)create the three ledger tables as of ``as_of``; returns the number of help acts."""
    net = config.section("network")
    feats = "content_features" if store.table_exists("content_features") else \
        "(SELECT NULL::VARCHAR AS content_id, NULL::VARCHAR[] AS intents, NULL::TINYINT AS sentiment WHERE false)"
    p = {"ts": as_of, **{k: float(net[f"help_{k}_credit"]) for k in ACT_KINDS}}
    store.execute(f"""
        CREATE OR REPLACE TABLE network_help_acts AS
        WITH mem AS (SELECT member_id, joined_at FROM members_at($ts) WHERE coalesce(account_type, 'member') = 'member'),
        cc AS (SELECT c.content_id, c.kind, c.author_id, c.parent_id, c.thread_id, c.created_at, f.intents, f.sentiment
               FROM content_at($ts) c LEFT JOIN {feats} f USING (content_id)
               WHERE c.author_id IN (SELECT member_id FROM mem)),
        ans AS (SELECT h.content_id, h.author_id AS helper_id, q.author_id AS helped_id, h.created_at AS act_at, q.content_id AS question_id,
                       h.thread_id
                FROM cc h JOIN cc q ON q.content_id = h.parent_id
                WHERE h.author_id <> q.author_id AND h.kind IN ('reply', 'comment', 'answer')
                  AND (h.kind = 'answer' OR list_contains(coalesce(q.intents, []), 'question'))),
        acc AS (SELECT DISTINCT x.target_content_id AS content_id FROM interactions_at($ts) x WHERE x.kind = 'accept'),
        thx AS (SELECT DISTINCT a.content_id FROM ans a JOIN cc t ON t.thread_id = a.thread_id AND t.author_id = a.helped_id
                AND t.created_at > a.act_at AND list_contains(coalesce(t.intents, []), 'thanks')),
        acts AS (
            SELECT content_id, helper_id, helped_id, act_at, 'answer' AS act, question_id AS about_id FROM ans
            UNION ALL SELECT a.content_id, helper_id, helped_id, act_at, 'accepted', question_id FROM ans a JOIN acc USING (content_id)
            UNION ALL SELECT a.content_id, helper_id, helped_id, act_at, 'thanked', question_id FROM ans a JOIN thx USING (content_id)
            UNION ALL SELECT h.content_id, h.author_id, w.author_id, h.created_at, 'advice', w.content_id
                FROM cc h JOIN cc w ON w.content_id = h.parent_id
                WHERE w.kind IN ('photo', 'video', 'guide') AND h.author_id <> w.author_id
                  AND list_has_any(coalesce(h.intents, []), ['answer', 'praise', 'guide', 'experience'])
            UNION ALL SELECT w.content_id, w.author_id, x.target_member_id, w.created_at, 'cocreate', w.content_id
                FROM cc w JOIN interactions_at($ts) x ON x.related_content_id = w.content_id AND x.kind = 'mention'
                WHERE w.kind IN ('photo', 'video', 'guide') AND x.target_member_id <> w.author_id)
        SELECT a.*, CASE act WHEN 'answer' THEN $answer WHEN 'accepted' THEN $accepted WHEN 'thanked' THEN $thanked
                             WHEN 'advice' THEN $advice ELSE $cocreate END AS credit,
               date_diff('day', hm.joined_at, a.act_at) AS helper_tenure_days, date_diff('day', dm.joined_at, a.act_at) AS helped_tenure_days
        FROM acts a JOIN mem hm ON hm.member_id = a.helper_id JOIN mem dm ON dm.member_id = a.helped_id""", p)
    q = {"ts": as_of, "acts": int(net["mentor_min_acts"]), "old": int(net["mentor_min_tenure_days"]),
         "new": int(net["newcomer_days"])}
    store.execute("""
        CREATE OR REPLACE TABLE network_mentorships AS
        SELECT helper_id AS mentor_id, helped_id AS mentee_id, count(*) AS acts, sum(credit) AS credit,
               min(act_at) AS first_at, max(act_at) AS last_at
        FROM network_help_acts WHERE act IN ('answer', 'advice') AND helper_tenure_days >= $old AND helped_tenure_days <= $new
        GROUP BY ALL HAVING count(*) >= $acts""", {k: v for k, v in q.items() if k != "ts"})
    store.execute("""
        CREATE OR REPLACE TABLE network_helpers AS
        WITH got AS (SELECT helped_id AS member_id, min(act_at) AS first_helped_at FROM network_help_acts
                     WHERE helped_tenure_days <= $new GROUP BY 1),
        gave AS (SELECT helper_id AS member_id, count(*) FILTER (WHERE act = 'answer') AS answers,
                        count(*) FILTER (WHERE act = 'accepted') AS accepted, count(*) FILTER (WHERE act = 'thanked') AS thanked,
                        count(*) FILTER (WHERE act = 'advice') AS advice, count(*) FILTER (WHERE act = 'cocreate') AS cocreate,
                        count(DISTINCT helped_id) AS people_helped, sum(credit) AS help_credit, min(act_at) AS first_help_at,
                        arg_max(content_id, credit) AS example_id FROM network_help_acts GROUP BY 1),
        ment AS (SELECT mentor_id AS member_id, count(*) AS mentees FROM network_mentorships GROUP BY 1)
        SELECT row_number() OVER (ORDER BY g.help_credit DESC, g.member_id) AS rank, g.member_id, m.name, g.* EXCLUDE (member_id),
               coalesce(t.mentees, 0) AS mentees, got.first_helped_at IS NOT NULL AND EXISTS (
                   SELECT 1 FROM network_help_acts a WHERE a.helper_id = g.member_id AND a.act_at > got.first_helped_at) AS paid_forward
        FROM gave g LEFT JOIN members_at($ts) m USING (member_id) LEFT JOIN ment t USING (member_id)
        LEFT JOIN got USING (member_id) ORDER BY rank""", {"ts": as_of, "new": q["new"]})
    return int(store.fetch_value("SELECT count(*) FROM network_help_acts"))


def help_summary(store, as_of: datetime) -> dict:
    """Headline figures: acts by kind, first questions answered within 24 h, pay-it-forward rate."""
    acts = dict(store.fetch_all("SELECT act, count(*) FROM network_help_acts GROUP BY 1 ORDER BY 1"))
    # A first question: a member's earliest thread that is a question (an answer below it, the SE post type, or the
    # text layer's intent when it ran), so the figure also works on Q&A dumps that were never enriched.
    intent = "OR c.content_id IN (SELECT content_id FROM content_features WHERE list_contains(intents, 'question'))" \
        if store.table_exists("content_features") else ""
    first_q = store.fetch_dicts(f"""
        WITH q AS (SELECT author_id, arg_min(content_id, created_at) AS qid, min(created_at) AS act_at FROM content_at($ts) c
                   WHERE kind = 'thread' AND (EXISTS (SELECT 1 FROM content_at($ts) a WHERE a.parent_id = c.content_id AND a.kind = 'answer')
                         {intent} OR c.attrs->>'post_type' = 'Question')
                   GROUP BY 1)
        SELECT count(*) AS first_questions, count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM network_help_acts h WHERE h.about_id = q.qid AND h.act = 'answer' AND h.act_at <= q.act_at + INTERVAL 24 HOUR))
               AS answered_24h FROM q""", {"ts": as_of})[0]
    pif = store.fetch_dicts("""SELECT count(*) FILTER (WHERE h.member_id IS NOT NULL) AS helped_newcomers,
                                      count(*) FILTER (WHERE h.paid_forward) AS paid_forward
                               FROM (SELECT DISTINCT helped_id AS member_id FROM network_help_acts WHERE helped_tenure_days <= 60) n
                               LEFT JOIN network_helpers h USING (member_id)""")[0]
    helped = store.fetch_value("SELECT count(DISTINCT helped_id) FROM network_help_acts WHERE helped_tenure_days <= 60") or 0
    return {"acts": acts, **first_q,
            "answered_24h_share": round(first_q["answered_24h"] / first_q["first_questions"], 3) if first_q["first_questions"] else None,
            "helped_newcomers": helped, "paid_forward": pif["paid_forward"],
            "pay_it_forward_rate": round(pif["paid_forward"] / helped, 3) if helped else None}


def help_leaders(store, *, top: int = 20) -> list[dict]:
    """The mutual-help leaderboard (``network_helpers``), best first."""
    return store.fetch_dicts("SELECT * FROM network_helpers ORDER BY rank LIMIT $top", {"top": top})


def member_help_acts(store, member_id: str, *, top: int = 20) -> list[dict]:
    """One member's ledger: help acts they gave or received, newest first."""
    return store.fetch_dicts(
        "SELECT * FROM network_help_acts WHERE helper_id = $m OR helped_id = $m ORDER BY act_at DESC LIMIT $top",
        {"m": member_id, "top": top})
