"""The knowledge-reef analyses: Q&A with best answers, repeated questions, essence, topic map, gaps,
and the breakwater's daily crisis timeline. All read the store as of ``as_of`` through the macros.

Example:
    >>> from reef.analyses.registry import REGISTRY
    >>> import reef.kb
    >>> REGISTRY["kb_gaps"].depends_on
    ('kb_qa',)
"""
from __future__ import annotations

from reef.analyses.registry import register_analysis
from reef.kb.clusters import write_clusters
from reef.kb.crisis import write_crisis_daily
from reef.kb.essence import write_essence
from reef.kb.gaps import write_gaps, write_topics
from reef.kb.qa import write_qa

__all__ = ["kb_qa", "kb_search", "kb_essence", "kb_gaps", "kb_crisis"]


@register_analysis("kb_qa", "6", depends_on=("text_features",), writes=("kb_questions", "kb_answers", "kb_clusters"),
                   title={"zh": "问答与重复问题", "en": "Q&A and repeated questions"},
                   description={"zh": "提问、按质量排序的回答（最佳回答记功）和重复问题聚类。"}, order=60)
def kb_qa(store, as_of, config) -> int:
    """Questions, ranked answers with the best one credited, and repeated-question clusters."""
    n = write_qa(store, as_of, config)
    write_clusters(store, as_of, config)
    return n


@register_analysis("kb_search", "2", depends_on=("kb_qa",), writes=("kb_semantic",),
                   title={"zh": "问答搜索模型", "en": "Search model"},
                   description={"zh": "在社区截至分析日期的帖子上训练 reef ask 用的 LSA 语义模型。"}, order=60)
def kb_search(store, as_of, config) -> int:
    """Train the community's LSA model for ``reef ask`` on its own threads as of ``as_of``."""
    from reef.kb.search import write_semantic

    return write_semantic(store, as_of, config)


@register_analysis("kb_essence", "3", depends_on=("text_features",), writes=("kb_essence",),
                   title={"zh": "精华内容", "en": "Essence"},
                   description={"zh": "有长期参考价值的帖子，带得分和理由。"}, order=61)
def kb_essence(store, as_of, config) -> int:
    """Posts of lasting reference value, scored and explained."""
    return write_essence(store, as_of, config)


@register_analysis("kb_gaps", "8", depends_on=("kb_qa",), writes=("kb_topics", "kb_gaps"),
                   title={"zh": "知识地图与缺口", "en": "Topic map and gaps"},
                   description={"zh": "知识地图（方面 × 车型 × 用车阶段）和待补的知识缺口。"}, order=62)
def kb_gaps(store, as_of, config) -> int:
    """Topic map (aspect x model x ownership stage) and the gaps to fill."""
    write_topics(store, as_of, config)
    return write_gaps(store, as_of, config)


@register_analysis("kb_crisis", "8", depends_on=("text_features",), writes=("crisis_daily",),
                   title={"zh": "舆情防波堤", "en": "Breakwater"},
                   description={"zh": "逐日、逐方面的负面浪潮检测，含缓冲、触达和具体信息。"}, order=63)
def kb_crisis(store, as_of, config) -> int:
    """Day-by-day negative-wave test per aspect with buffer, reach and specifics (kb_crisis 8: over crisis_history_days)."""
    return write_crisis_daily(store, as_of, config)
