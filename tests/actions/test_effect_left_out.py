"""`reef effect` says which recorded actions it left out and why: too recent (with the day each becomes
measurable), cancelled, naming no member, repeated, for staff, for a member who joined that day, unmatched."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.actions.effect import action_effect
from reef.store import close_all


@pytest.fixture
def recorded(store):
    """t1's recognition is measurable (c2 is its control); seven more recognitions are left out, one per reason."""
    with store.transaction():
        for m, kind, joined in (("t1", "member", "2025-01-01"), ("c1", "member", "2025-01-01"), ("c2", "member", "2025-01-01"),
                                ("c3", "member", "2025-01-01"), ("c4", "member", "2026-04-10"), ("s1", "staff", "2025-01-01")):
            store.execute("INSERT INTO members (member_id, joined_at, account_type) VALUES (?, CAST(? AS TIMESTAMPTZ), ?)",
                          [m, f"{joined} 12:00:00+08", kind])
        for m in ("t1", "c2"):
            store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                          "(?, 'thread', ?, TIMESTAMPTZ '2026-03-02 12:00:00+08')", [f"{m}-0", m])
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                      "('late', 'thread', 'c1', TIMESTAMPTZ '2026-06-01 00:00:00+08')")  # the end of the data
        store.execute("""INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status) VALUES
            ('a1', 'recognise', 'li', 't1', TIMESTAMPTZ '2026-03-01 15:00:00+08', 'done'),
            ('a3', 'recognise', 'li', 't1', TIMESTAMPTZ '2026-04-01 15:00:00+08', 'done'),
            ('a4', 'recognise', 'li', 's1', TIMESTAMPTZ '2026-03-01 15:00:00+08', 'done'),
            ('a5', 'recognise', 'li', NULL, TIMESTAMPTZ '2026-03-01 15:00:00+08', 'done'),
            ('a6', 'recognise', 'li', 'c2', TIMESTAMPTZ '2026-03-01 15:00:00+08', 'cancelled'),
            ('a7', 'recognise', 'li', 'c1', TIMESTAMPTZ '2026-05-20 15:00:00+08', 'done'),
            ('a8', 'recognise', 'li', 'c3', TIMESTAMPTZ '2026-06-10 15:00:00+08', 'done'),
            ('a9', 'recognise', 'li', 'c4', TIMESTAMPTZ '2026-04-10 15:00:00+08', 'done')""")
    return store


def test_every_recorded_action_is_counted_or_left_out_with_its_reason(recorded):
    r = action_effect(recorded, "recognise")
    assert r["left_out"] == {"cancelled": 1, "no_member": 1, "repeat": 1, "not_a_member": 1, "joined_after": 1,
                             "too_recent": 2, "unmatched": 0}
    assert r["n_recorded"] == 8 == r["n_treated"] + sum(r["left_out"].values())
    assert r["n_too_recent"] == 2 and r["n_ineligible"] == 2 and r["n_actions"] == 4  # t1, s1, c1, c4 before as_of
    # The one recorded after the data's end (the present) is too recent too, not missing.
    assert r["too_recent"] == [
        {"action_id": "a7", "action_day": "2026-05-20", "measurable_from": "2026-06-19", "recorded_after_as_of": False},
        {"action_id": "a8", "action_day": "2026-06-10", "measurable_from": "2026-07-10", "recorded_after_as_of": True}]
    assert r["measurable_from"] == "2026-06-19"
    assert r["left_out_note"] == ("已记录 8 条中有 7 条未计入：已取消 1 条，未指定成员 1 条，同一成员的后续记录 1 条，非普通成员账号 1 条，"
                                  "成员当天或之后才加入 1 条，观察期未满 2 条（最早 2026-06-19 起可评估）。")
    en = action_effect(recorded, "recognise", lang="en")["left_out_note"]
    assert en.startswith("7 of 8 recorded actions not counted: 1 cancelled,") and "2 too recent (the first measurable from 2026-06-19)" in en


def test_measurable_from_is_the_first_as_of_that_measures_it(recorded):
    day_before = action_effect(recorded, "recognise", as_of="2026-06-18")
    on_the_day = action_effect(recorded, "recognise", as_of="2026-06-19")
    assert "a7" in [a["action_id"] for a in day_before["too_recent"]]
    assert "a7" not in [a["action_id"] for a in on_the_day["too_recent"]]
    assert on_the_day["n_treated"] + on_the_day["left_out"]["unmatched"] == 2  # t1 and c1 now both measured


def test_a_past_as_of_does_not_count_actions_recorded_after_it(recorded):
    r = action_effect(recorded, "recognise", as_of="2026-03-15")
    assert r["n_recorded"] == 4 and r["left_out"]["too_recent"] == 1  # a1, a4, a5, a6: only t1's is too recent
    assert r["too_recent"] == [{"action_id": "a1", "action_day": "2026-03-01", "measurable_from": "2026-03-31",
                                "recorded_after_as_of": False}]


def test_nothing_left_out_says_nothing(store):
    r = action_effect(store, "recognise")
    assert r["left_out_note"] is None and r["measurable_from"] is None and r["too_recent"] == []
    assert set(r["left_out"].values()) == {0}


def test_cli_prints_the_left_out_line_and_json_carries_it(recorded):
    from reef.cli import app

    db = str(recorded.path)
    close_all()  # --no-ladder opens the store read-only
    runner = CliRunner()
    text = runner.invoke(app, ["effect", "--no-ladder", "--db", db])
    assert text.exit_code == 0, text.output
    assert "观察期未满 2 条（最早 2026-06-19 起可评估）" in text.stdout
    en = runner.invoke(app, ["effect", "--no-ladder", "--lang", "en", "--db", db])
    assert "2 too recent (the first measurable from 2026-06-19)" in en.stdout
    data = json.loads(runner.invoke(app, ["effect", "--no-ladder", "--db", db, "--json"]).stdout)
    assert data["measurable_from"] == "2026-06-19" and data["left_out"]["too_recent"] == 2
    assert [a["action_id"] for a in data["too_recent"]] == ["a7", "a8"]
