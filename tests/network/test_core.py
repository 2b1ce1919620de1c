"""Hand-made graphs: rings, RR sets / IMM, Monte Carlo, and the graph built from a tiny store."""
from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from reef.ingest import import_paths
from reef.network.influence import CascadeGraph, greedy_cover, imm, monte_carlo, rr_sets
from reef.network.ripple import propagate_rings

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_rings_follow_parents_then_via_and_member_ring_is_first_item():
    # items in time order: seed 0; 1 replies to 0; 2 (member of item 1) -> own later item; 3 via member group of item 1
    group = np.array([0, 1, 2, 1, 3])
    parent = np.array([-1, 0, 1, -1, -1])
    via = np.array([-1, -1, -1, -1, 1])
    seed = np.array([True, False, False, False, False])
    assert propagate_rings(group, parent, via, seed).tolist() == [0, 1, 2, -1, 2]


def test_unreached_items_stay_minus_one():
    assert propagate_rings(np.array([0, 1]), np.array([-1, -1]), np.array([-1, -1]),
                           np.array([False, False])).tolist() == [-1, -1]


def _star(p=1.0):
    src = np.array([0, 0, 0, 4])
    dst = np.array([1, 2, 3, 5])
    return CascadeGraph.from_edges(6, src, dst, np.full(4, p))


def test_monte_carlo_with_certain_edges_counts_reachable_nodes():
    g = _star()
    assert monte_carlo(g, [0], runs=20, seed=1)["mean"] == 4.0
    assert monte_carlo(g, [0, 4], runs=20, seed=1)["mean"] == 6.0
    r = monte_carlo(_star(0.5), [0], runs=4000, seed=1)
    assert r["ci_low"] < 2.5 < r["ci_high"]  # 1 + 3 x 0.5


def test_rr_sets_and_greedy_pick_the_hub_then_the_second_star():
    g = _star()
    ids, nodes = rr_sets(g, 600, np.random.default_rng(3))
    seeds, frac = greedy_cover(g.n, ids, nodes, 600, 2)
    assert seeds.tolist() == [0, 4]
    assert frac == 1.0
    allowed = np.array([False, True, True, True, True, True])
    assert imm(g, 1, seed=2, allowed=allowed).seeds.tolist() == [4]


def test_imm_is_near_the_exhaustive_best_on_a_random_graph():
    rng = np.random.default_rng(5)
    n, m = 30, 90
    g = CascadeGraph.from_edges(n, rng.integers(0, n, m), rng.integers(0, n, m), rng.uniform(0.05, 0.5, m))
    best = max(monte_carlo(g, s, runs=300, seed=9)["mean"] for s in itertools.combinations(range(n), 2))
    got = monte_carlo(g, imm(g, 2, epsilon=0.2, seed=4).seeds, runs=300, seed=9)["mean"]
    assert got >= 0.9 * best


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tiny(store, tmp_path):
    """A hub 'h' answers questions of a1..a5; 'b' posts 30 threads nobody answers and @-s people; staff 's' replies to h."""
    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    members = [{"member_id": m, "joined_at": ts(0)} for m in ["h", "b", "a1", "a2", "a3", "a4", "a5"]]
    members.append({"member_id": "s", "joined_at": ts(0), "account_type": "staff"})
    content = []
    for i in range(1, 6):
        content.append({"content_id": f"q{i}", "kind": "thread", "author_id": f"a{i}", "created_at": ts(i), "title": "怎么充电?"})
        content.append({"content_id": f"r{i}", "kind": "answer", "author_id": "h", "parent_id": f"q{i}", "created_at": ts(i + 0.5)})
    content.append({"content_id": "old", "kind": "reply", "author_id": "a1", "parent_id": "r1", "created_at": ts(1)})
    content += [{"content_id": f"b{i}", "kind": "thread", "author_id": "b", "created_at": ts(i * 0.1)} for i in range(30)]
    content.append({"content_id": "s1", "kind": "reply", "author_id": "s", "parent_id": "r1", "created_at": ts(2)})
    inter = [{"interaction_id": "x1", "kind": "accept", "actor_id": "a2", "target_content_id": "r2", "created_at": ts(3)}]
    # b's traffic is one-way: b @-mentions people, nobody answers b.
    inter += [{"interaction_id": f"m{i}", "kind": "mention", "actor_id": "b", "target_member_id": f"a{i}",
               "related_content_id": f"b{i}", "created_at": ts(i * 0.1)} for i in range(1, 6)]
    import_paths(store, [_write(tmp_path / "members.jsonl", members), _write(tmp_path / "content.jsonl", content),
                         _write(tmp_path / "interactions.jsonl", inter)])
    return store


