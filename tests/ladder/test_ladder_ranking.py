"""Ranking inside a stage (recency, trend, rank), point-in-time results, windows against a direct count, defaults."""
from __future__ import annotations

import shutil
import tomllib
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

import numpy as np
import polars as pl
import pytest

from reef.analyses import run_analyses
from reef.config import Config, default_config_text
from reef.ladder import ladder_list
from reef.ladder.params import LadderParams
from reef.ladder.stages import MEASURES, potential, trend
from reef.store import open_store
from tests.conftest import import_rows

T0 = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
AS_OF = T0 + timedelta(days=120)


def _ts(day: float) -> str:
    return (T0 + timedelta(days=day)).isoformat()


def _store(tmp_path, rows: dict) -> object:
    return import_rows(tmp_path, rows)


def _riser_rows(days_riser, days_past) -> dict:
    """Two participants with the same number of check-ins: one in the last weeks, one two months earlier."""
    members = [{"member_id": m, "name": m, "joined_at": _ts(-300)} for m in ("riser", "past", "idle")]
    inter = [{"interaction_id": f"r{i}", "kind": "checkin", "actor_id": "riser", "created_at": _ts(d)} for i, d in enumerate(days_riser)]
    inter += [{"interaction_id": f"p{i}", "kind": "checkin", "actor_id": "past", "created_at": _ts(d)} for i, d in enumerate(days_past)]
    inter += [{"interaction_id": "i0", "kind": "checkin", "actor_id": "idle", "created_at": _ts(10)}]
    return {"members": members, "interactions": inter}


def test_recent_riser_outranks_a_member_equally_active_long_ago(tmp_path):
    # 20 check-ins each, all inside the 90-day window: both are participants (stage 1) with the same window count.
    store = _store(tmp_path, _riser_rows([100 + i for i in range(20)], [36 + i for i in range(20)]))
    run_analyses(store, as_of=AS_OF, only=["ladder"])
    rows = {r["member_id"]: r for r in ladder_list(store, top=None)}
    riser, past = rows["riser"], rows["past"]
    assert riser["stage"] == past["stage"] == 1
    assert store.fetch_value("SELECT acts FROM ladder_members WHERE member_id = 'riser'") == \
        store.fetch_value("SELECT acts FROM ladder_members WHERE member_id = 'past'") == 20
    assert riser["potential"] > past["potential"]
    assert riser["rank"] < past["rank"]
    assert riser["momentum"] == 1.0 and past["momentum"] == 0.0
    assert riser["rising"] and not past["rising"]
    assert "近28天新近活跃" in riser["evidence_zh"] and "newly active" in riser["evidence_en"]
    assert "新近活跃" not in past["evidence_zh"] and "活跃度升至" not in past["evidence_zh"]


def test_rank_is_stage_then_exact_potential(tmp_path):
    store = _store(tmp_path, _riser_rows([100 + i for i in range(20)], [36 + i for i in range(20)]))
    run_analyses(store, as_of=AS_OF, only=["ladder"])
    rows = store.fetch_dicts("SELECT member_id, rank, stage, potential FROM ladder_members ORDER BY rank")
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    keys = [(-r["stage"], -r["potential"]) for r in rows]
    assert keys == sorted(keys)


def _decayed(**values) -> dict[str, np.ndarray]:
    d = {m: np.zeros(1) for m in MEASURES}
    return d | {k: np.array([float(v)]) for k, v in values.items()}


def test_potential_prefers_recent_evidence_and_a_rising_trend():
    p = LadderParams()
    stage = np.array([1])
    recent, old = _decayed(orig_ok=3.0, acts=20), _decayed(orig_ok=0.5, acts=3)  # same acts, old ones decayed away
    steady = np.array([0.5])
    assert potential(stage, recent, steady, p)[0] > potential(stage, old, steady, p)[0]
    rising, lapsed = trend(np.array([8.0]), np.array([0.0]), p), trend(np.array([0.0]), np.array([8.0]), p)
    assert rising[0] == 1.0 and lapsed[0] == 0.0
    assert trend(np.array([0.0]), np.array([0.0]), p)[0] == 0.0  # no activity at all is not a trend
    assert potential(stage, recent, rising, p)[0] > potential(stage, recent, steady, p)[0] > potential(stage, recent, lapsed, p)[0]
    # The trend only tilts: a lapsed member keeps 1 - potential_trend_weight of the score, never goes negative.
    ratio = potential(stage, recent, lapsed, p)[0] / potential(stage, recent, rising, p)[0]
    assert ratio == pytest.approx(1 - p.potential_trend_weight)


