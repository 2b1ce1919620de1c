"""Core burnout (热寂 · 核心倦怠): core members far below their own pace, and who is likely to drop.

For every current core member with ``burnout_min_baseline_posts`` in their baseline, the expected
posts of the last ``burnout_recent_days`` come from their own rate in the ``burnout_baseline_days``
before, scaled down when the whole community was quieter than before (holidays slow everyone down). The *surprise*
(-log10 p) is the larger of "so few posts" (Poisson) and "silent this long" (exp(-rate x days)).
Members at ``burnout_watch_surprise`` are listed as evidence (the watch list); at
``burnout_alert_surprise`` each raises an alert. The part scores how many core members are on the
watch list against the number chance alone would put there.

Core members are also judged on *active days*: a day counts when they wrote or did anything
(posts, likes, bookmarks, shares, check-ins, votes — the ``interactions`` they made). Their share of
active baseline days q (community pace applied) makes "only a of the last w days active" a binomial
tail, tested for every w in ``burnout_activity_windows`` and, with ``burnout_idle_run``, for the current run of idle
days (the smallest w that covers the collapse wins): someone active nearly every day who goes quiet for five days is far more surprising than
five days without a post. The member's surprise is the larger of the tests. With ``burnout_silence_stream = "acts"``
the silence test of a core member counts every act, not only posts: the time since their last act of any kind against
their rate of acts (community pace applied), deflated by how bunched the core's daily acts are (the median
variance/mean of their daily counts, at least 1), so a member who stops posting but still reads and likes is not
"silent", and one who stops everything is seen at the rate they used to act. Every listed member carries their
dropout probability from :mod:`reef.risks.hazard`, or "not enough history to estimate" when that model had too
little to learn from (never a 0 that only means "no data"); the "recently inactive" cohort (top quarter by
baseline posts, silent ``inactive_min_days``-``inactive_max_days``) is listed too.

Example:
    >>> from reef.risks.common import poisson_low_surprise
    >>> poisson_low_surprise(0, 7 * 0.66) > 1.9   # a week of silence from someone posting 0.66 a day
    True
"""
from __future__ import annotations

import math

from reef.errors import InvalidParameterError
from reef.risks.common import MEMBER_POSTS, FamilyResult, Part, poisson_high_surprise, poisson_low_surprises, ramp
from reef.risks.hazard import dropout_risk
from reef.risks.metrics import core_ids_sql
from reef.risks.wording import about, expected_by_chance, plural
from reef.lazy import lazy_module

stats = lazy_module("scipy.stats")

__all__ = ["burnout_part", "UNKNOWN_RISK"]


# Said instead of a percentage when the hazard model had too little history to learn from (see reef.risks.hazard).
UNKNOWN_RISK = ("流失风险：历史数据不足，暂无法估计", "dropout risk: not enough history to estimate")


# Where a member's odds go and what they say: beside the test that gave the member's surprise (zh, en).
_TESTS = {"few": ("（按其自身节奏，发帖这么少的偶然概率{odds}）", " (odds of so few posts at their own pace {odds})"),
          "silent": ("（按其自身节奏，这么久不发帖的偶然概率{odds}）", " (odds of so long without a post at their own pace {odds})"),
          "idle": ("（按其自身节奏，这么久没有任何动作的偶然概率{odds}）", " (odds of so long without any act at their own pace {odds})"),
          "days": ("近期有动作的天数远少于自身节奏（偶然概率{odds}）", "far fewer active days than their own pace (odds {odds})")}


def _recent_posts(n: int, days: int, ratio: float) -> tuple[str, str]:
    """The member's posts in the recent window as (zh, en), said as none rather than as "posted 0".

    >>> _recent_posts(0, 14, 0.0)
    ('近14天未发帖', 'no posts in the last 14 days')
    >>> _recent_posts(1, 14, 0.25)
    ('近14天发帖1条，约为自身节奏的25%', '1 post in the last 14 days, 25% of their usual pace')
    """
    if not n:
        return f"近{days}天未发帖", f"no posts in the last {plural(days, 'day')}"
    return f"近{days}天发帖{n}条，约为自身节奏的{ratio:.0%}", f"{plural(n, 'post')} in the last {plural(days, 'day')}, {ratio:.0%} of their usual pace"


def _last_post(days: float) -> tuple[str, str]:
    """When the member last posted as (zh, en).

    >>> _last_post(20.2), _last_post(0.3)
    (('上次发帖在20天前', 'last post 20 days ago'), ('上次发帖在今天', 'last post today'))
    """
    n = round(days)
    return ("上次发帖在今天", "last post today") if n < 1 else (f"上次发帖在{n}天前", f"last post {plural(n, 'day')} ago")


