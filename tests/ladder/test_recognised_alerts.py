"""The recognise-now alerts know who was recognised since the act (reef.ladder.recognised): marked, listed last,
left out of 今日's count, read up to the ladder's as_of, a cancelled recognition not counting."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from reef.actions import record_action, update_action
from reef.actions.overview import PANELS, today_overview
from reef.ladder import ladder_alerts
from reef.ladder.recognised import pending_alerts, recognised_label
from reef.store import open_store

T = datetime(2026, 6, 1, 10, tzinfo=timezone(timedelta(hours=8)))
DATA_END = T - timedelta(hours=2)  # the last post; the data's end is a second later
AT = T - timedelta(hours=3)        # every alert's act


def _alerts(store, as_of) -> None:
    """Three alerts (m1, m2, m3 by rank) of a ladder run at ``as_of``, as the ladder writes them."""
    store.execute("""CREATE OR REPLACE TABLE ladder_alerts AS
        SELECT r AS rank, 'first_original' AS alert, 'm' || r AS member_id, '车主' || r AS name, CAST(2 AS TINYINT) AS stage,
               CAST(NULL AS TINYINT) AS stage_before, 50.0 - r AS potential, 'c' || r AS content_id, 'thread' AS content_kind,
               CAST(NULL AS VARCHAR) AS act, CAST(NULL AS INTEGER) AS uses, CAST($at AS TIMESTAMPTZ) AS "at",
               CAST($at AS TIMESTAMPTZ) AS act_created_at, '分享' AS snippet, '首次发布原创：分享，请立即认可' AS message_zh,
               'first original post: share - recognise now' AS message_en, CAST($as_of AS TIMESTAMPTZ) AS as_of
        FROM range(1, 4) t(r)""", {"at": AT, "as_of": as_of})


@pytest.fixture
def s(tmp_path):
    store = open_store(tmp_path / "reef.duckdb")
    with store.transaction():
        for m in ("m1", "m2", "m3"):
            store.execute("INSERT INTO members (member_id, name, joined_at) VALUES (?, ?, ?)", [m, m, T - timedelta(days=100)])
            store.execute("INSERT INTO content (content_id, kind, author_id, created_at, body) VALUES (?, 'thread', ?, ?, 'x')",
                          ["c" + m[1], m, DATA_END])
        _alerts(store, DATA_END + timedelta(seconds=1))  # the default as_of: the end of the data
    yield store
    store.close()


def _imported(store, action_id, member, at, status="done", **attrs) -> None:
    """A recognise action recorded at ``at`` (as an import brings it: no wall-clock time)."""
    store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs, ingested_at) "
                  "VALUES (?, 'recognise', 'ops', ?, ?, ?, ?, now())",
                  [action_id, member, at, status, json.dumps({k: v.isoformat() for k, v in attrs.items()})])


def _order(store):
    return [(a["member_id"], a["recognised_status"]) for a in ladder_alerts(store)]


def test_a_recognised_member_is_marked_and_listed_after_the_others(s):
    assert _order(s) == [("m1", None), ("m2", None), ("m3", None)]
    a = record_action(s, "m1", "recognise", status="done", by="li")
    rows = ladder_alerts(s)
    assert [(r["member_id"], r["recognised_status"]) for r in rows] == [("m2", None), ("m3", None), ("m1", "done")]
    assert rows[-1]["recognised_action"] == a["action_id"] and rows[-1]["recognised_at"][:10] == a["created_at"][:10]
    assert rows[0]["recognised_at"] is None
    assert recognised_label(rows[-1]) == f"已认可 {a['created_at'][:10]}"
    assert recognised_label(rows[-1], "en").startswith("recognised ") and recognised_label(rows[0]) == ""
    assert [r["member_id"] for r in ladder_alerts(s, pending_only=True)] == ["m2", "m3"]


def test_an_open_recognition_is_handled_but_planned_and_a_done_one_wins(s):
    record_action(s, "m2", "recognise", status="open", by="li")
    assert _order(s) == [("m1", None), ("m3", None), ("m2", "open")]
    assert recognised_label(ladder_alerts(s)[-1]).startswith("已安排 ")
    assert pending_alerts(s, top=5)["n"] == 2 and pending_alerts(s)["handled"] == 1
    record_action(s, "m2", "recognise", status="done", by="li")
    assert _order(s)[-1] == ("m2", "done")


def test_a_cancelled_recognition_or_one_before_the_act_does_not_count(s):
    a = record_action(s, "m1", "recognise", status="open", by="li")
    update_action(s, a["action_id"], status="cancelled", by="li")
    with s.transaction():
        _imported(s, "x-early", "m3", AT - timedelta(minutes=1))  # recognised for something earlier
    assert _order(s) == [("m1", None), ("m2", None), ("m3", None)]
    assert pending_alerts(s)["n"] == 3


def test_the_ladders_as_of_bounds_the_recognitions_read(s):
    as_of = AT + timedelta(minutes=30)  # inside the data: a past as_of
    with s.transaction():
        _alerts(s, as_of)
        _imported(s, "x1", "m1", AT + timedelta(minutes=10))  # before as_of: counts
        _imported(s, "x2", "m2", as_of + timedelta(minutes=10))  # after as_of: not yet
        # done after as_of: still open then; cancelled after as_of: still counts then
        _imported(s, "x3", "m3", AT + timedelta(minutes=5), done_at=as_of + timedelta(minutes=5))
        _imported(s, "x4", "m3", AT + timedelta(minutes=20), status="cancelled", cancelled_at=as_of + timedelta(minutes=1))
    assert _order(s) == [("m2", None), ("m1", "done"), ("m3", "open")]
    assert ladder_alerts(s)[1]["recognised_at"].startswith((AT + timedelta(minutes=10)).isoformat()[:16])
    with s.transaction():  # the ladder at the end of the data reads every recognition recorded since
        _alerts(s, DATA_END + timedelta(seconds=1))
    assert _order(s) == [("m1", "done"), ("m2", "done"), ("m3", "done")]


def test_today_counts_and_shows_only_the_members_still_to_recognise(s):
    def card():
        found = [a for a in today_overview(s, lang="en")["alerts"] if a["key"] == "alert.recognise_now"]
        return found[0] if found else None

    assert card()["n"] == 3 and [i["member_id"] for i in card()["items"]] == ["m1", "m2", "m3"]
    record_action(s, "m1", "recognise", status="done", by="li")
    assert card()["n"] == 2 and [i["member_id"] for i in card()["items"]] == ["m2", "m3"]
    assert len(PANELS["ladder_alerts"](s, lang="en", masked=False)["lines"]) == 2
    record_action(s, "m2", "recognise", status="open", by="li")  # planned: on the 任务 list already
    record_action(s, "m3", "recognise", status="done", by="li")
    assert card() is None and PANELS["ladder_alerts"](s, lang="en", masked=False) is None
    assert len(ladder_alerts(s)) == 3  # the lists keep them, marked
