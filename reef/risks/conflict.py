"""Implosion (内爆): escalating conflict threads and factions with hostile edges between them.

A reply is *hostile* when the text layer tagged it ``personal_attack`` or ``disagreement`` or its
toxicity reaches ``text.attack_toxicity``. A thread escalates when its recent replies hold at least
``risks.conflict_min_hostile`` hostile ones (or ``conflict_early_hostile`` among its first
``conflict_early_replies``, the early flag). Factions: hostile reply edges split by tenure
(old = member ``old_tenure_days`` or more before the reply, new = under ``newcomer_days``); the split alert
comes from the polarisation index or from hostile old<->new replies in the last window being surprising against
their own share in the baseline weeks (``polarisation_alert_surprise``).

Example:
    >>> from reef.risks.common import ramp
    >>> ramp(0.4, ok=0.1, bad=0.5)
    75.0
"""
from __future__ import annotations

from reef.risks.common import CONTENT, MEMBER_POSTS, FamilyResult, Part, binom_high_surprise, ramp, risk_base, scaled, size_factor
from reef.risks import wording as W

__all__ = ["implosion"]

# Replies between members of known tenure, each side old (>= old_tenure_days) or new (< newcomer_days) at the reply:
# the polarisation index and its drill-down read the same pairs.
_TENURES = f"""CASE WHEN p.created_at::DATE - p.joined_at::DATE >= $old THEN 'old' WHEN p.created_at::DATE - p.joined_at::DATE < $nd THEN 'new' END AS a,
                 CASE WHEN p.created_at::DATE - par.joined_at::DATE >= $old THEN 'old' WHEN p.created_at::DATE - par.joined_at::DATE < $nd THEN 'new' END AS b
          FROM p JOIN {CONTENT} par ON par.content_id = p.parent_id AND par.account_type = 'member' AND par.known"""
_HOW = {"attack": ("人身攻击", "attacked"), "toxic": ("带敌意地回复", "replied with hostility to"), "disagreement": ("反驳", "disagreed with")}
_HOSTILE = "(list_contains(coalesce(intents, []), 'personal_attack') OR list_contains(coalesce(intents, []), 'disagreement') OR coalesce(toxicity, 0) >= $tox)"


def implosion(store, as_of, config) -> FamilyResult:
    """Score implosion at ``as_of``; parts: conflict (escalating threads), hostility (rate vs baseline), polarisation."""
    c = config.section("risks")
    res = FamilyResult("implosion")
    with risk_base(store, as_of, int(c["horizon_days"])):
        _implosion(store, as_of, config, c, res)
    return res