def _risk_text(p_drop: float | None) -> tuple[str, str]:
    """The member's dropout risk as (zh, en): a percentage, or "not enough history" when unknown."""
    return UNKNOWN_RISK if p_drop is None else (f"流失风险{p_drop:.0%}", f"dropout risk {p_drop:.0%}")


def _members(store, ts, c: dict) -> list[dict]:
    # A baseline counts only days that could hold posts: after the data starts and after the member joined.
    return store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), core AS ({core_ids_sql(store)}),
        lim AS (SELECT $ts::TIMESTAMPTZ - to_days($recent) AS cut, greatest($ts::TIMESTAMPTZ - to_days($recent + $base),
                       (SELECT min(created_at) FROM p)) AS lo),
        r AS (SELECT author_id AS member_id,
                count(*) FILTER (WHERE created_at >= lim.cut) AS recent,
                count(*) FILTER (WHERE created_at < lim.cut) AS base,
                date_diff('second', greatest(lim.lo, coalesce(any_value(joined_at), lim.lo)), lim.cut) / 86400.0 AS base_days,
                date_diff('hour', max(created_at), $ts::TIMESTAMPTZ) / 24.0 AS silent_days
              FROM p, lim WHERE created_at >= lim.lo AND left_at IS NULL GROUP BY author_id, lim.cut, lim.lo),
        q AS (SELECT quantile_cont(base, 1 - $top) AS cut FROM r WHERE base > 0),
        pace AS (SELECT count(*) FILTER (WHERE created_at >= lim.cut) / $recent AS now,
                        count(*) FILTER (WHERE created_at < lim.cut) / greatest(date_diff('second', any_value(lim.lo), any_value(lim.cut)) / 86400.0, 1.0) AS before
                 FROM p, lim WHERE created_at >= lim.lo)
        SELECT r.*, r.member_id IN (SELECT member_id FROM core) AS is_core, r.base >= q.cut AS top,
               coalesce(pace.now / nullif(pace.before, 0), 1.0) AS community_pace
        FROM r, q, pace WHERE r.base >= $min_base AND r.base_days >= $recent""",
        {"ts": ts, "recent": int(c["burnout_recent_days"]), "base": int(c["burnout_baseline_days"]), "min_base": int(c["burnout_min_baseline_posts"]),
         "core_stage": int(c["core_min_stage"]), "top": float(c["inactive_top_share"])})


def _active_days(store, ts, c: dict) -> dict[str, tuple[dict[int, int], float]]:
    """Core member -> (acts per day, as whole days back from ``ts`` (0 = last 24 h); days since their last act).
    Acts are their posts and the interactions they made."""
    rows = store.fetch_all(f"""
        WITH core AS ({core_ids_sql(store)}),
        a AS (SELECT author_id AS m, created_at FROM ({MEMBER_POSTS}) WHERE created_at >= $ts::TIMESTAMPTZ - to_days($span) AND created_at < $ts::TIMESTAMPTZ
              UNION ALL
              SELECT actor_id, created_at FROM interactions_at($ts)
              WHERE created_at >= $ts::TIMESTAMPTZ - to_days($span) AND created_at < $ts::TIMESTAMPTZ),
        d AS (SELECT m, CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(created_at)) / 86400) AS INT) AS day, count(*) AS n,
                     min(epoch($ts::TIMESTAMPTZ) - epoch(created_at)) / 86400.0 AS age
              FROM a WHERE m IN (SELECT member_id FROM core) GROUP BY 1, 2)
        SELECT m, list(day), list(n), min(age) FROM d GROUP BY m""",
        {"ts": ts, "span": int(c["burnout_recent_days"]) + int(c["burnout_baseline_days"]), "core_stage": int(c["core_min_stage"])})
    return {m: (dict(zip(days, counts)), float(age)) for m, days, counts, age in rows}


def _baseline_moments(acts: dict[int, int], r: dict, c: dict) -> tuple[float, float]:
    """Mean and sample variance of the member's acts per baseline day (days without acts count as 0)."""
    recent = int(c["burnout_recent_days"])
    n = int(float(r["base_days"]))
    x = [k for d, k in acts.items() if recent <= d < recent + n]
    if n < 2:
        return (sum(x) / n if n else 0.0), 0.0
    mean = sum(x) / n
    return mean, max(sum(k * k for k in x) - n * mean * mean, 0.0) / (n - 1)


