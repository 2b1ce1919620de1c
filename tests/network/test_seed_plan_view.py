"""The seeding plan for operators (reef.network.seedplan): request checks, why each seed, the view, recording."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.errors import InvalidParameterError, NotFoundError
from reef.network.seedplan import check_seed_request, note_limit, record_seed_plan, run_seed_request, seed_plan_view
from tests.conftest import import_rows

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


@pytest.fixture
def small(tmp_path):
    """'hub' wrote two camping threads in board g1 that six members replied to; 'quiet' one thread one member replied to."""
    repliers = [f"r{i}" for i in range(6)]
    members = [{"member_id": m, "joined_at": _ts(0)} for m in ("quiet", *repliers)]
    members.append({"member_id": "hub", "joined_at": _ts(0), "name": "车主13812345678"})
    content = [{"content_id": "h1", "kind": "thread", "author_id": "hub", "created_at": _ts(1), "title": "露营装备", "group_id": "g1"},
               {"content_id": "h2", "kind": "thread", "author_id": "hub", "created_at": _ts(2), "title": "露营路线", "group_id": "g1"},
               {"content_id": "q1", "kind": "thread", "author_id": "quiet", "created_at": _ts(3), "title": "保养"}]
    content += [{"content_id": f"x{i}", "kind": "reply", "author_id": m, "parent_id": "h1" if i % 2 else "h2",
                 "created_at": _ts(4 + i / 10)} for i, m in enumerate(repliers)]
    content.append({"content_id": "y1", "kind": "reply", "author_id": "r0", "parent_id": "q1", "created_at": _ts(5)})
    groups = [{"group_id": "g1", "name": "露营版", "created_at": _ts(0)}]
    campaigns = [{"campaign_id": "c1", "name": "露营季", "started_at": _ts(6)}]
    return import_rows(tmp_path, {"members": members, "groups": groups, "content": content, "campaigns": campaigns})


def test_requests_are_checked_with_defaults_from_the_configuration(small):
    assert check_seed_request(small)["k"] == int(small.config.get("network.seed_k"))
    assert check_seed_request(small, k=" 4 ", exclude="hub，r1", circle="露营版")["exclude"] == ["hub", "r1"]
    for bad in ("0", "51", "2.5", "三", True):
        with pytest.raises(InvalidParameterError) as err:
            check_seed_request(small, k=bad)
        assert err.value.name == "k"
    for name, kwargs in (("circle", {"circle": "没有"}), ("exclude", {"exclude": ["nobody"]}), ("as_of", {"as_of": "2026-02-30"}),
                         ("topic", {"topic": "长" * 201})):
        with pytest.raises(InvalidParameterError) as err:
            check_seed_request(small, **kwargs)
        assert err.value.name == name


def test_each_seed_says_why_it_was_chosen(small):
    first, second = run_seed_request(small, check_seed_request(small, k=2))["why"]
    assert (first["member_id"], first["order"], first["responders"], first["fit"]) == ("hub", 1, 6, None)
    # each of the six repliers takes the topic up with probability 0.5 (ic_max_prob): about 1 + 3 members
    assert 3 <= first["marginal"] <= 5 and second["order"] == 2 and second["marginal"] < first["marginal"]
    plan = run_seed_request(small, check_seed_request(small, k=2, topic="露营"))  # only hub wrote on it
    assert [w["fit"] for w in plan["why"]] == [2] and plan["candidates"] == 1
    assert plan["request"]["topic"] == "露营" and "name" not in str(plan)  # ids and figures only (job results)
    view = seed_plan_view(small, plan, masked=False, lang="zh")
    assert view["seeds"][0]["name"] == "车主13812345678"
    reasons = view["seeds"][0]["reasons"]
    assert reasons[0].startswith("首选：单靠 TA 预计就能覆盖约") and "6 位成员回复过 TA 的内容，可能接着聊" in reasons
    assert "写过 2 条与「露营」有关的内容" in reasons
    assert view["reach"][0]["strategy"] == "plan" and view["reach"][1]["label"] == "回复者最多的前 1 位"
    assert view["headline"] and view["warning"] is None
    masked = seed_plan_view(small, plan, masked=True, lang="en")
    assert masked["seeds"][0]["name"] == "车主138****5678" and masked["seeds"][0]["reasons"][0].startswith("Chosen first")
    circle = seed_plan_view(small, run_seed_request(small, check_seed_request(small, k=1, circle="g1")), lang="en")
    assert "posted 2 items in '露营版'" in circle["seeds"][0]["reasons"]  # the circle by its name, though given by id


def test_an_empty_plan_says_why_in_the_page_language(small):
    plan = run_seed_request(small, check_seed_request(small, k=1, topic="不存在的话题"))
    assert plan["seeds"] == [] and seed_plan_view(small, plan, lang="zh")["empty"].startswith("没有成员符合")
    with pytest.raises(InvalidParameterError):
        record_seed_plan(small, plan)
    late = seed_plan_view(small, run_seed_request(small, check_seed_request(small, k=1, as_of="2027-01-01")), lang="zh")
    assert late["warning"].startswith("注意：评估时点2027-01-01")


def test_recording_a_plan_is_all_or_nothing_and_once_a_day(small):
    plan = run_seed_request(small, check_seed_request(small, k=2))
    with pytest.raises(NotFoundError):
        record_seed_plan(small, plan, campaign="no-such-campaign", by="li")
    assert small.fetch_value("SELECT count(*) FROM operator_actions") == 0
    done = record_seed_plan(small, plan, campaign="c1", note="周一发帖", by="li")
    assert len(done["recorded"]) == 2 and done["already"] == []
    rows = small.fetch_dicts("SELECT kind, member_id, campaign_id, status, note FROM operator_actions ORDER BY action_id")
    assert {r["member_id"] for r in rows} == set(plan["seeds"])
    assert all(r["kind"] == "seed" and r["campaign_id"] == "c1" and r["status"] == "open" and r["note"].endswith("周一发帖")
               and r["note"].startswith("种子名单：全体成员，2 位种子") for r in rows)
    again = record_seed_plan(small, plan, campaign="c1", by="li")
    assert again == {"recorded": [], "already": done["recorded"]}


def test_the_plan_summary_stays_out_of_the_notes_budget(small):
    """A note the form accepts (its maxlength is the view's note_max) is recorded; one longer is refused naming that
    limit, not the 2000 of the whole note (the plan's summary line took the rest and failed a 1950-character note)."""
    from reef.actions.kinds import MAX_NOTE_CHARS

    plan = run_seed_request(small, check_seed_request(small, k=2))
    limit = note_limit(small, plan, "zh")
    assert seed_plan_view(small, plan, lang="zh")["note_max"] == limit and 1800 < limit < MAX_NOTE_CHARS
    with pytest.raises(InvalidParameterError, match=f"at most {limit} characters"):
        record_seed_plan(small, plan, note="长" * (limit + 1), by="li")
    assert small.fetch_value("SELECT count(*) FROM operator_actions") == 0
    record_seed_plan(small, plan, note="长" * limit, by="li")
    assert [len(n) for (n,) in small.fetch_all("SELECT note FROM operator_actions")] == [MAX_NOTE_CHARS] * 2
