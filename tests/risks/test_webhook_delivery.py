"""Alert delivery: at most once per robot URL, failures kept and retried, escalation, first_seen, messages, signing, digests."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

import reef.risks.analysis as analysis
from reef.config import load_config
from reef.errors import InvalidParameterError
from reef.risks.robots import LIMITS, dingtalk_sign, feishu_sign, format_digests, format_message
from reef.risks.sending import deliver
from reef.risks.webhook import delivery_failure, redeliver, run_alerts
from reef.store import open_store

T = datetime(2026, 3, 1, tzinfo=timezone.utc)
PHONE = "13812345678"


def _alert(key: str, score: float = 70.0, family: str = "backlash", text: str = "核心成员情绪转负") -> dict:
    return {"family": family, "part": key, "subject": key, "member_id": "m1", "content_id": None, "score": score,
            "message_zh": text, "message_en": "core member turning negative"}


def raise_alerts(store, monkeypatch, as_of, alerts, config=None):
    """Run the analysis' alert bookkeeping on hand-made alerts (families stubbed out) at ``as_of``."""
    config = config or load_config()

    def fake(store_, as_of_, config_):
        out = {t: [] for t in analysis.SCHEMAS}
        out["risk_scores"] = [{"family": f, "name_zh": f, "name_en": f, "score": 0.0, "level": "low", "top_part": None,
                               "summary_zh": "", "summary_en": ""} for f in analysis.FAMILIES]
        for a in alerts:
            a = {"member_id": None, "content_id": None, **a}
            a["severity"] = analysis.level(a["score"], config_.get("risks.alert_score"), config_.get("risks.high_score"))
            a["alert_key"] = f"{a['family']}:{a['part']}:{a['subject']}"
            out["risk_alerts"].append(a)
        return out

    monkeypatch.setattr(analysis, "compute_risks", fake)
    analysis.run_risks(store, as_of, config)


