"""The ladder's thresholds and weights, read once from the ``[ladder]`` configuration section.

The dataclass defaults are the packaged ``defaults.toml`` values (read once at import), so a
threshold is written in one place only; ``LadderParams()`` equals the packaged configuration.

Example:
    >>> from reef.config import load_config
    >>> p = LadderParams.from_config(load_config())
    >>> p.window_checkpoints, p.keep_ratio
    (13, 0.9)
    >>> LadderParams().participant_min_acts == LadderParams.from_config(load_config()).participant_min_acts
    True
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

from reef.config import packaged_defaults
from reef.errors import InvalidParameterError

__all__ = ["LadderParams", "STAGE_NAMES", "STAFF_TYPES"]

# Operator-facing stage names (zh, en); index = stage number.
STAGE_NAMES = (("沉默", "silent"), ("参与者", "participant"), ("创作者", "creator"),
               ("连接者", "connector"), ("引领者", "leader"))
STAFF_TYPES = ("staff", "brand", "bot")

_TEXT = packaged_defaults("text")
_DEFAULTS = {**packaged_defaults("ladder"), "toxic_threshold": _TEXT["toxic_threshold"],
             "attack_toxicity": _TEXT["attack_toxicity"], "lean_score": packaged_defaults("kb")["crisis_lean_score"]}


def _d(key: str):
    return _DEFAULTS[key]


# Allowed range per key: (low, high, low is excluded). Checked when the parameters are built (from the
# configuration or by hand), so a bad setting fails at load with the key named, not as a ZeroDivisionError later.
_POSITIVE, _NON_NEGATIVE, _SHARE = (0, None, True), (0, None, False), (0, 1, False)
_CHECKS = {
    **dict.fromkeys(("window_days", "checkpoint_days", "history_days", "participant_min_acts", "creator_min_items",
                     "connector_min_helped", "connector_min_points", "leader_min_acts", "guide_min_uses", "hostile_max",
                     "ring_min_mutual", "ring_min_partners", "burst_min_likes", "burst_hours", "potential_half_mass",
                     "potential_half_life_days", "potential_recent_days", "scale_reference_acts", "scale_min_repeats",
                     "rising_ratio", "alert_hours"), _POSITIVE),
    **dict.fromkeys(("grace_days", "newcomer_days", "short_reply_chars", "original_min_chars", "guide_min_chars",
                     "praise_points", "disagree_points", "group_points", "helped_min_likes", "ring_fast_hours",
                     "burst_account_days", "anonymous_like_weight", "potential_people_weight", "potential_lifetime_weight",
                     "help_credit_weight", "help_credit_points", "stuck_days", "alert_backlog_days", "contest_text_weight",
                     "contest_originality_weight", "contest_media_weight", "contest_engagement_weight"), _NON_NEGATIVE),
    "contest_exposure_days": (0, None, True),
    **dict.fromkeys(("new_account_like_weight", "lurker_like_weight", "ring_weight", "burst_weight", "potential_next_share",
                     "potential_trend_weight"), _SHARE),
    "keep_ratio": (0, 1, True),
    **dict.fromkeys(("potential_trend_relative", "scale_to_community"), (None, None, False)),
}


def _check(name: str, value, kind, low, high, open_low) -> None:
    """Raise InvalidParameterError (key, value, what is expected) unless ``value`` has the field's type and range."""
    kind = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    if kind == "bool":
        if not isinstance(value, bool):
            raise InvalidParameterError(f"ladder.{name}", value, "true or false")
        return
    whole = kind == "int"
    ok_type = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and \
        (not whole or float(value).is_integer())
    low_txt = f"{'greater than' if open_low else 'at least'} {low}"
    expected = f"{'a whole number' if whole else 'a number'} {low_txt}" + (f" and at most {high}" if high is not None else "")
    if not ok_type or value < low or (open_low and value == low) or (high is not None and value > high):
        raise InvalidParameterError(f"ladder.{name}", value, expected,
                                    hint="Fix it in the [ladder] section of the configuration file (docs/configuration.md).")


