"""Incremental daily update of the risk radar: the same tables as a full run, day after day, late edits included."""
from __future__ import annotations

import json
import math
from datetime import timedelta

import pytest

from reef.analyses import run_analyses
from reef.config import Config
from reef.ingest import import_paths
from reef.risks.analysis import compute_risks
from reef.risks.common import risk_base
from reef.risks.incremental import BANDS_TABLE, BASE_TABLE, refresh_base, reset_base
from reef.risks.novelty import weekly_novelty
from reef.store import open_store
from tests.conftest import simulated_store_file


def _norm(rows: dict[str, list[dict]]) -> dict[str, list[str]]:
    def cell(v):
        if isinstance(v, float):
            return None if math.isnan(v) else round(v, 9)
        return v if isinstance(v, (int, str, type(None), bool)) else str(v)

    return {t: sorted(json.dumps({k: cell(v) for k, v in r.items()}, sort_keys=True, ensure_ascii=False) for r in rs)
            for t, rs in rows.items()}


def _full_config(cfg) -> Config:
    data = cfg.as_dict()
    data["risks"] = {**data["risks"], "incremental": False}
    return Config(data, ["test"])


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    return simulated_store_file(tmp_path_factory.mktemp("riskinc"), members=300, days=90, seed=11,
                                analyses=["text_features", "ladder", "network_connectors"])


def _late_changes(store, folder, day) -> dict:
    """An edit to a post of 12 days before ``day`` (new text and board), a post that arrives late for 10 days before,
    a deletion, and a member who left: all written by a later import, as a source's next export would."""
    ids = [r[0] for r in store.fetch_all("""SELECT content_id FROM content WHERE kind = 'thread' AND created_at < $d - INTERVAL 12 DAY
                                            ORDER BY created_at DESC, content_id LIMIT 2""", {"d": day})]
    edited = store.fetch_dicts("SELECT * FROM content WHERE content_id = $i", {"i": ids[0]})[0]
    group = store.fetch_value("SELECT group_id FROM content WHERE group_id IS NOT NULL AND group_id <> $g LIMIT 1", {"g": edited["group_id"] or ""})
    author = store.fetch_value("""SELECT author_id FROM content WHERE created_at >= $d - INTERVAL 30 DAY
                                  GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""", {"d": day})
    keep = ("content_id", "kind", "author_id", "created_at", "parent_id", "thread_id", "group_id", "title", "body")
    rows = [{**{k: edited[k] for k in keep}, "body": "这车真垃圾，售后太差了，退钱！你们都是托", "group_id": group},
            {**{k: edited[k] for k in keep}, "content_id": "late-1", "created_at": day - timedelta(days=10), "parent_id": None,
             "thread_id": None, "title": "迟到的帖子", "body": "冬天续航掉得厉害，大家怎么解决"},
            {**store.fetch_dicts(f"SELECT {', '.join(keep)} FROM content WHERE content_id = $i", {"i": ids[1]})[0],
             "deleted_at": day - timedelta(days=2)}]
    member = store.fetch_dicts("SELECT member_id, joined_at, account_type FROM members WHERE member_id = $m", {"m": author})[0]
    folder.mkdir(exist_ok=True)
    enc = lambda v: v.isoformat() if hasattr(v, "isoformat") else v  # noqa: E731
    (folder / "content.jsonl").write_text("".join(json.dumps({k: enc(v) for k, v in r.items()}, ensure_ascii=False) + "\n" for r in rows))
    (folder / "members.jsonl").write_text(json.dumps({**{k: enc(v) for k, v in member.items()}, "left_at": enc(day - timedelta(days=3))}) + "\n")
    import_paths(store, [folder / "content.jsonl", folder / "members.jsonl"])
    run_analyses(store, only=["text_features"])
    return {"edited": ids[0], "deleted": ids[1], "left": author}


def test_daily_updates_equal_full_runs_with_a_late_edit(sim, tmp_path):
    store = open_store(sim)
    cfg = store.config
    full_cfg = _full_config(cfg)
    end = store.fetch_value("SELECT max(created_at) FROM content")
    days = [end.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=k) for k in range(5, -1, -1)]
    reset_base(store)
    modes, changed = [], None
    for i, day in enumerate(days):
        if i == 3:  # late-arriving changes to earlier days, between two daily runs
            changed = _late_changes(store, tmp_path / "late", day)
        with risk_base(store, day, int(cfg.get("risks.horizon_days"))):
            pass  # what the daily run does first: bring the persisted base up to date
        state = json.loads(store.fetch_value("SELECT value FROM risk_base_state WHERE key = 'state'"))
        modes.append(state["upto"] == day.isoformat())
        incremental = compute_risks(store, day, cfg)
        store.config = full_cfg  # the reference: a full run that rebuilds its base from the canonical tables
        try:
            full = compute_risks(store, day, full_cfg)
        finally:
            store.config = cfg
        inc_n, full_n = _norm(incremental), _norm(full)
        for table in full_n:
            assert inc_n[table] == full_n[table], f"{table} differs on day {i} ({day})"
        assert any(p["part"] == "novelty" for p in full["risk_parts"])
    assert all(modes)
    # The late edit reached the base: new board, the deleted post still stored (hidden by as_of), the leaver's rows.
    g = store.fetch_value(f"SELECT group_id FROM {BASE_TABLE} WHERE content_id = $i", {"i": changed["edited"]})
    assert g == store.fetch_value("SELECT group_id FROM content WHERE content_id = $i", {"i": changed["edited"]})
    assert store.fetch_value(f"SELECT count(*) FROM {BASE_TABLE} WHERE content_id = 'late-1'") == 1
    assert store.fetch_value(f"SELECT count(*) FROM {BASE_TABLE} WHERE author_id = $m AND m_left_at IS NULL", {"m": changed["left"]}) == 0


