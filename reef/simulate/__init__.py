"""The built-in simulator: a synthetic Chinese car-owner community with ground truth.

Members have latent types and interests; behaviour unfolds day by day; planted scenarios
(PR crisis, misinformation, faction conflict, heat death, burnout, a seeded campaign's
ripple, backlash, a recognition effect, a like ring, narrative dilution, knowledge gaps)
are recorded in ``truth_*`` tables. Deterministic by seed; streams chunk by chunk.
See docs/simulator.md.

Example:
    >>> from reef.store import open_store
    >>> summary = simulate_to_store(open_store(":memory:"), SimulationSpec(members=100, days=14, seed=1))
    >>> summary.as_dict()["counts"]["members"]
    100
"""
from __future__ import annotations

from reef.simulate.sinks import SimulationSummary, simulate_to_parquet, simulate_to_store
from reef.simulate.spec import SimulationSpec

__all__ = ["SimulationSpec", "SimulationSummary", "simulate_to_store", "simulate_to_parquet"]
