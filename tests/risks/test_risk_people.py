"""Burnout, backlash and newcomer measures on small hand-made communities with known answers."""
from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from scipy import stats

from reef.analyses import run_analyses
from reef.config import load_config
from reef.risks.burnout import _day_surprises
from reef.risks.common import FamilyResult, binom_high_surprise, poisson_low_surprise, poisson_low_surprises, risk_base, scaled, size_factor
from reef.risks.hazard import DropoutHazard
from reef.risks.metrics import heat_metrics
from tests.risks.conftest import T0, handmade_store as _store, ts as _ts


def test_surprise_and_scaling_helpers():
    assert poisson_low_surprise(0, 10) > 4 > poisson_low_surprise(8, 10)
    assert binom_high_surprise(6, 10, 0.05) > 5 and binom_high_surprise(1, 10, 0.05) < 1
    c = load_config().section("risks")
    ok, bad = scaled(c | {"x_ok": 2, "x_bad": 10}, "x", size_factor(2 * c["reference_contributors"], c))
    assert (ok, bad) == (4.0, 20.0)
    ok, bad = scaled(c | {"x_ok": 2, "x_bad": 10}, "x", size_factor(5, c))
    assert bad >= ok + 1  # a small community is not judged on one item


def test_batched_surprises_equal_the_one_at_a_time_formulas():
    # The burnout part computes its tests for every member in one scipy call; each value must be the per-member one.
    rng = np.random.default_rng(5)
    observed, expected = rng.integers(0, 12, 200), rng.uniform(-1, 15, 200)
    assert poisson_low_surprises(observed, expected).tolist() == [poisson_low_surprise(o, e) for o, e in zip(observed.tolist(), expected.tolist())]
    c = {"burnout_recent_days": 14, "burnout_activity_windows": [3, 7, 14]}
    active, rows = {}, []
    for i in range(40):
        days = {int(d): 1 for d in rng.choice(60, size=int(rng.integers(1, 50)), replace=False)}
        active[f"m{i}"] = (days, 0.0)
        rows.append({"member_id": f"m{i}", "is_core": i % 5 != 0, "base_days": float(rng.integers(5, 46)), "community_pace": float(rng.uniform(0.1, 1.2))})
    got = _day_surprises(active, rows, c)
    for r in rows:
        days, base_n = active[r["member_id"]][0], int(r["base_days"])
        if not r["is_core"] or base_n < 14:
            assert r["member_id"] not in got
            continue
        q = (sum(14 <= d < 14 + base_n for d in days) + 0.5) / (base_n + 1.0)
        q = 1.0 - (1.0 - q) ** min(max(r["community_pace"], 0.3), 1.0)
        want = max(-math.log10(max(float(stats.binom.cdf(sum(d < w for d in days), w, q)), 1e-300)) for w in (3, 7, 14))
        assert got[r["member_id"]] == want  # exactly the one-at-a-time value


def test_hazard_model_ranks_the_silent_above_the_busy():
    rng = np.random.default_rng(3)
    busy = np.column_stack([rng.normal(2, 0.3, 200), rng.normal(3, 0.3, 200), rng.normal(4, 0.3, 200), rng.normal(0.2, 0.1, 200),
                            rng.normal(1, 0.1, 200), rng.normal(5, 0.5, 200)])
    quiet = busy.copy()
    quiet[:, :2], quiet[:, 3], quiet[:, 4] = 0.0, 3.0, 0.1
    X, y = np.vstack([busy, quiet]), np.r_[np.zeros(200), np.ones(200)]
    y[rng.choice(400, 40, replace=False)] = 1 - y[rng.choice(400, 40, replace=False)]  # some noise
    model = DropoutHazard(seed=1).fit(X, y)
    assert model.predict_proba(quiet[:5]).min() > model.predict_proba(busy[:5]).max()
    assert model.n_train_ == 400 and DropoutHazard(max_rows=100, seed=1).fit(X, y).n_train_ == 100
    one_class = DropoutHazard().fit(X[:10], np.zeros(10))
    assert (one_class.predict_proba(X[:3]) == 0).all()


