"""The mutual-help ledger (互助榜): every help act, mentorship ties and pay-it-forward.

Help acts (``network_help_acts``, one row per act, credit from ``[network] help_*_credit``):

* ``answer`` — an answer (kind ``answer``) to someone else's item, or a forum reply (kind ``reply``) below their
  question (text intent ``question``); a comment (kind ``comment``, e.g. on Stack Exchange) is no answer;
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

from reef.store.codes import fill_codes

__all__ = ["ACT_KINDS", "write_helpers", "help_summary", "help_leaders", "member_help_acts"]

ACT_KINDS = ("answer", "accepted", "thanked", "advice", "cocreate")


# Integer codes on the hot paths (as in the ladder's SQL): members get ``mc``, and items are joined on the stored
# content codes (reef/store/codes.py), members on the stored member codes; intents become booleans before any join, so no hash table carries lists or wide rows. The string-keyed
# CTE version (content self-joined on parent and thread ids, read five times) ran out of DuckDB's 3 GB memory
# limit at 1M members / 48M events. Tenure in days is a difference of local dates (equal to date_diff('day') on the
# timestamps, which converts through the ICU calendar twice a row): members' join dates are converted once.
_ACTS = """
CREATE OR REPLACE TEMP TABLE _nh_mem AS
SELECT CAST(row_number() OVER () AS INTEGER) AS mc, member_id, member_code, CAST(joined_at AS DATE) AS joined_day
FROM members_at($ts) WHERE coalesce(account_type, 'member') = 'member';
CREATE OR REPLACE TEMP TABLE _nh_c AS
SELECT c.content_id, c.content_code, c.kind, m.mc AS author_mc, c.parent_code, c.thread_id, c.created_at,
       coalesce(f.q, false) AS q, coalesce(f.thx, false) AS thx, coalesce(f.adv, false) AS adv
FROM content_at($ts) c JOIN _nh_mem m ON m.member_code = c.author_code
LEFT JOIN (SELECT content_code, list_contains(intents, 'question') AS q, list_contains(intents, 'thanks') AS thx,
                  list_has_any(intents, ['answer', 'praise', 'guide', 'experience']) AS adv FROM {feats}) f
  ON f.content_code = c.content_code;
-- Items that can be help: answers, replies below a question, or advice below someone's photo, video or guide. A
-- comment is never an answer: on a Q&A site it asks for details or remarks below the question, the answers are
-- their own kind (a comment can still be advice on a work). Both sides of the parent join are narrow.
CREATE OR REPLACE TEMP TABLE _nh_pairs AS
SELECT h.content_id, h.content_code, h.author_mc AS helper_mc, p.author_mc AS helped_mc, h.created_at AS act_at,
       p.content_id AS about_id, h.thread_id, h.reply AND (h.kind = 'answer' OR p.q) AS is_answer, p.work AND h.adv AS is_advice
FROM (SELECT content_id, content_code, kind, kind IN ('reply', 'answer') AS reply, author_mc, parent_code, thread_id, created_at, adv
      FROM _nh_c WHERE parent_code IS NOT NULL) h
JOIN (SELECT content_id, content_code, author_mc, q, kind IN ('photo', 'video', 'guide') AS work FROM _nh_c) p
  ON p.content_code = h.parent_code
WHERE h.author_mc <> p.author_mc AND ((h.reply AND (h.kind = 'answer' OR p.q)) OR (p.work AND h.adv));
-- Thanked: the asker wrote a thanks in the thread after the answer, i.e. their last thanks there is later.
CREATE OR REPLACE TEMP TABLE _nh_thx AS
SELECT thread_id, author_mc, max(created_at) AS last_at FROM _nh_c WHERE thx GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _nh_acts AS
SELECT content_id, helper_mc, helped_mc, act_at, 'answer' AS act, about_id FROM _nh_pairs WHERE is_answer
UNION ALL SELECT a.content_id, helper_mc, helped_mc, act_at, 'accepted', about_id FROM _nh_pairs a
  -- accepted by the asker: a moderator's or the brand's accept is not the asker's word
  SEMI JOIN (SELECT x.target_content_code, m.mc FROM interactions_at($ts) x JOIN _nh_mem m ON m.member_code = x.actor_code
             WHERE x.kind = 'accept') x ON x.target_content_code = a.content_code AND x.mc = a.helped_mc
  WHERE a.is_answer
