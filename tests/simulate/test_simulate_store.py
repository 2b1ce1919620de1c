"""The simulator writes a valid community into a store, and every planted scenario shows in it."""
from __future__ import annotations

import difflib
import json

from reef.simulate import SimulationSpec
from reef.simulate.lexicon import SPECS


def test_every_entity_imports_with_nothing_quarantined(sim, simstore):
    _, summary = sim
    assert summary.quarantined == 0
    assert simstore.fetch_value("SELECT count(*) FROM quarantine") == 0
    for entity in ("members", "groups", "campaigns", "content", "interactions", "official_facts", "awards", "operator_actions"):
        assert summary.counts[entity] > 0, entity
        assert simstore.fetch_value(f'SELECT count(*) FROM "{entity}"') == summary.counts[entity]
    assert summary.counts["members"] == 1200
    # Every content item has its ground truth, and truth points at real items.
    assert simstore.fetch_value("SELECT count(*) FROM content ANTI JOIN truth_content USING (content_id)") == 0
    assert simstore.fetch_value("SELECT count(*) FROM truth_content ANTI JOIN content USING (content_id)") == 0


def test_timestamps_inside_the_span_and_replies_after_parents(simstore):
    spec = SimulationSpec(members=1200, days=150, seed=11)
    end = f"{spec.end_date} 00:00:00+08"
    for table, col in (("content", "created_at"), ("interactions", "created_at"), ("members", "joined_at")):
        lo, hi = simstore.fetch_all(f'SELECT min("{col}") > TIMESTAMPTZ \'2000-01-01\', max("{col}") < $end::TIMESTAMPTZ FROM "{table}"', {"end": end})[0]
        assert lo and hi, table
    late = simstore.fetch_value("SELECT count(*) FROM content c JOIN content p ON c.parent_id = p.content_id WHERE c.created_at <= p.created_at")
    assert late == 0
    acts_before_join = simstore.fetch_value(
        "SELECT count(*) FROM content c JOIN members m ON c.author_id = m.member_id WHERE c.created_at < m.joined_at")
    assert acts_before_join == 0


def test_staff_flagged_and_official_board_is_theirs(simstore):
    types = dict(simstore.fetch_all("SELECT account_type, count(*) FROM members GROUP BY 1"))
    assert types.get("brand") == 1 and types.get("staff", 0) >= 1
    assert simstore.fetch_value("SELECT count(*) FROM truth_members WHERE latent_type = 'staff'") == types["brand"] + types["staff"]
    polls = simstore.fetch_all("SELECT DISTINCT m.account_type FROM content c JOIN members m ON c.author_id = m.member_id WHERE c.kind = 'poll'")
    assert {p[0] for p in polls} <= {"staff", "brand"}


def test_crisis_wave_is_negative_and_many_authored(simstore):
    s, e, params = simstore.fetch_all("SELECT started_at, ended_at, params FROM truth_scenarios WHERE scenario = 'pr_crisis'")[0]
    aspect = json.loads(params)["aspect"]
    rows = simstore.fetch_all("""
        SELECT c.created_at >= $s AND c.created_at < $e, avg((t.sentiment < 0)::INT), count(DISTINCT c.author_id),
               count(*) / count(DISTINCT date_trunc('day', c.created_at))
        FROM content c JOIN truth_content t USING (content_id)
        WHERE list_contains(t.aspects, $a) AND c.parent_id IS NULL GROUP BY 1""", {"s": s, "e": e, "a": aspect})
    by = {r[0]: r[1:] for r in rows}
    assert by[True][0] > 3 * by[False][0]
    assert by[True][1] >= 20  # a wave of many authors, not one angry member
    assert by[True][2] > 4 * by[False][2]  # daily volume spikes


def test_misinformation_contradicts_facts_and_some_is_corrected(simstore):
    facts = {(m, a): v for m, a, v in simstore.fetch_all("SELECT model, attribute, value FROM official_facts WHERE kind = 'spec'")}
    assert facts[("澜途S7", "range_cltc")] == SPECS["澜途S7"]["range_cltc"]
    rumours = simstore.fetch_all("SELECT claim FROM truth_content WHERE scenario = 'misinformation'")
    assert len(rumours) >= 10
    for (claim,) in rumours:
        c = json.loads(claim)
        assert abs(c["value"] - facts[(c["model"], c["attribute"])]) > 0.05 * facts[(c["model"], c["attribute"])]
    fixes = simstore.fetch_all("""
        SELECT c.created_at > p.created_at, t.claim FROM truth_content t JOIN content c USING (content_id)
        JOIN content p ON c.parent_id = p.content_id WHERE t.scenario = 'misinformation_correction'""")
    assert 0 < len(fixes) < len(rumours)  # some rumours stay uncorrected
    assert all(after and json.loads(cl)["value"] == facts[(json.loads(cl)["model"], json.loads(cl)["attribute"])] for after, cl in fixes)


def test_faction_conflict_runs_between_tenure_groups(simstore):
    rows = simstore.fetch_all("""
        SELECT ta.faction, tp.faction, count(*) FROM truth_content t JOIN content c USING (content_id)
        JOIN content p ON c.thread_id = p.content_id
        JOIN truth_members ta ON ta.member_id = c.author_id JOIN truth_members tp ON tp.member_id = p.author_id
        WHERE t.scenario = 'faction_conflict' GROUP BY 1, 2""")
    assert sum(n for a, b, n in rows) >= 50
    assert all(a != b and a in ("old", "new") and b in ("old", "new") for a, b, _ in rows)
    hostile = simstore.fetch_value("SELECT count(*) FROM truth_content WHERE scenario = 'faction_conflict' AND list_contains(intents, 'personal_attack')")
    assert hostile > 0


