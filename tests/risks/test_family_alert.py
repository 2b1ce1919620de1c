"""The family-score alert is not raised a second time beside the part alert that carries the score."""
from __future__ import annotations

from datetime import timedelta

import pytest

from reef.config import load_config
from reef.risks import analysis
from reef.risks.common import FamilyResult, Part
from tests.risks.conftest import T0, handmade_store, ts


def _family(part_alert_score: float | None):
    """A stand-in family whose one part scores 90; it raises its own alert at ``part_alert_score`` (None: no alert)."""
    def run(store, as_of, config):
        res = FamilyResult("heat_death")
        res.parts.append(Part("activity", 0.5, 90.0, note_zh="活跃下降", note_en="activity down"))
        if part_alert_score is not None:
            res.alerts.append({"part": "activity", "subject": "community", "score": part_alert_score,
                               "message_zh": "活跃下降", "message_en": "activity down"})
        return res
    return run


@pytest.fixture()
def store(tmp_path):
    s = handmade_store(tmp_path, {"members": [{"member_id": "a", "joined_at": ts(-10)}],
                                  "content": [{"content_id": "c1", "kind": "thread", "author_id": "a", "created_at": ts(1),
                                               "title": "t", "body": "hello"}]})
    yield s
    s.close()


@pytest.mark.parametrize("part_score, only_without, expected", [
    (85.0, True, {"heat_death:activity:community"}),                                 # the part speaks for the family
    (85.0, False, {"heat_death:activity:community", "heat_death:family_score:heat_death"}),
    (30.0, True, {"heat_death:family_score:heat_death"}),                            # a low part alert is dropped
    (None, True, {"heat_death:family_score:heat_death"}),
])
def test_family_alert_only_without_a_part_alert(store, monkeypatch, part_score, only_without, expected):
    monkeypatch.setattr(analysis, "FAMILIES", {"heat_death": (_family(part_score), "热寂", "heat death")})
    cfg = load_config().with_overrides({"risks.family_alert_only_without_parts": only_without})
    rows = analysis.compute_risks(store, T0 + timedelta(days=2), cfg)
    assert rows["risk_scores"][0]["score"] >= cfg.get("risks.alert_score")
    assert {a["alert_key"] for a in rows["risk_alerts"]} == expected


@pytest.mark.parametrize("collapse, alerted", [(True, True), (False, False)])
def test_a_community_wide_collapse_alerts_on_its_own(tmp_path, collapse, alerted):
    """60 members post every few days for ten weeks; in the last week all but 5 stop. The activity part alone carries
    the alert (the family score of one acute part stays below alert_score)."""
    from reef.risks.heat import heat_death
    from reef.text.enrich import enrich_store

    members = [{"member_id": f"m{i:02d}", "joined_at": ts(-100)} for i in range(60)]
    content = []
    for i in range(60):
        for d in range(0, 70, 3):
            if collapse and d >= 63 and i >= 5:
                continue
            content.append({"content_id": f"c{i}-{d}", "kind": "thread", "author_id": f"m{i:02d}", "created_at": ts(d + (i % 3) * 0.2),
                            "title": f"第{d}天", "body": f"今天的用车记录{i}-{d}"})
    store = handmade_store(tmp_path, {"members": members, "content": content})
    enrich_store(store)
    cfg = load_config()
    res = heat_death(store, T0 + timedelta(days=70), cfg)
    act = next(p for p in res.parts if p.name == "activity")
    keys = {f"{a['part']}:{a['subject']}" for a in res.alerts}
    assert ("activity:community" in keys) is alerted
    if alerted:
        assert act.score >= cfg.get("risks.alert_score")
        rows = analysis.compute_risks(store, T0 + timedelta(days=70), cfg)
        family = next(r for r in rows["risk_scores"] if r["family"] == "heat_death")["score"]
        assert "heat_death:activity:community" in {a["alert_key"] for a in rows["risk_alerts"]}
        assert family < cfg.get("risks.alert_score"), family  # without the part alert nothing would have been raised
    store.close()