def test_graph_edges_directions_decay_and_staff(tiny):
    from reef.network.graph import build_edges

    as_of = T0 + timedelta(days=91)  # the reply 'old' (day 1) is one half-life (90 days) old
    build_edges(tiny, as_of, tiny.config)
    e = {(s, d, k): (n, w) for s, d, k, n, w in tiny.fetch_all("SELECT src, dst, kind, n, weight FROM network_edges")}
    assert e[("h", "a1", "answer")][0] == 1
    assert e[("a1", "h", "ask")][0] == 1  # asker -> answerer
    assert e[("a1", "h", "reply")][1] == pytest.approx(0.5, rel=1e-6)
    assert e[("a2", "h", "accept")][0] == 1
    assert not any("s" in (s, d) for s, d, _ in e)  # staff stay out


def test_connectors_rank_the_hub_and_label_the_broadcaster(tiny):
    from reef.analyses import run_analyses

    run_analyses(tiny, only=["network_connectors"])
    rows = {r["member_id"]: r for r in tiny.fetch_dicts("SELECT * FROM network_connectors")}
    assert rows["h"]["askers"] == 5 and rows["h"]["rank"] == 1
    assert rows["h"]["expertise"] > max(rows[f"a{i}"]["expertise"] for i in range(1, 6))
    assert rows["b"]["role"] == "broadcaster"
    assert rows["h"]["examples"]


def test_poll_votes_are_no_ties_or_items_and_only_members_replies_follow_on(store, tmp_path):
    from reef.analyses import run_analyses

    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    members = [{"member_id": m, "joined_at": ts(0)} for m in ("p", "v", "c", "r", "gone")]
    members[-1]["left_at"] = ts(20)
    members += [{"member_id": "s", "joined_at": ts(0), "account_type": "staff"},
                {"member_id": "br", "joined_at": ts(0), "account_type": "brand"}]
    content = [{"content_id": f"poll{i}", "kind": "poll", "author_id": "p", "created_at": ts(1 + i * 0.1), "title": f"投票{i}"}
               for i in range(25)]
    # v votes 25 times: votes pick options, so v is neither p's partner nor a one-way broadcaster
    content += [{"content_id": f"v{i}", "kind": "poll_vote", "author_id": "v", "parent_id": f"poll{i}",
                 "created_at": ts(1.05 + i * 0.1), "body": "A"} for i in range(25)]
    content += [{"content_id": "t", "kind": "thread", "author_id": "c", "created_at": ts(3), "title": "提车作业"},
                {"content_id": "x1", "kind": "reply", "author_id": "r", "parent_id": "t", "created_at": ts(3.1)},
                {"content_id": "x2", "kind": "reply", "author_id": "gone", "parent_id": "t", "created_at": ts(3.2)},
                {"content_id": "x3", "kind": "reply", "author_id": "s", "parent_id": "t", "created_at": ts(3.3)},
                {"content_id": "x4", "kind": "reply", "author_id": "br", "parent_id": "t", "created_at": ts(3.4)},
                {"content_id": "x5", "kind": "reply", "author_id": "v", "parent_id": "t", "created_at": ts(3.5)},
                {"content_id": "x0", "kind": "reply", "author_id": "r", "parent_id": "poll0", "created_at": ts(3.6)}]
    import_paths(store, [_write(tmp_path / "members.jsonl", members), _write(tmp_path / "content.jsonl", content)])
    run_analyses(store, as_of=ts(30), only=["network_connectors"])
    assert store.fetch_all("SELECT src, dst, kind FROM network_edges WHERE 'v' IN (src, dst)") == [("v", "c", "reply")]
    rows = {r["member_id"]: r for r in store.fetch_dicts("SELECT * FROM network_connectors")}
    assert rows["v"]["items"] == 1 and rows["v"]["role"] != "broadcaster"
    assert rows["p"]["items"] == 25 and rows["p"]["followon_replies"] == 1  # votes are no follow-on talk either
    # the members' replies follow on, also one by a member who has left since; the staff and brand replies do not
    assert rows["c"]["followon_replies"] == 3


