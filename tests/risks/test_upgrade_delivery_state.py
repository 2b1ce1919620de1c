"""A store from before migration 0008 keeps what it delivered: the alerts its robot got are not sent again after the
upgrade, the alerts its ``reef alerts --new`` no longer listed are not new on the console, and a risk that comes back
after a quiet spell goes out again (reef/store/delivery_backfill.py). The older store is made by hand: the state a
release before 0008 kept (``risk_webhook_log``, ``risk_alert_log``, ``risk_alerts.is_new``) and nothing newer."""
from __future__ import annotations

import json
from datetime import timedelta

import duckdb

from reef.config import load_config
from reef.risks.webhook import run_alerts
from reef.store import open_store
from tests.risks.test_webhook_delivery import T, _alert, _no_sleep, raise_alerts


def _as_before_0008(path, sent_to: str, not_new: set[str]) -> None:
    """Make the store at ``path`` as a release before 0008 left it: the current alerts were posted to ``sent_to``
    (logged in risk_webhook_log, the alert as JSON as that release wrote it), the keys ``not_new`` were raised by an
    earlier run (``is_new`` false), and there is no delivery state, no sighting history, no record of 0008 on."""
    con = duckdb.connect(str(path))
    names = [d[0] for d in con.execute("SELECT * FROM risk_alerts LIMIT 0").description]
    for row in con.execute("SELECT * FROM risk_alerts").fetchall():
        alert = dict(zip(names, row))
        con.execute("INSERT INTO risk_webhook_log VALUES (?, 'wecom', ?, 'sent', 1, NULL, ?, now())",
                    [alert["alert_key"], sent_to, json.dumps(alert, ensure_ascii=False, default=str)])
    con.execute("UPDATE risk_alerts SET is_new = NOT list_contains(?, alert_key)", [sorted(not_new)])
    con.execute("DROP TABLE risk_alert_delivery")
    con.execute("DROP TABLE risk_alert_sightings")
    con.execute("DELETE FROM _reef_migrations WHERE name >= '0008'")
    con.close()


def test_what_an_older_store_delivered_is_not_delivered_again(tmp_path, robot, monkeypatch):
    url, handler = robot
    path = tmp_path / "old.duckdb"
    store = open_store(path)
    raise_alerts(store, monkeypatch, T, [_alert("a", 70), _alert("b", 90)])
    store.close()
    _as_before_0008(path, url, not_new={"backlash:a:a"})
    store = open_store(path)  # the upgrade: 0008 onwards
    cfg = load_config().with_overrides({"risks.webhook_retries": 0})
    sent = run_alerts(store, cfg, url=url, only_new=True, sleep=_no_sleep)
    assert (sent["alerts"], handler.received) == ([], [])  # the robot got both before the upgrade
    assert sent["delivery"]["sent"] == 0
    # The console: the old `reef alerts --new` listed b only (a was raised by an earlier run), and so does this one.
    assert [a["alert_key"] for a in run_alerts(store, cfg, only_new=True)["alerts"]] == ["backlash:b:b"]
    # A risk that comes back after a quiet spell (a run without it, then longer than dedupe_days) is sent again.
    later = T + timedelta(days=int(cfg.get("risks.dedupe_days")) * 2 + 2)
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [])
    raise_alerts(store, monkeypatch, later, [_alert("a", 70)])
    again = run_alerts(store, cfg, url=url, only_new=True, sleep=_no_sleep)
    assert [a["alert_key"] for a in again["alerts"]] == ["backlash:a:a"] and len(handler.received) == 1
    store.close()


def test_an_older_store_that_never_sent_or_ran_the_radar_migrates_with_no_delivery(tmp_path):
    path = tmp_path / "empty.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE risk_alert_delivery")
    con.execute("DROP TABLE risk_webhook_log")  # the release before 0008 made it at the first send only
    con.execute("DELETE FROM _reef_migrations WHERE name >= '0008'")
    con.close()
    store = open_store(path)
    assert store.fetch_value("SELECT count(*) FROM risk_alert_delivery") == 0
    assert "0008_risk_alert_delivery" in store.applied_migrations()
    store.close()
