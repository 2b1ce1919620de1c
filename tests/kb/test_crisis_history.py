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


# A sparse community (the bicycles meta dump: a few negative posts a year): complaints in 2021, none for 18 months,
# then one ten days before as_of; quiet posts every week throughout.
SPARSE_AS_OF = datetime(2023, 6, 1, tzinfo=TZ)


def _sparse_rows() -> dict:
    members = [{"member_id": f"s{i}", "name": f"车主{i}", "joined_at": "2020-12-01T09:00:00+08:00"} for i in range(8)]
    content = [{"content_id": f"q{w}", "kind": "thread", "author_id": f"s{w % 8}", "title": "自驾", "body": QUIET[w % 2],
                "created_at": (T0 + timedelta(days=7 * w, hours=10)).isoformat()} for w in range(125)]
    content += [{"content_id": f"n{k}", "kind": "thread", "author_id": f"s{k % 8}", "title": "投诉", "body": COMPLAINTS[k % 4],
                 "created_at": (T0 + timedelta(days=20 + 9 * k, hours=15)).isoformat()} for k in range(12)]
    content.append({"content_id": "late", "kind": "thread", "author_id": "s3", "title": "投诉", "body": COMPLAINTS[1],
                    "created_at": (SPARSE_AS_OF - timedelta(days=10, hours=-15)).isoformat()})
    return {"members": members, "content": content}


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    from reef.analyses import run_analyses

    folder = tmp_path_factory.mktemp("crisissparse")
    s = import_rows(folder, _sparse_rows())
    run_analyses(s, as_of=SPARSE_AS_OF, only=["text_features", "kb_crisis"])
    s.close()
    return folder / "reef.duckdb"


def test_the_room_tests_a_sparse_community_s_aspects(sparse):
    # Before, the room's baseline started at the first negative post of its 90-day lookback, ten days old here: nothing
    # was tested and `reef crisis` said "no aspect in the data" beside a crisis timeline that had rows.
    from reef.kb.room import crisis_report
    from reef.store import open_store

    store = open_store(sparse, read_only=True)
    r = crisis_report(store, pd.Timestamp(SPARSE_AS_OF))
    assert store.fetch_value("SELECT count(*) FROM crisis_daily") > 0
    store.close()
    assert r["aspects"] and r["untested"] is None and "全部" in [a["aspect"] for a in r["aspects"]]


def test_the_room_says_why_nothing_is_tested_in_the_first_days_and_in_quiet_ones(sparse):
    from typer.testing import CliRunner

    from reef.cli import app
    from reef.kb.room import crisis_report, untested_words
    from reef.store import open_store

    store = open_store(sparse, read_only=True)
    early = crisis_report(store, pd.Timestamp(T0 + timedelta(days=30)))  # the first complaint was 10 days ago
    quiet = crisis_report(store, pd.Timestamp(datetime(2022, 12, 1, tzinfo=TZ)))  # none since 2021-04
    store.close()
    assert not early["aspects"] and early["untested"]["reason"] == "baseline"
    assert early["untested"]["first_negative_at"] == "2021-01-24 15:00" and early["untested"]["first_test_at"] == "2021-02-22 00:00"
    assert untested_words(early["untested"], "en") == ("No aspect tested yet: the negative-wave test needs 28 days of baseline; "
                                                        "the first negative post is from 2021-01-24 15:00, the first test is at 2021-02-22 00:00.")
    assert untested_words(early["untested"], "zh").startswith("尚未检验任何方面：负面声浪检验需要 28 天基线")
    assert quiet["untested"] == {"reason": "quiet", "days": 90}
    assert untested_words(quiet["untested"], "en") == "No aspect tested: no negative post in the last 90 days."
    out = CliRunner(env={"COLUMNS": "250"}).invoke(app, ["crisis", "--db", str(sparse), "--as-of", "2021-02-03", "--lang", "en"]).output
    assert "the first test is at 2021-02-22 00:00" in out and "no aspect in the data" not in out


def test_the_crisis_page_says_why_too_not_to_run_analyze(sparse, tmp_path):
    # The page said "No crisis timeline yet: run `reef analyze`." in the baseline's first days although analyze had run.
    pytest.importorskip("fastapi")
    import shutil

    from surface_fixtures import PASSWORD, client_on

    from reef.actions import add_user
    from reef.analyses import run_analyses
    from reef.store import close_all, open_store

    path = tmp_path / "early.duckdb"
    shutil.copy(sparse, path)
    store = open_store(path)
    run_analyses(store, as_of=T0 + timedelta(days=30), only=["kb_crisis"])
    add_user(store, "admin", "admin", password=PASSWORD)
    store.checkpoint()
    close_all()
    with client_on(path) as c:
        c.post("/api/v1/login", json={"username": "admin", "password": PASSWORD})
        en, zh = c.get("/crisis?lang=en").text, c.get("/crisis?lang=zh").text
    assert "No aspect tested yet: the negative-wave test needs 28 days of baseline" in en and "reef analyze" not in en
    assert "尚未检验任何方面" in zh
