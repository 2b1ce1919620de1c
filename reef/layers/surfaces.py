"""Operator surfaces of the layers: API views (paged, filterable) and export sheets.

The member-to-circle table can hold a million rows, so it is a view (paged by the API) but not an
export sheet; the circles, leaders, plaza and council tables are small and exported.

Example:
    >>> from reef.actions.views import VIEWS
    >>> import reef.layers.surfaces
    >>> VIEWS["layers_circle_members"].order
    'circle_id, confidence DESC'
"""
from __future__ import annotations

from reef.actions.views import TableView, register_view
from reef.export.tables import Sheet, register_sheet

__all__: list[str] = []

register_view(TableView("layers_circles", "layers_circles", {"zh": "兴趣小组", "en": "Interest groups"},
                        filters=("trend",), search=("circle_id", "name"), sortable=("rank", "size", "health", "member_growth", "post_growth"),
                        order="rank"))
register_view(TableView("layers_circle_members", "layers_circle_members", {"zh": "小组成员", "en": "Circle members"},
                        filters=("circle_id", "seed"), search=("member_id",), sortable=("confidence", "ties", "terms"),
                        order="circle_id, confidence DESC", export=False))
register_view(TableView("layers_circle_leaders", "layers_circle_leaders", {"zh": "小组长人选", "en": "Suggested group leaders"},
                        filters=("circle_id", "stage"), search=("member_id", "name"), sortable=("rank", "score", "trusters"),
                        order="circle_id, rank", text_columns=("name",)))
register_view(TableView("layers_plaza", "layers_plaza", {"zh": "广场话题发起者", "en": "Plaza topic starters"},
                        search=("member_id", "name"), sortable=("rank", "score", "mean_repliers", "threads"), order="rank",
                        text_columns=("name",)))
register_view(TableView("layers_plaza_topics", "layers_plaza_topics", {"zh": "受欢迎话题", "en": "Topics that work"},
                        filters=("topic_type",), search=("topic",), sortable=("lift", "threads", "mean_repliers"),
                        order="lift DESC NULLS LAST"))
register_view(TableView("layers_council_candidates", "layers_council_candidates", {"zh": "顾问团候选", "en": "Council candidates"},
                        filters=("eligible", "stage", "circle_id"), search=("member_id", "name"), sortable=("quality", "tenure_days", "trusters"),
                        order="quality DESC", text_columns=("name",)))
register_view(TableView("layers_council", "layers_council", {"zh": "顾问团建议名单", "en": "Proposed council"},
                        search=("member_id", "name"), sortable=("seat",), order="seat", text_columns=("name",)))

register_sheet(Sheet("兴趣小组", "layers_circles", "rank"))
register_sheet(Sheet("小组长人选", "layers_circle_leaders", "circle_id, rank", ("name",)))
register_sheet(Sheet("广场话题发起者", "layers_plaza", "rank", ("name",)))
register_sheet(Sheet("受欢迎话题", "layers_plaza_topics", "lift DESC NULLS LAST"))
register_sheet(Sheet("顾问团候选", "layers_council_candidates", "quality DESC", ("name",)))
register_sheet(Sheet("顾问团建议名单", "layers_council", "seat", ("name",)))
