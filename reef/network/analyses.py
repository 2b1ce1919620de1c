"""The network analyses: graph edges, key connectors, campaign ripples, the mutual-help ledger.

``network_graph`` writes ``network_edges`` (one row per tie and kind, decayed weight; advanced from its
last state when only later data arrived, see ``reef.network.incremental``) and
``network_members`` (per-member in/out summary); ``network_connectors`` the connector scores with
their parts; ``network_ripple`` the rings of every campaign with seeds; ``network_helpers`` the help
acts, mentorship ties and the leaderboard. All read the store as of ``as_of``.

Example:
    >>> from reef.analyses.registry import REGISTRY
    >>> import reef.network
    >>> REGISTRY["network_connectors"].depends_on
    ('network_graph',)
"""
from __future__ import annotations

from reef.analyses.registry import register_analysis
from reef.network.connectors import write_connectors
from reef.network.incremental import refresh_edges
from reef.network.helpers import write_helpers
from reef.network.ripple import write_campaign_ripples

__all__ = ["network_graph", "network_connectors", "network_ripple", "network_helpers"]


@register_analysis("network_graph", "2", depends_on=("text_features",), writes=("network_edges", "network_members"),
                   title={"zh": "互动网络", "en": "Interaction graph"},
                   description={"zh": "成员账号之间有向、加权、随时间衰减的互动关系（能增量更新时增量更新）。"}, order=40)
def network_graph(store, as_of, config) -> int:
    """Directed, weighted, time-decayed ties between member accounts (updated incrementally when it can)."""
    refresh_edges(store, as_of, config)
    store.execute("""
        CREATE OR REPLACE TABLE network_members AS
        WITH o AS (SELECT src AS member_id, sum(weight) AS out_weight, count(DISTINCT dst) AS out_partners FROM network_edges GROUP BY 1),
        i AS (SELECT dst AS member_id, sum(weight) AS in_weight, count(DISTINCT src) AS in_partners,
                     sum(n) FILTER (WHERE kind = 'ask') AS asked_by, sum(n) FILTER (WHERE kind = 'like') AS likes_received
              FROM network_edges GROUP BY 1)
        SELECT member_id, coalesce(in_weight, 0) AS in_weight, coalesce(out_weight, 0) AS out_weight,
               coalesce(in_partners, 0) AS in_partners, coalesce(out_partners, 0) AS out_partners,
               coalesce(asked_by, 0) AS asked_by, coalesce(likes_received, 0) AS likes_received
        FROM o FULL JOIN i USING (member_id)""")
    return int(store.fetch_value("SELECT count(*) FROM network_edges"))


@register_analysis("network_connectors", "2", depends_on=("network_graph",), writes=("network_connectors",),
                   title={"zh": "关键节点", "en": "Key connectors"},
                   description={"zh": "每位成员的专长排名（ExpertiseRank）、桥接度、衰减触达、后续回复和信任者人数。"}, order=41)
def network_connectors(store, as_of, config) -> int:
    """ExpertiseRank, brokerage, decayed reach, follow-on replies and distinct trusters per member."""
    return write_connectors(store, as_of, config)


@register_analysis("network_ripple", "4", depends_on=("network_graph",), writes=("network_ripple", "network_boost"),
                   title={"zh": "涟漪扩散", "en": "Campaign ripples"},
                   description={"zh": "每个指定了种子成员的活动逐圈扩散的情况，以及助推名单。"}, order=42)
def network_ripple(store, as_of, config) -> int:
    """Ring-by-ring adoption of every campaign that names its seed members, and the boost list."""
    return write_campaign_ripples(store, as_of, config)


@register_analysis("network_helpers", "3", depends_on=("text_features",),
                   writes=("network_help_acts", "network_mentorships", "network_helpers"),
                   title={"zh": "互助榜", "en": "Mutual help"},
                   description={"zh": "帮助行为、带教关系、传递帮助和互助排行榜。"}, order=43)
def network_helpers(store, as_of, config) -> int:
    """Help acts, mentorship ties, pay-it-forward and the help leaderboard."""
    return write_helpers(store, as_of, config)
