"""Actions recorded after the data's end (a demo's, or any store whose data stopped coming in) count at the data's
end in the readers of the operators' present state (a complaint answered, a team seat), while an as_of inside the
data still reads only what was recorded before it; the 任务 list takes no as_of at all (docs/actions.md)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from reef.actions import record_action
from reef.actions.cutoff import NO_LIMIT, action_cutoff
from reef.config import load_config
from reef.risks.common import risk_base
from surface_fixtures import PASSWORD, post_login
from tests.risks.conftest import T0, handmade_store, ts

END = T0 + timedelta(days=10, seconds=1)  # the data's end in the stores below: the last post at day 10


def _store(tmp_path):
    members = [{"member_id": "core", "joined_at": ts(-300)}, {"member_id": "w1", "joined_at": ts(-300)},
               {"member_id": "s", "joined_at": ts(-300), "account_type": "staff"}]
    content = [{"content_id": "t", "kind": "thread", "author_id": "core", "created_at": ts(1), "title": "售后", "body": "售后问题"},
               {"content_id": "c", "kind": "reply", "author_id": "core", "parent_id": "t", "created_at": ts(2),
                "body": "售后太差了，投诉了三次都没人处理，非常失望"},
               {"content_id": "t0", "kind": "thread", "author_id": "s", "created_at": ts(10), "title": "公告", "body": "公告"}]
    return handmade_store(tmp_path, {"members": members, "content": content}, core=("core",))


def _recorded_after_the_end(store, action_id):
    store.execute("UPDATE operator_actions SET created_at = ? WHERE action_id = ?", [ts(30), action_id])


def test_the_cutoff_is_as_of_inside_the_data_and_no_limit_from_its_end(tmp_path):
    store = _store(tmp_path)
    inside = T0 + timedelta(days=9)
    assert action_cutoff(store, inside) == inside
    assert action_cutoff(store, None) == action_cutoff(store, END) == action_cutoff(store, END + timedelta(days=5)) == NO_LIMIT
    assert action_cutoff(store, END - timedelta(seconds=1)) == END - timedelta(seconds=1)


@pytest.mark.parametrize("as_of, unresolved", [(END, 0), (END + timedelta(days=40), 0), (T0 + timedelta(days=9), 1)])
def test_a_response_recorded_after_the_data_end_resolves_the_complaint_at_the_end(tmp_path, as_of, unresolved):
    """The demo's lost click: a 官方回应 recorded today left the complaint unresolved on every new radar run."""
    from reef.risks.backlash import backlash
    from reef.text.enrich import enrich_store

    store = _store(tmp_path)
    enrich_store(store)
    _recorded_after_the_end(store, record_action(store, "core", "respond", details={"content": "c"}, by="ops")["action_id"])
    with risk_base(store, as_of, 400):
        res = backlash(store, as_of, load_config())
    assert next(p for p in res.parts if p.name == "unresolved").value == unresolved


def test_a_team_seat_given_after_the_data_end_is_load_at_the_end(tmp_path):
    from reef.layers.team_pool import active_teams

    store = _store(tmp_path)
    _recorded_after_the_end(store, record_action(store, "w1", "add_to_team", details={"team": "冬季专题"}, by="ops")["action_id"])
    assert active_teams(store, ["add_to_team"], exclude_team=None, as_of=END) == {"w1": ["冬季专题"]}
    assert active_teams(store, ["add_to_team"], exclude_team=None, as_of=T0 + timedelta(days=9)) == {}


def test_the_task_list_shows_a_task_recorded_after_the_data_end(client):
    """The simulated store's data ends in 2026; the task is recorded at the wall clock, and stays on 任务 until done."""
    pytest.importorskip("fastapi")
    r = post_login(client, {"username": "operator", "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303
    member = re.search(r'href="/members/(m\d+)"', client.get("/members").text).group(1)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get(f"/members/{member}").text).group(1)
    r = client.post(f"/members/{member}/actions", data={"kind": "assign_task", "brief": "发起冬季续航征集-任务", "layer": "plaza",
                                                         "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    tasks = client.get("/tasks").text
    assert "发起冬季续航征集-任务" in tasks
    assert "发起冬季续航征集-任务" in client.get("/tasks", params={"status": "open"}).text
