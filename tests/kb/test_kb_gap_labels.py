"""Knowledge-gap labels agree with their figures and reasons, outdated reasons say plainly when no version was known,
English readers get English topic titles, and a negative-scoring top answer is not called a best answer."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.analyses import run_analyses
from reef.i18n import code_label
from reef.store import open_store
from tests.conftest import import_rows

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))


def ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


def rows():
    members = [{"member_id": m, "name": m, "joined_at": ts(-100)} for m in ("ask1", "ask2", "ask3", "ask4", "pro", "fan", "noob")]
    content, inter = [], []

    def c(cid, kind, author, day, **kw):
        content.append({"content_id": cid, "kind": kind, "author_id": author, "created_at": ts(day), **kw})

    # Asked three times, answered once: mostly unanswered (33 %), not "nobody answered".
    c("p1", "thread", "ask1", 2, title="取送车服务怎么预约？", body="请问取送车服务怎么预约？")
    c("pa", "answer", "pro", 2.1, parent_id="p1", body="在APP的服务页面里点取送车，填好时间地址就可以预约，一般提前一天。")
    c("p2", "thread", "ask2", 6, title="取送车服务怎么预约啊？", body="取送车服务怎么预约啊？")
    c("p3", "thread", "ask3", 9, title="取送车服务如何预约？", body="取送车服务如何预约？")
    # Asked twice, never answered: unanswered, and its topic has no answer at all.
    c("n1", "thread", "noob", 40, title="车机支持CarPlay吗？", body="请问车机支持CarPlay吗？")
    c("n2", "thread", "ask4", 42, title="车机支持CarPlay吗", body="车机支持CarPlay吗")
    # An answer naming no version, written before OTA 6.1 arrived on its topic (and scoring below zero).
    c("q5", "thread", "ask3", 10, title="车机升级后卡顿怎么办？", body="请问车机升级后卡顿怎么办？")
    c("a5", "answer", "pro", 10.2, parent_id="q5", body="重启一下车机就不卡了，长按方向盘上的按键十秒。")
    for k, who in enumerate(("ask1", "ask2", "fan")):
        c(f"o{k}", "thread", who, 30 + k, title=f"OTA 6.1 车机体验{k}", body="OTA 6.1推送了，车机流畅了不少，续航显示也准了")
    inter = [{"interaction_id": "l1", "kind": "like", "actor_id": "ask1", "created_at": ts(3), "target_content_id": "pa"}]
    return {"members": members, "content": content, "interactions": inter}


@pytest.fixture(scope="module")
def gaps_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb_labels")
    store = import_rows(folder, rows())
    run_analyses(store, as_of=T0 + timedelta(days=60), only=["kb_qa", "kb_gaps"])
    store.close()
    return folder / "reef.duckdb"


def test_gap_labels_agree_with_the_answered_share_and_the_reason(gaps_store):
    from reef.kb.views import gaps_list

    store = open_store(gaps_store, read_only=True)
    gaps = gaps_list(store, top=50)
    by_title = {(g["kind"], g["title"]): g for g in gaps}
    assert by_title[("unanswered", "取送车服务怎么预约？")]["label"] == "mostly_unanswered"  # 33 % answered
    assert by_title[("unanswered", "车机支持CarPlay吗？")]["label"] == "unanswered"
    bare = [g for g in gaps if g["label"] == "topic_unanswered"]
    assert bare, "the hand-made store has a topic without answers"
    # a topic with no answer has no stale answer: its kind is unanswered, as its label and reason say (was stale)
    assert all(g["kind"] == "unanswered" and g["reason"] == "该话题还没有任何回答" for g in bare)
    for g in gaps:
        if g["label"] == "unanswered":
            assert g["answered_share"] == 0 and "回答率0%" in g["reason"]
        if g["label"] == "mostly_unanswered":
            assert 0 < g["answered_share"] < 0.5
        if g["reason"] == "该话题还没有任何回答":  # was labelled 回答陈旧 (stale answers)
            assert g["label"] == "topic_unanswered"
        if g["label"] == "stale":
            assert "还没有任何回答" not in g["reason"]
    from reef.i18n import code_label

    assert code_label("mostly_unanswered") == "多数未回答" and code_label("topic_unanswered") == "话题无人回答"


def test_an_outdated_reason_says_plainly_that_no_version_was_known(gaps_store):
    store = open_store(gaps_store, read_only=True)
    zh, en = store.fetch_all("SELECT reason_zh, reason_en FROM kb_gaps WHERE kind = 'outdated' AND title = '车机升级后卡顿怎么办？'")[0]
    assert "无版本" not in zh and "当时该话题还没有人讨论过任何OTA版本" in zh and "OTA 6.1" in zh
    assert "newest then: none" not in en and "no OTA version had been discussed on this topic then" in en


def test_kb_page_uses_english_titles_in_english_and_does_not_call_a_weak_answer_best(gaps_store):
    from reef.kb.surfaces import kb_page

    store = open_store(gaps_store, read_only=True)
    en = kb_page(store, lang="en", masked=False)
    zh = kb_page(store, lang="zh", masked=False)
    stale_en = [g["title"] for g in en["gaps"]["items"] if g["label"] == "topic_unanswered"]
    stale_zh = [g["title"] for g in zh["gaps"]["items"] if g["label"] == "topic_unanswered"]
    assert stale_en == ["features · unknown model · daily use"] and stale_zh == ["配置 · 未知 · 日常用车"]
    assert {g["label"] for g in en["gaps"]["items"]} >= {"mostly_unanswered", "topic_unanswered"}
    best = {r["question_id"]: r for r in en["best"]["items"]}
    assert best["q5"]["best_score"] < 0 and best["q5"]["weak"]  # not accepted, below kb.poor_answer_score
    assert best["p1"]["best_score"] >= 0 and not best["p1"]["weak"]
    assert en["poor_score"] == 0.0 and en["accept_score"] == 10.0


def test_a_gaps_table_from_before_the_label_column_still_reads(gaps_store, tmp_path):
    import shutil

    from reef.kb.views import gaps_list

    copy = tmp_path / "old.duckdb"
    shutil.copy(gaps_store, copy)
    store = open_store(copy)
    store.execute("UPDATE kb_gaps SET kind = 'stale' WHERE cluster_id IS NULL")  # before kb_gaps 7 a topic row's kind
    store.execute("ALTER TABLE kb_gaps DROP COLUMN label")  # kb_gaps version 3, not yet re-analysed
    labels = {(g["kind"], g["title"]): g["label"] for g in gaps_list(store, top=50)}
    assert labels[("unanswered", "取送车服务怎么预约？")] == "mostly_unanswered"
    assert labels[("stale", "配置 · 未知 · 日常用车")] == "topic_unanswered"


def test_the_reports_gap_section_names_rows_by_their_label(gaps_store, tmp_path):
    import shutil

    from reef.analyses import discover
    from reef.report.capability_sections import build_section

    discover()
    shutil.copy(gaps_store, tmp_path / "r.duckdb")
    store = open_store(tmp_path / "r.duckdb")
    section = build_section("kb_gaps", store, None, "zh")
    shown = {(r[1], r[2]) for r in section.tables[0].rows}
    # 33 % answered: called 多数未回答, never 无人回答
    assert ("多数未回答", "取送车服务怎么预约？") in shown and ("无人回答", "取送车服务怎么预约？") not in shown
    assert "多数未回答" in section.paragraphs[0]
    store.close()


def test_the_workbooks_kind_label_reason_and_stage_agree(gaps_store, tmp_path):
    """知识缺口 in the workbook: a topic with no answer is not 回答陈旧 (stale answers) in its Kind column while its label
    says 话题无人回答 and its reason 该话题还没有任何回答; in English its stage is in English too."""
    import shutil

    openpyxl = pytest.importorskip("openpyxl")
    from reef.export import export_tables

    copy = tmp_path / "x.duckdb"
    shutil.copy(gaps_store, copy)
    store = open_store(copy)
    for lang, title, kind, label, reason, stage in (("zh", "知识缺口", "类型", "标签", "原因", "阶段"),
                                                    ("en", "Knowledge gaps", "Kind", "Label", "Reason", "Stage")):
        export_tables(store, tmp_path / f"{lang}.xlsx", lang=lang)
        rows = list(openpyxl.load_workbook(tmp_path / f"{lang}.xlsx", read_only=True)[title].iter_rows(values_only=True))
        head, rows = rows[0], rows[1:]
        bare = [r for r in rows if r[head.index(label)] == code_label("topic_unanswered", lang)]
        assert bare
        for r in bare:
            assert r[head.index(kind)] == code_label("unanswered", lang) != code_label("stale", lang)
            assert r[head.index(reason)] in ("该话题还没有任何回答", "no answer on this topic yet")
        if lang == "en":
            assert {r[head.index(stage)] for r in rows} <= {"daily use", "purchase", "delivery", "charging", "winter",
                                                           "long trip", "maintenance", "modification", None}


def test_the_topic_map_marks_a_topic_nobody_answered_as_the_gaps_do_on_every_surface(gaps_store, tmp_path):
    """QA: the topic map marked 配置 · 未知 · 日常用车 (asked twice, no answer at all) 回答陈旧 ⚠ / stale on the CLI, the
    API's kb_topics, /kb and the report while the gaps call it 话题无人回答 (kb_gaps 7); its stale flag is false now."""
    from typer.testing import CliRunner

    from reef.actions.views import page_view
    from reef.cli import app
    from reef.kb.surfaces import kb_page
    from reef.kb.views import topics_list
    from reef.report.capability_sections import build_section

    def bare(rows):
        return [r for r in rows if r["aspect"] in ("配置", "features") and r["car_model"] in ("未知", "unknown")]

    store = open_store(gaps_store, read_only=True)
    for lang in ("zh", "en"):
        rows = bare(topics_list(store, top=100, lang=lang))
        assert rows and all(r["mark"] == "topic_unanswered" and r["stale"] is False for r in rows), rows
        page = bare(kb_page(store, lang=lang, masked=False, per_page=100)["topics"]["items"])
        assert page and all(r["mark"] == "topic_unanswered" and not r["stale"] for r in page)
        api = bare(page_view(store, "kb_topics", per_page=100, lang=lang)["items"])
        assert api and all(r["mark"] == "topic_unanswered" and r["mark_label"] == code_label("topic_unanswered", lang)
                           and not r["stale"] for r in api)
        section = build_section("kb_gaps", store, T0 + timedelta(days=60), lang)
        topic_table = [tb for tb in section.tables if tb.caption and ("知识地图" in tb.caption or "Topic map" in tb.caption)][0]
        assert code_label("topic_unanswered", lang) in [r[-1] for r in topic_table.rows]
        assert code_label("stale", lang) not in [r[-1] for r in topic_table.rows]  # the one answered topic is fresh
        assert ("0 个的回答已陈旧、" if lang == "zh" else "0 with stale answers,") in topic_table.caption
    store.close()
    res = CliRunner().invoke(app, ["kb", "topics", "--db", str(gaps_store), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    assert "话题无人回答" in res.output and "回答陈旧" not in res.output


def test_a_topic_map_written_before_kb_gaps_8_is_read_with_the_same_mark(gaps_store, tmp_path):
    """A kb_topics table written before the mark column (stale true for a topic without answers) reads the same."""
    import shutil

    from reef.kb.views import topics_list

    copy = tmp_path / "old.duckdb"
    shutil.copy(gaps_store, copy)
    store = open_store(copy)
    store.execute("ALTER TABLE kb_topics DROP COLUMN mark")
    store.execute("UPDATE kb_topics SET stale = true WHERE answer_age_days IS NULL")
    rows = [r for r in topics_list(store, top=100) if r["answer_age_days"] is None]
    assert rows and all(r["mark"] == "topic_unanswered" and not r["stale"] for r in rows)
    store.close()


def test_the_topic_map_view_names_its_stages_in_english(gaps_store):
    """QA: the topic map's stage stayed a Chinese code (日常用车) in English; the kb_topics view labels it as the
    workbook does (daily use)."""
    from reef.actions.views import page_view

    store = open_store(gaps_store, read_only=True)
    rows = page_view(store, "kb_topics", per_page=100, lang="en")["items"]
    assert rows and {r["stage"]: r["stage_label"] for r in rows}.get("日常用车") == "daily use"
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in r["stage_label"]) for r in rows)
    zh = page_view(store, "kb_topics", per_page=100, lang="zh")["items"]
    assert {r["stage_label"] for r in zh} == {r["stage"] for r in zh}
    store.close()
