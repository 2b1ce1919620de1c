"""Migration 0009 keeps every delivery recorded before episodes, as a legacy episode that counts for all."""
from __future__ import annotations

import duckdb

from reef.store.migrations import LEGACY_EPISODE, MIGRATIONS, _risk_alert_delivery


def test_old_deliveries_survive_with_the_legacy_episode():
    con = duckdb.connect()
    for sql in _risk_alert_delivery():
        con.execute(sql)
    con.execute("INSERT INTO risk_alert_delivery (alert_key, severity, target, status) VALUES ('k', 'high', 'console', 'shown')")
    (step,) = [m for m in MIGRATIONS if m.name == "0009_risk_alert_delivery_episodes"]
    for sql in step.statements():
        con.execute(sql)
    assert con.execute("SELECT alert_key, status, episode = TIMESTAMPTZ '" + LEGACY_EPISODE + "' FROM risk_alert_delivery").fetchall() \
        == [("k", "shown", True)]
    # The episode is part of the key: the same alert in a later episode is a second row.
    con.execute("INSERT INTO risk_alert_delivery (alert_key, severity, target, status, episode) "
                "VALUES ('k', 'high', 'console', 'shown', TIMESTAMPTZ '2026-05-01 00:00:00+00')")
    assert con.execute("SELECT count(*) FROM risk_alert_delivery").fetchone() == (2,)
