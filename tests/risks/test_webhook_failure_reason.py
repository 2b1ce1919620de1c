"""A failed webhook delivery says why (HTTP status, timeout, the robot's errmsg), not only how many failed: in
``run_alerts``' delivery (``last_failure``), in the error when every delivery failed, and on ``reef alerts``' delivery
line in the operator's language."""
from __future__ import annotations

import json
from datetime import timedelta

from typer.testing import CliRunner

import reef.reads.ops as reads
from reef.cli import app
from reef.risks.delivery_state import failure_kind, last_failure
from reef.risks.webhook import delivery_failure, run_alerts
from reef.store import open_store
from tests.risks.test_webhook_delivery import T, _alert, _cfg, _closed_url, _no_sleep, raise_alerts


def test_the_last_failure_reason_is_in_the_delivery_and_the_error(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "f.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    handler.mode = "down"  # HTTP 503 to every post
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep)
    last = res["delivery"]["last_failure"]
    assert res["delivery"]["failed"] == 1 and "503" in last["reason"] and last["kind"] == "http" and last["at"].startswith("20")
    assert "503" in str(delivery_failure(res))  # the error names the reason, not only the count
    handler.mode = "ok"
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep)  # the failure is retried and goes out
    assert res["delivery"]["sent"] == 1 and res["delivery"]["last_failure"] is None


def test_failure_kinds_and_the_robot_key_is_never_shown(tmp_path):
    assert failure_kind('RuntimeError: robot refused the message: {"errcode": 93000}') == "refused"
    assert failure_kind("TimeoutError: timed out") == "timeout"
    assert failure_kind("URLError: <urlopen error [Errno 111] Connection refused>") == "connection"
    assert failure_kind("ValueError: what") == "other"
    store = open_store(tmp_path / "k.duckdb")
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET"
    store.execute("INSERT INTO risk_webhook_log VALUES ('k', 'wecom', $u, 'failed', 1, $e, '{}', now())",
                  {"u": url, "e": f"URLError: cannot reach {url}"})
    last = last_failure(store, url, "wecom")
    assert "SECRET" not in last["reason"] and "qyapi.weixin.qq.com/cgi-bin/webhook/send" in last["reason"]
    assert last_failure(store, url, "dingtalk") is None


def test_cli_alerts_shows_why_the_delivery_failed(tmp_path, robot, monkeypatch):
    url, handler = robot
    path = tmp_path / "cli.duckdb"
    store = open_store(path)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70), _alert("b", 72)])
    store.close()
    monkeypatch.setattr(reads, "prepare", lambda store, as_of, only, lang: (None, lang or "zh", None))  # the radar is stubbed
    cfg = tmp_path / "r.toml"
    cfg.write_text("[risks]\nwebhook_retries = 0\n", encoding="utf-8")
    handler.mode = "refuse"
    args = ["alerts", "--db", str(path), "--config", str(cfg), "--webhook", url]
    zh = CliRunner().invoke(app, args)
    assert zh.exit_code != 0  # nothing reached the robot
    # the failure lines are on stderr (a cron job mails stderr; docs/cli.md, exit codes), the alert table on stdout
    assert "最近一次发送失败" in zh.stderr and "机器人拒收" in zh.stderr and "invalid webhook url" in zh.stderr
    assert "最近一次发送失败" not in zh.stdout and "Last failed delivery" not in zh.output
    error = [line for line in zh.output.splitlines() if line.startswith("错误：")][-1]
    assert "invalid webhook url" in error  # the error line names the reason too
    assert "全部发送失败" in error and "机器人拒收" in error and "reef alerts --redeliver" in error  # in Chinese
    assert "Every webhook delivery failed" not in zh.output and "Check the URL" not in zh.output
    en = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert "Last failed delivery" in en.stderr and "the robot refused it" in en.stderr and "最近" not in en.output
    assert "Every webhook delivery failed" in en.output and "全部发送失败" not in en.output
    js = CliRunner().invoke(app, [*args, "--json"])
    message = json.loads(js.stdout)["error"]["message"]  # the robot's errcode and errmsg, in the reader's words
    assert "错误码 93000（invalid webhook url）" in message and "RuntimeError" not in message
    # A later run to a dead URL: its own failure is the one shown.
    dead = CliRunner().invoke(app, ["alerts", "--db", str(path), "--config", str(cfg), "--webhook", _closed_url()])
    assert "无法连接" in dead.stderr and "invalid webhook url" not in dead.output


def test_current_alerts_that_just_failed_are_not_called_no_longer_current(tmp_path, robot, monkeypatch):
    """failed_pending counts only failures whose alert is no longer current (docs/risks.md): a current alert that
    failed is new, and the next run retries it, so it is neither counted nor warned about."""
    url, handler = robot
    store = open_store(tmp_path / "p.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70), _alert("b", 90)])
    handler.mode = "down"
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep)
    assert res["delivery"]["failed"] == 2 and res["delivery"]["failed_pending"] == 0
    assert "--redeliver" not in (res["warning"] or "")
    # Shown at --severity high only, the failed medium alert is still current: not counted either.
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep, min_severity="high", lang="en")
    assert res["delivery"]["failed_pending"] == 0
    # Once "a" is no longer raised, its failure is the one counted, with the warning that no run retries it.
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("b", 90)])
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep)
    assert res["delivery"]["failed_pending"] == 1 and "不在当前提醒中" in res["warning"] and "可能" not in res["warning"]


def test_failure_reasons_are_in_the_readers_words_without_the_exception_class():
    from reef.risks.delivery_state import failure_reason

    refused = 'RuntimeError: robot refused the message: {"errcode":93000,"errmsg":"invalid webhook url"}'
    assert failure_reason(refused) == "错误码 93000（invalid webhook url）"
    assert failure_reason(refused, "en") == "errcode 93000 (invalid webhook url)"
    assert failure_reason('RuntimeError: robot refused the message: {"code":19021,"msg":"sign match fail"}') == "错误码 19021（sign match fail）"
    assert failure_reason("HTTPError: HTTP Error 500: Internal Server Error") == "状态码 500（Internal Server Error）"
    assert failure_reason("HTTPError: HTTP Error 500: Internal Server Error", "en") == "status 500 (Internal Server Error)"
    assert failure_reason("URLError: <urlopen error [Errno 111] Connection refused>") == "[Errno 111] Connection refused"
    assert failure_reason("TimeoutError: timed out") == ""  # the kind (超时) says it all
    assert failure_reason("RuntimeError: the answer is not a robot's JSON (a proxy or a wrong URL?): <html>") == "应答内容：<html>"
    assert failure_reason("ValueError: what") == "what"
