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
    again = [a for a in run_alerts(crisis_store, crisis_store.config)["alerts"] if a["alert_key"] == "crisis:续航与充电"]
    assert again and not again[0]["is_new"]  # the same wave is not new the next time
    alerts = today_overview(crisis_store, lang="zh")["alerts"]
    assert alerts and any(a["key"] == "alert.crisis" for a in alerts)
    from reef.risks.analysis import FAMILIES
    assert "crisis" not in FAMILIES  # never one of the radar's scored families
