"""The dropout risk is unknown, not 0, when the hazard model has too little history to learn from."""
from __future__ import annotations

import re
from datetime import timedelta

import numpy as np

from reef.config import load_config
from reef.risks.common import risk_base
from reef.risks.hazard import DropoutHazard, dropout_risk
from tests.risks.conftest import T0, burnout_result, handmade_store, ts

UNKNOWN_ZH, UNKNOWN_EN = "流失风险：历史数据不足，暂无法估计", "dropout risk: not enough history to estimate"


def _community(tmp_path, days: int, crowd: int):
    """``days`` of history: core "hot" posts twice a day and stops 10 days before the end, core "steady" keeps on,
    and ``crowd`` ordinary members post every few days, a third of them stopping at a seeded day."""
    rng = np.random.default_rng(7)
    members = [{"member_id": m, "joined_at": ts(-200)} for m in ("hot", "steady")]
    content = []
    for d in range(days):
        for m in ("hot", "steady"):
            if m == "hot" and d >= days - 10:
                continue
            content += [{"content_id": f"{m}{d}-{k}", "kind": "thread", "author_id": m, "created_at": ts(d + 0.3 + 0.2 * k),
                         "title": "日常", "body": "今天开车去了趟海边，风景不错"} for k in range(2)]
    for i in range(crowd):
        m, gap = f"u{i}", int(rng.integers(1, 5))
        stop = int(rng.integers(10, days)) if i % 3 == 0 else days
        members.append({"member_id": m, "joined_at": ts(-100)})
        content += [{"content_id": f"{m}-{d}", "kind": "thread", "author_id": m, "created_at": ts(d + 0.5), "title": "t", "body": "路过"}
                    for d in range(int(rng.integers(0, 5)), stop, gap)]
    return handmade_store(tmp_path, {"members": members, "content": content}, core=("hot", "steady"))


def _risk(store, day: int):
    c = load_config().section("risks")
    with risk_base(store, T0 + timedelta(days=day), 400):
        return dropout_risk(store, T0 + timedelta(days=day), c)


def test_short_history_says_unknown_not_zero(tmp_path):
    # 36 days: only one training moment (36 - 28 days) has any posts before it, so nothing can be learnt.
    store = _community(tmp_path, 36, crowd=30)
    risk, model = _risk(store, 36)
    assert risk and set(risk.values()) == {None} and not model.known_
    res = burnout_result(store, 36)
    alerts = [a for a in res.alerts if a["part"] == "core_burnout"]
    assert [a["subject"] for a in alerts] == ["hot"]  # the member alert still fires
    assert alerts[0]["message_zh"].endswith(UNKNOWN_ZH) and alerts[0]["message_en"].endswith(UNKNOWN_EN)
    assert not any("%" in e["detail_zh"].split("；")[-1] for e in res.evidence)
    note = next(p for p in res.parts if p.name == "burnout")
    assert note.note_zh.endswith(UNKNOWN_ZH) and note.note_en.endswith(UNKNOWN_EN) and "0.0" not in note.note_en


def test_long_history_still_gives_a_number(tmp_path):
    store = _community(tmp_path, 150, crowd=120)
    risk, model = _risk(store, 150)
    assert model.known_ and model.n_events_ >= 60 and all(0.0 <= p <= 1.0 for p in risk.values())
    res = burnout_result(store, 150)
    hot = next(a for a in res.alerts if a["part"] == "core_burnout" and a["subject"] == "hot")
    assert re.search(r"流失风险\d+%$", hot["message_zh"]) and re.search(r"dropout risk \d+%$", hot["message_en"])
    note = next(p for p in res.parts if p.name == "burnout")
    assert re.search(r"the dropout model expects about \d+\.\d core members", note.note_en)


def test_too_few_moments_or_events_leave_the_risk_unknown():
    X = np.tile([[0, 0, 3.0, 0, 0, 1], [2, 3, 4, 0, 1, 1]], (40, 1))
    y = np.tile([1, 0], 40)  # 40 dropouts, 40 stayers
    assert DropoutHazard().fit(X, y).known_  # no minimum asked
    assert not DropoutHazard(min_events_per_feature=10).fit(X, y).known_  # 40 < 10 x 6
    assert DropoutHazard(min_events_per_feature=5).fit(X, y, moments=3).known_
    assert not DropoutHazard(min_moments=2).fit(X, y, moments=1).known_
    assert not DropoutHazard().fit(X[:5], np.zeros(5)).known_  # one class: nothing to tell apart
