"""What a store from before migration ``0008_risk_alert_delivery`` already delivered, carried into its delivery state.

Before 0008, ``reef alerts --webhook URL`` logged every send in ``risk_webhook_log`` (the alert as JSON in ``payload``)
and kept no delivery state; ``reef alerts --new`` listed the alerts whose key the radar had not raised in the dedupe
window before (``risk_alerts.is_new``, from ``risk_alert_log``). Without this backfill the first run after the upgrade
found no delivery at all: it posted every current alert to the robot again and listed every one as new.

:func:`backfill_deliveries` (run by 0008, so only on such stores, before 0009 gives every row the legacy episode)
writes one ``risk_alert_delivery`` row per alert key, severity and URL the log holds (``sent`` when any attempt
succeeded, else ``failed``, so ``--redeliver`` retries it as the old release did), and a console row ``shown`` for every
key of ``risk_alert_log`` but those the last run raised anew (which the old ``--new`` still listed). Each row's alert
JSON keeps the as-of it was raised at, so a risk that comes back after a quiet spell is a new episode and is sent again.

Example:
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> backfill_deliveries(con)  # a store that never ran the radar nor sent an alert
    0
"""
from __future__ import annotations

__all__ = ["backfill_deliveries"]

_SEVERITY = "CASE WHEN json_valid(payload) THEN json_extract_string(payload, '$.severity') END"

# One row per key, severity and URL: sent if any attempt was, with the last sent alert's JSON (its as_of dates it).
_FROM_WEBHOOK_LOG = f"""INSERT INTO risk_alert_delivery
    SELECT alert_key, severity, url, arg_max(platform, logged_at),
           CASE WHEN bool_or(status = 'sent') THEN 'sent' ELSE 'failed' END, sum(coalesce(attempts, 1))::INTEGER,
           CASE WHEN bool_or(status = 'sent') THEN NULL ELSE arg_max(error, logged_at) END,
           coalesce(arg_max(payload, logged_at) FILTER (WHERE status = 'sent'), arg_max(payload, logged_at)),
           min(logged_at), max(logged_at), max(logged_at) FILTER (WHERE status = 'sent')
    FROM (SELECT *, {_SEVERITY} AS severity FROM risk_webhook_log)
    WHERE alert_key IS NOT NULL AND url IS NOT NULL AND severity IN ('medium', 'high') AND status IN ('sent', 'failed')
    GROUP BY alert_key, severity, url
    ON CONFLICT DO NOTHING"""

_FROM_ALERT_LOG = """INSERT INTO risk_alert_delivery
    SELECT alert_key, severity, 'console', 'console', 'shown', 0, NULL,
           json_object('alert_key', alert_key, 'family', family, 'part', part, 'severity', severity,
                       'message_zh', message_zh, 'message_en', message_en, 'as_of', CAST(last_seen AS VARCHAR)),
           last_seen, last_seen, last_seen
    FROM risk_alert_log
    WHERE severity IN ('medium', 'high') AND last_seen IS NOT NULL AND alert_key NOT IN ({raised_anew})
    ON CONFLICT DO NOTHING"""


def _columns(con, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
                                      "AND schema_name = 'main' AND table_name = ?", [table]).fetchall()}


def backfill_deliveries(con) -> int:
    """Fill ``risk_alert_delivery`` (as migration 0008 creates it) from what an older store logged; returns the rows
    written. Tables the store never had are skipped."""
    written = 0
    if {"alert_key", "url", "payload", "status", "logged_at"} <= _columns(con, "risk_webhook_log"):
        written += int(con.execute(_FROM_WEBHOOK_LOG).fetchone()[0])
    if {"alert_key", "family", "part", "severity", "last_seen", "message_zh", "message_en"} <= _columns(con, "risk_alert_log"):
        anew = ("SELECT alert_key FROM risk_alerts WHERE is_new AND alert_key IS NOT NULL"
                if {"alert_key", "is_new"} <= _columns(con, "risk_alerts") else "SELECT '' WHERE FALSE")
        written += int(con.execute(_FROM_ALERT_LOG.format(raised_anew=anew)).fetchone()[0])
    return written
