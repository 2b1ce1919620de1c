"""`reef report --out weekly.html`: one self-contained, printable file with the week's figures and inline charts."""
from __future__ import annotations

import re

from reef.report.charts import ChartSpec, chart_data, chart_svg


def test_weekly_html_is_self_contained_printable_and_escaped(db_path, tmp_path):
    from typer.testing import CliRunner

    from reef.cli.commands import app
    from reef.store import close_all, open_store

    from reef.analyses import run_analyses

    store = open_store(db_path)
    run_analyses(store)  # up to date now, so the report's own refresh keeps the row changed below
    with store.transaction():
        store.execute("UPDATE kb_gaps SET title = '<script>alert(1)</script>充电 13812345678' WHERE rank = 1")
    close_all()
    out = tmp_path / "weekly.html"
    result = CliRunner().invoke(app, ["report", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert out.with_suffix(".md").exists()
    assert "本周概览" in html and "本周图表" in html
    week = html[html.index('id="week_charts"'):]
    week = week[:week.index("</section>")]
    assert week.count("<svg") >= 4  # activity, volume, funnel, risks, crisis, ripple: whichever tables exist
    assert "<script" not in html.replace("&lt;script", "")  # no script at all: works offline, nothing to fetch
    assert not re.search(r'(src|href)="https?:', html) and "@import" not in html
    assert "@media print" in html and "&lt;script&gt;alert(1)" in html
    assert "13812345678" not in html and "138****5678" in html  # reports leave the building: masked


def test_week_figures_compare_with_the_week_before(db_path, tmp_path):
    from reef.report import write_report
    from reef.store import open_store

    store = open_store(db_path)
    hi = store.fetch_value("SELECT max(day) FROM activity_daily")
    this = store.fetch_value("SELECT sum(content_total) FROM activity_daily WHERE day > $d - 7", {"d": hi})
    last = store.fetch_value("SELECT sum(content_total) FROM activity_daily WHERE day > $d - 14 AND day <= $d - 7", {"d": hi})
    md = write_report(store, tmp_path / "w.html", lang="en").with_suffix(".md").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| Content |"))
    assert row.split("|")[2].strip() == str(int(this)) and row.split("|")[3].strip() == str(int(last))


def test_chart_svg_escapes_labels_and_scales_bars():
    spec = ChartSpec("bar", ["<b>a</b>", "b"], [("x<y", [2, 4])])
    svg = chart_svg(spec)
    assert "<b>" not in svg and "&lt;b&gt;a&lt;/b&gt;" in svg
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)" fill=', svg)]
    assert len(heights) == 2 and abs(heights[1] - 2 * heights[0]) < 0.2
    assert chart_data(spec)["series"] == [{"name": "x<y", "y": [2.0, 4.0]}]  # escaped by the page, not here
    funnel = chart_svg(ChartSpec("funnel", ["0", "1"], [("", [10, 5])]))
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', funnel)]
    assert widths[0] == 2 * widths[1]
    assert chart_svg(ChartSpec("line", [], [])) == ""


def test_weekly_gap_table_names_each_rows_kind(db_path):
    from reef.report.model import Section
    from reef.report.weekly import _gaps
    from reef.store import open_store

    store = open_store(db_path)
    section = Section("t", key="t")
    _gaps(store, section, "zh")
    assert section.tables, "the simulated store has knowledge gaps"
    table = section.tables[0]
    assert table.columns[1] == "缺口类型"  # one question can be a gap of two kinds: the kind tells the rows apart
    labels = {r[1] for r in table.rows}
    assert labels and not labels & {"unanswered", "stale", "outdated", "poorly_answered"}  # named, not codes


def test_daily_mean_of_posting_members_is_not_rounded_twice_and_no_change_has_no_sign(db_path, tmp_path):
    # The table used to round to one decimal, then print two: 771/7 = 110.14 showed as 110.10.
    from reef.report import write_report
    from reef.report.weekly import _change
    from reef.store import open_store

    store = open_store(db_path)
    hi = store.fetch_value("SELECT max(day) FROM activity_daily")
    mean = store.fetch_value("SELECT avg(active_members) FROM activity_daily WHERE day > $d - 7", {"d": hi})
    md = write_report(store, tmp_path / "w.html", lang="en").with_suffix(".md").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| Members posting (daily mean) |"))
    assert row.split("|")[2].strip() == f"{mean:,.2f}"
    assert _change(99.6, 100.0) == "0%" and _change(100.4, 100.0) == "0%" and _change(110.0, 100.0) == "+10%"
