"""The base analyses against figures computed by hand from tests/analyses/handmade.py."""
from __future__ import annotations

from datetime import date

import pytest

from analyses.handmade import load_community
from reef.analyses import run_analyses


@pytest.fixture
def loaded(store, tmp_path):
    load_community(store, tmp_path / "data")
    return store


def _daily(store) -> dict[date, dict]:
    return {r["day"]: r for r in store.fetch_dicts("SELECT * FROM activity_daily")}


def test_activity_daily_matches_hand_counts(loaded):
    run_analyses(loaded)
    days = _daily(loaded)
    assert sorted(days) == [date(2026, 1, d) for d in range(1, 7)]  # dense: quiet days are rows of zeros
    jan2 = days[date(2026, 1, 2)]
    # m1 and m2 posted; the staff reply (c3) counts as content but not as an active member.
    assert (jan2["active_members"], jan2["content_total"], jan2["content_thread"], jan2["content_reply"]) == (2, 3, 1, 2)
    assert (jan2["interactions_total"], jan2["interactions_like"], jan2["new_members"]) == (2, 2, 1)
    # s1 (staff) joined on Jan 1 too, but only m1 is a new member.
    assert days[date(2026, 1, 1)]["new_members"] == 1
    # c4 at 23:30 Shanghai time is Jan 4 in the configured zone (15:30 UTC).
    assert days[date(2026, 1, 4)]["content_thread"] == 1
    assert days[date(2026, 1, 6)]["content_answer"] == 1 and days[date(2026, 1, 6)]["interactions_accept"] == 1
    assert sum(r["new_members"] for r in days.values()) == 3


def test_member_summary_matches_hand_counts(loaded):
    run_analyses(loaded)
    rows = {r["member_id"]: r for r in loaded.fetch_dicts("SELECT * FROM member_summary")}
    assert set(rows) == {"m1", "m2", "m3", "s1"}
    m1, m2, m3, s1 = rows["m1"], rows["m2"], rows["m3"], rows["s1"]
    # m1: thread c1; liked own c1 (not "received"), liked by m2 and s1; mentioned m3.
    assert (m1["content_total"], m1["content_thread"], m1["interactions_given"], m1["interactions_received"]) == (1, 1, 2, 2)
    assert (m2["content_total"], m2["content_reply"], m2["interactions_given"], m2["interactions_received"]) == (2, 1, 2, 0)
    assert (m3["content_answer"], m3["interactions_received"]) == (1, 2)  # mention + accept
    assert s1["is_staff"] and not m1["is_staff"]
    assert m1["first_activity_at"].isoformat().startswith("2026-01-02T10:00")
    assert m2["last_activity_at"].isoformat().startswith("2026-01-06T12:00")
    # Default as_of is the end of the data: 2026-01-06 12:00:01 Shanghai.
    assert (m1["tenure_days"], m3["tenure_days"]) == (5, 1)


def test_as_of_excludes_later_rows(loaded):
    run_analyses(loaded, as_of="2026-01-03")
    days = _daily(loaded)
    assert max(days) == date(2026, 1, 2)
    assert sum(r["content_total"] for r in days.values()) == 3
    rows = {r["member_id"]: r for r in loaded.fetch_dicts("SELECT * FROM member_summary")}
    assert "m3" not in rows  # joined on Jan 5
    assert rows["m2"]["content_total"] == 1  # c4 is later
    assert rows["m1"]["interactions_given"] == 0  # i3 and i4 are later
    assert rows["m1"]["tenure_days"] == 2
    assert loaded.fetch_value("SELECT count(*) FROM analysis_runs WHERE as_of = '2026-01-03 00:00:00+08' AND name IN ('activity_daily', 'member_summary')") == 2


def test_deleted_content_disappears_after_its_deletion(store, tmp_path):
    load_community(store, tmp_path / "data")
    store.execute("UPDATE content SET deleted_at = '2026-01-05T00:00:00+08:00' WHERE content_id = 'c1'")
    run_analyses(store, as_of="2026-01-04")
    assert store.fetch_value("SELECT content_thread FROM member_summary WHERE member_id = 'm1'") == 1
    run_analyses(store, as_of="2026-01-06")
    assert store.fetch_value("SELECT content_thread FROM member_summary WHERE member_id = 'm1'") == 0


def test_a_member_who_left_later_still_counts_on_the_days_they_were_there(loaded, tmp_path):
    # A weekly report must not rewrite a past week: m2 posted on Jan 2 and 4 and joined on Jan 2, then left on Jan 6.
    import json

    from reef.ingest import import_paths

    run_analyses(loaded, as_of="2026-01-06T00:00:00+08:00")
    before = _daily(loaded)
    left = tmp_path / "left" / "members.jsonl"
    left.parent.mkdir()
    left.write_text(json.dumps({"member_id": "m2", "name": "小李", "joined_at": "2026-01-02T09:00:00+08:00",
                                "left_at": "2026-01-06T09:00:00+08:00"}, ensure_ascii=False) + "\n", encoding="utf-8")
    import_paths(loaded, [left])
    run_analyses(loaded, as_of="2026-01-07T00:00:00+08:00")
    after = _daily(loaded)
    for d in (date(2026, 1, 2), date(2026, 1, 4)):
        assert (after[d]["active_members"], after[d]["new_members"]) == (before[d]["active_members"], before[d]["new_members"])
    assert after[date(2026, 1, 2)]["active_members"] == 2 and after[date(2026, 1, 2)]["new_members"] == 1
