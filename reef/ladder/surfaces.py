"""The ladder's surfaces: API views, export sheets and the 今日 recognise-now panel (docs/surfaces.md).

Example:
    >>> from reef.actions.views import VIEWS
    >>> "ladder_members" in VIEWS
    True
"""
from __future__ import annotations

from typing import Any

from reef.actions.overview import register_panel
from reef.actions.views import TableView, register_view
from reef.export import Sheet, register_sheet
from reef.ladder.queries import ladder_alerts

__all__ = ["alerts_panel"]

register_view(TableView("ladder_members", "ladder_members", {"zh": "成长阶梯", "en": "Growth ladder"},
                        date_column="last_activity_at", filters=("stage",), search=("member_id", "name"),
                        sortable=("stage", "potential", "next_progress", "member_id"),
                        order="stage DESC, potential DESC, member_id", text_columns=("name",)))
register_view(TableView("ladder_events", "ladder_events", {"zh": "阶梯变化", "en": "Ladder timeline"},
                        date_column="at", filters=("event", "to_stage"), search=("member_id",),
                        sortable=("member_id",), order='"at" DESC, member_id'))
register_view(TableView("ladder_alerts", "ladder_alerts", {"zh": "立即认可", "en": "Recognise now"},
                        date_column="at", filters=("alert", "stage"), search=("member_id", "name"),
                        sortable=("rank", "potential"), order="rank", text_columns=("name", "snippet")))
register_view(TableView("ladder_like_flags", "ladder_like_flags", {"zh": "异常点赞", "en": "Like flags"},
                        filters=("flag",), search=("member_id",), order="flag, member_id"))
register_sheet(Sheet("阶梯", "ladder_members", "stage DESC, potential DESC, member_id", ("name",)))
register_sheet(Sheet("阶梯变化", "ladder_events", 'member_id, "at"'))
register_sheet(Sheet("立即认可", "ladder_alerts", "rank", ("name", "snippet")))
register_sheet(Sheet("异常点赞", "ladder_like_flags", "flag, member_id"))


def alerts_panel(store, config) -> dict[str, Any] | None:
    """今日 panel: members to recognise now (stage-4 crossings, first proactive acts, first posts and answers)."""
    rows = ladder_alerts(store, top=10)
    if not rows:
        return None
    zh = config.get("general.language") != "en"
    return {"title": "立即认可" if zh else "Recognise now",
            "lines": [f"{r['name'] or r['member_id']}：{r['message_zh']}" if zh else f"{r['name'] or r['member_id']}: {r['message_en']}"
                      for r in rows]}


register_panel("ladder_alerts", alerts_panel)
