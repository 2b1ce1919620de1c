"""Operator surfaces of the risk radar: API views, export sheets (风险, 风险提醒, 关怀名单), the 今日
radar panel and the 风险雷达 page (docs/surfaces.md).

``risk_page`` is the ONE library call behind the page: the four scores with their parts and
evidence (:func:`reef.risks.api.risk_radar`), the weekly series behind them (the trend), and one
page of the alerts and of the care list, all from the precomputed ``risk_*`` tables.

Example:
    >>> from reef.actions.views import VIEWS
    >>> "risk_alerts" in VIEWS
    True
    >>> from reef.store import open_store
    >>> risk_page(open_store(":memory:"))["available"]
    False
"""
from __future__ import annotations

from typing import Any

from reef.actions.overview import register_panel
from reef.actions.privacy import mask_rows
from reef.actions.views import TableView, page_query, register_view
from reef.export.tables import Sheet, register_sheet
from reef.risks.api import risk_radar

__all__ = ["risk_page", "risk_trend", "radar_panel"]

register_view(TableView("risk_scores", "risk_scores", {"zh": "风险雷达", "en": "Risk radar"}, filters=("family", "level"),
                        order="score DESC"))
register_view(TableView("risk_alerts", "risk_alerts", {"zh": "风险提醒", "en": "Risk alerts"}, date_column="first_seen",
                        filters=("family", "severity", "is_new", "member_id"), search=("subject", "message_zh", "message_en"),
                        sortable=("score", "first_seen"), order="severity = 'high' DESC, score DESC",
                        text_columns=("subject", "message_zh", "message_en")))
register_view(TableView("risk_evidence", "risk_evidence", {"zh": "风险证据", "en": "Risk evidence"},
                        filters=("family", "part", "member_id"), search=("subject",), sortable=("value", "rank"),
                        order="family, part, coalesce(rank, 1e9), value DESC NULLS LAST",
                        text_columns=("subject", "detail_zh", "detail_en")))
register_sheet(Sheet("风险", "risk_scores", "score DESC", ("summary_zh", "summary_en")))
register_sheet(Sheet("风险提醒", "risk_alerts", "severity = 'high' DESC, score DESC", ("subject", "message_zh", "message_en")))
register_sheet(Sheet("关怀名单", "risk_evidence", "coalesce(rank, 1e9), value DESC NULLS LAST",
                     ("subject", "detail_zh", "detail_en"), where="part = 'care'", name="care_list"))


def risk_trend(store) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """``{family: {metric: [(period, value), ...]}}`` from ``risk_series`` (weekly measures), oldest first."""
    if not store.table_exists("risk_series"):
        return {}
    out: dict[str, dict[str, list[tuple[str, float]]]] = {}
    for fam, metric, period, value in store.fetch_all("SELECT family, metric, period, value FROM risk_series ORDER BY family, metric, period"):
        out.setdefault(fam, {}).setdefault(metric, []).append((str(period)[:10], float(value)))
    return out


def risk_page(store, *, lang: str = "zh", page: int = 1, per_page: int = 30, masked: bool = True,
              evidence: int = 5) -> dict[str, Any]:
    """风险雷达: scores with parts and evidence, the trend, a page of alerts and the care list."""
    en = lang == "en"
    out: dict[str, Any] = {"available": store.table_exists("risk_scores"), "families": [], "trend": {}, "as_of": None,
                           "alerts": {"items": [], "page": page, "per_page": per_page, "total": 0, "pages": 1}, "care": []}
    if not out["available"]:
        return out
    radar = risk_radar(store, lang=lang, evidence=evidence)
    out["as_of"] = radar["as_of"].isoformat() if hasattr(radar["as_of"], "isoformat") else radar["as_of"]
    for fam in radar["families"]:
        fam["evidence"] = mask_rows(fam["evidence"], ("subject", "detail")) if masked else fam["evidence"]
    out["families"] = radar["families"]
    out["trend"] = risk_trend(store)
    if store.table_exists("risk_alerts"):
        message = "message_en" if en else "message_zh"
        out["alerts"] = page_query(store, f"""SELECT family, part, severity, round(score, 1) AS score, subject, member_id,
                                                     content_id, {message} AS message, first_seen, is_new FROM risk_alerts""",
                                   order="severity = 'high' DESC, score DESC, family, subject", page=page, per_page=per_page,
                                   masked=masked, text_columns=("subject", "message"))
    if store.table_exists("risk_evidence"):
        care = store.fetch_dicts(f"""SELECT subject, member_id, value, {'detail_en' if en else 'detail_zh'} AS detail
                                     FROM risk_evidence WHERE part = 'care' ORDER BY coalesce(rank, 1e9), value DESC NULLS LAST LIMIT 50""")
        out["care"] = mask_rows(care, ("subject", "detail")) if masked else care
    return out


def radar_panel(store, config) -> dict[str, Any] | None:
    """今日 panel: the four risk scores with the main reason for each."""
    if not store.table_exists("risk_scores"):
        return None
    zh = config.get("general.language") != "en"
    rows = store.fetch_dicts("SELECT name_zh, name_en, score, level, summary_zh, summary_en FROM risk_scores ORDER BY score DESC")
    if not rows:
        return None
    return {"title": "风险雷达" if zh else "Risk radar",
            "lines": [f"{r['name_zh']} {r['score']:.0f}（{r['summary_zh']}）" if zh else f"{r['name_en']} {r['score']:.0f} ({r['summary_en']})"
                      for r in rows]}


register_panel("risk_radar", radar_panel)


def _register_page() -> None:
    try:
        from reef.server.pages import Page, paged_loader, register_page
    except ImportError:  # no server extra: the views and sheets still work through the library
        return
    register_page(Page("risks", "/risks", "nav.risks", "risks.html", paged_loader(risk_page), order=70))


_register_page()
