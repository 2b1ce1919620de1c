"""The fast read paths answer what the slow ones would: precomputed status and recognition candidates
equal the live queries, the read cache computes a miss once, and clock-free answers outlive the TTL
but never a write."""
from __future__ import annotations

import threading
import time

import pytest

from surface_fixtures import PASSWORD, client_on, login

pytest.importorskip("fastapi")


def test_status_summary_equals_the_live_status(db_path):
    from reef.analyses.overview_readers import status_summary
    from reef.report.status import store_status
    from reef.store import open_store

    store = open_store(db_path)
    fast = status_summary(store)
    assert fast["precomputed_at"] is not None  # build_store ran every analysis, store_overview included
    live = store_status(store)
    assert {k: v for k, v in fast.items() if k != "precomputed_at"} == live
    assert sum(fast["content_by_kind"].values()) == fast["tables"]["content"] > 0


def test_status_falls_back_to_live_after_an_import(db_path):
    from reef.analyses.overview_readers import status_summary
    from reef.store import open_store

    store = open_store(db_path)
    with store.transaction():  # an import finished after the last store_overview run
        store.execute("INSERT INTO imports (import_id, started_at, finished_at, format) "
                      "VALUES (999, now() + INTERVAL 1 HOUR, now() + INTERVAL 1 HOUR, 'jsonl')")
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at, body) "
                      "VALUES ('late-1', 'guide', 'evil', TIMESTAMPTZ '2026-06-21 10:00:00+08', 'x')")
    status = status_summary(store)
    assert status["precomputed_at"] is None and status["content_by_kind"]["guide"] >= 1


def test_recognise_today_matches_the_live_ranking_and_skips_the_recognised(db_path):
    from reef.actions import record_action
    from reef.analyses.overview_readers import recognise_today
    from reef.store import open_store

    store = open_store(db_path)
    days, top = int(store.config.get("server.recognise_days")), int(store.config.get("server.recognise_top"))
    excluded = {r[0] for r in store.fetch_all("SELECT member_id FROM ladder_members WHERE hostile > 0 UNION "
                                              "SELECT member_id FROM risk_evidence WHERE part IN ('burnout', 'care')")}
    # recognised in the 30 days before the data's end (the as_of), not before the wall clock: the store's recognitions
    # are dated inside the data, months before today
    excluded |= {r[0] for r in store.fetch_all("SELECT member_id FROM operator_actions WHERE kind = 'recognise' AND created_at >= "
                                               "(SELECT max(last_activity_at) FROM member_summary) - INTERVAL 30 DAY")}
    live = [r[0] for r in store.fetch_all(
        """SELECT member_id FROM member_summary WHERE NOT is_staff
           AND last_activity_at >= (SELECT max(last_activity_at) FROM member_summary) - to_days(CAST(? AS INTEGER))
           ORDER BY interactions_received DESC, member_id""", [days]) if r[0] not in excluded][:top]
    fast = [r["member_id"] for r in recognise_today(store, top=top)]
    assert fast == live and fast
    record_action(store, fast[0], "recognise", by="operator", role="operator")
    again = [r["member_id"] for r in recognise_today(store, top=top)]
    assert fast[0] not in again and again[: top - 1] == fast[1:]


