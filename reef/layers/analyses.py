"""The layers analyses (seed 004): interest groups, the open plaza and the advisory council.

* ``layers_groups`` writes ``layers_circle_members``, ``layers_circles`` (names, size, growth, health,
  leaders) and ``layers_circle_leaders`` (docs/layers.md);
* ``layers_plaza`` writes ``layers_plaza`` (topic starters) and ``layers_plaza_topics`` (topics that work);
* ``layers_council`` writes ``layers_council_candidates``, ``layers_council`` (the slate for
  ``council_seats``) and ``layers_council_coverage``.

Example:
    >>> from reef.analyses import discover
    >>> discover()["layers_council"].depends_on
    ('layers_groups', 'ladder', 'risks', 'network_graph')
"""
from __future__ import annotations

from reef.analyses.registry import register_analysis
from reef.layers.common import layer_params
from reef.layers.council import write_council
from reef.layers.groups import fit_circles, write_circles
from reef.layers.health import add_health
from reef.layers.leaders import write_leaders
from reef.layers.plaza import write_plaza

__all__ = ["layers_groups", "layers_plaza", "layers_council", "GROUP_TABLES", "PLAZA_TABLES", "COUNCIL_TABLES"]

GROUP_TABLES = ("layers_circle_members", "layers_circles", "layers_circle_leaders")
PLAZA_TABLES = ("layers_plaza", "layers_plaza_topics")
COUNCIL_TABLES = ("layers_council_candidates", "layers_council", "layers_council_coverage")


@register_analysis("layers_groups", "6", depends_on=("text_features", "network_graph", "network_helpers", "ladder", "risks"),
                   writes=GROUP_TABLES, title={"zh": "兴趣小组", "en": "Interest groups"},
                   description={"zh": "由互动关系和用词得出的兴趣圈子：名称、规模、增长、健康度和建议的组长。"}, order=70)
def layers_groups(store, as_of, config) -> int:
    """Interest circles from ties and terms: names, size, growth, health and suggested leaders."""
    p = layer_params(config)
    assigned = write_circles(store, as_of, fit_circles(store, as_of, p), p)
    add_health(store, as_of, p)
    write_leaders(store, as_of, p)
    return assigned


@register_analysis("layers_plaza", "3", depends_on=("text_features", "layers_groups", "ladder", "risks"), writes=PLAZA_TABLES,
                   title={"zh": "开放广场", "en": "Open plaza"},
                   description={"zh": "帖子能吸引众多、多样、新的且友善回复者的发起人，以及行之有效的话题。"}, order=71)
def layers_plaza(store, as_of, config) -> int:
    """Topic starters whose threads draw many, diverse, new and friendly repliers; the topics that work."""
    return write_plaza(store, as_of, layer_params(config))


@register_analysis("layers_council", "2", depends_on=("layers_groups", "ladder", "risks", "network_graph"),
                   writes=COUNCIL_TABLES, title={"zh": "核心顾问团", "en": "Advisory council"},
                   description={"zh": "顾问团候选人（入驻时长、广泛信任、建设性记录）和一份均衡的名单及其覆盖面。"}, order=72)
def layers_council(store, as_of, config) -> int:
    """Council candidates (tenure, broad trust, constructive record) and a balanced slate with its coverage."""
    return write_council(store, as_of, layer_params(config))
