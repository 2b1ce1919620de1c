"""Heat death (热寂): activity, homogenisation, core burnout, newcomer integration, cliques.

Every measure compares the last ``risks.window_days`` before ``as_of`` with the community's own
recent past, reads only through the point-in-time macros and counts only ``member`` accounts.

Example:
    >>> from reef.store import open_store
    >>> from reef.config import load_config
    >>> from datetime import datetime, timezone
    >>> r = heat_death(open_store(":memory:"), datetime(2026, 1, 1, tzinfo=timezone.utc), load_config())
    >>> [p.name for p in r.parts][:3]
    ['activity', 'circle_decay', 'homogenisation']
"""
from __future__ import annotations

import numpy as np

from reef.errors import InvalidParameterError
from reef.risks.common import MEMBER_POSTS, FamilyResult, Part, change_point, decline_run, poisson_low_surprise, ramp, risk_base
from reef.risks import wording as W
from reef.text.pii import mask_pii

__all__ = ["heat_death", "weekly_activity", "circle_label", "circle_cusum"]


def weekly_activity(store, as_of, weeks: int) -> list[dict]:
    """Per week back from ``as_of`` (oldest first): active contributors, posts, threads with posts."""
    # Posts are bucketed by week number back from as_of (one pass; no range join).
    return store.fetch_dicts(f"""
        WITH b AS (SELECT CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(created_at)) / (7 * 86400)) AS BIGINT) AS k, author_id, content_id,
                          coalesce(thread_id, content_id) AS thread FROM ({MEMBER_POSTS}) WHERE created_at >= $ts::TIMESTAMPTZ - to_days(7 * $weeks)),
        agg AS (SELECT k, count(DISTINCT author_id) AS contributors, count(*) AS posts, count(DISTINCT thread) AS threads FROM b GROUP BY 1)
        SELECT w.k, ($ts::TIMESTAMPTZ - to_days(7 * (w.k + 1)))::TIMESTAMPTZ AS week_start, coalesce(agg.contributors, 0) AS contributors,
               coalesce(agg.posts, 0) AS posts, coalesce(agg.threads, 0) AS threads
        FROM range(0, $weeks) w(k) LEFT JOIN agg ON agg.k = w.k ORDER BY w.k DESC""", {"ts": as_of, "weeks": weeks})


def circle_label(group_id: str, name: str | None) -> tuple[str, str]:
    """How the texts name a circle (zh, en): its name with the id in brackets, the id alone when it has no other name.

    >>> circle_label("g-1", "影音圈")
    ('圈子“影音圈”(g-1)', 'group “影音圈” (g-1)')
    >>> circle_label("g-1", None)
    ('圈子g-1', 'group g-1')
    >>> circle_label("g-2", "车友群 13812345678")[0]
    '圈子“车友群 138****5678”(g-2)'
    """
    # One line (a name typed with line breaks stays inside the sentence), personal data masked: group names are typed
    # by hand, and these texts reach every surface, viewers' included.
    name = mask_pii(" ".join(str(name or "").split()))
    if not name or name == group_id:
        return f"圈子{group_id}", f"group {group_id}"
    return f"圈子“{name}”({group_id})", f"group “{name}” ({group_id})"


def heat_death(store, as_of, config) -> FamilyResult:
    """Score heat death at ``as_of``; parts: activity, circle_decay, homogenisation, burnout, newcomers, cliques."""
    c = config.section("risks")
    res = FamilyResult("heat_death")
    with risk_base(store, as_of, int(c["horizon_days"])):
        _heat(store, as_of, c, res)
    return res