def test_refresh_is_incremental_and_rebuilds_when_rows_vanish(sim):
    store = open_store(sim)
    end = store.fetch_value("SELECT max(created_at) FROM content")
    reset_base(store)
    assert refresh_base(store, end - timedelta(days=3), 400)["mode"] == "rebuild"
    step = refresh_base(store, end - timedelta(days=2), 400)
    in_day = store.fetch_value("""SELECT count(*) FROM content WHERE created_at >= $a AND created_at < $b""",
                               {"a": end - timedelta(days=3), "b": end - timedelta(days=2)})
    assert step["mode"] == "incremental" and step["added"] == in_day > 0
    bands = store.fetch_value(f"SELECT count(*) FROM {BANDS_TABLE}")
    # A second refresh at the same moment changes nothing.
    assert refresh_base(store, end - timedelta(days=2), 400)["added"] == 0
    assert store.fetch_value(f"SELECT count(*) FROM {BANDS_TABLE}") == bands
    # Rows removed from the canonical tables cannot be explained by watermarks: rebuild.
    store.execute("BEGIN TRANSACTION")
    try:
        store.execute("DELETE FROM content WHERE content_id = (SELECT min(content_id) FROM content)")
        assert refresh_base(store, end - timedelta(days=1), 400)["mode"] == "rebuild"
    finally:
        store.execute("ROLLBACK")


def test_novelty_counts_repeats_of_earlier_posts(sim):
    store = open_store(sim)
    end = store.fetch_value("SELECT max(created_at) FROM content")
    with risk_base(store, end, 400):
        weeks = weekly_novelty(store, end, 4)
        # Direct count for the last week: originals sharing any band key with an earlier original.
        direct = store.fetch_all("""
            WITH o AS (SELECT content_id, created_at FROM _risk_posts WHERE kind IN ('thread', 'photo', 'video', 'guide', 'event', 'poll')),
            b AS (SELECT * FROM _risk_bands JOIN o USING (content_id, created_at))
            SELECT count(DISTINCT n.content_id), count(DISTINCT n.content_id) FILTER (WHERE EXISTS (
                       SELECT 1 FROM b e WHERE e.key = n.key AND e.created_at < n.created_at))
            FROM b n WHERE n.created_at >= $t - INTERVAL 7 DAY""", {"t": end})[0]
    assert len(weeks) == 4 and weeks[-1]["posts"] == direct[0] > 0
    assert weeks[-1]["repeats"] == direct[1]
    assert 0.0 <= weeks[-1]["novelty"] <= 1.0


def test_persisted_keys_match_a_rebuild_and_shared_sets_cover_every_repeat(sim):
    from reef.risks.incremental import DUP_TABLE, _SHARED_TABLES

    store = open_store(sim)
    end = store.fetch_value("SELECT max(created_at) FROM content")
    reset_base(store)
    refresh_base(store, end - timedelta(days=4), 400)
    for d in (3, 2, 1):
        refresh_base(store, end - timedelta(days=d), 400)
    keys = {t: set(store.fetch_all(f"SELECT content_id, created_at, key FROM {t}")) for t in (BANDS_TABLE, DUP_TABLE)}
    shared = {t: {r[0] for r in store.fetch_all(f"SELECT key FROM {s}")} for t, s in _SHARED_TABLES.items()}
    reset_base(store)
    refresh_base(store, end - timedelta(days=1), 400)
    for table in (BANDS_TABLE, DUP_TABLE):
        assert keys[table] == set(store.fetch_all(f"SELECT content_id, created_at, key FROM {table}")) and keys[table]
        exact = {r[0] for r in store.fetch_all(f"SELECT key FROM {table} GROUP BY key HAVING count(*) > 1")}
        # Day by day the shared set holds every key with two carriers (the families' joins rely on it), and a few
        # at most that no longer have (kept until a rebuild).
        assert exact and exact <= shared[table]
        assert {r[0] for r in store.fetch_all(f"SELECT key FROM {_SHARED_TABLES[table]}")} == exact
