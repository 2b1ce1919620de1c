"""The breakwater reads the last ``kb.crisis_history_days`` (kb_crisis 8), and gives every day it keeps the row a
whole-history run gives it.

Before, its hourly tests ran from the first negative post to as_of: on the 13-year Stack Exchange bicycles meta dump
9,452 daily rows, and 13 years of 15 aspects made 1.7M hourly rows (26 s, 1 GB) on every `reef analyze`, while every
surface reads the last days only. On that dump the 1,404 rows kept are equal to the whole-history run's.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from reef.kb.crisis import write_crisis_daily
from tests.conftest import import_rows

TZ = timezone(timedelta(hours=8))
T0 = datetime(2021, 1, 4, tzinfo=TZ)
AS_OF = datetime(2023, 7, 1, tzinfo=TZ)  # 908 days after T0
COMPLAINTS = ["车机又死机了，OTA之后更卡，售后也不管，太失望了", "续航掉得厉害，冬天打七折，客服一直推脱，很生气",
              "异响问题修了三次还没好，4S店态度很差，差评", "充电桩老是充不上电，投诉也没人回复，太坑了"]
QUIET = ["今天提车了，分享一下内饰，整体很满意", "周末自驾去山里，油耗还不错，风景很好", "请问保养一次大概多少钱？"]


def _rows() -> dict:
    rng = np.random.default_rng(5)
    members = [{"member_id": f"m{i}", "name": f"车主{i}", "joined_at": (T0 - timedelta(days=30)).isoformat()} for i in range(60)]
    content = []
    for d in range((AS_OF - T0).days):
        for j in range(2):
            text = COMPLAINTS[(d + j) % 4] if rng.random() < 0.5 else QUIET[(d + j) % 3]
            at = T0 + timedelta(days=d, hours=int(rng.integers(8, 22)), minutes=int(rng.integers(0, 60)))
            content.append({"content_id": f"c{d}_{j}", "kind": "thread", "author_id": f"m{rng.integers(0, 60)}",
                            "created_at": at.isoformat(), "title": text[:6], "body": text})
    return {"members": members, "content": content}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from reef.analyses import run_analyses

    s = import_rows(tmp_path_factory.mktemp("crisishistory"), _rows())
    run_analyses(s, as_of=AS_OF, only=["text_features"])
    yield s
    s.close()


def _daily(store, days: int) -> pd.DataFrame:
    write_crisis_daily(store, pd.Timestamp(AS_OF), store.config.with_overrides({"kb.crisis_history_days": days}))
    return store.fetch_arrow("SELECT * FROM crisis_daily ORDER BY day, aspect").to_pandas()


def test_the_timeline_covers_the_history_days_and_matches_a_whole_history_run(store):
    whole, span = _daily(store, 5000), _daily(store, 200)
    first = pd.Timestamp(span["day"].min())
    # the span starts at a midnight; its first 28 days are the baseline. Before: the whole history
    assert first == pd.Timestamp(AS_OF - timedelta(days=200 - 28)), first
    assert pd.Timestamp(whole["day"].min()) < pd.Timestamp(AS_OF - timedelta(days=800))
    assert set(span["aspect"]) == set(whole["aspect"]) and len(span["aspect"].unique()) > 2
    kept = whole[whole["day"] >= span["day"].min()].reset_index(drop=True)
    pd.testing.assert_frame_equal(span.reset_index(drop=True), kept, check_exact=False, rtol=1e-9)


def test_an_aspect_quiet_in_the_span_keeps_its_rows_and_its_share_of_alpha():
    # An aspect whose negative posts are all older than the span has no item to read, but a whole-history run tests it
    # every hour (observed 0) and divides alpha by it: passed in `aspects`, it is tested the same way.
    from reef.kb.wave import DAY, hourly_tests

    items = pd.DataFrame({"t": [DAY * d + 3600.0 for d in range(40)], "author_id": [f"a{d % 7}" for d in range(40)],
                          "aspect": "续航"})
    alone = hourly_tests(items, 0, 40 * DAY)
    both = hourly_tests(items, 0, 40 * DAY, aspects=["续航", "异响"])
    assert set(alone["aspect"]) == {"续航"} and set(both["aspect"]) == {"续航", "异响"}
    quiet = both[both["aspect"] == "异响"]
    assert len(quiet) == len(alone) and (quiet["observed"] == 0).all() and not quiet["alarm"].any()
    assert hourly_tests(items.iloc[:0], 0, 40 * DAY, aspects=["异响"])["observed"].eq(0).all()


def test_a_span_no_longer_than_its_baseline_is_refused():
    from reef.config import load_config
    from reef.errors import ConfigError

    with pytest.raises(ConfigError, match="Expected above kb.crisis_baseline_days"):
        load_config().with_overrides({"kb.crisis_history_days": 28})
