"""`reef effect`: matched difference in differences recovers a planted recognition effect and finds none in a placebo."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.actions.effect import action_effect
from reef.errors import InvalidParameterError
from reef.store import close_all, open_store

SIM = {"members": 1500, "days": 120, "seed": 11}


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """Two small simulated communities: recognised members post 2.5x as many threads afterwards, or 1.0x (placebo)."""
    from reef.simulate import SimulationSpec, simulate_to_store

    paths = {}
    for multiplier in (2.5, 1.0):
        path = tmp_path_factory.mktemp("effect") / f"sim-{multiplier}.duckdb"
        simulate_to_store(open_store(path), SimulationSpec(**SIM, recognition_effect=multiplier))
        close_all()
        paths[multiplier] = path
    return paths


def _treated(store) -> list[str]:
    params = store.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = 'recognition_effect'")
    return json.loads(params)["treated"]


def test_a_planted_recognition_effect_is_found(simulated):
    store = open_store(simulated[2.5], read_only=True)
    r = action_effect(store, "recognise")
    assert r["n_actions"] == len(_treated(store)) and r["n_treated"] >= 0.8 * r["n_actions"]
    assert r["n_controls"] >= r["n_treated"]
    assert r["estimate"] > 0 and r["ci_low"] > 0 and r["significant"]
    threads = next(o for o in r["outcomes"] if o["outcome"] == "threads")
    assert threads["treated_post"] > threads["treated_pre"]
    assert r["summary_zh"].startswith("被表彰成员其后30天发帖比匹配对照多 +") and "95%置信区间" in r["summary_zh"]
    assert "效果可信" in r["summary_zh"] and "more than matched controls" in r["summary_en"]
    # Matching brings the controls close to the treated on tenure and prior activity.
    assert all(abs(b["smd_after"]) < max(0.25, abs(b["smd_before"])) for b in r["balance"])


def test_a_placebo_shows_no_effect(simulated):
    r = action_effect(open_store(simulated[1.0], read_only=True), "recognise")
    assert r["n_treated"] >= 8
    assert r["ci_low"] <= 0 <= r["ci_high"] and not r["significant"]
    assert "置信区间包含0" in r["summary_zh"]


def test_the_answer_is_reproducible_and_sees_only_what_existed_at_as_of(simulated):
    store = open_store(simulated[2.5], read_only=True)
    a, b = action_effect(store, "recognise", seed=3), action_effect(store, "recognise", seed=3)
    assert a == b
    day = store.fetch_value("SELECT min(created_at) FROM operator_actions WHERE kind = 'recognise'")
    early = action_effect(store, "recognise", as_of=(day - __import__("datetime").timedelta(days=1)).isoformat())
    assert early["n_actions"] == 0 and early["estimate"] is None and "没有可评估" in early["summary_zh"]
    assert set(early) == set(a) and early["balance"] is None  # the same keys whatever the data: balance is null
    assert a["as_of"].endswith("+08:00")  # in the store's zone, as every time handed out
    recent = action_effect(store, "recognise", as_of=(day + __import__("datetime").timedelta(days=10)).isoformat())
    assert recent["n_too_recent"] == recent["n_actions"] > 0 and recent["n_treated"] == 0
    with pytest.raises(InvalidParameterError):
        action_effect(store, "bribe")
    with pytest.raises(InvalidParameterError):
        action_effect(store, "recognise", outcome="likes")


def test_cli_effect(simulated):
    from reef.cli import app

    r = CliRunner().invoke(app, ["effect", "--action", "recognise", "--no-ladder", "--lang", "en", "--db", str(simulated[2.5]), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["summary"] == data["summary_en"] and data["stage_source"] == "none"


@pytest.fixture
def tiny(store):
    """t1 is recognised; c1 (same stage) and c2 (another stage) look alike before it; c3 got another action; s1 is staff."""
    with store.transaction():
        for m, kind in (("t1", "member"), ("c1", "member"), ("c2", "member"), ("c3", "member"), ("s1", "staff")):
            store.execute("INSERT INTO members (member_id, joined_at, account_type) VALUES (?, TIMESTAMPTZ '2025-01-01 00:00:00+08', ?)",
                          [m, kind])
        posts = {"t1": 4, "c1": 0, "c2": 8, "c3": 20, "s1": 20}  # threads in the 30 days after the action
        for m, n in posts.items():
            for k in range(n):
                store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                              "(?, 'thread', ?, TIMESTAMPTZ '2026-03-02 12:00:00+08' + to_days(?))", [f"{m}-{k}", m, k])
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                      "('late', 'thread', 'c1', TIMESTAMPTZ '2026-06-01 00:00:00+08')")  # marks the end of the data
        store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status) VALUES "
                      "('a1', 'recognise', 'li', 't1', TIMESTAMPTZ '2026-03-01 15:00:00+08', 'done'), "
                      "('a2', 'invite', 'li', 'c3', TIMESTAMPTZ '2026-03-05 15:00:00+08', 'done')")
    return store


def _ladder(store):
    with store.transaction():
        store.execute("CREATE TABLE ladder_members AS SELECT * FROM (VALUES ('t1', 4), ('c1', 3), ('c2', 1), ('c3', 3)) v(member_id, stage), "
                      "(SELECT TIMESTAMPTZ '2026-06-01 00:00:00+08' AS as_of)")
        store.execute("CREATE TABLE ladder_events (member_id VARCHAR, \"at\" TIMESTAMPTZ, event VARCHAR, from_stage TINYINT, to_stage TINYINT)")
        store.execute("INSERT INTO ladder_events VALUES ('t1', TIMESTAMPTZ '2026-03-10 00:00:00+08', 'promote', 3, 4)")


def test_matching_is_exact_on_stage_and_skips_members_with_other_actions(tiny):
    per_week = 7 / 30
    cfg = tiny.config.with_overrides({"effect.matches": 2})
    plain = action_effect(tiny, "recognise", config=cfg)
    # Without the ladder c1 and c2 both match (c3 had another action, s1 is staff): 4 - mean(0, 8) threads.
    assert plain["stage_source"] == "none" and plain["n_controls"] == 2
    assert plain["estimate"] == pytest.approx((4 - 4) * per_week)
    _ladder(tiny)
    staged = action_effect(tiny, "recognise", config=cfg)
    # With the ladder only c1 is at t1's stage (3) on the action's day.
    assert staged["stage_source"] == "ladder" and staged["n_controls"] == 1
    assert staged["estimate"] == pytest.approx(4 * per_week)
    moves = {o["outcome"]: o for o in staged["outcomes"]}
    assert moves["stage_change"]["estimate"] == pytest.approx(1.0) and moves["promoted"]["treated_post"] == 1.0


def test_an_answer_at_a_past_date_ignores_cancellations_made_later(simulated, tmp_path):
    import shutil
    from datetime import timedelta

    from reef.actions import update_action

    path = tmp_path / "cancel.duckdb"
    shutil.copy(simulated[2.5], path)
    store = open_store(path)
    as_of = store.fetch_value("SELECT max(created_at) FROM operator_actions WHERE kind = 'recognise'") + timedelta(days=40)
    before = action_effect(store, "recognise", as_of=as_of.isoformat(), seed=3)
    ids = [r[0] for r in store.fetch_all("SELECT action_id FROM operator_actions WHERE kind = 'recognise' ORDER BY action_id")]
    for action_id in ids[: len(ids) // 2]:  # planned (open), then cancelled today, long after as_of
        store.execute("UPDATE operator_actions SET status = 'open' WHERE action_id = ?", [action_id])
        update_action(store, action_id, status="cancelled", by="ops")
    after = action_effect(store, "recognise", as_of=as_of.isoformat(), seed=3)
    assert after == before and before["n_actions"] > 0
    # Cancelled before as_of, they are left out.
    store.execute("UPDATE operator_actions SET attrs = json_merge_patch(attrs, json_object('cancelled_at', ?)) WHERE status = 'cancelled'",
                  [(as_of - timedelta(days=1)).isoformat()])
    assert action_effect(store, "recognise", as_of=as_of.isoformat(), seed=3)["n_actions"] == before["n_actions"] - len(ids) // 2
    close_all()
