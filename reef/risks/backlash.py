"""Backlash (反噬): core members turning negative, unresolved complaints, the care list.

Drift: for each core member, the share of their posts in the last w days that are complaints is
tested against their own share over the ``burnout_baseline_days`` before the last
``drift_recent_days`` (surprise -log10 p; ``drift_test = "binomial"``: that share taken as known, or
``"betabinomial"``: the beta-binomial tail, which keeps the uncertainty of a share learnt from few posts), for every
w in ``drift_windows`` (up to ``drift_recent_days``; the most telling window counts, so a sudden turn shows within
days and a slow one over weeks); a drop of mean sentiment is reported beside it. Members at
``drift_watch_surprise`` with at least ``drift_min_complaints`` complaints join the care list; at
``drift_alert_surprise`` each raises an alert. Complaints about after-sales or quality (售后与服务, 质量与故障)
are tested on their own as well (same windows, the member's own past share); they raise an alert from
``drift_aftersales_alert_surprise``. Unresolved: a core complaint older than
``unresolved_days`` with no staff/brand reply in its thread and no operator ``respond`` naming it (or its thread,
after it was posted; ``reef action add ID --kind respond --content POST``; at the data's end an action recorded since
the last import counts too, :func:`reef.actions.cutoff.action_cutoff`). The
family's count parts compare the recent window with the community's own baseline, so a brand that
always answers slowly is not an alarm every day (the note still states the count).
Care list: core members turning negative (drift at ``drift_watch_surprise``) and core members with unresolved
complaints, each row saying which (转负 / 投诉未回应), ranked by risk x reach (network connector score), with the
complaints behind it and a suggested owner (:func:`suggested_owner`: the after-sales team only when after-sales/quality
complaints are the majority). Only turning negative raises the member alert.

Example:
    >>> from reef.risks.common import betabinom_high_surprise, binom_high_surprise
    >>> binom_high_surprise(5, 12, 0.05) > 3   # 5 complaints in 12 posts from someone at 5%
    True
    >>> betabinom_high_surprise(5, 12, 0, 9) < 3   # ... but their 5% comes from 9 clean posts
    True
"""
from __future__ import annotations

from reef.actions.cutoff import action_cutoff, responses_sql
from reef.errors import InvalidParameterError
from reef.risks.common import (CONTENT, MEMBER_POSTS, FamilyResult, Part, betabinom_high_surprise,
                               binom_high_surprise, poisson_high_surprise, ramp, risk_base)
from reef.risks.metrics import core_ids_sql
from reef.risks import wording as W

__all__ = ["backlash", "suggested_owner"]


