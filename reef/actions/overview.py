"""The 今日 (today) overview: one call that gathers what the first dashboard page shows.

Alerts (failed analyses, quarantined rows, open tasks), the community's size, the activity
trend and members to recognise today: the most-appreciated non-staff members active in the
last ``server.recognise_days`` days of data who were not recognised in the last 30 days.
Capabilities that exist later add their panels through :data:`PANELS` (docs/surfaces.md).

Example:
    >>> from reef.store import open_store
    >>> today_overview(open_store(":memory:"))["recognise"]
    []
"""
from __future__ import annotations

from typing import Any, Callable

from reef.report.status import live_bookkeeping

__all__ = ["today_overview", "imports_overview", "PANELS", "register_panel"]

# name -> fn(store, *, lang, masked) -> dict | None; a panel returning None is not shown. A panel writes its
# lines in ``lang`` and masks personal data in them when ``masked`` (a viewer is looking).
PANELS: dict[str, Callable[..., dict[str, Any] | None]] = {}


def register_panel(name: str, fn: Callable[..., dict[str, Any] | None]) -> None:
    """Add a panel to the 今日 page (e.g. the risk radar once reef.risks exists)."""
    PANELS[name] = fn


def today_overview(store, *, trend_days: int = 90, lang: str | None = None, masked: bool = False) -> dict[str, Any]:
    """Everything the 今日 page shows, from precomputed tables only (fast on large stores).

    Panels are written in ``lang`` (default ``general.language``); with ``masked`` every member name and
    text is masked for a viewer.
    """
    from reef.actions.privacy import mask_rows
    from reef.analyses.overview import recognise_today, status_summary

    cfg = store.config
    status = status_summary(store)  # precomputed kinds, range and staff while the data is unchanged, else live
    trend: list[dict[str, Any]] = []
    if store.table_exists("activity_daily"):
        trend = store.fetch_dicts(
            "SELECT CAST(day AS VARCHAR) AS day, active_members, new_members, content_total, interactions_total "
            "FROM (SELECT * FROM activity_daily ORDER BY day DESC LIMIT ?) ORDER BY day", [trend_days])
    lang = lang or str(cfg.get("general.language"))
    recognise = recognise_today(store, top=int(cfg.get("server.recognise_top"))) or []
    if masked:
        recognise = mask_rows(recognise, ("name",))
    failed = [r for r in status["analysis_runs"] if r["status"] != "ok"]
    open_tasks = int(store.fetch_value("SELECT count(*) FROM operator_actions WHERE status = 'open'"))
    alerts = []
    if not status["analysis_runs"]:
        alerts.append({"level": "info", "key": "alert.no_analyses"})
    if failed:
        alerts.append({"level": "error", "key": "alert.failed", "names": ", ".join(r["name"] for r in failed)})
    if status["quarantine"]["total"]:
        alerts.append({"level": "warn", "key": "alert.quarantine", "n": status["quarantine"]["total"]})
    if open_tasks:
        alerts.append({"level": "info", "key": "alert.open_tasks", "n": open_tasks})
    panels = {}
    for name, fn in PANELS.items():
        panel = fn(store, lang=lang, masked=masked)
        if panel is not None:
            panels[name] = panel
    return {"status": status, "trend": trend, "recognise": recognise, "alerts": alerts,
            "open_tasks": open_tasks, "panels": panels}


def imports_overview(store, *, page: int = 1, per_page: int = 50, masked: bool = True) -> dict[str, Any]:
    """What the imports page shows: import history, quarantined rows and quarantine by reason."""
    from reef.actions.views import page_view

    return {"imports": page_view(store, "imports", per_page=20),
            "quarantine": page_view(store, "quarantine", page=page, per_page=per_page, masked=masked),
            "by_reason": live_bookkeeping(store)["quarantine"]["by_reason"]}
