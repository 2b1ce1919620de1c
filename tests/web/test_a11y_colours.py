"""Non-text contrast (WCAG 1.4.11): the marks a reader must see reach 3:1 against what they are drawn on.

The colours are read from the source, never copied here: the chart colours from reef.report.charts (every series
colour, the axes, the marker, by drawing each kind of chart), reef.js's literals, the templates' inline colours, and
the stylesheet's indicators and badges. The surfaces charts sit on come from reef.css (page, card) and the report's
CSS (its white canvas). A series told apart by colour is also named in text in its legend.
"""
from __future__ import annotations

import re

import pytest

from a11y_colours import colour_literals, contrast, css_rules, light_surfaces, mark_problems, rgba, svg_mark_problems


@pytest.fixture(scope="module")
def css() -> str:
    from reef.web import STATIC

    return (STATIC / "reef.css").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chart_surfaces(css) -> dict:
    """The card and page of the dashboard, and the report's page, from their own stylesheets."""
    from reef.report.render import _CSS

    backgrounds = {s: rgba(d.get("background", "")) for s, d in css_rules(css) if rgba(d.get("background", ""))}
    return {"body": backgrounds["body"], ".card": backgrounds[".card"], **{f"report {k}": v for k, v in light_surfaces(_CSS).items()}}


def _every_chart() -> list[str]:
    """Each kind of chart with a series of every colour, a marked point and many points: every mark they draw."""
    from reef.report.charts import COLORS, ChartSpec, chart_svg
    from reef.report.model import line_chart_svg

    series = [(f"s{k}", [k + i % 3 for i in range(14)]) for k in range(len(COLORS))]
    x = [f"06-{d:02d}" for d in range(1, 15)]
    svgs = [chart_svg(ChartSpec(kind, x, series if kind != "funnel" else series[:1], markers=[3], marked="预警日"))
            for kind in ("line", "bar", "stacked", "funnel")]
    return svgs + [line_chart_svg([("a", 1), ("b", 3)])]


def test_every_chart_mark_reaches_3_to_1_on_the_surfaces_charts_are_drawn_on(chart_surfaces):
    from reef.report.charts import AXIS, COLORS, MARKER

    svgs = _every_chart()
    drawn = "".join(svgs)
    assert all(c in drawn for c in (*COLORS, AXIS, MARKER))  # every colour of the module was drawn, so was checked
    problems = sorted({p for svg in svgs for p in svg_mark_problems(svg, chart_surfaces)})
    assert problems == [], "\n".join(problems)
    # the check reads what it should: the old orange series and grey axis fell below 3:1 on the page
    assert svg_mark_problems('<svg><path stroke="#d9822b"/><line stroke="#999"/></svg>', {"body": chart_surfaces["body"]})
    assert contrast("#b86e1f", "#f5f7fa") >= 3 > contrast("#d9822b", "#f5f7fa")


def test_the_browser_draws_the_checked_colours(chart_surfaces):
    from reef.report.charts import COLORS, MARKER
    from reef.web import STATIC

    js = (STATIC / "reef.js").read_text(encoding="utf-8")
    listed = re.search(r"var COLORS = \[([^\]]*)\], MARKER = \"([^\"]+)\"", js)
    assert listed, "reef.js lists its series colours and marker colour as reef.report.charts does"
    assert tuple(re.findall(r'"([^"]+)"', listed.group(1))) == COLORS and listed.group(2) == MARKER
    literals = colour_literals(js)  # every colour reef.js writes (a transparent background draws nothing)
    assert literals
    svg = "<svg>" + "".join(f'<path stroke="{c}"/>' for c in literals) + "</svg>"
    assert svg_mark_problems(svg, chart_surfaces) == []


def test_inline_colours_of_the_templates_reach_3_to_1(chart_surfaces):
    from reef.web import TEMPLATES

    found = {}
    for path in TEMPLATES.glob("*.html"):
        for c in colour_literals(path.read_text(encoding="utf-8")):
            found[c] = path.name
    assert found  # the ladder table's bar
    svg = "<svg>" + "".join(f'<rect fill="{c}"/>' for c in found) + "</svg>"
    assert svg_mark_problems(svg, chart_surfaces) == [], found


def test_indicators_and_badges_of_the_stylesheet_reach_3_to_1(css):
    assert mark_problems(css) == []
    # what is checked: the active page's underline and the focus ring on the dark header, the rumour bar on a card
    assert mark_problems("header { background: #12324f; } header nav a.active { border-bottom: 2px solid #1f4f7f; }")
    assert mark_problems(".card { background: #fff; } .card.rumour { border-left: 4px solid #f4c7c3; }")
    assert mark_problems("body { background: #fff; } .badge { background: #cfe3f7; }") == []  # a light one is a surface
    assert not mark_problems("body { background: #fff; } td { border-bottom: 1px solid #e3e8ee; }")  # a hairline


def test_a_chart_tells_its_series_and_markers_apart_in_words_not_colour_alone():
    from reef.report.charts import COLORS, MARKER, ChartSpec, chart_svg

    spec = ChartSpec("line", ["06-01", "06-02", "06-03"], [("负面帖", [1, 5, 2]), ("基线", [1, 1, 1])], markers=[1],
                     marked="预警日")
    svg = chart_svg(spec)
    for colour, name in ((COLORS[0], "负面帖"), (COLORS[1], "基线")):  # a swatch, then the name beside it
        assert re.search(rf'fill="{colour}"/><text [^>]*>{name}</text>', svg), name
    assert re.search(rf'stroke="{MARKER}" stroke-width="1.5" stroke-dasharray="3 2"/><text [^>]*>预警日</text>', svg)
    assert svg.count('stroke-dasharray="3 2"') == 2  # the marked day and its legend entry: a shape, not a hue
    from reef.report.chart_text import chart_summary

    assert chart_summary(spec, "en").endswith("预警日: 06-02.")
