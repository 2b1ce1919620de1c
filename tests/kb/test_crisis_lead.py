"""The lead aspect of a wave whose posts carry two aspects (QA store C, 2026-05-20 10:00: a range and charging wave
written "OTA把续航搞坏了" was headlined 智能与车机 because every post also names OTA and that test's p-value was lower)."""
import pandas as pd
import pyarrow as pa

from reef.config import load_config

WAVE = {f"p{i}": t for i, t in enumerate([
    "投诉：快充问题\n升级OTA 5.7之后续航让人失望，满电才显示350公里", "大家遇到过吗：续航问题\nOTA把续航搞坏了",
    "大家遇到过吗：快充问题\nOTA 3.1推送后快充功率只有八十四kW了，充电速度根本不行", "吐槽：表显续航问题\n这次OTA 5.9升级后掉电根本不行",
    "避雷：快充问题\n不止我一个吧，OTA 5.3以后充电速度越来越差", "投诉：续航问题\nOTA 5.5推送后快充功率只有62kW了"])}


class Day:
    """The alarmed day's negative posts (every wave post tagged both aspects, two also 售后与服务) and their texts."""

    config = load_config()

    def fetch_arrow(self, sql, params):
        rows = [(c, a) for c in WAVE for a in ("智能与车机", "续航与充电")] + [("p0", "售后与服务"), ("p1", "售后与服务")]
        return pa.table({"content_id": [r[0] for r in rows], "aspect": [r[1] for r in rows]})

    def fetch_all(self, sql, params):
        return [(c, WAVE[c]) for c in params["ids"]]


def test_twin_aspects_are_led_by_the_aspect_the_posts_are_about():
    from reef.kb.wave_lead import lead_order

    posts = {"智能与车机": set(WAVE), "续航与充电": set(WAVE), "售后与服务": {"p0", "p1"}}
    assert lead_order(["智能与车机", "续航与充电", "售后与服务"], posts, WAVE, 0.8)[0] == "续航与充电"
    # a subset is a side tag, never a twin: an OTA wave also tagged 续航与充电 on a third of its posts stays 智能与车机's
    ota = {"a": "OTA后车机黑屏", "b": "OTA升级后车机卡顿", "c": "OTA以后续航掉得厉害"}
    assert lead_order(["智能与车机", "续航与充电"], {"智能与车机": set(ota), "续航与充电": {"c"}}, ota, 0.8)[0] == "智能与车机"


def test_the_alert_is_the_lead_aspects_and_names_the_twin_as_the_same_wave():
    from reef.kb.crisis_alerts import lead_rows

    rows = [{"aspect": a, "day": "2026-05-20T00:00:00+08:00"} for a in ("智能与车机", "续航与充电")]  # p-value order
    ordered, side = lead_rows(Day(), rows, 0.8)
    assert [r["aspect"] for r in ordered] == ["续航与充电", "智能与车机"] and side == {"智能与车机": "续航与充电"}


def test_the_room_opens_on_the_lead_and_offers_both_aspects_facts(monkeypatch):
    from reef.kb import room, wave_posts

    tests = [{"aspect": a, "last_alarm_at": 10.0, "p_value": p, "ratio": r} for a, p, r in
             (("智能与车机", 1e-7, 6.2), ("续航与充电", 3e-4, 5.8), ("全部", 1e-9, 4.0))]
    recent = pd.DataFrame([(c, a) for c in WAVE for a in ("智能与车机", "续航与充电")], columns=["content_id", "aspect"])
    assert [r["aspect"] for r in room._lead_first(Day(), tests, recent, 0.8)] == ["续航与充电", "智能与车机", "全部"]
    facts = {"续航与充电": [{"fact_id": "range", "attribute": "range_km"}], "智能与车机": [{"fact_id": "os", "attribute": "澜途OS"}]}
    monkeypatch.setattr(wave_posts, "official_facts", lambda store, ts, a: facts[a])
    assert [(f["fact_id"], f["aspect"]) for f in room._facts(None, None, ["续航与充电", "智能与车机"])] == \
        [("range", "续航与充电"), ("os", "智能与车机")]


def test_the_pages_words_follow_the_rooms_rules():
    """The order note left out the evidence step (strong before lean); the aspect-wide factual posts and their ratio
    were labelled 缓冲 / 缓冲比 (1276, 85.67) beside the room's buffer ratio of 0.9 for the same moment."""
    from reef.i18n import column_label, header_label
    from reef.web.messages import tr

    assert "明确负面" in tr("crisis.wave_order", "zh") and "clearly negative" in tr("crisis.wave_order", "en")
    shown = (tr("crisis.buffer", "zh"), column_label("buffer", "zh"), header_label("buffer", "zh"), header_label("buffer_ratio", "zh"))
    for zh in shown:
        assert "不算缓冲" in zh or "非缓冲" in zh, zh  # the word 缓冲 alone is the wave's topic buffer only