def test_burnout_flags_the_core_member_who_went_quiet(tmp_path):
    members = [{"member_id": m, "joined_at": _ts(-200)} for m in ("hot", "steady", "fan")]
    content = []
    for d in range(120):
        for m in ("hot", "steady"):
            if m == "hot" and d >= 110:
                continue  # ten days of silence from someone who posted twice a day
            content += [{"content_id": f"{m}{d}-{k}", "kind": "thread", "author_id": m, "created_at": _ts(d + 0.3 + 0.2 * k),
                         "title": "日常", "body": "今天开车去了趟海边，风景不错"} for k in range(2)]
        if d % 5 == 0:
            content.append({"content_id": f"fan{d}", "kind": "thread", "author_id": "fan", "created_at": _ts(d + 0.5), "title": "t", "body": "路过"})
    store = _store(tmp_path, {"members": members, "content": content}, core=("hot", "steady"))
    from reef.risks.burnout import burnout_part

    c = load_config().section("risks")
    res = FamilyResult("heat_death")
    with risk_base(store, T0 + timedelta(days=120), 400):
        burnout_part(store, T0 + timedelta(days=120), c, res)
    flagged = {e["subject"] for e in res.evidence if e["part"] == "burnout"}
    assert flagged == {"hot"}
    assert {a["subject"] for a in res.alerts if a["part"] == "core_burnout"} == {"hot"}
    # Five days earlier the silence had just begun: on the watch list at most, no member alert yet.
    early = FamilyResult("heat_death")
    with risk_base(store, T0 + timedelta(days=111), 400):
        burnout_part(store, T0 + timedelta(days=111), c, early)
    assert not [a for a in early.alerts if a["part"] == "core_burnout"]


def test_backlash_puts_the_complaining_core_member_on_the_care_list(tmp_path):
    members = [{"member_id": m, "joined_at": _ts(-300)} for m in ("angry", "calm")]
    content = []
    for d in range(0, 120, 2):
        for m in ("angry", "calm"):
            late = m == "angry" and d >= 100
            body = "售后服务太差了，投诉了三次没人管，质量问题一直不解决，太失望了" if late else "今天保养完成，车况不错，开着很舒服"
            content.append({"content_id": f"{m}{d}", "kind": "thread", "author_id": m, "created_at": _ts(d + 0.4), "title": "记录", "body": body})
    store = _store(tmp_path, {"members": members, "content": content}, core=("angry", "calm"))
    run_analyses(store, as_of=T0 + timedelta(days=121), only=["text_features"])
    from reef.risks.backlash import backlash

    res = backlash(store, T0 + timedelta(days=121), load_config())
    care = [e for e in res.evidence if e["part"] == "care"]
    assert [e["subject"] for e in care] == ["angry"] and care[0]["rank"] == 1
    assert "售后" in care[0]["detail_zh"]
    drift = next(p for p in res.parts if p.name == "drift")
    assert drift.value == 1


def test_backlash_alert_needs_a_record_long_enough_to_be_sure_of(tmp_path):
    # Both core members post four after-sales complaints in the last week; "steady" had 45 calm posts before,
    # "newbie" only 5. Taken as known, newbie's smoothed past share (0.08) makes the four a turn; kept uncertain
    # (beta-binomial, round nine) they are not, while steady's long clean record still alerts.
    calm, angry = "今天保养完成，车况不错，开着很舒服", "售后服务太差了，投诉了三次没人管，质量问题一直不解决，太失望了"
    members = [{"member_id": m, "joined_at": _ts(-300)} for m in ("steady", "newbie")]
    content = []
    for m, first in (("steady", 10), ("newbie", 90)):
        for d in range(first, 121, 2):
            content.append({"content_id": f"{m}{d}", "kind": "thread", "author_id": m, "created_at": _ts(d + 0.4), "title": "记录",
                            "body": angry if d >= 114 else calm})
    store = _store(tmp_path, {"members": members, "content": content}, core=("steady", "newbie"))
    run_analyses(store, as_of=T0 + timedelta(days=121), only=["text_features"])
    from reef.errors import InvalidParameterError
    from reef.risks.backlash import backlash

    def alerted(test):
        res = backlash(store, T0 + timedelta(days=121), load_config().with_overrides({"risks.drift_test": test}))
        return sorted(a["member_id"] for a in res.alerts if a["part"] == "core_turning_negative"), res

    assert alerted("binomial")[0] == ["newbie", "steady"]
    members_alerted, res = alerted("betabinomial")
    assert members_alerted == ["steady"]
    assert {e["subject"] for e in res.evidence if e["part"] == "care"} == {"steady", "newbie"}  # newbie stays on the care list
    with pytest.raises(InvalidParameterError, match="drift_test"):
        alerted("poisson")


