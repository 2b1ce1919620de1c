"""Shared pieces of the risk radar: part scores, change points, the member/content base queries.

A *part* is one measured symptom (e.g. "weekly active contributors fell 40% below their
baseline") turned into a 0-100 score by a linear ramp between an "ok" and a "bad" level, both in
``[risks]`` of reef/defaults.toml. A family's score combines its parts (see :func:`family_score`).

Example:
    >>> ramp(0.3, ok=0.1, bad=0.5)
    50.0
    >>> family_score([Part("a", 1.0, 80.0), Part("b", 0.0, 0.0)])
    60.0
    >>> change_point([5, 5, 5, 5, 1, 1, 1])[0]
    4
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Part", "FamilyResult", "ramp", "family_score", "change_point", "level", "MEMBER_POSTS", "ORIGINAL_KINDS"]

# Kinds that start a conversation or publish work (not replies): used for "posts" and share of voice.
ORIGINAL_KINDS = ("thread", "photo", "video", "guide", "event", "poll")

# Content written by non-staff members, as of $ts, with its text features (features may be missing
# for items not yet enriched: LEFT JOIN keeps them in the activity counts).
MEMBER_POSTS = """
SELECT c.content_id, c.kind, c.author_id, c.created_at, c.parent_id, c.thread_id, c.group_id,
       m.joined_at, f.sentiment, f.intents, f.toxicity, f.aspect_names, f.claims, f.minhash
FROM content_at($ts) c
JOIN members_at($ts) m ON m.member_id = c.author_id AND m.account_type = 'member'
LEFT JOIN content_features f ON f.content_id = c.content_id
WHERE c.kind <> 'poll_vote'
"""


@dataclass
class Part:
    """One measured symptom: raw ``value``, its ``score`` 0-100 and a sentence in both languages."""

    name: str
    value: float | None
    score: float
    baseline: float | None = None
    note_zh: str = ""
    note_en: str = ""


@dataclass
class FamilyResult:
    """Parts, drill-down evidence rows and alert rows of one risk family."""

    family: str
    parts: list[Part] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)


def ramp(value: float | None, *, ok: float, bad: float) -> float:
    """0 at ``ok`` (or better), 100 at ``bad`` (or worse), linear between; works both ways round."""
    if value is None or not np.isfinite(value) or ok == bad:
        return 0.0
    return round(float(np.clip((value - ok) / (bad - ok), 0.0, 1.0)) * 100.0, 1)


def family_score(parts: list[Part]) -> float:
    """Half the worst part plus half the mean: one acute symptom is visible, broad malaise counts too."""
    if not parts:
        return 0.0
    scores = [p.score for p in parts]
    return round(0.5 * max(scores) + 0.5 * float(np.mean(scores)), 1)


def level(score: float, alert: float, high: float) -> str:
    """'high' / 'medium' / 'low' for a 0-100 score against the configured alert and high levels."""
    return "high" if score >= high else "medium" if score >= alert else "low"


def change_point(series: list[float] | np.ndarray, min_seg: int = 2) -> tuple[int | None, float]:
    """Best single mean-shift split of a series (least squares), as (index of the first point after
    the shift, shift in units of the pooled standard deviation); (None, 0) when too short."""
    x = np.asarray(series, dtype=float)
    n = len(x)
    if n < 2 * min_seg:
        return None, 0.0
    csum, csq = np.cumsum(x), np.cumsum(x * x)
    best, best_k = np.inf, None
    for k in range(min_seg, n - min_seg + 1):
        left = csq[k - 1] - csum[k - 1] ** 2 / k
        right = (csq[-1] - csq[k - 1]) - (csum[-1] - csum[k - 1]) ** 2 / (n - k)
        if left + right < best:
            best, best_k = left + right, k
    if best_k is None:
        return None, 0.0
    sd = np.sqrt(best / max(n - 2, 1)) or 1e-9
    shift = (x[best_k:].mean() - x[:best_k].mean()) / max(sd, 1e-9)
    return int(best_k), round(float(shift), 2)