def test_breadth_of_help_raises_potential():
    p = LadderParams()
    stage = np.array([3, 3])
    d = _decayed(help_credit=4.0) | {"people_helped": np.array([1.0, 4.0])}
    d = {k: (v if len(v) == 2 else np.repeat(v, 2)) for k, v in d.items()}
    pot = potential(stage, d, np.full(2, 0.5), p)
    assert pot[1] > pot[0]  # the same credit spread over four people counts more than over one


def test_lifetime_weight_lets_a_lapsed_contributor_outrank_a_blank_account():
    stage = np.array([0, 0])
    d = {k: np.repeat(v, 2) for k, v in _decayed().items()}  # nothing recent for either member
    d["life"] = {k: np.array([v[0], 0.0]) for k, v in _decayed(help_rec=30.0, accepted=10.0, acts=50).items()}
    lapsed = np.zeros(2)
    off = potential(stage, d, lapsed, LadderParams(potential_lifetime_weight=0.0))
    on = potential(stage, d, lapsed, LadderParams(potential_lifetime_weight=0.1))
    assert off[0] == off[1]  # by default only recent evidence counts
    assert on[0] > on[1] == off[1]  # kept lifetime evidence lifts only the member who has some


def _tables(store) -> dict[str, pl.DataFrame]:
    out = {}
    for table, order in (("ladder_members", "member_id"), ("ladder_events", 'member_id, "at", event'),
                         ("ladder_like_flags", "member_id, flag"), ("ladder_alerts", "rank")):
        out[table] = pl.from_arrow(store.fetch_arrow(f"SELECT * FROM {table} ORDER BY {order}"))
    return out


def test_as_of_results_ignore_data_after_as_of(simulated_path, tmp_path):
    """The same ladder as of T whether or not the store already holds what happened after T."""
    full = tmp_path / "full.duckdb"
    cut = tmp_path / "cut.duckdb"
    shutil.copy(simulated_path, full)
    shutil.copy(simulated_path, cut)
    s_full = open_store(full)
    t = s_full.fetch_value("SELECT max(created_at) FROM interactions") - timedelta(days=25)
    s_cut = open_store(cut)
    s_cut.execute("DELETE FROM interactions WHERE created_at >= $t", {"t": t})
    s_cut.execute("DELETE FROM content WHERE created_at >= $t", {"t": t})
    s_cut.execute("DELETE FROM members WHERE joined_at >= $t", {"t": t})
    assert s_cut.fetch_value("SELECT count(*) FROM interactions") < s_full.fetch_value("SELECT count(*) FROM interactions")
    run_analyses(s_full, as_of=t, only=["ladder"], force=True)
    run_analyses(s_cut, as_of=t, only=["ladder"], force=True)
    a, b = _tables(s_full), _tables(s_cut)
    for table in a:
        assert len(a[table]) > 0 or table == "ladder_like_flags", table
        assert a[table].equals(b[table]), table


def test_windows_match_a_direct_count(simulated):
    """acts in the window and in all time, counted directly from the canonical tables."""
    p = LadderParams()
    as_of = simulated.fetch_value("SELECT max(as_of) FROM ladder_members")
    since = as_of - timedelta(days=p.window_checkpoints * p.checkpoint_days)
    direct = dict(simulated.fetch_all(
        """WITH acts AS (SELECT author_id AS m, created_at FROM content_at($ts)
                         UNION ALL SELECT actor_id, created_at FROM interactions_at($ts)
                         WHERE kind IN ('like', 'vote', 'checkin', 'share', 'reply', 'quote'))
           SELECT m, count(*) FILTER (WHERE created_at > $since) FROM acts GROUP BY 1""", {"ts": as_of, "since": since}))
    life = dict(simulated.fetch_all(
        """SELECT m, count(*) FROM (SELECT author_id AS m FROM content_at($ts) UNION ALL SELECT actor_id FROM interactions_at($ts)
           WHERE kind IN ('like', 'vote', 'checkin', 'share', 'reply', 'quote')) GROUP BY 1""", {"ts": as_of}))
    rows = simulated.fetch_all("SELECT member_id, acts, life_acts FROM ladder_members")
    assert sum(1 for _, a, _ in rows if a > 0) > 100
    for member, acts, life_acts in rows:
        assert acts == direct.get(member, 0), member
        assert life_acts == life.get(member, 0), member


