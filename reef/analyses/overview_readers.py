"""Readers of the rows ``store_overview`` precomputes (:mod:`reef.analyses.overview`): the 今日 page's and
``GET /api/v1/status``'s figures (:func:`status_summary`), the members to recognise today
(:func:`recognise_today`) and the 成员 profile's activity (:func:`member_activity`). The status and the
profile read the precomputed rows only while the data they came from is unchanged, and otherwise fall
back (live scans, or None so the caller runs its live queries); the recognition list ranks from
``member_summary`` while ``store_overview`` has not run.

Example:
    >>> from reef.store import open_store
    >>> recognise_today(open_store(":memory:")) is None
    True
"""
from __future__ import annotations

from reef.analyses.overview import _CANDIDATES

__all__ = ["status_summary", "recognise_today", "member_activity", "precomputed_fresh"]

# The canonical figures the precomputed part depends on: when any of them moved since the run
# (an import, a writer that bypassed imports), status falls back to the live scans.
_FRESH_PARTS = ("max_import_id", "members", "content", "interactions")


def precomputed_fresh(store) -> bool:
    """``overview_status`` exists, holds the whole store's figures and the data it was computed from has not changed
    since."""
    import json

    from reef.analyses.runner import watermark

    if not store.table_exists("overview_status"):
        return False
    params = store.fetch_value("SELECT params FROM analysis_runs WHERE name = 'store_overview' AND status = 'ok' "
                               "ORDER BY finished_at DESC LIMIT 1")
    if params is None:
        return False
    then = json.loads(params).get("watermark_parts", {})
    now = watermark(store)[1]
    if not all(then.get(k) == now.get(k) for k in _FRESH_PARTS):
        return False
    # Rows written before the status part covered the whole store (version 3 and before) held a back-dated run's
    # figures: never stand them in for the store now.
    return bool(store.fetch_value("SELECT count(*) FROM overview_status WHERE section = 'computed' AND key = 'whole_store'"))


def status_summary(store) -> dict:
    """:func:`reef.report.status.store_status` for the dashboard: the same keys, with the parts that scan
    the big tables (kinds, date range, staff) read from ``overview_status`` while the data it was
    computed from is unchanged, and row counts, imports, quarantine and analysis runs read live (all cheap). The
    precomputed part covers the whole store whatever the as_of of the ``store_overview`` run (status is about the store
    now), so the answer equals ``store_status(store)`` plus ``precomputed_at``: when the precomputed part was taken
    (None: everything is live).

    Example:
        >>> from reef.store import open_store
        >>> status_summary(open_store(":memory:"))["precomputed_at"] is None
        True
    """
    from reef.report.status import live_bookkeeping, store_status
    from reef.model.schema import ENTITIES

    if not precomputed_fresh(store):
        return {**store_status(store), "precomputed_at": None}
    rows = store.fetch_all("SELECT section, key, n, \"at\" FROM overview_status ORDER BY section, n DESC NULLS LAST, key")
    part: dict[str, dict] = {}
    for section, key, n, at in rows:
        part.setdefault(section, {})[key] = at.isoformat() if at is not None else (None if n is None else int(n))  # no content: no first
    staff = part.get("staff_accounts", {})
    return {
        "store": store.path,
        "tables": {name: int(store.fetch_value(f'SELECT count(*) FROM "{name}"')) for name in ENTITIES},
        "content_by_kind": part.get("content_by_kind", {}),
        "interactions_by_kind": part.get("interactions_by_kind", {}),
        "first_at": part.get("range", {}).get("first_at"),
        "last_at": part.get("range", {}).get("last_at"),
        "first_content_at": part.get("range", {}).get("first_content_at"),
        "first_member_joined_at": part.get("range", {}).get("first_member_joined_at"),
        "staff_accounts": {"total": sum(staff.values()), **dict(sorted(staff.items()))},
        **live_bookkeeping(store),
        "precomputed_at": part.get("computed", {}).get("whole_store"),  # when the scan was taken (the row's "at")
    }




