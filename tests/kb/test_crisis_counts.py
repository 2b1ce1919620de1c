"""One window per row and sentence (the day as_of falls in counts its trailing window, not half a day), one first alarm
per wave, and wave posts that need negative evidence of their own (QA review of seed 7 at 2026-05-11 10:00)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from reef.kb.crisis import daily_table, day_starts, hourly_table
from reef.kb.room import alarm_spans

TZ = timezone(timedelta(hours=8))
D0 = datetime(2026, 4, 1, tzinfo=TZ)  # a local midnight
ASPECT = "售后与服务"


def _signals() -> tuple[dict, pd.Timestamp]:
    """40 quiet days (a post a day by regulars), then a wave from day 40 10:00 local to day 41 06:00: 30 new authors,
    one post each, so the trailing 24 hours before day 41 10:00 hold all 30, the calendar day 41 only the last 9."""
    rng = np.random.default_rng(3)
    rows = [(f"q{d}", f"reg{d % 9}", D0.timestamp() + d * 86400 + rng.integers(0, 86400), 1) for d in range(40)]
    wave_t = D0.timestamp() + 40 * 86400 + 10 * 3600 + np.linspace(0, 20 * 3600, 30)
    rows += [(f"w{i}", f"new{i}", t, 2) for i, t in enumerate(wave_t)]
    neg = pd.DataFrame(rows, columns=["content_id", "author_id", "t", "reach"]).assign(aspect=ASPECT, evidence=1)
    buffer = pd.DataFrame({"t": pd.Series(dtype=float), "aspect": pd.Series(dtype=str)})
    specifics = pd.DataFrame({"t": pd.Series(dtype=float), "content_id": pd.Series(dtype=str)})
    posts = neg[["author_id", "aspect", "t"]]
    return {"neg": neg, "posts": posts, "buffer": buffer, "specifics": specifics, "active_per_day": 10.0}, \
        pd.Timestamp(D0 + timedelta(days=41, hours=10))


@pytest.fixture
def tables():
    from reef.config import load_config
    from reef.store import open_store

    store = open_store(":memory:")
    sig, as_of = _signals()
    config = load_config()
    hours = hourly_table(store, as_of, config, sig)
    yield store, sig, as_of, hours, daily_table(store, as_of, config, sig, hours)
    store.close()


def test_the_day_as_of_falls_in_counts_authors_and_reach_on_the_tested_window(tables):
    store, sig, as_of, hours, daily = tables
    last = daily.iloc[-1]
    end = as_of.timestamp()
    assert last["window_end"].timestamp() == end and last["window_start"].timestamp() == end - 24 * 3600
    inside = sig["neg"][(sig["neg"]["t"] >= end - 24 * 3600) & (sig["neg"]["t"] < end)]
    assert last["observed"] == 30 and last["negative_authors"] == inside["author_id"].nunique() == 30  # was 9: the calendar day
    assert last["reach"] == inside["reach"].sum() == 60
    full = daily.iloc[-2]  # a whole day: its window is the day itself, as before
    assert full["window_start"] == full["day"] and (full["window_end"] - full["day"]) == pd.Timedelta(hours=24)
    d0, d1 = full["window_start"].timestamp(), full["window_end"].timestamp()
    day_posts = sig["neg"][(sig["neg"]["t"] >= d0) & (sig["neg"]["t"] < d1)]
    assert full["negative_authors"] == full["observed"] == day_posts["author_id"].nunique() == 21


def test_the_timeline_names_the_waves_first_alarm_as_the_aspect_table_does(tables):
    store, sig, as_of, hours, daily = tables
    last = daily.iloc[-1]
    wave_first, _ = alarm_spans(hours, 24)[ASPECT]  # the room's aspect table
    assert last["alarm"] and last["wave_first_alarm_at"].timestamp() == wave_first
    assert last["first_alarm_at"].timestamp() > wave_first  # the day's own first alarm is later: a different column
    assert last["first_alarm_at"].timestamp() >= day_starts(store, as_of.timestamp() - 3600, as_of)[0]


def test_the_alert_sentence_says_which_window_its_counts_cover(tmp_path):
    from reef.kb.crisis_alerts import crisis_alerts
    from reef.store import open_store

    store = open_store(tmp_path / "a.duckdb")
    day = pd.Timestamp("2026-05-10T16:00Z")  # 2026-05-11 local
    df = pd.DataFrame([{"day": day, "aspect": ASPECT, "window_start": day - pd.Timedelta(hours=14), "window_end": day + pd.Timedelta(hours=10),
                        "observed": 19, "baseline": 7.9, "ratio": 2.4, "tested": 19, "expected": 7.9, "p_value": 5.7e-4,
                        "negative_authors": 19, "new_authors": 11, "new_author_share": 0.58, "reach": 31, "buffer": 0, "buffer_ratio": 0.0,
                        "specifics_replies": 1, "alarm": True, "first_alarm_at": day + pd.Timedelta(hours=1),
                        "wave_first_alarm_at": day - pd.Timedelta(hours=4)}])
    with store.registered("_d", df):
        store.execute("CREATE TABLE crisis_daily AS SELECT * FROM _d")
    (alert,) = crisis_alerts(store)
    assert "过去 24 小时（05-10 10:00 至 05-11 10:00）已有 19 个负面帖（19 位作者）" in alert["message_zh"]
    assert "当天" not in alert["message_zh"]
    assert "19 negative posts by 19 authors in the last 24 hours" in alert["message_en"]
    store.close()


def _wave_store(tmp_path):
    from tests.conftest import import_rows

    t0 = datetime(2026, 6, 30, 9, tzinfo=TZ)
    at = lambda h: (t0 + timedelta(hours=h)).isoformat()  # noqa: E731
    members = [{"member_id": m, "name": m, "joined_at": at(-2000)} for m in ("a", "b", "c", "f1", "f2", "f3", "f4")]
    content = [{"content_id": cid, "kind": "thread", "author_id": who, "created_at": at(h), "title": title, "body": title}
               for cid, who, h, title in (("pos", "a", 1, "澜途S7头部空间分享"), ("lean", "b", 2, "冬季续航实测"),
                                          ("strong", "c", 3, "投诉：掉电问题"))]
    likes = {"pos": 4, "lean": 3, "strong": 1}  # reach: the positive post has the most
    inter = [{"interaction_id": f"l{k}{cid}", "kind": "like", "actor_id": f"f{k}", "created_at": at(5), "target_content_id": cid}
             for cid, n in likes.items() for k in range(1, n + 1)]
    store = import_rows(tmp_path, {"members": members, "content": content, "interactions": inter})
    return store, t0


def test_a_complaint_intent_on_a_positive_post_is_counted_by_the_detector_but_never_a_post_to_answer(tmp_path):
    from reef.kb.crisis import load_signals
    from reef.kb.wave_posts import wave_posts

    store, t0 = _wave_store(tmp_path)
    store.execute("DELETE FROM content_features")
    # the text layer's reading: complaint intent on a positive post (c64837, +0.22), a leaning score alone, and both
    store.execute("""INSERT INTO content_features (content_id, sentiment, sentiment_score, intents, aspect_names, aspects) VALUES
        ('pos', 1, 0.22, ['experience', 'complaint'], ['续航与充电'], []),
        ('lean', 0, -0.09, ['experience'], ['续航与充电'], []),
        ('strong', 0, -0.23, ['complaint'], ['续航与充电'], [])""")
    as_of = pd.Timestamp(t0 + timedelta(hours=10))
    neg = load_signals(store, as_of, store.config)["neg"]
    mine = neg[neg["aspect"] == "续航与充电"].set_index("content_id")
    assert set(mine.index) == {"pos", "lean", "strong"}  # the detector's count is unchanged: all three
    assert mine["evidence"].to_dict() == {"pos": 0, "lean": 1, "strong": 2}
    out = wave_posts(store, as_of, neg, "续航与充电", since=t0.timestamp())
    ids = [p["content_id"] for p in out["posts"]]
    assert "pos" not in ids and out["total"] == 2  # reach does not bring a positive post in
    assert ids == ["strong", "lean"]  # strong evidence before reach
    assert [p["evidence"] for p in out["posts"]] == ["strong", "lean"]
    store.close()