def _heat(store, ts, c: dict, res: FamilyResult) -> None:
    win, nb = int(c["window_days"]), int(c["baseline_weeks"])
    # -- activity: weekly contributors vs their baseline, stickiness, posts per active thread, change point
    weeks = weekly_activity(store, ts, nb + 1)
    res.series = [{"metric": "contributors", "week_start": w["week_start"], "value": w["contributors"]} for w in weeks]
    res.series += [{"metric": "posts_per_thread", "week_start": w["week_start"], "value": round(w["posts"] / max(w["threads"], 1), 2)} for w in weeks]
    base = float(np.median([w["contributors"] for w in weeks[:-1]])) if len(weeks) > 1 else 0.0
    now = weeks[-1]["contributors"] if weeks else 0
    drop = 1 - now / base if base else 0.0
    dau, mau = store.fetch_all(f"""WITH p AS ({MEMBER_POSTS})
        SELECT count(DISTINCT (author_id, created_at::DATE)) FILTER (WHERE created_at >= $ts::TIMESTAMPTZ - to_days($w)) / $w,
               count(DISTINCT author_id) FILTER (WHERE created_at >= $ts::TIMESTAMPTZ - INTERVAL 30 DAY) FROM p
        WHERE created_at >= $ts::TIMESTAMPTZ - to_days(greatest($w, 30))""", {"ts": ts, "w": win})[0]
    sticky = float(dau or 0) / mau if mau else 0.0
    k, shift = change_point([w["contributors"] for w in weeks])
    turned = k is not None and abs(shift) >= 2
    cp = f"；{weeks[k]['week_start']:%m-%d}起出现拐点({shift:+.1f}σ)" if turned else ""
    cp_en = f"; change point from {weeks[k]['week_start']:%m-%d} ({shift:+.1f} sd)" if turned else ""
    # A drop counts in full only once chance alone would rarely produce it (Poisson surprise vs part_surprise).
    gate = min(1.0, poisson_low_surprise(now, base) / float(c["part_surprise"])) if base else 0.0
    # No contributors in the weeks before (or none before at all): a "-0%" change against 0 would read as steady. A
    # median of 0 is not "none": on a sparse community (the bicycles meta site) most weeks are empty but some are not.
    busy = sum(w["contributors"] > 0 for w in weeks[:-1])
    base_zh, base_en = (f"基线{base:.0f}人（{W.change(-drop)}）", f"baseline {base:.0f} ({W.change(-drop)})") if base else \
        ("基线为空（此前各周没有活跃贡献者）", "an empty baseline (no active contributors in the weeks before)") if not busy else \
        (f"基线为0（此前{len(weeks) - 1}周的中位数：仅{busy}周有活跃贡献者）",
         f"a baseline of 0 (the median of the {W.plural(len(weeks) - 1, 'week')} before: only {W.plural(busy, 'week')} with active contributors)")
    # Without a baseline there is no change to state: the value is None (value_text ""), not a "-0%" change.
    res.parts.append(Part("activity", round(drop, 3) if base else None, round(ramp(drop, ok=c["activity_drop_ok"], bad=c["activity_drop_bad"]) * gate, 1), base,
                          f"近{win}天活跃贡献者{now}人，{base_zh}；日活/月活黏性{sticky:.2f}{cp}",
                          f"{W.plural(now, 'active contributor')} in the last {W.plural(win, 'day')} vs {base_en}; DAU/MAU {sticky:.2f}{cp_en}"))
    if weeks:
        _activity_evidence(weeks, k if turned else None, shift, base, drop, res)
    act = res.parts[-1].score
    if act >= float(c["alert_score"]):
        # A community-wide collapse is one acute symptom: averaged with five quiet parts the family score stays
        # below the bar (at most 58 of 60), so the part raises its own alert like circle decay and burnout do.
        res.alerts.append({"part": "activity", "subject": "community", "score": act, "member_id": None, "content_id": None,
                           "message_zh": f"全社区活跃贡献者骤降：近{win}天{now}人，基线{base:.0f}人（{W.change(-drop)}）",
                           "message_en": f"active contributors collapsed community-wide: {now} in the last {W.plural(win, 'day')} vs "
                                         f"baseline {base:.0f} ({W.change(-drop)})"})
    # -- circles: a group whose last week fell far below its own weekly baseline, beyond its usual week-to-week swing
    groups = store.fetch_dicts(f"""WITH p AS ({MEMBER_POSTS}), wk AS (
            SELECT group_id, CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(created_at)) / (86400 * $rw)) AS BIGINT) AS k, count(*) AS n FROM p
            WHERE group_id IS NOT NULL AND created_at >= $ts::TIMESTAMPTZ - to_days($rw * ($nb + 1))
              -- boards and the plaza follow the inflow of newcomers and announcements, not a circle's own life
              AND group_id NOT IN (SELECT group_id FROM groups_at($ts) WHERE list_contains($skip, kind)) GROUP BY 1, 2),
        full_ AS (SELECT g.group_id, r.k, coalesce(wk.n, 0) AS n FROM (SELECT DISTINCT group_id FROM wk) g CROSS JOIN range(0, $nb + 1) r(k)
                  LEFT JOIN wk ON wk.group_id = g.group_id AND wk.k = r.k
                  WHERE $ts::TIMESTAMPTZ - to_days($rw * (r.k + 1)) >= (SELECT min(created_at) FROM p))
        SELECT group_id, coalesce(sum(n) FILTER (WHERE k = 0), 0) AS recent, avg(n) FILTER (WHERE k > 0) AS base,
               count(*) FILTER (WHERE k > 0) AS periods,
               coalesce(var_samp(n) FILTER (WHERE k > 0) / nullif(avg(n) FILTER (WHERE k > 0), 0), 1.0) AS dispersion,
               -- the name operators know the circle by, for the texts only (subjects and keys stay the id)
               (SELECT any_value(name) FROM groups_at($ts) gn WHERE gn.group_id = full_.group_id) AS name
        FROM full_ GROUP BY 1 ORDER BY 1""", {"ts": ts, "nb": nb, "rw": int(c["circle_recent_days"]), "skip": list(c["circle_skip_kinds"])})
    cusum = circle_cusum(store, ts, c)
    # What the CUSUM counts, for the evidence: every act of the circle's members, or the group's posts.
    on_zh, on_en = ("成员活动", "members' activity") if c["circle_cusum_stream"] == "members" else ("发帖", "posts")
    worst, worst_note = (0.0, 0.0), ("没有明显降温的圈子", "no group is cooling")
    for g in groups:
        if (g["base"] or 0) < c["circle_min_posts"] or g["periods"] < c["circle_min_periods"]:
            continue
        gdrop = 1 - g["recent"] / g["base"]
        # Threads bunch posts together: the baseline's variance/mean ratio deflates the Poisson surprise.
        phi = max(1.0, float(g["dispersion"]))
        surprise = poisson_low_surprise(g["recent"] / phi, g["base"] / phi)
        s_week = ramp(gdrop, ok=c["circle_drop_ok"], bad=c["circle_drop_bad"]) * min(1.0, surprise / float(c["part_surprise"]))
        # The accumulated evidence (CUSUM) alone raises the alert: it sees a slow ramp early and a sudden fall within days.
        cs, run, run_drop = cusum.get(g["group_id"], (0.0, 0, 0.0))
        s_cusum = min(100.0, float(c["alert_score"]) * cs / float(c["circle_cusum_alert"]))
        s = round(max(s_week, s_cusum), 1)
        g_zh, g_en = circle_label(g["group_id"], g["name"])
        # Of circles that tie (many at 100 in a crisis), the note names the one that fell furthest; then id order.
        if s > 0 and (s, max(gdrop, run_drop)) > worst:
            worst, worst_note = (s, max(gdrop, run_drop)), (
                f"{g_zh}近{c['circle_recent_days']}天发帖较基线{W.change(-gdrop)}（{W.chance(surprise)[0]}），"
                f"近{run}天{on_zh}较自身基线{W.change(-run_drop)}（{W.evidence(cs, c['circle_cusum_alert'])[0]}）",
                f"{g_en}: posts {W.change(-gdrop)} against its baseline in {W.plural(c['circle_recent_days'], 'day')} "
                f"({W.chance(surprise)[1]}); {on_en} {W.change(-run_drop)} against its own baseline over the last {W.plural(run, 'day')} "
                f"({W.evidence(cs, c['circle_cusum_alert'])[1]})")
        if s > 0:
            res.evidence.append({"part": "circle_decay", "subject": g["group_id"], "value": round(gdrop, 3),
                                 "detail_zh": f"{g_zh}近{c['circle_recent_days']}天发帖{g['recent']:.0f}，基线{g['base']:.0f}（{W.change(-gdrop)}，{W.chance(surprise)[0]}）；"
                                              f"近{run}天{on_zh}{W.evidence(cs, c['circle_cusum_alert'])[0]}",
                                 "detail_en": f"{g_en}: {W.plural(round(g['recent']), 'post')} in {W.plural(c['circle_recent_days'], 'day')} vs {g['base']:.0f} "
                                              f"({W.change(-gdrop)}, {W.chance(surprise)[1]}); "
                                              f"{on_en} over {W.plural(run, 'day')}: {W.evidence(cs, c['circle_cusum_alert'])[1]}"})
            if cs >= float(c["circle_cusum_alert"]):
                res.alerts.append({"part": "circle_decay", "subject": g["group_id"], "score": max(s, float(c["alert_score"])), "member_id": None,
                                   "content_id": None,
                                   "message_zh": f"{g_zh}活跃度持续下滑（近{run}天{on_zh}较自身基线{W.change(-run_drop)}）",
                                   "message_en": f"{g_en} is cooling ({on_en} {W.change(-run_drop)} against its own baseline over the last "
                                                 f"{W.plural(run, 'day')})"})
    res.parts.append(Part("circle_decay", worst[0], worst[0], None, *worst_note))
    # -- homogenisation: near-duplicate share (a MinHash band shared with an earlier item) and topic entropy
    dup_now, dup_base, first = store.fetch_all(f"""
        WITH p AS ({MEMBER_POSTS}),
        -- The originals' keys come precomputed with the base (reef.risks.incremental.dup_keys_sql); only keys with a
        -- second carrier (_risk_dupkeys_shared) can mark a later post as a near-duplicate.
        b AS (SELECT d.content_id, d.created_at, d.key FROM _risk_dupkeys d JOIN p USING (content_id)
              WHERE d.created_at >= $ts::TIMESTAMPTZ - to_days($w + 7 * $nb + 60) AND p.created_at >= $ts::TIMESTAMPTZ - to_days($w + 7 * $nb + 60)),
        o AS (SELECT DISTINCT content_id, created_at FROM b),
        f AS (SELECT key, min(created_at) AS first_at FROM b WHERE key IN (SELECT key FROM _risk_dupkeys_shared) GROUP BY key),
        d AS (SELECT DISTINCT b.content_id FROM b JOIN f USING (key) WHERE b.created_at > f.first_at)
        SELECT avg(CAST(d.content_id IS NOT NULL AS INT)) FILTER (WHERE o.created_at >= $ts::TIMESTAMPTZ - to_days($w)),
               avg(CAST(d.content_id IS NOT NULL AS INT)) FILTER (WHERE o.created_at < $ts::TIMESTAMPTZ - to_days($w)
                                                                    AND o.created_at >= $ts::TIMESTAMPTZ - to_days($w + 7 * $nb)),
               (SELECT min(created_at) FROM p)
        FROM o LEFT JOIN d USING (content_id)""", {"ts": ts, "w": win, "nb": nb})[0]
    ent = store.fetch_all(f"""WITH p AS ({MEMBER_POSTS}), a AS (SELECT created_at >= $ts::TIMESTAMPTZ - to_days($w) AS recent, unnest(aspect_names) AS asp
        FROM p WHERE created_at >= $ts::TIMESTAMPTZ - to_days($w + 7 * $nb)), n AS (SELECT recent, asp, count(*) AS k FROM a GROUP BY ALL),
        q AS (SELECT recent, k / sum(k) OVER (PARTITION BY recent) AS pr FROM n)
        SELECT recent, -sum(pr * ln(pr)) FROM q GROUP BY recent""", {"ts": ts, "w": win, "nb": nb})
    ent_map = {bool(r[0]): float(r[1] or 0) for r in ent}
    # A community's first weeks: the baseline weeks hold no posts, or too few days of them (its first posts could
    # repeat nothing earlier, so their share reads 0%), and any duplicate would read as a jump from 0%. Not compared.
    seen = max(0.0, min(7.0 * nb, (ts - first).total_seconds() / 86400 - win)) if first is not None else 0.0
    history = dup_base is not None and seen >= float(c["homogenisation_min_history_days"])
    ent_drop = 1 - ent_map.get(True, 0) / ent_map[False] if ent_map.get(False) and history else 0.0
    extra_dup = (dup_now or 0) - (dup_base or 0) if history else None
    s_h = max(ramp(extra_dup, ok=c["dup_share_ok"], bad=c["dup_share_bad"]), ramp(ent_drop, ok=c["entropy_drop_ok"], bad=c["entropy_drop_bad"]))
    # No topics in the baseline weeks: the entropy has nothing to change from ("—", as a missing newcomer figure).
    ent_txt = W.change(-ent_drop) if ent_map.get(False) and history else "—"
    base_zh, base_en = (f"基线{(dup_base or 0):.0%}", f"baseline {(dup_base or 0):.0%}") if history else (
        f"历史不足，不与基线比较：基线{nb}周内只有{int(seen)}天数据，至少需{c['homogenisation_min_history_days']}天",
        f"not enough history to compare with a baseline: {W.plural(int(seen), 'day')} of data in the {W.plural(nb, 'week')} "
        f"of baseline, {W.plural(int(c['homogenisation_min_history_days']), 'day')} needed")
    res.parts.append(Part("homogenisation", round(dup_now or 0, 3), s_h, dup_base if history else None,
                          f"近重复内容占比{(dup_now or 0):.0%}（{base_zh}）；话题熵变化{ent_txt}",
                          f"near-duplicate share {(dup_now or 0):.0%} ({base_en}); topic entropy {ent_txt}"))
    _duplicate_groups(store, ts, win, nb, int(c["evidence_rows"]), res)
    from reef.risks.burnout import burnout_part
    from reef.risks.members import clique_part, newcomer_part
    from reef.risks.novelty import novelty_part

    for fn in (novelty_part, burnout_part, newcomer_part, clique_part):
        fn(store, ts, c, res)