def _rows(store, p: dict) -> list[dict]:
    has_net = store.fetch_value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'network_connectors'")
    reach_sql = "SELECT member_id, score AS reach FROM network_connectors" if has_net else "SELECT NULL::VARCHAR AS member_id, 0.0 AS reach WHERE false"
    return store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), core AS ({core_ids_sql(store)}), reach AS ({reach_sql}),
        cp AS (SELECT p.*, created_at >= $ts::TIMESTAMPTZ - to_days($recent) AS recent,
                      list_contains(coalesce(intents, []), 'complaint') AS complaint,
                      list_has_any(coalesce(aspect_names, []), ['售后与服务', '质量与故障']) AS after_sales
               FROM p WHERE author_id IN (SELECT member_id FROM core) AND left_at IS NULL
                 AND created_at >= $ts::TIMESTAMPTZ - to_days($recent + $base)),
        -- the latest staff post of each thread: a complaint is answered when any staff post follows it (the first one
        -- may well predate it, as in a thread an official account started)
        staff_reply AS (SELECT thread_id, max(created_at) AS at FROM {CONTENT} WHERE account_type IN ('staff', 'brand') GROUP BY 1),
        -- an operator's respond action names the complaint it answers, or the thread (its first post) for every complaint
        -- posted there before it
        responded AS ({responses_sql("ats")}),
        unres AS (SELECT cp.author_id, cp.recent AS in_recent, count(*) AS n, arg_max(cp.content_id, cp.created_at) AS example_id,
                         -- only the oldest few per member can reach the evidence: a bounded list keeps memory flat at scale
                         arg_min(struct_pack(id := cp.content_id, at := cp.created_at, after_sales := cp.after_sales),
                                 (cp.created_at, cp.content_id), $evidence_top) AS items FROM cp
                  LEFT JOIN staff_reply s ON s.thread_id = coalesce(cp.thread_id, cp.content_id) AND s.at > cp.created_at
                  WHERE cp.complaint AND cp.created_at < $ts::TIMESTAMPTZ - to_days($ud) AND s.at IS NULL
                    AND cp.content_id NOT IN (SELECT content_id FROM responded)
                    AND NOT EXISTS (SELECT 1 FROM responded r WHERE r.content_id = cp.thread_id AND r.at > cp.created_at) GROUP BY 1, 2)
        SELECT cp.author_id AS member_id, avg(sentiment) FILTER (WHERE cp.recent) AS s_recent, avg(sentiment) FILTER (WHERE NOT cp.recent) AS s_base,
               count(*) FILTER (WHERE recent) AS n_recent, count(*) FILTER (WHERE recent AND complaint) AS complaints,
               list(struct_pack(d := date_diff('second', cp.created_at, $ts::TIMESTAMPTZ) / 86400.0, c := complaint,
                                a := complaint AND after_sales)) FILTER (WHERE recent) AS recent_posts,
               count(*) FILTER (WHERE NOT recent AND complaint AND after_sales) AS base_after_sales,
               count(*) FILTER (WHERE NOT recent) AS n_base, count(*) FILTER (WHERE NOT recent AND complaint) AS base_complaints,
               count(*) FILTER (WHERE recent AND complaint AND after_sales) AS recent_after_sales, arg_min(content_id, sentiment) FILTER (WHERE recent AND complaint) AS example_id,
               -- the same pick for the complaints evidence, with ties (equal sentiment) broken by id so every run lists the same post
               arg_min(content_id, (coalesce(sentiment, 2.0), content_id)) FILTER (WHERE recent AND complaint) AS complaint_example,
               coalesce(any_value(u.n), 0) AS unresolved, any_value(u.example_id) AS unresolved_id, any_value(u.items) AS unresolved_items,
               coalesce((SELECT sum(n) FROM unres b WHERE b.author_id = cp.author_id AND NOT b.in_recent), 0) AS base_unresolved,
               coalesce(any_value(r.reach), 0) AS reach
        FROM cp LEFT JOIN unres u ON u.author_id = cp.author_id AND u.in_recent LEFT JOIN reach r ON r.member_id = cp.author_id GROUP BY 1""", p)


def _drift_test(test: str, hits_before: int, n_before: int):
    """Surprise of k complaints in n recent posts against the member's own record (``hits_before`` of ``n_before``)."""
    if test == "binomial":  # the record's share, smoothed so a clean record is not a zero rate, taken as known
        share = (hits_before + 0.5) / (n_before + 1.0)
        return lambda k, n: binom_high_surprise(k, n, share)
    return lambda k, n: betabinom_high_surprise(k, n, hits_before, n_before - hits_before)


