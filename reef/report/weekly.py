"""The weekly overview that opens the operations report: this week against last, with charts.

Everything comes from precomputed tables (``activity_daily``, ``ladder_members``, ``risk_scores``,
``risk_series``, ``crisis_daily``, ``network_ripple``, ``kb_gaps``); a part whose table is missing
is left out. Charts are inline SVG (:mod:`reef.report.charts`), so the HTML file works offline and
prints.

Example:
    >>> from reef.store import open_store
    >>> from datetime import datetime, timezone
    >>> weekly_sections(open_store(":memory:"), datetime.now(timezone.utc), "en")
    []
"""
from __future__ import annotations

from datetime import datetime, timedelta

from reef.i18n import code_label
from reef.report.chart_text import chart_summary
from reef.report.charts import ChartSpec, chart_svg
from reef.report.model import Chart, Section, Table

__all__ = ["weekly_sections"]

_TEXT = {
    "title": ("本周概览", "This week"), "charts": ("本周图表", "This week in charts"),
    "intro": ("统计周期：{lo} 至 {hi}（与前 7 天对比）。", "Week {lo} to {hi}, compared with the 7 days before."),
    "metric": ("指标", "Metric"), "this": ("本周", "This week"), "last": ("上周", "Last week"), "change": ("变化", "Change"),
    "active": ("发帖成员（日均）", "Members posting (daily mean)"), "new": ("新成员", "New members"),
    "content": ("内容", "Content"), "interactions": ("互动", "Interactions"),
    "weekly": ("近 12 周：每周发帖成员（日均）", "Last 12 weeks: members posting per day (weekly mean)"),
    "volume": ("近 12 周：每周内容与互动", "Last 12 weeks: content and interactions per week"),
    "funnel": ("成长阶梯：达到各阶段及以上的人数", "Growth ladder: members at each stage or above"),
    "risks": ("风险雷达（0-100）", "Risk radar (0-100)"),
    "crisis": ("危机时间线（{aspect}，近 30 天，虚线为预警日）", "Crisis timeline ({aspect}, last 30 days, dashed lines: alarm days)"),
    "alarm_days": ("预警日", "Alarm days"),
    "negative": ("负面帖", "Negative posts"), "baseline": ("基线", "Baseline"),
    "rings": ("活动涟漪：{campaign} 各圈层参与人数", "Campaign ripple: adopters of {campaign} by ring"),
    "ring": ("第 {n} 圈", "Ring {n}"), "adopters": ("参与人数", "Adopters"),
    "gaps": ("本周待补的知识缺口", "Knowledge gaps to fill this week"), "question": ("问题", "Question"),
    "asked": ("被问次数", "Times asked"), "reason": ("原因", "Reason"), "kind": ("缺口类型", "Gap kind"),
}


def _t(key: str, lang: str, **kw) -> str:
    text = _TEXT[key][1 if lang == "en" else 0]
    return text.format(**kw) if kw else text


def _chart(spec: ChartSpec, caption: str, lang: str) -> Chart:
    """The chart under its caption, its SVG labelled with what it shows in words (a reader of the file without sight
    hears the figures, not "image")."""
    spec.title = spec.title or caption
    return Chart(chart_svg(spec, label=chart_summary(spec, lang)), caption)


def _change(now: float, before: float) -> str:
    if not before:
        return "—"
    text = f"{(now - before) / before * 100:+.0f}%"
    return "0%" if text in ("+0%", "-0%") else text  # a change that rounds to nothing has no sign


def _activity(store, section: Section, lang: str) -> None:
    hi = store.fetch_value("SELECT max(day) FROM activity_daily")
    if hi is None:
        return
    rows = store.fetch_dicts("""SELECT day > $hi - 7 AS this_week, avg(active_members) AS active, sum(new_members) AS new,
                                       sum(content_total) AS content, sum(interactions_total) AS interactions
                                FROM activity_daily WHERE day > $hi - 14 GROUP BY 1""", {"hi": hi})
    weeks = {bool(r["this_week"]): r for r in rows}
    now, before = weeks.get(True, {}), weeks.get(False, {})
    section.paragraphs.append(_t("intro", lang, lo=str(hi - timedelta(days=6)), hi=str(hi)))
    table = []
    for key in ("active", "new", "content", "interactions"):
        a, b = float(now.get(key) or 0), float(before.get(key) or 0)
        fmt = float if key == "active" else int  # counts stay whole numbers; the mean is shown as the tables show numbers
        table.append([_t(key, lang), fmt(a), fmt(b), _change(a, b)])
    section.tables.append(Table([_t("metric", lang), _t("this", lang), _t("last", lang), _t("change", lang)], table))
    # 7-day bins ending on the last day of data, so the latest bar is a whole week too.
    weekly = store.fetch_all("""SELECT max(day) AS w, avg(active_members), sum(content_total), sum(interactions_total)
                                FROM activity_daily WHERE day > $hi - 84 GROUP BY date_diff('day', day, $hi) // 7
                                ORDER BY 1""", {"hi": hi})
    if weekly:
        x = [str(w)[5:] for w, *_ in weekly]
        section.charts.append(_chart(ChartSpec("line", x, [(_t("active", lang), [r[1] for r in weekly])]), _t("weekly", lang), lang))
        section.charts.append(_chart(ChartSpec("bar", x, [(_t("content", lang), [r[2] for r in weekly]),
                                                          (_t("interactions", lang), [r[3] for r in weekly])]),
                                     _t("volume", lang), lang))


