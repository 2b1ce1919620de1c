"""The PR team's crisis review: a rumour with several wrong claims, 官方回应 on a rumour, a failed radar run on the
pages, circle-decay wording, webhook state per platform and the robots' chat texts."""
from __future__ import annotations

from datetime import timedelta

import pytest

from reef.analyses import run_analyses
from reef.config import load_config
from reef.risks.entropy import entropy
from tests.risks.conftest import T0, handmade_store, ts

_SPECS = [{"fact_id": "r", "kind": "spec", "model": "澜途S7", "attribute": "range_cltc", "value": 620, "unit": "km", "valid_from": ts(-200)},
          {"fact_id": "w", "kind": "spec", "model": "澜途S7", "attribute": "warranty", "value": 8, "unit": "年", "valid_from": ts(-200)}]


def rumour_store(tmp_path, actions=()):
    """Two rumour posts: cr1 with two wrong claims (range and warranty), cr2 repeating one wrong claim in title and body."""
    rows = {"members": [{"member_id": m, "joined_at": ts(-100)} for m in ("a", "b", "c", "op")],
            "official_facts": _SPECS,
            "content": [{"content_id": "cr1", "kind": "thread", "author_id": "a", "created_at": ts(1), "title": "OTA后续航改了",
                         "body": "内部消息：这次OTA之后澜途S7的CLTC续航只有450km了，质保也从8年缩短到3年，大家赶紧维权"},
                        {"content_id": "cr2", "kind": "thread", "author_id": "b", "created_at": ts(2), "title": "澜途S7质保只有3年？",
                         "body": "听说OTA以后澜途S7质保只有3年了"},
                        {"content_id": "x1", "kind": "reply", "author_id": "c", "parent_id": "cr1", "created_at": ts(3), "body": "真的吗"},
                        # the data's last item: runs before it are inside the data's past
                        {"content_id": "z", "kind": "thread", "author_id": "c", "created_at": ts(8), "title": "周末", "body": "去露营"}]}
    if actions:
        rows["operator_actions"] = list(actions)
    store = handmade_store(tmp_path, rows)
    run_analyses(store, as_of=T0 + timedelta(days=10), only=["text_features"])
    return store


def test_a_rumour_with_two_wrong_claims_is_one_alert_naming_both_and_the_radar_runs(tmp_path):
    store = rumour_store(tmp_path)
    res = entropy(store, T0 + timedelta(days=10), load_config())
    alerts = [a for a in res.alerts if a["part"] == "misinformation"]
    assert sorted(a["subject"] for a in alerts) == ["cr1", "cr2"]  # one per post
    cr1 = next(a for a in alerts if a["subject"] == "cr1")
    # Both wrong claims named, the worst (3 of 8 years is further off than 450 of 620 km) first.
    assert cr1["message_zh"].index("官方8年") < cr1["message_zh"].index("官方620公里"), cr1["message_zh"]
    cr2 = next(a for a in alerts if a["subject"] == "cr2")
    assert cr2["message_zh"].count("官方") == 1  # said twice, counted once
    assert sorted(e["subject"] for e in res.evidence if e["part"] == "misinformation") == ["cr1", "cr2"]
    report = run_analyses(store, as_of=T0 + timedelta(days=10), only=["risks"])
    assert [r.status for r in report.results if r.name == "risks"] == ["ok"]
    keys = [k for (k,) in store.fetch_all("SELECT alert_key FROM risk_alerts WHERE part = 'misinformation' ORDER BY 1")]
    assert keys == ["entropy:misinformation:cr1", "entropy:misinformation:cr2"]


def test_compute_risks_keeps_one_alert_per_key_the_highest(tmp_path, monkeypatch):
    import reef.risks.analysis as analysis
    from reef.risks.common import FamilyResult

    def twice(store, as_of, config):
        res = FamilyResult("entropy")
        res.alerts += [{"part": "misinformation", "subject": "p", "score": s, "message_zh": str(s), "message_en": str(s)} for s in (65, 90)]
        return res

    monkeypatch.setitem(analysis.FAMILIES, "entropy", (twice, "熵增", "entropy"))
    store = rumour_store(tmp_path)
    rows = analysis.compute_risks(store, T0 + timedelta(days=10), load_config())
    mine = [a for a in rows["risk_alerts"] if a["alert_key"] == "entropy:misinformation:p"]
    assert [a["score"] for a in mine] == [90.0]


