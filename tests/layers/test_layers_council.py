"""The advisory council on hand-made tables: eligibility, quality parts, balance, fallback to stage 3, coverage."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.config import load_config
from reef.layers.common import layer_params
from reef.layers.council import propose_slate, tenure_band, write_council

AS_OF = datetime(2026, 6, 30, tzinfo=timezone.utc)


def _cand(member_id, quality, stage=4, **dims):
    return {"member_id": member_id, "quality": quality, "stage": stage, **dims}


def test_balance_trades_a_little_quality_for_an_uncovered_value():
    cands = [_cand("a", 0.90, car_model="S7"), _cand("b", 0.85, car_model="S7"), _cand("c", 0.70, car_model="L9")]
    shares = {"car_model": {"S7": 0.5, "L9": 0.5}}
    assert [s["member_id"] for s in propose_slate(cands, shares, 2, balance=0.6, factor=0)["slate"]] == ["a", "c"]
    assert [s["member_id"] for s in propose_slate(cands, shares, 2, balance=0.0, factor=0)["slate"]] == ["a", "b"]
    # A value with a large share earns several seats before a small one gets its first.
    big = {"car_model": {"S7": 0.8, "L9": 0.2}}
    picked = propose_slate(cands, big, 2, balance=0.6, factor=0)["slate"]
    assert [s["member_id"] for s in picked] == ["a", "b"]
    assert picked[0]["covers"] == ["car_model"] and picked[1]["covers"] == ["car_model"]


def test_fallback_to_stage_three_only_when_stage_four_is_too_few():
    cands = [_cand("s4", 0.5), _cand("s3a", 0.9, stage=3), _cand("s3b", 0.8, stage=3)]
    few = propose_slate(cands, {}, 2, balance=0.6, factor=2.0)
    assert few["fallback"] and [s["member_id"] for s in few["slate"]] == ["s3a", "s3b"]
    enough = propose_slate(cands, {}, 1, balance=0.6, factor=1.0)
    assert not enough["fallback"] and [s["member_id"] for s in enough["slate"]] == ["s4"]


def test_coverage_reports_values_seats_and_represented_members():
    cands = [_cand("a", 0.9, region="北京"), _cand("b", 0.8, region="上海"), _cand("c", 0.7, region="北京")]
    out = propose_slate(cands, {"region": {"北京": 0.6, "上海": 0.3, "广州": 0.1}}, 2, balance=0.6, factor=0)
    assert out["summary"]["region"] == {"values": 3, "covered": 2, "members_represented": 0.9}
    seats = {c["value"]: c["seats"] for c in out["coverage"]}
    assert seats == {"北京": 1, "上海": 1, "广州": 0}
    assert len(propose_slate(cands, {}, 9, balance=0.6, factor=0)["slate"]) == 3  # never more seats than candidates


def test_tenure_bands():
    assert [tenure_band(d, [365, 730]) for d in (10, 365, 800)] == ["<365d", "365-730d", "730d+"]
    assert tenure_band(None, [365]) is None


@pytest.fixture
def tables(store):
    """members, ladder_members, circles and trust edges for six candidates; risk flags for three of them."""
    joined = lambda days: AS_OF - timedelta(days=days)  # noqa: E731
    people = [  # id, stage, tenure, hostile, model, region, circle
        ("good1", 4, 900, 0, "S7", "北京", "c01"), ("good2", 4, 700, 0, "L9", "上海", "c02"),
        ("angry", 4, 900, 2, "S7", "北京", "c01"), ("caremember", 4, 900, 0, "X5", "广州", "c02"),
        ("fighter", 4, 900, 0, "S5", "深圳", "c01"), ("young", 4, 30, 0, "S7", "北京", "c01"),
    ]
    with store.transaction():
        for mid, stage, days, hostile, model, region, circle in people:
            store.execute("INSERT INTO members (member_id, name, joined_at, account_type, car_model, region) VALUES (?, ?, ?, 'member', ?, ?)",
                          [mid, mid, joined(days), model, region])
        store.execute("""CREATE TABLE ladder_members AS SELECT * FROM (VALUES
            ('good1', 'good1', 4, '引领者', 'leader', 80.0, 0), ('good2', 'good2', 4, '引领者', 'leader', 70.0, 0),
            ('angry', 'angry', 4, '引领者', 'leader', 90.0, 2), ('caremember', 'caremember', 4, '引领者', 'leader', 90.0, 0),
            ('fighter', 'fighter', 4, '引领者', 'leader', 90.0, 0), ('young', 'young', 4, '引领者', 'leader', 90.0, 0))
            t(member_id, name, stage, stage_name, stage_name_en, potential, life_hostile)""")
        store.execute("""CREATE TABLE layers_circle_members AS SELECT * FROM (VALUES ('good1', 'c01'), ('good2', 'c02'), ('angry', 'c01'),
            ('caremember', 'c02'), ('fighter', 'c01'), ('young', 'c01'), ('f1', 'c01'), ('f2', 'c02'), ('f3', 'c02')) t(member_id, circle_id)""")
        store.execute("CREATE TABLE layers_circles AS SELECT * FROM (VALUES ('c01', '改装'), ('c02', '影音')) t(circle_id, name)")
        # good1 is trusted from both circles, good2 from one.
        store.execute("""CREATE TABLE network_edges AS SELECT * FROM (VALUES
            ('f1', 'good1', 'ask', 1, 1.0), ('f2', 'good1', 'ask', 1, 1.0), ('f3', 'good1', 'quote', 1, 1.0),
            ('f2', 'good2', 'ask', 1, 1.0), ('f3', 'good2', 'accept', 1, 1.0), ('f1', 'good2', 'like', 5, 5.0)) t(src, dst, kind, n, weight)""")
        store.execute("""CREATE TABLE risk_evidence AS SELECT * FROM (VALUES ('backlash', 'care', 'caremember', 'caremember', NULL),
            ('implosion', 'conflict', 't1', NULL, 'x1')) t(family, part, subject, member_id, content_id)""")
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at, body) VALUES ('t1', 'thread', 'good2', ?, '话题'), "
                      "('x1', 'reply', 'fighter', ?, '你懂什么')", [AS_OF - timedelta(days=3), AS_OF - timedelta(days=2)])
        store.execute("UPDATE content SET parent_id = 't1', thread_id = 't1' WHERE content_id = 'x1'")
        store.execute("INSERT INTO content_features (content_id, intents, toxicity) VALUES ('x1', ['personal_attack'], 0.9)")
    return store


def test_only_constructive_long_tenured_members_are_eligible(tables):
    p = {**layer_params(load_config()), "council_seats": 2, "council_candidate_factor": 0.0}
    with tables.transaction():
        seats = write_council(tables, AS_OF, p)
    cands = {r["member_id"]: r for r in tables.fetch_dicts("SELECT * FROM layers_council_candidates")}
    assert "young" not in cands  # 30 days of tenure
    assert {m for m, r in cands.items() if r["eligible"]} == {"good1", "good2"}
    assert cands["angry"]["excluded_because"] == ["hostile"]
    assert cands["caremember"]["excluded_because"] == ["care"]
    assert cands["fighter"]["excluded_because"] == ["conflict"]
    assert "反噬关怀名单" in cands["caremember"]["evidence_zh"]
    # Trust breadth: good1 is turned to from both circles, good2 (likes do not count) from one.
    assert cands["good1"]["circles"] == 2 and cands["good1"]["breadth_part"] == pytest.approx(0.918, abs=1e-3)  # H(1/3, 2/3)
    assert cands["good2"]["trusters"] == 2 and cands["good2"]["breadth_part"] == 0.0
    assert cands["good1"]["quality"] > cands["good2"]["quality"]
    slate = tables.fetch_dicts("SELECT * FROM layers_council ORDER BY seat")
    assert seats == 2 and [s["member_id"] for s in slate] == ["good1", "good2"]
    cov = {(r["dimension"], r["value"]): r for r in tables.fetch_dicts("SELECT * FROM layers_council_coverage")}
    assert cov[("circle", "c01")]["seats"] == 1 and cov[("circle", "c02")]["seats"] == 1


def test_represented_share_never_passes_one():
    """QA: 入会时长 showed 1.0001. The council reader sums the shares stored in layers_council_coverage, which were
    rounded to 4 decimals (three bands of 0.12345, 0.43335, 0.4432 round to a sum of 1.0001); they are stored unrounded
    now, and the sum is capped at 1."""
    shares = {"tenure": {"<180d": 0.1235, "180-365d": 0.4334, "365d+": 0.4432}}  # as stored before: rounded
    cands = [_cand("a", 0.9, tenure="<180d"), _cand("b", 0.8, tenure="180-365d"), _cand("c", 0.7, tenure="365d+")]
    out = propose_slate(cands, shares, 3, balance=0.6, factor=0)
    assert out["summary"]["tenure"]["members_represented"] == 1.0
    exact = {"tenure": {"<180d": 12345 / 100000, "180-365d": 43335 / 100000, "365d+": 44320 / 100000}}
    assert all(c["community_share"] == exact["tenure"][c["value"]]
               for c in propose_slate(cands, exact, 3, balance=0.6, factor=0)["coverage"])
