"""The burnout silence test on every act (risks.burnout_silence_stream = "acts") against the posts-only one."""
from __future__ import annotations

import pytest

from reef.config import load_config
from reef.risks.burnout import _act_silence_surprise, _dispersion
from tests.risks.conftest import burnout_result as _burnout, handmade_store, ts


def _surprise(res) -> dict[str, float]:
    return {e["subject"]: e["value"] for e in res.evidence if e["part"] == "burnout"}


def _alerted(res) -> set[str]:
    return {a["subject"] for a in res.alerts if a["part"] == "core_burnout"}


def _store(tmp_path, stop_posting_only: bool, post_every: int = 4):
    """Two core members active on three days in four (a post every ``post_every`` days, two likes on each active day).
    "gone" stops from day 115 on: everything, or (``stop_posting_only``) only posting, liking every day instead."""
    members = [{"member_id": m, "joined_at": ts(-200)} for m in ("gone", "steady", "author")]
    content, acts = [], []
    for d in range(128):
        content.append({"content_id": f"a{d}", "kind": "thread", "author_id": "author", "created_at": ts(d + 0.1), "title": "t", "body": "今天天气不错"})
        for m in ("gone", "steady"):
            late = m == "gone" and d >= 115
            if late and not stop_posting_only:
                continue
            if d % post_every == 0 and not late:
                content.append({"content_id": f"{m}{d}", "kind": "thread", "author_id": m, "created_at": ts(d + 0.4), "title": "日常", "body": "开车去了趟海边"})
            if d % 4 != 3 or late:
                acts += [{"interaction_id": f"{m}-like-{d}-{k}", "kind": "like", "actor_id": m, "target_content_id": f"a{d}",
                          "created_at": ts(d + 0.5 + 0.1 * k)} for k in range(2)]
    return handmade_store(tmp_path, {"members": members, "content": content, "interactions": acts}, core=("gone", "steady"))


def test_a_member_who_stops_everything_is_seen_sooner_on_acts(tmp_path):
    store = _store(tmp_path, stop_posting_only=False)
    level = load_config().get("risks.burnout_alert_surprise")
    acts, posts = _burnout(store, 124, burnout_silence_stream="acts"), _burnout(store, 124, burnout_silence_stream="posts")
    # Nine idle days from someone who acted ~1.75 times a day are beyond the alert level; as posts (one every four
    # days) and active days (three in four) the same days are not yet.
    assert _alerted(acts) == {"gone"} and _surprise(acts)["gone"] >= level
    assert not _alerted(posts) and _surprise(posts)["gone"] < level
    assert "steady" not in _surprise(acts)


def test_a_member_who_stops_posting_but_keeps_acting_is_not_silent(tmp_path):
    store = _store(tmp_path, stop_posting_only=True, post_every=2)
    acts, posts = _burnout(store, 126, burnout_silence_stream="acts"), _burnout(store, 126, burnout_silence_stream="posts")
    # Twelve days without a post at 0.5 a day list them when only posts count; they liked something every day.
    assert "gone" in _surprise(posts)
    assert "gone" not in _surprise(acts)


def test_bursts_of_acts_deflate_the_silence_surprise():
    c = {"burnout_recent_days": 14}
    steady = {d: 2 for d in range(14, 104)}             # two acts every day: variance/mean 0
    bursty = {d: 14 for d in range(14, 104, 7)}          # the same weekly total in one burst: variance/mean ~12
    rows = [{"member_id": m, "is_core": True, "base_days": 90.0} for m in ("a", "b", "c")]
    assert _dispersion({"a": (steady, 0.5), "b": (steady, 0.5), "c": (bursty, 0.5)}, rows, c) == 1.0
    disp = _dispersion({"a": (bursty, 0.5), "b": (bursty, 0.5), "c": (steady, 0.5)}, rows, c)
    assert disp > 10
    # Five idle days at two acts a day: 10 / ln 10 = 4.3 undeflated, a twelfth of it among bursty members.
    assert _act_silence_surprise(steady, 5.0, rows[0], 1.0, 1.0, c) == pytest.approx(10 / 2.302585, rel=0.02)
    assert _act_silence_surprise(steady, 5.0, rows[0], 1.0, disp, c) == pytest.approx(10 / 2.302585 / disp, rel=0.02)


def test_an_unknown_silence_stream_is_refused(tmp_path):
    from reef.errors import InvalidParameterError

    store = _store(tmp_path, stop_posting_only=False)
    with pytest.raises(InvalidParameterError, match="burnout_silence_stream"):
        _burnout(store, 124, burnout_silence_stream="likes")
