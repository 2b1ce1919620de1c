"""The operations report as a head of operations reads it (and forwards the English one): every figure as of the
report's date, empty sections that say why without a terminal command, technical details folded away, times with
their zone, and a dated file that does not overwrite last week's."""
from __future__ import annotations

import re

import pytest

from analyses.handmade import load_community
from reef.report import write_report


@pytest.fixture
def loaded(store, tmp_path):
    load_community(store, tmp_path / "data")
    return store


def _section(md: str, title: str) -> str:
    return md.split(f"\n## {title}\n")[1].split("\n## ")[0]


def test_today_at_a_glance_counts_as_of_the_report_date(loaded, tmp_path):
    """QA: at --as-of 2025-06-01 今日概览 counted all 44,350 items while the data-health table said 内容 0."""
    md = write_report(loaded, tmp_path / "out", as_of="2026-01-03", lang="en").with_suffix(".md").read_text(encoding="utf-8")
    glance = _section(md, "Today at a glance")
    assert "(3 in all)" in glance and "(5 in all)" not in glance  # c1-c3 existed on 2026-01-03; c4, c5 came later
    assert "(2 in all)" in glance.split("Interactions by kind", 1)[1]  # i1, i2 (i4 at noon that day, i3, i5 later)


@pytest.mark.parametrize("lang, no_data, size", [("en", "No data before this date (2025-06-01)", "No activity before this date"),
                                                 ("zh", "所选日期（2025-06-01）之前还没有数据", "所选日期之前还没有活动")])
def test_a_report_before_the_data_says_so_without_commands_or_empty_tables(loaded, tmp_path, lang, no_data, size):
    """QA: a back-dated report told the manager to run `reef enrich` / `reef analyze` (the analyses had just run),
    社群规模 said 暂无数据 above a table of figures, and 核心贡献者 / 关键节点 showed header-only tables."""
    md = write_report(loaded, tmp_path / "out", as_of="2025-06-01", lang=lang).with_suffix(".md").read_text(encoding="utf-8")
    assert "`reef" not in md and "reef analyze" not in md and "reef enrich" not in md
    assert md.count(no_data) >= 5
    assert not re.search(r"^\|(---\|)+\n\n", md, re.M)  # no table without a row
    top = _section(md, "Top contributors (staff excluded)" if lang == "en" else "核心贡献者（不含官方账号）")
    assert no_data in top and "|" not in top
    community = _section(md, "Community size" if lang == "en" else "社群规模")
    assert size in community and "No data yet." not in community and "暂无数据。" not in community


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_report_with_data_never_sends_the_manager_to_the_terminal(loaded, tmp_path, lang):
    """QA: "Use `reef team --brief` …", "the same figures as … `reef crisis`", "No knowledge gaps yet: run `reef analyze`"
    above a topic map, the text model string and the store file in the manager's reading."""
    html_path = write_report(loaded, tmp_path / "out", lang=lang)
    md, html = html_path.with_suffix(".md").read_text(encoding="utf-8"), html_path.read_text(encoding="utf-8")
    reading = html.split('<details class="tech"', 1)[0]  # everything before the folded technical details
    assert "`reef" not in md and "reef analyze" not in reading and "reef-text-" not in reading and "+" not in _section(md, "Text understanding" if lang == "en" else "内容理解").split("\n|")[0]
    assert "Store file" not in reading and "数据库文件" not in reading
    assert '<details class="tech" id="runs"><summary>' in html and html.index("<details") > html.index("<h2")
    tech = html.split('<details class="tech"', 1)[1]
    assert ("Store file: " if lang == "en" else "数据库文件：") in tech and "</details>" in tech


def test_times_say_their_zone_and_the_folder_gets_a_dated_file(loaded, tmp_path):
    """QA: "Data as of … CST" is China, Cuba or Central US to an English reader; "Generated" had no zone; report.html
    was overwritten every week while the dashboard's download is reef-report-<day>.html."""
    from reef.report import report_file_name

    path = write_report(loaded, tmp_path / "out", as_of="2026-01-03", lang="en")
    assert path.name == "reef-report-2026-01-03.html" == report_file_name(loaded, "2026-01-03")
    assert path.with_suffix(".md").exists() and not (tmp_path / "out" / "report.html").exists()
    md = path.with_suffix(".md").read_text(encoding="utf-8")
    head = md.split("\n## ", 1)[0]
    assert "- Data as of: 2026-01-03 00:00 (UTC+08:00, Asia/Shanghai)" in head and " CST" not in md
    assert re.search(r"- Generated: \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00, Asia/Shanghai\)", head)
    assert write_report(loaded, tmp_path / "out", as_of="2026-01-05", lang="en") != path and path.exists()  # last week's kept


@pytest.mark.parametrize("lang, advice, parameter", [("en", "Pick a later date.", "as_of"), ("zh", "请选择更晚的日期。", "as_of 参数")])
def test_the_coverage_warning_asks_the_reader_for_a_date_not_a_parameter(loaded, tmp_path, lang, advice, parameter):
    """QA: the warning at the top of a back-dated report said 请换一个更晚的 as_of 参数: its reader types no parameter.
    The Python and HTTP APIs (and, rewritten, the CLI) keep the parameter's name."""
    from datetime import datetime, timezone

    from reef.store.coverage import coverage_warning

    md = write_report(loaded, tmp_path / "out", as_of="2025-06-01", lang=lang).with_suffix(".md").read_text(encoding="utf-8")
    head = md.split("\n## ", 1)[0]
    assert advice in head and parameter not in head and "as_of" not in head
    late = write_report(loaded, tmp_path / "late", as_of="2026-12-01", lang=lang).with_suffix(".md").read_text(encoding="utf-8")
    head = late.split("\n## ", 1)[0]
    assert ("pick an earlier date" if lang == "en" else "选择更早的日期") in head
    assert "as_of" not in head and "stale_data_days" not in head  # no parameter, no setting's name
    api = coverage_warning(loaded, datetime(2025, 6, 1, tzinfo=timezone.utc), lang=lang)
    assert api.endswith(("Pass a later as_of." if lang == "en" else "请换一个更晚的 as_of 参数。"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_import_time_in_data_health_says_its_zone(loaded, tmp_path, lang):
    """QA: data health said 最近一次在 2026-11-24 09:30 with no zone while the report's other times carry theirs."""
    md = write_report(loaded, tmp_path / "out", lang=lang).with_suffix(".md").read_text(encoding="utf-8")
    health = _section(md, "Import and data health" if lang == "en" else "导入与数据质量")
    zone = r" \(UTC\+08:00, Asia/Shanghai\)" if lang == "en" else r"（UTC\+08:00，Asia/Shanghai）"
    latest = "the latest at " if lang == "en" else "最近一次在 "
    assert re.search(latest + r"\d{4}-\d\d-\d\d \d\d:\d\d" + zone, health), health


@pytest.mark.parametrize("lang, no_data", [("en", "No data before this date (2025-06-01)"), ("zh", "所选日期（2025-06-01）之前还没有数据")])
def test_plaza_and_council_before_the_data_say_no_data_yet(loaded, tmp_path, lang, no_data):
    """QA: 开放广场 and 核心顾问团 said 尚无… in a report dated before any content, unlike the other sections."""
    md = write_report(loaded, tmp_path / "out", as_of="2025-06-01", lang=lang).with_suffix(".md").read_text(encoding="utf-8")
    for title in (("Open plaza", "Advisory council") if lang == "en" else ("开放广场", "核心顾问团")):
        body = _section(md, title)
        assert no_data in body and "尚无" not in body and "yet." not in body.replace("nothing to report here yet.", ""), body
