"""What a report is made of: sections of paragraphs, tables and inline SVG charts.

Capabilities build :class:`Section` objects in their ``report_section`` functions; the
renderers turn them into Markdown and self-contained HTML.

Example:
    >>> s = Section("规模", paragraphs=["共 3 名成员。"], tables=[Table(["指标", "数值"], [["成员", 3]])])
    >>> s.tables[0].rows[0][1]
    3
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Table", "Chart", "Section", "Report", "line_chart_svg"]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]
    caption: str = ""


@dataclass
class Chart:
    svg: str
    caption: str = ""


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    key: str = ""  # analysis name or built-in section id, used as the HTML anchor
    details: bool = False  # technical details (versions, the store file): collapsed in the HTML, for staff not managers


@dataclass
class Report:
    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    footer: str = ""
    lang: str = "zh"
    as_of: Any = None  # the moment the report describes (names the dated file)


def line_chart_svg(points: list[tuple[str, float]], *, width: int = 720, height: int = 200, title: str = "",
                   lang: str = "zh") -> str:
    """A dependency-free SVG line chart of (label, value) points (:func:`reef.report.charts.chart_svg`), labelled
    with what it shows in words in ``lang`` (:func:`reef.report.chart_text.chart_summary`)."""
    from reef.report.chart_text import chart_summary
    from reef.report.charts import ChartSpec, chart_svg

    if not points:
        return ""
    spec = ChartSpec("line", [str(x) for x, _ in points], [(title, [float(v) for _, v in points])], title=title)
    return chart_svg(spec, width=width, height=height, label=chart_summary(spec, lang))
