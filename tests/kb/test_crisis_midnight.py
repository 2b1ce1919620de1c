"""An author who posts negatively at 23:30 and again at 00:30 counts on both days (kb_crisis 7).

The detector used to keep one post per author per rolling 24 hours: the 00:30 post was dropped because the 23:30 one was
kept, so the next day's row read fewer 负面帖 (the detector's count) than 负面发帖人 (its distinct authors), and the alert
said "1 个负面帖（2 位作者）". Now the count is the distinct authors of each tested window: every author counts once in
every window they posted in, so on every row 负面帖 = 负面发帖人 and the alert's figures are the timeline's."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

ASPECT = "续航与充电"
TZ = timezone(timedelta(hours=8))  # the store's zone (general.timezone Asia/Shanghai)
D0 = datetime(2026, 5, 1, tzinfo=TZ)  # a local midnight
DAYS = 35


@pytest.fixture
def store(tmp_path):
    from tests.conftest import import_rows

    at = lambda d, h, m=0: (D0 + timedelta(days=d, hours=h, minutes=m)).isoformat()  # noqa: E731
    # one regular complains at noon every day (the baseline); "night" posts at 23:30 on day 33 and 00:30 on day 34
    posts = [(f"q{d}", f"r{d % 20}", at(d, 12)) for d in range(DAYS)] + [("late", "night", at(33, 23, 30)), ("early", "night", at(34, 0, 30))]
    members = [{"member_id": m, "name": m, "joined_at": at(-30, 0)} for m in sorted({a for _, a, _ in posts})]
    content = [{"content_id": cid, "kind": "thread", "author_id": who, "created_at": when, "title": "掉电太快", "body": "掉电太快"}
               for cid, who, when in posts]
    s = import_rows(tmp_path, {"members": members, "content": content})
    s.execute("DELETE FROM content_features")
    with s.registered("_f", pd.DataFrame({"content_id": [p[0] for p in posts]})):
        s.execute(f"""INSERT INTO content_features (content_id, sentiment, sentiment_score, intents, aspect_names, aspects)
                      SELECT content_id, -1, -0.5, ['complaint'], ['{ASPECT}'], [] FROM _f""")
    yield s
    s.close()


def test_a_poster_either_side_of_midnight_counts_on_both_days_and_the_alert_says_the_timelines_figures(store):
    from reef.analyses import run_analyses
    from reef.kb.crisis_alerts import crisis_alerts
    from reef.kb.room import crisis_report

    as_of = pd.Timestamp(D0 + timedelta(days=DAYS))  # midnight: day 34 is the last, whole day
    run_analyses(store, as_of=as_of, only=["kb_crisis"])
    rows = {r["day"]: r for r in crisis_report(store, as_of, aspect=ASPECT, days=14)["timeline"]}
    assert all(r["observed"] >= r["negative_authors"] for r in rows.values()), rows
    assert (rows["2026-06-03"]["observed"], rows["2026-06-03"]["negative_authors"]) == (2, 2)  # day 33: r13 and night
    assert (rows["2026-06-04"]["observed"], rows["2026-06-04"]["negative_authors"]) == (2, 2)  # day 34: r14 and night (was 1, 2)
    # the alert reads the same row: plant an alarm on it and read the sentence
    store.execute("UPDATE crisis_daily SET alarm = true, p_value = 1e-9, first_alarm_at = day + INTERVAL 9 HOUR "
                  "WHERE aspect = $a AND day = (SELECT max(day) FROM crisis_daily)", {"a": ASPECT})
    (alert,) = [a for a in crisis_alerts(store) if a["aspect"] == ASPECT]
    assert "当天已有 2 个负面帖（2 位作者）" in alert["message_zh"]


def test_every_hourly_count_is_the_distinct_authors_of_its_window():
    import numpy as np

    from reef.kb.wave import DAY, WaveParams, hourly_tests

    rng = np.random.default_rng(5)
    n = 3000  # 40 days, 60 authors: many post again within 24 hours, some at the same second
    items = pd.DataFrame({"t": np.sort(rng.integers(0, 40 * DAY, n)).astype(float), "author_id": rng.integers(0, 60, n).astype(str),
                          "aspect": rng.choice(["续航与充电", "动力"], n)})
    items.loc[10, ["t", "author_id", "aspect"]] = items.loc[9, ["t", "author_id", "aspect"]].to_numpy()
    p = WaveParams()
    hours = hourly_tests(items, 0.0, 40 * DAY, params=p)
    assert len(hours) > 500
    for _, h in hours.sample(300, random_state=1).iterrows():
        inside = items[(items["aspect"] == h["aspect"]) & (items["t"] >= h["t"] - p.window_hours * 3600) & (items["t"] < h["t"])]
        assert h["observed"] == inside["author_id"].nunique()
        assert h["new_authors"] == h["observed"]  # no ``new`` column: every author is new