def _activity_evidence(weeks: list[dict], k: int | None, shift: float, base: float, drop: float, res: FamilyResult) -> None:
    """Drill-down of the activity part: the last week against the baseline (value: the drop, as the part's) and, when
    there is one, the change point (value: the shift in standard deviations)."""
    last = weeks[-1]
    res.evidence.append({"part": "activity", "subject": f"{last['week_start']:%Y-%m-%d}", "value": round(drop, 3),
                         "detail_zh": f"{last['week_start']:%Y-%m-%d}起的最近一周：活跃贡献者{last['contributors']}人（基线中位{base:.0f}人），"
                                      f"发帖{last['posts']}条，涉及{last['threads']}个主题",
                         "detail_en": f"last week from {last['week_start']:%Y-%m-%d}: {W.plural(last['contributors'], 'active contributor')} "
                                      f"(baseline median {base:.0f}), {W.plural(last['posts'], 'post')} in {W.plural(last['threads'], 'thread')}"})
    if k is not None:
        before = float(np.mean([w["contributors"] for w in weeks[:k]]))
        after = float(np.mean([w["contributors"] for w in weeks[k:]]))
        res.evidence.append({"part": "activity", "subject": f"{weeks[k]['week_start']:%Y-%m-%d}", "value": shift,
                             "detail_zh": f"拐点：{weeks[k]['week_start']:%Y-%m-%d}起每周活跃贡献者均值{after:.0f}人，此前{before:.0f}人（{shift:+.1f}σ）",
                             "detail_en": f"change point: from {weeks[k]['week_start']:%Y-%m-%d} {W.plural(round(after), 'active contributor')} a week on average, "
                                          f"{before:.0f} before ({shift:+.1f} sd)"})


