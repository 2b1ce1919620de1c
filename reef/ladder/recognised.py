"""The recognise-now alerts (立即认可) joined with the operators' recognitions: who is still to recognise.

An alert counts as *handled* once its member has a ``recognise`` action recorded at or after the alert's act time
(``at``) and not cancelled: ``done`` is 已认可 (recognised), ``open`` is 已安排 (planned: an operator took it on,
so it leaves the to-do count, but the list says it is not done yet). A recognition withdrawn (recorded by mistake:
:func:`reef.actions.log.withdraw_action`) no longer counts from its withdrawal on. Actions are read up to the ladder's as_of
by :func:`reef.actions.cutoff.action_cutoff`: a past as_of sees only what was recorded before it (an action done
or cancelled later was still open then); at the end of the data every recognition recorded since counts, as a
recognition clicked today must clear today's list. docs/ladder.md, "Recognise now".

Every reader of the alerts (``reef recognise``, ``Community.recognise``, the 成长阶梯 page, 今日's card and panel, the
report) calls :func:`ladder_alerts` or :func:`pending_alerts`, and the raw surfaces (``GET /api/v1/ladder_alerts``,
the export's 立即认可 sheet) read :func:`recognised_relation`, on which those two are built: the rule lives here once.

Example:
    >>> from reef.store import open_store
    >>> ladder_alerts(open_store(":memory:")), pending_alerts(open_store(":memory:"))
    ([], {'n': 0, 'handled': 0, 'items': []})
"""
from __future__ import annotations

from datetime import timezone
from typing import Any

from reef.i18n import register_code_labels, register_column_labels
from reef.params import check_positive
from reef.store.asof import iso_sql

__all__ = ["ALERT_LABELS", "ladder_alerts", "pending_alerts", "recognised_relation", "recognised_label", "RECOGNISED_LABELS",
           "SHEET_ORDER"]

# alert kind -> (Chinese, English): the words of 立即认可 on every surface (CLI, workbook, dashboard); JSON keeps the code.
ALERT_LABELS = {"leader_crossing": ("晋升引领者", "crossed into leader"), "first_proactive": ("首次主动创造价值", "first proactive act"),
                "first_original": ("首次发布原创", "first original post"),
                "first_newcomer_answer": ("首次回答新人提问", "first answer to a newcomer")}
register_code_labels(ALERT_LABELS)
register_column_labels({"is_new": ("新", "new")})

# recognised_status -> (Chinese, English): how the lists mark a handled alert (with the date).
RECOGNISED_LABELS = {"done": ("已认可", "recognised"), "open": ("已安排", "planned")}
register_column_labels({"recognised": ("认可状态", "recognised"), "recognised_status": ("认可状态", "recognised"),
                        "recognised_at": ("认可时间", "recognised at"), "recognised_action": ("认可行动ID", "recognise action ID")})

# The recognise actions live at {cut}, each with whether it was done by then and when it was done (else recorded).
# A done action without done_at (imported) was done when created; a cancelled one counts until it was cancelled, and
# one withdrawn (done, then cancelled: its done_at kept) counts as done until then.
# Every column of ladder_alerts as stored, then the recognition's: a relation the readers, the 立即认可 API view
# and the export sheet read alike. {cut} is a literal (a moment Reef computed, never input), so the relation nests in
# queries with their own parameters (the API view's positional ones).
_RELATION = """
WITH acts AS (
  SELECT action_id, member_id, created_at,
         (status = 'done' OR (status = 'cancelled' AND attrs->>'done_at' IS NOT NULL))
           AND coalesce(TRY_CAST(attrs->>'done_at' AS TIMESTAMPTZ), created_at) < {cut} AS done,
         coalesce(TRY_CAST(attrs->>'done_at' AS TIMESTAMPTZ), created_at) AS done_at
  FROM operator_actions_at({cut}) WHERE kind = 'recognise'
    AND (status <> 'cancelled' OR TRY_CAST(attrs->>'cancelled_at' AS TIMESTAMPTZ) > {cut})),
hit AS (  -- each alert's recognition: a done one before an open one, then the earliest
  SELECT a.rank, x.action_id, x.done, CASE WHEN x.done THEN x.done_at ELSE x.created_at END AS recognised_at
  FROM ladder_alerts a JOIN acts x ON x.member_id = a.member_id AND x.created_at >= a."at"
  QUALIFY row_number() OVER (PARTITION BY a.rank ORDER BY x.done DESC, x.created_at, x.action_id) = 1)
SELECT a.*, h.recognised_at,
       CAST(CASE WHEN h.done THEN 'done' WHEN h.rank IS NOT NULL THEN 'open' END AS VARCHAR) AS recognised_status,
       h.action_id AS recognised_action
FROM ladder_alerts a LEFT JOIN hit h USING (rank)"""

# The lists' rows: the act and the recognition, times as ISO text, the unrecognised first.
_LIST = f"""
SELECT rank, alert, member_id, name, stage, potential, content_id, content_kind, act,
       {iso_sql('"at"')} AS "at", snippet, message_zh, message_en, {{is_new}} AS is_new,
       {iso_sql('recognised_at')} AS recognised_at, recognised_status, recognised_action
FROM ({{relation}})
WHERE (NOT $pending OR recognised_status IS NULL)
  AND CASE WHEN $cutoff IS NULL THEN {{is_new}} OR recognised_status IS NULL
           ELSE {{is_new}} OR "at" >= $cutoff END
ORDER BY recognised_status IS NOT NULL, rank
LIMIT $top"""

