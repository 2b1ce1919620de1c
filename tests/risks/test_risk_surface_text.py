"""What the weekly risk report and the dashboard say about an alert: whom or what it is about, its family, and numbers
in units an operator reads (not the radar's computation: its tables are made by hand here)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from reef.store import open_store
from tests.risks.test_webhook_delivery import raise_alerts

T = datetime(2026, 3, 1, tzinfo=timezone.utc)


def _store(tmp_path, monkeypatch):
    store = open_store(tmp_path / "w.duckdb")
    store.execute("INSERT INTO members (member_id, name, joined_at, account_type) VALUES "
                  "('m0279', '老张', TIMESTAMPTZ '2025-01-01 00:00:00+00', 'member'), "
                  "('m0300', NULL, TIMESTAMPTZ '2025-01-01 00:00:00+00', 'member')")
    store.execute("INSERT INTO content (content_id, kind, author_id, created_at, title, body) VALUES "
                  "('c29062', 'thread', 'm0300', TIMESTAMPTZ '2026-02-27 00:00:00+00', '续航', '续航467公里')")
    raise_alerts(store, monkeypatch, T, [
        {"family": "heat_death", "part": "core_burnout", "subject": "m0279", "member_id": "m0279", "score": 70.0,
         "message_zh": "核心成员近14天未发帖", "message_en": "core member: no posts in the last 14 days"},
        {"family": "heat_death", "part": "core_burnout", "subject": "m0300", "member_id": "m0300", "score": 65.0,
         "message_zh": "核心成员近14天发帖1条", "message_en": "core member: 1 post in the last 14 days"},
        {"family": "entropy", "part": "misinformation", "subject": "c29062", "member_id": "m0300", "content_id": "c29062",
         "score": 90.0, "message_zh": "称续航467公里", "message_en": "claimed range 467 km"},
        {"family": "backlash", "part": "drift", "subject": "core", "score": 62.0, "message_zh": "3名核心成员投诉明显增多",
         "message_en": "3 core members complaining"}])
    return store


def _rows(html: str, heading: str) -> list[str]:
    table = html.split(heading, 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", table)[1:]


def test_every_alert_row_of_the_weekly_report_names_its_subject(tmp_path, monkeypatch):
    from reef.risks.weekly import weekly_report

    store = _store(tmp_path, monkeypatch)
    html, en = weekly_report(store, weeks=1), weekly_report(store, lang="en", weeks=1)  # one language per file
    assert "对象" in html.split("本周新提醒", 1)[1].split("</tr>", 1)[0]
    assert "Subject" in en.split("Alerts raised this week", 1)[1].split("</tr>", 1)[0]
    rows = _rows(html, "本周新提醒")
    assert len(rows) == 4
    subject = re.compile(r"<td>([^<]*)</td><td>2026")
    assert {subject.search(r).group(1) for r in rows} == {"老张（m0279）", "成员 m0300", "帖子 c29062", "核心成员"}
    assert {subject.search(r).group(1) for r in _rows(en, "Alerts raised this week")} == {
        "老张 (m0279)", "member m0300", "post c29062", "core members"}


def test_the_dashboard_alerts_carry_their_family_and_member_name(tmp_path, monkeypatch):
    from reef.risks.surfaces import risk_page

    store = _store(tmp_path, monkeypatch)
    items = {a["subject"]: a for a in risk_page(store, masked=False)["alerts"]["items"]}
    assert items["m0279"]["family_name"] == "热寂" and items["m0279"]["member_name"] == "老张"
    assert items["c29062"]["family_name"] == "熵增" and items["核心成员"]["family_name"] == "反噬"
    en = {a["subject"]: a for a in risk_page(store, lang="en", masked=False)["alerts"]["items"]}
    assert en["m0279"]["family_name"] == "heat death"


def test_a_burnout_alert_puts_its_odds_beside_the_test_that_gave_them(tmp_path):
    from tests.risks.conftest import burnout_result
    from tests.risks.test_risk_act_silence import _store as silence_store

    store = silence_store(tmp_path, stop_posting_only=False)
    res = burnout_result(store, 124, burnout_silence_stream="acts")  # "gone" stopped everything nine days ago
    alert = next(a for a in res.alerts if a["part"] == "core_burnout")
    zh, en = alert["message_zh"], alert["message_en"]
    # Not "已9天未发帖…（偶然概率…）", which reads as if the days without a post were the one-in-N event.
    assert re.search(r"最近一次任何动作在[\d.]+天前（按其自身节奏，这么久没有任何动作的偶然概率(?:约1/[\d,]+|不到1/1,000,000)）", zh), zh
    assert zh.count("概率") == 1 and "（偶然概率" not in zh
    assert re.search(r"last act of any kind [\d.]+ days ago \(odds of so long without any act at their own pace (about|below) 1/", en), en


def test_numbers_are_said_in_words_and_units():
    from reef.risks import wording as W

    assert W.chance(4.3)[0] == "偶然出现的概率约1/20,000" and W.chance(6.5)[0] == "偶然出现的概率不到1/1,000,000"
    zh, en = W.evidence(18.7, 5)
    assert zh == "持续下滑的累计证据18.7，达到5即提醒，已是提醒线的3.7倍" and "alerting at 5" in en
    assert "已是" not in W.evidence(1.9, 6)[0]  # below the alert level: no "times that level"
    assert W.expected_by_chance(8.4)[0] == "纯属偶然时也会有约8.4人"
    assert W.plural(1, "core member") == "1 core member" and W.plural(0, "thread") == "0 threads"
    assert W.plural(1, "reply", "replies") == "1 reply" and W.plural(2, "reply", "replies") == "2 replies"
    assert [W.part_value(p, v) for p, v in (("hostility", 0.171), ("newcomers", 2.84), ("drift", 3.0), ("activity", -0.09))] == \
        ["17.1%", "2.8小时", "3人", "较基线+9%"]
    assert W.part_value("newcomers", 2.84, "en") == "2.8 h" and W.part_baseline("complaints", 70.7) == "预期71条"
    assert W.part_value("misinformation", None) == "" and W.part_value("no_such_part", 0.12345) == "0.123"


def test_the_radar_view_and_the_weekly_report_show_values_with_units(tmp_path, monkeypatch):
    from reef.risks.surfaces import radar_view
    from reef.risks.weekly import weekly_report

    store = _store(tmp_path, monkeypatch)
    store.execute("""INSERT INTO risk_parts VALUES ('implosion', 'hostility', 0.171, 80.0, 0.03, '带敌意回复占17.1%', 'hostile 17.1%', $t),
                     ('heat_death', 'newcomers', 2.84, 10.0, NULL, '首次回应中位2.8小时', 'median 2.8 h', $t)""", {"t": T})
    parts = {p["part"]: p for f in radar_view(store)["families"] for p in f["parts"]}
    assert parts["hostility"]["value_text"] == "17.1%" and parts["hostility"]["baseline_text"] == "3.0%"
    assert parts["newcomers"]["value_text"] == "2.8小时" and parts["newcomers"]["baseline_text"] == ""
    html, en = weekly_report(store, weeks=1), weekly_report(store, lang="en", weeks=1)
    assert "<td>0.171</td>" not in html and "<td>17.1%</td>" in html and "<td>2.8 h</td>" in en


def test_the_weekly_report_names_care_list_and_evidence_members_as_the_operations_report_does(tmp_path, monkeypatch):
    """QA: the care list and the evidence showed "m0279" where the operations report shows "老张 (m0279)"."""
    from reef.risks.weekly import weekly_report

    store = _store(tmp_path, monkeypatch)
    store.execute("INSERT INTO risk_evidence (family, part, subject, member_id, content_id, value, rank, detail_zh, detail_en) "
                  "VALUES ('backlash', 'care', 'm0279', 'm0279', NULL, 1.0, 1, '投诉未回应', 'complaints unanswered')")
    html, en = weekly_report(store, weeks=1), weekly_report(store, lang="en", weeks=1)
    care, care_en = html.split("关怀名单", 1)[1], en.split("Care list", 1)[1]
    assert "<td>老张（m0279）</td>" in care and "<td>老张 (m0279)</td>" in care_en
    evidence = en.split("Top evidence", 1)[1].split("</table>", 1)[0]  # backlash's evidence: the same row
    assert "老张 (m0279)" in evidence and "<td>m0279</td>" not in en


def test_the_weekly_report_is_in_one_language_and_says_its_time_zone(tmp_path, monkeypatch):
    """QA: pasted into an e-mail (styles stripped) the CSS switch showed both languages interleaved; "As of 2026-03-01
    08:00" named no zone."""
    from reef.risks.weekly import weekly_report

    store = _store(tmp_path, monkeypatch)
    html, en = weekly_report(store, weeks=1), weekly_report(store, lang="en", weeks=1)
    assert "Weekly risk report" not in html and "风险周报" not in en and "<input" not in en and 'class="en"' not in en
    assert "本周新提醒" in html and "Alerts raised this week" in en
    assert "As of 2026-03-01 08:00 (UTC+08:00, Asia/Shanghai)" in en and "截至 2026-03-01 08:00（UTC+08:00，Asia/Shanghai）" in html