def test_both_betweenness_estimators_find_the_bridge():
    """Two cliques joined by the path 0-10-11: the sampled BFS estimator and KADABRA (large graphs) both find it."""
    import itertools

    import numpy as np

    from reef.network.connectors import approx_betweenness

    pairs = [(a, b) for grp in (range(10), range(11, 21)) for a, b in itertools.combinations(grp, 2)] + [(0, 10), (10, 11)]
    src, dst = (np.array(x) for x in zip(*pairs))
    small = approx_betweenness(21, src, dst, 21, 7)
    big = approx_betweenness(21, src, dst, 21, 7, max_work=0, error=0.05)  # forces KADABRA
    # 0, 10 and 11 carry every path between the cliques (about 100 pairs each); clique members carry none.
    for scores in (small, big):
        assert set(np.argsort(-scores)[:3].tolist()) == {0, 10, 11} and scores[np.r_[1:10, 12:21]].max() < 0.01


def test_rr_spread_agrees_with_monte_carlo():
    """Both estimators of the same IC expectation agree within their confidence intervals."""
    import numpy as np

    from reef.network.influence import CascadeGraph, monte_carlo, rr_spread

    rng = np.random.default_rng(3)
    src, dst = rng.integers(0, 300, 1500), rng.integers(0, 300, 1500)
    keep = src != dst
    g = CascadeGraph.from_edges(300, src[keep], dst[keep], np.full(int(keep.sum()), 0.15))
    seeds = {"a": [0, 1, 2], "b": [10]}
    rr = rr_spread(g, seeds, count=40_000, seed=1)
    for name, s in seeds.items():
        mc = monte_carlo(g, s, runs=4000, seed=2)
        assert abs(rr[name]["mean"] - mc["mean"]) < 2 * ((rr[name]["ci_high"] - rr[name]["ci_low"]) / 2
                                                         + (mc["ci_high"] - mc["ci_low"]) / 2) + 0.5
    assert rr["a"]["mean"] > rr["b"]["mean"]


def test_a_seed_is_at_ring_zero_even_when_its_first_topic_item_is_a_reply(store, tmp_path):
    from reef.network.campaign import ripple

    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    members = [{"member_id": m, "joined_at": ts(0)} for m in ("x", "seed", "f1", "f2")]
    content = [{"content_id": "t0", "kind": "thread", "author_id": "x", "created_at": ts(1), "title": "露营装备", "body": "露营"},
               {"content_id": "r0", "kind": "reply", "author_id": "seed", "parent_id": "t0", "created_at": ts(1.1), "body": "露营推荐帐篷"},
               {"content_id": "t1", "kind": "thread", "author_id": "seed", "created_at": ts(2), "title": "露营攻略", "body": "露营攻略"},
               {"content_id": "r1", "kind": "reply", "author_id": "f1", "parent_id": "t1", "created_at": ts(2.1), "body": "露营好玩"},
               {"content_id": "r2", "kind": "reply", "author_id": "f2", "parent_id": "r1", "created_at": ts(2.2), "body": "露营+1"}]
    import_paths(store, [_write(tmp_path / "members.jsonl", members), _write(tmp_path / "content.jsonl", content)])
    r = ripple(store, T0 + timedelta(days=10), store.config, topic="露营", seeds=["seed"], since=T0)
    rings = {row["member_id"]: row["ring"] for row in r["table"].to_pylist()}
    assert rings["seed"] == 0 and rings["f1"] == 1 and rings["f2"] == 2
    assert r["reached"] >= 3