def _implosion(store, as_of, config, c: dict, res: FamilyResult) -> None:
    p = {"ts": as_of, "w": int(c["window_days"]), "nb": int(c["baseline_weeks"]), "tox": float(config.get("text.attack_toxicity"))}
    threads = store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), r AS (SELECT *, {_HOSTILE} AS hostile,
              row_number() OVER (PARTITION BY thread_id ORDER BY created_at) AS pos FROM p WHERE parent_id IS NOT NULL AND thread_id IS NOT NULL
              -- only threads with a hostile reply in the window can pass HAVING: number just their replies (whole threads, same pos)
              AND thread_id IN (SELECT thread_id FROM p WHERE parent_id IS NOT NULL AND {_HOSTILE} AND created_at >= $ts::TIMESTAMPTZ - to_days($w)))
        SELECT thread_id, count(*) FILTER (WHERE created_at >= $ts::TIMESTAMPTZ - to_days($w)) AS replies,
               count(*) FILTER (WHERE hostile AND created_at >= $ts::TIMESTAMPTZ - to_days($w)) AS hostile,
               count(DISTINCT author_id) FILTER (WHERE hostile AND created_at >= $ts::TIMESTAMPTZ - to_days($w)) AS hostile_authors,
               count(*) FILTER (WHERE hostile AND pos <= $early) AS early_hostile,
               arg_max(content_id, toxicity) FILTER (WHERE hostile) AS example_id, max(created_at) AS last_at
        FROM r GROUP BY 1 HAVING count(*) FILTER (WHERE hostile AND created_at >= $ts::TIMESTAMPTZ - to_days($w)) > 0""",
        {"ts": as_of, "w": p["w"], "tox": p["tox"], "early": int(c["conflict_early_replies"])})
    flagged = 0
    for t in threads:
        escal = t["hostile"] >= c["conflict_min_hostile"] and t["hostile"] >= c["conflict_hostile_share"] * t["replies"]
        early = t["early_hostile"] >= c["conflict_early_hostile"]
        if not (escal or early):
            continue
        flagged += 1
        zh = f"帖子{t['thread_id']}近{p['w']}天{t['replies']}条回复中{t['hostile']}条带敌意（{t['hostile_authors']}人）" + ("，开头几楼即起冲突" if early else "")
        en = f"thread {t['thread_id']}: {t['hostile']} hostile of {W.plural(t['replies'], 'reply', 'replies')} in {W.plural(p['w'], 'day')} ({W.plural(t['hostile_authors'], 'member')})" + (", hostile from the first replies" if early else "")
        score = min(100.0, 20.0 * t["hostile"])
        res.evidence.append({"part": "conflict", "subject": t["thread_id"], "content_id": t["example_id"], "value": t["hostile"], "detail_zh": zh, "detail_en": en})
        res.alerts.append({"part": "conflict_thread", "subject": t["thread_id"], "content_id": t["example_id"], "member_id": None, "score": score,
                           "message_zh": zh, "message_en": en})
    active = store.fetch_value(f"SELECT count(DISTINCT author_id) FROM ({MEMBER_POSTS}) WHERE created_at >= $ts::TIMESTAMPTZ - INTERVAL 30 DAY", {"ts": as_of})
    ok, bad = scaled(c, "conflict_threads", size_factor(active, c))
    res.parts.append(Part("conflict", flagged, ramp(flagged, ok=ok, bad=bad), None,
                          f"近{p['w']}天{flagged}个帖子冲突升级", f"{W.plural(flagged, 'thread')} escalating in the last {W.plural(p['w'], 'day')}"))
    rate_now, rate_base = store.fetch_all(f"""WITH p AS ({MEMBER_POSTS}) SELECT
        avg(CAST({_HOSTILE} AS INT)) FILTER (WHERE created_at >= $ts::TIMESTAMPTZ - to_days($w)),
        avg(CAST({_HOSTILE} AS INT)) FILTER (WHERE created_at < $ts::TIMESTAMPTZ - to_days($w) AND created_at >= $ts::TIMESTAMPTZ - to_days($w + 7 * $nb))
        FROM p WHERE parent_id IS NOT NULL""", p)[0]
    excess = (rate_now or 0) - (rate_base or 0)
    _hostile_evidence(store, p, int(c["evidence_rows"]), res)
    res.parts.append(Part("hostility", round(rate_now or 0, 4), ramp(excess, ok=c["hostility_excess_ok"], bad=c["hostility_excess_bad"]), rate_base,
                          f"带敌意回复占{(rate_now or 0):.1%}（基线{(rate_base or 0):.1%}）", f"hostile replies {(rate_now or 0):.1%} (baseline {(rate_base or 0):.1%})"))
    # Polarisation: hostile share of cross-tenure replies minus hostile share of same-tenure replies.
    e = _tenure_edges(store, as_of, c, p)
    cross, same, n_cross = (e["cross_share"] or 0.0), (e["same_share"] or 0.0), e["n_cross"] or 0
    index = max(0.0, cross - same) if n_cross >= c["polarisation_min_edges"] else 0.0
    res.parts.append(Part("polarisation", round(index, 3), ramp(index, ok=c["polarisation_ok"], bad=c["polarisation_bad"]), None,
                          f"新老成员之间的回复敌意率{cross:.0%}，同群体内{same:.0%}（跨群敌意回复{n_cross}条）",
                          f"hostile share old<->new {cross:.0%} vs within {same:.0%} ({W.plural(n_cross, 'hostile cross reply', 'hostile cross replies')})"))
    if n_cross:
        _cross_evidence(store, as_of, c, p, res)
    k, n, surprise = _cross_hostility(e, c)
    if surprise > 0:
        res.parts[-1].note_zh += f"；近{p['w']}天跨群回复{n}条中{k}条带敌意，对照此前{p['nb']}周{W.chance(surprise)[0]}"
        res.parts[-1].note_en += (f"; {k} hostile of {W.plural(n, 'cross reply', 'cross replies')} in {W.plural(p['w'], 'day')}, "
                                   f"{W.chance(surprise)[1]} against the {W.plural(p['nb'], 'week')} before")
    index_alert = bool(index) and ramp(index, ok=c["polarisation_ok"], bad=c["polarisation_bad"]) >= c["alert_score"]
    surprise_alert = surprise >= float(c["polarisation_alert_surprise"])
    if index_alert or surprise_alert:
        score = max(ramp(index, ok=c["polarisation_ok"], bad=c["polarisation_bad"]), float(c["alert_score"]) if surprise_alert else 0.0)
        res.alerts.append({"part": "faction_split", "subject": "tenure", "member_id": None, "content_id": None, "score": score,
                           "message_zh": f"新老成员对立加剧：新老之间回复的敌意率比同群体内高{index * 100:.0f}个百分点，近{p['w']}天跨群敌意回复{k}条（{W.chance(surprise)[0]}）",
                           "message_en": f"old vs new members polarising: hostile share between them {W.plural(round(index * 100), 'point')} above within "
                                         f"each group, {W.plural(k, 'hostile cross reply', 'hostile cross replies')} in {W.plural(p['w'], 'day')} "
                                         f"({W.chance(surprise)[1]})"})


def _hostile_evidence(store, p: dict, top: int, res: FamilyResult) -> None:
    """Drill-down of the hostility part: the window's hostile replies, most toxic first (value = toxicity)."""
    rows = store.fetch_dicts(f"""SELECT content_id, author_id, thread_id, toxicity, list_contains(coalesce(intents, []), 'personal_attack') AS attack,
               list_contains(coalesce(intents, []), 'disagreement') AS disagreement
        FROM ({MEMBER_POSTS}) WHERE parent_id IS NOT NULL AND created_at >= $ts::TIMESTAMPTZ - to_days($w) AND {_HOSTILE}
        ORDER BY coalesce(toxicity, 0) DESC, created_at DESC, content_id LIMIT $top""", {"ts": p["ts"], "w": p["w"], "tox": p["tox"], "top": top})
    for r in rows:
        tox = float(r["toxicity"] or 0)
        why_zh, why_en = hostile_reason(bool(r["attack"]), bool(r["disagreement"]), tox, p["tox"])
        res.evidence.append({"part": "hostility", "subject": r["content_id"], "member_id": r["author_id"], "content_id": r["content_id"],
                             "value": round(tox, 3),
                             "detail_zh": f"{r['author_id']}在帖子{r['thread_id']}中的回复{r['content_id']}：{why_zh}",
                             "detail_en": f"reply {r['content_id']} by {r['author_id']} in thread {r['thread_id']}: {why_en}"})


