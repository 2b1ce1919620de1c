"""scripts/dilution_oracle_bound.py: the oracle's CUSUM, its control-fixed level and the 7-day verdict on series
whose answer is known by hand."""
from __future__ import annotations

import math

import numpy as np

from tests.conftest import load_script


def _script():
    return load_script("dilution_oracle_bound")


def test_oracle_alarms_when_the_known_shortfall_reaches_the_level():
    m = _script()
    # 40 posts a day; the share halves from above the target to 0.015 on day 100, and the naming posts are exactly expected.
    share = np.where(np.arange(m.DAYS) < 100, 0.05, 0.015)
    posts = np.full(m.DAYS, 40)
    stat = m.oracle_stat(posts, posts * share, share, 0.03)
    step = 0.6 * math.log(0.5) + 40 * 0.015  # per day: k log(s1/s0) - n (s1 - s0) with k = n s1
    assert stat[100] == 0.0  # days above the target add nothing, even where the test would favour the higher share
    assert math.isclose(stat[107], 7 * step)
    days = m.alarms(stat, 1.25)
    assert days == [107]  # 6 days give 1.10, 7 give 1.29
    truth = {"below_target_day": 100.0, "detectable_from_day": 102.0}
    assert m.verdict(days, truth) == (107, True)
    assert m.verdict(days, {**truth, "detectable_from_day": 99.0}) == (107, False)  # 8 days late
    assert m.verdict([101], truth) == (101, False)  # a chance alarm: within 2 days of below-target


def test_level_is_the_lowest_keeping_every_control_within_one_alarm_per_90_days():
    m = _script()
    quiet, twice = np.zeros(m.DAYS + 1), np.zeros(m.DAYS + 1)
    twice[50], twice[120] = 3.0, 2.0  # two alarms in 146 days is 1.23 per 90 days: the level must clear the lower one
    quiet[60] = 1.0
    assert m.control_level([quiet, twice]) == 2.05
    twice[55] = 2.5  # within the 7-day dedupe of day 50: still one alarm there
    assert m.alarms(twice, 1.5) == [50, 120]
    assert m.control_level([quiet, twice]) == 2.05


def test_ramp_share_scales_only_the_plant_phrase_by_the_ramp():
    m = _script()
    truth = {"selling_point_share_start": 0.12, "selling_point_share_end": 0.03}
    # Control: 5 % of originals name a selling point, 4 % with the plant's phrase; only those fall with the ramp.
    share = m.ramp_share({"posts": [100] * m.DAYS, "naming": [5] * m.DAYS, "plant_phrase": [4] * m.DAYS}, truth)
    assert math.isclose(share[0], 0.05) and math.isclose(share[120], 0.01 + 0.04 * 0.06 / 0.12)


def test_truth_in_the_radars_terms_is_dated_by_the_expected_share_against_the_target():
    m = _script()
    share = np.linspace(0.04, 0.02, m.DAYS)  # falls by 0.02 over the run: below 0.03 from day 90, 0.0225 from day 157
    t = m.radar_terms_truth(share, 0.03, 0.25)
    assert t == {"below_target_day": 90, "detectable_from_day": 157}
    assert m.radar_terms_truth(np.full(m.DAYS, 0.028), 0.03, 0.25) == {"below_target_day": 0, "detectable_from_day": None}
    # A share that never gets deep enough has nothing to meet, even with an alert standing.
    assert m.page_verdict([100], {"below_target_day": 0, "detectable_from_day": None}) == (100, "missed")


def test_page_verdict_reads_standing_alerts_as_the_validation_page_does():
    m = _script()
    truth = {"below_target_day": 100, "detectable_from_day": 140}
    # An alert raised by a dip on day 92 that stands on: the page dates it at the first midnight after below-target,
    # within two days of it, so it is a chance alarm, while the deduplicated alarms would show nothing after day 100.
    standing = list(range(92, 181))
    assert m.page_verdict(standing, truth) == (101, "chance alarm")
    stat = np.zeros(m.DAYS + 1)
    stat[92:] = 1.0
    assert m.alarms(stat, 1.0) == [92]
    assert m.page_verdict([103, 150], truth) == (103, "met")  # early but not chance: the page's rule counts it
    assert m.page_verdict([148], truth) == (148, "missed")  # 8 days after detectable-from
    assert m.page_verdict([90], truth) == (None, "missed")