def _respond(content_id, day, status="done"):
    return {"action_id": f"ui-{content_id}", "kind": "respond", "operator": "pr", "member_id": "op", "content_id": content_id,
            "created_at": ts(day), "status": status}


def test_an_official_response_corrects_the_rumour_it_names(tmp_path):
    store = rumour_store(tmp_path, [_respond("cr1", 4)])
    res = entropy(store, T0 + timedelta(days=10), load_config())
    assert sorted(a["subject"] for a in res.alerts if a["part"] == "misinformation") == ["cr2"]
    ev = next(e for e in res.evidence if e["subject"] == "cr1")
    assert "已由官方回应纠正" in ev["detail_zh"] and "corrected by an official response" in ev["detail_en"]
    part = next(p for p in res.parts if p.name == "misinformation")
    assert part.value == 1  # cr2 only
    # Before the response, the rumour still alerts.
    early = entropy(store, T0 + timedelta(days=3.5), load_config())
    assert "cr1" in {a["subject"] for a in early.alerts}


def test_a_cancelled_response_corrects_nothing(tmp_path):
    store = rumour_store(tmp_path, [_respond("cr1", 4, status="cancelled")])
    res = entropy(store, T0 + timedelta(days=10), load_config())
    assert "cr1" in {a["subject"] for a in res.alerts if a["part"] == "misinformation"}


def _late_fall(tmp_path, groups=("hot",)):
    """Circles of 12 posts a day that surged to 16 a day, then fell to 4 a day over the last 8 days: the 28 days' mean
    is above the baseline, the decline the alert is about is far below it."""
    members = [{"member_id": f"{g}{i}", "joined_at": ts(-10)} for g in groups for i in range(16)]
    rows = {"members": members, "groups": [{"group_id": g, "name": g, "kind": "circle", "created_at": ts(-10)} for g in groups],
            "content": []}
    for d in range(120):
        n = 12 if d < 92 else 16 if d < 112 else 4
        rows["content"] += [{"content_id": f"{g}{d}-{k}", "kind": "thread", "author_id": f"{g}{k}", "group_id": g,
                             "created_at": ts(d + 0.03 + 0.05 * k), "title": "t", "body": "日常分享"} for g in groups for k in range(n)]
    return handmade_store(tmp_path, rows)


def test_circle_decay_alert_quotes_the_decline_it_is_about(tmp_path):
    import re

    from reef.risks.heat import heat_death

    res = heat_death(_late_fall(tmp_path), T0 + timedelta(days=120), load_config())
    alert = next(a for a in res.alerts if a["part"] == "circle_decay")
    shown = re.search(r"较自身基线([+-]\d+)%", alert["message_zh"])
    assert shown and int(shown.group(1)) <= -50, alert["message_zh"]
    assert re.search(r"\(members' activity -\d+% against its own baseline over the last \d+ days\)", alert["message_en"])
    part = next(p for p in res.parts if p.name == "circle_decay")
    assert "较自身基线-" in part.note_zh and "+" not in part.note_zh.split("较自身基线")[1][:2]


def test_heat_death_names_the_circle_that_fell_furthest_among_ties(tmp_path):
    from reef.risks.heat import heat_death

    store = _late_fall(tmp_path, groups=("a-mild", "z-deep"))
    # z-deep falls to nothing over its last 8 days; a-mild to 4 a day: both score 100.
    store.execute("DELETE FROM content WHERE group_id = 'z-deep' AND created_at >= $t", {"t": T0 + timedelta(days=112)})
    res = heat_death(store, T0 + timedelta(days=120), load_config())
    scores = {a["subject"]: a["score"] for a in res.alerts if a["part"] == "circle_decay"}
    assert scores == {"a-mild": 100.0, "z-deep": 100.0}, scores
    part = next(p for p in res.parts if p.name == "circle_decay")
    assert part.note_zh.startswith("圈子z-deep"), part.note_zh


