"""A wave stays alarmed while it runs: its own first days never become the baseline it is tested against (QA store
A, 2026-05-22 12:00: 18 posts, 7.41x the baseline, p=0.007, no alarm, with the planted wave running to 05-24)."""
import numpy as np
import pandas as pd

from reef.kb.wave import WaveParams, hourly_tests


def _hours(skip: bool) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    quiet = [(d * 86400 + rng.integers(0, 86400), f"m{rng.integers(0, 500)}") for d in range(46) for _ in range(4)]
    wave = [(d * 86400 + 3600 * h + 60, f"w{d}_{h}") for d in range(40, 45) for h in range(0, 24, 2)]  # five days
    items = pd.DataFrame(quiet + wave, columns=["t", "author_id"]).assign(aspect="续航")
    hours = hourly_tests(items, start=0, end=46 * 86400, active_per_day=300.0, params=WaveParams(skip_alarms=skip))
    return hours.assign(day=hours["t"] // 86400)


def test_a_five_day_wave_alarms_every_hour_its_window_lies_inside_it():
    hours = _hours(True)
    inside = hours[(hours["t"] >= 41 * 86400) & (hours["t"] <= 45 * 86400)]
    assert inside["alarm"].all()
    assert not hours.loc[hours["t"] < 40 * 86400, "alarm"].any()  # nothing before it
    assert not hours.loc[hours["t"] > 46 * 86400 - 3600, "alarm"].any()  # and it ends once its posts leave the window
    quiet_after = hours[hours["t"] >= 45 * 86400 + 12 * 3600]
    assert (quiet_after["baseline"] < 5).all()  # the wave's days never entered the baseline


def test_the_skipped_windows_are_what_kept_it_open():
    old = _hours(False)  # the baseline taking in the wave's own days: the alarm stopped on its fifth day
    assert not old.loc[(old["t"] > 44 * 86400) & (old["t"] <= 45 * 86400), "alarm"].all()
