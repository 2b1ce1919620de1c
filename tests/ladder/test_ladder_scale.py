"""Stage thresholds scaled to the community's pace (ladder.scale_to_community, off by default)."""
from __future__ import annotations

import numpy as np
import pytest

from reef.ladder import compute_ladder
from reef.ladder.params import LadderParams
from reef.ladder.scale import community_factor, scaled_params

from .conftest import AS_OF

ON = LadderParams(scale_to_community=True, scale_reference_acts=45.0, scale_min_repeats=2)


def test_off_by_default_and_then_thresholds_are_untouched():
    p = LadderParams()
    assert p.scale_to_community is False
    q, f = scaled_params(p, np.array([1, 2, 3]))
    assert q is p and f == 1.0


def test_slow_community_scales_stage_1_to_3_with_floors_and_leaves_stage_4():
    acts = np.array([0, 0, 9, 9, 9, 9])  # four active members, 9 acts each: a fifth of the reference pace
    q, f = scaled_params(ON, acts)
    assert f == pytest.approx(0.2)
    assert q.participant_min_acts == pytest.approx(3.0)           # 15 x 0.2
    assert q.creator_min_items == 2.0                              # 4 x 0.2 = 0.8, floored at "more than once"
    assert q.connector_min_helped == 2.0 and q.connector_min_points == 2.0
    assert q.leader_min_acts == ON.leader_min_acts and q.guide_min_uses == ON.guide_min_uses


def test_stage_1_floor_is_one_act():
    q, f = scaled_params(ON, np.array([1, 1, 1]))
    assert f == pytest.approx(1 / 45)
    assert q.participant_min_acts == 1.0


def test_busy_or_empty_community_keeps_the_defaults():
    assert community_factor(np.array([100, 200]), ON) == 1.0   # never above the defaults
    assert community_factor(np.array([0, 0]), ON) == 1.0       # nobody active: nothing to scale to
    q, _ = scaled_params(ON, np.array([90, 90]))
    assert q.participant_min_acts == ON.participant_min_acts and q.creator_min_items == ON.creator_min_items


def _stages(store, overrides):
    cfg = store.config.with_overrides(overrides) if overrides else store.config
    compute_ladder(store, AS_OF, cfg)
    return {m: (st, a, sc) for m, st, a, sc in store.fetch_all(
        "SELECT member_id, stage, acts, threshold_scale FROM ladder_members")}


def test_members_of_a_slow_community_climb_when_scaled(handmade):
    off = _stages(handmade, {})
    on = _stages(handmade, {"ladder.scale_to_community": True})
    assert {v[2] for v in off.values()} == {1.0}
    active = [a for _, a, _ in on.values() if a > 0]
    factor = np.mean(active) / 45.0
    assert factor < 1 and {v[2] for v in on.values()} == {round(factor, 4)}
    # camp has 3 low-cost acts: below the default 15, above 15 x factor.
    assert off["camp"][1] == 3 and off["camp"][0] == 0 and on["camp"][0] == 1
    # One act stays below the scaled stage-1 bar (2.6 acts here): the floor of one act is not reached.
    assert on["n1"][1] == 1 and on["n1"][0] == 0
    # Stage 4 is not scaled; nobody goes down.
    assert on["lead"][0] == off["lead"][0] == 4
    assert all(on[m][0] >= off[m][0] for m in off)
    assert sum(on[m][0] > off[m][0] for m in off) >= 2
