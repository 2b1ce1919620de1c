"""The ladder's surfaces (API view, export sheet, 成长阶梯 page), help credit and the funnel's median days."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.ladder import ladder_funnel
from reef.ladder.funnel import median_basis_note
from reef.store import open_store

import surface_fixtures as _mod  # loaded by tests/conftest.py


def test_api_view_filters_and_orders_ladder_members(handmade):
    from reef.actions.views import page_view

    import reef.ladder.surfaces  # noqa: F401  (registers the views)
    page = page_view(handmade, "ladder_members", filters={"stage": 4})
    assert [r["member_id"] for r in page["items"]] == ["lead"]
    everyone = page_view(handmade, "ladder_members", per_page=100)["items"]
    assert [r["stage"] for r in everyone] == sorted((r["stage"] for r in everyone), reverse=True)
    assert "s1" not in {r["member_id"] for r in everyone}  # staff never on the ladder
    events = page_view(handmade, "ladder_events", filters={"event": "promote"})["items"]
    assert events and all(e["event"] == "promote" for e in events)


def test_export_has_the_ladder_sheets(handmade, tmp_path):
    import openpyxl

    from reef.export import export_tables

    import reef.ladder.surfaces  # noqa: F401
    out = tmp_path / "ladder.xlsx"
    export_tables(handmade, out)
    book = openpyxl.load_workbook(out, read_only=True)
    assert {"阶梯", "阶梯变化", "异常点赞"} <= set(book.sheetnames)
    rows = list(book["阶梯"].iter_rows(values_only=True))
    assert len(rows) - 1 == handmade.fetch_value("SELECT count(*) FROM ladder_members")
    header = rows[0]
    assert rows[1][header.index("成员ID")] == "lead"  # sheet order: stage, then potential


def test_help_credit_is_read_from_the_ledger_and_shown(handmade):
    if not handmade.table_exists("network_help_acts"):
        pytest.skip("network_helpers did not run")
    row = handmade.fetch_dicts("SELECT help_credit, life_help_credit, people_helped, evidence_zh, evidence_en "
                               "FROM ladder_members WHERE member_id = 'conn'")[0]
    ledger = handmade.fetch_value("SELECT sum(credit) FROM network_help_acts WHERE helper_id = 'conn'")
    assert row["life_help_credit"] == pytest.approx(ledger) and row["help_credit"] > 0
    assert "互助积分" in row["evidence_zh"] and "help credit" in row["evidence_en"]


def test_help_counts_at_least_as_much_as_content_in_potential():
    import numpy as np

    from reef.ladder.params import LadderParams
    from reef.ladder.stages import MEASURES, potential

    p = LadderParams()
    base = {m: np.zeros(2) for m in MEASURES}
    content = {**base, "orig_ok": np.array([3.0, 0.0]), "help_credit": np.array([0.0, 3.0])}
    steady = np.full(2, 0.5)
    for level in (2, 3, 4):  # depth (and, below stage 4, progress as a connector): help never counts less
        stage = np.array([level, level])
        pot = potential(stage, content, steady, p)
        assert pot[1] >= pot[0] > 0


def _funnel_store(as_of):
    s = open_store(":memory:")
    s.execute("""CREATE TABLE ladder_members AS SELECT * FROM (VALUES
        ('old', TIMESTAMPTZ '2020-01-01 00:00:00+00', 2, 2, CAST($a AS TIMESTAMPTZ)),
        ('new', CAST($a AS TIMESTAMPTZ) - INTERVAL 100 DAY, 2, 2, CAST($a AS TIMESTAMPTZ)))
        t(member_id, joined_at, stage, max_stage, as_of)""", {"a": as_of})
    # The funnel's other queries read these columns; values do not matter here.
    s.execute("ALTER TABLE ladder_members ADD COLUMN name VARCHAR; ALTER TABLE ladder_members ADD COLUMN stage_name VARCHAR")
    for col in ("potential", "evidence_zh", "evidence_en"):
        s.execute(f"ALTER TABLE ladder_members ADD COLUMN {col} VARCHAR")
    s.execute("ALTER TABLE ladder_members ADD COLUMN stage_since TIMESTAMPTZ")
    s.execute("""CREATE TABLE ladder_events AS SELECT * FROM (VALUES
        ('old', CAST($a AS TIMESTAMPTZ) - INTERVAL 360 DAY, 'start', 0, 2),
        ('new', CAST($a AS TIMESTAMPTZ) - INTERVAL 90 DAY, 'start', 0, 1),
        ('new', CAST($a AS TIMESTAMPTZ) - INTERVAL 80 DAY, 'promote', 1, 2)) t(member_id, "at", event, from_stage, to_stage)""",
              {"a": as_of})
    return s


def test_median_days_ignore_members_who_joined_before_the_replay():
    f = ladder_funnel(_funnel_store(datetime(2026, 6, 1, tzinfo=timezone.utc)))
    # 'old' joined six years before the replayed history: its first checkpoint says nothing about how long it took.
    assert f["median_days_to_reach"] == {1: 10.0, 2: 20.0, 3: None, 4: None}  # every stage a key


def test_the_median_note_names_the_data_start_to_the_minute_and_who_is_left_out():
    # The bound is a moment, not a day: 'dawn' joined two hours before the first post on the same day and is left out;
    # 'sharp' joined at that very moment and counts (joined_at >= data start). The note used to give only the date
    # ("joined after the data starts (2026-01-01)") and, with nobody counted, "nobody has joined since the data starts"
    # beside a cohort table listing members who joined that day; it now names the minute and how many were left out.
    as_of = datetime(2026, 6, 1, tzinfo=timezone.utc)
    start = datetime(2026, 1, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Asia/Shanghai, the store's time zone
    s = _funnel_store(as_of)
    s.execute("DELETE FROM ladder_members WHERE member_id = 'new'")
    s.execute("""INSERT INTO ladder_members (member_id, joined_at, stage, max_stage, as_of)
                 VALUES ('dawn', CAST($j AS TIMESTAMPTZ), 1, 1, CAST($a AS TIMESTAMPTZ))""", {"j": start - timedelta(hours=2), "a": as_of})
    s.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES ('c1', 'thread', 'dawn', CAST($t AS TIMESTAMPTZ))",
              {"t": start})
    f = ladder_funnel(s)
    assert (f["median_basis"]["members"], f["median_basis"]["before"]) == (0, 2)
    assert f["median_basis"]["since_at"] == "2026-01-01 10:00" and f["median_basis"]["since"] == "2026-01-01"
    zh, en = median_basis_note(f["median_basis"], "zh"), median_basis_note(f["median_basis"], "en")
    assert zh == "暂无可统计的成员：全部 2 名成员都在数据开始（2026-01-01 10:00，最早的内容或互动）之前加入，他们何时到达某阶段，数据里看不出来。"
    assert en.startswith("No one to count yet: the 2 members on the ladder joined before the data starts (2026-01-01 10:00, ")
    s.execute("""INSERT INTO ladder_members (member_id, joined_at, stage, max_stage, as_of)
                 VALUES ('sharp', CAST($j AS TIMESTAMPTZ), 1, 1, CAST($a AS TIMESTAMPTZ))""", {"j": start, "a": as_of})
    f = ladder_funnel(s)
    assert (f["median_basis"]["members"], f["median_basis"]["before"]) == (1, 2)
    zh, en = median_basis_note(f["median_basis"], "zh"), median_basis_note(f["median_basis"], "en")
    assert zh == ("中位天数只统计在数据开始（2026-01-01 10:00，最早的内容或互动）当时或之后加入的 1 名成员。"
                  "更早加入的 2 名成员不计入：他们何时到达某阶段，数据里看不出来。")
    assert en == ("Median days count only the 1 member who joined at or after the moment the data starts (2026-01-01 10:00, "
                  "the first content or interaction). The 2 members who joined earlier are left out: when they reached a "
                  "stage the data cannot tell.")


def test_ladder_page_for_a_viewer_in_both_languages(client):
    _mod.login(client, "viewer")
    zh = client.get("/ladder")
    assert zh.status_code == 200
    assert "阶梯漏斗" in zh.text and "按加入月份的转化" in zh.text and "长期停留在同一阶段" in zh.text
    assert 'href="/ladder"' in zh.text
    en = client.get("/ladder?lang=en")
    assert "Funnel" in en.text and "Conversion by monthly join cohort" in en.text
    assert "<script>alert" not in zh.text


def test_ladder_page_needs_a_login(client):
    r = client.get("/ladder", follow_redirects=False)
    assert r.status_code in (302, 303, 307, 401)


def test_median_days_count_only_members_who_joined_after_the_data_starts():
    # Data whose members joined long before it: 'pre' joined 200 days before as_of (inside the 365-day replay) but
    # the first content is 150 days before as_of, so its first stage event says nothing about how long it took to
    # get there. It used to count (medians 60 and 65 days instead of 10 and 20).
    as_of = datetime(2026, 6, 1, tzinfo=timezone.utc)
    s = _funnel_store(as_of)
    s.execute("""INSERT INTO ladder_members (member_id, joined_at, stage, max_stage, as_of)
                 VALUES ('pre', CAST($a AS TIMESTAMPTZ) - INTERVAL 200 DAY, 2, 2, CAST($a AS TIMESTAMPTZ))""", {"a": as_of})
    s.execute("""INSERT INTO ladder_events VALUES ('pre', CAST($a AS TIMESTAMPTZ) - INTERVAL 90 DAY, 'start', 0, 2)""", {"a": as_of})
    s.execute("""INSERT INTO content (content_id, kind, author_id, created_at)
                 VALUES ('c1', 'thread', 'pre', CAST($a AS TIMESTAMPTZ) - INTERVAL 150 DAY)""", {"a": as_of})
    f = ladder_funnel(s)
    assert f["median_days_to_reach"] == {1: 10.0, 2: 20.0, 3: None, 4: None}  # every stage a key
    assert f["median_basis"]["members"] == 1  # 'new' only, and the page's note says so
    assert f["median_basis"]["since"] == (as_of - timedelta(days=150)).strftime("%Y-%m-%d")
    assert f["median_basis"]["bound"] == "data"
    # The chart's "at this stage or above" and the table's "now at this stage" are both in the data.
    assert [(r["members"], r["reached"]) for r in f["stages"]] == [(0, 3), (0, 3), (3, 3), (0, 0), (0, 0)]
