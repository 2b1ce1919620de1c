"""The knowledge reef's and breakwater's thresholds, read once from the ``[kb]`` configuration section.

Example:
    >>> from reef.config import load_config
    >>> KbParams.from_config(load_config()).crisis_baseline_weeks
    4
"""
from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["KbParams", "STAGES"]

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
    w_accept: float = 10.0
    best_answer_model: str = "builtin"
    poor_answer_score: float = 0.0
    cluster_similarity: float = 0.6
    gap_min_asked: int = 2
    essence_late_days: int = 7
    stale_days: int = 180
    version_min_authors: int = 3
    search_top: int = 10
    crisis_window_hours: int = 24
    crisis_baseline_days: int = 28
    crisis_baseline_weeks: int = 4
    crisis_weekday_shrink: float = 4.0
    crisis_alpha: float = 0.05
    crisis_min_count: int = 5
    crisis_min_ratio: float = 2.0
    crisis_floor: float = 1.0
    crisis_min_new_authors: int = 5
    crisis_new_authors_per_1k: float = 10.0
    crisis_new_author_days: int = 60
    crisis_persistence: int = 1
    crisis_count_outsiders: bool = False
    crisis_lean_score: float = -0.05
    crisis_roots_only: bool = True
    crisis_buffer_days: int = 180

    @classmethod
    def from_config(cls, config) -> "KbParams":
        """Read every field from ``[kb]`` (missing keys keep the defaults above)."""
        section = config.section("kb") if config is not None else {}
        return cls(**{f.name: type(f.default)(section[f.name]) for f in fields(cls) if f.name in section})
