"""Circle decay on the members' activity stream (risks.circle_cusum_stream = "members")."""
from __future__ import annotations

from datetime import timedelta

import pytest

from reef.config import load_config
from reef.errors import InvalidParameterError
from reef.risks.common import decline_cusum, risk_base
from reef.risks.heat import circle_cusum, heat_death
from tests.risks.conftest import T0, handmade_store as _store, ts as _ts

DAYS = 120


def _acts_store(tmp_path, likes):
    """Circles 'cool' (members c0-c5) and 'warm' (w0-w5): every member posts one thread a day in their own circle and,
    on days 3 mod 7, one more in the other circle; ``likes(group, day)`` = likes each of the group's members gives that day."""
    members = [{"member_id": f"{g[0]}{i}", "joined_at": _ts(-10)} for g in ("cool", "warm") for i in range(6)]
    groups = [{"group_id": g, "name": g, "kind": "circle", "created_at": _ts(-10)} for g in ("cool", "warm")]
    content, acts = [], []
    for d in range(DAYS):
        for g, other in (("cool", "warm"), ("warm", "cool")):
            for i in range(6):
                m = f"{g[0]}{i}"
                content.append({"content_id": f"{m}-{d}", "kind": "thread", "author_id": m, "group_id": g,
                                "created_at": _ts(d + 0.1 + 0.01 * i), "title": "t", "body": "日常分享"})
                if d % 7 == 3:
                    content.append({"content_id": f"{m}-{d}-x", "kind": "thread", "author_id": m, "group_id": other,
                                    "created_at": _ts(d + 0.2 + 0.01 * i), "title": "t", "body": "串个门"})
                for k in range(likes(g, d)):
                    acts.append({"interaction_id": f"{m}-{d}-{k}", "kind": "like", "actor_id": m,
                                 "target_content_id": f"{other[0]}{k % 6}-{d}", "created_at": _ts(d + 0.5 + 0.001 * k)})
    return _store(tmp_path, {"members": members, "groups": groups, "content": content, "interactions": acts})


def _circle_alerts(store, cfg):
    res = heat_death(store, T0 + timedelta(days=DAYS), cfg)
    return [a["subject"] for a in res.alerts if a["part"] == "circle_decay"], res


def test_members_stream_sees_a_circle_whose_members_do_less_while_its_posts_hold(tmp_path):
    # Cool's members like half as much over the last three weeks; every circle's posts stay exactly as they were.
    store = _acts_store(tmp_path, lambda g, d: 4 if g == "cool" and d >= DAYS - 21 else 8)
    cfg = load_config()
    assert cfg.get("risks.circle_cusum_stream") == "members"
    subjects, res = _circle_alerts(store, cfg)
    # Only cool: its members' likes (given in warm's threads) and their visits to warm count for cool, their home.
    assert subjects == ["cool"]
    ev = next(e for e in res.evidence if e["part"] == "circle_decay" and e["subject"] == "cool")
    assert "成员活动持续下滑的累计证据" in ev["detail_zh"] and "members' activity" in ev["detail_en"]
    alert = next(a for a in res.alerts if a["part"] == "circle_decay")
    assert "成员活动" in alert["message_zh"] and "members' activity" in alert["message_en"]
    # The group's posts alone hold no decline at all.
    posts_only, _ = _circle_alerts(store, cfg.with_overrides({"risks.circle_cusum_stream": "posts"}))
    assert posts_only == []


def test_bursty_likes_do_not_raise_a_circle_alarm(tmp_path):
    # Warm's members like in bursts: 40 each one day a week, 1 on the others; same mean throughout, no decline.
    store = _acts_store(tmp_path, lambda g, d: (40 if d % 7 == 1 else 1) if g == "warm" else 8)
    cfg = load_config()
    subjects, _ = _circle_alerts(store, cfg)
    assert subjects == []
    # Not vacuous: read as Poisson counts (no variance/mean deflation) the quiet days between bursts look like a fall.
    c = dict(cfg.section("risks"))
    at = T0 + timedelta(days=DAYS)
    daily = [r[1] for r in store.fetch_all("""
        SELECT floor((epoch(created_at) - epoch($lo::TIMESTAMPTZ)) / 86400) AS d, count(*)
        FROM (SELECT author_id AS m, created_at FROM content UNION ALL SELECT actor_id, created_at FROM interactions)
        WHERE m LIKE 'w%' AND created_at >= $lo GROUP BY 1 ORDER BY 1""", {"lo": _ts(DAYS - 84)})]
    assert len(daily) == 84
    base, recent = daily[:56], daily[56:]
    assert decline_cusum(recent, sum(base) / len(base), shift=float(c["circle_cusum_shift"])) > float(c["circle_cusum_alert"])
    with risk_base(store, at, int(c["horizon_days"])):
        cs, run, _ = circle_cusum(store, at, c)["warm"]
    # run = the days of the statistic's current run of evidence (since it last stood at 0), within the 28 judged
    assert 0 < run <= 28 and cs < float(c["circle_cusum_alert"])


def test_unknown_circle_stream_is_refused(tmp_path):
    store = _acts_store(tmp_path, lambda g, d: 1)
    with pytest.raises(InvalidParameterError, match="circle_cusum_stream"):
        heat_death(store, T0 + timedelta(days=DAYS), load_config().with_overrides({"risks.circle_cusum_stream": "likes"}))