def test_help_ledger_credits_the_askers_accept_each_collaborator_once_and_counts_members_questions(store, tmp_path):
    from reef.analyses import run_analyses
    from reef.network.helpers import help_summary

    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    members = [{"member_id": m, "joined_at": ts(0)} for m in ("q", "q2", "a", "b", "gone")]
    members[-1]["left_at"] = ts(20)
    members.append({"member_id": "s", "joined_at": ts(0), "account_type": "staff"})
    content = [{"content_id": "t1", "kind": "thread", "author_id": "q", "created_at": ts(1), "title": "怎么装充电桩?"},
               {"content_id": "r1", "kind": "answer", "author_id": "a", "parent_id": "t1", "created_at": ts(1.1)},
               {"content_id": "t2", "kind": "thread", "author_id": "q2", "created_at": ts(2), "title": "冬天续航多少?"},
               {"content_id": "r2", "kind": "answer", "author_id": "a", "parent_id": "t2", "created_at": ts(2.1)},
               {"content_id": "t3", "kind": "thread", "author_id": "gone", "created_at": ts(3), "title": "保养多少钱?"},
               {"content_id": "r3", "kind": "answer", "author_id": "a", "parent_id": "t3", "created_at": ts(3.1)},
               {"content_id": "p1", "kind": "photo", "author_id": "a", "created_at": ts(4), "body": "和@b 一起拍的 @b"}]
    inter = [{"interaction_id": "x1", "kind": "accept", "actor_id": "s", "target_content_id": "r1", "created_at": ts(1.2)},
             {"interaction_id": "x2", "kind": "accept", "actor_id": "q2", "target_content_id": "r2", "created_at": ts(2.2)}]
    inter += [{"interaction_id": f"m{i}", "kind": "mention", "actor_id": "a", "target_member_id": "b", "related_content_id": "p1",
               "created_at": ts(4)} for i in (1, 2)]
    import_paths(store, [_write(tmp_path / "members.jsonl", members), _write(tmp_path / "content.jsonl", content),
                         _write(tmp_path / "interactions.jsonl", inter)])
    as_of = run_analyses(store, as_of=ts(30), only=["network_helpers"]).as_of
    acts = store.fetch_all("SELECT act, about_id FROM network_help_acts WHERE act IN ('accepted', 'cocreate') ORDER BY 1, 2")
    assert acts == [("accepted", "t2"), ("cocreate", "p1")]  # the staff accept of r1 is not the asker's
    s = help_summary(store, as_of)
    assert s["first_questions"] == 2 and s["answered_24h"] == 2  # the member who left is not counted


