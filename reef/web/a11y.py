"""Accessible dashboard charts and marks: every chart says what it shows in words and carries its figures as a table.

:func:`chart_figure` is the ``chart()`` of the templates: the server-side SVG (``role="img"`` with a summary in the
page's language as its label, :func:`chart_summary` of :mod:`reef.report.chart_text`, which the report uses too),
its caption, and a folded table of the same figures for screen readers, keyboards and print (reef.js draws the plotly chart over the SVG and keeps the label).
:func:`symbol_mark` writes a symbol (⚠, ✓) with the words it stands for, which screen readers read instead.
The rules these serve are in docs/surfaces.md ("Accessibility").

Example (the summaries' own examples are in :mod:`reef.report.chart_text`):
    >>> from reef.report.charts import ChartSpec
    >>> 'aria-label="风险分数: Bar chart. 高 80, 低 20."' in chart_figure(ChartSpec("bar", ["高", "低"], [("分数", [80, 20])],
    ...                                                                   title="风险分数"), lang="en")
    True
    >>> str(symbol_mark("✓", "是"))
    '<span aria-hidden="true">✓</span><span class="sr-only">是</span>'
"""
from __future__ import annotations

import json

from markupsafe import Markup, escape

from reef.report.chart_text import chart_summary, figure_text as _num
from reef.report.charts import ChartSpec, chart_data, chart_svg
from reef.web.messages import tr

__all__ = ["chart_figure", "chart_summary", "symbol_mark"]


def _table(spec: ChartSpec, lang: str) -> str:
    """The chart's figures as a table: a row per x label, a column per series."""
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name, _ in spec.series)
    columns = [list(values) for _, values in spec.series]
    rows = "".join(f'<tr><th scope="row">{escape(str(label))}</th>'
                   + "".join(f"<td>{escape(_num(col[i]) if i < len(col) else '')}</td>" for col in columns) + "</tr>"
                   for i, label in enumerate(spec.x))
    label = escape(spec.title or tr("chart.data", lang))
    return (f'<details class="chart-data"><summary>{escape(tr("chart.data", lang))}</summary>'
            f'<table aria-label="{label}"><thead><tr><th scope="col">{escape(spec.x_label or tr("chart.x", lang))}</th>'
            f"{head}</tr></thead><tbody>{rows}</tbody></table></details>")


def chart_figure(spec: ChartSpec, element_id: str = "", *, lang: str = "zh") -> Markup:
    """A chart: server-side SVG (pages work without JavaScript) labelled with :func:`chart_summary`, upgraded by
    reef.js to the vendored plotly.js when it loads; its figures as a folded table. The spec travels as JSON in a data
    attribute (escaped by markupsafe). No data: nothing."""
    if not spec.x or not spec.series:
        return Markup("")
    data = json.dumps(chart_data(spec), ensure_ascii=False)
    ident = f' id="{escape(element_id)}"' if element_id else ""
    caption = f"<figcaption>{escape(spec.title)}</figcaption>" if spec.title else ""
    svg = chart_svg(spec, label=chart_summary(spec, lang))
    return Markup(f'<figure class="chart"{ident} data-chart="{escape(data)}"><div class="chart-static">{svg}</div>'
                  f"{caption}{_table(spec, lang)}</figure>")


def symbol_mark(symbol: str, words: str) -> Markup:
    """``symbol`` for the eye, ``words`` for a screen reader (the symbol alone would be read as "check mark")."""
    return Markup(f'<span aria-hidden="true">{escape(symbol)}</span><span class="sr-only">{escape(words)}</span>')
