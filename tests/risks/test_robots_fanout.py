"""Several group robots ([[risks.robots]]): each alert goes to every robot whose filter it passes, each robot's
deliveries, retries and failures are its own, tests reach every robot (or one), and a bad robot table fails at merge
time naming its key. The robots are local fakes (conftest.py); nothing goes to the network."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.config import load_config
from reef.errors import ConfigError, InvalidParameterError
from reef.risks.deliveries import send_alerts, webhook_status
from reef.risks.robot_check import send_test
from reef.robot_config import configured_robots
from reef.risks.robot_fanout import run_robots
from reef.store import open_store
from tests.risks.conftest import second  # noqa: F401 - the second local robot fixture
from tests.risks.test_webhook_delivery import T, _alert, raise_alerts


def _no_sleep(_):
    pass


def _cfg(ops: str, pr: str, **over):
    robots = [{"name": "ops", "url": ops, "format": "wecom"},
              {"name": "pr", "url": pr, "format": "feishu", "min_severity": "high", "families": ["backlash", "crisis"]}]
    return load_config().with_overrides({"risks.robots": robots, "risks.webhook_retries": 0,
                                         **{f"risks.{k}": v for k, v in over.items()}})


def _texts(handler) -> str:
    return json.dumps(handler.received, ensure_ascii=False)


def test_each_alert_goes_to_every_robot_whose_filter_it_passes(tmp_path, robot, second, monkeypatch):
    (ops, ops_h), (pr, pr_h) = robot, second
    store = open_store(tmp_path / "r.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("hot", 90, "backlash", "HOT"), _alert("mild", 70, "backlash", "MILD"),
                                         _alert("quiet", 90, "heat_death", "QUIET")])
    cfg = _cfg(ops, pr)
    got = run_robots(store, cfg, configured_robots(cfg), sleep=_no_sleep, digest=False)
    by = {r["name"]: r["delivery"] for r in got["robots"]}
    assert by["ops"]["sent"] == 3 and by["pr"]["sent"] == 1 and got["delivery"]["sent"] == 4
    assert len(ops_h.received) == 3 and len(pr_h.received) == 1 and pr_h.received[0]["msg_type"] == "text"
    assert "HOT" in _texts(pr_h) and "QUIET" not in _texts(pr_h) and "MILD" not in _texts(pr_h)
    assert {a["alert_key"] for a in got["alerts"]} == {"backlash:hot:hot", "backlash:mild:mild", "heat_death:quiet:quiet"}
    # Delivered once per robot: a second run sends nothing to either.
    again = run_robots(store, cfg, configured_robots(cfg), sleep=_no_sleep)
    assert again["delivery"]["sent"] == 0 and len(ops_h.received) == 3 and len(pr_h.received) == 1


def test_a_failing_robot_neither_blocks_nor_loses_the_others(tmp_path, robot, second, monkeypatch):
    (ops, ops_h), (pr, pr_h) = robot, second
    store = open_store(tmp_path / "f.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("hot", 90, "backlash"), _alert("mild", 70, "backlash")])
    cfg = _cfg(ops, pr)
    ops_h.mode = "down"
    first = run_robots(store, cfg, configured_robots(cfg), sleep=_no_sleep, digest=False)
    by = {r["name"]: r["delivery"] for r in first["robots"]}
    assert by["ops"]["failed"] == 2 and by["ops"]["sent"] == 0 and by["pr"]["sent"] == 1
    assert by["ops"]["last_failure"]["kind"] == "http" and by["pr"]["last_failure"] is None  # failures are per robot
    assert "ops" in first["warning"]
    # The ops robot's failures are its own: re-sending the PR robot's failures posts nothing to it ...
    status = {r["name"]: r for r in webhook_status(store, cfg)["robots"]}
    assert status["ops"]["failed_pending"] == 2 and status["pr"]["failed_pending"] == 0
    assert status["pr"]["last_sent"] is not None and status["ops"]["last_failure"]["kind"] == "http"
    # ... and the next run retries them at the ops robot only.
    ops_h.mode = "ok"
    second_run = run_robots(store, cfg, configured_robots(cfg), sleep=_no_sleep, digest=False)
    assert {r["name"]: r["delivery"]["sent"] for r in second_run["robots"]} == {"ops": 2, "pr": 0}
    assert len(pr_h.received) == 1


def test_redeliver_keeps_each_robots_failures_to_that_robot(tmp_path, robot, second, monkeypatch):
    (ops, ops_h), (pr, pr_h) = robot, second
    store = open_store(tmp_path / "d.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("mild", 70, "backlash"), _alert("quiet", 90, "heat_death")])
    cfg = load_config().with_overrides({"risks.webhook_retries": 0, "risks.robots": [
        {"name": "ops", "url": ops}, {"name": "ops2", "url": pr, "format": "wecom", "families": ["backlash"]}]})
    ops_h.mode = "down"
    run_robots(store, cfg, configured_robots(cfg), sleep=_no_sleep, digest=False)
    ops_h.mode = "ok"
    got = send_alerts(store, cfg, resend_failed=True)
    assert {r["name"]: r["delivery"]["resent"] for r in got["robots"]} == {"ops": 2, "ops2": 0}
    assert len(pr_h.received) == 1  # never the ops group's heat-death failure


def test_an_error_stopping_one_robot_does_not_stop_the_next(tmp_path, robot, second, monkeypatch):
    (ops, ops_h), (pr, pr_h) = robot, second
    store = open_store(tmp_path / "e.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("hot", 90, "backlash")])
    cfg = _cfg(ops, pr)
    import reef.risks.webhook as webhook

    real = webhook.deliver

    def broken(store_, alerts, url, *a, **k):
        if url == ops:
            raise RuntimeError("store trouble")
        return real(store_, alerts, url, *a, **k)

    monkeypatch.setattr(webhook, "deliver", broken)
    got = run_robots(store, cfg, configured_robots(cfg), sleep=_no_sleep)
    entry = {r["name"]: r for r in got["robots"]}
    assert "store trouble" in entry["ops"]["error"] and entry["pr"]["delivery"]["sent"] == 1 and len(pr_h.received) == 1


def test_the_old_single_webhook_url_is_one_unnamed_robot_beside_the_named_ones(tmp_path, robot, second, monkeypatch):
    (ops, ops_h), (pr, pr_h) = robot, second
    store = open_store(tmp_path / "o.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("quiet", 90, "heat_death")])
    cfg = load_config().with_overrides({"risks.webhook_url": ops, "risks.webhook_retries": 0, "risks.robots": [
        {"name": "pr", "url": pr, "families": ["backlash"]}]})
    assert [(r.name, r.url) for r in configured_robots(cfg)] == [("", ops), ("pr", pr)]
    got = run_robots(store, cfg, configured_robots(cfg), sleep=_no_sleep)
    assert [r["delivery"]["sent"] for r in got["robots"]] == [1, 0] and len(ops_h.received) == 1 and not pr_h.received


def test_tests_reach_every_robot_or_the_named_one(tmp_path, robot, second):
    (ops, ops_h), (pr, pr_h) = robot, second
    store = open_store(tmp_path / "t.duckdb")
    cfg = _cfg(ops, pr)
    got = send_test(store, cfg, lang="en")
    assert got["sent"] and [(a["name"], a["sent"]) for a in got["robots"]] == [("ops", True), ("pr", True)]
    assert len(ops_h.received) == 1 and pr_h.received[0]["msg_type"] == "text"
    pr_h.mode = "refuse"
    got = send_test(store, cfg)
    assert not got["sent"] and got["name"] == "pr" and got["kind"] == "refused" and len(ops_h.received) == 2
    only = send_test(store, cfg, robot="ops")
    assert only["sent"] and [a["name"] for a in only["robots"]] == ["ops"] and len(ops_h.received) == 3
    with pytest.raises(InvalidParameterError, match="ops, pr"):
        send_test(store, cfg, robot="nobody")


def test_cli_alerts_test_and_send_per_robot(tmp_path, robot, second, monkeypatch):
    (ops, ops_h), (pr, pr_h) = robot, second
    db = tmp_path / "c.duckdb"
    open_store(db).close()
    toml = tmp_path / "reef.toml"
    toml.write_text(f'[risks]\nwebhook_retries = 0\n[[risks.robots]]\nname = "ops"\nurl = "{ops}"\n'
                    f'[[risks.robots]]\nname = "pr"\nurl = "{pr}"\nformat = "feishu"\nmin_severity = "high"\n', encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["alerts", "--test", "--db", str(db), "--config", str(toml)])
    assert res.exit_code == 0, res.output
    assert "ops" in res.stdout and "pr" in res.stdout and "全部 2 个机器人" in res.stdout
    res = runner.invoke(app, ["alerts", "--test", "--robot", "pr", "--db", str(db), "--config", str(toml), "--json"])
    assert res.exit_code == 0 and [a["name"] for a in json.loads(res.stdout)["robots"]] == ["pr"]
    pr_h.mode = "refuse"
    res = runner.invoke(app, ["alerts", "--test", "--db", str(db), "--config", str(toml)])
    assert res.exit_code == 1 and "「pr」" in res.stderr and "93000" in res.stderr
    res = runner.invoke(app, ["alerts", "--robot", "pr", "--webhook", ops, "--db", str(db), "--config", str(toml)])
    assert res.exit_code == 2 and "--robot" in res.stderr


@pytest.mark.parametrize("table, key, words", [
    ({"format": "slack"}, "risks.robots[1].format", "wecom, dingtalk, feishu"),
    ({"url": "robot.example/send?key=SECRET"}, "risks.robots[1].url", "http"),
    ({"families": ["backlash", "rumours"]}, "risks.robots[1].families", "unknown: rumours"),
    ({"min_severity": "low"}, "risks.robots[1].min_severity", "medium or high"),
    ({"colour": "red"}, "risks.robots[1].colour", "one of the keys"),
])
def test_a_bad_robot_table_fails_at_merge_naming_its_key(tmp_path, table, key, words):
    toml = tmp_path / "reef.toml"
    robot = {"name": "ops", "url": "https://robot.example/send", **table}
    body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in robot.items())
    toml.write_text(f"[[risks.robots]]\n{body}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(toml)
    err = caught.value
    assert f"'{key}'" in str(err) and words in str(err) and "SECRET" not in str(err)
    assert f"'{key}' 的值无效" in err.message_zh and "SECRET" not in err.message_zh
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_config().with_overrides({"risks.robots": [robot]})


def test_duplicate_names_and_a_url_shared_with_webhook_url_are_refused():
    a = {"name": "ops", "url": "https://robot.example/a"}
    with pytest.raises(ConfigError, match=r"risks.robots\[2\].name"):
        load_config().with_overrides({"risks.robots": [a, {**a, "url": "https://robot.example/b"}]})
    with pytest.raises(ConfigError, match="risks.robots"):
        load_config().with_overrides({"risks.webhook_url": a["url"], "risks.robots": [a]})
    assert load_config().with_overrides({"risks.webhook_url": a["url"], "risks.robots": [{**a, "format": "feishu"}]})


def test_the_robot_configs_written_out_lists_match_the_radar():
    from reef import robot_config
    from reef.risks.analysis import FAMILIES
    from reef.risks.robots import PLATFORMS

    assert robot_config.RADAR_FAMILIES == tuple(FAMILIES) and robot_config.PLATFORMS == PLATFORMS


def test_loading_a_config_with_robots_does_not_import_the_radar(tmp_path):
    import subprocess
    import sys

    cfg = tmp_path / "reef.toml"
    cfg.write_text('[[risks.robots]]\nname = "ops"\nurl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"\n', encoding="utf-8")
    code = f"import sys; from reef.config import load_config; load_config({str(cfg)!r}); print(any(m.startswith('reef.risks') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