def hostile_reason(attack: bool, disagreement: bool, tox: float, threshold: float) -> tuple[str, str]:
    """Why a reply counts as hostile, zh and en: the text layer's intent (personal attack, disagreement) or its toxicity
    at ``text.attack_toxicity`` (``threshold``) or above, the tests of ``_HOSTILE``; toxicity is shown beside an intent.

    >>> hostile_reason(False, True, 0.04, 0.6)
    ('意图为反驳（毒性0.04）', 'hostile by intent (disagreement; toxicity 0.04)')
    >>> hostile_reason(False, False, 0.83, 0.6)
    ('毒性0.83，达到敌意线0.60', 'toxicity 0.83, at or above the hostility line 0.60')
    """
    if attack or disagreement:
        zh, en = ("人身攻击", "personal attack") if attack else ("反驳", "disagreement")
        if tox >= threshold:
            return (f"意图为{zh}，毒性{tox:.2f}亦达敌意线{threshold:.2f}",
                    f"hostile by intent ({en}; toxicity {tox:.2f}, also at or above {threshold:.2f})")
        return f"意图为{zh}（毒性{tox:.2f}）", f"hostile by intent ({en}; toxicity {tox:.2f})"
    return f"毒性{tox:.2f}，达到敌意线{threshold:.2f}", f"toxicity {tox:.2f}, at or above the hostility line {threshold:.2f}"


