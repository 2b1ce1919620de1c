"""The trend (momentum) in absolute and community-relative form."""
from __future__ import annotations

import numpy as np

from reef.ladder.params import LadderParams
from reef.ladder.stages import trend


def test_a_lull_everyone_shares_reads_as_lapsing_only_in_absolute_form():
    recent = np.array([2.0, 4.0, 0.0])     # 4 recent weekly buckets
    earlier = np.array([26.0, 26.0, 13.0])  # 13 earlier buckets: everyone at a quarter of the earlier pace or less
    absolute = trend(recent, earlier, LadderParams(potential_trend_relative=False))
    relative = trend(recent, earlier, LadderParams(potential_trend_relative=True))
    assert (absolute < 0.5).all()
    # Relative to the community, the member who kept most of their pace reads as rising, the silent one as lapsed.
    assert relative[1] > 0.5 > relative[0] and relative[2] == 0.0
    assert np.argsort(absolute).tolist() == np.argsort(relative).tolist()  # order kept for equal earlier paces here


def test_relative_trend_falls_back_to_absolute_without_community_activity():
    recent, earlier = np.array([0.0, 0.0]), np.array([13.0, 0.0])
    p_rel, p_abs = LadderParams(potential_trend_relative=True), LadderParams(potential_trend_relative=False)
    assert trend(recent, earlier, p_rel).tolist() == trend(recent, earlier, p_abs).tolist() == [0.0, 0.0]


def test_default_is_absolute():
    assert LadderParams().potential_trend_relative is False
