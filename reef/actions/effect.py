"""What did an action do? Matched difference-in-differences for operator actions (``reef effect``).

For every member who got an action of one kind (their first one, ``cancelled`` ones aside) the
*pre* window (``effect.pre_days`` before the action's day) and the *post* window
(``effect.window_days`` from it) are counted: threads (发帖), replies (回帖) and both, per week.
Each treated member is matched to ``effect.matches`` members who got no action of that kind (and
no other action around it): same ladder stage at that day (exact), nearest in log tenure and log
pre-window threads and replies (within the calipers; ties broken at random with ``effect.seed``).
The effect is the mean over treated members of (their post - pre change) minus (their controls'
mean change), with a percentile bootstrap over treated members (or a t interval). When the
ladder has run, stage movement over the window is compared the same way.

Only actions whose whole post window lies before ``as_of`` count (the others, and actions left out for
another reason, are counted by reason with the day each too recent one becomes measurable); content is read through
``content_at(as_of)``, so the answer is what could have been known then. The parameters and those
reads are in :mod:`reef.actions.effect_data`; this module matches, estimates and words the answer.

Example:
    >>> from reef.store import open_store
    >>> action_effect(open_store(":memory:"), "recognise")["n_treated"]
    0
"""
from __future__ import annotations

from typing import Any

import numpy as np

from reef.actions.effect_data import DAY, OUTCOMES, _activity, _busy, _recorded, _sort_actions, counted_members, effect_params, stage_reader
from reef.errors import InvalidParameterError
from reef.i18n import plural
from reef.store.asof import local_iso

__all__ = ["action_effect", "EFFECT_COUNTS"]

# The effect's counts as `reef effect` names them (zh, en); stage_source's values too (JSON keeps the keys).
EFFECT_COUNTS: dict[str, tuple[str, str]] = {
    "topic": ("话题", "topic"), "n_actions": ("行动数", "actions"), "n_treated": ("受行动成员", "members acted on"),
    "n_controls": ("匹配的对照成员", "matched controls"), "n_unmatched": ("未匹配成员", "unmatched members"),
    "n_too_recent": ("太新无法评估", "too recent to judge"), "stage_source": ("阶段匹配", "stage matching"),
    "ladder": ("按成长阶梯", "by ladder stage"), "none": ("未按阶段（未运行成长阶梯）", "none (ladder not run)"),
}

_SUBJECT = {"recognise": ("被表彰成员", "Recognised members"), "invite": ("被邀请成员", "Invited members"),
            "appoint_leader": ("被任命为组长的成员", "Members appointed group leader"),
            "add_to_team": ("加入项目团队的成员", "Members added to a project team"),
            "seat_council": ("进入顾问团的成员", "Members seated on the council"),
            "assign_task": ("被分派任务的成员", "Members given a task"),
            "seed": ("受邀播种话题的成员", "Members asked to seed a topic")}


def _match(x_t: np.ndarray, x_c: np.ndarray, k: int, rng) -> list[np.ndarray]:
    """Indices into ``x_c`` of up to ``k`` nearest controls within distance 1 (caliper units) per treated row."""
    from scipy.spatial import cKDTree

    if not len(x_c):
        return [np.array([], dtype=np.int64) for _ in x_t]
    jitter = rng.uniform(0, 1e-6, size=x_c.shape)  # random order among equally near controls
    dist, idx = cKDTree(x_c + jitter).query(x_t, k=min(k, len(x_c)), distance_upper_bound=1.0 + 1e-5)
    idx = idx.reshape(len(x_t), -1)
    return [row[row < len(x_c)] for row in idx]