def _dispersion(active: dict, rows: list[dict], c: dict) -> float:
    """How bunched the core's acts are: the median variance/mean of members' daily act counts over their baselines
    (1 for independent acts, more when acts come in bursts; never below 1)."""
    ratios = []
    for r in rows:
        got = active.get(r["member_id"])
        if r["is_core"] and got:
            mean, var = _baseline_moments(got[0], r, c)
            if mean > 0:
                ratios.append(var / mean)
    ratios.sort()
    return max(1.0, ratios[len(ratios) // 2]) if ratios else 1.0


def _act_silence_surprise(acts: dict[int, int], idle_days: float, r: dict, pace: float, dispersion: float, c: dict) -> float:
    """-log10 P(no act for ``idle_days``) at the member's baseline rate of acts (pace applied, divided by ``dispersion``)."""
    return _baseline_moments(acts, r, c)[0] * pace / dispersion * idle_days / math.log(10)


def _day_surprises(active: dict, rows: list[dict], c: dict) -> dict[str, float]:
    """Core member -> binomial surprise of so few active days in the last w days, for the most telling w in
    ``burnout_activity_windows``, against the member's baseline share of active days (community pace applied).
    One scipy call for every member and window: one call per member cost seconds at a million members."""
    recent = int(c["burnout_recent_days"])
    windows = [int(w) for w in c.get("burnout_activity_windows") or ()]
    idle_run = bool(c.get("burnout_idle_run"))
    who, hits, tries, share = [], [], [], []
    for r in rows:
        base_n = int(float(r["base_days"]))
        if not (windows and r["is_core"] and r["member_id"] in active) or base_n < recent:
            continue
        days = active[r["member_id"]][0]
        pace = min(max(float(r["community_pace"]), 0.3), 1.0)
        q = (sum(recent <= d < recent + base_n for d in days) + 0.5) / (base_n + 1.0)
        q = 1.0 - (1.0 - q) ** pace  # a quieter community (pace < 1) lowers everyone's chance of an active day
        for w in windows:
            who.append(r["member_id"]); hits.append(sum(d < w for d in days)); tries.append(w); share.append(q)
        run = min(days) if days else 0  # whole days with no act right before ts
        if idle_run and 0 < run <= max(windows):
            # The current run of idle days as its own window: a run of 6 is no longer judged as a window of 5.
            who.append(r["member_id"]); hits.append(0); tries.append(run); share.append(q)
    out: dict[str, float] = {}
    if who:
        # math.log10 per value, as the one-at-a-time test did: numpy's vector log10 can differ in the last bit.
        for m, p in zip(who, stats.binom.cdf(hits, tries, share).tolist()):
            out[m] = max(out.get(m, 0.0), -math.log10(max(p, 1e-300)))
    return out


def burnout_part(store, ts, c: dict, res: FamilyResult) -> None:
    """Core members cooling against their own pace (watch list, alerts) and the dropout hazard."""
    rows = _members(store, ts, c)
    recent_days = int(c["burnout_recent_days"])
    active = _active_days(store, ts, c) if rows and c.get("burnout_activity_windows") else {}
    stream = str(c["burnout_silence_stream"])
    if stream not in ("acts", "posts"):
        raise InvalidParameterError("risks.burnout_silence_stream", stream, "'acts' or 'posts'")
    acts_silence = stream == "acts"
    dispersion = _dispersion(active, rows, c) if acts_silence and active else 1.0
    hazard, model = dropout_risk(store, ts, c) if rows else ({}, None)
    watch_s, alert_s = float(c["burnout_watch_surprise"]), float(c["burnout_alert_surprise"])
    day_surprise = _day_surprises(active, rows, c)
    paces = [min(max(float(r["community_pace"]), 0.3), 1.0) for r in rows]
    few_posts = poisson_low_surprises([r["recent"] for r in rows],
                                      [r["base"] / float(r["base_days"]) * pace * recent_days for r, pace in zip(rows, paces)])
    core_n = watching = alerting = 0
    known = model is not None and model.known_
    expected_drop: float | None = 0.0 if known else None  # unknown, not 0, when the model had too little history
    for r, pace, few in zip(rows, paces, few_posts.tolist()):
        # A quieter community (holidays) lowers what is expected of everyone; a busier one raises nothing.
        rate = r["base"] / float(r["base_days"]) * pace
        silence = rate * float(r["silent_days"]) / math.log(10)
        idle, test = None, "silent"  # test: which test gave the surprise, for the text (the odds go beside it)
        if r["is_core"] and r["member_id"] in active:
            acts, idle = active[r["member_id"]]
            if acts_silence:  # silent = no act of any kind, at the member's rate of acts (not of posts)
                silence, test = _act_silence_surprise(acts, idle, r, pace, dispersion, c), "idle"
            if day_surprise.get(r["member_id"], 0.0) > silence:
                test = "days"
            silence = max(silence, day_surprise.get(r["member_id"], 0.0))
        surprise = max(few, silence)
        test = "few" if few >= silence else test
        ratio = r["recent"] / max(rate * recent_days, 1e-9)
        p_drop = hazard.get(r["member_id"], 0.0) if known else None
        core_n += bool(r["is_core"])
        if known and r["is_core"]:
            expected_drop += p_drop
        burning = bool(r["is_core"]) and surprise >= watch_s
        inactive = bool(r["top"]) and c["inactive_min_days"] <= r["silent_days"] <= c["inactive_max_days"]
        if not (burning or inactive):
            continue
        watching += burning
        odds_zh, odds_en = (form.format(odds=o) for form, o in zip(_TESTS[test], about(surprise)))
        tag = lambda t, w: w if test == t else ""  # noqa: E731  the odds beside the test that gave them
        idle_zh = f"，最近一次任何动作在{idle:.1f}天前{tag('idle', odds_zh)}" if idle is not None else ""
        idle_en = f", last act of any kind {idle:.1f} days ago{tag('idle', odds_en)}" if idle is not None else ""
        risk_zh, risk_en = _risk_text(p_drop)
        recent_zh, recent_en = _recent_posts(r["recent"], recent_days, ratio)
        last_zh, last_en = _last_post(float(r["silent_days"]))
        zh = (f"{'核心成员' if r['is_core'] else '高活跃成员'}{recent_zh}{tag('few', odds_zh)}；"
              f"{last_zh}{tag('silent', odds_zh)}{idle_zh}{tag('days', '；' + odds_zh)}；{risk_zh}")
        en = (f"{'core' if r['is_core'] else 'top'} member: {recent_en}{tag('few', odds_en)}; "
              f"{last_en}{tag('silent', odds_en)}{idle_en}{tag('days', '; ' + odds_en)}; {risk_en}")
        res.evidence.append({"part": "burnout" if burning else "recently_inactive", "subject": r["member_id"], "member_id": r["member_id"], "value": round(surprise, 2),
                             "detail_zh": zh, "detail_en": en})
        if burning and surprise >= alert_s:
            alerting += 1
            res.alerts.append({"part": "core_burnout", "subject": r["member_id"], "member_id": r["member_id"], "content_id": None,
                               "score": round(min(100.0, 60.0 + 40.0 * (surprise - alert_s) / max(alert_s, 1.0)), 1),
                               "message_zh": zh, "message_en": en})
    # Under no burnout at all, each core member reaches the watch level with p <= tests x 10^-watch (two post tests, one per window).
    tests = 2 + (len(c.get("burnout_activity_windows") or ()) + bool(c.get("burnout_idle_run")) if active else 0)
    chance = tests * core_n * 10 ** -watch_s
    excess = poisson_high_surprise(watching, chance) if watching else 0.0
    share = watching / max(core_n, 1)
    score = ramp(share, ok=c["burnout_share_ok"], bad=c["burnout_share_bad"]) * min(1.0, excess / float(c["part_surprise"]))
    horizon = c["hazard_horizon_days"]
    drop_zh, drop_en = UNKNOWN_RISK if expected_drop is None else (
        f"流失模型预计未来{horizon}天约{expected_drop:.1f}名核心成员沉默",
        f"the dropout model expects about {expected_drop:.1f} core members to go silent in {plural(horizon, 'day')}")
    res.parts.append(Part("burnout", round(share, 3), round(score, 1), round(chance, 2),
                          f"{watching}名核心成员明显降温（核心{core_n}人，{expected_by_chance(chance)[0]}），{alerting}人已达提醒级；{drop_zh}",
                          f"{plural(watching, 'core member')} cooling ({core_n} core, {expected_by_chance(chance)[1]}), {alerting} at alert level; {drop_en}"))
    if score >= c["alert_score"]:
        res.alerts.append({"part": "burnout", "subject": "core", "member_id": None, "content_id": None, "score": score,
                           "message_zh": res.parts[-1].note_zh, "message_en": res.parts[-1].note_en})
