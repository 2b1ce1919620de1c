"""The downloaded report (reef report, 周报 on the dashboard) follows the accessibility rules that fit a document.

The report of the surface store is rendered in Chinese and English (without bringing analyses up to date: the
store's results are current) and read with tests/web/a11y_rules.py's report_problems: language, a title its h1
repeats, headings in order, column headers with a scope, tables named, every chart's SVG labelled in words and no
caption that explains by colour; its inline CSS is checked for text contrast (4.5:1) and marks (3:1).
"""
from __future__ import annotations

import re
import shutil

import pytest

from a11y_colours import contrast_problems, mark_problems
from a11y_rules import parse_page, report_problems

LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def reports(store_template, tmp_path_factory) -> dict[str, str]:
    from reef.report.build import build_report
    from reef.report.render import to_html
    from reef.store import close_all, open_store

    db = tmp_path_factory.mktemp("a11y-report") / "reef.duckdb"
    shutil.copy(store_template, db)
    close_all()
    store = open_store(db)
    try:
        return {lang: to_html(build_report(store, lang=lang, run=False)) for lang in LANGS}
    finally:
        close_all()


def test_the_report_passes_the_document_rules_in_both_languages(reports):
    failures = {lang: report_problems(html, lang) for lang, html in reports.items()}
    assert not any(failures.values()), failures
    for lang, html in reports.items():  # what was checked holds what the rules are for
        assert html.count("<svg") >= 4 and html.count("<table") >= 4 and '<th scope="col">' in html, lang


def test_every_report_chart_says_what_it_shows(reports):
    root = parse_page(reports["en"])
    svgs = [n for n in root.walk() if n.tag == "svg"]
    labels = [n.attrs.get("aria-label", "") for n in svgs]
    assert all(n.attrs.get("role") == "img" for n in svgs)
    assert any(re.match(r"Last 12 weeks: members posting per day \(weekly mean\): Line chart\. "
                        r"Members posting \(daily mean\): \d\d-\d\d [\d.]+, ", x) for x in labels), labels
    assert any(x.startswith("Growth ladder: members at each stage or above: Funnel chart.") for x in labels), labels
    zh = [n.attrs.get("aria-label", "") for n in parse_page(reports["zh"]).walk() if n.tag == "svg"]
    assert all(zh) and any("：折线图" in x for x in zh) and any("：漏斗图" in x for x in zh), zh


def test_the_report_css_reaches_the_contrast_minimums():
    from reef.report.render import _CSS

    assert contrast_problems(_CSS) == [] and mark_problems(_CSS) == []
    # the footer's old grey was 3.5:1 on the report's white page
    assert contrast_problems(_CSS.replace("footer{margin-top:3em;color:#666", "footer{margin-top:3em;color:#888"))


def test_the_rules_catch_an_unlabelled_report():
    old = ('<!DOCTYPE html><html lang="zh-CN"><head><title>社群运营报告</title></head><body><h1>社群运营报告</h1>'
           '<section><h2>a</h2><figure><svg role="img"></svg><figcaption>危机（红色为预警日）</figcaption></figure>'
           '<table><thead><tr><th>指标</th></tr></thead></table><table><tr><th scope="col">x</th></tr></table></section></body></html>')
    found = "\n".join(report_problems(old, "zh"))
    for expected in ("an svg without role=img and a label in words", "explains by colour", "without scope",
                     "has no caption or aria-label"):
        assert expected in found, expected
    assert "<title> 'x' is empty" in "\n".join(report_problems(old.replace("<title>社群运营报告", "<title>x"), "zh"))
