"""The crisis alarm outside the 危机室: one alert per aspect whose negative wave is alarmed now.

Read from ``crisis_daily`` (written by the same detector as the room): an aspect is alarmed when its last day (the
day the ``kb_crisis`` run fell in) alarmed. Its **episode** is the wave: the first alarm of the run of consecutive
alarmed days up to now, so the same wave day after day is one alert and a wave that calmed and came back is a new
one. **Severity** is ``high`` when the day's ratio over its baseline reaches ``kb.crisis_alert_high_ratio`` and its
p-value is below ``kb.crisis_alert_high_p``, else ``medium``: a wave that grows from medium to high is new again
(the alert delivery's own rule, :mod:`reef.risks.delivery_state`). The rows have the risk alerts' shape (``alert_key``
``crisis:<aspect>``, ``family`` and ``part`` the wave's name in ``lang``, ``score`` -log10 p capped at 100), so ``reef alerts``, the group-chat robots and 今日 list
them with the radar's alerts; they are never part of the radar's scores. They follow the radar's moment: given
``as_of`` (the radar's), they are listed only when the last ``kb_crisis`` run was at that same moment
(:func:`crisis_behind` says when it was not), so a back-dated ``reef crisis --as-of`` is never sent as live next to
the radar's alerts of another day. An alarmed aspect whose negative posts that
day are mostly (``kb.crisis_side_tag_share``) a stronger alarmed aspect's is a side tag of the same wave: no alert of
its own, the lead's evidence names it.

Example:
    >>> from reef.store import open_store
    >>> crisis_alerts(open_store(":memory:"))
    []
"""
from __future__ import annotations

import math
import urllib.parse
from datetime import datetime

from reef.i18n import plural
from reef.kb.crisis import ALL

__all__ = ["crisis_alerts", "crisis_behind", "lead_rows", "FAMILY", "p_text", "shown_ratio", "window_words"]

FAMILY = ("负面声浪", "Negative wave")


def p_text(value: float) -> str:
    """A p-value as people read it: two significant digits (``5.4e-21``), never 18 (alerts and ``reef crisis``)."""
    return f"{value:.1e}" if value < 0.001 else f"{value:.3f}"


def shown_ratio(observed, baseline) -> tuple[float, float]:
    """The baseline and the ratio as the crisis room shows them (:func:`reef.kb.room.crisis_report`: two decimals, the
    ratio computed on the unrounded baseline), so "是平常（2.25）的 6.67 倍" agrees with the room and with 15 / 2.25;
    one decimal each ("2.2", "6.7") read as 15 / 2.2 = 6.8.

    >>> shown_ratio(15, 2.2496)
    (2.25, 6.67)
    """
    base = float(baseline)
    return round(base, 2), round(float(observed) / max(base, 1e-9), 2)


