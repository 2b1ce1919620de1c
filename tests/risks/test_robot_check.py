"""A test message to a group robot (reef alerts --test, Community.test_webhook): one clearly-marked message in the
platform's format, signed like the alerts, reported as arrived or not (with the reason) and logged like every
delivery, without touching the alerts' delivery state. The robot is a local fake (conftest.py)."""
from __future__ import annotations

import json
import urllib.parse

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.config import load_config
from reef.errors import InvalidParameterError
from reef.risks.delivery_state import last_failure
from reef.risks.robot_check import send_test
from reef.risks.robots import dingtalk_sign
from reef.store import open_store


def _log(store):
    return store.fetch_dicts("SELECT alert_key, platform, url, status, attempts, error FROM risk_webhook_log")


def test_a_signed_dingtalk_test_message_arrives_and_is_logged(tmp_path, robot):
    url, handler = robot
    store = open_store(tmp_path / "t.duckdb")
    cfg = load_config().with_overrides({"risks.webhook_secret": "SECabc"})
    got = send_test(store, cfg, url=url + "?access_token=KEY", platform="dingtalk", clock=lambda: 1700000000.0)
    assert got["sent"] and got["platform"] == "dingtalk" and got["target"] == url and got["reason"] is None
    (path, body), = handler.requests
    assert body["msgtype"] == "markdown" and "Reef 测试消息" in body["markdown"]["title"]
    # without server.public_url no bare path (it leads nowhere in a chat); the time names its zone
    assert "无需" in body["markdown"]["text"] and "/risks" not in body["markdown"]["text"] and "(Asia/Shanghai)" in body["markdown"]["text"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["timestamp"] == ["1700000000000"] and query["access_token"] == ["KEY"]
    assert urllib.parse.quote_plus(query["sign"][0]) == dingtalk_sign("SECabc", 1700000000000)
    assert [(r["status"], r["platform"], r["attempts"]) for r in _log(store)] == [("sent", "dingtalk", 1)]
    assert store.fetch_value("SELECT count(*) FROM risk_alert_delivery") == 0  # no alert's delivery state


@pytest.mark.parametrize("platform, text", [("wecom", lambda b: b["markdown"]["content"]),
                                            ("feishu", lambda b: b["content"]["text"])])
def test_english_and_each_platform_format(tmp_path, robot, platform, text):
    url, handler = robot
    store = open_store(tmp_path / "t.duckdb")
    assert send_test(store, load_config(), url=url, platform=platform, lang="en")["sent"]
    assert text(handler.received[0]).startswith(("**Reef test message", "Reef test message"))


def test_a_refused_test_reports_why_and_is_logged_but_is_no_alert_failure(tmp_path, robot):
    url, handler = robot
    handler.mode = "refuse"
    store = open_store(tmp_path / "t.duckdb")
    got = send_test(store, load_config(), url=url, platform="wecom", lang="en")
    assert not got["sent"] and got["kind"] == "refused" and "93000" in got["reason"] and "invalid webhook url" in got["reason"]
    assert [r["status"] for r in _log(store)] == ["failed"]
    assert last_failure(store, url, "wecom") is None  # an alert run never reports the test's failure as its own


def test_no_robot_configured_is_refused_before_anything_is_posted(tmp_path):
    store = open_store(tmp_path / "t.duckdb")
    with pytest.raises(InvalidParameterError, match="risks.webhook_url"):
        send_test(store, load_config())
    with pytest.raises(InvalidParameterError):
        send_test(store, load_config(), url="ftp://robot.example/x")
    assert _log(store) == []


def test_cli_alerts_test_on_a_store_without_alerts(tmp_path, robot):
    url, handler = robot
    db = tmp_path / "c.duckdb"
    open_store(db).close()
    runner = CliRunner()
    res = runner.invoke(app, ["alerts", "--test", "--webhook", url + "?key=SECRET", "--platform", "dingtalk", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "测试消息已发送" in res.stdout and "钉钉" in res.stdout and "SECRET" not in res.output
    assert len(handler.received) == 1 and "测试消息" in handler.received[0]["markdown"]["title"]
    res = runner.invoke(app, ["alerts", "--test", "--webhook", url, "--db", str(db), "--json", "--lang", "en"])
    assert res.exit_code == 0 and json.loads(res.stdout)["sent"] is True
    assert handler.received[1]["markdown"]["content"].startswith("**Reef test message")
    handler.mode = "refuse"
    res = runner.invoke(app, ["alerts", "--test", "--webhook", url, "--db", str(db)])
    assert res.exit_code == 1 and "测试消息未送达" in res.stderr and "93000" in res.stderr
    res = runner.invoke(app, ["alerts", "--test", "--new", "--webhook", url, "--db", str(db)])
    assert res.exit_code == 2 and "--new 不能与 --test 同时使用" in res.stderr


def test_community_test_webhook_uses_the_configured_robot(tmp_path, robot):
    import reef

    url, handler = robot
    c = reef.open(tmp_path / "c.duckdb", config={"risks.webhook_url": url, "risks.webhook_platform": "feishu"})
    try:
        got = c.test_webhook(lang="en")
    finally:
        c.close()
    assert got["sent"] and got["platform"] == "feishu" and handler.received[0]["msg_type"] == "text"
