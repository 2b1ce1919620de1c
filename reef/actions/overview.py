"""The 今日 (today) overview: one call that gathers what the first dashboard page shows.

Alerts (failed analyses by their operator names, the risk radar's current alerts with the most
severe few, members the ladder says to recognise now, quarantined rows, open tasks), the
community's size, the activity trend and members to recognise today: the most-appreciated
non-staff members active in the last ``server.recognise_days`` days of data who were not
recognised in the last 30 days. Capabilities that exist later add their panels through
:data:`PANELS` (docs/surfaces.md).

Example:
    >>> from reef.store import open_store
    >>> today_overview(open_store(":memory:"))["recognise"]
    []
"""
from __future__ import annotations

from typing import Any, Callable

from reef.report.status import live_bookkeeping

__all__ = ["today_overview", "imports_overview", "analysis_title", "PANELS", "register_panel"]

# name -> fn(store, *, lang, masked) -> dict | None; a panel returning None is not shown. A panel writes its
# lines in ``lang`` and masks personal data in them when ``masked`` (a viewer is looking).
PANELS: dict[str, Callable[..., dict[str, Any] | None]] = {}


def register_panel(name: str, fn: Callable[..., dict[str, Any] | None]) -> None:
    """Add a panel to the 今日 page (e.g. the risk radar once reef.risks exists)."""
    PANELS[name] = fn


def today_overview(store, *, trend_days: int = 90, lang: str | None = None, masked: bool = False,
                   alert_items: int = 5) -> dict[str, Any]:
    """Everything the 今日 page shows, from precomputed tables only (fast on large stores).

    Panels are written in ``lang`` (default ``general.language``); with ``masked`` every member name and
    text is masked for a viewer. The risk alert (``key`` ``alert.risks``, with ``link`` ``/risks``) carries
    the ``alert_items`` most severe of the radar's current alerts as ``items``; the recognise-now alert
    (``alert.recognise_now``, ``link`` ``/ladder``) the first ``alert_items`` members of the ladder's list.
    """
    from reef.actions.privacy import mask_rows
    from reef.analyses.overview_readers import recognise_today, status_summary

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
        alerts.append({"level": "error", "key": "alert.failed",
                       "names": (", " if lang == "en" else "、").join(analysis_title(r["name"], lang) for r in failed)})
    for alert in (_crisis_alert(store, lang), _risk_alert(store, lang, masked, alert_items),
                  _recognise_alert(store, lang, masked, alert_items)):
        if alert is not None:
            alerts.append(alert)
    if status["quarantine"]["total"]:
        alerts.append({"level": "warn", "key": "alert.quarantine", "n": status["quarantine"]["total"]})
    if open_tasks:
        alerts.append({"level": "info", "key": "alert.open_tasks", "n": open_tasks})
    panels = {}
    for name, fn in PANELS.items():
        panel = fn(store, lang=lang, masked=masked)
        if panel is not None:
            panels[name] = panel
    from reef.ladder import headcount  # lazily: the ladder package reads actions too

    # Who the 成员 figure counts (every account ever imported), so it reconciles with the 成员 list and the ladder.
    return {"status": status, "trend": trend, "recognise": recognise,
            "recognise_days": int(cfg.get("server.recognise_days")), "alerts": alerts,
            "open_tasks": open_tasks, "panels": panels, "headcount": headcount(store, of="member_summary")}


def analysis_title(name: str, lang: str = "zh") -> str:
    """An analysis as operators read it (its registered title in ``lang``), else its name.

    >>> analysis_title("activity_daily"), analysis_title("activity_daily", "en"), analysis_title("no_such")
    ('每日活跃', 'Daily activity', 'no_such')
    """
    from reef.analyses import discover

    spec = discover().get(name)
    return spec.title_in(lang) if spec is not None else name


