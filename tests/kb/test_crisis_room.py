"""The crisis room: one reading for every surface, the aspect rule, the wave's posts, pins on topic, alerts outside."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from reef.kb.pin import rank_pins, wave_terms
from tests.kb.test_kb import kb_path  # noqa: F401 - the small kb store fixture
from reef.kb.room import aspect_key, pick_aspect


def test_the_room_opens_on_the_most_recent_then_strongest_alarm_not_the_most_alarm_days():
    tests = [{"aspect": "动力", "last_alarm_at": 100.0, "p_value": 5e-10, "ratio": 11.2},   # a side tag, many alarm days
             {"aspect": "智能与车机", "last_alarm_at": 100.0, "p_value": 6e-22, "ratio": 7.8},
             {"aspect": "续航与充电", "last_alarm_at": 40.0, "p_value": 1e-30, "ratio": 20.0},  # an older wave
             {"aspect": "全部", "last_alarm_at": 100.0, "p_value": 1e-40, "ratio": 3.0}]
    assert pick_aspect(tests) == "智能与车机"
    assert [t["aspect"] for t in sorted(tests, key=aspect_key)] == ["智能与车机", "动力", "续航与充电", "全部"]


def _cand(i, author, text, cred=1.0):
    return {"content_id": f"c{i}", "author_id": author, "author": author, "title": text[:10], "text": text,
            "created_at": pd.Timestamp("2026-06-01", tz="UTC"), "claims": 0, "author_best_answers": 0, "bookmarks": 0,
            "credibility": cred}


def test_pins_follow_the_wave_topic_one_per_author_and_say_why():
    wave = ["OTA 5.2之后车机黑屏", "车机OTA 5.2黑屏重启", "升级OTA 5.2后车机黑屏"]
    cands = [_cand(1, "a", "快充30分钟到80%，充电很快", 9.0), _cand(2, "a", "超充站充电体验", 9.0), _cand(3, "a", "家充桩安装", 9.0),
             _cand(4, "b", "车机升级到OTA 5.2之后流畅了不少", 2.0), _cand(5, "b", "车机OTA 5.2 语音好用", 2.0),
             _cand(6, "c", "车机升级OTA 4.1后导航更准", 1.0)]
    terms = wave_terms(wave, [c["text"] for c in cands], 8)
    assert "5.2" in terms and "ota" in terms
    out = rank_pins(cands, terms, n=5, per_author=1, min_terms=3)
    ids = [p["content_id"] for p in out["posts"]]
    assert ids[0] in ("c4", "c5") and "c1" not in ids and len({p["author_id"] for p in out["posts"]}) == len(ids)
    assert "5.2" in out["posts"][0]["reason_zh"] and out["matched"] == 2  # the buffer counts on-topic posts only


@pytest.fixture
def crisis_store(kb_path, tmp_path):
    from reef.analyses import run_analyses
    from reef.store import open_store

    copy = tmp_path / "c.duckdb"
    shutil.copy(kb_path, copy)
    store = open_store(copy)
    run_analyses(store, only=["kb_crisis"])
    yield store
    store.close()


def test_page_cli_and_report_read_one_report_with_a_stated_window(crisis_store):
    from reef.kb.room import crisis_report
    from reef.kb.surfaces import crisis_page

    as_of = crisis_store.fetch_value("SELECT max(as_of) FROM analysis_runs WHERE name = 'kb_crisis' AND status = 'ok'")
    page = crisis_page(crisis_store, masked=False)
    live = crisis_report(crisis_store, as_of, crisis_store.config)
    assert page["aspect"] == live["aspect"] and page["aspects"] == live["aspects"] and page["buffer"] == live["buffer"]
    assert page["window"]["end"] and page["window_hours"] == 24
    for key in ("wave", "growth", "facts", "first_alarm_at"):
        assert key in live
    assert len(live["growth"]) == 48
    last = live["timeline"][-1] if live["timeline"] else None
    if last is not None and pd.Timestamp(last["day"]).date() == pd.Timestamp(as_of).date():
        assert last["partial"] is not None


def test_crisis_alert_reaches_alerts_and_today_once_per_wave(crisis_store):
    from reef.actions.overview import today_overview
    from reef.risks.webhook import run_alerts

    last = crisis_store.fetch_value("SELECT max(day) FROM crisis_daily")
    crisis_store.execute("UPDATE crisis_daily SET alarm = true, ratio = 8.0, p_value = 1e-12, observed = 30, baseline = 3.7, "
                         "first_alarm_at = day + INTERVAL 2 HOUR WHERE aspect = '续航与充电' AND day >= $d - INTERVAL 1 DAY", {"d": last})
    first = run_alerts(crisis_store, crisis_store.config)["alerts"]
    mine = [a for a in first if a["alert_key"] == "crisis:续航与充电"]
    assert mine and mine[0]["is_new"] and mine[0]["severity"] == "high" and "倍" in mine[0]["message"]
    assert mine[0]["link"] == "/crisis?aspect=%E7%BB%AD%E8%88%AA%E4%B8%8E%E5%85%85%E7%94%B5"  # the aspect URL-encoded
    again = [a for a in run_alerts(crisis_store, crisis_store.config)["alerts"] if a["alert_key"] == "crisis:续航与充电"]
    assert again and not again[0]["is_new"]  # the same wave is not new the next time
    alerts = today_overview(crisis_store, lang="zh")["alerts"]
    assert alerts and any(a["key"] == "alert.crisis" for a in alerts)
    from reef.risks.analysis import FAMILIES
    assert "crisis" not in FAMILIES  # never one of the radar's scored families


def test_wave_posts_rank_unanswered_high_reach_first_and_mark_what_was_answered(tmp_path):
    from datetime import datetime, timedelta, timezone

    from reef.actions import record_action
    from reef.kb.wave_posts import official_facts, wave_posts
    from tests.conftest import import_rows

    t0 = datetime(2026, 6, 30, 9, tzinfo=timezone(timedelta(hours=8)))
    at = lambda h: (t0 + timedelta(hours=h)).isoformat()  # noqa: E731
    members = [{"member_id": m, "name": m, "joined_at": at(-2000)} for m in ("a", "b", "c", "fan1", "fan2", "fan3")]
    members.append({"member_id": "brand", "name": "澜途官方", "joined_at": at(-2000), "account_type": "brand"})
    content = [{"content_id": cid, "kind": "thread", "author_id": who, "created_at": at(h), "title": "车机OTA后黑屏",
                "body": "OTA 5.2之后车机黑屏"} for cid, who, h in (("w1", "a", 1), ("w2", "b", 2), ("w3", "c", 3))]
    content.append({"content_id": "r1", "kind": "reply", "author_id": "brand", "created_at": at(4), "parent_id": "w1",
                    "thread_id": "w1", "body": "已收到，正在排查"})
    inter = [{"interaction_id": f"l{k}{cid}", "kind": "like", "actor_id": f"fan{k}", "created_at": at(5),
              "target_content_id": cid} for cid, n in (("w1", 3), ("w2", 1), ("w3", 3)) for k in range(1, n + 1)]
    facts = [{"fact_id": "sp", "kind": "selling_point", "attribute": "澜途OS车机", "value_text": "8295芯片车机", "source": "手册"},
             {"fact_id": "px", "kind": "spec", "model": "S7", "attribute": "price", "value": 21.98, "unit": "万元", "source": "官网"}]
    store = import_rows(tmp_path, {"members": members, "content": content, "interactions": inter, "official_facts": facts})
    record_action(store, "b", "respond", status="done", details={"content": "w2"}, note="已私信")
    neg = pd.DataFrame({"content_id": ["w1", "w2", "w3"], "aspect": "智能与车机", "t": [t0.timestamp() + h * 3600 for h in (1, 2, 3)]})
    out = wave_posts(store, pd.Timestamp(at(10)), neg, "智能与车机", since=t0.timestamp())
    by = {p["content_id"]: p for p in out["posts"]}
    assert by["w1"]["staff_replied"] and by["w1"]["answered"]  # the brand replied in the thread
    assert by["w2"]["responded"] and by["w2"]["answered"]  # an operator recorded 官方回应
    assert not by["w3"]["answered"] and out["unanswered"] == 1
    assert [p["content_id"] for p in out["posts"]][0] == "w3"  # unanswered first
    assert by["w1"]["reach"] == 4 and by["w3"]["likes"] == 3  # a reply and three likes
    assert [f["fact_id"] for f in official_facts(store, pd.Timestamp(at(10)), "智能与车机")] == ["sp"]
    assert [f["fact_id"] for f in official_facts(store, pd.Timestamp(at(10)), "价格")] == ["px"]
    store.close()


def test_a_side_tag_of_the_same_posts_is_named_in_the_leads_alert_not_sent_as_a_second_wave():
    import pyarrow as pa

    from reef.config import load_config
    from reef.kb.crisis_alerts import lead_rows

    class Posts:  # the day's negative posts by aspect, as the detector's query returns them
        config = load_config()

        def fetch_arrow(self, sql, params):
            rows = [(f"p{i}", "智能与车机") for i in range(10)] + [(f"p{i}", "动力") for i in range(5)] \
                + [("p0", "续航与充电"), ("x1", "续航与充电"), ("x2", "续航与充电")]
            return pa.table({"content_id": [r[0] for r in rows], "aspect": [r[1] for r in rows]})

        def fetch_all(self, sql, params):  # the posts' texts (reef.kb.wave_lead): no twins here, never read
            return []

    rows = [{"aspect": a, "day": "2026-07-01T00:00:00+08:00"} for a in ("智能与车机", "动力", "续航与充电")]
    assert lead_rows(Posts(), rows, 0.8)[1] == {"动力": "智能与车机"}  # 续航与充电 shares one post in three: its own wave


def test_an_open_respond_is_the_answer_as_on_the_risk_radar(tmp_path):
    """docs/actions.md: a respond recorded and not cancelled is the answer from its creation on, open or done; the
    crisis room read an open one as 回应待办中 (not answered) while the radar counted it resolved."""
    from datetime import datetime, timedelta, timezone

    from reef.actions import record_action, update_action
    from reef.actions.cutoff import NO_LIMIT, responses_sql
    from reef.kb.wave_posts import wave_posts
    from tests.conftest import import_rows

    t0 = datetime(2026, 6, 30, 9, tzinfo=timezone(timedelta(hours=8)))
    at = lambda h: (t0 + timedelta(hours=h)).isoformat()  # noqa: E731
    members = [{"member_id": m, "name": m, "joined_at": at(-2000)} for m in ("a", "b", "c")]
    content = [{"content_id": cid, "kind": "thread", "author_id": who, "created_at": at(h), "title": "车机OTA后黑屏",
                "body": "OTA 5.2之后车机黑屏"} for cid, who, h in (("w1", "a", 1), ("w2", "b", 2), ("w3", "c", 3))]
    store = import_rows(tmp_path, {"members": members, "content": content})
    record_action(store, "a", "respond", details={"content": "w1"}, note="已私信，正在排查", status="open")
    gone = record_action(store, "b", "respond", details={"content": "w2"}, status="open")
    update_action(store, gone["action_id"], status="cancelled")
    neg = pd.DataFrame({"content_id": ["w1", "w2", "w3"], "aspect": "智能与车机", "t": [t0.timestamp() + h * 3600 for h in (1, 2, 3)]})
    out = wave_posts(store, pd.Timestamp(at(10)), neg, "智能与车机", since=t0.timestamp())
    answered = {p["content_id"] for p in out["posts"] if p["answered"]}
    assert answered == {"w1"} and out["unanswered"] == 2 and "response_open" not in out["posts"][0]
    # the risk radar's reading of the same actions (the one rule, reef.actions.cutoff.responses_sql)
    assert {c for (c, _) in store.fetch_all(responses_sql(), {"acts": NO_LIMIT})} == answered
