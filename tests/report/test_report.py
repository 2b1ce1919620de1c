"""The report: self-contained, Chinese by default, English on request, registry-driven sections."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from analyses.handmade import load_community
from reef.analyses import REGISTRY, register_analysis
from reef.report import write_report
from reef.report.model import line_chart_svg


@pytest.fixture
def loaded(store, tmp_path):
    load_community(store, tmp_path / "data")
    return store


def test_chinese_report_is_self_contained(loaded, tmp_path):
    html_path = write_report(loaded, tmp_path / "out")
    html = html_path.read_text(encoding="utf-8")
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "社群运营报告" in html and "核心贡献者" in md and "社群规模" in md
    assert "<script" not in html.lower() and not re.search(r"""(src|href)=["']https?://""", html)
    assert "<svg" in html  # the activity trend chart is inline


def test_top_contributors_exclude_staff(loaded, tmp_path):
    md = (write_report(loaded, tmp_path / "out").with_suffix(".md")).read_text(encoding="utf-8")
    top = md.split("## 核心贡献者")[1].split("##")[0]
    assert "小李" in top and "老王" in top and "官方客服" not in top


def test_english_report_and_as_of(loaded, tmp_path):
    md = write_report(loaded, tmp_path / "en", as_of="2026-01-03", lang="en").with_suffix(".md").read_text(encoding="utf-8")
    assert "Community operations report" in md and "Top contributors" in md
    assert "2026-01-03 00:00" in md
    top = md.split("## Top contributors")[1].split("##")[0]
    assert "新人" not in top  # m3 joined after the report's as_of


def test_member_text_is_escaped(store, tmp_path):
    from reef.ingest import import_paths

    p = tmp_path / "members.jsonl"
    p.write_text('{"member_id": "x", "name": "<img src=x onerror=alert(1)>", "joined_at": "2026-01-01T08:00:00+08:00"}\n'
                 '{"member_id": "y", "name": "y", "joined_at": "2026-01-01T08:00:00+08:00"}\n', encoding="utf-8")
    q = tmp_path / "content.jsonl"
    q.write_text('{"content_id": "c", "kind": "thread", "author_id": "x", "created_at": "2026-01-02T08:00:00+08:00"}\n', encoding="utf-8")
    import_paths(store, [p, q])
    html = write_report(store, tmp_path / "out").read_text(encoding="utf-8")
    assert "<img src=x" not in html


@contextmanager
def _table_analysis(name: str, select: str, title: dict, doc: str | None = None):
    """A throwaway analysis writing table ``name`` from ``select``, registered for the ``with`` block."""
    def run(store, as_of, config):
        store.execute(f"CREATE OR REPLACE TABLE {name} AS {select}")
        return 1

    run.__doc__ = doc  # the report's description comes from the docstring
    register_analysis(name, "1", writes=(name,), title=title, order=999)(run)
    try:
        yield
    finally:
        REGISTRY.pop(name, None)


def test_a_registered_analysis_gets_a_generic_section(loaded, tmp_path):
    with _table_analysis("zz_test_extra", "SELECT 42 AS answer", {"zh": "测试附加", "en": "Test extra"}):
        md = write_report(loaded, tmp_path / "out").with_suffix(".md").read_text(encoding="utf-8")
        assert "## 测试附加" in md and "| 42 |" in md


def test_generic_section_leaves_out_binary_columns_and_english_descriptions(loaded, tmp_path):
    with _table_analysis("zz_test_blob", "SELECT 'lsa' AS model, repeat('PK\\x03', 5000)::BLOB AS weights",
                         {"zh": "模型表", "en": "Model table"}, doc="Stores a model."):
        zh = write_report(loaded, tmp_path / "zh").with_suffix(".md").read_text(encoding="utf-8")
        section = zh.split("## 模型表")[1].split("\n## ")[0]
        assert "| lsa |" in section and "weights" not in section and "PK" not in section
        assert "Stores a model." not in section
        en = write_report(loaded, tmp_path / "en", lang="en").with_suffix(".md").read_text(encoding="utf-8")
        assert "Stores a model." in en.split("## Model table")[1]


def test_failed_analysis_is_reported_not_fatal(loaded, tmp_path):
    @register_analysis("zz_test_broken", "1", writes=("zz_broken",), order=999)
    def broken(store, as_of, config):
        raise RuntimeError("kaputt")

    try:
        md = write_report(loaded, tmp_path / "out", lang="en").with_suffix(".md").read_text(encoding="utf-8")
        assert "These analyses failed" in md and "kaputt" in md and "## Top contributors" in md
    finally:
        REGISTRY.pop("zz_test_broken", None)


def test_chart_scales_to_the_maximum():
    svg = line_chart_svg([("a", 0), ("b", 10), ("c", 5)])
    assert svg.startswith("<svg") and ">10<" in svg and "a</text>" in svg and "c</text>" in svg
    assert line_chart_svg([]) == ""


def test_health_counts_the_rows_of_the_reports_moment_and_its_runs(loaded, tmp_path):
    md = write_report(loaded, tmp_path / "en", as_of="2026-01-03", lang="en").with_suffix(".md").read_text(encoding="utf-8")
    health = md.split("## Import and data health")[1].split("\n## ")[0]
    members_then = loaded.fetch_value("SELECT count(*) FROM members_at(TIMESTAMPTZ '2026-01-03 00:00:00+08')")
    assert members_then < loaded.fetch_value("SELECT count(*) FROM members")  # m3 joined later
    assert f"| members | {members_then} |" in health and "existed at 2026-01-03" in health
    assert "The analysis runs at 2026-01-03" in md
    # After a later report the store's latest runs are at another as_of; the list read at 2026-01-03 keeps to its own.
    write_report(loaded, tmp_path / "later", lang="en")
    from reef.report.status import last_runs

    jan3 = loaded.fetch_value("SELECT min(as_of) FROM analysis_runs")
    assert {r["as_of"] for r in last_runs(loaded, as_of=jan3)} == {jan3.isoformat()}
    assert jan3.isoformat() not in {r["as_of"] for r in last_runs(loaded)}


def test_generic_tables_speak_the_reports_language(loaded, tmp_path):
    with _table_analysis("zz_test_codes", "SELECT '续航与充电' AS aspect, '阶梯' AS note_zh, 'ladder' AS note_en, 'high' AS level",
                         {"zh": "代码表", "en": "Codes table"}):
        en = write_report(loaded, tmp_path / "en", lang="en").with_suffix(".md").read_text(encoding="utf-8")
        section = en.split("## Codes table")[1].split("\n## ")[0]
        assert "range and charging" in section and "续航" not in section and "阶梯" not in section and "| ladder |" in section
        zh = write_report(loaded, tmp_path / "zh").with_suffix(".md").read_text(encoding="utf-8")
        section = zh.split("## 代码表")[1].split("\n## ")[0]
        assert "续航与充电" in section and "阶梯" in section and "note_en" not in section