def backlash(store, as_of, config) -> FamilyResult:
    """Score backlash at ``as_of``; parts: drift, complaints, unresolved. Evidence rows with part 'care' form the care list."""
    c = config.section("risks")
    res = FamilyResult("backlash")
    p = {"ts": as_of, "recent": int(c["drift_recent_days"]), "base": int(c["burnout_baseline_days"]), "core_stage": int(c["core_min_stage"]),
         "ud": int(c["unresolved_days"]), "evidence_top": max(1, int(c["evidence_rows"])),
         # responses recorded after the data's end still answer a complaint at the end (reef.actions.cutoff)
         "ats": action_cutoff(store, as_of)}
    with risk_base(store, as_of, int(c["horizon_days"])):
        rows = _rows(store, p)
        start = store.fetch_value(f"SELECT min(created_at) FROM ({MEMBER_POSTS})")
    watch_s, alert_s = float(c["drift_watch_surprise"]), float(c["drift_alert_surprise"])
    windows = sorted({min(int(w), p["recent"]) for w in (c.get("drift_windows") or ())} | {p["recent"]})
    alert_as = float(c["drift_aftersales_alert_surprise"])
    test = str(c["drift_test"])
    if test not in ("betabinomial", "binomial"):
        raise InvalidParameterError("risks.drift_test", test, "'betabinomial' or 'binomial'")
    # The baseline covers only days with data: a young community is not compared with empty weeks.
    base_days = min(p["base"], (as_of - start).total_seconds() / 86400 - p["recent"]) if start is not None else 0
    scale = p["recent"] / base_days if base_days >= p["recent"] else 0.0
    drifting = complaints = base_complaints = unresolved = base_unresolved = 0
    care = []
    for r in rows:
        r["recent_complaints"] = r["complaints"]  # the whole recent window's, before the drift test picks its window
        complaints += r["complaints"]
        base_complaints += r["base_complaints"]
        unresolved += r["unresolved"]
        base_unresolved += r["base_unresolved"]
        # Complaints about after-sales or quality (the seed's 被辜负: a bad service visit, a defect never fixed) are
        # tested on their own too: rarer in a core member's past, so a few of them say more than general grumbling.
        general = _drift_test(test, r["base_complaints"], r["n_base"])
        after = _drift_test(test, r["base_after_sales"], r["n_base"])
        surprise = s_general = s_after = 0.0
        r["window"], r["after_sales_n"] = p["recent"], 0
        for w in windows:
            got = [(x["c"], x["a"]) for x in (r["recent_posts"] or ()) if x["d"] < w]
            k, ka = sum(g[0] for g in got), sum(g[1] for g in got)
            s_c = general(k, len(got)) if k >= c["drift_min_complaints"] else 0.0
            s_a = after(ka, len(got)) if ka >= c["drift_min_complaints"] else 0.0
            s_general, s_after = max(s_general, s_c), max(s_after, s_a)
            if max(s_c, s_a) > surprise:
                surprise, r["n_recent"], r["complaints"], r["window"], r["after_sales_n"] = max(s_c, s_a), len(got), k, w, ka
        r["alerting"] = s_general >= alert_s or s_after >= alert_as
        r["alert_excess"] = max((s_general - alert_s) / alert_s, (s_after - alert_as) / alert_as, 0.0)
        drop = (r["s_base"] - r["s_recent"]) if r["s_recent"] is not None and r["s_base"] is not None else 0.0
        turned = surprise >= watch_s
        drifting += turned
        # The care list: core members turning negative and core members with complaints unanswered after
        # unresolved_days (the issue names both). A test below the watch level is chance and adds nothing to the risk.
        if not turned and not r["unresolved"]:
            continue
        risk = min(1.0, (surprise / (2 * alert_s) if turned else 0.0) + 0.05 * r["unresolved"])
        care.append((risk * (0.2 + float(r["reach"] or 0)), r, drop, surprise, turned))
    care.sort(key=lambda x: (-x[0], x[1]["member_id"]))
    for rank, (priority, r, drop, surprise, turned) in enumerate(care, 1):
        zh, en = _care_text(r, drop, surprise, turned, as_of, p)
        cid = r["unresolved_id"] or r["example_id"]
        res.evidence.append({"part": "care", "subject": r["member_id"], "member_id": r["member_id"], "content_id": cid, "value": round(priority, 4),
                             "rank": rank, "detail_zh": zh, "detail_en": en})
        if turned and r["alerting"]:  # the alert is about turning negative only (unchanged by the unresolved rows)
            res.alerts.append({"part": "core_turning_negative", "subject": r["member_id"], "member_id": r["member_id"], "content_id": cid,
                               "score": round(min(100.0, 60.0 + 40.0 * r["alert_excess"]), 1), "message_zh": zh, "message_en": en})
    core_n = len(rows)
    chance = core_n * 2 * len(windows) * 10 ** -watch_s  # two tests (all complaints, after-sales ones) per window
    gate = min(1.0, poisson_high_surprise(drifting, chance) / float(c["part_surprise"])) if drifting else 0.0
    res.parts.append(Part("drift", drifting, round(ramp(drifting / max(core_n, 1), ok=c["drift_share_ok"], bad=c["drift_share_bad"]) * gate, 1), round(chance, 2),
                          f"{drifting}名核心成员投诉明显增多（核心{core_n}人，{W.expected_by_chance(chance)[0]}）",
                          f"{W.plural(drifting, 'core member')} complaining far more than before ({core_n} core, {W.expected_by_chance(chance)[1]})"))
    for name, now, before, zh, en in (
            ("complaints", complaints, base_complaints, f"核心成员近{p['recent']}天投诉{complaints}条", f"{W.plural(complaints, 'complaint')} by core members in {W.plural(p['recent'], 'day')}"),
            ("unresolved", unresolved, base_unresolved, f"{unresolved}条核心成员投诉超{p['ud']}天无官方回应",
             f"{W.plural(unresolved, 'core complaint')} without a staff response after {W.plural(p['ud'], 'day')}")):
        expected = before * scale
        ratio = now / expected if expected else 0.0  # no baseline yet: nothing to compare with
        gate = min(1.0, poisson_high_surprise(now, max(expected, 0.5)) / float(c["part_surprise"])) if scale else 0.0
        res.parts.append(Part(name, now, round(ramp(ratio, ok=c["count_ratio_ok"], bad=c["count_ratio_bad"]) * gate, 1), round(expected, 1),
                              f"{zh}（按此前水平预期{expected:.0f}条）", f"{en} ({expected:.0f} expected from before)"))
    _complaint_evidence(rows, as_of, p, int(c["evidence_rows"]), res)
    return res


