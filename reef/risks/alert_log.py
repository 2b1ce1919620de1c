"""The alert history of the risk radar: every sighting of every alert key, per run.

``risk_alert_sightings`` holds one row per alert key and run (its ``as_of``) with the severity and
messages of that run, so every question about the past is answered as of its own date, whatever
order the runs were made in:

* an alert is *new* at ``as_of`` when no sighting of its key in the ``dedupe_days`` before
  ``as_of``, nor at the radar's run just before, had this severity or a higher one (a medium -> high
  escalation is new; runs a week apart do not make a standing alert new every week);
* its ``first_seen`` is the earliest sighting at or before ``as_of``;
* the weekly report lists the alerts that were new in its week, with the words they had then;
* an alert's *episode* (:func:`current_episodes`) runs back through the key's presences while they are
  at most ``dedupe_days`` apart or no run lies between them: delivery to a robot is once per episode and
  severity (reef/risks/delivery_state.py), so a risk that comes back after a quiet spell is sent again, while
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

from bisect import bisect_right
from datetime import datetime, timedelta

__all__ = ["record_sightings", "new_alerts_between", "current_episodes", "SCORE_LOG_DDL"]

_RANK = "CASE {} WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END"


# The radar's runs: the score log has one row per run and family (the sightings' dates are runs too).
_RUNS = "(SELECT as_of FROM risk_score_log UNION SELECT as_of FROM risk_alert_sightings)"
SCORE_LOG_DDL = "CREATE TABLE IF NOT EXISTS risk_score_log (as_of TIMESTAMPTZ, family VARCHAR, score DOUBLE, level VARCHAR)"


def _new(at: str, until: str, any_severity: bool = False) -> str:
    """SQL: the sighting ``s`` (at time ``at``) is new when no earlier sighting of its key up to ``until`` was as
    severe (``any_severity``: was there at all, which starts an episode) and either inside the dedupe window or at the
    run just before (no run in between: runs a week apart do not make a standing alert new every week)."""
    severe = "" if any_severity else f" AND {_RANK.format('p.severity')} >= {_RANK.format('s.severity')}"
    return f"""NOT EXISTS (SELECT 1 FROM risk_alert_sightings p WHERE p.alert_key = s.alert_key AND p.as_of {until}{severe}
             AND (p.as_of >= {at} - to_days($dd) OR NOT EXISTS (SELECT 1 FROM {_RUNS} r WHERE r.as_of > p.as_of AND r.as_of < {at})))"""


def _ensure(store) -> None:
    store.execute(SCORE_LOG_DDL)
    if store.table_exists("risk_alert_sightings"):
        return
    store.execute("""CREATE TABLE risk_alert_sightings (alert_key VARCHAR, as_of TIMESTAMPTZ, family VARCHAR, part VARCHAR,
                     severity VARCHAR, message_zh VARCHAR, message_en VARCHAR, PRIMARY KEY (alert_key, as_of))""")
    if store.table_exists("risk_alert_log"):
        # A store from before the history knows each key's first and last sighting only: the key is taken to have stood
        # at every run in between (a hole there would read as a quiet spell and send a standing alert again).
        store.execute("""INSERT INTO risk_alert_sightings SELECT DISTINCT ON (alert_key, as_of) * FROM (
                SELECT alert_key, unnest([first_seen, last_seen]) AS as_of, family, part, severity, message_zh, message_en
                FROM risk_alert_log
                UNION ALL SELECT l.alert_key, r.as_of, l.family, l.part, l.severity, l.message_zh, l.message_en
                FROM risk_alert_log l JOIN (SELECT DISTINCT as_of FROM risk_score_log) r
                  ON r.as_of > l.first_seen AND r.as_of < l.last_seen) ORDER BY alert_key, as_of""")


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
    """{alert_key: start of its current episode} for the rows of ``risk_alerts``.

    Going back from the alert's as_of through the key's presences (its sightings, and the as_of of any alert of the key
    that was delivered: a re-run at the same date may have lowered it since), the episode goes on while consecutive
    presences are at most ``dedupe_days`` apart or no run lies between them; it starts at the last presence reached.
    """
    if not (store.table_exists("risk_alert_sightings") and store.table_exists("risk_alerts")):
        return {}  # (the sightings table is made together with the score log the runs are read from)
    keys = store.fetch_all("SELECT alert_key, max(as_of) FROM risk_alerts GROUP BY 1")
    if not keys:
        return {}
    runs = sorted(t for (t,) in store.fetch_all(f"SELECT DISTINCT as_of FROM {_RUNS} WHERE as_of IS NOT NULL"))
    found = store.fetch_all("SELECT alert_key, as_of FROM risk_alert_sightings WHERE alert_key IN (SELECT alert_key FROM risk_alerts)")
    if store.table_exists("risk_alert_delivery"):
        found += store.fetch_all("""SELECT alert_key, TRY_CAST(json_extract_string(alert, '$.as_of') AS TIMESTAMPTZ) FROM risk_alert_delivery
                                    WHERE status IN ('sent', 'shown') AND alert_key IN (SELECT alert_key FROM risk_alerts)""")
    presence: dict[str, set] = {}
    for key, at in found:
        if at is not None:
            presence.setdefault(key, set()).add(at)
    window = timedelta(days=int(dedupe_days))
    out = {}
    for key, now in keys:
        times = sorted(t for t in presence.get(key, ()) if t <= now) or [now]
        start = times[-1]
        for prev in reversed(times[:-1]):
            i = bisect_right(runs, prev)
            if start - prev <= window or i >= len(runs) or runs[i] >= start:  # close, or no run in between
                start = prev
            else:
                break
        out[key] = start
    return out