def test_heat_metrics_match_a_hand_count(tmp_path):
    members = [{"member_id": "old", "joined_at": _ts(-400)}, {"member_id": "n1", "joined_at": _ts(1)},
               {"member_id": "n2", "joined_at": _ts(2)}, {"member_id": "late", "joined_at": _ts(-100)}]
    content = [
        {"content_id": "q1", "kind": "thread", "author_id": "n1", "created_at": _ts(3), "title": "新人求助", "body": "请问保养多久一次"},
        {"content_id": "r1", "kind": "reply", "author_id": "old", "parent_id": "q1", "created_at": _ts(3.125), "body": "一万公里"},
        {"content_id": "q2", "kind": "thread", "author_id": "n2", "created_at": _ts(4), "title": "新人报到", "body": "大家好"},
        {"content_id": "r2", "kind": "reply", "author_id": "n2", "parent_id": "q2", "created_at": _ts(4.5), "body": "有人吗"},
        {"content_id": "r3", "kind": "reply", "author_id": "old", "parent_id": "q2", "created_at": _ts(6), "body": "欢迎"},
        {"content_id": "q3", "kind": "thread", "author_id": "late", "created_at": _ts(5), "title": "老用户", "body": "不算新人"},
    ]
    store = _store(tmp_path, {"members": members, "content": content})
    m = heat_metrics(store, T0 + timedelta(days=10), 30, load_config())
    assert m["newcomers"] == 2  # 'late' joined 105 days before their first post
    assert m["ttfr_h"] == 25.5  # median of 3 h (q1) and 48 h (q2; n2's own reply does not count)
    assert m["unanswered"] == 0.5 and m["contributors"] == 4 and m["items"] == 6
    assert m["caf"] == 2  # old 2 + n2 2 of 6 items


def test_the_current_idle_run_is_judged_as_its_own_window():
    # Active every baseline day, then six idle days: windows of 5 and 7 see 0 of 5 and 1 of 7; the run sees 0 of 6.
    c = {"burnout_recent_days": 14, "burnout_activity_windows": [3, 5, 7]}
    days = {d: 1 for d in range(6, 74) if d % 10}  # whole days back from the as-of; idle on days 0-5 (and every tenth day)
    active, rows = {"m1": (days, 6.2)}, [{"member_id": "m1", "is_core": True, "base_days": 60.0, "community_pace": 1.0}]
    q = (sum(14 <= d < 74 for d in days) + 0.5) / 61.0
    windows_only = _day_surprises(active, rows, c)["m1"]
    with_run = _day_surprises(active, rows, c | {"burnout_idle_run": True})["m1"]
    assert with_run == -math.log10((1 - q) ** 6)  # exactly the binomial of 0 active days in 6
    assert with_run > windows_only  # a run of 6 was judged as 0 of 5 before
    # No run when the member acted in the last 24 hours, and a run longer than the widest window is left to the windows.
    assert _day_surprises({"m1": ({0: 1, **days}, 0.1)}, rows, c | {"burnout_idle_run": True})["m1"] == \
        _day_surprises({"m1": ({0: 1, **days}, 0.1)}, rows, c)["m1"]
    far = {d + 10: 1 for d in days}
    assert _day_surprises({"m1": (far, 16.0)}, rows, c | {"burnout_idle_run": True})["m1"] == _day_surprises({"m1": (far, 16.0)}, rows, c)["m1"]