def suggested_owner(complaints: int, after_sales: int) -> tuple[str, str]:
    """Who follows a care-list member up (zh, en): the after-sales team when after-sales/quality complaints are the
    majority of the complaints quoted, community operations otherwise (told to bring the after-sales team in on the
    after-sales/quality ones when there are some).

    >>> suggested_owner(3, 2)[1], suggested_owner(3, 1)[1], suggested_owner(2, 0)[0]
    ('after-sales team', 'community operations, with the after-sales team on the after-sales/quality ones', '社区运营')
    """
    if 2 * after_sales > complaints:
        return "售后服务团队", "after-sales team"
    if after_sales:
        return "社区运营（售后/质量问题请售后服务团队协同）", "community operations, with the after-sales team on the after-sales/quality ones"
    return "社区运营", "community operations"


def _care_text(r: dict, drop: float, surprise: float, turned: bool, as_of, p: dict) -> tuple[str, str]:
    """A care-list row's reason (转负 turning negative, 投诉未回应 complaints unanswered, or both), the posts behind it
    and the suggested owner (zh, en)."""
    reason_zh = "、".join(x for x, on in (("转负", turned), ("投诉未回应", r["unresolved"])) if on)
    reason_en = ", ".join(x for x, on in (("turning negative", turned), ("complaints unanswered", r["unresolved"])) if on)
    items = r.get("unresolved_items") or []
    ids = "、".join(i["id"] for i in items[:3]) + ("等" if r["unresolved"] > 3 else "")
    ids_en = ", ".join(i["id"] for i in items[:3]) + (", ..." if r["unresolved"] > 3 else "")
    oldest = max(((as_of - i["at"]).total_seconds() / 86400 for i in items), default=0.0)
    unres_zh = f"{r['unresolved']}条投诉超{p['ud']}天未获官方回应" + (f"（最早已过{oldest:.0f}天：{ids}）" if items else "")
    unres_en = f"{W.plural(r['unresolved'], 'complaint')} unanswered by staff after {W.plural(p['ud'], 'day')}" + (
        f" (oldest {W.plural(round(oldest), 'day')}: {ids_en})" if items else "")
    if turned:  # the complaints of the window the drift test found most telling
        k, ka = r["complaints"], r["after_sales_n"]
        said_zh = (f"核心成员近{r['window']}天{r['n_recent']}帖中投诉{k}条、其中售后/质量{ka}条（此前{r['n_base']}帖中{r['base_complaints']}条；"
                   f"按此前比例{W.chance(surprise)[0]}）")
        said_en = (f"core member: {W.plural(k, 'complaint')} ({ka} on after-sales/quality) in {W.plural(r['n_recent'], 'post')} "
                   f"over {W.plural(r['window'], 'day')} (before: {r['base_complaints']} in {r['n_base']}, {W.chance(surprise)[1]} at the earlier share)")
    else:  # not turning negative by the test: the whole recent window's complaints
        k, ka = r["recent_complaints"], r["recent_after_sales"]
        said_zh = f"核心成员近{p['recent']}天投诉{k}条、其中售后/质量{ka}条"
        said_en = f"core member: {W.plural(k, 'complaint')} ({ka} on after-sales/quality) in {W.plural(p['recent'], 'day')}"
    owner_zh, owner_en = suggested_owner(k, ka)
    return (f"{reason_zh}：{said_zh}，情绪变化{-drop:+.2f}；{unres_zh}；建议跟进：{owner_zh}",
            f"{reason_en}: {said_en}, sentiment {-drop:+.2f}; {unres_en}; suggested owner: {owner_en}")