def _interval(d: np.ndarray, p, rng) -> dict[str, Any]:
    from scipy import stats

    n, level = len(d), float(p["confidence"])
    est = float(d.mean()) if n else None
    if n < 2:
        return {"estimate": est, "ci_low": None, "ci_high": None, "p_value": None, "significant": False}
    se = float(d.std(ddof=1) / np.sqrt(n))
    p_value = float(2 * stats.t.sf(abs(est) / se, n - 1)) if se > 0 else (0.0 if est else 1.0)
    if p["ci_method"] == "t":
        half = float(stats.t.ppf(0.5 + level / 2, n - 1) * se)
        lo, hi = est - half, est + half
    else:
        means = np.concatenate([d[rng.integers(0, n, size=(min(200, p["bootstrap_reps"] - b), n))].mean(axis=1)
                                for b in range(0, int(p["bootstrap_reps"]), 200)])
        lo, hi = (float(v) for v in np.quantile(means, [(1 - level) / 2, (1 + level) / 2]))
    return {"estimate": est, "ci_low": lo, "ci_high": hi, "p_value": p_value, "significant": bool(lo > 0 or hi < 0)}


def _fmt(x: float, digits: int) -> str:
    return f"{x:.{digits}f}"


# The reasons of reef.actions.effect_data.LEFT_OUT in the operator's words.
_LEFT_OUT_WORDS = {"too_recent": ("观察期未满", "too recent"), "cancelled": ("已取消", "cancelled"),
                   "no_member": ("未指定成员", "naming no member"), "repeat": ("同一成员的后续记录", "repeated for the same member"),
                   "not_a_member": ("非普通成员账号", "for a staff or brand account"),
                   "joined_after": ("成员当天或之后才加入", "for a member who joined that day or later"),
                   "unmatched": ("找不到可比对照", "without a comparable control")}


