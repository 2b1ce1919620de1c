"""`reef effect --action seed --topic X` answers "did seeding topic X work?": only the seed actions recorded with that
topic (attrs.topic) are measured, members seeded on another topic are never controls, a topic on any other kind is
refused, and the CLI, the Python API and GET /api/v1/effect give the same numbers."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.actions.effect import action_effect
from reef.errors import InvalidParameterError
from reef.store import close_all


@pytest.fixture
def seeded(store):
    """s1 was asked to seed 续航 and s2 充电 on the same day; both and the controls c1, c2 posted alike before. s1
    posts more afterwards; old1's seed carries its topic only in the note (recorded before the field was kept)."""
    with store.transaction():
        for m in ("s1", "s2", "c1", "c2", "old1"):
            store.execute("INSERT INTO members (member_id, joined_at, account_type) VALUES "
                          "(?, TIMESTAMPTZ '2025-01-01 12:00:00+08', 'member')", [m])
        n = 0
        for m in ("s1", "s2", "c1", "c2", "old1"):
            for day in ("2026-02-10", "2026-02-20"):  # the pre window
                n += 1
                store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                              "(?, 'thread', ?, CAST(? AS TIMESTAMPTZ))", [f"p{n}", m, f"{day} 12:00:00+08"])
        for day in ("2026-03-05", "2026-03-10", "2026-03-15", "2026-03-20"):  # s1 after being seeded
            n += 1
            store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                          "(?, 'thread', 's1', CAST(? AS TIMESTAMPTZ))", [f"p{n}", f"{day} 12:00:00+08"])
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES "
                      "('end', 'thread', 'c1', TIMESTAMPTZ '2026-06-01 00:00:00+08')")  # the end of the data
        store.execute("""INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, note, attrs) VALUES
            ('a1', 'seed', 'li', 's1', TIMESTAMPTZ '2026-03-01 15:00:00+08', 'open', '播种话题：续航', '{"topic": "续航"}'),
            ('a2', 'seed', 'li', 's2', TIMESTAMPTZ '2026-03-01 15:00:00+08', 'open', '播种话题：充电', '{"topic": "充电"}'),
            ('a3', 'seed', 'li', 'old1', TIMESTAMPTZ '2026-03-01 15:00:00+08', 'open', '播种话题：续航', NULL)""")
    return store


def test_a_topic_measures_only_its_seed_actions(seeded):
    every = action_effect(seeded, "seed")
    assert every["topic"] is None and every["n_recorded"] == 3 and every["n_treated"] == 3
    r = action_effect(seeded, "seed", topic="续航")
    assert r["topic"] == "续航" and r["n_recorded"] == 1 and r["n_actions"] == 1 and r["n_treated"] == 1
    # s2 (seeded on 充电) and old1 (a seed without the field) are no controls: only c1 and c2 are.
    assert r["n_controls"] == 2
    threads = next(o for o in r["outcomes"] if o["outcome"] == "threads")
    assert threads["treated_post"] > threads["control_post"] and r["estimate"] > 0
    assert "受邀播种话题「续航」的成员其后30天发帖比匹配对照多" in r["summary"]
    assert "Members asked to seed the topic '续航' posted" in r["summary_en"]
    none = action_effect(seeded, "seed", topic="没人播种的话题", lang="en")
    assert none["n_recorded"] == 0 and "Seed a topic (topic: 没人播种的话题)" in none["summary"]
    assert action_effect(seeded, "seed", topic="  ")["topic"] is None  # blank is no filter, as in the listings


def test_a_topic_on_another_kind_is_refused(seeded):
    with pytest.raises(InvalidParameterError) as err:
        action_effect(seeded, "recognise", topic="续航")
    assert err.value.name == "topic"


def test_cli_python_api_and_http_give_the_same_numbers_for_a_topic(seeded):
    import reef
    from reef.cli import app

    db = seeded.path
    close_all()
    runner = CliRunner()
    cli = runner.invoke(app, ["effect", "--action", "seed", "--topic", "续航", "--no-ladder", "--db", str(db), "--json"])
    assert cli.exit_code == 0, cli.output
    cli = json.loads(cli.stdout)
    text = runner.invoke(app, ["effect", "--action", "seed", "--topic", "续航", "--no-ladder", "--db", str(db)])
    assert text.exit_code == 0 and "话题" in text.stdout and "续航" in text.stdout
    refused = runner.invoke(app, ["effect", "--action", "recognise", "--topic", "续航", "--no-ladder", "--db", str(db)])
    assert refused.exit_code == 2
    community = reef.open(db, read_only=True)
    py = community.effect(action="seed", topic="续航", ladder=False)
    community.close()
    pytest.importorskip("fastapi")
    from surface_fixtures import client_on, login

    from reef.actions.users import add_user

    close_all()
    from reef.store import open_store

    store = open_store(db)
    add_user(store, "viewer", "viewer", password="viewer-pass-123")
    close_all()
    with client_on(db) as client:
        assert client.post("/api/v1/login", json={"username": "viewer", "password": "viewer-pass-123"}).status_code == 200
        api = client.get("/api/v1/effect", params={"action": "seed", "topic": "续航"}).json()
        assert client.get("/api/v1/effect", params={"action": "invite", "topic": "续航"}).status_code == 422
    keys = ("topic", "n_recorded", "n_treated", "n_controls", "estimate", "ci_low", "ci_high", "summary")
    assert [cli[k] for k in keys] == [py[k] for k in keys] == [api[k] for k in keys]
    assert cli["topic"] == "续航" and cli["n_treated"] == 1
