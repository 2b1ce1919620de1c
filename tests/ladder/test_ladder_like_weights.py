"""Like weights that farming cannot dodge: bursts across a clock hour, likes from accounts that left."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.ladder.items import build_likes
from reef.ladder.params import LadderParams
from reef.store import open_store

T0 = datetime(2026, 3, 2, 10, 40, tzinfo=timezone.utc)
AS_OF = T0 + timedelta(days=1)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "s.duckdb")
    with s.transaction():
        for m, days_ago, left in [("A", 400, None), ("B", 400, None), ("old", 300, None), ("gone", 300, T0 + timedelta(hours=12))] \
                + [(f"f{k}", 2, None) for k in range(12)]:
            s.execute("INSERT INTO members (member_id, name, joined_at, left_at) VALUES (?, ?, ?, ?)",
                      [m, m, T0 - timedelta(days=days_ago), left])
        for cid, author in [("P1", "A"), ("P2", "B"), ("P3", "A"), ("Q", "old"), ("G", "gone")]:
            s.execute("INSERT INTO content (content_id, kind, author_id, created_at, title, body) VALUES (?, 'photo', ?, ?, ?, ?)",
                      [cid, author, T0 - timedelta(days=30), "周末自驾拍的照片", "分享几张照片"])
        likes = [(f"f{k}", "P1", T0 + timedelta(minutes=10 + 3 * k)) for k in range(6)]          # 18 min across 11:00
        likes += [(f"f{k + 6}", "P2", T0 + timedelta(minutes=40 + 3 * k)) for k in range(6)]     # inside 11:00-12:00
        likes += [(f"f{k}", "P3", T0 + timedelta(minutes=25 * k)) for k in range(6)]             # 6 likes over 2 h: no burst
        likes += [("old", "P1", T0), ("gone", "P2", T0), ("gone", "P3", T0)]
        for n, (actor, target, at) in enumerate(likes):
            s.execute("INSERT INTO interactions (interaction_id, kind, actor_id, target_content_id, created_at) "
                      "VALUES (?, 'like', ?, ?, ?)", [f"i{n}", actor, target, at])
    yield s
    s.close()


def _weights(store):
    build_likes(store, AS_OF, LadderParams())
    rows = store.fetch_all("""SELECT c.content_id, coalesce(a.member_id, '?'), l.in_burst, l.weight FROM _lad_likes l
                              JOIN _lad_c c ON c.cc = l.cc LEFT JOIN _lad_members a ON a.mc = l.actor_mc""")
    return rows


def test_a_burst_spanning_a_clock_hour_is_flagged_like_one_inside_it(store):
    rows = _weights(store)
    fresh = {(cid, burst) for cid, actor, burst, _ in rows if actor.startswith("f")}
    assert fresh == {("P1", True), ("P2", True), ("P3", False)}
    flagged = store.fetch_all("SELECT member_id, content_id, likes FROM ladder_like_flags WHERE flag = 'like_burst' ORDER BY 1")
    assert flagged == [("A", "P1", 6), ("B", "P2", 6)]  # A's P3 (six likes over two hours) is not a burst
    p = LadderParams()
    assert all(w == pytest.approx(p.new_account_like_weight * p.lurker_like_weight * p.burst_weight)
               for cid, actor, burst, w in rows if burst)


def test_likes_from_an_account_that_left_do_not_count_in_full(store):
    rows = _weights(store)
    p = LadderParams()
    by_actor = {(cid, actor): w for cid, actor, _, w in rows}
    assert by_actor[("P1", "old")] == 1.0  # a long-standing member who has posted: full weight
    departed = [w for cid, actor, _, w in rows if actor == "?"]
    assert len(departed) == 2 and all(w == pytest.approx(p.new_account_like_weight) for w in departed)
    assert p.new_account_like_weight < p.anonymous_like_weight