def _ladder(store, section: Section, lang: str) -> None:
    counts = dict(store.fetch_all("SELECT stage, count(*) FROM ladder_members GROUP BY 1"))
    if not counts:
        return
    from reef.ladder.params import STAGE_NAMES  # the table exists, so the ladder is installed

    reached = [sum(n for s, n in counts.items() if s >= k) for k in range(len(STAGE_NAMES))]
    labels = [f"{k} {STAGE_NAMES[k][1 if lang == 'en' else 0]}" for k in range(len(STAGE_NAMES))]
    spec = ChartSpec("funnel", labels, [("", reached)])
    section.charts.append(_chart(spec, _t("funnel", lang), lang))


def _risks(store, section: Section, lang: str) -> None:
    from reef.risks.freshness import radar_failure

    rows = store.fetch_all(f"SELECT {'name_en' if lang == 'en' else 'name_zh'}, score FROM risk_scores ORDER BY family")
    failure = radar_failure(store, lang)
    if failure:  # the scores charted below are an earlier run's
        section.paragraphs.append(failure["text"])
    if rows:
        section.charts.append(_chart(ChartSpec("bar", [r[0] for r in rows], [("", [r[1] for r in rows])]), _t("risks", lang), lang))


def _crisis(store, section: Section, lang: str) -> None:
    top = _crisis_lead(store)
    if top is None:
        return
    rows = store.fetch_all("""SELECT day::DATE, observed, baseline, alarm FROM crisis_daily
                              WHERE aspect = $a AND day > CAST((SELECT max(day) FROM crisis_daily) AS TIMESTAMPTZ) - INTERVAL 30 DAY ORDER BY day""", {"a": top})
    spec = ChartSpec("line", [str(r[0])[5:] for r in rows],
                     [(_t("negative", lang), [r[1] for r in rows]), (_t("baseline", lang), [r[2] for r in rows])],
                     markers=[i for i, r in enumerate(rows) if r[3]], marked=_t("alarm_days", lang))
    section.charts.append(_chart(spec, _t("crisis", lang, aspect=code_label(top, lang)), lang))


def _crisis_lead(store) -> str | None:
    """The aspect the crisis chart shows: the crisis room's rule by day (the most recent alarm, then the strongest),
    with a twin pair (one wave, two tags) led by the aspect the wave is about, as the room and the alerts do
    (:func:`reef.kb.crisis_alerts.lead_rows`, :mod:`reef.kb.wave_lead`) on the day of that alarm."""
    from reef.kb.crisis_alerts import lead_rows
    from reef.kb.params import KbParams

    top = store.fetch_all("""SELECT aspect, max(day) FILTER (WHERE alarm) FROM crisis_daily
                             WHERE day > CAST((SELECT max(day) FROM crisis_daily) AS TIMESTAMPTZ) - INTERVAL 30 DAY
                             GROUP BY 1 ORDER BY aspect = $all, max(day) FILTER (WHERE alarm) DESC NULLS LAST, arg_max(p_value, day),
                             arg_max(ratio, day) DESC, aspect LIMIT 1""", {"all": "全部"})
    if not top:
        return None
    aspect, day = top[0]
    if day is None:
        return aspect
    rows = store.fetch_dicts("""SELECT * FROM crisis_daily WHERE day = $d AND alarm AND aspect <> $all
                                ORDER BY p_value, ratio DESC, aspect""", {"d": day, "all": "全部"})
    if len(rows) < 2:
        return aspect
    rows.sort(key=lambda r: r["aspect"] != aspect)  # the by-day choice first: its twin group leads, led by its topic
    ordered, _ = lead_rows(store, rows, KbParams.from_config(store.config).crisis_side_tag_share)
    return ordered[0]["aspect"]


def _rings(store, section: Section, lang: str) -> None:
    top = store.fetch_all("SELECT campaign_id FROM network_ripple GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    if not top:
        return
    rows = store.fetch_all("""SELECT ring, count(*) FROM network_ripple WHERE campaign_id = $c AND ring IS NOT NULL
                              GROUP BY 1 ORDER BY 1""", {"c": top[0][0]})
    spec = ChartSpec("bar", [_t("ring", lang, n=r[0]) for r in rows], [(_t("adopters", lang), [r[1] for r in rows])])
    section.charts.append(_chart(spec, _t("rings", lang, campaign=top[0][0]), lang))


def _gaps(store, section: Section, lang: str) -> None:
    from reef.actions.privacy import mask_text
    import reef.kb.surfaces  # noqa: F401 - registers the gap labels' names
    from reef.kb.views import gaps_list  # the table exists, so the knowledge reef is installed

    rows = gaps_list(store, top=5, lang=lang)  # what `reef gaps` and the report's gap section list
    if rows:  # reports leave the building: member text is masked like every export
        # One question can be a gap of two kinds (unanswered and stale): the kind tells the two rows apart.
        section.tables.append(Table([_t("question", lang), _t("kind", lang), _t("asked", lang), _t("reason", lang)],
                                    [[mask_text(r["title"]), code_label(r["label"], lang), r["times_asked"], r["reason"]] for r in rows],
                                    caption=_t("gaps", lang)))


def weekly_sections(store, as_of: datetime, lang: str = "zh") -> list[Section]:
    """The opening sections of the report: the week's figures, then one chart per capability."""
    figures = Section(_t("title", lang), key="week")
    charts = Section(_t("charts", lang), key="week_charts")
    parts = (("activity_daily", _activity), ("ladder_members", _ladder), ("risk_scores", _risks),
             ("crisis_daily", _crisis), ("network_ripple", _rings), ("kb_gaps", _gaps))
    for table, part in parts:
        if store.table_exists(table) and store.fetch_value(f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT 1)'):
            part(store, figures, lang)
    charts.charts, figures.charts = figures.charts, []  # figures first, charts after (renderers draw charts first)
    return [s for s in (figures, charts) if s.paragraphs or s.tables or s.charts]
