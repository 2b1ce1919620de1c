"""Homogenisation in a community's first weeks: the baseline weeks hold no posts, or a few days of them whose
near-duplicate share reads 0% (the first posts can repeat nothing earlier), so the window's duplicates read as a jump
from 0% and scored (30 on the simulated store five days in, noted 基线0%). It now says there is not enough history and
does not score; with the baseline's days of data the part is as before."""
from __future__ import annotations

from datetime import timedelta

from reef.config import load_config
from reef.risks.common import ramp
from reef.risks.heat import heat_death
from reef.store import open_store


def _homogenisation(store, as_of, config):
    return next(p for p in heat_death(store, as_of, config).parts if p.name == "homogenisation")


def test_too_little_history_is_said_not_scored(sim_path):
    store, config = open_store(sim_path), load_config()
    first = store.fetch_value("SELECT min(created_at) FROM content")
    needed = int(config.get("risks.homogenisation_min_history_days"))
    for days in (5, 7 + needed - 1):  # no baseline posts at all; a baseline one day short
        part = _homogenisation(store, first + timedelta(days=days), config)
        assert part.score == 0.0 and part.baseline is None and part.value is not None, (days, part)
        seen = max(0, days - 7)
        assert part.note_zh.endswith(f"（历史不足，不与基线比较：基线8周内只有{seen}天数据，至少需{needed}天）；话题熵变化—"), part.note_zh
        assert f"not enough history to compare with a baseline: {seen} day" in part.note_en and "14 days needed" in part.note_en
        assert "基线0%" not in part.note_zh and "baseline 0%" not in part.note_en


def test_with_enough_history_the_part_compares_as_before(sim_path):
    store, config = open_store(sim_path), load_config()
    c = config.section("risks")
    first = store.fetch_value("SELECT min(created_at) FROM content")
    for days in (7 + int(c["homogenisation_min_history_days"]), 90):
        part = _homogenisation(store, first + timedelta(days=days), config)
        assert part.baseline is not None and "历史不足" not in part.note_zh, (days, part.note_zh)
        assert f"（基线{part.baseline:.0%}）" in part.note_zh
        assert part.score >= ramp(part.value - part.baseline, ok=c["dup_share_ok"], bad=c["dup_share_bad"])