def test_heat_death_circle_activity_falls_and_homogenises(simstore):
    gid = json.loads(simstore.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = 'heat_death'"))["group_id"]
    start = simstore.fetch_value("SELECT started_at FROM truth_scenarios WHERE scenario = 'heat_death'")
    counts = simstore.fetch_all("""
        SELECT floor(epoch(created_at - ($s - INTERVAL 28 DAY)) / 604800) AS w, count(*) FROM content
        WHERE group_id = $g AND created_at >= $s - INTERVAL 28 DAY GROUP BY 1 ORDER BY 1""", {"g": gid, "s": start})
    series = [n for _, n in counts]
    # Weekly posts in the circle: the four weeks before the decay against two late weeks.
    assert len(series) >= 8 and sum(series[:4]) / 4 > 2 * sum(series[-3:-1]) / 2
    dups = simstore.fetch_value("SELECT count(*) FROM truth_content WHERE scenario = 'heat_death' AND duplicate_of IS NOT NULL")
    assert dups > 0


def test_burnout_members_go_quiet(simstore):
    rows = simstore.fetch_all("""
        SELECT m.member_id,
               count(*) FILTER (WHERE c.created_at <  m.burnout_at AND c.created_at >= m.burnout_at - INTERVAL 30 DAY),
               count(*) FILTER (WHERE c.created_at >= m.burnout_at AND c.created_at <  m.burnout_at + INTERVAL 30 DAY)
        FROM truth_members m JOIN content c ON c.author_id = m.member_id
        WHERE m.burnout_at IS NOT NULL AND m.burnout_at < (SELECT max(created_at) FROM content) - INTERVAL 30 DAY
        GROUP BY 1""")
    assert len(rows) >= 5
    before, after = sum(r[1] for r in rows), sum(r[2] for r in rows)
    assert after < 0.2 * before


def test_campaign_ripples_ring_by_ring(simstore):
    seeds = simstore.fetch_value("SELECT seed_member_ids FROM campaigns")
    rings = simstore.fetch_all("SELECT member_id, ring, via_member_id, adopted_at, content_id FROM truth_campaign_rings")
    by_member = {m: (ring, via, at) for m, ring, via, at, _ in rings}
    assert {m for m, (ring, _, _) in by_member.items() if ring == 0} <= set(seeds)
    ring2 = [(m, v) for m, (ring, v, at) in by_member.items() if ring == 2]
    assert ring2, "no ring-2 adopters"
    for m, (ring, via, at) in by_member.items():
        if ring > 0:
            assert by_member[via][0] == ring - 1 and at > by_member[via][2]
    # The adopter quoted the member it learned from, and its post carries the campaign.
    quoted = simstore.fetch_value("""
        SELECT count(*) FROM truth_campaign_rings r JOIN interactions i ON i.related_content_id = r.content_id AND i.kind = 'quote'
        JOIN content c ON c.content_id = r.content_id WHERE r.ring > 0 AND c.campaign_id IS NOT NULL""")
    assert quoted == sum(1 for _, (ring, _, _) in by_member.items() if ring > 0)


def test_questions_answered_accepted_thanked_and_gaps_left(simstore):
    acts = dict(simstore.fetch_all("SELECT kind, count(*) FROM interactions GROUP BY 1"))
    for kind in ("like", "accept", "mention", "quote", "share", "bookmark", "follow", "report", "checkin"):
        assert acts.get(kind, 0) > 0, kind
    thanks = simstore.fetch_value("""
        SELECT count(*) FROM truth_content t JOIN content c USING (content_id) JOIN content p ON c.parent_id = p.content_id
        WHERE list_contains(t.intents, 'thanks') AND p.kind = 'answer'""")
    assert thanks > 0
    gaps = json.loads(simstore.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = 'knowledge_gaps'"))["unanswered_groups"]
    answered_gaps = simstore.fetch_value("""
        SELECT count(*) FROM content a JOIN truth_content q ON a.parent_id = q.content_id
        WHERE a.kind = 'answer' AND list_contains($g, q.group_key)""", {"g": gaps})
    asked_gaps = simstore.fetch_value("SELECT count(*) FROM truth_content WHERE list_contains($g, group_key)", {"g": gaps})
    assert asked_gaps > 0 and answered_gaps == 0


def test_pii_and_copy_paste_planted(simstore):
    pii = dict(simstore.fetch_all("SELECT unnest(pii), count(*) FROM truth_content WHERE pii IS NOT NULL GROUP BY 1"))
    assert {"phone", "wechat", "plate"} <= set(pii)
    row = simstore.fetch_all("""
        SELECT c.body, o.body FROM truth_content t JOIN content c USING (content_id) JOIN content o ON o.content_id = t.duplicate_of
        WHERE t.duplicate_of IS NOT NULL LIMIT 20""")
    assert row and all(difflib.SequenceMatcher(None, b, o).ratio() > 0.8 for b, o in row)
