"""Stage thresholds scaled to the community's own pace (``ladder.scale_to_community``, off by default).

The issue keeps thresholds in config "per community", and the seed's first filter picks the members who
interact more often *than others*. The defaults were chosen on a simulated community where an active member
makes about ``scale_reference_acts`` (45) acts in the window. A slower community (a meta site, a new
brand club) gets the count thresholds of stages 1-3 multiplied by its own acts per active member divided by
that reference, so its members can still climb:

* scaled: ``participant_min_acts``, ``creator_min_items``, ``connector_min_helped``, ``connector_min_points``;
* never above the defaults (a busy community keeps them: they already say what each stage means);
* never below one act for stage 1 (any interaction is the step out of silence) nor below
  ``scale_min_repeats`` (2) for stages 2 and 3 (original content and help "more than once", issue 5);
* not scaled: stage 4 (``leader_min_acts``) and ``guide_min_uses``: a leader is recognised by the kind of act
  (unprompted value creation), not by how often, and the requirement is already two acts.

One factor per run, from the window ending at ``as_of``; the timeline replay uses the same scaled thresholds
(as if the community had configured them), so stages and their history stay consistent.

Example:
    >>> import numpy as np
    >>> p = LadderParams(scale_to_community=True, scale_reference_acts=45.0)
    >>> q, f = scaled_params(p, np.array([0, 3, 6, 9]))   # 3 active members, 6 acts each on average
    >>> round(f, 3), round(q.participant_min_acts, 2), q.creator_min_items, q.leader_min_acts
    (0.133, 2.0, 2.0, 2)
    >>> scaled_params(LadderParams(scale_to_community=False), np.array([1, 2]))[1]
    1.0
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from reef.ladder.params import LadderParams

__all__ = ["community_factor", "scaled_params", "SCALED_THRESHOLDS"]

# Threshold -> which floor applies ("act": one act, "repeat": scale_min_repeats).
SCALED_THRESHOLDS = {"participant_min_acts": "act", "creator_min_items": "repeat",
                     "connector_min_helped": "repeat", "connector_min_points": "repeat"}


def community_factor(window_acts: np.ndarray, p: LadderParams) -> float:
    """Acts per active member (>= 1 act in the window) over ``scale_reference_acts``, capped at 1.

    A window with no active member keeps the defaults (factor 1): there is no pace to scale to.
    """
    acts = np.asarray(window_acts, dtype=float)
    active = acts > 0
    if not active.any() or p.scale_reference_acts <= 0:
        return 1.0
    return float(min(1.0, acts[active].mean() / p.scale_reference_acts))


def scaled_params(p: LadderParams, window_acts: np.ndarray) -> tuple[LadderParams, float]:
    """``p`` with the stage 1-3 count thresholds scaled (when ``scale_to_community``), and the factor used."""
    if not p.scale_to_community:
        return p, 1.0
    f = community_factor(window_acts, p)
    floors = {"act": 1.0, "repeat": float(p.scale_min_repeats)}
    new = {k: max(min(floors[kind], getattr(p, k)), getattr(p, k) * f) for k, kind in SCALED_THRESHOLDS.items()}
    return replace(p, **new), f