def test_a_url_keeps_its_delivery_state_per_platform(tmp_path, robot, monkeypatch):
    from reef.store import open_store
    from tests.risks.test_webhook_delivery import T, _alert, _cfg, _sent, raise_alerts

    url, handler = robot
    store, cfg = open_store(tmp_path / "p.duckdb"), _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70), _alert("b", 90)])
    assert _sent(store, cfg, url, platform="dingtalk")["sent"] == 2
    assert _sent(store, cfg, url, platform="wecom", only_new=True)["sent"] == 2  # never sent in this format
    # The WeCom sends did not wipe the DingTalk state: nothing goes out again.
    again = _sent(store, cfg, url, platform="dingtalk", only_new=True)
    assert again["sent"] == 0 and len(handler.received) == 4
    assert store.fetch_value("SELECT count(*) FROM risk_alert_delivery WHERE status = 'sent'") == 4


def test_old_delivery_rows_keep_their_state_through_migration_0010():
    import duckdb

    from reef.store.migrations import MIGRATIONS, _risk_alert_delivery

    con = duckdb.connect()
    for sql in _risk_alert_delivery():
        con.execute(sql)
    con.execute("INSERT INTO risk_alert_delivery (alert_key, severity, target, platform, status) VALUES ('k', 'high', 'http://x/h', 'dingtalk', 'sent')")
    for name in ("0009_risk_alert_delivery_episodes", "0010_risk_alert_delivery_platforms"):
        for sql in next(m for m in MIGRATIONS if m.name == name).statements():
            con.execute(sql)
    assert con.execute("SELECT platform, status FROM risk_alert_delivery").fetchall() == [("dingtalk", "sent")]
    con.execute("INSERT INTO risk_alert_delivery SELECT * REPLACE ('wecom' AS platform, 'failed' AS status) FROM risk_alert_delivery")
    assert con.execute("SELECT count(*) FROM risk_alert_delivery").fetchone() == (2,)  # platform is part of the key


def _payload(body):
    return body.get("markdown", {}).get("content") or body.get("markdown", {}).get("text") or body["content"]["text"]


def test_chat_messages_mask_dotted_mail_use_chinese_colons_and_say_where_to_act():
    from reef.risks.robots import format_digests, format_message

    alert = {"family": "entropy", "severity": "high", "member_id": "m1", "member_name": "张三 zhang.san@qq.com", "content_id": "cr1",
             "message_zh": "联系 a.b@qq.com 或 x_y.z@163.com 维权", "message_en": "mail a.b@qq.com", "link": "/risks"}
    for p in ("wecom", "dingtalk", "feishu"):
        text = _payload(format_message(alert, p))
        assert "a.b@qq.com" not in text and "a**@qq.com" in text and "x****@163.com" in text, text
        assert "zhang.san" not in text and "z********@qq.com" in text
        assert "成员：" in text and "内容：cr1" in text and "成员:" not in text
        assert text.endswith("处理：在 Reef 仪表盘打开“风险雷达”页")
    assert _payload(format_message(alert, "wecom", lang="en")).endswith("Act on it: open Risk radar on the Reef dashboard")
    (digest, _), = format_digests([alert, {**alert, "content_id": "cr2"}], "wecom")
    assert _payload(digest).count("处理：在 Reef 仪表盘打开“风险雷达”页") == 1


def test_a_medium_to_high_resend_says_it_escalated(tmp_path, robot, monkeypatch):
    from reef.store import open_store
    from tests.risks.test_webhook_delivery import T, _alert, _cfg, _sent, raise_alerts

    url, handler = robot
    store = open_store(tmp_path / "e.duckdb")
    cfg = _cfg(webhook_retries=0).with_overrides({"server.public_url": "https://reef.example.com/"})
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    assert _sent(store, cfg, url)["sent"] == 1
    first = handler.received[-1]["markdown"]["content"]
    assert "升级" not in first and first.endswith("处理：风险雷达 https://reef.example.com/risks")
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 90)])
    assert _sent(store, cfg, url)["sent"] == 1
    assert handler.received[-1]["markdown"]["content"].startswith("**Reef 风险提醒｜反噬｜🔴 高（升级：中→高）**")


