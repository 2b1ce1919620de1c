"""A failed delivery the run does not retry is reported whatever ``--top`` is (docs/risks.md): a current alert that
failed but falls below ``--top`` under newer alerts is not retried by this run, so it is counted in
``delivery.failed_pending`` with the warning, like a failed alert that is no longer current."""
from __future__ import annotations

from datetime import timedelta

from reef.risks.webhook import run_alerts
from reef.store import open_store
from tests.risks.test_webhook_delivery import T, _alert, _cfg, _no_sleep, raise_alerts


def test_a_failed_alert_below_top_is_reported_as_pending(tmp_path, robot, monkeypatch):
    url, handler = robot
    store = open_store(tmp_path / "t.duckdb")
    raise_alerts(store, monkeypatch, T, [_alert("a", 70)])
    handler.mode = "down"
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep)
    assert res["delivery"]["failed"] == 1 and res["delivery"]["failed_pending"] == 0  # retried by the next run
    # Three new, higher alerts arrive; "a" (failed, still current) ranks below --top 2.
    raise_alerts(store, monkeypatch, T + timedelta(days=1), [_alert("a", 70), _alert("b", 90), _alert("c", 88), _alert("d", 86)])
    handler.mode = "ok"
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep, top=2)
    assert [r["subject"] for r in res["alerts"]] == ["b", "c"] and res["delivery"]["sent"] == 2
    assert res["delivery"]["failed_pending"] == 1
    assert "--top" in res["warning"] and "--redeliver" in res["warning"]
    en = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep, top=1, lang="en")
    assert en["delivery"]["failed_pending"] == 1 and "--top" in en["warning"]
    # With a --top that reaches it, the run retries it: nothing is pending any more.
    res = run_alerts(store, _cfg(webhook_retries=0), url=url, sleep=_no_sleep, top=10)
    assert res["delivery"]["sent"] == 1 and res["delivery"]["failed_pending"] == 0 and "--top" not in (res["warning"] or "")