# How the export sheet orders it: as the lists do.
SHEET_ORDER = "recognised_status IS NOT NULL, rank"


def _cutoff(store):
    from reef.actions.cutoff import action_cutoff

    return action_cutoff(store, store.fetch_value("SELECT max(as_of) FROM ladder_alerts"))


def recognised_relation(store) -> str:
    """SQL of ``ladder_alerts`` (every stored column, times as TIMESTAMPTZ) with ``recognised_at``,
    ``recognised_status`` and ``recognised_action`` added, the recognise actions read up to the ladder's as_of
    (module docstring): the one query behind :func:`ladder_alerts`, ``GET /api/v1/ladder_alerts`` and the 立即认可
    sheet. Only call it when ``ladder_alerts`` exists.

    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> _ = s.execute('CREATE TABLE ladder_alerts (rank INT, member_id VARCHAR, "at" TIMESTAMPTZ, as_of TIMESTAMPTZ)')
    >>> [d[0] for d in s.execute(f"SELECT * FROM ({recognised_relation(s)}) LIMIT 0").description][-3:]
    ['recognised_at', 'recognised_status', 'recognised_action']
    """
    cut = _cutoff(store).astimezone(timezone.utc)
    return _RELATION.format(cut=f"TIMESTAMPTZ '{cut.strftime('%Y-%m-%d %H:%M:%S.%f')}+00:00'")


def _backlog_cutoff(store, days: int | None, since: Any):
    """The earliest alert time asked for (``days`` before the ladder's as_of, or ``since``), None for the default;
    refused when it is before what ``ladder_alerts`` holds (``ladder.alert_backlog_days``)."""
    from datetime import timedelta

    from reef.errors import InvalidParameterError
    from reef.ladder.params import LadderParams

    if days is None and since is None:
        return None
    if days is not None and since is not None:
        raise InvalidParameterError("days", days, "either days or since, not both")
    as_of = store.fetch_value("SELECT max(as_of) FROM ladder_alerts")
    p = LadderParams.from_config(store.config)
    held = timedelta(hours=p.alert_backlog_hours)
    if days is not None:
        check_positive("days", days)
        want = timedelta(days=days)
    else:
        from reef.store.asof import as_of_timestamp

        want = as_of - as_of_timestamp(since, str(store.config.get("general.timezone")), name="since")
    if as_of is not None and want > held + timedelta(seconds=1):
        raise InvalidParameterError("days" if days is not None else "since", days if days is not None else since,
                                    f"at most {held.days or round(held.total_seconds() / 3600)} "
                                    f"{'days' if held.days else 'hours'} back (ladder.alert_backlog_days)")
    return None if as_of is None else as_of - want


def ladder_alerts(store, *, top: int | None = 20, pending_only: bool = False, days: int | None = None,
                  since: Any = None) -> list[dict[str, Any]]:
    """Recognise-now alerts with the act itself: the unrecognised first, then the handled ones, each by rank; at most
    ``top``. By default the alerts of the last ``ladder.alert_hours`` (``is_new``) and, from the backlog of the last
    ``ladder.alert_backlog_days``, those still unrecognised; ``days`` (alerts of the last N days before the ladder's
    as_of) or ``since`` (a date or time) lists every alert from then, recognised or not, back to the backlog's start.
    Each row's ``recognised_at`` (ISO time, None while unrecognised), ``recognised_status`` (``done`` 已认可, ``open``
    已安排, None) and ``recognised_action`` (the action's id) say whether and how it was handled (module docstring).
    ``pending_only`` keeps the unrecognised ones only.
    """
    if top is not None:
        check_positive("top", top)
    if not store.table_exists("ladder_alerts"):
        return []
    cutoff = _backlog_cutoff(store, days, since)
    # a table written before the backlog (ladder analysis version 10 and before) held the new alerts only
    cols = {r[0] for r in store.fetch_all("SELECT column_name FROM information_schema.columns WHERE table_name = 'ladder_alerts'")}
    is_new = "coalesce(is_new, true)" if "is_new" in cols else "true"
    return store.fetch_dicts(_LIST.format(relation=recognised_relation(store), is_new=is_new),
                             {"pending": bool(pending_only), "top": top if top is not None else 2**62, "cutoff": cutoff})


def pending_alerts(store, *, top: int = 5) -> dict[str, Any]:
    """What 今日 shows of the alerts: ``n`` still to recognise (the backlog's too), ``handled`` (those of the last
    ``alert_hours`` recognised or planned) and the first ``top`` unrecognised ones (``items``, by rank)."""
    check_positive("top", top)
    rows = ladder_alerts(store, top=None)
    pending = [r for r in rows if r["recognised_status"] is None]
    return {"n": len(pending), "handled": len(rows) - len(pending), "items": pending[:top]}


def recognised_label(row: dict[str, Any], lang: str = "zh") -> str:
    """How a list marks an alert: 已认可 / 已安排 and the date (``recognised`` / ``planned`` in English); "" while unrecognised.

    >>> recognised_label({"recognised_status": "done", "recognised_at": "2026-11-23T10:00:00+08:00"}, "en")
    'recognised 2026-11-23'
    >>> recognised_label({"recognised_status": None, "recognised_at": None})
    ''
    """
    status = row.get("recognised_status")
    if status not in RECOGNISED_LABELS:
        return ""
    return f"{RECOGNISED_LABELS[status][1 if lang == 'en' else 0]} {(row.get('recognised_at') or '')[:10]}".strip()
