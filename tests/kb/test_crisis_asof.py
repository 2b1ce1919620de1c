"""The crisis room's surfaces speak of one moment: alerts at the radar's as_of, the page and the report at the latest
breakwater run (an other as_of is refused), the wave's authors at their ladder stage of that moment, no old wave as
today's, no bare numbers as topic words."""
from __future__ import annotations

import shutil
from datetime import timedelta

import pandas as pd
import pytest

from tests.kb.test_kb import T0, kb_path  # noqa: F401 - the small kb store fixture


@pytest.fixture
def store(kb_path, tmp_path):
    from reef.store import open_store

    copy = tmp_path / "c.duckdb"
    shutil.copy(kb_path, copy)
    s = open_store(copy)
    yield s
    s.close()


def _plant_alarm(store) -> None:
    """Make the last day of crisis_daily an alarm on 续航与充电 (the small store has no wave of its own)."""
    last = store.fetch_value("SELECT max(day) FROM crisis_daily")
    store.execute("UPDATE crisis_daily SET alarm = true, ratio = 8.0, p_value = 1e-12, observed = 30, baseline = 3.7, "
                  "first_alarm_at = day + INTERVAL 2 HOUR WHERE aspect = '续航与充电' AND day >= $d - INTERVAL 1 DAY", {"d": last})


def _as_of(store, name):
    from reef.store.coverage import analysis_as_of

    return analysis_as_of(store, name)


EARLY = T0 + timedelta(days=35)


def test_alerts_leave_out_a_crisis_alarm_of_another_moment_and_reef_alerts_brings_both_to_one(store):
    """A back-dated `reef crisis --as-of` must not be sent as live next to the radar's alerts of the data's end."""
    from reef.actions.overview import today_overview
    from reef.analyses import run_analyses
    from reef.reads.ops import alerts
    from reef.risks.webhook import run_alerts

    run_analyses(store, only=["risks"])  # the radar at the end of the data
    run_analyses(store, as_of=EARLY, only=["kb_crisis"])  # then the crisis room back-dated
    _plant_alarm(store)
    out = run_alerts(store, store.config, send=False)
    assert not [a for a in out["alerts"] if a["alert_key"].startswith("crisis:")]
    assert "2026-04-05 09:00" in out["warning"] and "2026-04-10 09:00" in out["warning"]  # both moments named
    assert not any(a["key"] == "alert.crisis" for a in today_overview(store, lang="zh")["alerts"])
    # reef alerts brings the breakwater to the radar's moment first
    alerts(store, send=False)
    assert _as_of(store, "kb_crisis") == _as_of(store, "risks")
    _plant_alarm(store)  # the same wave at the radar's moment is listed, with the run's as_of
    mine = [a for a in run_alerts(store, store.config, send=False)["alerts"] if a["alert_key"] == "crisis:续航与充电"]
    assert mine and mine[0]["as_of"] == _as_of(store, "risks")


def test_page_and_report_read_the_latest_run_not_the_largest_as_of_and_refuse_another(store):
    from reef.analyses import run_analyses
    from reef.errors import InvalidParameterError
    from reef.kb.surfaces import crisis_page
    from reef.report.capability_sections import build_section

    end = run_analyses(store, only=["kb_crisis"]).as_of
    early = run_analyses(store, as_of=EARLY, only=["kb_crisis"]).as_of  # the latest run, at an earlier moment
    page = crisis_page(store, masked=False)
    assert page["as_of"].startswith("2026-04-05T09:00") and page["window"]["end"] == "2026-04-05 09:00"
    assert crisis_page(store, as_of="2026-04-05T09:00+08:00")["as_of"] == page["as_of"]  # its own moment is fine
    with pytest.raises(InvalidParameterError, match="2026-04-05T09:00"):
        crisis_page(store, as_of=end)  # never the room of one moment with the timeline of another
    section = build_section("kb_crisis", store, early, "en")
    assert any("2026-04-05 09:00" in p for p in section.paragraphs)
    with pytest.raises(InvalidParameterError):
        build_section("kb_crisis", store, end, "en")


def test_wave_authors_carry_their_ladder_stage_at_as_of_not_the_last_runs(store):
    from reef.kb.wave_posts import wave_posts

    store.execute("""CREATE OR REPLACE TABLE ladder_members AS SELECT 'ask1' AS member_id, 3::TINYINT AS stage,
                     '连接者' AS stage_name, 'connector' AS stage_name_en, TIMESTAMPTZ '2026-04-10 09:00:01+08' AS as_of""")
    # ask1 reached 连接者 only after the wave: at the wave it was a 创作者 (2), not a core member
    store.execute("""CREATE OR REPLACE TABLE ladder_events AS SELECT * FROM (VALUES
                     ('ask1', TIMESTAMPTZ '2026-03-10 00:00+08', 'promote', 1::TINYINT, 2::TINYINT),
                     ('ask1', TIMESTAMPTZ '2026-04-08 00:00+08', 'promote', 2::TINYINT, 3::TINYINT)) t(member_id, "at", event, from_stage, to_stage)""")
    neg = pd.DataFrame({"content_id": ["q1"], "aspect": "续航与充电", "t": [pd.Timestamp("2026-03-02T09:00+08:00").timestamp()]})
    at = lambda s: wave_posts(store, pd.Timestamp(s), neg, "续航与充电", since=0.0)  # noqa: E731
    early = at("2026-04-05T09:00+08:00")
    assert early["posts"][0]["stage"] == 2 and early["posts"][0]["stage_name"] == "创作者" and not early["posts"][0]["core"]
    assert early["core_authors"] == 0 and early["ladder_as_of"].startswith("2026-04-10T09:00") and not early["ladder_behind"]
    before = at("2026-03-05T09:00+08:00")["posts"][0]
    assert before["stage"] == 1  # before its first change: the stage it changed from
    late = at("2026-04-20T09:00+08:00")
    assert late["posts"][0]["core"] and late["ladder_behind"]  # a run before as_of: its stage, and said so