def test_recognise_today_leaves_out_whom_the_council_leaves_out_and_reads_actions_at_as_of(db_path):
    """QA: 今日值得表彰 listed a member with a personal attack in the window and one at burnout risk (both left out of
    the council), and compared "recognised in the last 30 days" with the wall clock instead of the data's as_of."""
    from datetime import timedelta

    from reef.analyses.overview_readers import recognise_today
    from reef.analyses.runner import data_end
    from reef.store import open_store

    store = open_store(db_path)
    first = [r["member_id"] for r in recognise_today(store, top=3)]
    with store.transaction():  # one attack in the window, one on the burnout list
        store.execute("UPDATE ladder_members SET hostile = 1 WHERE member_id = ?", [first[0]])
        store.execute("INSERT INTO risk_evidence (part, member_id) VALUES ('burnout', ?)", [first[1]])
    after = [r["member_id"] for r in recognise_today(store, top=3)]
    assert first[0] not in after and first[1] not in after and after[0] == first[2]
    # A recognition recorded (imported) ten days before the data's end counts as recent whatever today's date is.
    end = data_end(store)
    with store.transaction():
        store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs, ingested_at) "
                      "VALUES ('x-old', 'recognise', 'ops', ?, ?, 'done', '{}', now())", [first[2], end - timedelta(days=10)])
    assert first[2] not in [r["member_id"] for r in recognise_today(store, top=3)]