def test_the_newcomer_note_says_the_value_the_part_shows(monkeypatch):
    """QA: 2.7458 h read "2.8 h" as the value (from the stored 2.75) and "2.7 h" in the note."""
    import reef.risks.members as members
    from reef.risks.common import FamilyResult
    from reef.risks.wording import part_value

    row = {"ttfr_h": 2.7458, "unanswered": 0.0, "newcomers": 12, "core_share": 0.5, "ret30": 0.8, "ret90": 0.6, "stage2": 0.1}
    monkeypatch.setattr(members, "newcomer_metrics", lambda *a, **k: row)
    c = {"newcomer_days": 30, "ttfr_ok_hours": 4, "ttfr_bad_hours": 24, "unanswered_ok": 0.1, "unanswered_bad": 0.5,
         "newcomer_min_posts": 5, "response_hours": 24, "alert_score": 60}
    res = FamilyResult("heat_death")
    members.newcomer_part(None, T, c, res)
    part = res.parts[0]
    assert part_value("newcomers", part.value, "en") in part.note_en and part_value("newcomers", part.value) in part.note_zh
    assert "2.7 h" not in part.note_en and "2.7小时" not in part.note_zh


def test_a_burnout_alert_says_no_posts_as_none_not_as_posted_0(tmp_path):
    """A core member with no post in the recent window read "core member posted 0 in 14 days" / "核心成员近14天发帖0"."""
    from tests.risks.conftest import burnout_result
    from tests.risks.test_risk_act_silence import _store as silence_store

    store = silence_store(tmp_path, stop_posting_only=False)
    quiet = next(a for a in burnout_result(store, 130, burnout_silence_stream="acts").alerts if a["part"] == "core_burnout")
    zh, en = quiet["message_zh"], quiet["message_en"]
    assert zh.startswith("核心成员近14天未发帖；上次发帖在18天前，") and "发帖0" not in zh, zh
    assert en.startswith("core member: no posts in the last 14 days; last post 18 days ago, ") and "posted 0" not in en, en
    one = next(a for a in burnout_result(store, 124, burnout_silence_stream="acts").alerts if a["part"] == "core_burnout")
    assert one["message_zh"].startswith("核心成员近14天发帖1条，约为自身节奏的33%；上次发帖在12天前"), one["message_zh"]
    assert one["message_en"].startswith("core member: 1 post in the last 14 days, 33% of their usual pace; last post 12 days ago"), one["message_en"]
