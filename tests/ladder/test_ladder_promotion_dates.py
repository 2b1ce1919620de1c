"""Promotion dates do not drift with the day the ladder runs; stages and the set of events do not change."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone

import polars as pl

import reef.ladder.analysis as analysis
from reef.analyses import run_analyses
from reef.ladder.analysis import compute_ladder
from reef.store import open_store
from tests.conftest import import_rows

T0 = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
AS_OF = T0 + timedelta(days=120)


def _ts(day: float) -> str:
    return (T0 + timedelta(days=day)).isoformat()


def _promotions(store) -> list[tuple]:
    return store.fetch_all("""SELECT member_id, from_stage, to_stage, "at" FROM ladder_events
                              WHERE event = 'promote' ORDER BY member_id, "at" """)


def test_a_promotion_has_the_same_date_whichever_day_the_ladder_runs(tmp_path):
    # One check-in a day (at varying hours) from day 10: the 15th (participant_min_acts), on day 24, completes stage 1.
    members = [{"member_id": m, "name": m, "joined_at": _ts(-300)} for m in ("steady", "other")]
    inter = [{"interaction_id": f"s{d}", "kind": "checkin", "actor_id": "steady", "created_at": _ts(d + (d % 5) / 10)}
             for d in range(10, 100)]
    inter += [{"interaction_id": "o0", "kind": "checkin", "actor_id": "other", "created_at": _ts(50)}]
    rows = {"members": members, "interactions": inter}
    dates = []
    for shift in (0, 3, 5):
        (tmp_path / f"run{shift}").mkdir()
        store = import_rows(tmp_path / f"run{shift}", rows)
        run_analyses(store, as_of=AS_OF + timedelta(days=shift), only=["ladder"])
        promos = _promotions(store)
        assert [(m, f, t) for m, f, t, _ in promos] == [("steady", 0, 1)]
        dates.append(promos[0][3])
        store.close()
    expected = T0 + timedelta(days=24 + (24 % 5) / 10)
    # The old date (the last act of a bucket counted back from as_of) moved by up to six days between these runs.
    assert all(d == expected for d in dates), dates


def _tables(store) -> tuple[pl.DataFrame, pl.DataFrame]:
    members = pl.from_arrow(store.fetch_arrow("SELECT * FROM ladder_members ORDER BY member_id"))
    events = pl.from_arrow(store.fetch_arrow(
        'SELECT member_id, "at", event, from_stage, to_stage, reason_zh, reason_en FROM ladder_events'))
    return members, events.sort("member_id", "at")


def test_dating_changes_no_stage_nor_event_only_promotion_times(simulated_path, tmp_path, monkeypatch):
    path = tmp_path / "reef.duckdb"
    shutil.copy(simulated_path, path)
    store = open_store(path)
    as_of = store.fetch_value("SELECT max(as_of) FROM ladder_members")
    compute_ladder(store, as_of, store.config)
    new_members, new_events = _tables(store)
    # The dating before this change: every promotion at its bucket's last act.
    monkeypatch.setattr(analysis, "date_promotions",
                        lambda store, as_of, p, ev, **kw: ev.with_columns(act_at=pl.lit(None, dtype=pl.Datetime("us", "UTC"))))
    compute_ladder(store, as_of, store.config)
    old_members, old_events = _tables(store)
    # Stages, potentials, ranks, evidence and every other column at as_of are equal; only stage_since may move.
    assert new_members.drop("stage_since").equals(old_members.drop("stage_since"))
    # The same events (member, kind, stages, reason) in the same order per member; only promotion times moved.
    key = ["member_id", "event", "from_stage", "to_stage", "reason_zh", "reason_en"]
    assert new_events.select(key).equals(old_events.select(key))
    moved = new_events["at"] != old_events["at"]
    assert (new_events.filter(moved)["event"] == "promote").all()
    assert moved.sum() > 0
    # A promotion is never dated later than before (its bucket's last act) nor before the member's previous change.
    promo = new_events["event"] == "promote"
    assert (new_events.filter(promo)["at"] <= old_events.filter(promo)["at"]).all()
    chain = new_events.with_columns(prev=pl.col("at").shift(1).over("member_id"))
    assert chain.filter(pl.col("prev").is_not_null())["prev"].lt(chain.filter(pl.col("prev").is_not_null())["at"]).all()


def test_the_dating_reads_window_sums_as_integers_not_decimals(tmp_path, monkeypatch):
    # DuckDB sums INTEGERs into HUGEINTs, which reach Polars as Decimal and numpy through one Python object per value:
    # the windows the dating fetches must stay integers (12 s of CPU at 50M events when they did not).
    from reef.ladder import dating

    seen = []
    fetch = dating._fetch

    def spy(*args, **kwargs):
        frame = fetch(*args, **kwargs)
        seen.append(frame)
        return frame

    monkeypatch.setattr(dating, "_fetch", spy)
    members = [{"member_id": "steady", "name": "steady", "joined_at": _ts(-300)}]
    inter = [{"interaction_id": f"s{d}", "kind": "checkin", "actor_id": "steady", "created_at": _ts(d)} for d in range(10, 60)]
    store = import_rows(tmp_path, {"members": members, "interactions": inter})
    run_analyses(store, as_of=AS_OF, only=["ladder"])
    measures = [c for f in seen for c in f.columns if c in dating._NEEDED]
    assert measures and all(f[c].dtype.is_integer() for f in seen for c in f.columns if c in dating._NEEDED), \
        [(c, f[c].dtype) for f in seen for c in f.columns]
    store.close()


def test_promotion_dates_are_the_same_with_or_without_the_windows_bucket_sums(simulated_path, tmp_path, monkeypatch):
    # The ladder hands build_windows' (member, bucket) sums to the dating; called alone, it sums them itself.
    from reef.ladder import dating

    path = tmp_path / "reef.duckdb"
    shutil.copy(simulated_path, path)
    store = open_store(path)
    got = {}

    def both(store, as_of, p, events, buckets=None):
        got["given"] = dating.date_promotions(store, as_of, p, events, buckets=buckets)
        got["alone"] = dating.date_promotions(store, as_of, p, events)
        got["buckets"] = buckets
        return got["given"]

    monkeypatch.setattr(analysis, "date_promotions", both)
    compute_ladder(store, store.fetch_value("SELECT max(as_of) FROM ladder_members"), store.config)
    assert got["buckets"] and got["buckets"]["sources"]  # the run handed them over
    assert got["given"]["act_at"].drop_nulls().len() > 0
    assert got["given"].equals(got["alone"])
    store.close()