def test_a_comment_on_a_question_is_no_answer(store, tmp_path):
    """An answer (kind answer) or a forum reply below a question is an `answer` act; a comment below the question (a
    Stack Exchange comment asking for details) is not, and does not make the question answered within 24 h. The old
    ledger counted every reply kind, so a member with 1 answer and 2 comments had 3 answers."""
    from reef.network.helpers import help_summary, write_helpers

    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    members = [{"member_id": m, "joined_at": ts(0)} for m in ("q", "q2", "q3", "h")]
    content = [{"content_id": "t1", "kind": "thread", "author_id": "q", "created_at": ts(1), "title": "怎么装充电桩?"},
               {"content_id": "c1", "kind": "comment", "author_id": "h", "parent_id": "t1", "created_at": ts(1.05)},
               {"content_id": "r1", "kind": "answer", "author_id": "h", "parent_id": "t1", "created_at": ts(1.1)},
               {"content_id": "t2", "kind": "thread", "author_id": "q2", "created_at": ts(2), "title": "冬天续航多少?"},
               {"content_id": "c2", "kind": "comment", "author_id": "h", "parent_id": "t2", "created_at": ts(2.1)},
               {"content_id": "r2", "kind": "answer", "author_id": "h", "parent_id": "t2", "created_at": ts(5)},
               {"content_id": "t3", "kind": "thread", "author_id": "q3", "created_at": ts(3), "title": "保养多少钱?"},
               {"content_id": "p3", "kind": "reply", "author_id": "h", "parent_id": "t3", "created_at": ts(3.1)}]
    import_paths(store, [_write(tmp_path / "members.jsonl", members), _write(tmp_path / "content.jsonl", content)])
    # the text layer's verdict: the three threads are questions (as `reef enrich` finds on a Q&A dump)
    store.execute("INSERT INTO content_features (content_id, intents) SELECT content_id, "
                  "CASE WHEN kind = 'thread' THEN ['question'] ELSE []::VARCHAR[] END FROM content")
    as_of = T0 + timedelta(days=30)
    write_helpers(store, as_of, store.config)
    answers = store.fetch_all("SELECT content_id FROM network_help_acts WHERE act = 'answer' ORDER BY 1")
    assert answers == [("p3",), ("r1",), ("r2",)]  # the forum reply counts, the comments do not
    assert store.fetch_value("SELECT answers FROM network_helpers WHERE member_id = 'h'") == 3
    s = help_summary(store, as_of)
    # t2 got only a comment within 24 h (its answer came three days later)
    assert s["first_questions"] == 3 and s["answered_24h"] == 2


def test_sampling_figures_are_pinned_across_batches_and_slices(monkeypatch):
    """Pinned from the code before the scratch bitmap was reused (s36): speed-ups must not move a figure. Tiny
    batches and BFS slices so many batches and sliced levels run, as on a million members."""
    from reef.network import influence
    from reef.network.influence import rr_spread

    monkeypatch.setattr(influence, "_KEYS_PER_BATCH", 2000)
    monkeypatch.setattr(influence, "_EDGES_PER_STEP", 40)
    rng = np.random.default_rng(11)
    src, dst = rng.integers(0, 300, 2400), rng.integers(0, 300, 2400)
    keep = src != dst
    g = CascadeGraph.from_edges(300, src[keep], dst[keep], rng.random(int(keep.sum())) * 0.25)
    res = imm(g, 4, seed=3, allowed=np.arange(300) % 5 != 0)
    assert (res.seeds.tolist(), res.rr_sets) == ([8, 97, 174, 92], 5451)
    assert res.marginal.tolist() == pytest.approx([22.67473858, 15.90533847, 10.842047331, 8.80572372], abs=1e-8)
    assert rr_spread(g, {"plan": res.seeds}, count=4000, seed=4)["plan"]["mean"] == pytest.approx(59.4, abs=1e-9)
    assert monte_carlo(g, res.seeds, runs=300, seed=5)["mean"] == pytest.approx(58.376666666666665, abs=1e-9)


def test_bfs_with_a_scratch_bitmap_gives_the_same_and_leaves_it_clean():
    from reef.network.influence import _bfs

    g = CascadeGraph.from_edges(6, np.array([0, 0, 1, 2, 4]), np.array([1, 2, 3, 3, 5]), np.full(5, 0.6))
    roots = [np.array([0]), np.array([4, 0]), np.array([3])]
    plain = _bfs(g.out_ptr, g.out_dst, g.out_p, 6, roots, np.random.default_rng(2))
    seen = np.zeros(3 * 6 + 7, dtype=bool)  # larger than needed, as for a last, smaller batch
    reused = _bfs(g.out_ptr, g.out_dst, g.out_p, 6, roots, np.random.default_rng(2), seen)
    assert [a.tolist() for a in plain] == [a.tolist() for a in reused]
    assert not seen.any()


def test_member_of_is_isin_on_object_ids():
    from reef.network.seeding import _member_of

    ids = np.array(["m1", "m2", "m3", "m10"], dtype=object)
    for members in ({"m2", "m10", "nobody"}, set(), {"m1"}):
        assert _member_of(ids, members).tolist() == np.isin(ids, list(members)).tolist()
