"""`reef alerts` run by cron (QA of delivery, persona: the IT admin): a run that leaves any alert undelivered exits
non-zero (10; 1 stays "every delivery failed"), failures go to stderr, and --quiet prints nothing when every alert was
delivered. Every robot is the local one of tests/risks/conftest.py."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

import reef.reads.ops as reads
from reef.cli import app
from reef.risks.delivery_outcome import delivery_incomplete, undelivered
from reef.risks.webhook import delivery_failure, run_alerts
from reef.store import open_store
from tests.risks.conftest import second  # noqa: F401 - the second local robot fixture
from tests.risks.test_webhook_delivery import T, _alert, _cfg, _no_sleep, raise_alerts


def _store(tmp_path, monkeypatch, keys=("a", "b", "c")):
    """A store with three current alerts; the radar is stubbed for the CLI (this is about delivery)."""
    path = tmp_path / "cron.duckdb"
    store = open_store(path)  # data up to the alerts' day: no coverage warning, as in a daily cron run
    store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES ('c', 'thread', 'm1', ?)", [T - timedelta(hours=1)])
    raise_alerts(store, monkeypatch, T, [_alert(k, 70 + i) for i, k in enumerate(keys)])
    store.close()
    monkeypatch.setattr(reads, "prepare", lambda store, as_of, only, lang: (None, lang or "zh", None))
    cfg = tmp_path / "r.toml"
    cfg.write_text("[risks]\nwebhook_retries = 0\nwebhook_digest_over = 10\n", encoding="utf-8")
    return path, cfg


def _raise_later(path, monkeypatch, as_of, alerts):
    """A later radar run on the store at ``path`` (closed again), its analysis stubbed for the CLI."""
    store = open_store(path)
    raise_alerts(store, monkeypatch, as_of, alerts)
    store.close()
    monkeypatch.setattr(reads, "prepare", lambda store, as_of, only, lang: (None, lang or "zh", None))


def test_the_library_says_what_a_partial_run_left_undelivered(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "l.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert(k, 70 + i) for i, k in enumerate("abc")])
    handler.fail_first = 1  # HTTP 500 to the first post: that message fails, the others go
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep, digest=False)
    assert undelivered(res) == {"sent": 2, "failed": 1, "failed_pending": 0, "stopped": [], "robots": [], "complete": False}
    assert delivery_failure(res) is None  # something arrived: not "every delivery failed" (exit 1) ...
    left = delivery_incomplete(res)  # ... but not complete either: exit 10
    assert left.exit_code == 10 and left.code == "delivery_incomplete" and left.facts["failed"] == 1
    assert "1 of 3 alerts failed" in left.text("en") and "3条提醒中有1条发送失败" in left.text("zh") and "500" in left.text("zh")
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep, digest=False)  # the next run re-sends it
    assert res["delivery"]["sent"] == 1 and undelivered(res)["complete"] and delivery_incomplete(res) is None


def test_cli_partial_failure_exits_10_with_the_failures_on_stderr(tmp_path, robot, monkeypatch):
    url, handler = robot
    path, cfg = _store(tmp_path, monkeypatch)
    args = ["alerts", "--db", str(path), "--config", str(cfg), "--webhook", url]
    handler.fail_first = 1
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 10, res.output
    assert "风险提醒" in res.stdout and "失败 1" not in res.stdout and "最近一次发送失败" not in res.stdout
    assert "失败 1" in res.stderr and "最近一次发送失败" in res.stderr  # the robot's line and why, on stderr
    error = res.stderr.strip().splitlines()[-1]
    assert error.startswith("错误：有提醒未送达") and "3条提醒中有1条发送失败" in error and "reef alerts --redeliver" in error
    # --json: the answer (its counts say what failed) on stdout as one document, the same exit code.
    handler.fail_first = 1
    _raise_later(path, monkeypatch, T + timedelta(hours=1), [_alert(k, 70 + i) for i, k in enumerate("abcde")])
    res = CliRunner().invoke(app, [*args, "--json", "--lang", "en"])
    assert res.exit_code == 10 and json.loads(res.stdout)["delivery"]["failed"] == 1
    assert "Error: Not every alert was delivered" in res.stderr
    res = CliRunner().invoke(app, args)  # the next run sends what failed: exit 0
    assert res.exit_code == 0 and "失败 0" in res.stdout and "错误" not in res.stderr, res.output


def test_quiet_prints_nothing_when_every_alert_was_delivered(tmp_path, robot, monkeypatch):
    url, handler = robot
    path, cfg = _store(tmp_path, monkeypatch)
    args = ["alerts", "--db", str(path), "--config", str(cfg), "--webhook", url]
    loud = CliRunner().invoke(app, [*args, "--top", "1"])  # one alert sent; without --quiet: table, counts, note
    assert loud.exit_code == 0 and "风险提醒" in loud.stdout and "server.public_url" in loud.stderr
    res = CliRunner().invoke(app, [*args, "--quiet"])
    assert res.exit_code == 0 and res.stdout == "" and res.stderr == "", res.output
    assert len(handler.received) == 3  # the two left were sent
    res = CliRunner().invoke(app, [*args, "-q"])  # nothing new: still nothing printed
    assert res.exit_code == 0 and res.output == ""


def test_quiet_prints_only_the_failures_on_stderr(tmp_path, robot, monkeypatch):
    url, handler = robot
    path, cfg = _store(tmp_path, monkeypatch)
    args = ["alerts", "--db", str(path), "--config", str(cfg), "--webhook", url, "--quiet"]
    handler.fail_first = 1
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 10 and res.stdout == ""
    assert "失败 1" in res.stderr and "最近一次发送失败" in res.stderr and "有提醒未送达" in res.stderr
    assert "server.public_url" not in res.stderr and "风险提醒" not in res.stderr
    handler.mode = "down"  # every delivery fails: exit 1 as before, still only stderr
    _raise_later(path, monkeypatch, T + timedelta(hours=1), [_alert(k, 70 + i) for i, k in enumerate("abcd")])
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 1 and res.stdout == "" and "全部发送失败" in res.stderr


def test_quiet_is_refused_with_json_and_without_a_robot(tmp_path, monkeypatch):
    path, cfg = _store(tmp_path, monkeypatch)
    res = CliRunner().invoke(app, ["alerts", "--db", str(path), "--config", str(cfg), "--quiet", "--json"])
    assert res.exit_code == 2 and "--quiet" in json.loads(res.stdout)["error"]["message"]
    res = CliRunner().invoke(app, ["alerts", "--db", str(path), "--config", str(cfg), "--quiet"])
    assert res.exit_code == 2 and "--quiet" in res.stderr
    # Nothing was recorded as shown on the console: the alerts are still new there.
    res = CliRunner().invoke(app, ["alerts", "--db", str(path), "--config", str(cfg), "--new", "--json"])
    assert len(json.loads(res.stdout)["alerts"]) == 3


def test_a_robot_that_failed_beside_one_that_received_exits_10(tmp_path, robot, second, monkeypatch):
    (ops, ops_h), (pr, _) = robot, second
    path, _ = _store(tmp_path, monkeypatch)
    toml = tmp_path / "reef.toml"
    toml.write_text(f'[risks]\nwebhook_retries = 0\n[[risks.robots]]\nname = "ops"\nurl = "{ops}"\n'
                    f'[[risks.robots]]\nname = "pr"\nurl = "{pr}"\n', encoding="utf-8")
    ops_h.mode = "down"
    res = CliRunner().invoke(app, ["alerts", "--db", str(path), "--config", str(toml), "--quiet", "--lang", "en"])
    assert res.exit_code == 10 and res.stdout == ""
    assert "ops" in res.stderr.splitlines()[-1] and "3 of 6 alerts failed" in res.stderr
    assert "Webhook pr" not in res.stderr  # the robot that received everything is not mentioned


@pytest.mark.parametrize("quiet", [[], ["--quiet"]])
def test_failures_no_run_retries_exit_10_until_redelivered(tmp_path, robot, monkeypatch, quiet):
    url, handler = robot
    path, cfg = _store(tmp_path, monkeypatch, keys=("a", "b"))
    args = ["alerts", "--db", str(path), "--config", str(cfg), "--webhook", url, *quiet]
    handler.mode = "down"
    assert CliRunner().invoke(app, args).exit_code == 1  # every delivery failed
    handler.mode = "ok"
    _raise_later(path, monkeypatch, T + timedelta(hours=1), [_alert("b", 71)])  # "a" is no longer current
    res = CliRunner().invoke(app, args)  # "b" goes out; "a" waits for --redeliver
    assert res.exit_code == 10 and "另有1条此前发送失败" in res.stderr, res.output
    res = CliRunner().invoke(app, [*args, "--redeliver"])
    assert res.exit_code == 0 and len(handler.received) == 2, res.output