def _old_alarm(monkeypatch, days: float) -> None:
    """An alarm on 续航与充电 ``days`` before the data's end (the small store has no wave of its own)."""
    import reef.kb.room as room

    real = room.alarm_spans
    end_t = pd.Timestamp("2026-04-10T09:00:01+08:00").timestamp()
    span = (end_t - days * 86400 - 7200, end_t - days * 86400)
    monkeypatch.setattr(room, "alarm_spans", lambda hours, gap: {**real(hours, gap), "续航与充电": span})


def test_an_old_wave_is_named_as_past_not_listed_as_todays(store, monkeypatch):
    from reef.kb.room import crisis_report

    _old_alarm(monkeypatch, 8)  # kb.crisis_recent_days is 7
    out = crisis_report(store, None, store.config, aspect="续航与充电")
    assert not out["current_wave"] and out["first_alarm_at"] is None
    assert out["past_wave"] == {"aspect": "续航与充电", "first_alarm_at": "2026-04-02 07:00", "last_alarm_at": "2026-04-02 09:00",
                                "days_ago": 8}
    assert out["wave_start"] == out["window"]["start"]  # the trailing window, not the old wave's start
    # within the configured window the same wave is the current one
    recent = crisis_report(store, None, store.config.with_overrides({"kb.crisis_recent_days": 10}), aspect="续航与充电")
    assert recent["current_wave"] and recent["past_wave"] is None and recent["first_alarm_at"] == "2026-04-02 07:00"
    assert recent["wave_start"] == "2026-04-01 07:00"


def test_bare_numbers_are_no_topic_words_but_a_version_the_wave_names_is():
    from reef.kb.pin import wave_terms

    wave = ["升级OTA 4.2之后掉电，百公里电耗19.5度，故障灯亮", "OTA 4.2后掉电，电耗19.5度，故障", "掉电故障，电耗15.0度"]
    background = ["故障灯教程，百公里电耗19.5度", "OTA 4.2后很流畅", "电耗15.0度，故障少", "掉电不明显"]
    terms = wave_terms(wave, background, 8)
    assert "4.2" in terms and "19.5" not in terms and "15.0" not in terms
    assert not [t for t in terms if t.replace(".", "").isdigit() and t != "4.2"]


def test_the_page_refuses_an_aspect_that_is_none_as_the_cli_does_and_names_the_moment_to_move_to(store):
    """/crisis?aspect=刹车 showed another aspect without a word; the 422 hint for another as_of had no date in it; the
    known aspects listed 安全性 twice."""
    from reef.analyses import run_analyses
    from reef.errors import InvalidParameterError
    from reef.kb.surfaces import crisis_page

    run_analyses(store, as_of=EARLY, only=["kb_crisis"])
    with pytest.raises(InvalidParameterError, match="刹车") as bad:
        crisis_page(store, aspect="刹车")
    assert str(bad.value).count("safety") == 1 and bad.value.text("zh").count("安全性") == 1  # English names in English
    assert crisis_page(store, aspect="range and charging", masked=False)["aspect"] == "续航与充电"  # English names too
    with pytest.raises(InvalidParameterError) as other:
        crisis_page(store, as_of="2026-04-07 10:00")
    assert 'reef crisis --as-of "2026-04-07 10:00"' in other.value.hint


def test_the_alert_says_whether_the_wave_is_still_running():
    """The group alert named the wave's first alarm only: nothing told a reader whether it was still running."""
    from reef.kb.crisis import daily_table  # noqa: F401 - the column the alert reads is written there
    from reef.kb.crisis_alerts import crisis_alerts
    from reef.store import open_store

    store = open_store(":memory:")
    day = pd.Timestamp("2026-05-21T16:00Z")
    row = dict(day=day, aspect="智能与车机", window_start=day, window_end=day + pd.Timedelta(hours=24), observed=18, baseline=2.4,
               ratio=7.4, tested=18, expected=2.4, p_value=1e-9, negative_authors=18, new_authors=12, new_author_share=0.6,
               reach=40, buffer=3, buffer_ratio=0.2, specifics_replies=1, alarm=True, alarm_now=True,
               first_alarm_at=day + pd.Timedelta(hours=2), wave_first_alarm_at=day - pd.Timedelta(days=2))
    for now, words in ((True, ("声浪仍在持续", "still running")), (False, ("可能正在平息", "may be subsiding"))):
        df = pd.DataFrame([{**row, "alarm_now": now}])
        with store.registered("_d", df):
            store.execute("CREATE OR REPLACE TABLE crisis_daily AS SELECT * FROM _d")
        alert = crisis_alerts(store)[0]
        assert words[0] in alert["message_zh"] and words[1] in alert["message_en"]
    store.close()