def _risk_alert(store, lang: str, masked: bool, top: int) -> dict[str, Any] | None:
    """The risk radar's current alerts (new and standing ones) as one 今日 alert: counts and the ``top`` most severe.
    When they come from a back-dated run (``reef risks --as-of``), the alert is ``alert.risks_back_dated``, naming the
    run's date and the data's latest date, instead of calling them current."""
    from reef.actions.privacy import mask_rows
    from reef.i18n import code_label

    if not store.table_exists("risk_alerts"):
        return None
    total, high, new = store.fetch_all("SELECT count(*), count(*) FILTER (WHERE severity = 'high'), "
                                       "count(*) FILTER (WHERE is_new) FROM risk_alerts")[0]
    if not total:
        return None
    message = "message_en" if lang == "en" else "message_zh"
    items = store.fetch_dicts(f"""SELECT family, part, severity, round(score, 1) AS score, subject, member_id, content_id,
                                         {message} AS message, coalesce(is_new, false) AS is_new FROM risk_alerts
                                  ORDER BY severity = 'high' DESC, severity = 'medium' DESC, score DESC, family, subject
                                  LIMIT ?""", [top])
    if masked:  # the messages quote members' posts
        items = mask_rows(items, ("subject", "message"))
    for item in items:
        item["family_name"] = code_label(item["family"], lang)
    from reef.risks.freshness import radar_back_dated

    back = radar_back_dated(store, lang)  # a back-dated run's alerts are history, not today's: said so, never "current"
    if back is not None:
        return {"level": "warn", "key": "alert.risks_back_dated", "n": int(total), "high": int(high), "new": int(new),
                "as_of": back["shown_as_of"], "data_end": back["data_end"], "link": "/risks", "items": items}
    return {"level": "error" if high else "warn", "key": "alert.risks", "n": int(total), "high": int(high),
            "new": int(new), "link": "/risks", "items": items}


def _crisis_alert(store, lang: str) -> dict[str, Any] | None:
    """The crisis room's alarmed aspects (:func:`reef.kb.crisis_alerts.crisis_alerts`) as one 今日 alert, first: a
    negative wave is the most urgent thing PR can see today. Its lines name aspects and counts, no member. Listed at
    the radar's moment only (the risk alerts beside it): a back-dated breakwater run is no alarm of today."""
    from reef.store.coverage import analysis_as_of

    try:
        from reef.kb.crisis_alerts import crisis_alerts
    except ImportError:
        return None
    items = crisis_alerts(store, lang, as_of=analysis_as_of(store, "risks"))
    if not items:
        return None
    return {"level": "error" if any(i["severity"] == "high" for i in items) else "warn", "key": "alert.crisis",
            "n": len(items), "link": "/crisis", "items": items}


def _recognise_alert(store, lang: str, masked: bool, top: int) -> dict[str, Any] | None:
    """The ladder's recognise-now list (立即认可) as one 今日 alert: how many are still to recognise, and the first
    ``top`` of them; members already recognised (or planned) are left out (:func:`reef.ladder.recognised.pending_alerts`),
    and the alert goes once none remain."""
    from reef.actions.privacy import mask_rows
    from reef.ladder.recognised import pending_alerts  # lazily: the ladder package reads actions too

    pending = pending_alerts(store, top=top)
    if not pending["n"]:
        return None
    message = "message_en" if lang == "en" else "message_zh"
    items = [{"member_id": r["member_id"], "name": r["name"], "alert": r["alert"], "message": r[message]}
             for r in pending["items"]]
    if masked:
        items = mask_rows(items, ("name", "message"))
    return {"level": "info", "key": "alert.recognise_now", "n": pending["n"], "handled": pending["handled"],
            "link": "/ladder#alerts", "items": items}


def imports_overview(store, *, page: int = 1, per_page: int = 50, masked: bool = True, lang: str = "zh") -> dict[str, Any]:
    """What the imports page shows: import history, quarantined rows (each with ``reason_code`` and ``reason_text``,
    its reason in ``lang``) and ``by_kind``, the quarantine counted by kind of reason (code, label, rows). Each import
    carries ``held``, its rows still in quarantine (not dismissed, not stored since by a later import)."""
    from reef.actions.views import page_view
    from reef.ingest.reasons import reason_code, reason_label, reason_text

    quarantine = page_view(store, "quarantine", page=page, per_page=per_page, masked=masked)
    for row in quarantine["items"]:  # the stored reason is English; masked already, so masked values stay masked
        row["reason_code"], row["reason_text"] = reason_code(row["reason"]), reason_text(row["reason"], lang)
    kinds = live_bookkeeping(store)["quarantine"]["by_kind"]
    imports = page_view(store, "imports", per_page=20)
    held = dict(store.fetch_all("SELECT import_id, count(*) FROM quarantine GROUP BY import_id"))
    for row in imports["items"]:  # rows still held: the import's own count does not fall when rows are dismissed
        row["held"] = int(held.get(row["import_id"], 0))
    return {"imports": imports, "quarantine": quarantine,
            "by_kind": [{"code": c, "label": reason_label(c, lang), "rows": n} for c, n in kinds.items()]}
