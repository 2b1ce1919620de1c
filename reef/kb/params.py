"""The knowledge reef's and breakwater's thresholds, read once from the ``[kb]`` configuration section.

Example:
    >>> from reef.config import load_config
    >>> KbParams.from_config(load_config()).crisis_baseline_weeks
    4
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from reef.config import packaged_defaults

__all__ = ["KbParams", "STAGES"]

# Field defaults are the packaged [kb] values: a threshold is written in defaults.toml only.
_KB = packaged_defaults("kb")

# Ownership stages of the topic map (zh, en, cue words); the first cue that matches wins.
STAGES = (
    ("购车", "purchase", ("订车", "下定", "购车", "落地价", "优惠", "选配", "哪个配置", "值得买", "试驾", "贷款")),
    ("提车", "delivery", ("提车", "交付", "验车", "交车", "等车")),
    ("充电", "charging", ("充电", "充电桩", "家充", "快充", "超充", "慢充")),
    ("冬季", "winter", ("冬天", "冬季", "零下", "低温", "北方", "预热")),
    ("长途", "long trip", ("长途", "自驾", "高速", "跑长途", "服务区")),
    ("保养", "maintenance", ("保养", "维修", "更换", "售后", "机油", "轮胎", "召回", "4s")),
    ("改装", "modification", ("改装", "贴膜", "轮毂", "加装", "音响升级")),
)
DAILY = ("日常用车", "daily use")


@dataclass(frozen=True)
class KbParams:
    w_accept: float = _KB["w_accept"]
    best_answer_model: str = _KB["best_answer_model"]
    poor_answer_score: float = _KB["poor_answer_score"]
    cluster_similarity: float = _KB["cluster_similarity"]
    cluster_density: float = _KB["cluster_density"]
    gap_min_asked: int = _KB["gap_min_asked"]
    essence_late_days: int = _KB["essence_late_days"]
    stale_days: int = _KB["stale_days"]
    version_min_authors: int = _KB["version_min_authors"]
    search_top: int = _KB["search_top"]
    crisis_window_hours: int = _KB["crisis_window_hours"]
    crisis_baseline_days: int = _KB["crisis_baseline_days"]
    crisis_baseline_weeks: int = _KB["crisis_baseline_weeks"]
    crisis_weekday_shrink: float = _KB["crisis_weekday_shrink"]
    crisis_alpha: float = _KB["crisis_alpha"]
    crisis_min_count: int = _KB["crisis_min_count"]
    crisis_min_ratio: float = _KB["crisis_min_ratio"]
    crisis_floor: float = _KB["crisis_floor"]
    crisis_min_new_authors: int = _KB["crisis_min_new_authors"]
    crisis_new_authors_per_1k: float = _KB["crisis_new_authors_per_1k"]
    crisis_new_author_days: int = _KB["crisis_new_author_days"]
    crisis_persistence: int = _KB["crisis_persistence"]
    crisis_count_outsiders: bool = _KB["crisis_count_outsiders"]
    crisis_skip_alarms: bool = _KB["crisis_skip_alarms"]
    crisis_lean_score: float = _KB["crisis_lean_score"]
    crisis_roots_only: bool = _KB["crisis_roots_only"]
    crisis_buffer_days: int = _KB["crisis_buffer_days"]
    crisis_history_days: int = _KB["crisis_history_days"]
    crisis_topic_terms: int = _KB["crisis_topic_terms"]
    crisis_topic_min_terms: int = _KB["crisis_topic_min_terms"]
    crisis_surface_per_author: int = _KB["crisis_surface_per_author"]
    crisis_core_stage: int = _KB["crisis_core_stage"]
    crisis_recent_days: int = _KB["crisis_recent_days"]
    crisis_alert_high_ratio: float = _KB["crisis_alert_high_ratio"]
    crisis_alert_high_p: float = _KB["crisis_alert_high_p"]
    crisis_side_tag_share: float = _KB["crisis_side_tag_share"]

    @classmethod
    def from_config(cls, config) -> "KbParams":
        """Read every field from ``[kb]`` (missing keys keep the defaults above)."""
        section = config.section("kb") if config is not None else {}
        return cls(**{f.name: type(f.default)(section[f.name]) for f in fields(cls) if f.name in section})
