"""A control run (planted = false) plants no risk, and recognition_effect sets the planted uplift."""
from __future__ import annotations

import json

import pytest

from reef.errors import InvalidParameterError
from reef.simulate import SimulationSpec, simulate_to_store
from reef.store import open_store

SPEC = dict(members=500, days=90, seed=5)


def _scenarios(store):
    return {s: json.loads(p) for s, p in store.fetch_all("SELECT scenario, params FROM truth_scenarios")}


def _thread_scenarios(store):
    return dict(store.fetch_all("SELECT coalesce(scenario, '-'), count(*) FROM truth_content GROUP BY 1"))


def test_control_run_plants_no_risk_but_keeps_recognitions():
    planted, control = open_store(":memory:"), open_store(":memory:")
    simulate_to_store(planted, SimulationSpec(**SPEC))
    simulate_to_store(control, SimulationSpec(**SPEC, planted=False, recognition_effect=1.0))
    assert {"pr_crisis", "backlash", "burnout", "misinformation"} <= set(_scenarios(planted))
    assert set(_scenarios(control)) == {"campaign_ripple", "recognition_effect", "knowledge_gaps"}
    assert _scenarios(control)["recognition_effect"]["thread_rate_multiplier"] == 1.0
    risky = {"pr_crisis", "backlash", "misinformation", "faction_conflict"}
    assert risky & set(_thread_scenarios(planted))
    assert not risky & set(_thread_scenarios(control))
    assert control.fetch_value("SELECT count(*) FROM truth_members WHERE burnout_at IS NOT NULL") == 0
    assert control.fetch_value("SELECT count(*) FROM truth_members WHERE latent_type = 'misinformer'") == 0
    # Operators still recognise members in a control run.
    assert control.fetch_value("SELECT count(*) FROM operator_actions WHERE kind = 'recognise'") > 0
    # Same seed, same members: the control changes behaviour, not who is in the community.
    ids = "SELECT list(member_id ORDER BY member_id) FROM members"
    assert planted.fetch_value(ids) == control.fetch_value(ids)


@pytest.mark.parametrize("bad", [0.0, 9, "yes"])
def test_recognition_effect_validated(bad):
    with pytest.raises(InvalidParameterError, match="recognition_effect"):
        SimulationSpec(**SPEC, recognition_effect=bad)