def _complaint_evidence(rows: list[dict], as_of, p: dict, top: int, res: FamilyResult) -> None:
    """Drill-down of the count parts: every unresolved core complaint (oldest first; value = age in days) and, per
    complaining core member, their most negative recent complaint (most complaints first; value = their count)."""
    items = sorted(((i, r["member_id"]) for r in rows for i in (r.get("unresolved_items") or ())), key=lambda x: (x[0]["at"], x[0]["id"]))
    for item, member in items[:top]:
        age = (as_of - item["at"]).total_seconds() / 86400
        kind_zh, kind_en = ("售后/质量投诉", "after-sales/quality complaint") if item["after_sales"] else ("投诉", "complaint")
        res.evidence.append({"part": "unresolved", "subject": item["id"], "member_id": member, "content_id": item["id"], "value": round(age, 1),
                             "detail_zh": f"核心成员{member}的{kind_zh}{item['id']}已过{age:.0f}天，主题内没有官方/员工回复，也没有运营回应记录（超过{p['ud']}天即算未解决）",
                             "detail_en": f"core member {member}'s {kind_en} {item['id']} is {W.plural(round(age), 'day')} old with no staff or "
                                          f"brand reply in its thread and no operator response (unresolved after {W.plural(p['ud'], 'day')})"})
    who = sorted((r for r in rows if r["recent_complaints"] and r["complaint_example"]), key=lambda r: (-r["recent_complaints"], r["member_id"]))
    for r in who[:top]:
        res.evidence.append({"part": "complaints", "subject": r["member_id"], "member_id": r["member_id"], "content_id": r["complaint_example"],
                             "value": r["recent_complaints"],
                             "detail_zh": f"核心成员{r['member_id']}近{p['recent']}天投诉{r['recent_complaints']}条，例如{r['complaint_example']}（其中情绪最负面的一条）",
                             "detail_en": f"core member {r['member_id']}: {W.plural(r['recent_complaints'], 'complaint')} in "
                                          f"{W.plural(p['recent'], 'day')}, e.g. {r['complaint_example']} "
                                          "(the most negative)"})
