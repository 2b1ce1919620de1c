"""Chart specs shared by the dashboard and the reports: one :class:`ChartSpec`, two renderings.

``chart_svg`` draws the spec as dependency-free inline SVG (the weekly report, and the dashboard
without JavaScript); ``chart_data`` is the JSON the dashboard's ``reef.js`` hands to the vendored
plotly.js. Labels are escaped here: series names and x labels may come from data.

Example:
    >>> spec = ChartSpec("line", ["05-01", "05-02"], [("活跃", [3, 5])])
    >>> chart_svg(spec).startswith("<svg")
    True
    >>> chart_data(spec)["series"][0]["y"]
    [3.0, 5.0]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any, Sequence

__all__ = ["ChartSpec", "chart_svg", "chart_data", "COLORS", "AXIS", "MARKER"]

# Series colours, axes and the marker of flagged points are marks a reader must see: each reaches 3:1 against the
# light page and card they are drawn on (WCAG 1.4.11, tests/web/test_a11y_colours.py); reef.js draws with the same.
COLORS = ("#1f6fb2", "#b86e1f", "#2e8b57", "#b3261e", "#7b4fa0", "#5b6b7b")
AXIS = "#767676"
MARKER = "#b3261e"  # a dashed line, not a hue alone: the legend and the summary name what it marks
KINDS = ("line", "bar", "funnel", "stacked")


@dataclass
class ChartSpec:
    """``kind``: line (one line per series), bar (grouped), stacked (stacked bars) or funnel
    (one series, horizontal bars top to bottom). ``x`` are the category or date labels."""

    kind: str
    x: Sequence[Any]
    series: Sequence[tuple[str, Sequence[Any]]]
    title: str = ""
    y_label: str = ""
    markers: Sequence[int] = field(default_factory=tuple)  # x indexes to flag (alarm days)
    x_label: str = ""  # what the x labels are (the head of the figures' first column on the dashboard)
    marked: str = ""  # what a marker means (预警日), in the legend and the summary

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"chart kind {self.kind!r} is not one of {KINDS}")


def _num(v: Any) -> float:
    try:
        return float(v) if v is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def chart_data(spec: ChartSpec) -> dict[str, Any]:
    """The spec as plain JSON for the browser (numbers as floats, labels as strings)."""
    return {"kind": spec.kind, "title": spec.title, "y_label": spec.y_label, "x": [str(x) for x in spec.x],
            "series": [{"name": str(name), "y": [_num(v) for v in values]} for name, values in spec.series],
            "markers": [int(i) for i in spec.markers], "marked": spec.marked}


def _legend(spec: ChartSpec, width: int, y: int) -> str:
    """A swatch and the name of each series (two or more: one is named by the title), then what a marker means."""
    out, x = [], 50
    for i, (name, _) in enumerate(spec.series if len(spec.series) > 1 else ()):
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLORS[i % len(COLORS)]}"/>'
                   f'<text x="{x + 14}" y="{y}" font-size="11">{escape(str(name))}</text>')
        x += 24 + 12 * len(str(name))
    if spec.markers and spec.marked:
        out.append(f'<line x1="{x + 5}" y1="{y - 10}" x2="{x + 5}" y2="{y + 1}" stroke="{MARKER}" stroke-width="1.5" '
                   f'stroke-dasharray="3 2"/><text x="{x + 14}" y="{y}" font-size="11">{escape(spec.marked)}</text>')
    return "".join(out)


def _funnel(spec: ChartSpec, width: int, alt: str) -> str:
    values = [_num(v) for v in (spec.series[0][1] if spec.series else [])]
    top = max(values, default=0) or 1.0
    row, label_w = 26, 150
    height = row * len(values) + 8
    bars = []
    for i, (label, v) in enumerate(zip(spec.x, values)):
        w = (width - label_w - 60) * v / top
        x0 = label_w + (width - label_w - 60 - w) / 2
        y0 = 4 + i * row
        bars.append(f'<text x="{label_w - 8}" y="{y0 + 16}" text-anchor="end" font-size="12">{escape(str(label))}</text>'
                    f'<rect x="{x0:.1f}" y="{y0}" width="{w:.1f}" height="{row - 6}" fill="{COLORS[0]}"/>'
                    f'<text x="{width - 50}" y="{y0 + 16}" font-size="12">{v:g}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{alt}">' + "".join(bars) + "</svg>")


def chart_svg(spec: ChartSpec, *, width: int = 720, height: int = 220, label: str = "") -> str:
    """The spec as one inline ``<svg>`` (no script, no external font); empty string without data. ``label``: its text
    alternative (what it shows, in words), else its title."""
    if not spec.x or not spec.series:
        return ""
    label = escape(label or spec.title)
    if spec.kind == "funnel":
        return _funnel(spec, width, label)
    pad_l, pad_r, pad_t, pad_b = 48, 12, 14, 44 if len(spec.series) > 1 or (spec.markers and spec.marked) else 28
    n = len(spec.x)
    cols = [[_num(v) for v in values] for _, values in spec.series]
    if spec.kind == "stacked":
        top = max((sum(c[i] for c in cols) for i in range(n)), default=0)
    else:
        top = max((max(c, default=0) for c in cols), default=0)
    top = top or 1.0
    base = height - pad_b
    plot_w, plot_h = width - pad_l - pad_r, base - pad_t
    y_of = lambda v: pad_t + plot_h * (1 - v / top)  # noqa: E731
    parts = [f'<line x1="{pad_l}" y1="{base}" x2="{width - pad_r}" y2="{base}" stroke="{AXIS}"/>',
             f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{base}" stroke="{AXIS}"/>',
             f'<text x="{pad_l - 6}" y="{pad_t + 10}" text-anchor="end" font-size="11">{top:.4g}</text>',
             f'<text x="{pad_l - 6}" y="{base}" text-anchor="end" font-size="11">0</text>']
    if spec.kind == "line":
        step = plot_w / max(n - 1, 1)
        for i in spec.markers:
            if 0 <= i < n:
                x = pad_l + i * step
                parts.append(f'<line x1="{x:.1f}" y1="{pad_t}" x2="{x:.1f}" y2="{base}" stroke="{MARKER}" '
                             f'stroke-width="1.5" stroke-dasharray="3 2"/>')
        for k, c in enumerate(cols):
            path = " ".join(f"{'M' if i == 0 else 'L'}{pad_l + i * step:.1f},{y_of(v):.1f}" for i, v in enumerate(c))
            parts.append(f'<path d="{path}" fill="none" stroke="{COLORS[k % len(COLORS)]}" stroke-width="1.6"/>')
    else:
        slot = plot_w / n
        for i in range(n):
            x0, acc = pad_l + i * slot + slot * 0.1, 0.0
            for k, c in enumerate(cols):
                color = COLORS[k % len(COLORS)]
                if spec.kind == "stacked":
                    y1, y0 = y_of(acc + c[i]), y_of(acc)
                    acc += c[i]
                    parts.append(f'<rect x="{x0:.1f}" y="{y1:.1f}" width="{slot * 0.8:.1f}" height="{max(y0 - y1, 0):.1f}" fill="{color}"/>')
                else:
                    w = slot * 0.8 / len(cols)
                    parts.append(f'<rect x="{x0 + k * w:.1f}" y="{y_of(c[i]):.1f}" width="{w:.1f}" '
                                 f'height="{max(base - y_of(c[i]), 0):.1f}" fill="{color}"/>')
            if n <= 12:  # every label fits
                parts.append(f'<text x="{pad_l + (i + .5) * slot:.1f}" y="{base + 14}" text-anchor="middle" '
                             f'font-size="11">{escape(str(spec.x[i]))}</text>')
    if spec.kind == "line" or n > 12:
        parts.append(f'<text x="{pad_l}" y="{base + 14}" font-size="11">{escape(str(spec.x[0]))}</text>')
        parts.append(f'<text x="{width - pad_r}" y="{base + 14}" text-anchor="end" font-size="11">{escape(str(spec.x[-1]))}</text>')
    parts.append(_legend(spec, width, height - 6))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{label}">' + "".join(parts) + "</svg>")
