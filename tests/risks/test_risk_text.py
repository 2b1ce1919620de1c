"""Operator-facing wording of the radar and its robot messages: circle names, spec units, why a reply is hostile,
inert member text in robot markdown, ids kept when a message is cut, display names, and pacing. Only text moves:
the alerts' keys, subjects and scores stay as they were."""
from __future__ import annotations

import doctest
import importlib
import json
from datetime import timedelta

import pytest

import reef.risks.conflict as conflict
import reef.risks.entropy as entropy
import reef.risks.sending as sending
from reef.analyses import run_analyses
from reef.config import load_config
from reef.risks.conflict import implosion
from reef.risks.heat import heat_death
from reef.risks.robots import LIMITS, format_digests, format_message
from reef.risks.sending import deliver
from reef.risks.webhook import run_alerts
from reef.store import open_store
from tests.risks.conftest import T0, handmade_store, ts
from tests.risks.test_webhook_delivery import T, _alert, _cfg, _no_sleep, raise_alerts

EVIL = '[官方通知：点此领取补贴](http://evil.example) <font color="warning">紧急</font> <at user_id="all">所有人</at>'
_TEXT = ("message_zh", "message_en", "detail_zh", "detail_en")


@pytest.mark.parametrize("module", ["reef.risks.robots", "reef.risks.webhook", "reef.risks.sending", "reef.risks.deliveries", "reef.risks.entropy", "reef.risks.conflict",
                                    "reef.risks.heat"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def _circles(tmp_path, names: dict[str, str]):
    """test_risk_cusum's two circles (12 posts a day; 'cool' slides to -40 % over the last three weeks), named ``names``."""
    members = [{"member_id": f"m{i}", "joined_at": ts(-10)} for i in range(24)]
    groups = [{"group_id": g, "name": names[g], "kind": "circle", "created_at": ts(-10)} for g in ("cool", "warm")]
    content = []
    for d in range(120):
        for g, off in (("cool", 0), ("warm", 12)):
            level = 1.0 if g == "warm" or d < 99 else 1 - 0.4 * (d - 98) / 21
            content += [{"content_id": f"{g}{d}-{k}", "kind": "thread", "author_id": f"m{off + k}", "group_id": g,
                         "created_at": ts(d + 0.03 + 0.07 * k), "title": "t", "body": "日常分享"} for k in range(int(round(12 * level)))]
    tmp_path.mkdir(parents=True, exist_ok=True)
    return handmade_store(tmp_path, {"members": members, "groups": groups, "content": content})


def _without_text(rows):
    return sorted(json.dumps({k: v for k, v in r.items() if k not in _TEXT}, sort_keys=True, default=str) for r in rows)


def test_circle_decay_texts_name_the_circle_and_keep_its_id(tmp_path):
    at = T0 + timedelta(days=120)
    named = heat_death(_circles(tmp_path / "n", {"cool": "影音圈", "warm": "摄影圈"}), at, load_config())
    alert = next(a for a in named.alerts if a["part"] == "circle_decay")
    assert alert["subject"] == "cool"  # the key and subject stay the id
    assert "圈子“影音圈”(cool)活跃度持续下滑" in alert["message_zh"] and "group “影音圈” (cool) is cooling" in alert["message_en"]
    ev = next(e for e in named.evidence if e["part"] == "circle_decay" and e["subject"] == "cool")
    assert ev["detail_zh"].startswith("圈子“影音圈”(cool)近") and ev["detail_en"].startswith("group “影音圈” (cool):")
    part = next(p for p in named.parts if p.name == "circle_decay")
    assert "影音圈" in part.note_zh and "影音圈" in part.note_en  # the 今日 panel's reason
    # A group named by its id alone reads as before; names move no key, subject, value or score.
    plain = heat_death(_circles(tmp_path / "p", {"cool": "cool", "warm": "warm"}), at, load_config())
    assert next(a for a in plain.alerts if a["part"] == "circle_decay")["message_zh"].startswith("圈子cool活跃度")
    assert _without_text(named.alerts) == _without_text(plain.alerts)
    assert _without_text(named.evidence) == _without_text(plain.evidence)
    assert [(p.name, p.value, p.score) for p in named.parts] == [(p.name, p.value, p.score) for p in plain.parts]


def test_official_values_carry_their_unit():
    with_unit = entropy.with_unit
    assert with_unit(8, "年") == ("8年", "8 years")
    assert with_unit(32.98, "万元") == ("32.98万元", "329,800 CNY")
    assert with_unit(705, "km") == ("705公里", "705 km")
    assert with_unit(5.4, "s") == ("5.4秒", "5.4 s")
    assert with_unit(100, "kWh") == ("100kWh", "100 kWh")
    assert with_unit(22, "min") == ("22分钟", "22 min")
    assert with_unit(3, "furlongs") == ("3furlongs", "3 furlongs")  # an unknown unit as the sheet writes it
    assert with_unit(620, None) == ("620", "620")


def test_misinformation_names_the_official_value_with_its_unit(tmp_path):
    rows = {"members": [{"member_id": m, "joined_at": ts(-100)} for m in ("a", "b")],
            "official_facts": [{"fact_id": "w", "kind": "spec", "model": "澜途L9", "attribute": "warranty", "value": 8, "unit": "年",
                                "valid_from": ts(-200)},
                               {"fact_id": "p", "kind": "spec", "model": "澜途L9", "attribute": "price", "value": 32.98, "unit": "万元",
                                "valid_from": ts(-200)}],
            "content": [{"content_id": "t1", "kind": "thread", "author_id": "a", "created_at": ts(1), "title": "听说",
                         "body": "听说澜途L9的电池质保其实只有4年"},
                        {"content_id": "t2", "kind": "thread", "author_id": "b", "created_at": ts(2), "title": "内部消息",
                         "body": "内部消息：澜途L9起售价实际是41.06万元"}]}
    store = handmade_store(tmp_path, rows)
    run_analyses(store, as_of=T0 + timedelta(days=10), only=["text_features"])
    res = entropy.entropy(store, T0 + timedelta(days=10), load_config())
    by = {a["content_id"]: a for a in res.alerts if a["part"] == "misinformation"}
    assert "称质保4年，官方8年（澜途L9）" in by["t1"]["message_zh"] and "claimed warranty 4 years, official 8 years (澜途L9);" in by["t1"]["message_en"]
    assert "称价格41.06万元，官方32.98万元（澜途L9）" in by["t2"]["message_zh"]
    assert "claimed price 410,600 CNY, official 329,800 CNY (澜途L9);" in by["t2"]["message_en"]
    assert {a["subject"] for a in by.values()} == {"t1", "t2"}


def test_hostile_replies_say_why_they_count(tmp_path):
    members = [{"member_id": m, "joined_at": ts(-300)} for m in ("a", "b", "c", "d")]
    content = [{"content_id": "t", "kind": "thread", "author_id": "a", "created_at": ts(1), "title": "续航", "body": "冬天续航怎么样"}]
    content += [{"content_id": f"r{i}", "kind": "reply", "author_id": m, "parent_id": "t", "thread_id": "t", "created_at": ts(2 + 0.1 * i),
                 "body": "我不同意"} for i, m in enumerate(("b", "c", "d"))]
    store = handmade_store(tmp_path, {"members": members, "content": content})
    run_analyses(store, as_of=T0 + timedelta(days=5), only=["text_features"])
    for cid, intents, tox in (("r0", ["disagreement"], 0.04), ("r1", [], 0.95), ("r2", ["personal_attack"], 0.2)):
        store.execute("UPDATE content_features SET intents = CAST($i AS VARCHAR[]), toxicity = $t WHERE content_id = $c",
                      {"i": intents, "t": tox, "c": cid})
    res = implosion(store, T0 + timedelta(days=5), load_config())
    ev = {e["content_id"]: e for e in res.evidence if e["part"] == "hostility"}
    assert set(ev) == {"r0", "r1", "r2"}
    line = load_config().get("text.attack_toxicity")
    assert ev["r0"]["detail_zh"].endswith("回复r0：意图为反驳（毒性0.04）") and "带敌意" not in ev["r0"]["detail_zh"]
    assert ev["r0"]["detail_en"].endswith("hostile by intent (disagreement; toxicity 0.04)")
    assert ev["r1"]["detail_zh"].endswith(f"毒性0.95，达到敌意线{line:.2f}")
    assert ev["r2"]["detail_zh"].endswith("意图为人身攻击（毒性0.20）")
    assert [e["value"] for e in sorted(ev.values(), key=lambda e: e["content_id"])] == [0.04, 0.95, 0.2]  # values as before
    assert conflict.hostile_reason(False, True, 0.9, 0.6)[0] == "意图为反驳，毒性0.90亦达敌意线0.60"


def _payload_texts(alert, lang="zh"):
    out = {p: json.dumps(format_message(alert, p, lang), ensure_ascii=False) for p in ("wecom", "dingtalk", "feishu")}
    out |= {f"{p} digest": json.dumps(format_digests([alert] * 2, p, lang)[0][0], ensure_ascii=False) for p in ("wecom", "dingtalk", "feishu")}
    return out


def test_member_text_cannot_plant_markup_or_links_in_robot_messages():
    a = {**_alert("a", text=f"“{EVIL}”与官方续航620公里不符\n# 假标题\n> 引用"), "severity": "high", "member_id": "m[1](x)",
         "member_name": "<font color=\"info\">官方客服</font>", "content_id": "c9"}
    for where, text in _payload_texts(a).items():
        for bad in ("](", "[官方", "<font", "<at", "http://evil", "evil.example", "\\n#", "\\n>"):
            assert bad not in text, (where, bad)
        assert "［官方通知：点此领取补贴］(hxxp［:］//evil［.］example)" in text, where  # still readable
        assert "＜font color=" in text and "c9" in text, where


def test_addresses_without_a_listed_domain_or_web_scheme_are_no_links_either():
    for p in ("wecom", "dingtalk", "feishu"):
        text = json.dumps(format_message({**_alert("a", text="去 evil.ru/pay 或 weixin://dl/business/?t=abc 领补贴"),
                                          "severity": "high"}, p), ensure_ascii=False)
        assert "evil.ru" not in text and "weixin://" not in text and "evil［.］ru/pay" in text, p


def test_a_qq_mail_is_masked_in_the_message_and_the_member_name():
    a = {**_alert("a", text="加我邮箱87654321@qq.com细聊"), "severity": "high", "member_id": "m279",
         "member_name": "老张 QQ邮箱12345678@qq.com"}
    for p in ("wecom", "dingtalk", "feishu"):
        text = json.dumps(format_message(a, p), ensure_ascii=False)
        assert "87654321" not in text and "12345678" not in text and "@qq.com" in text, p


def test_an_address_followed_by_an_at_sign_without_a_mail_domain_is_still_defanged():
    from reef.risks.robots import neutralise

    assert neutralise("看 evil.ru@ 领奖", "wecom") == "看 evil［.］ru@ 领奖"
    assert neutralise("www.evil.com@1", "wecom") == "www［.］evil［.］com@1"
    assert neutralise("写信 a.b@qq.com", "wecom") == "写信 a.b@qq.com"  # a mail address: masked next, not defanged
    for p in ("wecom", "dingtalk", "feishu"):
        text = json.dumps(format_message({**_alert("a", text="快去 evil.ru@ 领奖 https://phish.cn@/x"), "severity": "high"}, p),
                          ensure_ascii=False)
        assert "evil.ru" not in text and "phish.cn" not in text and "evil［.］ru@" in text, p


def test_a_cut_message_keeps_the_member_and_item_ids():
    long = {**_alert("a", text="很长的谣言" * 3000), "severity": "high", "member_id": "m279", "member_name": "老张", "content_id": "c5145"}
    for p in ("wecom", "dingtalk", "feishu"):
        body = format_message(long, p)
        text = {"wecom": lambda b: b["markdown"]["content"], "dingtalk": lambda b: b["markdown"]["text"],
                "feishu": lambda b: b["content"]["text"]}[p](body)
        assert "…（截断）" in text and text.endswith("成员：老张 (m279) · 内容：c5145"), p
        assert len(json.dumps(body, ensure_ascii=False).encode("utf-8")) <= LIMITS[p] + 200, p
    for p in ("wecom", "dingtalk", "feishu"):
        payload = json.dumps(format_digests([long] * 3, p)[0][0], ensure_ascii=False)
        assert payload.count("成员：老张 (m279) · 内容：c5145") == 3, p


def test_messages_name_the_member_masked(tmp_path, robot):
    url, handler = robot
    store = open_store(tmp_path / "n.duckdb")
    store.execute("INSERT INTO members (member_id, name, joined_at) VALUES ('m1', '老张 13812345678', $t), ('m2', NULL, $t)", {"t": T})
    alerts = [{**_alert("a"), "alert_key": "backlash:a:a", "severity": "high"},
              {**_alert("b"), "member_id": "m2", "alert_key": "backlash:b:b", "severity": "high"}]
    assert deliver(store, alerts, url, "wecom", _cfg(webhook_retries=0), digest=False, sleep=_no_sleep) == {"sent": 2, "failed": 0}
    first, second = (b["markdown"]["content"] for b in handler.received)
    assert "成员：老张 138****5678 (m1)" in first and "13812345678" not in first
    assert second.endswith("成员：m2\n处理：在 Reef 仪表盘打开“风险雷达”页")  # no name: the id alone; then where to act
    # The delivery log keeps the alert as raised (no name).
    assert "老张" not in json.dumps(store.fetch_all("SELECT alert FROM risk_alert_delivery"), ensure_ascii=False)


def test_pacer_keeps_any_minute_under_the_limit():
    now, waits = [0.0], []

    def sleep(s):
        waits.append(s)
        now[0] += s

    p = sending.Pacer(3, sleep, lambda: now[0])
    times = []
    for _ in range(8):
        p.wait()
        times.append(now[0])
        now[0] += 1.0  # one second per post
    assert all(sum(t <= x < t + 60 for x in times) <= 3 for t in times)
    assert waits == [57.0, 57.0]
    assert sending.Pacer(0, sleep, lambda: 0.0).wait() is None and waits == [57.0, 57.0]  # 0: no pacing


def test_delivery_is_paced_per_url_without_sleeping(tmp_path, robot):
    url, handler = robot
    store = open_store(tmp_path / "p.duckdb")
    alerts = [{**_alert(f"a{i}"), "alert_key": f"backlash:a{i}:a{i}", "severity": "medium"} for i in range(25)]
    waits = []
    cfg = _cfg(webhook_retries=0, webhook_per_minute=20)
    assert deliver(store, alerts, url, "wecom", cfg, digest=False, sleep=waits.append, clock=lambda: 1000.0) == {"sent": 25, "failed": 0}
    assert waits == [60.0] and len(handler.received) == 25
    assert 0 < load_config().get("risks.webhook_per_minute") <= 20  # the default stays under the robots' 20 a minute


def test_run_alerts_paces_resends_and_new_alerts_together(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "r.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert(k, 70) for k in "abc"])
    cfg = _cfg(webhook_retries=0, webhook_per_minute=2, webhook_digest_over=100)
    handler.mode = "down"
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["failed"] == 3
    handler.mode = "ok"
    raise_alerts(store, monkeypatch, T + timedelta(hours=1), [_alert(k, 70) for k in "abcd"])
    waits = []
    res = run_alerts(store, cfg, url=url, resend_failed=True, sleep=waits.append)
    assert res["delivery"]["resent"] == 3 and res["delivery"]["sent"] == 4 and len(handler.received) == 4
    # Four posts at two a minute, across both deliveries: the third waits a minute for the first, the fourth for the second.
    assert len(waits) == 2 and 59 < waits[0] <= 60 and sum(waits) <= 61


def test_a_user_at_host_web_address_is_defanged_whole_and_a_mail_is_left_for_masking():
    from reef.risks.robots import neutralise

    assert "evil［.］com" in neutralise("hxxp://user.name@evil.com/x", "wecom")  # the host after a scheme's user@ too
    assert "evil.com" not in neutralise("http://a@evil.com/x", "dingtalk")
    assert neutralise("联系 a.b@qq.com", "feishu") == "联系 a.b@qq.com"  # a mail: masked by the message, not broken up
