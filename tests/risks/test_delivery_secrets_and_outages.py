"""QA review of alert delivery (persona: the IT/ops admin who sets up the group robots): a robot URL's key is never
shown (Feishu keeps it in the path; a URL with a space made urllib quote its query in the error; ``reef config show``
printed the signing secret), and a robot that is down or throttling stops the run's posts to it instead of being
hammered once per message (each failing after its retries), while the messages not posted stay new for the next run."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.api import describe_config
from reef.cli import app
from reef.config import load_config
from reef.errors import InvalidParameterError
from reef.risks.deliveries import webhook_status
from reef.risks.robots import check_url
from reef.risks.sending import deliver
from reef.risks.webhook import delivery_failure, run_alerts
from reef.store import open_store
from tests.risks.test_webhook_delivery import T, _alert, _cfg, _closed_url, _no_sleep, raise_alerts

TOKEN = "0f3e9a4c-1111-2222-3333-444455556666"


def _alerts(*keys):
    return [{**_alert(k), "alert_key": f"backlash:{k}:{k}", "severity": "medium"} for k in keys]


def test_a_feishu_robots_path_token_is_never_shown(tmp_path, robot, monkeypatch):
    url, handler = robot
    feishu = url.rsplit("/", 1)[0] + f"/open-apis/bot/v2/hook/{TOKEN}"
    store = open_store(tmp_path / "f.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    handler.mode = "refuse"
    result = run_alerts(store, _cfg(webhook_retries=0), url=feishu, platform="feishu", sleep=_no_sleep)
    shown = json.dumps(result, ensure_ascii=False, default=str) + str(delivery_failure(result)) + \
        json.dumps(webhook_status(store, _cfg(webhook_url=feishu, webhook_platform="feishu")), ensure_ascii=False, default=str)
    assert result["delivery"]["failed"] == 1 and result["target"].endswith("/hook/0f3e…")
    assert TOKEN not in shown and "1111-2222" not in shown


def test_a_url_with_a_space_is_refused_without_showing_its_key():
    with pytest.raises(InvalidParameterError) as err:
        check_url("https://oapi.dingtalk.com/robot/send?access_token=AB12 CD34")
    assert "AB12" not in str(err.value) and "AB12" not in err.value.text("zh") and "空格" in err.value.text("zh")


def test_an_error_quoting_the_signed_url_is_logged_without_the_key(tmp_path, monkeypatch):
    import reef.risks.sending as sending

    def quoting(url, payload, timeout):  # as http.client's InvalidURL does: the path and query in the message
        raise ValueError(f"URL can't contain control characters. {url.split('127.0.0.1:9', 1)[1]!r}")

    monkeypatch.setattr(sending, "_post", quoting)
    store = open_store(tmp_path / "k.duckdb")
    url = "http://127.0.0.1:9/robot/send?access_token=SECRETTOKEN"
    cfg = _cfg(webhook_retries=0, webhook_secret="SECsigning")
    assert deliver(store, _alerts("a"), url, "dingtalk", cfg, sleep=_no_sleep) == {"sent": 0, "failed": 1}
    error = store.fetch_value("SELECT error FROM risk_webhook_log")
    assert "/robot/send?…&timestamp=" in error and "SECRETTOKEN" not in error


def test_config_show_never_prints_a_robots_key_or_secret(tmp_path):
    toml = tmp_path / "reef.toml"
    toml.write_text('[risks]\nwebhook_url = "https://oapi.dingtalk.com/robot/send?access_token=TOKEN1"\n'
                    'webhook_platform = "dingtalk"\nwebhook_secret = "SECsecret1"\n'
                    f'[[risks.robots]]\nname = "pr"\nurl = "https://open.feishu.cn/open-apis/bot/v2/hook/{TOKEN}"\n'
                    'format = "feishu"\nsecret = "SECsecret2"\n', encoding="utf-8")
    rows = json.dumps(describe_config(load_config(toml)), ensure_ascii=False)
    cli = CliRunner().invoke(app, ["config", "show", "--config", str(toml), "--db", str(tmp_path / "x.duckdb"), "--json"])
    assert cli.exit_code == 0, cli.output
    for text in (rows, cli.stdout):
        assert not any(s in text for s in ("TOKEN1", "SECsecret1", "SECsecret2", TOKEN)), text
        assert "access_token=…" not in text and "/robot/send?…" in text and "/hook/0f3e…" in text
    assert load_config(toml).get("risks.webhook_secret") == "SECsecret1"  # the library still reads the values


def test_a_throttling_robot_gets_one_post_and_the_rest_wait_for_the_next_run(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "t.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert(k, 70) for k in ("a", "b", "c")])
    handler.mode = "throttle"
    waits = []
    first = run_alerts(store, _cfg(webhook_retries=2), url=url, platform="dingtalk", digest=False, sleep=waits.append)
    assert first["delivery"]["failed"] == 3 and len(handler.throttled) == 1 and waits == []  # was 9 posts, 6 waits
    assert first["delivery"]["last_failure"]["kind"] == "refused" and "130101" in first["delivery"]["last_failure"]["reason"]
    handler.mode = "ok"
    again = run_alerts(store, _cfg(webhook_retries=2), url=url, platform="dingtalk", digest=False, sleep=_no_sleep)
    assert again["delivery"]["sent"] == 3 and len(handler.received) == 3


def test_a_robot_that_refuses_connections_is_not_tried_for_every_message(tmp_path):
    store = open_store(tmp_path / "d.duckdb")
    waits = []
    counts = deliver(store, _alerts("a", "b", "c", "d"), _closed_url(), "wecom", _cfg(webhook_retries=2, webhook_backoff_seconds=1.0),
                     digest=False, sleep=waits.append)
    assert counts == {"sent": 0, "failed": 4} and waits == [1.0, 2.0]  # the first message's retries only (was 12 attempts)
    rows = store.fetch_all("SELECT attempts, error FROM risk_webhook_log ORDER BY logged_at")
    assert [a for a, _ in rows] == [3, 0, 0, 0] and all("Connection refused" in e or "111" in e for _, e in rows)
    assert all(e.startswith("not tried: ") for _, e in rows[1:])
