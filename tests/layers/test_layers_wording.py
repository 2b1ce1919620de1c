"""Layers wording: one idea per circle name, terms, topics and tenure bands in the operator's language, and the export
sheets that carry them (QA of the layers capability)."""
from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from reef.layers.groups import same_idea, top_terms
from reef.layers.wording import circle_label, tenure_label, topic_label


def test_a_circle_is_named_by_distinct_ideas():
    """QA: c01 was 充电与续航·续航·价格 with top terms 充电与续航、续航、价格、续航与充电."""
    terms = np.array(["#充电与续航", "续航", "@价格", "@续航与充电", "电耗", "改装"])
    mass = np.array([[9.0, 8, 7, 6, 5, 0], [0, 0, 0, 0, 0, 9]])
    assert [t for t, _ in top_terms(mass, terms, 4)[0]] == ["充电与续航", "价格", "电耗"]
    assert same_idea("安全", "安全性") and not same_idea("智能驾驶", "智能与车机") and not same_idea("S5", "S7")


def test_words_in_both_languages():
    assert circle_label("充电与续航·价格·电耗", "en") == "range and charging·price·电耗"
    assert circle_label("充电与续航·价格·电耗", "zh") == "充电与续航·价格·电耗"
    assert [topic_label("guide", "kind"), topic_label("guide", "kind", "en"), topic_label("价格", "aspect", "en"),
            topic_label("改装", "tag", "en")] == ["攻略", "guide", "price", "改装"]
    assert [tenure_label(b) for b in ("<365d", "365-730d", "730d+")] == ["不满一年", "1-2年", "两年以上"]
    assert tenure_label("730d+", "en") == "2 years or more" and tenure_label("other") == "other"


def test_export_gives_team_role_topic_and_tenure_their_words(store, tmp_path):
    """QA: 运营行动 kept team and role inside 附加信息's JSON; 受欢迎话题 said guide; 顾问团 sheets said 730d+."""
    openpyxl = pytest.importorskip("openpyxl")
    from reef import actions as A
    from reef.export import export_tables
    import reef.layers.surfaces  # noqa: F401  (registers the layers sheets)

    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at) VALUES ('m1', '大张', now())")
        store.execute("CREATE TABLE layers_plaza_topics AS SELECT * FROM (VALUES ('kind', 'guide', 3, 1.5), "
                      "('aspect', '价格', 4, 1.2), ('tag', '改装', 5, 1.1)) t(topic_type, topic, threads, lift)")
        store.execute("CREATE TABLE layers_council AS SELECT * FROM (VALUES (1, 'm1', '730d+'), (2, 'm1', '365-730d')) t(seat, member_id, tenure)")
    A.record_action(store, "m1", "add_to_team", details={"team": "新车主快速上手指南", "role": "主笔"}, by="li")
    A.record_action(store, "m1", "assign_task", details={"brief": "发起话题", "layer": "plaza", "due": "2026-07-31"}, by="li")
    export_tables(store, tmp_path / "zh.xlsx")
    book = openpyxl.load_workbook(tmp_path / "zh.xlsx", read_only=True)

    def rows(sheet):
        values = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(values[0], r)) for r in values[1:]]

    acts = rows("运营行动")
    team = next(r for r in acts if r["类型"] == "加入项目团队")
    assert (team["项目团队"], team["角色"]) == ("新车主快速上手指南", "主笔")
    task = next(r for r in acts if r["类型"] == "分派任务")
    assert (task["任务层级"], task["截止日期"]) == ("广场", "2026-07-31")
    assert [r["话题"] for r in rows("受欢迎话题")] == ["攻略", "价格", "改装"]
    assert [r["入会时长"] for r in rows("顾问团建议名单")] == ["两年以上", "1-2年"]
    export_tables(store, tmp_path / "en.xlsx", lang="en")
    en = openpyxl.load_workbook(tmp_path / "en.xlsx", read_only=True)
    values = list(en["Popular topics"].iter_rows(values_only=True))
    topic = values[0].index("Topic")
    assert [r[topic] for r in values[1:]] == ["guide", "price", "改装"]
    export_tables(store, tmp_path / "csv", fmt="csv", raw_headers=True)
    got = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "operator_actions.csv").read_text(encoding="utf-8-sig"))))
    assert {r["team"] for r in got} == {"新车主快速上手指南", ""}
