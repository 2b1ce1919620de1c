"""Robot messages in a group chat: they say which day's data they describe (the store's zone named), and link the
dashboard only by a full address (server.public_url); a bare path is named as a page in words, and the sender is
told once that links need server.public_url. The test message names its time zone."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from reef.config import load_config
from reef.risks.robot_check import send_test
from reef.risks.sending import deliver
from reef.store import open_store

AS_OF = datetime(2026, 6, 29, 15, 59, 58, tzinfo=timezone.utc)  # 23:59:58 in Asia/Shanghai: the 29th there


def _alert(key: str, family: str = "backlash") -> dict:
    return {"alert_key": f"{family}:x:{key}", "family": family, "part": "x", "subject": key, "member_id": None,
            "content_id": None, "score": 80.0, "severity": "high", "message_zh": "核心成员情绪转负",
            "message_en": "core member turning negative", "as_of": AS_OF}


def _text(body: bytes, platform: str) -> str:
    data = body if isinstance(body, dict) else json.loads(body)
    if platform == "wecom":
        return data["markdown"]["content"]
    if platform == "dingtalk":
        return data["markdown"]["text"]
    return data["content"]["text"] if "content" in data else data["card"]["elements"][0]["content"]


def _cfg(**over):
    return load_config().with_overrides({"risks.webhook_retries": 0, "risks.webhook_per_minute": 0, **over})


@pytest.mark.parametrize("platform", ["wecom", "dingtalk", "feishu"])
@pytest.mark.parametrize("digest", [False, True])
def test_messages_name_the_data_day_and_no_bare_path(tmp_path, robot, platform, digest):
    url, handler = robot
    store = open_store(tmp_path / "reef.duckdb")
    alerts = [_alert("a"), _alert("b", "heat_death")]
    assert deliver(store, alerts, url, platform, _cfg(), digest=digest, lang="en") == {"sent": 2, "failed": 0}
    for body in handler.received:
        text = _text(body, platform)
        assert "Data of: 2026-06-29 (Asia/Shanghai)" in text
        assert "/risks" not in text and "Act on it: open Risk radar on the Reef dashboard" in text


def test_with_public_url_the_link_is_the_full_address_and_chinese_says_the_day(tmp_path, robot):
    from reef.risks.sending import public_url_note

    url, handler = robot
    store = open_store(tmp_path / "reef.duckdb")
    config = _cfg(**{"server.public_url": "https://reef.example.com"})
    deliver(store, [_alert("a")], url, "wecom", config, digest=False, lang="zh")
    text = _text(handler.received[0], "wecom")
    assert "数据日期：2026-06-29 (Asia/Shanghai)" in text and "处理：风险雷达 https://reef.example.com/risks" in text
    assert public_url_note(config, "zh") is None and "server.public_url" in public_url_note(_cfg(), "zh")


def test_the_test_message_names_its_time_zone_and_no_bare_path(tmp_path, robot):
    url, handler = robot
    store = open_store(tmp_path / "reef.duckdb")
    r = send_test(store, _cfg(), url=url, platform="feishu", lang="en", clock=lambda: AS_OF.timestamp())
    assert r["sent"]
    text = _text(handler.received[0], "feishu")
    assert "Sent at: 2026-06-29 23:59 (Asia/Shanghai)" in text and "/risks" not in text


def test_reef_alerts_webhook_warns_once_that_links_need_public_url(tmp_path, robot, monkeypatch):
    from reef.cli import app
    from reef.store import close_all

    url, _ = robot
    db = tmp_path / "reef.duckdb"
    open_store(db).close()
    close_all()
    r = CliRunner().invoke(app, ["alerts", "--webhook", url, "--platform", "wecom", "--lang", "en", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert " ".join(r.stderr.split()).count("server.public_url is not set") == 1


def test_config_show_notes_public_url_only_when_a_robot_is_configured(tmp_path):
    from reef.cli import app

    cfg = tmp_path / "robots.toml"
    cfg.write_text('[risks]\nwebhook_url = "http://127.0.0.1:9/send"\n', encoding="utf-8")
    db = str(tmp_path / "reef.duckdb")
    with_robot = CliRunner().invoke(app, ["config", "show", "--lang", "en", "--config", str(cfg), "--db", db])
    without = CliRunner().invoke(app, ["config", "show", "--lang", "en", "--db", db])
    assert with_robot.exit_code == 0 and without.exit_code == 0
    assert " ".join(with_robot.stderr.split()).count("server.public_url is not set") == 1
    assert "server.public_url is not set" not in without.stderr