def window_words(row: dict, zone: str | None) -> tuple[str, str]:
    """Which window a ``crisis_daily`` row's counts cover, in (zh, en) operator words: ``当天`` / ``that day`` when it is
    the calendar day, else ``过去 24 小时（05-10 10:00 至 05-11 10:00）`` (the day as_of falls in: the trailing window).

    >>> import pandas as pd
    >>> day = pd.Timestamp("2026-05-10T16:00Z")
    >>> window_words({"day": day, "window_start": day, "window_end": day + pd.Timedelta(hours=24)}, "Asia/Shanghai")[0]
    '当天'
    >>> window_words({"day": day, "window_start": day - pd.Timedelta(hours=14), "window_end": day + pd.Timedelta(hours=10)},
    ...              "Asia/Shanghai")
    ('过去 24 小时（05-10 10:00 至 05-11 10:00）', 'in the last 24 hours (05-10 10:00 to 05-11 10:00)')
    """
    import pandas as pd

    from reef.store.coverage import local_time

    start, end = row.get("window_start"), row.get("window_end")
    if start is None or end is None or pd.isna(start) or pd.Timestamp(start) == pd.Timestamp(row["day"]):
        return "当天", "that day"  # a crisis_daily written before the window columns counted the calendar day
    hours = round((pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() / 3600)
    a, b = (local_time(pd.Timestamp(x).to_pydatetime(warn=False), zone, "%m-%d %H:%M") for x in (start, end))
    return f"过去 {hours} 小时（{a} 至 {b}）", f"in the last {plural(hours, 'hour')} ({a} to {b})"


def crisis_behind(store, as_of) -> datetime | None:
    """The as_of ``crisis_daily`` holds (the last successful ``kb_crisis`` run's) when it is not ``as_of``, else None
    (also None when either is unknown)."""
    from reef.store.coverage import analysis_as_of

    if as_of is None or not store.table_exists("crisis_daily"):
        return None
    held = analysis_as_of(store, "kb_crisis")
    return held if held is not None and held != as_of else None


def crisis_alerts(store, lang: str = "zh", *, min_severity: str = "medium", as_of=None) -> list[dict]:
    """The aspects alarmed now, most severe first, as alert rows (``message_zh`` / ``message_en`` in operator words);
    none when ``as_of`` is given and the last ``kb_crisis`` run was at another moment (:func:`crisis_behind`)."""
    from reef.i18n import code_label
    from reef.kb.params import KbParams
    from reef.store.coverage import analysis_as_of, local_time

    if not store.table_exists("crisis_daily") or crisis_behind(store, as_of) is not None:
        return []
    rows = store.fetch_dicts("""
        WITH last AS (SELECT max(day) AS d FROM crisis_daily),
        cur AS (SELECT c.* FROM crisis_daily c, last WHERE c.day = last.d AND c.alarm AND c.aspect <> $all),
        -- the wave's first day: the day after the latest calm day before now
        calm AS (SELECT aspect, max(day) AS d FROM crisis_daily WHERE NOT alarm GROUP BY 1)
        SELECT cur.*,
               (SELECT min(first_alarm_at) FROM crisis_daily w WHERE w.aspect = cur.aspect AND w.alarm
                       AND w.day > coalesce(calm.d, '-infinity'::TIMESTAMPTZ)) AS episode
        FROM cur LEFT JOIN calm USING (aspect) ORDER BY cur.ratio DESC, cur.aspect""", {"all": ALL})
    held = analysis_as_of(store, "kb_crisis")  # the run crisis_daily holds (the latest run), not the latest as_of ever run
    p = KbParams.from_config(store.config)
    zone = store.config.get("general.timezone")
    rows.sort(key=lambda r: (float(r["p_value"]), -float(r["ratio"])))  # the room's rule: strongest first
    rows, side = lead_rows(store, rows, p.crisis_side_tag_share)
    out = []
    for r in rows:
        if r["aspect"] in side:
            continue
        high = float(r["ratio"]) >= p.crisis_alert_high_ratio and float(r["p_value"]) < p.crisis_alert_high_p
        severity = "high" if high else "medium"
        if min_severity == "high" and not high:
            continue
        first = local_time(r["episode"], zone)
        zh_name, en_name = code_label(r["aspect"], "zh"), code_label(r["aspect"], "en")
        zh_when, en_when = window_words(r, zone)
        base, ratio = shown_ratio(r["observed"], r["baseline"])
        zh = (f"{zh_name}出现负面声浪：{zh_when}已有 {r['observed']} 个负面帖（{r['negative_authors']} 位作者），是平常（{base}）的 "
              f"{ratio} 倍，显著性 p={p_text(r['p_value'])}；本轮自 {first} 首次预警。到危机室看先回应哪些帖。")
        en = (f"Negative wave on {en_name}: {plural(r['observed'], 'negative post')} by {plural(r['negative_authors'], 'author')} {en_when}, "
              f"{ratio}x the usual {base}, p={p_text(r['p_value'])}; first alarm of this wave {first}. "
              "The crisis room lists whom to answer first.")
        now = r.get("alarm_now")  # None: a crisis_daily written before kb_crisis 6
        if now is not None:
            zh += "最近一次检测仍在预警：声浪仍在持续。" if now else "最近一次检测已回落到预警线以下：声浪可能正在平息。"
            en += (" The latest test still alarms: the wave is still running." if now else
                   " The latest test is back below the alarm line: the wave may be subsiding.")
        also = [a for a, lead in side.items() if lead == r["aspect"]]
        if also:
            zh += "同一批帖也标注为：" + "、".join(code_label(a, "zh") for a in also) + "（同一波声浪）。"
            en += " The same posts are also tagged " + ", ".join(code_label(a, "en") for a in also) + " (one wave)."
        name = FAMILY[1 if lang == "en" else 0]
        out.append({"alert_key": f"crisis:{r['aspect']}", "family": name, "part": name, "severity": severity,
                    "score": round(min(100.0, -math.log10(max(float(r["p_value"]), 1e-300))), 1), "subject": en_name if lang == "en" else zh_name, "aspect": r["aspect"],
                    "member_id": None, "content_id": None, "message_zh": zh, "message_en": en,
                    "message": en if lang == "en" else zh, "first_seen": r["episode"], "as_of": held,
                    "episode": r["episode"], "p_value": float(r["p_value"]), "link": "/crisis?aspect=" + urllib.parse.quote(r["aspect"], safe="")})
    out.sort(key=lambda a: (a["severity"] != "high", a["p_value"], -a["score"]))  # the room's rule: strongest first
    return out


def lead_rows(store, rows: list[dict], share: float) -> tuple[list[dict], dict[str, str]]:
    """``rows`` (strongest first) with twin aspects led by the one the wave is about (:mod:`reef.kb.wave_lead`, the
    room's rule), and {aspect: the alarmed aspect it is a side tag of}: at least ``share`` of its negative posts on the
    alarmed day are also that (earlier) aspect's."""
    import pandas as pd

    from reef.kb.crisis import _NEG_SQL
    from reef.kb.params import KbParams
    from reef.kb.wave_lead import lead_order, post_texts

    if len(rows) < 2:
        return rows, {}
    p = KbParams.from_config(store.config)
    day = pd.Timestamp(rows[0]["day"])
    # the posts the alert's counts cover: the row's window (the calendar day, or the trailing window of a partial day)
    since, until = rows[0].get("window_start"), rows[0].get("window_end")
    since, until = (day, day + pd.Timedelta(days=1)) if since is None or until is None or pd.isna(since) else (pd.Timestamp(since), pd.Timestamp(until))
    neg = store.fetch_arrow(_NEG_SQL, {"ts": until, "since": since, "all": ALL, "lean": p.crisis_lean_score,
                                       "roots": p.crisis_roots_only}).to_pandas()
    posts = {r["aspect"]: set(neg.loc[neg["aspect"] == r["aspect"], "content_id"]) for r in rows}
    order = lead_order([r["aspect"] for r in rows], posts, post_texts(store, set().union(*posts.values())), share)
    rows = sorted(rows, key=lambda r: order.index(r["aspect"]))
    out: dict[str, str] = {}
    for i, r in enumerate(rows):
        mine = posts[r["aspect"]]
        for lead in rows[:i]:
            if lead["aspect"] not in out and mine and len(mine & posts[lead["aspect"]]) >= share * len(mine):
                out[r["aspect"]] = lead["aspect"]
                break
    return rows, out