def _cross_evidence(store, as_of, c: dict, p: dict, res: FamilyResult) -> None:
    """Drill-down of the polarisation part: the hostile replies between old and new members in the index's window
    (the definitions of :func:`_tenure_edges`), most toxic first (value = toxicity)."""
    rows = store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), e AS (
          SELECT p.content_id, p.author_id, par.author_id AS to_id, p.thread_id, p.created_at, coalesce(p.toxicity, 0) AS tox,
                 CASE WHEN list_contains(coalesce(p.intents, []), 'personal_attack') THEN 'attack' WHEN coalesce(p.toxicity, 0) >= $tox
                      THEN 'toxic' ELSE 'disagreement' END AS how,
                 {_TENURES}
          WHERE p.created_at >= $ts::TIMESTAMPTZ - to_days(2 * $w) AND par.author_id <> p.author_id AND {_HOSTILE})
        SELECT * FROM e WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b ORDER BY tox DESC, created_at DESC, content_id LIMIT $top""",
        {"ts": as_of, "w": p["w"], "tox": p["tox"], "old": int(c["old_tenure_days"]), "nd": int(c["newcomer_days"]),
         "top": int(c["evidence_rows"])})
    for r in rows:
        old_to_new = r["a"] == "old"
        how_zh, how_en = _HOW[r["how"]]
        res.evidence.append({"part": "polarisation", "subject": r["content_id"], "member_id": r["author_id"], "content_id": r["content_id"],
                             "value": round(float(r["tox"]), 3),
                             "detail_zh": f"{'老' if old_to_new else '新'}成员{r['author_id']}在帖子{r['thread_id']}中{how_zh}"
                                          f"{'新' if old_to_new else '老'}成员{r['to_id']}（{r['content_id']}，毒性{r['tox']:.2f}）",
                             "detail_en": f"{'old' if old_to_new else 'new'} member {r['author_id']} {how_en} "
                                          f"{'new' if old_to_new else 'old'} member {r['to_id']} in thread {r['thread_id']} "
                                          f"({r['content_id']}, toxicity {r['tox']:.2f})"})


def _tenure_edges(store, as_of, c: dict, p: dict) -> dict:
    """One pass over replies between members of known tenure (old / new, in the longest window either test needs):
    the polarisation shares of the last two windows (``cross_share``, ``same_share``, ``n_cross`` hostile cross replies) and the
    cross-tenure counts of the last window (``k`` hostile of ``n``) and of the ``baseline_weeks`` before (``kb`` of ``nb``)."""
    return store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), e AS (
          -- Day differences as DATE subtraction: equal to date_diff('day', ...) in any zone, about 4x cheaper per row.
          SELECT {_HOSTILE} AS hostile, p.created_at >= $ts::TIMESTAMPTZ - to_days(2 * $w) AS pol,
                 p.created_at >= $ts::TIMESTAMPTZ - to_days($w) AS recent, p.created_at >= $ts::TIMESTAMPTZ - to_days($w + 7 * $nb) AS span,
                 {_TENURES}
          WHERE p.created_at >= $ts::TIMESTAMPTZ - to_days(greatest(2 * $w, $w + 7 * $nb)) AND par.author_id <> p.author_id)
        SELECT avg(CAST(hostile AS INT)) FILTER (WHERE pol AND a <> b) AS cross_share, avg(CAST(hostile AS INT)) FILTER (WHERE pol AND a = b) AS same_share,
               count(*) FILTER (WHERE pol AND a <> b AND hostile) AS n_cross,
               count(*) FILTER (WHERE recent AND a <> b AND hostile) AS k, count(*) FILTER (WHERE recent AND a <> b) AS n,
               count(*) FILTER (WHERE span AND NOT recent AND a <> b AND hostile) AS kb, count(*) FILTER (WHERE span AND NOT recent AND a <> b) AS nb
        FROM e WHERE a IS NOT NULL AND b IS NOT NULL""",
        {"ts": as_of, "w": p["w"], "nb": p["nb"], "tox": p["tox"], "old": int(c["old_tenure_days"]), "nd": int(c["newcomer_days"])})[0]


def _cross_hostility(e: dict, c: dict) -> tuple[int, int, float]:
    """Hostile replies between old and new members in the last window: (hostile, all cross replies, surprise of so many
    against the hostile share of cross replies in the ``baseline_weeks`` before). Counts, not a difference of shares:
    a few attacks among hundreds of calm cross replies barely move the index but are rare against their own past."""
    k, n, kb, nb = (int(e[x] or 0) for x in ("k", "n", "kb", "nb"))
    if not nb or k < c["polarisation_min_edges"]:
        return k, n, 0.0
    # The baseline share is smoothed so a spotless past is not a zero rate.
    return k, n, round(binom_high_surprise(k, n, (kb + 0.5) / (nb + 1.0)), 2)