UNION ALL SELECT a.content_id, helper_mc, helped_mc, act_at, 'thanked', about_id FROM _nh_pairs a
  JOIN _nh_thx t ON t.thread_id = a.thread_id AND t.author_mc = a.helped_mc AND t.last_at > a.act_at WHERE a.is_answer
UNION ALL SELECT content_id, helper_mc, helped_mc, act_at, 'advice', about_id FROM _nh_pairs WHERE is_advice
UNION ALL SELECT DISTINCT w.content_id, w.author_mc, d.mc, w.created_at, 'cocreate', w.content_id  -- once per collaborator
  FROM _nh_c w JOIN interactions_at($ts) x ON x.related_content_id = w.content_id AND x.kind = 'mention'
  JOIN _nh_mem d ON d.member_id = x.target_member_id
  WHERE w.kind IN ('photo', 'video', 'guide') AND d.mc <> w.author_mc;
CREATE OR REPLACE TABLE network_help_acts AS
SELECT a.content_id, hm.member_id AS helper_id, dm.member_id AS helped_id, a.act_at, a.act, a.about_id,
       CASE act WHEN 'answer' THEN $answer WHEN 'accepted' THEN $accepted WHEN 'thanked' THEN $thanked
                WHEN 'advice' THEN $advice ELSE $cocreate END AS credit,
       date_diff('day', hm.joined_day, a.act_day) AS helper_tenure_days, date_diff('day', dm.joined_day, a.act_day) AS helped_tenure_days
