"""The crisis room's figures and lead as the alerts and the weekly report show them (QA of the planted 智能与车机 wave,
2026-05-19..24: the alert said "是平常（2.2）的 6.7 倍" beside the room's 2.25 and 6.67; its subject stayed Chinese in
English; the report's chart picked the lead by its own by-day rule, not the room's twin rule)."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.kb.test_crisis_room import crisis_store  # noqa: F401 - the small kb store, kb_crisis run
from tests.kb.test_kb import kb_path  # noqa: F401


def test_the_alert_shows_the_rooms_baseline_and_ratio_and_names_the_aspect_in_english(crisis_store):
    from reef.i18n import code_label
    from reef.kb.crisis_alerts import crisis_alerts

    crisis_store.execute("UPDATE crisis_daily SET alarm = true, observed = 15, baseline = 2.2496, ratio = 15 / 2.2496, p_value = 1e-12 "
                         "WHERE aspect = '续航与充电' AND day = (SELECT max(day) FROM crisis_daily)")
    zh = next(a for a in crisis_alerts(crisis_store, "zh") if a["alert_key"] == "crisis:续航与充电")
    en = next(a for a in crisis_alerts(crisis_store, "en") if a["alert_key"] == "crisis:续航与充电")
    assert "是平常（2.25）的 6.67 倍" in zh["message_zh"], zh["message_zh"]  # the room's 2.25 and 6.67: 15 / 2.25 = 6.67
    assert "6.67x the usual 2.25" in en["message_en"], en["message_en"]
    assert zh["subject"] == "续航与充电" and en["subject"] == code_label("续航与充电", "en") != "续航与充电"
    assert en["aspect"] == zh["aspect"] == "续航与充电" and en["link"] == zh["link"]


def test_the_weekly_chart_opens_on_the_waves_lead_as_the_room_and_alerts_do(monkeypatch):
    """Two twin tags of one range-and-charging wave alarmed the same day: the by-day rule took 智能与车机 (lower
    p-value); the room and the alerts lead with 续航与充电, whose cue words the posts use (reef.kb.wave_lead)."""
    from reef.kb import crisis_alerts
    from reef.report.weekly import weekly_sections
    from reef.store import open_store
    from tests.kb.test_crisis_lead import Day

    real = crisis_alerts.lead_rows  # the alerts' rule on the test's posts (every wave post tagged both aspects)
    monkeypatch.setattr(crisis_alerts, "lead_rows", lambda store, rows, share: real(Day(), rows, share), raising=False)
    store = open_store(":memory:")
    store.execute("""CREATE TABLE crisis_daily AS SELECT * FROM (VALUES
        (TIMESTAMPTZ '2026-05-19 16:00Z', '智能与车机', 3, 2.0, 1.5, 0.3, false, NULL::TIMESTAMPTZ, NULL::TIMESTAMPTZ),
        (TIMESTAMPTZ '2026-05-19 16:00Z', '续航与充电', 2, 2.5, 0.8, 0.6, false, NULL, NULL),
        (TIMESTAMPTZ '2026-05-20 16:00Z', '智能与车机', 20, 3.0, 6.7, 1e-9, true, NULL, NULL),
        (TIMESTAMPTZ '2026-05-20 16:00Z', '续航与充电', 20, 3.2, 6.3, 1e-7, true, NULL, NULL))
        AS t(day, aspect, observed, baseline, ratio, p_value, alarm, window_start, window_end)""")
    sections = weekly_sections(store, datetime(2026, 5, 21, 10, tzinfo=timezone.utc), "zh")
    captions = [c.caption for s in sections for c in s.charts]
    assert any("危机时间线（续航与充电" in c for c in captions), captions