def _duplicate_groups(store, ts, win: int, nb: int, top: int, res: FamilyResult) -> None:
    """Drill-down of homogenisation: the largest groups of the window's near-duplicates, each under the earliest item
    it repeats (the same keys and look-back as the part's share), with the latest repeat as the example."""
    groups = store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}),
        b AS (SELECT d.content_id, d.created_at, d.key FROM _risk_dupkeys d JOIN p USING (content_id)
              WHERE d.created_at >= $ts::TIMESTAMPTZ - to_days($w + 7 * $nb + 60) AND p.created_at >= $ts::TIMESTAMPTZ - to_days($w + 7 * $nb + 60)),
        r AS (SELECT * FROM b WHERE created_at >= $ts::TIMESTAMPTZ - to_days($w)),
        -- Only keys a recent post carries can make it a repeat (a key with one carrier never does): no need for the shared set.
        f AS (SELECT key, min(created_at) AS first_at, arg_min(content_id, (created_at, content_id)) AS first_id FROM b
              WHERE key IN (SELECT key FROM r) GROUP BY key),
        d AS (SELECT r.content_id, any_value(r.created_at) AS seen_at, arg_min(f.first_id, (f.first_at, f.first_id)) AS original
              FROM r JOIN f USING (key) WHERE r.created_at > f.first_at GROUP BY 1)
        SELECT original, count(*) AS n, arg_max(content_id, (seen_at, content_id)) AS example_id FROM d
        GROUP BY 1 ORDER BY n DESC, original LIMIT $top""", {"ts": ts, "w": win, "nb": nb, "top": top})
    for g in groups:
        res.evidence.append({"part": "homogenisation", "subject": g["original"], "content_id": g["example_id"], "value": g["n"],
                             "detail_zh": f"近{win}天{g['n']}条帖子与更早的{g['original']}近乎重复，例如{g['example_id']}",
                             "detail_en": f"{W.plural(g['n'], 'post')} in the last {W.plural(win, 'day')} nearly {'repeats' if g['n'] == 1 else 'repeat'} "
                                          f"the earlier {g['original']}, e.g. {g['example_id']}"})


def circle_cusum(store, ts, c: dict) -> dict[str, tuple[float, int, float]]:
    """Per group: (decline CUSUM over the last ``circle_cusum_days``, days of its current run of evidence (all the days
    it covered when it stands at 0), fall of those days' mean below the baseline), the baseline being the ``circle_cusum_baseline_days`` before them (shorter while history is short).

    The daily counts are ``circle_cusum_stream``: ``members`` = every act (post anywhere, like, bookmark, share,
    check-in, ...) of the group's members, a member belonging to the group they posted in most over the whole window
    (a cooling circle's members do less of everything, so their acts carry the same signal at several times the
    volume of the group's posts); ``posts`` = the posts made in the group."""
    run_days, base_days = int(c["circle_cusum_days"]), int(c["circle_cusum_baseline_days"])
    min_base = int(c["circle_min_periods"]) * int(c["circle_recent_days"])
    stream = str(c["circle_cusum_stream"])
    if stream not in ("posts", "members"):
        raise InvalidParameterError("risks.circle_cusum_stream", stream, "'members' or 'posts'")
    day = "CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(created_at)) / 86400) AS BIGINT)"
    window = "created_at >= $ts::TIMESTAMPTZ - to_days($span) AND created_at < $ts::TIMESTAMPTZ"
    judged = "group_id IS NOT NULL AND group_id NOT IN (SELECT group_id FROM groups_at($ts) WHERE list_contains($skip, kind))"
    if stream == "posts":
        daily_sql = f"SELECT group_id, {day} AS k, count(*) AS n FROM p WHERE {judged} AND {window} GROUP BY 1, 2"
    else:
        # Home group = most posts in the window (ties to the smaller id, so the choice does not depend on scan order).
        daily_sql = f"""SELECT h.group_id, a.k, count(*) AS n FROM (
                SELECT author_id AS m, {day} AS k FROM p WHERE {window}
                UNION ALL
                SELECT actor_id, {day} FROM interactions_at($ts) WHERE {window}) a
            JOIN (SELECT author_id, arg_min(group_id, (-n, group_id)) AS group_id
                  FROM (SELECT author_id, group_id, count(*) AS n FROM p WHERE {judged} AND {window} GROUP BY 1, 2) GROUP BY 1) h
              ON h.author_id = a.m
            GROUP BY 1, 2"""
    rows = store.fetch_all(f"""WITH p AS ({MEMBER_POSTS}), d AS ({daily_sql})
        SELECT group_id, list(k), list(n), (SELECT floor((epoch($ts::TIMESTAMPTZ) - epoch(min(created_at))) / 86400) FROM p) FROM d GROUP BY 1""",
                           {"ts": ts, "span": run_days + base_days, "skip": list(c["circle_skip_kinds"])})
    out = {}
    for group_id, ks, ns, history in rows:
        history = int(history or 0)
        # While history is short the run shrinks first (the baseline must stay long enough to know the circle's pace).
        run = min(run_days, history - min_base)
        if run < int(c["circle_recent_days"]):
            continue
        daily = np.zeros(run_days + base_days)
        ks, ns = np.asarray(ks, dtype=int), np.asarray(ns, dtype=float)
        inside = ks < len(daily)  # a post exactly span days before ts falls on day index span: outside the window
        daily[ks[inside]] = ns[inside]  # index 0 = the day just before ts
        recent, base = daily[:run][::-1], daily[run:min(run + base_days, history)]
        rate = float(base.mean())
        if rate * int(c["circle_recent_days"]) < float(c["circle_min_posts"]):
            continue
        phi = float(base.var(ddof=1) / rate) if len(base) > 1 else 1.0
        cs, falling = decline_run(recent, rate, shift=float(c["circle_cusum_shift"]), dispersion=phi)
        # The days the evidence has been piling up are the decline the texts quote (a longer window's mean can sit above
        # the baseline when the fall began late in it); without evidence, the whole run.
        days = falling or run
        out[group_id] = (round(cs, 2), days, 1 - float(recent[-days:].mean()) / rate)
    return out