@dataclass(frozen=True)
class LadderParams:
    window_days: int = _d("window_days")
    checkpoint_days: int = _d("checkpoint_days")
    history_days: int = _d("history_days")
    grace_days: int = _d("grace_days")
    keep_ratio: float = _d("keep_ratio")
    newcomer_days: int = _d("newcomer_days")
    participant_min_acts: float = _d("participant_min_acts")
    short_reply_chars: int = _d("short_reply_chars")
    creator_min_items: float = _d("creator_min_items")
    original_min_chars: int = _d("original_min_chars")
    connector_min_helped: float = _d("connector_min_helped")
    connector_min_points: float = _d("connector_min_points")
    praise_points: float = _d("praise_points")
    disagree_points: float = _d("disagree_points")
    group_points: float = _d("group_points")
    helped_min_likes: float = _d("helped_min_likes")
    leader_min_acts: float = _d("leader_min_acts")
    guide_min_chars: int = _d("guide_min_chars")
    guide_min_uses: int = _d("guide_min_uses")
    hostile_max: int = _d("hostile_max")
    new_account_like_weight: float = _d("new_account_like_weight")
    lurker_like_weight: float = _d("lurker_like_weight")
    anonymous_like_weight: float = _d("anonymous_like_weight")
    ring_min_mutual: int = _d("ring_min_mutual")
    ring_fast_hours: int = _d("ring_fast_hours")
    ring_min_partners: int = _d("ring_min_partners")
    ring_weight: float = _d("ring_weight")
    burst_min_likes: int = _d("burst_min_likes")
    burst_hours: int = _d("burst_hours")
    burst_account_days: int = _d("burst_account_days")
    burst_weight: float = _d("burst_weight")
    potential_next_share: float = _d("potential_next_share")
    potential_half_mass: float = _d("potential_half_mass")
    potential_half_life_days: float = _d("potential_half_life_days")
    potential_recent_days: int = _d("potential_recent_days")
    potential_trend_weight: float = _d("potential_trend_weight")
    potential_trend_relative: bool = _d("potential_trend_relative")
    potential_people_weight: float = _d("potential_people_weight")
    potential_lifetime_weight: float = _d("potential_lifetime_weight")
    scale_to_community: bool = _d("scale_to_community")
    scale_reference_acts: float = _d("scale_reference_acts")
    scale_min_repeats: float = _d("scale_min_repeats")
    rising_ratio: float = _d("rising_ratio")
    help_credit_weight: float = _d("help_credit_weight")
    help_credit_points: float = _d("help_credit_points")
    alert_hours: int = _d("alert_hours")
    alert_backlog_days: int = _d("alert_backlog_days")
    stuck_days: int = _d("stuck_days")
    contest_text_weight: float = _d("contest_text_weight")
    contest_originality_weight: float = _d("contest_originality_weight")
    contest_media_weight: float = _d("contest_media_weight")
    contest_engagement_weight: float = _d("contest_engagement_weight")
    contest_exposure_days: float = _d("contest_exposure_days")
    toxic_threshold: float = _d("toxic_threshold")
    attack_toxicity: float = _d("attack_toxicity")
    lean_score: float = _d("lean_score")  # kb.crisis_lean_score: a post leaning negative is no welcome (the wave's rule)

    def __post_init__(self) -> None:
        for f in fields(self):
            check = _CHECKS.get(f.name)
            if check is not None:
                _check(f.name, getattr(self, f.name), f.type, *check)

    @classmethod
    def from_config(cls, config) -> "LadderParams":
        """Every ``ladder.*`` key plus the text layer's toxicity thresholds and the breakwater's ``kb.crisis_lean_score``."""
        section = config.section("ladder")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in section.items() if k in known}
        values["toxic_threshold"] = float(config.get("text.toxic_threshold"))
        values["attack_toxicity"] = float(config.get("text.attack_toxicity"))
        values["lean_score"] = float(config.get("kb.crisis_lean_score"))
        return cls(**values)

    @property
    def alert_backlog_hours(self) -> int:
        """How far back ``ladder_alerts`` looks: ``alert_backlog_days`` in hours, never less than ``alert_hours``."""
        return max(int(self.alert_hours), 24 * int(self.alert_backlog_days))

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

    @property
    def recent_checkpoints(self) -> int:
        # The "recent" part of the trend: whole checkpoint buckets, at least one.
        return max(1, math.ceil(self.potential_recent_days / self.checkpoint_days))

    @property
    def decay_norm(self) -> float:
        """Scale that turns a bucket-decayed sum into a window-equivalent count.

        A member acting at a steady pace gets the same number from the decayed sum as from the window,
        so decayed measures can be compared with the stage requirements.
        """
        per_bucket = 2.0 ** (-self.checkpoint_days / self.potential_half_life_days)
        total = 2.0 ** (-0.5 * self.checkpoint_days / self.potential_half_life_days) / (1.0 - per_bucket)
        return self.window_checkpoints / total