AFTER_SALES = "售后服务太差了，投诉了三次没人管，质量问题一直不解决，太失望了"
GENERAL = "充电桩太少了，每次充电都排队，太失望了"
CALM = "今天保养完成，车况不错，开着很舒服"


def _complaining_store(tmp_path):
    """Core members over 120 days: ``grumbler`` complains in every other post from the start, never answered (no turn:
    the recent share is the old one); ``answered`` the same, each complaint answered by staff within the hour; ``mixed``
    turns in the last 14 days with three general complaints and one about after-sales; ``calm`` never complains."""
    members = [{"member_id": m, "joined_at": _ts(-300)} for m in ("grumbler", "answered", "mixed", "calm")]
    members.append({"member_id": "s", "joined_at": _ts(-300), "account_type": "staff"})
    content = []
    for d in range(0, 120, 2):
        for m in ("grumbler", "answered", "mixed", "calm"):
            if m == "mixed":
                late = [GENERAL, AFTER_SALES, GENERAL, GENERAL, CALM, GENERAL, CALM]
                body = late[(d - 106) // 2] if d >= 106 else CALM
            else:
                body = GENERAL if m in ("grumbler", "answered") and d % 4 == 0 else CALM
            content.append({"content_id": f"{m}{d}", "kind": "thread", "author_id": m, "created_at": _ts(d + 0.4), "title": "记录", "body": body})
            if m == "answered" and body != CALM:
                content.append({"content_id": f"s{d}", "kind": "reply", "author_id": "s", "parent_id": f"{m}{d}", "created_at": _ts(d + 0.45),
                                "body": "已安排专人跟进"})
    store = _store(tmp_path, {"members": members, "content": content}, core=("grumbler", "answered", "mixed", "calm"))
    run_analyses(store, as_of=T0 + timedelta(days=121), only=["text_features"])
    return store


def test_care_list_keeps_core_members_whose_complaints_go_unanswered(tmp_path):
    # QA on the planted simulation: a backlash member who kept complaining, never answered, fell off the care list once
    # their own past share held the complaints (no drift left to test), while the unresolved evidence listed their posts.
    from reef.risks.backlash import backlash

    store = _complaining_store(tmp_path)
    as_of = T0 + timedelta(days=121)
    res = backlash(store, as_of, load_config())
    care = {e["subject"]: e for e in res.evidence if e["part"] == "care"}
    assert set(care) == {"grumbler", "mixed"}  # answered: every complaint has a staff reply; calm: none
    g = care["grumbler"]
    assert g["detail_zh"].startswith("投诉未回应：") and "转负" not in g["detail_zh"]
    assert g["detail_en"].startswith("complaints unanswered: ")
    unresolved = {e["subject"] for e in res.evidence if e["part"] == "unresolved" and e["member_id"] == "grumbler"}
    assert unresolved and g["content_id"] in unresolved and min(unresolved) in g["detail_zh"]
    assert care["mixed"]["detail_zh"].startswith("转负")
    assert [care[m]["rank"] for m in ("mixed", "grumbler")] == [1, 2]  # risk x reach: the turn weighs more
    # The alert is unchanged: only the member turning negative can raise it, the unanswered one cannot.
    assert {a["subject"] for a in res.alerts} <= {"mixed"}
    assert next(p for p in res.parts if p.name == "drift").value == 1


def test_suggested_owner_is_after_sales_only_for_a_majority_of_after_sales_complaints(tmp_path):
    from reef.risks.backlash import backlash

    store = _complaining_store(tmp_path)
    res = backlash(store, T0 + timedelta(days=121), load_config())
    mixed = next(e for e in res.evidence if e["part"] == "care" and e["subject"] == "mixed")
    assert "其中售后/质量1条" in mixed["detail_zh"]  # one of four
    assert mixed["detail_zh"].endswith("建议跟进：社区运营（售后/质量问题请售后服务团队协同）")  # was 售后服务团队: any one
    from reef.risks.backlash import suggested_owner

    assert suggested_owner(4, 3) == ("售后服务团队", "after-sales team")
    assert suggested_owner(4, 2)[1].startswith("community operations") and suggested_owner(4, 0) == ("社区运营", "community operations")
