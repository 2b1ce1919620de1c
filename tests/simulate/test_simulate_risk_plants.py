"""The risk plants the radar is validated on: backlash strength, clean spec citations, selling points that
agree with the spec sheet, honest onsets of gradual plants - and that fixing them moved nothing else."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from reef.simulate import SimulationSpec, backlash, simulate_to_store
from reef.simulate import phrases as P
from reef.simulate.lexicon import SELLING_POINTS, SPECS
from reef.store import open_store
from reef.text.claims import extract_claims

SMALL = dict(members=400, days=60, seed=3)


def _rows(store, sql):
    return {r[0]: r[1:] for r in store.fetch_all(sql)}


def test_backlash_plant_draws_from_its_own_stream(monkeypatch):
    """With the backlash voice silenced, every row other than the backlash members' replies is the same."""
    full = open_store(":memory:")
    simulate_to_store(full, SimulationSpec(**SMALL))
    monkeypatch.setattr(backlash, "REPLY_SHARE", 0.0)
    monkeypatch.setattr(backlash, "EXTRA_REPLY_RATE", 0.0)
    quiet = open_store(":memory:")
    simulate_to_store(quiet, SimulationSpec(**SMALL))
    q = "SELECT c.content_id, c.author_id, c.created_at, c.parent_id, c.kind, c.body, t.scenario FROM content c JOIN truth_content t USING (content_id)"
    a, b = _rows(full, q), _rows(quiet, q)
    extra = set(a) - set(b)
    assert extra and all(cid.startswith("cb") for cid in extra)  # the extra replies, ids of their own
    assert not set(b) - set(a)
    changed = [cid for cid in b if a[cid] != b[cid]]
    assert changed  # some replies were turned ...
    assert all(a[cid][5] == "backlash" and b[cid][5] is None for cid in changed)  # ... and only those
    i = "SELECT interaction_id, kind, actor_id, target_content_id, created_at FROM interactions"
    assert _rows(full, i) == _rows(quiet, i)


def test_backlash_members_complain_in_replies_from_backlash_at(simstore):
    sc = json.loads(simstore.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = 'backlash'"))
    start = simstore.fetch_value("SELECT started_at FROM truth_scenarios WHERE scenario = 'backlash'")
    assert datetime.fromisoformat(sc["backlash_at"]) == start
    attrs = dict(simstore.fetch_all("SELECT member_id, attrs FROM truth_members WHERE member_id IN (SELECT unnest($m))", {"m": sc["members"]}))
    assert {m: datetime.fromisoformat(json.loads(a)["backlash_at"]) for m, a in attrs.items()} == {m: start for m in sc["members"]}
    rows = simstore.fetch_all("""
        SELECT c.created_at >= $s AS after, count(*), count(*) FILTER (WHERE list_contains(t.intents, 'complaint'))
        FROM content c JOIN truth_content t USING (content_id)
        WHERE c.author_id IN (SELECT unnest($m)) AND c.kind IN ('reply', 'comment') GROUP BY 1""", {"s": start, "m": sc["members"]})
    share = {after: (n, k / n) for after, n, k in rows}
    days_before, days_after = (start - simstore.fetch_value("SELECT min(created_at) FROM content")).days, 150 * 0.4
    assert share[True][1] > 0.6 > 0.2 > share[False][1]
    # They reply more often after the onset than before (per day), not only more negatively.
    assert share[True][0] / days_after > 1.5 * share[False][0] / days_before
    # Nobody official answers them.
    assert simstore.fetch_value("""
        SELECT count(*) FROM content r JOIN content c ON r.thread_id = c.content_id JOIN members m ON r.author_id = m.member_id
        JOIN truth_content t ON t.content_id = c.content_id WHERE t.scenario = 'backlash' AND m.account_type <> 'member'""") == 0


def test_spec_citations_read_as_written(simstore):
    """A cited figure is never glued to the attribute ('10-8022min'); the text layer reads the value the truth states."""
    rows = simstore.fetch_all("""SELECT c.body, t.claim FROM content c JOIN truth_content t USING (content_id)
                                 WHERE t.claim IS NOT NULL AND t.claim LIKE '%dc_charge_10_80%'""")
    assert len(rows) > 10
    assert not any(re.search(r"10-80\d", b) for b, _ in rows)
    read = 0
    for body, claim in rows:
        value = json.loads(claim)["value"]
        read += any(k["attribute"] == "charging_time" and k["value"] == value for k in extract_claims(body))
    assert read / len(rows) > 0.7  # Chinese numerals and traditional characters account for the rest


def test_selling_points_agree_with_the_spec_sheet():
    for text in [t for _, t in SELLING_POINTS] + list(P.SELLING):
        for claim in extract_claims(text):
            # Warranty is the attribute whose figure differs by model (8 or 6 years); "充电10分钟补能300公里" is not a
            # 10-80 % charging time and the radar does not compare it (claim_qualifiers).
            if claim["attribute"] != "warranty":
                continue
            values = {m: SPECS[m]["warranty"] for m in SPECS}
            assert all(v == claim["value"] for v in values.values()), (text, claim, values)


@pytest.mark.parametrize("scenario", ["heat_death", "dilution"])
def test_gradual_plants_record_ramp_start_and_detectable_day(simstore, scenario):
    p = json.loads(simstore.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = $s", {"s": scenario}))
    assert 0 < p["detectable_drop"] < 1
    assert p["ramp_start_day"] < p["detectable_from_day"] <= 150
    assert datetime.fromisoformat(p["detectable_from_at"]) > datetime.fromisoformat(p["ramp_start_at"])
    if scenario == "dilution":
        assert p["ramp_start_day"] < p["below_target_day"] < p["detectable_from_day"]
        # On the detectable day the planted share is the stated fraction below the target.
        share = p["selling_point_share_start"] - (p["selling_point_share_start"] - p["selling_point_share_end"]) * p["detectable_from_day"] / 150
        assert share == pytest.approx(p["target_share"] * (1 - p["detectable_drop"]), abs=1e-3)


def test_decaying_circle_has_lost_the_stated_share_by_its_detectable_day(simstore):
    p = json.loads(simstore.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = 'heat_death'"))
    start = simstore.fetch_value("SELECT min(created_at) FROM content WHERE kind = 'thread'")
    per_day = simstore.fetch_all("""
        SELECT date_diff('day', $t0, created_at) AS d, count(*) FROM content WHERE group_id = $g AND kind <> 'poll_vote' GROUP BY 1""",
        {"t0": start.replace(hour=0, minute=0, second=0), "g": p["group_id"]})
    counts = dict(per_day)
    a, d = int(p["ramp_start_day"]), p["detectable_from_day"]
    before = sum(counts.get(x, 0) for x in range(a - 28, a)) / 28
    late = sum(counts.get(x, 0) for x in range(int(d) + 7, int(d) + 21)) / 14  # later than the day: the drop has only grown
    assert late < (1 - p["detectable_drop"]) * before