def _left_out(n_recorded: int, left: dict[str, int], recent: list[tuple], win: float, zone: str) -> dict[str, Any]:
    """The actions recorded but not among the matched treated: counts per reason, and each too recent action with the
    day from which it can be measured (``--as-of`` that day: its window then lies before as_of)."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    day = lambda e: datetime.fromtimestamp(e, timezone.utc).astimezone(ZoneInfo(str(zone))).date().isoformat()  # noqa: E731
    rows = [{"action_id": a, "action_day": day(d), "measurable_from": day(d + win), "recorded_after_as_of": after}
            for a, d, after in sorted(recent, key=lambda r: r[1])]
    return {"n_recorded": n_recorded, "left_out": left, "too_recent": rows,
            "measurable_from": rows[0]["measurable_from"] if rows else None}


def _left_out_note(res: dict[str, Any], lang: str) -> str | None:
    """One line under the table: how many actions were not counted and why; None when every action was."""
    parts = [(k, n) for k, n in res["left_out"].items() if n]
    if not parts:
        return None
    en = lang == "en"
    when = res["measurable_from"]
    words = [f"{n} {_LEFT_OUT_WORDS[k][1]}" + (f" (the first measurable from {when})" if k == "too_recent" else "")
             if en else f"{_LEFT_OUT_WORDS[k][0]} {n} 条" + (f"（最早 {when} 起可评估）" if k == "too_recent" else "")
             for k, n in parts]
    total = sum(n for _, n in parts)
    if en:
        return f"{total} of {plural(res['n_recorded'], 'recorded action')} not counted: " + ", ".join(words) + "."
    return f"已记录 {res['n_recorded']} 条中有 {total} 条未计入：" + "，".join(words) + "。"


def _summary(kind: str, head: dict[str, Any], res: dict[str, Any], p) -> tuple[str, str]:
    from reef.actions.kinds import ACTION_KINDS

    label = ACTION_KINDS.get(kind, (kind, kind))
    subj = _SUBJECT.get(kind, (f"获得「{label[0]}」的成员", f"Members given '{label[1]}'"))
    if res["topic"] is not None:  # only seed actions have a topic: 受邀播种话题「续航」的成员
        t = res["topic"]
        label = (f"{label[0]}（话题：{t}）", f"{label[1]} (topic: {t})")
        subj = (f"受邀播种话题「{t}」的成员", f"Members asked to seed the topic '{t}'")
    w, pct = p["window_days"], round(float(p["confidence"]) * 100)
    what = OUTCOMES[p["outcome"]]
    if head is None or head["estimate"] is None:
        return (f"没有可评估的「{label[0]}」记录：需要满{w}天观察期且能匹配到对照的成员（共 {res['n_actions']} 条记录）。",
                f"Nothing to evaluate for '{label[1]}': no member with a full {w}-day window and a match "
                f"({plural(res['n_actions'], 'action')}).")
    est, lo, hi = head["estimate"], head["ci_low"], head["ci_high"]
    digits = 1 if max(abs(v) for v in (est, lo or 0, hi or 0)) >= 1 else 2  # one precision for the whole sentence
    ci_zh = f" ({pct}%置信区间 {_fmt(lo, digits)}–{_fmt(hi, digits)})" if lo is not None else ""
    ci_en = f" ({pct}% CI {_fmt(lo, digits)} to {_fmt(hi, digits)})" if lo is not None else ""
    more_zh = f"多 +{_fmt(est, digits)}" if est >= 0 else f"少 {_fmt(-est, digits)}"
    more_en = f"{_fmt(abs(est), digits)} {what[1]}/week {'more' if est >= 0 else 'fewer'}"
    verdict_zh = ("效果可信。" if head["significant"] else "置信区间包含0，尚不能确认有效果。")
    verdict_en = ("The effect is credible." if head["significant"] else "The interval covers 0: no effect can be confirmed.")
    n_zh = f"处理组 {res['n_treated']} 人，匹配对照 {res['n_controls']} 人"
    n_en = f"{res['n_treated']} treated, {plural(res['n_controls'], 'matched control')}"
    stage_zh = "" if res["stage_source"] == "ladder" else "（未运行成长阶梯，未按阶段匹配）"
    stage_en = "" if res["stage_source"] == "ladder" else " (ladder not run: not matched on stage)"
    return (f"{subj[0]}其后{w}天{what[0]}比匹配对照{more_zh}/周{ci_zh}；{n_zh}{stage_zh}。{verdict_zh}",
            f"{subj[1]} posted {more_en} than matched controls over the next {plural(w, 'day')}{ci_en}; {n_en}{stage_en}. {verdict_en}")


def action_effect(store, action: str = "recognise", *, window_days: int | None = None, pre_days: int | None = None,
                  outcome: str | None = None, as_of: Any = None, config=None, seed: int | None = None,
                  lang: str = "zh", topic: str | None = None) -> dict[str, Any]:
    """Effect of actions of kind ``action`` on activity (per week) and stage movement, vs matched controls.

    Returns counts (``n_actions``, ``n_treated``, ``n_controls``, ``n_unmatched``, ``n_too_recent``),
    ``outcomes`` (threads, replies, content and, with the ladder, stage_change and promoted: treated
    and control means before/after, ``estimate``, ``ci_low``, ``ci_high``, ``p_value``), the headline
    ``estimate``/``ci_low``/``ci_high``, covariate ``balance`` and ``summary`` (``lang``; both in
    ``summary_zh`` and ``summary_en``), what was recorded but not counted (``n_recorded``, ``left_out`` per reason,
    ``too_recent`` with each one's ``measurable_from``, the earliest ``measurable_from``, ``left_out_note`` in ``lang``)
    and ``warning`` when ``as_of`` lies outside the data (:func:`reef.store.coverage.coverage_warning`), else None.
    ``topic`` (``action="seed"`` only): measure only the seed actions recorded with that topic (``attrs.topic``, exact:
    "did seeding topic X work?"); members seeded on another topic are still never controls. Echoed as ``topic``.
    """
    from reef.actions.cutoff import action_cutoff
    from reef.actions.kinds import ACTION_KINDS
    from reef.analyses.runner import resolve_as_of
    from reef.i18n import check_lang

    if action not in ACTION_KINDS:
        raise InvalidParameterError("action", action, "one of " + ", ".join(ACTION_KINDS))
    topic = (topic or "").strip() or None
    if topic is not None and action != "seed":  # as record_action refuses a topic on any other kind
        raise InvalidParameterError("topic", topic, f"no topic for '{action}' actions: only seed actions have one")
    lang = check_lang(lang)  # fr is refused, not answered in Chinese
    p = effect_params(store, config, {"window_days": window_days, "pre_days": pre_days, "outcome": outcome, "seed": seed})
    moment = resolve_as_of(store, as_of)
    end = moment.timestamp()
    rng = np.random.default_rng(int(p["seed"]))
    mem = counted_members(store, moment)
    index = mem["index"]
    cutoff = action_cutoff(store, as_of)  # to the present at the data's end: what was recorded, cancelled or withdrawn since
    ever, others = _busy(store, moment, action, index, cutoff)
    other_who = np.array([w for w, _ in others], dtype=np.int64)
    other_at = np.array([e for _, e in others], dtype=float)
    stage_at, ladder_end = stage_reader(store, moment, len(index))
    win, pre = p["window_days"] * DAY, p["pre_days"] * DAY
    recorded = _recorded(store, action, moment, cutoff, topic)
    sorted_ = _sort_actions(recorded, index, mem["joined"], end, win)
    actions, eligible, left = sorted_["actions"], sorted_["eligible"], sorted_["left_out"]
    days = np.unique(np.array([d for _, d in eligible], dtype=float))
    act = _activity(store, moment, days, p)
    with_stage = stage_at is not None and ladder_end is not None and all(d + win <= ladder_end + 1 for d in days)
    scale = np.array([p["caliper_tenure"]] + [p["caliper_activity"]] * 3, dtype=float)
    rows_t, rows_c, cov_t, cov_all, used = [], [], [], [], set()
    for d in days.tolist():
        tenure = (d - mem["joined"]) / DAY
        alive = (mem["joined"] < d) & (mem["left"] >= d)
        exposure = np.clip(tenure, 1.0, p["pre_days"]) / 7.0  # weeks of pre window the member existed for
        c, on_day = np.zeros((len(index), 6)), act["d"] == d
        c[act["idx"][on_day], act["slot"][on_day]] = act["n"][on_day]
        weeks = p["window_days"] / 7.0
        rates = np.column_stack([c[:, 0] / exposure, (c[:, 1] + c[:, 2]) / exposure, c[:, 3] / weeks, (c[:, 4] + c[:, 5]) / weeks])
        full = p["pre_days"] / 7.0 / exposure  # pre counts scaled to a whole pre window, for young members
        # Answers apart from other replies: helping newcomers is what lifts a member to the connector stage.
        x = np.column_stack([np.log1p(np.maximum(tenure, 0)), np.log1p(c[:, 0] * full), np.log1p(c[:, 1] * full),
                             np.log1p(c[:, 2] * full)]) / scale
        stage = stage_at(d) if stage_at is not None else np.full(len(index), -1.0)
        after = stage_at(d + win) if with_stage else np.full(len(index), np.nan)
        pool = alive & ~ever
        pool[other_who[(other_at >= d - pre) & (other_at < d + win)]] = False  # another action muddies a control
        treated = np.array(sorted(i for i, dd in eligible if dd == d), dtype=np.int64)
        cov_all.append(x[pool] * scale)
        for s in np.unique(stage[treated]):
            t_s = treated[stage[treated] == s]
            c_s = np.flatnonzero(pool & (stage == s))
            for i, matched in zip(t_s, _match(x[t_s], x[c_s], int(p["matches"]), rng)):
                if not len(matched):
                    continue
                j = c_s[matched]
                used.update(j.tolist())
                rows_t.append(np.r_[rates[i], stage[i], after[i]])
                rows_c.append(np.r_[rates[j].mean(axis=0), stage[j].mean(), after[j].mean()])
                cov_t.append((x[i] * scale, (x[j] * scale).mean(axis=0)))
    T, C = np.array(rows_t).reshape(-1, 6), np.array(rows_c).reshape(-1, 6)
    res: dict[str, Any] = {
        "action": action, "label_zh": ACTION_KINDS[action][0], "label_en": ACTION_KINDS[action][1], "topic": topic,
        "as_of": local_iso(moment, store.config.get("general.timezone")), "window_days": p["window_days"], "pre_days": p["pre_days"], "outcome": p["outcome"],
        "n_actions": len(actions), "n_treated": len(T), "n_controls": len(used),
        "n_unmatched": len(eligible) - len(T), "n_too_recent": left["too_recent"],
        "n_ineligible": left["not_a_member"] + left["joined_after"], "matches_per_treated": int(p["matches"]),
        "stage_source": "ladder" if stage_at is not None else "none",
        "method": {"design": "matched difference in differences", "ci_method": p["ci_method"],
                   "confidence": float(p["confidence"]), "bootstrap_reps": int(p["bootstrap_reps"]), "seed": int(p["seed"]),
                   "caliper_tenure": float(p["caliper_tenure"]), "caliper_activity": float(p["caliper_activity"])},
    }
    outcomes = []
    res["balance"] = None  # always present (null: nobody was matched), so the JSON keys do not change with the data
    if len(T):
        series = {"threads": (0, 2), "replies": (1, 3)}
        for name, (a, b) in series.items():
            diff = (T[:, b] - T[:, a]) - (C[:, b] - C[:, a])
            outcomes.append({"outcome": name, "unit": "per_week", "treated_pre": float(T[:, a].mean()),
                             "treated_post": float(T[:, b].mean()), "control_pre": float(C[:, a].mean()),
                             "control_post": float(C[:, b].mean()), **_interval(diff, p, np.random.default_rng(int(p["seed"])))})
        both = lambda M, a, b: M[:, a] + M[:, b]  # noqa: E731
        diff = (both(T, 2, 3) - both(T, 0, 1)) - (both(C, 2, 3) - both(C, 0, 1))
        outcomes.append({"outcome": "content", "unit": "per_week", "treated_pre": float(both(T, 0, 1).mean()),
                         "treated_post": float(both(T, 2, 3).mean()), "control_pre": float(both(C, 0, 1).mean()),
                         "control_post": float(both(C, 2, 3).mean()), **_interval(diff, p, np.random.default_rng(int(p["seed"])))})
        if with_stage:
            for name, f in (("stage_change", lambda M: M[:, 5] - M[:, 4]), ("promoted", lambda M: (M[:, 5] > M[:, 4]) * 1.0)):
                outcomes.append({"outcome": name, "unit": "stages" if name == "stage_change" else "share",
                                 "treated_post": float(f(T).mean()), "control_post": float(f(C).mean()),
                                 **_interval(f(T) - f(C), p, np.random.default_rng(int(p["seed"])))})
        XT, XM = np.array([a for a, _ in cov_t]), np.array([b for _, b in cov_t])
        pool = np.concatenate(cov_all)
        sd = lambda a, b: np.sqrt((a.var(axis=0) + b.var(axis=0)) / 2) + 1e-12  # noqa: E731
        res["balance"] = [{"covariate": name, "smd_before": float((XT[:, k].mean() - pool[:, k].mean()) / sd(XT, pool)[k]),
                           "smd_after": float((XT[:, k].mean() - XM[:, k].mean()) / sd(XT, XM)[k])}
                          for k, name in enumerate(("log_tenure", "log_pre_threads", "log_pre_replies", "log_pre_answers"))]
    res["outcomes"] = outcomes
    left["unmatched"] = res["n_unmatched"]
    res.update(_left_out(len(recorded), left, sorted_["too_recent"], win, store.config.get("general.timezone")))
    head = next((o for o in outcomes if o["outcome"] == p["outcome"]), None)
    res.update({k: (head or {}).get(k) for k in ("estimate", "ci_low", "ci_high", "p_value", "significant")})
    res["summary_zh"], res["summary_en"] = _summary(action, head, res, p)
    res["summary"] = res["summary_en"] if lang == "en" else res["summary_zh"]
    res["left_out_note"] = _left_out_note(res, lang)
    from reef.store.coverage import coverage_warning  # as_of outside the data: both windows may hold nothing

    res["warning"] = coverage_warning(store, moment, config, lang)
    return res
