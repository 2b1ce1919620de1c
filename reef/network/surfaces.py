"""Operator surfaces of the network capability: API views and Excel sheets.

Example:
    >>> from reef.actions.views import VIEWS
    >>> import reef.network.surfaces
    >>> "network_connectors" in VIEWS
    True
"""
from __future__ import annotations

from reef.actions.views import TableView, register_view
from reef.export.tables import Sheet, register_sheet

__all__: list[str] = []

register_view(TableView("network_connectors", "network_connectors", {"zh": "关键节点", "en": "Key connectors"},
                        filters=("role",), search=("member_id", "name"),
                        sortable=("rank", "score", "expertise", "brokerage", "reach", "followon", "distinct_others"),
                        order="rank", text_columns=("name",)))
register_view(TableView("network_boost", "network_boost", {"zh": "助推名单", "en": "Boost list"},
                        filters=("campaign_id", "ring"), search=("member_id", "name"), sortable=("engagement", "ring"),
                        order="engagement DESC", text_columns=("name", "snippet", "acknowledgement")))
register_view(TableView("network_helpers", "network_helpers", {"zh": "互助榜", "en": "Mutual help"},
                        filters=("paid_forward",), search=("member_id", "name"),
                        sortable=("rank", "help_credit", "people_helped", "mentees"), order="rank", text_columns=("name",)))
register_view(TableView("network_ripple", "network_ripple", {"zh": "涟漪扩散", "en": "Campaign ripples"},
                        date_column="adopted_at", filters=("campaign_id", "ring"), search=("member_id",),
                        sortable=("ring", "adopted_at"), order="campaign_id, ring, adopted_at"))

register_sheet(Sheet("关键节点", "network_connectors", "rank", ("name",)))
register_sheet(Sheet("助推名单", "network_boost", "campaign_id, engagement DESC", ("name", "snippet", "acknowledgement")))
register_sheet(Sheet("互助榜", "network_helpers", "rank", ("name",)))
