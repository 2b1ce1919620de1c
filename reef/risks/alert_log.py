"""The alert history of the risk radar: every sighting of every alert key, per run.

``risk_alert_sightings`` holds one row per alert key and run (its ``as_of``) with the severity and
messages of that run, so every question about the past is answered as of its own date, whatever
order the runs were made in:

* an alert is *new* at ``as_of`` when no sighting of its key in the ``dedupe_days`` before
  ``as_of`` had this severity or a higher one (a medium -> high escalation is new);
* its ``first_seen`` is the earliest sighting at or before ``as_of``;
* the weekly report lists the alerts that were new in its week, with the words they had then;
* an alert's *episode* starts at the latest run up to its ``as_of`` at which its key was raised after
  ``dedupe_days`` without it, whatever the severity: delivery to a robot is once per episode and
  severity (reef/risks/webhook.py), so a risk that comes back after a quiet spell is sent again, while
  an escalation and a fall back within one episode are judged against what that episode already sent.

``risk_alert_log`` (one row per key: first and last sighting over all runs, latest severity and
messages) is kept beside it as the summary the earlier releases wrote; stores from those releases
get their history seeded from it on the first run.

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> t = datetime(2026, 5, 1, tzinfo=timezone.utc)
    >>> _ = s.execute("CREATE TABLE risk_alerts (alert_key VARCHAR, family VARCHAR, part VARCHAR, severity VARCHAR, "
    ...               "message_zh VARCHAR, message_en VARCHAR)")
    >>> _ = s.execute("INSERT INTO risk_alerts VALUES ('heat_death:x:y', 'heat_death', 'x', 'medium', '降温', 'cooling')")
    >>> record_sightings(s, t, 7)
    >>> s.fetch_all("SELECT alert_key, is_new FROM risk_alerts")
    [('heat_death:x:y', True)]
"""
from __future__ import annotations

from datetime import datetime

__all__ = ["record_sightings", "new_alerts_between", "current_episodes"]

_RANK = "CASE {} WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END"


def _new(at: str, until: str, any_severity: bool = False) -> str:
    """SQL: the sighting ``s`` (at time ``at``) is new when no sighting of its key from the dedupe window before it up
    to ``until`` was as severe (``any_severity``: was there at all, which starts an episode)."""
    severe = "" if any_severity else f" AND {_RANK.format('p.severity')} >= {_RANK.format('s.severity')}"
    return f"""NOT EXISTS (SELECT 1 FROM risk_alert_sightings p WHERE p.alert_key = s.alert_key AND p.as_of {until}
             AND p.as_of >= {at} - to_days($dd){severe})"""

def _ensure(store) -> None:
    if store.table_exists("risk_alert_sightings"):
        return
    store.execute("""CREATE TABLE risk_alert_sightings (alert_key VARCHAR, as_of TIMESTAMPTZ, family VARCHAR, part VARCHAR,
                     severity VARCHAR, message_zh VARCHAR, message_en VARCHAR, PRIMARY KEY (alert_key, as_of))""")
    if store.table_exists("risk_alert_log"):
        # A store from before the history: its first and last sightings are all that is known of the past.
        store.execute("""INSERT INTO risk_alert_sightings SELECT DISTINCT ON (alert_key, as_of) * FROM (
                SELECT alert_key, unnest([first_seen, last_seen]) AS as_of, family, part, severity, message_zh, message_en
                FROM risk_alert_log) ORDER BY alert_key, as_of""")


def record_sightings(store, as_of: datetime, dedupe_days: int) -> None:
    """Log the rows of ``risk_alerts`` as sightings at ``as_of`` and add their ``first_seen`` and ``is_new``."""
    _ensure(store)
    with store.transaction():
        # New is decided before this run's rows go in; an earlier run at this very as_of counts as a sighting.
        store.execute(f"""CREATE OR REPLACE TABLE risk_alerts AS SELECT s.*, {_new('$ts::TIMESTAMPTZ', '<= $ts')} AS is_new
                          FROM risk_alerts s""", {"ts": as_of, "dd": int(dedupe_days)})
        store.execute("DELETE FROM risk_alert_sightings WHERE as_of = $ts", {"ts": as_of})
        store.execute("""INSERT INTO risk_alert_sightings SELECT alert_key, $ts, family, part, severity, message_zh, message_en
                         FROM risk_alerts""", {"ts": as_of})
        store.execute("""CREATE OR REPLACE TABLE risk_alerts AS SELECT a.* EXCLUDE (is_new), f.first_seen, a.is_new FROM risk_alerts a
            JOIN (SELECT alert_key, min(as_of) AS first_seen FROM risk_alert_sightings WHERE as_of <= $ts GROUP BY 1) f
            USING (alert_key)""", {"ts": as_of})
        store.execute("""CREATE TABLE IF NOT EXISTS risk_alert_log (alert_key VARCHAR PRIMARY KEY, family VARCHAR, part VARCHAR,
                         severity VARCHAR, first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, message_zh VARCHAR, message_en VARCHAR)""")
        store.execute("""INSERT OR REPLACE INTO risk_alert_log SELECT alert_key, any_value(family), any_value(part),
                arg_max(severity, as_of), min(as_of), max(as_of), arg_max(message_zh, as_of), arg_max(message_en, as_of)
            FROM risk_alert_sightings WHERE alert_key IN (SELECT alert_key FROM risk_alerts) GROUP BY 1""")


def new_alerts_between(store, lo: datetime, hi: datetime, dedupe_days: int, limit: int = 50) -> list[dict]:
    """Alerts new at some run in (``lo``, ``hi``], each once, as worded at its latest such run; high first."""
    if not store.table_exists("risk_alert_sightings"):
        return []
    return store.fetch_dicts(f"""SELECT alert_key, family, part, severity, as_of AS raised_at, message_zh, message_en FROM (
            SELECT s.*, row_number() OVER (PARTITION BY s.alert_key ORDER BY s.as_of DESC) AS k
            FROM risk_alert_sightings s WHERE s.as_of > $lo AND s.as_of <= $hi AND {_new('s.as_of', '< s.as_of')})
        WHERE k = 1 ORDER BY severity = 'high' DESC, raised_at DESC, alert_key LIMIT $n""",
                             {"lo": lo, "hi": hi, "dd": int(dedupe_days), "n": int(limit)})


def current_episodes(store, dedupe_days: int) -> dict[str, datetime]:
    """{alert_key: start of its current episode} for the rows of ``risk_alerts`` (keys without history are left out)."""
    if not (store.table_exists("risk_alert_sightings") and store.table_exists("risk_alerts")):
        return {}
    return dict(store.fetch_all(f"""SELECT s.alert_key, max(s.as_of) FROM risk_alert_sightings s
        JOIN (SELECT alert_key, max(as_of) AS at FROM risk_alerts GROUP BY 1) a ON a.alert_key = s.alert_key AND s.as_of <= a.at
        WHERE {_new('s.as_of', '< s.as_of', any_severity=True)} GROUP BY 1""", {"dd": int(dedupe_days)}))