FROM (SELECT *, CAST(act_at AS DATE) AS act_day FROM _nh_acts) a
JOIN _nh_mem hm ON hm.mc = a.helper_mc JOIN _nh_mem dm ON dm.mc = a.helped_mc;
DROP TABLE _nh_acts; DROP TABLE _nh_thx; DROP TABLE _nh_pairs; DROP TABLE _nh_c; DROP TABLE _nh_mem;
"""


def write_helpers(store, as_of: datetime, config) -> int:
    """(Re)create the three ledger tables as of ``as_of``; returns the number of help acts."""
    net = config.section("network")
    from reef.actions.privacy import register_mask_function

    register_mask_function(store.con)  # a name may hold a phone or WeChat id; the table feeds every surface
    feats = "content_features" if store.table_exists("content_features") else \
        "(SELECT NULL::BIGINT AS content_code, NULL::VARCHAR[] AS intents WHERE false)"
    if not store.read_only:
        fill_codes(store.con)  # rows written by other tools than the importer: their integer codes
    p = {"ts": as_of, **{k: float(net[f"help_{k}_credit"]) for k in ACT_KINDS}}
    for stmt in _ACTS.replace("{feats}", feats).split(";\n"):
        if stmt.strip():
            store.execute(stmt, {k: v for k, v in p.items() if f"${k}" in stmt})
    q = {"ts": as_of, "acts": int(net["mentor_min_acts"]), "old": int(net["mentor_min_tenure_days"]),
         "new": int(net["newcomer_days"])}
    store.execute("""
        CREATE OR REPLACE TABLE network_mentorships AS
        SELECT helper_id AS mentor_id, helped_id AS mentee_id, count(*) AS acts, sum(credit) AS credit,
               min(act_at) AS first_at, max(act_at) AS last_at
        FROM network_help_acts WHERE act IN ('answer', 'advice') AND helper_tenure_days >= $old AND helped_tenure_days <= $new
        GROUP BY ALL HAVING count(*) >= $acts""", {k: v for k, v in q.items() if k != "ts"})
    # paid_forward: helped as a newcomer and gave help later, i.e. the last help given is after the first help got.
    store.execute("""
        CREATE OR REPLACE TABLE network_helpers AS
        WITH got AS (SELECT helped_id AS member_id, min(act_at) AS first_helped_at FROM network_help_acts
                     WHERE helped_tenure_days <= $new GROUP BY 1),
        gave AS (SELECT helper_id AS member_id, count(*) FILTER (WHERE act = 'answer') AS answers,
                        count(*) FILTER (WHERE act = 'accepted') AS accepted, count(*) FILTER (WHERE act = 'thanked') AS thanked,
                        count(*) FILTER (WHERE act = 'advice') AS advice, count(*) FILTER (WHERE act = 'cocreate') AS cocreate,
                        count(DISTINCT helped_id) AS people_helped, sum(credit) AS help_credit, min(act_at) AS first_help_at,
                        arg_max(content_id, (credit, content_id)) AS example_id FROM network_help_acts GROUP BY 1),
        last AS (SELECT helper_id AS member_id, max(act_at) AS last_help_at FROM network_help_acts GROUP BY 1),
        ment AS (SELECT mentor_id AS member_id, count(*) AS mentees FROM network_mentorships GROUP BY 1)
        SELECT row_number() OVER (ORDER BY g.help_credit DESC, g.member_id) AS rank, g.member_id, reef_mask_text(m.name) AS name, g.* EXCLUDE (member_id),
               coalesce(t.mentees, 0) AS mentees,
               coalesce(got.first_helped_at IS NOT NULL AND last.last_help_at > got.first_helped_at, false) AS paid_forward
        FROM gave g JOIN last USING (member_id) LEFT JOIN members_at($ts) m USING (member_id) LEFT JOIN ment t USING (member_id)
        LEFT JOIN got USING (member_id) ORDER BY rank""", {"ts": as_of, "new": q["new"]})
    return int(store.fetch_value("SELECT count(*) FROM network_help_acts"))


def help_summary(store, as_of: datetime) -> dict:
    """Headline figures: acts by kind, first questions answered within 24 h, pay-it-forward rate (newcomers: members in
    their first ``network.newcomer_days``, the same window as the ledger's paid-forward flag)."""
    new = int(store.config.get("network.newcomer_days"))
    acts = dict(store.fetch_all("SELECT act, count(*) FROM network_help_acts GROUP BY 1 ORDER BY 1"))
    # A first question: a member's earliest thread that is a question (an answer below it, the SE post type, or the
    # text layer's intent when it ran), so the figure also works on Q&A dumps that were never enriched.
    intent = "OR c.content_id IN (SELECT content_id FROM content_features WHERE list_contains(intents, 'question'))" \
        if store.table_exists("content_features") else ""
    first_q = store.fetch_dicts(f"""
        WITH q AS (SELECT author_id, arg_min(content_id, created_at) AS qid, min(created_at) AS act_at FROM content_at($ts) c
                   -- members' questions only, as the ledger that answers them: one who left could never count as answered
                   WHERE c.author_id IN (SELECT member_id FROM members_at($ts) WHERE coalesce(account_type, 'member') = 'member')
                     AND kind = 'thread' AND (EXISTS (SELECT 1 FROM content_at($ts) a WHERE a.parent_id = c.content_id AND a.kind = 'answer')
                         {intent} OR c.attrs->>'se_post_type' IN ('1', 'Question'))
                   GROUP BY 1)
        SELECT count(*) AS first_questions, count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM network_help_acts h WHERE h.about_id = q.qid AND h.act = 'answer' AND h.act_at <= q.act_at + INTERVAL 24 HOUR))
               AS answered_24h FROM q""", {"ts": as_of})[0]
    pif = store.fetch_dicts("""SELECT count(*) FILTER (WHERE h.member_id IS NOT NULL) AS helped_newcomers,
                                      count(*) FILTER (WHERE h.paid_forward) AS paid_forward
                               FROM (SELECT DISTINCT helped_id AS member_id FROM network_help_acts WHERE helped_tenure_days <= $new) n
                               LEFT JOIN network_helpers h USING (member_id)""", {"new": new})[0]
    helped = store.fetch_value("SELECT count(DISTINCT helped_id) FROM network_help_acts WHERE helped_tenure_days <= $new", {"new": new}) or 0
    return {"acts": acts, **first_q,
            "answered_24h_share": round(first_q["answered_24h"] / first_q["first_questions"], 3) if first_q["first_questions"] else None,
            "helped_newcomers": helped, "paid_forward": pif["paid_forward"],
            "pay_it_forward_rate": round(pif["paid_forward"] / helped, 3) if helped else None}


def help_leaders(store, *, top: int = 20) -> list[dict]:
    """The mutual-help leaderboard (``network_helpers``), best first."""
    from reef.params import check_positive

    check_positive("top", top)
    return store.fetch_dicts("SELECT * FROM network_helpers ORDER BY rank LIMIT $top", {"top": top})


def member_help_acts(store, member_id: str, *, top: int = 20) -> list[dict]:
    """One member's ledger: help acts they gave or received, newest first."""
    from reef.params import check_positive

    check_positive("top", top)
    if not store.fetch_value("SELECT count(*) FROM members WHERE member_id = $m", {"m": member_id}):
        from reef.ladder.queries import unknown_member

        raise unknown_member(store, member_id)
    return store.fetch_dicts(
        "SELECT * FROM network_help_acts WHERE helper_id = $m OR helped_id = $m ORDER BY act_at DESC LIMIT $top",
        {"m": member_id, "top": top})
