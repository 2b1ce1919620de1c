"""Demotion dates do not drift with the day the ladder runs; stages and the set of events do not change."""
from __future__ import annotations

import shutil
from datetime import timedelta

import polars as pl

import reef.ladder.analysis as analysis
from reef.analyses import run_analyses
from reef.ladder.analysis import compute_ladder
from reef.store import open_store
from tests.conftest import import_rows
from tests.ladder.test_ladder_promotion_dates import T0, _tables, _ts

AS_OF = T0 + timedelta(days=200)


def _changes(store) -> list[tuple]:
    return store.fetch_all("""SELECT member_id, event, from_stage, to_stage, "at" FROM ladder_events
                              WHERE event <> 'start' ORDER BY member_id, "at" """)


def _undated(store, as_of, p, ev):  # the dating before this change: a demotion at its checkpoint
    return ev


def _fading_rows() -> dict:
    # One check-in a day (at varying hours) on days 10-60, then nothing: a participant (15 acts in 91 days) whose
    # window holds 13 acts, below 90% of 15, once day 47's check-in leaves it (day 47.2 + 91); 14 days later the grace
    # period has run out.
    members = [{"member_id": m, "name": m, "joined_at": _ts(-300)} for m in ("fading", "other")]
    inter = [{"interaction_id": f"f{d}", "kind": "checkin", "actor_id": "fading", "created_at": _ts(d + (d % 5) / 10)}
             for d in range(10, 61)]
    inter += [{"interaction_id": "o0", "kind": "checkin", "actor_id": "other", "created_at": _ts(50)}]
    return {"members": members, "interactions": inter}


def _runs(tmp_path, rows, shifts) -> list[list[tuple]]:
    out = []
    for shift in shifts:
        folder = tmp_path / f"run{shift}"
        folder.mkdir()
        store = import_rows(folder, rows)
        run_analyses(store, as_of=AS_OF + timedelta(days=shift), only=["ladder"])
        out.append(_changes(store))
        store.close()
    return out


def test_a_demotion_has_the_same_date_whichever_day_the_ladder_runs(tmp_path):
    runs = _runs(tmp_path, _fading_rows(), (0, 3, 5))
    for changes in runs:
        assert [c[:4] for c in changes] == [("fading", "promote", 0, 1), ("fading", "demote", 1, 0)]
    expected = T0 + timedelta(days=47 + (47 % 5) / 10 + 91 + 14)
    # The old date (the checkpoint where the grace period ran out, counted back from as_of) moved with every run.
    assert [c[1][4] for c in runs] == [expected] * 3


def test_the_old_dating_moved_the_demotion(tmp_path, monkeypatch):
    # The same community dated as before: the demotion falls on the as_of grid, so a run 3 days later moves it.
    monkeypatch.setattr(analysis, "date_demotions", _undated)
    runs = _runs(tmp_path, _fading_rows(), (0, 3))
    assert runs[0][1][:4] == runs[1][1][:4] == ("fading", "demote", 1, 0)
    assert runs[0][1][4] != runs[1][1][4]
    assert (AS_OF - runs[0][1][4]) % timedelta(days=7) == timedelta(0)


def test_a_dip_before_the_last_fall_does_not_date_the_demotion(tmp_path):
    # As above, plus one check-in on day 139: the window dips below at day 138.2 (day 47's check-in leaves), is back at
    # 14 acts for a moment, and falls for good at day 139.3 (day 48's leaves). The demotion counts from that last fall,
    # whichever side of a checkpoint the dip lands on.
    rows = _fading_rows()
    rows["interactions"].append({"interaction_id": "f139", "kind": "checkin", "actor_id": "fading",
                                 "created_at": _ts(138.5)})
    runs = _runs(tmp_path, rows, (0, 2, 3, 5))  # as of day 202, a checkpoint falls between the two
    expected = T0 + timedelta(days=48 + (48 % 5) / 10 + 91 + 14)
    dems = [[c for c in changes if c[1] == "demote"] for changes in runs]
    assert all(len(d) == 1 for d in dems), dems
    assert [d[0][4] for d in dems] == [expected] * 4


def test_dating_changes_no_stage_nor_event_only_demotion_times(simulated_path, tmp_path, monkeypatch):
    path = tmp_path / "reef.duckdb"
    shutil.copy(simulated_path, path)
    store = open_store(path)
    as_of = store.fetch_value("SELECT max(as_of) FROM ladder_members") + timedelta(days=120)  # time for demotions
    compute_ladder(store, as_of, store.config)
    new_members, new_events = _tables(store)
    monkeypatch.setattr(analysis, "date_demotions", _undated)
    compute_ladder(store, as_of, store.config)
    old_members, old_events = _tables(store)
    assert new_members.drop("stage_since").equals(old_members.drop("stage_since"))
    key = ["member_id", "event", "from_stage", "to_stage", "reason_zh", "reason_en"]
    assert new_events.select(key).equals(old_events.select(key))
    moved = new_events["at"] != old_events["at"]
    assert (new_events.filter(moved)["event"] == "demote").all()
    assert moved.sum() > 0
    # A demotion stays inside its checkpoint bucket: not later than the checkpoint, less than a bucket before it.
    dem = new_events["event"] == "demote"
    lag = old_events.filter(dem)["at"] - new_events.filter(dem)["at"]
    assert ((lag >= timedelta(0)) & (lag < timedelta(days=7))).all()
    chain = new_events.with_columns(prev=pl.col("at").shift(1).over("member_id")).filter(pl.col("prev").is_not_null())
    assert chain["prev"].lt(chain["at"]).all()