def test_a_miss_is_computed_once_for_concurrent_callers():
    from reef.server.cache import ReadCache

    cache, calls = ReadCache(30), []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return {"n": len(calls)}

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(cache.get_or_compute(("k",), slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and answers == [{"n": 1}] * 8


def test_lasting_answers_outlive_the_ttl_but_not_a_write():
    from reef.server.cache import ReadCache

    cache = ReadCache(0.05)
    cache.get_or_compute(("view",), lambda: "old", lasting=True)
    cache.get_or_compute(("clock",), lambda: "old")
    time.sleep(0.1)
    assert cache.get_or_compute(("view",), lambda: "new", lasting=True) == "old"
    assert cache.get_or_compute(("clock",), lambda: "new") == "new"  # clock-dependent: expired
    cache.bump()
    assert cache.get_or_compute(("view",), lambda: "newer", lasting=True) == "newer"
    off = ReadCache(0)  # caching off keeps nothing, lasting or not
    off.get_or_compute(("view",), lambda: 1, lasting=True)
    assert off.get_or_compute(("view",), lambda: 2, lasting=True) == 2


def test_api_answers_are_json_bytes_from_the_cache(client, app):
    login(client, "viewer")
    first = client.get("/api/v1/member_summary?per_page=5")
    assert first.status_code == 200 and first.headers["content-type"].startswith("application/json")
    cached = [k for k in app.state.read_cache._data if k[1][0] == "json"]
    assert cached and all(isinstance(v[1], bytes) for k, v in app.state.read_cache._data.items() if k in cached)
    assert client.get("/api/v1/member_summary?per_page=5").json() == first.json()
    status = client.get("/api/v1/status").json()
    assert status["precomputed_at"] and status["tables"]["members"] > 0


def _small_store(path):
    """Members (one staff account who left, one member who left), content of three kinds over two months (one item
    deleted), interactions: small enough to read by eye, with everything a back-dated run would leave out."""
    from reef.store import open_store

    store = open_store(path)
    with store.transaction():
        store.execute("""INSERT INTO members (member_id, name, joined_at, account_type, left_at) VALUES
            ('a', 'A', TIMESTAMPTZ '2018-06-01 09:00:00+08', 'member', NULL),
            ('b', 'B', TIMESTAMPTZ '2018-06-02 09:00:00+08', 'member', TIMESTAMPTZ '2018-07-10 09:00:00+08'),
            ('s', 'S', TIMESTAMPTZ '2018-06-03 09:00:00+08', 'staff', TIMESTAMPTZ '2018-07-11 09:00:00+08'),
            ('late', 'L', TIMESTAMPTZ '2018-08-20 09:00:00+08', 'brand', NULL)""")
        store.execute("""INSERT INTO content (content_id, kind, author_id, created_at, parent_id, thread_id, deleted_at) VALUES
            ('t1', 'thread', 'a', TIMESTAMPTZ '2018-06-05 10:00:00+08', NULL, 't1', NULL),
            ('r1', 'answer', 'b', TIMESTAMPTZ '2018-06-06 10:00:00+08', 't1', 't1', NULL),
            ('c1', 'comment', 's', TIMESTAMPTZ '2018-06-07 10:00:00+08', 't1', 't1', TIMESTAMPTZ '2018-06-20 10:00:00+08'),
            ('t2', 'thread', 'a', TIMESTAMPTZ '2018-08-25 10:00:00+08', NULL, 't2', NULL),
            ('r2', 'answer', 'late', TIMESTAMPTZ '2018-09-02 10:00:00+08', 't2', 't2', NULL)""")
        store.execute("""INSERT INTO interactions (interaction_id, kind, actor_id, target_content_id, created_at) VALUES
            ('i1', 'like', 'a', 'r1', TIMESTAMPTZ '2018-06-06 12:00:00+08'),
            ('i2', 'accept', 'a', 'r1', TIMESTAMPTZ '2018-06-06 13:00:00+08'),
            ('i3', 'like', 'a', 'r2', TIMESTAMPTZ '2018-09-02 12:00:00+08')""")
    return store


def test_status_after_a_back_dated_overview_is_the_store_now_on_every_surface(tmp_path):
    """`reef analyze --as-of` before the end of the data: GET /api/v1/status, status_summary and `reef status --json`
    all give the store's figures now (by-kind counts that add up to the row counts, last_at the latest act), as the
    live scans do; the old code served the as_of's figures (content_by_kind summing to 4 of 5, last_at in August)."""
    import json

    from typer.testing import CliRunner

    from reef.actions import add_user
    from reef.analyses import run_analyses
    from reef.analyses.overview_readers import status_summary
    from reef.cli import app as cli_app
    from reef.report.status import store_status
    from reef.store import close_all, open_store

    path = tmp_path / "small.duckdb"
    store = _small_store(path)
    run_analyses(store, as_of="2018-08-01", only=["store_overview"])
    fast, live = status_summary(store), store_status(store)
    assert fast["precomputed_at"] is not None  # the precomputed rows were used, not the live fallback
    assert {k: v for k, v in fast.items() if k != "precomputed_at"} == live
    assert fast["content_by_kind"] == {"answer": 2, "thread": 2, "comment": 1}
    assert sum(fast["content_by_kind"].values()) == fast["tables"]["content"] == 5
    assert fast["last_at"].startswith("2018-09-02") and fast["staff_accounts"] == {"total": 2, "brand": 1, "staff": 1}
    close_all()

    cli = CliRunner().invoke(cli_app, ["status", "--db", str(path), "--json"])
    assert cli.exit_code == 0, cli.output
    from_cli = json.loads(cli.output)
    add_user(open_store(path), "viewer", "viewer", password=PASSWORD)
    with client_on(path) as client:
        login(client, "viewer")
        over_http = client.get("/api/v1/status").json()
    assert over_http["precomputed_at"] is not None
    drop = lambda d: {k: v for k, v in d.items() if k not in ("precomputed_at", "analysis_runs")}  # noqa: E731
    assert drop(over_http) == drop(from_cli)
    assert over_http["content_by_kind"] == from_cli["content_by_kind"] and over_http["last_at"] == from_cli["last_at"]


def test_recognise_today_applies_the_councils_lifetime_bar(db_path):
    """QA 2: 今日值得表彰 listed a member with a hostile act on record outside the ladder's window (hostile 0,
    life_hostile 1), whom the council excludes for 不当言论: one standard, layers.conduct_max_hostile, for both."""
    from reef.analyses.overview_readers import recognise_today
    from reef.store import open_store

    store = open_store(db_path)
    first = [r["member_id"] for r in recognise_today(store, top=3)]
    with store.transaction():
        store.execute("UPDATE ladder_members SET hostile = 0, life_hostile = 1 WHERE member_id = ?", [first[0]])
    assert first[0] not in [r["member_id"] for r in recognise_today(store, top=3)]
    loose = store.config.with_overrides({"layers.conduct_max_hostile": 1})
    store.config = loose
    assert first[0] in [r["member_id"] for r in recognise_today(store, top=3)]
