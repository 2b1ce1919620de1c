"""Interest groups, the plaza and the council on a small simulated community (planted circles, leaders, decay)."""
from __future__ import annotations

from collections import Counter

import pytest
from sklearn.metrics import adjusted_mutual_info_score

from reef.analyses import run_analyses
from reef.layers import circle_detail, council_slate, interest_groups, plaza_starters
from reef.layers.api import member_circle
from reef.store import open_store

pytestmark = pytest.mark.slow
LAYERS = ["layers_groups", "layers_plaza", "layers_council"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from reef.simulate import SimulationSpec, simulate_to_store

    path = tmp_path_factory.mktemp("layers") / "sim.duckdb"
    store = open_store(path)
    simulate_to_store(store, SimulationSpec(members=1500, days=120, seed=5, end_date="2026-06-30"))
    as_of = run_analyses(store, only=LAYERS).as_of
    store.close()
    return path, as_of


@pytest.fixture
def sim(built):
    return open_store(built[0])


def test_circles_match_the_planted_ones_and_are_named_by_their_terms(sim):
    rows = sim.fetch_all("""SELECT m.circle_id, t.attrs->>'circle' FROM layers_circle_members m JOIN truth_members t USING (member_id)""")
    assert adjusted_mutual_info_score([r[1] for r in rows], [r[0] for r in rows]) > 0.5
    # Each circle's name starts with the planted circle most of its members come from (the circle tag).
    majority = {}
    for c, planted in rows:
        majority.setdefault(c, Counter())[planted] += 1
    names = dict(sim.fetch_all("SELECT circle_id, top_terms FROM layers_circles"))
    named_right = sum(1 for c, terms in names.items() if majority[c].most_common(1)[0][0] in terms[:3])
    assert named_right >= len(names) - 1
    staff = sim.fetch_value("""SELECT count(*) FROM layers_circle_members JOIN members USING (member_id) WHERE account_type <> 'member'""")
    assert staff == 0


def test_sizes_shares_and_member_rows_agree(sim):
    total = sim.fetch_value("SELECT count(*) FROM layers_circle_members")
    for circle_id, size, share in sim.fetch_all("SELECT circle_id, size, share FROM layers_circles"):
        assert size == sim.fetch_value("SELECT count(*) FROM layers_circle_members WHERE circle_id = $c", {"c": circle_id})
        assert share == pytest.approx(size / total, abs=1e-3)
    bad = sim.fetch_value("""SELECT count(*) FROM layers_circle_members WHERE confidence < 0 OR confidence > 1.0001
                             OR abs(graph_part + text_part - confidence) > 0.01 OR second_circle_id = circle_id""")
    assert bad == 0


def test_the_planted_decaying_circle_is_the_least_healthy_and_declining(sim):
    decaying = sim.fetch_value("SELECT params->>'circle' FROM truth_scenarios WHERE scenario = 'heat_death'")
    worst = sim.fetch_dicts("SELECT * FROM layers_circles ORDER BY health LIMIT 1")[0]
    members = Counter(r[0] for r in sim.fetch_all("""SELECT t.attrs->>'circle' FROM layers_circle_members m
        JOIN truth_members t USING (member_id) WHERE m.circle_id = $c""", {"c": worst["circle_id"]}))
    assert members.most_common(1)[0][0] == decaying
    assert worst["trend"] == "declining" and worst["post_growth"] < -0.2
    assert worst["health"] < min(h for (h,) in sim.fetch_all("SELECT health FROM layers_circles WHERE circle_id <> $c",
                                                              {"c": worst["circle_id"]}))


def test_leaders_are_eligible_members_of_their_circle_mostly_planted(sim):
    rows = sim.fetch_dicts("""SELECT l.*, m.circle_id AS own_circle, t.latent_type, lm.life_hostile FROM layers_circle_leaders l
        JOIN layers_circle_members m USING (member_id) JOIN truth_members t USING (member_id) JOIN ladder_members lm USING (member_id)""")
    assert rows
    burnout = {r[0] for r in sim.fetch_all("SELECT member_id FROM risk_evidence WHERE part IN ('burnout', 'care')")}
    for r in rows:
        assert r["own_circle"] == r["circle_id"] and r["stage"] >= 3 and r["life_hostile"] <= 2
        assert r["member_id"] not in burnout
        assert 0 <= r["score"] <= 100 and r["evidence_zh"] and r["evidence_en"]
    assert sum(r["latent_type"] in ("leader", "connector") for r in rows) / len(rows) >= 0.7
    ranks = sim.fetch_all("SELECT circle_id, list(score ORDER BY rank) FROM layers_circle_leaders GROUP BY 1")
    assert all(s == sorted(s, reverse=True) for _, s in ranks)


def test_readers_page_and_switch_language(sim):
    first = interest_groups(sim, top=2)
    second = interest_groups(sim, top=2, offset=2)
    assert [c["rank"] for c in first["circles"]] == [1, 2] and second["circles"][0]["rank"] == 3
    assert first["total"] >= 5 and first["as_of"] is not None
    assert "近30天" in first["circles"][0]["summary"]
    assert "active members" in interest_groups(sim, top=1, lang="en")["circles"][0]["summary"]
    cid = first["circles"][0]["circle_id"]
    page = circle_detail(sim, cid, top=10, offset=5)
    assert len(page["members"]) == 10 and page["total_members"] == first["circles"][0]["size"]
    assert all(m["circle_id"] == cid for m in page["members"])
    assert member_circle(sim, page["members"][0]["member_id"])["circle_id"] == cid
    from reef.errors import NotFoundError

    with pytest.raises(NotFoundError):
        circle_detail(sim, "c99")


def test_plaza_starters_draw_many_and_diverse_repliers_and_skip_help_requests(sim):
    data = plaza_starters(sim, top=20)
    assert data["starters"] and data["topics"]
    scores = [r["score"] for r in data["starters"]]
    assert scores == sorted(scores, reverse=True)
    top, bottom = data["starters"][0], sim.fetch_dicts("SELECT * FROM layers_plaza ORDER BY rank DESC LIMIT 1")[0]
    assert top["mean_repliers"] > bottom["mean_repliers"]
    # No newcomer whose threads are all questions makes the list: help requests are not plaza topics.
    askers = {r[0] for r in sim.fetch_all("""SELECT c.author_id FROM content c JOIN content_features f USING (content_id)
        WHERE c.parent_id IS NULL GROUP BY 1 HAVING bool_and(list_contains(f.intents, 'question'))""")}
    assert not askers & {r[0] for r in sim.fetch_all("SELECT member_id FROM layers_plaza")}
    kinds = Counter(r[0] for r in sim.fetch_all("""SELECT t.latent_type FROM layers_plaza p JOIN truth_members t USING (member_id)
                                                   WHERE p.rank <= 20"""))
    assert kinds["newcomer"] + kinds["lurker"] <= 5


def test_council_is_eligible_balanced_and_honours_seats(sim):
    nine = council_slate(sim, seats=9)
    assert len(nine["slate"]) == 9
    ids = [s["member_id"] for s in nine["slate"]]
    assert len(set(ids)) == 9
    flagged = {r[0] for r in sim.fetch_all("SELECT member_id FROM risk_evidence WHERE part IN ('care', 'burnout')")}
    hostile = {r[0] for r in sim.fetch_all("SELECT member_id FROM ladder_members WHERE life_hostile > 0")}
    assert not set(ids) & (flagged | hostile)
    for s in nine["slate"]:
        assert s["tenure_days"] >= 180 and s["stage"] >= 3
    assert nine["summary"]["car_model"]["covered"] >= 3
    assert nine["summary"]["circle"]["covered"] >= 5
    # Balance matters: without it the slate covers no more (usually fewer) circles.
    from reef.layers.council import propose_slate

    cands = sim.fetch_dicts("SELECT *, circle_id AS circle FROM layers_council_candidates WHERE eligible")
    shares = {}
    for d, v, sh in sim.fetch_all("SELECT dimension, value, community_share FROM layers_council_coverage"):
        shares.setdefault(d, {})[v] = sh
    greedy = propose_slate(cands, shares, 9, balance=0.0, factor=2.0)
    assert nine["summary"]["circle"]["covered"] >= greedy["summary"]["circle"]["covered"]
    three = council_slate(sim, seats=3)
    assert len(three["slate"]) == 3 and {s["member_id"] for s in three["slate"]} <= {c["member_id"] for c in cands}
    # Greedy on a submodular objective: every seat adds no more than the one before.
    for slate in (nine["slate"], three["slate"]):
        gains = [s["objective_gain"] for s in slate]
        assert gains == sorted(gains, reverse=True)
    assert council_slate(sim, seats=9, lang="en")["slate"][0]["evidence"].startswith("joined")


def test_earlier_as_of_sees_less(sim, built):
    path, as_of = built
    from datetime import timedelta

    earlier = as_of - timedelta(days=60)
    before = sim.fetch_value("SELECT count(*) FROM layers_circle_members")
    sim.close()
    store = open_store(path)
    run_analyses(store, as_of=earlier, only=["layers_groups"])
    assert store.fetch_value("SELECT count(*) FROM layers_circle_members") < before
    late = store.fetch_value("""SELECT count(*) FROM layers_circle_members JOIN members USING (member_id) WHERE joined_at >= $t""",
                             {"t": earlier})
    assert late == 0
    run_analyses(store, as_of=as_of, only=["layers_groups"])  # leave the module's store as it was


def test_the_org_page_masks_personal_data_in_circle_names_terms_and_council_circles(sim):
    """Last in the module: it writes a phone number into the shared store's circle names."""
    from reef.layers.surfaces import org_page

    store = sim
    c1 = store.fetch_value("SELECT circle_id FROM layers_circles ORDER BY rank LIMIT 1")
    store.execute("UPDATE layers_circles SET name = 'vx13812345678·改装', top_terms = ['vx13812345678', '改装'] WHERE circle_id = ?", [c1])
    if store.table_exists("layers_council_candidates"):
        store.execute("UPDATE layers_council_candidates SET circle_name = 'vx13812345678·改装'")
    shown = str(org_page(store, masked=True))
    assert "13812345678" not in shown and "138****5678" in shown
    assert "13812345678" in str(org_page(store, masked=False))