@pytest.fixture
def garbage():
    """A server that answers every request with a garbage status line."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)

    def serve():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(b"GARBAGE\r\n\r\n")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/x"
    sock.close()


def _closed_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/x"


def _cfg(**over):
    return load_config().with_overrides({f"risks.{k}": v for k, v in over.items()})


def _no_sleep(_):
    pass


def test_retries_zero_still_attempts_once(tmp_path, robot):
    url, handler = robot
    store = open_store(tmp_path / "r.duckdb")
    a = {**_alert("x"), "alert_key": "backlash:x:x", "severity": "medium"}
    assert deliver(store, [a], url, "wecom", _cfg(webhook_retries=0), sleep=_no_sleep) == {"sent": 1, "failed": 0}
    assert len(handler.received) == 1
    assert deliver(store, [a], _closed_url(), "wecom", _cfg(webhook_retries=0), sleep=_no_sleep) == {"sent": 0, "failed": 1}
    assert store.fetch_all("SELECT status, attempts FROM risk_webhook_log ORDER BY logged_at") == [("sent", 1), ("failed", 1)]
    waits = []
    deliver(store, [a], _closed_url(), "wecom", _cfg(webhook_retries=2, webhook_backoff_seconds=0.5), sleep=waits.append)
    assert waits == [0.5, 1.0] and store.fetch_value("SELECT max(attempts) FROM risk_webhook_log") == 3


def test_a_200_answer_that_is_not_a_robots_json_is_a_failure(tmp_path, robot):
    url, handler = robot
    store = open_store(tmp_path / "r.duckdb")
    a = {**_alert("x"), "alert_key": "backlash:x:x", "severity": "medium"}
    handler.mode = "proxy"
    assert deliver(store, [a], url, "wecom", _cfg(webhook_retries=0), sleep=_no_sleep) == {"sent": 0, "failed": 1}
    assert "not a robot's JSON" in store.fetch_value("SELECT error FROM risk_webhook_log")
    handler.mode = "ok"
    assert deliver(store, [a], url, "wecom", _cfg(webhook_retries=0), sleep=_no_sleep) == {"sent": 1, "failed": 0}


def test_bad_status_line_and_any_error_fail_one_delivery_and_the_rest_go_on(tmp_path, robot, garbage, monkeypatch):
    store = open_store(tmp_path / "g.duckdb")
    alerts = [{**_alert(k), "alert_key": f"backlash:{k}:{k}", "severity": "medium"} for k in ("a", "b")]
    assert deliver(store, alerts, garbage, "dingtalk", _cfg(webhook_retries=0), digest=False, sleep=_no_sleep) == {"sent": 0, "failed": 2}
    errors = [e for e, in store.fetch_all("SELECT error FROM risk_webhook_log")]
    assert len(errors) == 2 and all("BadStatusLine" in e for e in errors)
    # An unexpected exception in one post fails that alert only; the next is still sent.
    import reef.risks.sending as sending

    real, calls = sending._post, []

    def flaky(url, payload, timeout):
        calls.append(url)
        if len(calls) == 1:
            raise ValueError("boom")
        real(url, payload, timeout)

    monkeypatch.setattr(sending, "_post", flaky)
    assert deliver(store, alerts, robot[0], "wecom", _cfg(webhook_retries=0), digest=False, sleep=_no_sleep) == {"sent": 1, "failed": 1}
    assert store.fetch_value("SELECT error FROM risk_webhook_log WHERE url = $u AND status = 'failed'", {"u": robot[0]}) == "ValueError: boom"


@pytest.mark.parametrize("bad", ["notaurl", "ftp://host/x", "http://", "", None])
def test_bad_url_is_rejected_up_front(tmp_path, bad):
    store = open_store(tmp_path / "u.duckdb")
    with pytest.raises(InvalidParameterError):
        deliver(store, [{"alert_key": "k", "severity": "high"}], bad, "wecom")
    assert store.fetch_value("SELECT count(*) FROM risk_webhook_log") == 0


@pytest.mark.parametrize("mode", ["empty", "list"])
def test_an_empty_or_non_object_200_answer_is_a_failure(tmp_path, robot, mode):
    url, handler = robot
    store = open_store(tmp_path / "r.duckdb")
    handler.mode = mode
    a = {**_alert("x"), "alert_key": "backlash:x:x", "severity": "medium"}
    assert deliver(store, [a], url, "wecom", _cfg(webhook_retries=0), sleep=_no_sleep) == {"sent": 0, "failed": 1}


def test_new_alerts_come_before_the_top_cap(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "t.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 95), _alert("b", 90)])
    cfg = _cfg(webhook_retries=0)
    assert run_alerts(store, cfg, url=url, top=2, sleep=_no_sleep)["delivery"]["sent"] == 2
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 95), _alert("b", 90), _alert("c", 70)])
    second = run_alerts(store, cfg, url=url, top=2, sleep=_no_sleep)  # c ranks third but is the only new one
    assert second["delivery"]["sent"] == 1 and second["alerts"][0]["alert_key"].endswith(":c")


def test_a_failed_redelivery_is_not_posted_twice(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "rr.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    cfg = _cfg(webhook_retries=0)
    handler.mode = "down"
    run_alerts(store, cfg, url=url, sleep=_no_sleep)
    result = run_alerts(store, cfg, url=url, resend_failed=True, sleep=_no_sleep)
    assert result["delivery"]["failed"] == 1  # one attempt, not the redelivery and then the main pass again


def test_each_alert_is_sent_once_per_url_and_failures_are_retried(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "d.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70), _alert("b", 90)])
    cfg = _cfg(webhook_retries=0)
    handler.mode = "down"
    first = run_alerts(store, cfg, url=url, sleep=_no_sleep)
    assert first["delivery"]["failed"] == 2 and first["delivery"]["sent"] == 0 and delivery_failure(first) is not None
    handler.mode = "ok"
    second = run_alerts(store, cfg, url=url, only_new=True, sleep=_no_sleep)  # the failures are still new and now go out
    assert second["delivery"]["sent"] == 2 and len(handler.received) == 2 and delivery_failure(second) is None
    third = run_alerts(store, cfg, url=url, sleep=_no_sleep)
    assert third["delivery"]["sent"] == 0 and third["delivery"]["already_sent"] == 2 and len(handler.received) == 2
    assert not any(a["is_new"] for a in third["alerts"])
    assert run_alerts(store, cfg, url=url, only_new=True, sleep=_no_sleep)["alerts"] == []
    # Another URL is another target: it gets both.
    assert run_alerts(store, cfg, url=url + "?key=2", sleep=_no_sleep)["delivery"]["sent"] == 2


def test_redeliver_resends_failures(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "f.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    cfg = _cfg(webhook_retries=0)
    dead = _closed_url()
    assert run_alerts(store, cfg, url=dead, platform="feishu", sleep=_no_sleep)["delivery"]["failed"] == 1
    again = run_alerts(store, cfg, url=url, platform="feishu", resend_failed=True, sleep=_no_sleep)
    assert again["delivery"]["resent"] == 1 and len(handler.received) == 1  # the resent one is not sent twice
    assert redeliver(store, url, "feishu", cfg, sleep=_no_sleep) == {"sent": 0, "failed": 0}
    with pytest.raises(InvalidParameterError):
        run_alerts(store, cfg, resend_failed=True)  # no URL anywhere


def test_same_as_of_rerun_keeps_undelivered_alerts_new_for_the_console(tmp_path, monkeypatch):
    store = open_store(tmp_path / "c.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 66)], _cfg(alert_score=65))
    raise_alerts(store, monkeypatch, T, [_alert("a", 66)], _cfg(alert_score=65))  # the analysis ran again at the same as_of
    cfg = load_config()
    shown = run_alerts(store, cfg, only_new=True)["alerts"]
    assert [a["alert_key"] for a in shown] == ["backlash:a:a"] and shown[0]["is_new"]
    assert run_alerts(store, cfg, only_new=True)["alerts"] == []
    assert len(run_alerts(store, cfg)["alerts"]) == 1


def test_a_read_only_handle_lists_alerts_unrecorded_and_refuses_to_send(tmp_path, monkeypatch):
    from reef.errors import StoreError

    store = open_store(tmp_path / "ro.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 66)], _cfg(alert_score=65))
    store.close()
    ro = open_store(tmp_path / "ro.duckdb", read_only=True)
    cfg = load_config()
    for _ in range(2):  # nothing was marked as shown, so the second listing still has it as new, and says why
        res = run_alerts(ro, cfg, only_new=True, lang="en")
        assert [a["alert_key"] for a in res["alerts"]] == ["backlash:a:a"] and res["alerts"][0]["is_new"]
        assert "read-only" in res["warning"] and "not marked as shown" in res["warning"]
    assert "只读" in run_alerts(ro, cfg)["warning"]
    with pytest.raises(StoreError, match="records each delivery") as info:
        run_alerts(ro, cfg, url=_closed_url())
    assert "ro.duckdb" in info.value.hint and info.value.message_zh
    ro.close()
    store = open_store(tmp_path / "ro.duckdb")
    assert store.fetch_value("SELECT count(*) FROM risk_alert_delivery") == 0
    assert "只读" not in (run_alerts(store, cfg, only_new=True)["warning"] or "")  # a writable handle marks them
    assert run_alerts(store, cfg, only_new=True)["alerts"] == []


def test_escalation_is_new_and_a_fall_is_not(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "e.duckdb")
    cfg = _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 1
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 90)])
    assert store.fetch_value("SELECT is_new FROM risk_alerts") is True
    res = run_alerts(store, cfg, url=url, sleep=_no_sleep)
    assert res["alerts"][0]["severity"] == "high" and res["delivery"]["sent"] == 1 and len(handler.received) == 2
    raise_alerts(store, monkeypatch, T + timedelta(days=2), [_alert("a", 70)])
    assert store.fetch_value("SELECT is_new FROM risk_alerts") is False
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 0 and len(handler.received) == 2


def test_first_seen_is_the_earliest_as_of(tmp_path, monkeypatch):
    store = open_store(tmp_path / "s.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    assert store.fetch_value("SELECT first_seen FROM risk_alerts") == T
    raise_alerts(store, monkeypatch, T + timedelta(days=3), [_alert("a", 70)])
    assert store.fetch_value("SELECT first_seen FROM risk_alerts") == T
    raise_alerts(store, monkeypatch, T - timedelta(days=10), [_alert("a", 70)])
    assert store.fetch_value("SELECT first_seen FROM risk_alerts") == T - timedelta(days=10)
    assert store.fetch_value("SELECT first_seen FROM risk_alert_log") == T - timedelta(days=10)


def test_titles_follow_lang_with_operator_family_names():
    a = {"family": "heat_death", "severity": "high", "message_zh": "圈子降温", "message_en": "circle cooling"}
    zh = format_message(a, "dingtalk", lang="zh")["markdown"]["title"]
    en = format_message(a, "dingtalk", lang="en")["markdown"]["title"]
    assert "热寂" in zh and "高" in zh and "heat_death" not in zh
    assert "Heat death" in en and "high" in en and "高" not in en and "风险" not in en
    assert "circle cooling" in format_message(a, "wecom", lang="en")["markdown"]["content"]
    assert "圈子降温" in format_message(a, "feishu", lang="zh")["content"]["text"]


def test_member_pii_is_masked_in_every_message():
    a = {**_alert("a", text=f"车主说电话{PHONE}找他"), "alert_key": "k", "severity": "high"}
    bodies = [format_message(a, p) for p in ("wecom", "dingtalk", "feishu")]
    bodies += [payload for p in ("wecom", "dingtalk", "feishu") for payload, _ in format_digests([a] * 3, p)]
    for body in bodies:
        text = json.dumps(body, ensure_ascii=False)
        assert PHONE not in text and "车主说电话" in text


def test_signatures_match_the_documented_algorithms(tmp_path, robot):
    # DingTalk: known answer (timestamp 1700000000000 ms, secret "secret") published with the `dingding` crate's test
    # of the documented algorithm: urlencode(base64(HMAC-SHA256(secret, f"{ts}\n{secret}"))).
    assert dingtalk_sign("secret", 1700000000000) == "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
    # Feishu's documented recipe: the HMAC key is f"{ts}\n{secret}" and the message is empty (not DingTalk's order).
    ref = base64.b64encode(hmac.new(b"1599360473\nsecret", b"", hashlib.sha256).digest()).decode()
    assert feishu_sign("secret", 1599360473) == ref
    assert feishu_sign("secret", 1599360473) != urllib.parse.unquote(dingtalk_sign("secret", 1599360473))
    # On the wire: DingTalk signs in the query, Feishu in the body, each with a fresh timestamp.
    url, handler = robot
    store = open_store(tmp_path / "sig.duckdb")
    a = {**_alert("a"), "alert_key": "k", "severity": "high"}
    cfg = _cfg(webhook_secret="SECabc")
    deliver(store, [a], url + "?access_token=t", "dingtalk", cfg, sleep=_no_sleep)
    deliver(store, [a], url, "feishu", cfg, sleep=_no_sleep)
    (ding_path, _), (_, fei_body) = handler.requests
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(ding_path).query)
    assert q["access_token"] == ["t"] and urllib.parse.quote_plus(q["sign"][0]) == dingtalk_sign("SECabc", int(q["timestamp"][0]))
    assert fei_body["sign"] == feishu_sign("SECabc", int(fei_body["timestamp"])) and fei_body["msg_type"] == "text"


def test_digest_is_one_message_per_platform_within_the_size_limit(tmp_path, robot):
    alerts = [{**_alert(f"a{i}", text=f"第{i}条提醒"), "alert_key": f"k{i}", "severity": "medium"} for i in range(8)]
    wecom, = format_digests(alerts, "wecom")
    ding, = format_digests(alerts, "dingtalk")
    fei, = format_digests(alerts, "feishu", lang="en")
    assert wecom[1] == ding[1] == list(range(8))
    assert wecom[0]["msgtype"] == "markdown" and wecom[0]["markdown"]["content"].count("\n- ") == 8
    assert ding[0]["msgtype"] == "markdown" and all(f"第{i}条提醒" in ding[0]["markdown"]["text"] for i in range(8))
    assert fei[0]["msg_type"] == "interactive" and fei[0]["card"]["elements"][0]["tag"] == "markdown"
    assert "Reef risk alerts: 8" in fei[0]["card"]["header"]["title"]["content"]
    # Too much for one WeCom message: split, every alert in exactly one, each under the limit.
    many = [{**a, "alert_key": f"m{i}", "message_zh": "很长的说明" * 40} for i, a in enumerate(alerts * 6)]
    parts = format_digests(many, "wecom")
    assert len(parts) > 1 and sorted(i for _, idx in parts for i in idx) == list(range(len(many)))
    assert all(len(p["markdown"]["content"].encode("utf-8")) <= 4096 for p, _ in parts)
    assert all(len(json.dumps(p, ensure_ascii=False).encode("utf-8")) <= LIMITS["feishu"] + 1000 for p, _ in format_digests(many, "feishu"))
    # Delivery: above webhook_digest_over the robot gets one message for the eight alerts.
    url, handler = robot
    store = open_store(tmp_path / "dg.duckdb")
    assert deliver(store, alerts, url, "wecom", _cfg(webhook_digest_over=5), sleep=_no_sleep) == {"sent": 8, "failed": 0}
    assert len(handler.received) == 1


def test_cli_alerts_exit_codes_and_redeliver(tmp_path, robot, monkeypatch):
    import reef.reads.ops as reads
    from reef.cli.commands import app

    path = tmp_path / "cli.duckdb"
    store = open_store(path)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    cfg_file = tmp_path / "r.toml"
    cfg_file.write_text("[risks]\nwebhook_retries = 0\n", encoding="utf-8")

    # the analysis is stubbed: this test is about delivery, not scoring
    monkeypatch.setattr(reads, "prepare", lambda store, as_of, only, lang: (None, "zh", None))
    store.close()
    runner, cfg = CliRunner(), ["--config", str(cfg_file)]
    res = runner.invoke(app, ["alerts", "--db", str(path), *cfg, "--webhook", "notaurl"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    res = runner.invoke(app, ["alerts", "--db", str(path), *cfg, "--webhook", "robot.example/send?key=SECRET123"])
    assert res.exit_code == 2 and "robot.example/send" in res.output and "SECRET123" not in res.output  # logs keep no key
    res = runner.invoke(app, ["alerts", "--db", str(path), *cfg, "--webhook", _closed_url()])
    assert res.exit_code != 0 and "发送记录" in res.output and "risk_webhook_log" in res.output
    assert "{'sent'" not in res.output and "失败 1" in res.output  # the counts in Chinese, not a Python dict
    url, handler = robot
    res = runner.invoke(app, ["alerts", "--db", str(path), *cfg, "--webhook", url + "?key=other", "--redeliver", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["delivery"]["resent"] == 1 and len(handler.received) == 1
    assert "key=other" not in res.output  # the robot key in the URL is not echoed


def test_alerts_warn_when_they_were_raised_past_the_end_of_the_data(tmp_path, monkeypatch):
    store = open_store(tmp_path / "w.duckdb")
    store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES ('c', 'thread', 'm1', ?)", [T - timedelta(days=30)])
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    assert "after the last content" in run_alerts(store, _cfg(), lang="en")["warning"]
    raise_alerts(store, monkeypatch, T - timedelta(days=30), [_alert("a", 70)])
    assert "after the last content" not in (run_alerts(store, _cfg(), lang="en")["warning"] or "")


def test_is_new_and_words_follow_each_runs_own_date(tmp_path, monkeypatch):
    """Runs out of date order: every run reads the history as of its own as_of (not the latest write)."""
    store = open_store(tmp_path / "s.duckdb")
    raise_alerts(store, monkeypatch, T + timedelta(days=20), [_alert("a", 70, text="后来的说法")])
    raise_alerts(store, monkeypatch, T, [_alert("a", 70, text="当时的说法")])
    assert store.fetch_value("SELECT is_new FROM risk_alerts") is True  # nothing was seen before T
    # T+3: T's sighting is 3 days back, within dedupe_days; the later one at T+20 must not count.
    raise_alerts(store, monkeypatch, T + timedelta(days=3), [_alert("a", 70, text="当时的说法")])
    assert store.fetch_value("SELECT is_new FROM risk_alerts") is False
    assert store.fetch_value("SELECT first_seen FROM risk_alerts") == T
    # T+19: the previous sighting up to then (T+3) is 16 days back and a run in between (T+10) did not raise it, so it is
    # new again at its own date.
    raise_alerts(store, monkeypatch, T + timedelta(days=10), [])
    raise_alerts(store, monkeypatch, T + timedelta(days=19), [_alert("a", 70, text="后来的说法")])
    assert store.fetch_value("SELECT is_new FROM risk_alerts") is True
    assert store.fetch_value("SELECT first_seen FROM risk_alerts") == T
    # A second run at a date already run is no news.
    raise_alerts(store, monkeypatch, T + timedelta(days=20), [_alert("a", 70, text="后来的说法")])
    assert store.fetch_value("SELECT is_new FROM risk_alerts") is False
    assert store.fetch_all("SELECT first_seen, last_seen, message_zh FROM risk_alert_log") == [(T, T + timedelta(days=20), "后来的说法")]
    # The week of T+3 reports the alert as worded then, not with the later run's words.
    from reef.risks.alert_log import new_alerts_between

    week = new_alerts_between(store, T - timedelta(days=4), T + timedelta(days=3), 7)
    assert [(a["alert_key"], a["raised_at"], a["message_zh"]) for a in week] == [("backlash:a:a", T, "当时的说法")]
    assert new_alerts_between(store, T + timedelta(days=1), T + timedelta(days=8), 7) == []  # only a repeat there


def test_a_store_from_before_the_history_keeps_its_past(tmp_path, monkeypatch):
    store = open_store(tmp_path / "s.duckdb")
    store.execute("""CREATE TABLE risk_alert_log (alert_key VARCHAR PRIMARY KEY, family VARCHAR, part VARCHAR, severity VARCHAR,
                     first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, message_zh VARCHAR, message_en VARCHAR)""")
    store.execute("INSERT INTO risk_alert_log VALUES ('backlash:a:a', 'backlash', 'a', 'medium', ?, ?, 'x', 'x')",
                  [T - timedelta(days=30), T - timedelta(days=2)])
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    assert store.fetch_all("SELECT is_new, first_seen FROM risk_alerts") == [(False, T - timedelta(days=30))]


def test_a_risk_that_comes_back_after_a_quiet_spell_is_sent_again(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "ep.duckdb")
    cfg = _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 1
    raise_alerts(store, monkeypatch, T + timedelta(days=3), [_alert("a", 70)])  # still standing: same episode
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 0
    raise_alerts(store, monkeypatch, T + timedelta(days=5), [])  # gone for more than dedupe_days
    raise_alerts(store, monkeypatch, T + timedelta(days=40), [_alert("a", 70, text="又出现了")])
    res = run_alerts(store, cfg, url=url, sleep=_no_sleep)
    assert res["alerts"][0]["is_new"] and res["delivery"]["sent"] == 1 and len(handler.received) == 2
    assert "又出现了" in json.dumps(handler.received[-1], ensure_ascii=False)
    raise_alerts(store, monkeypatch, T + timedelta(days=41), [_alert("a", 70)])
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 0
    # The console keeps its own episodes: listed once per episode as well.
    assert run_alerts(store, cfg, only_new=True)["alerts"] != []
    assert run_alerts(store, cfg, only_new=True)["alerts"] == []


def test_deliveries_from_before_episodes_count_for_every_episode(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "legacy.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    store.execute("""INSERT INTO risk_alert_delivery (alert_key, severity, target, platform, status, attempts, alert, episode)
                     VALUES ('backlash:a:a', 'medium', ?, 'wecom', 'sent', 1, '{}', TIMESTAMPTZ '1970-01-01 00:00:00+00')""", [url])
    assert run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep)["delivery"]["sent"] == 0 and not handler.received


def test_a_back_dated_run_is_listed_but_never_delivered(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "back.duckdb")
    cfg = _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T + timedelta(days=14), [_alert("now", 70)])
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 1
    raise_alerts(store, monkeypatch, T, [_alert("old", 70, text="两周前的问题")])  # e.g. last month's weekly report
    res = run_alerts(store, cfg, url=url, sleep=_no_sleep)
    assert res["delivery"]["sent"] == 0 and len(handler.received) == 1 and not any(a["is_new"] for a in res["alerts"])
    assert "back-dated" in run_alerts(store, cfg, lang="en")["warning"] and "回溯" in res["warning"]
    assert store.fetch_value("SELECT count(*) FROM risk_alert_delivery WHERE target = 'console'") == 0
    raise_alerts(store, monkeypatch, T + timedelta(days=15), [_alert("now", 70)])  # back to the present: nothing stale
    assert "回溯" not in (run_alerts(store, cfg, url=url, sleep=_no_sleep)["warning"] or "")


def test_redeliver_does_not_hold_back_a_current_escalation(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "re.duckdb")
    cfg = _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70, text="旧")])
    handler.mode = "down"
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["failed"] == 1
    handler.mode = "ok"
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 90, text="升级")])
    res = run_alerts(store, cfg, url=url, resend_failed=True, sleep=_no_sleep)
    sent = json.dumps(handler.received, ensure_ascii=False)
    assert res["delivery"]["resent"] == 1 and res["delivery"]["sent"] == 2 and "升级" in sent and "旧" in sent


@pytest.mark.parametrize("rerun_lower", [False, True])
def test_within_an_episode_a_fall_back_or_a_rerun_is_not_sent_twice(tmp_path, robot, monkeypatch, rerun_lower):
    url, handler = robot
    store = open_store(tmp_path / "fall.duckdb")
    cfg = _cfg(webhook_retries=0)
    if rerun_lower:  # high sent at T; T re-run as medium (another alert_score); high again at T+1
        raise_alerts(store, monkeypatch, T, [_alert("a", 90)])
        assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 1
        raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
        raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 90)])
    else:  # medium sent at T; the high at T+1 fails; medium again at T+2
        raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
        assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 1
        raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 90)])
        handler.mode = "down"
        assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["failed"] == 1
        handler.mode = "ok"
        raise_alerts(store, monkeypatch, T + timedelta(days=2), [_alert("a", 70)])
    assert run_alerts(store, cfg, url=url, sleep=_no_sleep)["delivery"]["sent"] == 0 and len(handler.received) == 1


def test_a_delivery_from_before_episodes_is_placed_at_the_alert_it_sent(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "legacy2.duckdb")
    raise_alerts(store, monkeypatch, T - timedelta(days=60), [_alert("a", 70)])
    raise_alerts(store, monkeypatch, T - timedelta(days=30), [])
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])  # back after 60 days, quiet at the run between: a new episode
    blob = json.dumps({"alert_key": "backlash:a:a", "as_of": str(T - timedelta(days=60))})
    store.execute("""INSERT INTO risk_alert_delivery (alert_key, severity, target, platform, status, attempts, alert, episode)
                     VALUES ('backlash:a:a', 'medium', ?, 'wecom', 'sent', 1, ?, TIMESTAMPTZ '1970-01-01 00:00:00+00')""", [url, blob])
    assert run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep)["delivery"]["sent"] == 1


def _sent(store, cfg, url, **kw):
    return run_alerts(store, cfg, url=url, sleep=_no_sleep, **kw)["delivery"]


def test_weekly_runs_send_a_standing_alert_once(tmp_path, robot, monkeypatch):
    url, handler = robot
    store, cfg = open_store(tmp_path / "wk.duckdb"), _cfg(webhook_retries=0)
    for week in range(4):  # the as_of drifts an hour a week, as the end of the data does
        raise_alerts(store, monkeypatch, T + timedelta(days=7 * week, hours=week), [_alert("a", 70)])
        _sent(store, cfg, url)
    assert len(handler.received) == 1


def test_an_upgraded_store_does_not_resend_an_alert_that_stood_through_the_upgrade(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "up.duckdb")
    store.execute("""CREATE TABLE risk_alert_log (alert_key VARCHAR PRIMARY KEY, family VARCHAR, part VARCHAR, severity VARCHAR,
                     first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, message_zh VARCHAR, message_en VARCHAR)""")
    store.execute("CREATE TABLE risk_score_log (as_of TIMESTAMPTZ, family VARCHAR, score DOUBLE, level VARCHAR)")
    for d in range(21):  # the previous release ran daily and raised the key every day
        store.execute("INSERT INTO risk_score_log VALUES (?, 'backlash', 70, 'medium')", [T + timedelta(days=d)])
    store.execute("INSERT INTO risk_alert_log VALUES ('backlash:a:a', 'backlash', 'a', 'medium', ?, ?, 'x', 'x')",
                  [T, T + timedelta(days=20)])
    blob = json.dumps({"alert_key": "backlash:a:a", "as_of": str(T)})
    store.execute("""INSERT INTO risk_alert_delivery (alert_key, severity, target, platform, status, attempts, alert, episode)
                     VALUES ('backlash:a:a', 'medium', ?, 'wecom', 'sent', 1, ?, TIMESTAMPTZ '1970-01-01 00:00:00+00')""", [url, blob])
    raise_alerts(store, monkeypatch, T + timedelta(days=21), [_alert("a", 70)])
    assert _sent(store, _cfg(webhook_retries=0), url)["sent"] == 0 and not handler.received
    assert store.fetch_value("SELECT is_new FROM risk_alerts") is False


def test_a_failure_whose_alert_is_gone_is_reported_until_redelivered(tmp_path, robot, monkeypatch):
    url, handler = robot
    store, cfg = open_store(tmp_path / "gone.duckdb"), _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T, [_alert("a", 90)])
    handler.mode = "down"
    assert _sent(store, cfg, url)["failed"] == 1
    handler.mode = "ok"
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [])  # no longer raised
    res = run_alerts(store, cfg, url=url, sleep=_no_sleep, lang="en")
    assert res["delivery"]["failed_pending"] == 1 and "--redeliver" in res["warning"]
    assert _sent(store, cfg, url, resend_failed=True)["resent"] == 1 and len(handler.received) == 1
    assert _sent(store, cfg, url)["failed_pending"] == 0


def test_runs_at_the_end_of_the_data_deliver_after_a_mistaken_later_run(tmp_path, robot, monkeypatch):
    url, handler = robot
    store, cfg = open_store(tmp_path / "fut.duckdb"), _cfg(webhook_retries=0)
    store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES ('c', 'thread', 'm1', ?)", [T + timedelta(days=1)])
    raise_alerts(store, monkeypatch, T + timedelta(days=30), [_alert("typo", 70)])  # a mistyped --as-of
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("now", 90, text="当前提醒")])
    assert _sent(store, cfg, url)["sent"] == 1 and "当前提醒" in json.dumps(handler.received, ensure_ascii=False)


def test_redeliver_with_a_new_episode_sends_the_new_alert_too(tmp_path, robot, monkeypatch):
    url, handler = robot
    store, cfg = open_store(tmp_path / "rep.duckdb"), _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70, text="旧")])
    handler.mode = "down"
    _sent(store, cfg, url)
    handler.mode = "ok"
    raise_alerts(store, monkeypatch, T + timedelta(days=20), [])
    raise_alerts(store, monkeypatch, T + timedelta(days=40), [_alert("a", 70, text="新")])
    assert _sent(store, cfg, url, resend_failed=True)["sent"] == 2
    texts = json.dumps(handler.received, ensure_ascii=False)
    assert "旧" in texts and "新" in texts


def test_a_same_day_rerun_that_drops_a_sent_alert_does_not_resend_it(tmp_path, robot, monkeypatch):
    url, handler = robot
    store, cfg = open_store(tmp_path / "low.duckdb"), _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    assert _sent(store, cfg, url)["sent"] == 1
    raise_alerts(store, monkeypatch, T, [])  # re-run at T: low there now
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 70)])
    assert _sent(store, cfg, url)["sent"] == 0 and len(handler.received) == 1


def test_a_failure_after_a_platform_change_stays_failed_and_redeliver_sends_only_the_worst(tmp_path, robot, monkeypatch):
    url, handler = robot
    store, cfg = open_store(tmp_path / "plat.duckdb"), _cfg(webhook_retries=0)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    assert _sent(store, cfg, url, platform="wecom")["sent"] == 1
    handler.mode = "down"
    assert _sent(store, cfg, url, platform="dingtalk")["failed"] == 1
    assert store.fetch_value("SELECT status FROM risk_alert_delivery WHERE target = ? AND platform = 'dingtalk'", [url]) == "failed"
    # The WeCom delivery stays recorded beside it (the state is kept per platform).
    assert store.fetch_value("SELECT status FROM risk_alert_delivery WHERE target = ? AND platform = 'wecom'", [url]) == "sent"
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 90)])
    assert _sent(store, cfg, url, platform="dingtalk")["failed"] == 1
    handler.mode = "ok"
    raise_alerts(store, monkeypatch, T + timedelta(days=2), [])
    assert redeliver(store, url, "dingtalk", cfg, sleep=_no_sleep)["sent"] == 1  # the high only, not the stale medium
