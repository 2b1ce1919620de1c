"""Ripple rings and seed attribution agree: a member's ring is that of their earliest reached item, every adopter's
seed is a real seed, and ring k's first adoption is never before ring k-1's (QA finding 3: a member whose first topic
item was unreached had no ring, yet an adopter two rings out came "via" them and was credited to them as its seed)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import numpy as np

from reef.ingest import import_paths
from reef.network.ripple import propagate_rings

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _walk(group, parent, via, seed):
    """The rings a walk through the items in time order gives (member hops): the reference for the numpy passes."""
    reached_at, gring, out = {}, {}, []
    seed_groups = {g for g, s in zip(group, seed) if s}
    for i, g in enumerate(group):
        link = group[parent[i]] if parent[i] >= 0 else via[i]
        if g in seed_groups:
            ring = 0
        elif link >= 0 and link in reached_at and reached_at[link] < i:
            ring = gring[link] + 1
        else:
            ring = -1
        if ring >= 0 and g not in reached_at:
            reached_at[g], gring[g] = i, ring
        out.append(ring)
    return out


def test_a_member_whose_first_item_was_unreached_takes_the_ring_of_their_first_reached_item():
    # 0 seed's post; 1 b's own unlinked post (unreached); 2 b replies to 0 (ring 1); 3 c replies to 2; 4 d came via b
    group, parent = np.array([0, 1, 1, 2, 3]), np.array([-1, -1, 0, 2, -1])
    via, seed = np.array([-1, -1, -1, -1, 1]), np.array([True, False, False, False, False])
    assert propagate_rings(group, parent, via, seed).tolist() == [0, -1, 1, 2, 2]  # d was unreached: b's ring was item 1's


def test_the_numpy_passes_equal_a_walk_in_time_order():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n, members = int(rng.integers(1, 25)), int(rng.integers(1, 8))
        group = rng.integers(0, members, n)
        group = np.unique(group, return_inverse=True)[1]
        parent = np.array([int(rng.integers(-1, i)) if i and rng.random() < 0.5 else -1 for i in range(n)])
        via = np.where(parent < 0, rng.integers(-1, group.max() + 1, n), -1)
        seed = np.isin(group, rng.choice(group.max() + 1, 1))
        assert propagate_rings(group, parent, via, seed).tolist() == _walk(group, parent, via, seed)


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def _topic_store(store, tmp_path):
    """Seed s; b posted on the topic before s (unreached), then replied to s; c replied to b; e to s; d @-ed b; x
    posted on the topic and nobody links them to s."""
    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    members = [{"member_id": m, "joined_at": ts(0)} for m in ("s", "b", "c", "d", "e", "x")]
    content = [{"content_id": "b0", "kind": "thread", "author_id": "b", "created_at": ts(0.5), "title": "露营装备", "body": "露营"},
               {"content_id": "t1", "kind": "thread", "author_id": "s", "created_at": ts(1), "title": "露营攻略", "body": "露营攻略"},
               {"content_id": "r1", "kind": "reply", "author_id": "b", "parent_id": "t1", "created_at": ts(2), "body": "露营好"},
               {"content_id": "r2", "kind": "reply", "author_id": "c", "parent_id": "r1", "created_at": ts(3), "body": "同意"},
               {"content_id": "r3", "kind": "reply", "author_id": "e", "parent_id": "t1", "created_at": ts(4), "body": "收藏"},
               {"content_id": "d1", "kind": "thread", "author_id": "d", "created_at": ts(5), "title": "露营心得", "body": "看了@b 的露营"},
               {"content_id": "x1", "kind": "thread", "author_id": "x", "created_at": ts(0.7), "title": "露营", "body": "露营"}]
    inter = [{"interaction_id": "m1", "kind": "mention", "actor_id": "d", "target_member_id": "b", "related_content_id": "d1",
              "created_at": ts(5)}]
    import_paths(store, [_write(tmp_path / "members.jsonl", members), _write(tmp_path / "content.jsonl", content),
                         _write(tmp_path / "interactions.jsonl", inter)])


def test_rings_run_forward_in_time_and_every_seed_is_a_seed(store, tmp_path):
    from reef.network.campaign import ripple

    _topic_store(store, tmp_path)
    r = ripple(store, T0 + timedelta(days=10), store.config, topic="露营", seeds=["s"], since=T0)
    rows = {row["member_id"]: row for row in r["table"].to_pylist()}
    got = {m: (row["ring"], row["via_member_id"], row["seed_member_id"]) for m, row in rows.items()}
    assert got == {"s": (0, None, "s"), "b": (1, "s", "s"), "c": (2, "b", "s"), "e": (1, "s", "s"), "d": (2, "b", "s"),
                   "x": (None, None, None)}  # x posted on the topic but was never reached: no ring, and no seed
    assert rows["b"]["content_id"] == "r1"  # b adopted with the reply that reached them, not their earlier post
    for row in rows.values():
        if row["ring"]:
            assert rows[row["via_member_id"]]["ring"] == row["ring"] - 1
            assert rows[row["via_member_id"]]["adopted_at"] <= row["adopted_at"]
    firsts = [x["first_at"] for x in r["rings"] if x["ring"] is not None]
    assert firsts == sorted(firsts)
    assert r["reached"] == 5 and r["adopters"] == 6
    assert r["unreached"] == 1 and r["boost"] == []
    assert r["boost_empty"] == {"reason": "no_engagement", "rings": [2, 3], "adopters": 2, "min_engagement": 1}


def test_the_ripple_command_names_the_unreached_row_explains_its_figures_and_why_nobody_is_boosted(store, tmp_path):
    """QA finding 8: the by-ring table had a blank ring cell holding the unlinked posters, the two headline figures
    were not explained, and an empty boost list printed as an empty table."""
    from typer.testing import CliRunner

    from reef.cli import app

    _topic_store(store, tmp_path)
    path = str(store.path)
    store.close()
    args = ["ripple", "--topic", "露营", "--seeds", "s", "--since", "2026-01-01", "--as-of", "2026-01-11", "--db", path]
    zh = CliRunner().invoke(app, args, env={"COLUMNS": "400"})
    assert zh.exit_code == 0, zh.output
    assert "│ 未经种子触达 │ 1 " in zh.stdout
    assert "触达人数：其中可经回复、引用、@或互动追溯到种子的成员" in zh.stdout and "其余 1 人在话题上发过帖" in zh.stdout
    assert "助推名单为空：第 2-3 圈有 2 位参与者，但没有人的帖子获得至少 1 次互动" in zh.stdout
    en = CliRunner().invoke(app, [*args, "--lang", "en"], env={"COLUMNS": "400"})
    assert "not reached from the seeds" in en.stdout and "The boost list is empty: ring 2-3 has 2 adopters" in en.stdout
    data = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert data["unreached"] == 1 and data["boost_empty"]["reason"] == "no_engagement"
