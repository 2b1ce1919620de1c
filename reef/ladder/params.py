"""The ladder's thresholds and weights, read once from the ``[ladder]`` configuration section.

Example:
    >>> from reef.config import load_config
    >>> p = LadderParams.from_config(load_config())
    >>> p.window_checkpoints, p.keep_ratio
    (13, 0.9)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

__all__ = ["LadderParams", "STAGE_NAMES", "STAFF_TYPES"]

# Operator-facing stage names (zh, en); index = stage number.
STAGE_NAMES = (("沉默", "silent"), ("参与者", "participant"), ("创作者", "creator"),
               ("连接者", "connector"), ("引领者", "leader"))
STAFF_TYPES = ("staff", "brand", "bot")


@dataclass(frozen=True)
class LadderParams:
    window_days: int = 90
    checkpoint_days: int = 7
    history_days: int = 364
    grace_days: int = 14
    keep_ratio: float = 0.9
    newcomer_days: int = 30
    participant_min_acts: float = 15
    short_reply_chars: int = 20
    creator_min_items: float = 4
    original_min_chars: int = 30
    connector_min_helped: float = 3
    connector_min_points: float = 3.0
    praise_points: float = 0.5
    disagree_points: float = 0.5
    group_points: float = 0.25
    helped_min_likes: float = 1.0
    leader_min_acts: float = 2
    guide_min_chars: int = 100
    guide_min_uses: int = 10
    hostile_max: int = 2
    new_account_like_weight: float = 0.3
    lurker_like_weight: float = 0.6
    anonymous_like_weight: float = 1.0
    ring_min_mutual: int = 1
    ring_fast_hours: int = 1
    ring_min_partners: int = 2
    ring_weight: float = 0.1
    burst_min_likes: int = 5
    burst_hours: int = 1
    burst_account_days: int = 7
    burst_weight: float = 0.1
    potential_next_share: float = 0.6
    potential_half_mass: float = 6.0
    help_credit_weight: float = 1.0
    help_credit_points: float = 0.25
    alert_hours: int = 24
    stuck_days: int = 60
    contest_text_weight: float = 0.35
    contest_originality_weight: float = 0.25
    contest_media_weight: float = 0.15
    contest_engagement_weight: float = 0.25
    toxic_threshold: float = 0.5
    attack_toxicity: float = 0.7

    @classmethod
    def from_config(cls, config) -> "LadderParams":
        """Every ``ladder.*`` key plus the text layer's toxicity thresholds."""
        section = config.section("ladder")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in section.items() if k in known}
        values["toxic_threshold"] = float(config.get("text.toxic_threshold"))
        values["attack_toxicity"] = float(config.get("text.attack_toxicity"))
        return cls(**values)

    @property
    def window_checkpoints(self) -> int:
        # The window is a whole number of checkpoint buckets so rolling sums are exact differences.
        return max(1, math.ceil(self.window_days / self.checkpoint_days))

    @property
    def history_checkpoints(self) -> int:
        return max(1, self.history_days // self.checkpoint_days)

    @property
    def grace_checkpoints(self) -> int:
        return max(1, math.ceil(self.grace_days / self.checkpoint_days))