def _today_as_of(store):
    """The moment 今日's list is about: the ``store_overview`` run's as_of, else the end of the data."""
    from reef.analyses.runner import data_end

    if store.table_exists("overview_status"):
        at = store.fetch_value("SELECT \"at\" FROM overview_status WHERE section = 'computed' AND key = 'as_of'")
        if at is not None:
            return at
    return data_end(store)


def recognise_today(store, *, top: int = 10) -> list[dict] | None:
    """The first ``top`` members to recognise (the 今日 page's 今日值得表彰 list): the most interacted-with members
    active in the last ``server.recognise_days`` before the overview's as_of, from ``overview_recognise``, or ranked
    from ``member_summary`` while ``store_overview`` has not run; None when neither table exists yet. Left out: members
    with a ``recognise`` action in the 30 days before that as_of (actions read up to
    :func:`reef.actions.cutoff.action_cutoff`, not the wall clock), and those the conduct standard
    leaves out, as the council, the circle leaders and the plaza do (:mod:`reef.layers.standing`: more than ``layers.conduct_max_hostile`` hostile acts on record,
    the risk radar's burnout and care lists).

    >>> from reef.store import open_store
    >>> recognise_today(open_store(":memory:")) is None
    True
    """
    from datetime import timedelta, timezone

    from reef.actions.cutoff import action_cutoff

    if store.table_exists("overview_recognise"):
        source, params = "overview_recognise", {"top": top}
    elif store.table_exists("member_summary"):
        source, params = f"({_CANDIDATES})", {"top": top, "days": int(store.config.get("server.recognise_days"))}
    else:
        return None
    as_of = _today_as_of(store)
    cut = action_cutoff(store, as_of).astimezone(timezone.utc)
    recent = """SELECT member_id FROM operator_actions_at($cut) WHERE kind = 'recognise' AND created_at >= $since
                  AND (status <> 'cancelled' OR TRY_CAST(attrs->>'cancelled_at' AS TIMESTAMPTZ) > $cut)"""
    excluded = ""
    if store.table_exists("ladder_members") or store.table_exists("risk_evidence"):
        from reef.layers.standing import conduct_bar, excluded_sql

        excluded = f"AND member_id NOT IN ({excluded_sql(store)})"
        if store.table_exists("ladder_members"):
            params["max_hostile"] = conduct_bar(store.config)
    params |= {"cut": cut, "since": (as_of or cut) - timedelta(days=30)}
    return store.fetch_dicts(
        f"""SELECT member_id, name, content_total, interactions_received, interactions_given,
                   CAST(last_activity_at AS VARCHAR) AS last_activity_at
            FROM {source}
            WHERE member_id NOT IN ({recent}) {excluded}
            ORDER BY rank LIMIT $top""", params)


def member_activity(store, member_id: str, *, contributions: int = 20) -> dict | None:
    """One member's interactions given and received by kind (``{kind: n}``, most first) and latest
    ``contributions`` items from ``overview_members``, or None when they must be read live: the
    table is missing, the data changed since ``store_overview`` ran (the check of
    :func:`status_summary`), that run did not see all the data, or it kept fewer items than asked.

    Example:
        >>> from reef.store import open_store
        >>> member_activity(open_store(":memory:"), "m1") is None
        True
    """
    if not store.table_exists("overview_members") or not precomputed_fresh(store):
        return None
    settings = dict(store.fetch_all("SELECT key, n FROM overview_status WHERE section = 'computed' AND n IS NOT NULL"))
    if not settings.get("profile_complete") or int(settings.get("profile_contributions", 0)) < contributions:
        return None
    rows = store.fetch_dicts(
        "SELECT * EXCLUDE (member_id) FROM overview_members WHERE member_id = ? "
        "ORDER BY part, n DESC NULLS LAST, created_at DESC NULLS LAST, content_id DESC, kind", [member_id])
    by_kind = lambda part: {r["kind"]: int(r["n"]) for r in rows if r["part"] == part}  # noqa: E731
    recent = [{k: r[k] for k in ("content_id", "kind", "created_at", "title", "body", "thread_id", "group_id")}
              for r in rows if r["part"] == "recent"]
    return {"interactions_given": by_kind("given"), "interactions_received": by_kind("received"),
            "contributions": recent[:contributions]}