def test_without_a_public_address_the_link_is_the_path():
    from reef.risks.sending import _link

    assert _link(load_config()) == "/risks"
    from reef.config import Config
    from reef.errors import ConfigError

    with pytest.raises(ConfigError, match="server.public_url"):  # no scheme: refused when the configuration is merged
        load_config().with_overrides({"server.public_url": "reef.example.com"})
    data = load_config().as_dict()
    data["server"]["public_url"] = "reef.example.com"  # a Config built by hand skips the check: still not guessed
    assert _link(Config(data, ["defaults.toml"])) == "/risks"


def test_a_response_recorded_after_the_last_import_counts_at_the_end_of_the_data(tmp_path):
    """The team records 官方回应 today on data imported days ago: the run at the data's end sees it; a back-dated
    run inside the data does not."""
    from reef.actions import record_action

    store = rumour_store(tmp_path)
    record_action(store, "op", "respond", details={"content": "cr1"}, status="done", by="pr")  # created now (wall clock)
    from reef.analyses.runner import data_end

    end = data_end(store)
    at_end = entropy(store, end, load_config())
    assert "cr1" not in {a["subject"] for a in at_end.alerts}
    inside = entropy(store, end - timedelta(hours=1), load_config())
    assert "cr1" in {a["subject"] for a in inside.alerts}


def test_a_negative_wave_alert_sends_the_reader_to_its_crisis_room(tmp_path, robot):
    from reef.risks.sending import deliver
    from reef.store import open_store
    from tests.risks.test_webhook_delivery import _alert, _cfg

    url, handler = robot
    cfg = _cfg(webhook_retries=0).with_overrides({"server.public_url": "https://reef.example.com/"})
    wave = {**_alert("a", 70), "alert_key": "crisis:a", "severity": "high", "link": "/crisis?aspect=%E7%BB%AD%E8%88%AA"}
    radar = {**_alert("b", 70), "alert_key": "backlash:b:m1", "severity": "high"}
    assert deliver(open_store(tmp_path / "w.duckdb"), [wave, radar], url, "wecom", cfg, digest=False)["sent"] == 2
    crisis, radar = (b["markdown"]["content"] for b in handler.received)
    assert crisis.endswith("处理：危机室 https://reef.example.com/crisis?aspect=%E7%BB%AD%E8%88%AA")
    assert radar.endswith("处理：风险雷达 https://reef.example.com/risks")


def test_each_digest_part_sends_the_reader_where_its_own_alerts_are_acted_on():
    """A digest split into parts: the part with the negative wave ends with its crisis room (and the radar, for the
    radar's alerts beside it); the parts of radar alerts alone end with the radar only, never the crisis room."""
    from reef.risks.robots import format_digests
    from tests.risks.test_webhook_delivery import _alert

    wave = {**_alert("w", 90), "family": "crisis", "alert_key": "crisis:续航", "severity": "high", "link": "/crisis?aspect=x"}
    radar = [{**_alert(f"r{i}", 70, text="很长的说明" * 40), "alert_key": f"backlash:r{i}:m1", "severity": "medium", "link": "/risks"}
             for i in range(40)]
    parts = format_digests([wave, *radar], "wecom")
    assert len(parts) > 2
    texts = [_payload(p) for p, _ in parts]
    first, rest = texts[0], texts[1:]
    assert "处理：在 Reef 仪表盘打开“危机室”页" in first and first.endswith("处理：在 Reef 仪表盘打开“风险雷达”页")
    assert all("危机室" not in t and t.endswith("处理：在 Reef 仪表盘打开“风险雷达”页") and t.count("处理：") == 1 for t in rest)
    assert all(len(t.encode("utf-8")) <= 4096 for t in texts)
    # A wave that comes last in the list: the last part names its room, the earlier ones do not.
    texts = [_payload(p) for p, _ in format_digests([*radar, wave], "wecom")]
    assert "危机室" in texts[-1] and not any("危机室" in t for t in texts[:-1])
