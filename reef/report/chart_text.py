"""A chart in words: the text alternative of every chart Reef draws, on the dashboard and in the report.

:func:`chart_summary` says what a :class:`~reef.report.charts.ChartSpec` shows in the reader's language: its title
and kind, the span of its x axis, each series' lowest, highest and last figure (or every figure of a small chart),
and the marked points (a crisis chart's alarm days) by their labels, so nothing is said by colour or shape alone.
The dashboard labels its SVG with it (:mod:`reef.web.a11y`), the report its inline SVG (:mod:`reef.report.weekly`).

Example:
    >>> from reef.report.charts import ChartSpec
    >>> days = ["05-01", "05-02", "05-03", "05-04", "05-05", "05-06", "05-07"]
    >>> chart_summary(ChartSpec("line", days, [("活跃", [3, 5, 4, 6, 2, 9, 7]), ("新人", [1, 0, 2, 1, 0, 1, 3])],
    ...                         title="趋势"), "zh")
    '趋势：折线图，05-01 至 05-07，共 7 个点。活跃：最低 2，最高 9（05-06），最后 7。新人：最低 0，最高 3（05-07），最后 3。'
    >>> chart_summary(ChartSpec("bar", ["高", "低"], [("分数", [80, 20])], title="风险分数"), "en")
    '风险分数: Bar chart. 高 80, 低 20.'
    >>> chart_summary(ChartSpec("line", days, [("负面帖", [1] * 7)], title="危机", markers=[5], marked="预警日"), "zh")
    '危机：折线图。负面帖：05-01 1、05-02 1、05-03 1、05-04 1、05-05 1、05-06 1、05-07 1。预警日：05-06。'
"""
from __future__ import annotations

from typing import Any

from reef.report.charts import ChartSpec

__all__ = ["chart_summary", "figure_text"]

_LIST_AT_MOST = 12  # a chart of this many figures or fewer lists every one in its summary


def _float(value: Any) -> float:
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def figure_text(value: Any) -> str:
    """A figure as the chart reads it (no data: a dash)."""
    if value is None:
        return "-"
    v = _float(value)
    return f"{v:.0f}" if v == int(v) else f"{v:.3g}"


def chart_summary(spec: ChartSpec, lang: str) -> str:
    """What the chart shows, in words: its title and kind, the span of its x axis, and for each series the lowest,
    highest and last figure (a chart of at most a dozen figures lists them all instead), then the marked points. A lone
    series the title already names is not named again."""
    from reef.web.messages import tr  # the dashboard's catalogue holds the chart words (no web framework imported)

    sep, colon = ("、", "：") if lang == "zh" else (", ", ": ")
    x = [str(v) for v in spec.x]
    head = tr(f"chart.kind.{spec.kind}", lang)
    if spec.title:
        head = f"{spec.title}{colon}{head}"
    named = not (len(spec.series) == 1 and str(spec.series[0][0]) in spec.title)

    def part(key: str, name: Any, **values: Any) -> str:
        text = tr(key, lang, series=f"{name}{colon}" if named else "", **values)
        return text[:1].upper() + text[1:]

    marked = [x[i] for i in spec.markers if 0 <= i < len(x)]
    tail = tr("chart.alt.marked", lang, what=spec.marked or tr("chart.marked", lang), items=sep.join(marked)) if marked else ""
    if len(x) * len(spec.series) <= _LIST_AT_MOST:
        parts = [part("chart.alt.listed", name, items=sep.join(f"{label} {figure_text(v)}" for label, v in zip(x, values)))
                 for name, values in spec.series]
        return (tr("chart.alt.head_listed", lang, head=head) + "".join(parts) + tail).strip()
    parts = []
    for name, values in spec.series:
        known = [(i, _float(v)) for i, v in enumerate(values) if v is not None]  # a day without data is no zero
        if not known:
            continue
        top = max(known, key=lambda pair: pair[1])
        parts.append(part("chart.alt.series", name, low=figure_text(min(v for _, v in known)), high=figure_text(top[1]),
                          at=x[top[0]] if top[0] < len(x) else "", last=figure_text(known[-1][1])))
    return (tr("chart.alt.head_span", lang, head=head, first=x[0], last=x[-1], n=len(x)) + "".join(parts) + tail).strip()
