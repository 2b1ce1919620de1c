"""The open plaza on a hand-made store: who draws broad, diverse, new and friendly repliers; what is left out."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.config import load_config
from reef.layers.common import layer_params
from reef.layers.plaza import write_plaza

AS_OF = datetime(2026, 6, 30, tzinfo=timezone.utc)


@pytest.fixture
def plaza_store(store):
    """Starters: host (open topics, repliers from two circles, a newcomer), asker (questions only), narrow (one replier
    per thread), flamed (hostile replies), rumour (a thread someone corrected). Repliers r1-r4 (circles c01/c02), nc (new)."""
    day = lambda d: AS_OF - timedelta(days=d)  # noqa: E731
    members = ["host", "asker", "narrow", "flamed", "rumour", "r1", "r2", "r3", "r4"]
    rows, feats = [], []

    def post(cid, author, d, parent=None, intents=(), sentiment=0, tox=0.0):
        rows.append((cid, "reply" if parent else "thread", author, day(d), parent, parent or cid))
        feats.append((cid, list(intents), sentiment, tox))

    for k in range(3):
        post(f"h{k}", "host", 20 + k, intents=["experience"])
        for j, r in enumerate(["r1", "r2", "r3", "nc"]):
            post(f"h{k}r{j}", r, 19 + k, parent=f"h{k}", sentiment=1)
        post(f"a{k}", "asker", 20 + k, intents=["question"])
        for j, r in enumerate(["r1", "r2", "r3", "r4"]):
            post(f"a{k}r{j}", r, 19 + k, parent=f"a{k}", intents=["answer"])
        post(f"n{k}", "narrow", 20 + k, intents=["experience"])
        post(f"n{k}r", "r1", 19 + k, parent=f"n{k}")
        post(f"f{k}", "flamed", 20 + k, intents=["experience"])
        for j, r in enumerate(["r1", "r2", "r3"]):
            post(f"f{k}r{j}", r, 19 + k, parent=f"f{k}", intents=["personal_attack"] if j == 0 else [], sentiment=-1, tox=0.9 if j == 0 else 0.0)
        post(f"u{k}", "rumour", 20 + k, intents=["experience"])
        for j, r in enumerate(["r1", "r2", "r3", "r4"]):
            post(f"u{k}r{j}", r, 19 + k, parent=f"u{k}", intents=["clarification"] if j == 0 else [])
    with store.transaction():
        for m in members:
            store.execute("INSERT INTO members (member_id, name, joined_at, account_type) VALUES (?, ?, ?, 'member')", [m, m, day(400)])
        store.execute("INSERT INTO members (member_id, name, joined_at, account_type) VALUES ('nc', 'nc', ?, 'member')", [day(30)])
        for cid, kind, author, at, parent, thread in rows:
            store.execute("INSERT INTO content (content_id, kind, author_id, created_at, parent_id, thread_id, body) VALUES (?, ?, ?, ?, ?, ?, '内容')",
                          [cid, kind, author, at, parent, thread])
        for cid, intents, sentiment, tox in feats:
            store.execute("INSERT INTO content_features (content_id, intents, sentiment, toxicity) VALUES (?, ?, ?, ?)",
                          [cid, intents, sentiment, tox])
        store.execute("""CREATE TABLE layers_circle_members AS SELECT * FROM (VALUES ('r1', 'c01'), ('r2', 'c01'), ('r3', 'c02'),
                         ('r4', 'c02'), ('nc', 'c02')) t(member_id, circle_id)""")
        store.execute("CREATE TABLE layers_circles AS SELECT * FROM (VALUES ('c01'), ('c02')) t(circle_id)")
    return store


def test_open_topics_with_broad_friendly_replies_rank_first(plaza_store):
    p = layer_params(load_config())
    with plaza_store.transaction():
        write_plaza(plaza_store, AS_OF, p)
    rows = {r["member_id"]: r for r in plaza_store.fetch_dicts("SELECT * FROM layers_plaza")}
    assert set(rows) == {"host", "narrow"}  # asker: questions; flamed: hostile replies; rumour: corrected threads
    host, narrow = rows["host"], rows["narrow"]
    assert host["rank"] == 1 and host["score"] > narrow["score"]
    assert host["mean_repliers"] == 4.0 and host["repliers"] == 4 and host["newcomer_repliers"] == 1
    assert host["mean_newcomers"] == 1.0 and host["circles"] == 2
    # Repliers from c01, c01, c02, c02: entropy 1 bit over log2(2 circles) = 1.
    assert host["diversity_part"] == pytest.approx(1.0) and narrow["diversity_part"] == 0.0
    assert host["tone_part"] > narrow["tone_part"]
    assert "新人1人" in host["evidence_zh"] and "1 newcomer)" in host["evidence_en"]


def test_topics_that_work_compare_with_the_plaza_mean(plaza_store):
    p = {**layer_params(load_config()), "plaza_topic_min_threads": 1}
    with plaza_store.transaction():
        write_plaza(plaza_store, AS_OF, p)
    topics = plaza_store.fetch_dicts("SELECT * FROM layers_plaza_topics")
    kind = next(t for t in topics if t["topic_type"] == "kind" and t["topic"] == "thread")
    # Only the 9 threads of host, narrow and flamed are plaza topics: (4 x 3 + 1 x 3 + 3 x 3) / 9 repliers.
    assert kind["threads"] == 9 and kind["mean_repliers"] == pytest.approx(24 / 9, abs=0.01) and kind["lift"] == pytest.approx(1.0)
    assert "帖子" in kind["evidence_zh"]


def test_fewer_threads_than_the_minimum_leave_a_starter_out(plaza_store):
    p = {**layer_params(load_config()), "plaza_min_threads": 4}
    with plaza_store.transaction():
        assert write_plaza(plaza_store, AS_OF, p) == 0


def test_a_starter_nobody_answered_is_not_listed(plaza_store):
    with plaza_store.transaction():
        plaza_store.execute("INSERT INTO members (member_id, name, joined_at, account_type) VALUES ('quiet0', 'quiet', ?, 'member')",
                            [AS_OF - timedelta(days=400)])
        for k in range(3):
            plaza_store.execute("INSERT INTO content (content_id, kind, author_id, created_at, thread_id, body) VALUES (?, 'thread', 'quiet0', ?, ?, '内容')",
                                [f"q{k}", AS_OF - timedelta(days=20 + k), f"q{k}"])
            plaza_store.execute("INSERT INTO content_features (content_id, intents, sentiment, toxicity) VALUES (?, ['experience'], 0, 0)", [f"q{k}"])
        write_plaza(plaza_store, AS_OF, layer_params(load_config()))
    assert "quiet0" not in {r[0] for r in plaza_store.fetch_all("SELECT member_id FROM layers_plaza")}
    assert {"host", "narrow"} <= {r[0] for r in plaza_store.fetch_all("SELECT member_id FROM layers_plaza")}


def test_an_aspect_topics_english_evidence_names_it_in_english(plaza_store):
    """The English evidence of a plaza topic that is an aspect says "price", not the stored 价格 (the workbook's
    Topic column says price too); a tag stays as members wrote it."""
    p = {**layer_params(load_config()), "plaza_topic_min_threads": 1}
    with plaza_store.transaction():
        plaza_store.execute("UPDATE content_features SET aspect_names = ['价格']")
        plaza_store.execute("UPDATE content SET tags = ['保养维修']")
        write_plaza(plaza_store, AS_OF, p)
    topics = {(t["topic_type"], t["topic"]): t for t in plaza_store.fetch_dicts("SELECT * FROM layers_plaza_topics")}
    assert topics[("aspect", "价格")]["evidence_en"].startswith('"price": ') and "价格" in topics[("aspect", "价格")]["evidence_zh"]
    assert topics[("kind", "thread")]["evidence_en"].startswith('"thread": ')
    assert topics[("tag", "保养维修")]["evidence_en"].startswith('"保养维修": ')
