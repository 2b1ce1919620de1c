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
from html import escape
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


def line_chart_svg(points: list[tuple[str, float]], *, width: int = 720, height: int = 200) -> str:
    """A dependency-free SVG line chart of (label, value) points; labels at both ends."""
    if not points:
        return ""
    pad_l, pad_r, pad_t, pad_b = 44, 12, 12, 28
    values = [float(v) for _, v in points]
    top = max(values) or 1.0
    n = len(points)
    step = (width - pad_l - pad_r) / max(n - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return pad_l + i * step, pad_t + (height - pad_t - pad_b) * (1 - v / top)

    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(xy(i, v) for i, v in enumerate(values)))
    base = height - pad_b
    area = f"{path} L{xy(n - 1, 0)[0]:.1f},{base} L{pad_l},{base} Z"
    first, last = escape(str(points[0][0])), escape(str(points[-1][0]))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img">'
        f'<line x1="{pad_l}" y1="{base}" x2="{width - pad_r}" y2="{base}" stroke="#999"/>'
        f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{base}" stroke="#999"/>'
        f'<text x="{pad_l - 6}" y="{pad_t + 10}" text-anchor="end" font-size="11">{top:g}</text>'
        f'<text x="{pad_l - 6}" y="{base}" text-anchor="end" font-size="11">0</text>'
        f'<path d="{area}" fill="#cfe3f7" stroke="none"/>'
        f'<path d="{path}" fill="none" stroke="#1f6fb2" stroke-width="1.6"/>'
        f'<text x="{pad_l}" y="{height - 8}" font-size="11">{first}</text>'
        f'<text x="{width - pad_r}" y="{height - 8}" text-anchor="end" font-size="11">{last}</text>'
        "</svg>"
    )