def test_ladder_params_defaults_are_the_packaged_configuration():
    packaged = LadderParams.from_config(Config(tomllib.loads(default_config_text()), ["defaults.toml"]))
    assert asdict(LadderParams()) == asdict(packaged)


def test_help_counts_questions_and_a_later_recognised_reply_recognises_the_question(tmp_path):
    # helper replies three times under q1 (only the third accepted) and once under q2 (not recognised): two questions
    # helped, one recognised, one accepted; replies counted one by one would give four, and the first reply alone none.
    members = [{"member_id": m, "name": m, "joined_at": _ts(-300)} for m in ("helper", "asker")]
    members += [{"member_id": "nc", "name": "nc", "joined_at": _ts(99)}]
    content = [{"content_id": f"q{k}", "kind": "thread", "author_id": "nc", "created_at": _ts(100 + k),
                "title": "新手求助", "body": "请问冬天续航掉多少？怎么设置预约充电？"} for k in (1, 2)]
    body = "冬天大概掉两到三成，建议在app里设置预约充电，提前预热电池。"
    content += [{"content_id": f"a1{j}", "kind": "answer", "author_id": "helper", "created_at": _ts(101.1 + j * 0.1),
                 "parent_id": "q1", "body": body} for j in range(3)]
    content += [{"content_id": "a20", "kind": "answer", "author_id": "helper", "created_at": _ts(102.1), "parent_id": "q2",
                 "body": body}]
    inter = [{"interaction_id": "acc", "kind": "accept", "actor_id": "nc", "created_at": _ts(101.5), "target_content_id": "a12"}]
    store = _store(tmp_path, {"members": members, "content": content, "interactions": inter})
    run_analyses(store, as_of=AS_OF, only=["ladder"])
    got = store.fetch_dicts("SELECT helped_nc, helped_nc_rec, help_all, help_rec, accepted FROM ladder_members "
                            "WHERE member_id = 'helper'")
    assert got == [{"helped_nc": 2, "helped_nc_rec": 1, "help_all": 2, "help_rec": 1, "accepted": 1}]


def test_help_accepted_inside_the_window_counts_there_though_the_first_reply_is_older(tmp_path):
    # AS_OF is day 120 and the window 90 days: the first reply (day 10) is outside it, the accepted one (day 100)
    # inside. Dating the question at its first reply would drop the recognised answer from the window.
    members = [{"member_id": "helper", "name": "helper", "joined_at": _ts(-300)},
               {"member_id": "nc", "name": "nc", "joined_at": _ts(0)}]
    body = "冬天大概掉两到三成，建议在app里设置预约充电，提前预热电池。"
    content = [{"content_id": "q", "kind": "thread", "author_id": "nc", "created_at": _ts(1), "title": "新手求助",
                "body": "请问冬天续航掉多少？怎么设置预约充电？"},
               {"content_id": "a0", "kind": "answer", "author_id": "helper", "created_at": _ts(10), "parent_id": "q", "body": body},
               {"content_id": "a1", "kind": "answer", "author_id": "helper", "created_at": _ts(100), "parent_id": "q", "body": body}]
    inter = [{"interaction_id": "acc", "kind": "accept", "actor_id": "nc", "created_at": _ts(101), "target_content_id": "a1"}]
    store = _store(tmp_path, {"members": members, "content": content, "interactions": inter})
    run_analyses(store, as_of=AS_OF, only=["ladder"])
    got = store.fetch_dicts("SELECT help_all, help_rec, accepted FROM ladder_members WHERE member_id = 'helper'")
    assert got == [{"help_all": 1, "help_rec": 1, "accepted": 1}]
