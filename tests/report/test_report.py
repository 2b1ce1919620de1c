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
    md = html_path.with_suffix(".md").read_text(encoding="utf-8")
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


def test_a_generic_table_has_translated_headers_and_a_stable_order(loaded, tmp_path):
    select = "SELECT * FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS t(times_asked, title)"
    with _table_analysis("zz_test_order", select, {"zh": "顺序表", "en": "Order table"}):
        zh = write_report(loaded, tmp_path / "zh").with_suffix(".md").read_text(encoding="utf-8")
        section = zh.split("## 顺序表")[1].split("\n## ")[0]
        assert "| 被问次数 | 标题 |" in section and "times_asked" not in section
        assert section.index("| 1 | a |") < section.index("| 2 | b |") < section.index("| 3 | c |")
        en = write_report(loaded, tmp_path / "en", lang="en").with_suffix(".md").read_text(encoding="utf-8")
        assert "| Times asked | Title |" in en.split("## Order table")[1]


@pytest.fixture
def analysed_report(db_path, tmp_path):
    """The report of a simulated store with every analysis run, in both languages (Markdown, HTML)."""
    from reef.store import open_store

    store = open_store(db_path)
    out = {}
    for lang in ("zh", "en"):
        html = write_report(store, tmp_path / lang, lang=lang)
        out[lang] = (html.with_suffix(".md").read_text(encoding="utf-8"), html.read_text(encoding="utf-8"))
    return out


def _section(md: str, title: str) -> str:
    return md.split(f"\n## {title}\n")[1].split("\n## ")[0]


def test_capability_sections_read_as_operator_text_not_raw_tables(analysed_report, db_path):
    """QA: 今日概览, 互动网络, 问答, 搜索模型, 风险雷达, 精华, 知识缺口, 舆情防波堤 printed `结果表 <table>` dumps with
    field names as headers, untranslated codes and the store's path."""
    md, html = analysed_report["zh"]
    assert "结果表" not in md and "Result table" not in md
    for raw in ("| section | key |", "| src | dst |", "| question_id |", "| answer_id |", "| rank | kind | cluster_id |",
                "| day | aspect |", "| alert_key |", "| content_id | kind |", "| aspect | car_model |"):
        assert raw not in md, raw
    assert "| ask |" not in md and " ask " not in md
    for title in ("今日概览", "互动网络", "问答与重复问题", "风险雷达", "精华内容", "知识地图与缺口", "舆情防波堤"):
        assert f"\n## {title}\n" in md, title
    assert "\n## 问答搜索模型\n" not in md  # the search model's parameters are no operator reading
    assert "今日值得表彰" in _section(md, "今日概览")
    assert "求助提问" in _section(md, "互动网络")
    assert "| 问题 | 被问次数 |" in _section(md, "问答与重复问题")
    assert "| 风险 | 分数 | 级别 | 主要原因 |" in _section(md, "风险雷达")
    assert "| 排名 | 类型 | 问题 | 被问次数 | 回答率 | 原因 |" in _section(md, "知识地图与缺口")
    assert "| 方面 | 最近预警 | 负面帖（近 24 小时） |" in _section(md, "舆情防波堤")
    folder = str(db_path.parent)
    assert folder not in md and folder not in html and f"数据库文件：{db_path.name}" in md


def test_english_report_has_english_sections_and_an_ascii_colon(analysed_report):
    md, html = analysed_report["en"]
    assert "- Data as of: " in md and "Data as of：" not in md and "Data as of：" not in html and "Data as of: " in html
    for title in ("Today at a glance", "Interaction graph", "Q&A and repeated questions", "Risk radar", "Essence",
                  "Topic map and gaps", "Breakwater"):
        section = _section(md, title)
        head = [line for line in section.splitlines() if line.startswith("| ")][:1]
        assert not re.search(r"[\u4e00-\u9fff]", "".join(head)), (title, head)
    assert "Result table" not in md and "| section | key |" not in md


def test_breakwater_names_the_alarmed_aspects_and_the_posts_to_surface(db_path, monkeypatch):
    import reef.kb.room as room
    from reef.analyses import discover
    from reef.report.capability_sections import build_section
    from reef.store import open_store

    discover()
    store = open_store(db_path)
    aspect = store.fetch_value("SELECT aspect FROM crisis_daily WHERE aspect <> '全部' ORDER BY aspect LIMIT 1")
    real = room.hourly_table

    def alarmed(*args, **kw):  # the detector alarms on `aspect` at the last hour: what the section reads live
        table = real(*args, **kw)
        last = (table["aspect"] == aspect) & (table["t"] == table["t"].max())
        table.loc[last, "alarm"] = True
        return table

    monkeypatch.setattr(room, "hourly_table", alarmed)
    zh = build_section("kb_crisis", store, None, "zh")
    text = "".join(zh.paragraphs)
    assert "负面声量按近 24 小时计" in text and f"1 个方面正在预警：{aspect}（" in text
    assert zh.tables[0].rows[0][0] == aspect  # the alarmed aspect first, as the room opens on it
    en = build_section("kb_crisis", store, None, "en")
    assert "1 aspect is alarmed now" in "".join(en.paragraphs) and en.tables[0].columns[0] == "Aspect"


def test_quarantine_sentence_heads_its_reasons_and_the_chart_names_the_files(store, tmp_path):
    from reef.ingest import import_paths

    p = tmp_path / "members.jsonl"
    p.write_text('{"member_id": "y", "joined_at": "2026-01-01T08:00:00+08:00"}\nnot json\n', encoding="utf-8")
    q = tmp_path / "content.jsonl"
    q.write_text('{"content_id": "c", "kind": "thread", "author_id": "y", "created_at": "2026-01-02T08:00:00+08:00"}\n', encoding="utf-8")
    import_paths(store, [p, q])
    md = write_report(store, tmp_path / "out").with_suffix(".md").read_text(encoding="utf-8")
    after = md.split("主要原因如下", 1)[1].split("\n\n", 2)[1]  # the table right after the sentence
    assert after.startswith("| 原因")  # the reasons, not the per-table row counts
    assert "（图表见 report.html）" not in md and "reef-report-YYYY-MM-DD.html" in md


def test_ladder_table_title_says_its_order(loaded, tmp_path):
    md = write_report(loaded, tmp_path / "out").with_suffix(".md").read_text(encoding="utf-8")
    assert "潜力最高的成员" not in md and "先按阶段从高到低" in md  # stage first: "highest potential" misled
