"""Proposing a running project team again fills only its open seats (QA: 新车主快速上手指南 with m0941 seated as 主笔
still got a new 主笔 proposed next to the seated one)."""
from __future__ import annotations

import itertools
import json
from datetime import timedelta

from reef.layers.team import propose_team
from test_layers_team import AS_OF, _brief, _crew, _fitness

_MINUTES = itertools.count()


def _seat(store, member: str, role: str | None, team: str = "测试项目", status: str = "open") -> None:
    """What `reef action add MEMBER --kind add_to_team --team TEAM --role ROLE` records (a minute after the last one)."""
    store.execute("""INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs)
                     VALUES ($id, 'add_to_team', 'ops', $m, $ts, $st, $attrs)""",
                  {"id": f"{member}-{team}-{status}", "m": member, "ts": AS_OF + timedelta(minutes=next(_MINUTES)), "st": status,
                   "attrs": json.dumps({"team": team, **({"role": role} if role else {})})})


def _everyone_offered(res) -> set[str]:
    return {a["member_id"] for alts in res["alternatives"].values() for a in alts}


def test_a_seated_role_is_not_proposed_again_and_seated_members_come_first(store):
    _fitness(store, _crew())
    brief = _brief({"role": "writer"}, {"role": "visual"}, {"role": "structurer"})
    assert [s["role"] for s in propose_team(store, brief)["team"]] == ["writer", "visual", "structurer"]
    _seat(store, "w1", "主笔")  # the best writer, seated as 主笔 as adopting a proposal records it
    res = propose_team(store, brief, alternatives=5)
    assert [(s["seat"], s["role"], s["member_id"], s["seated"], s["status"]) for s in res["team"]] == [
        (1, "writer", "w1", True, "已就位"), (2, "visual", "v1", False, "建议人选"), (3, "structurer", "s1", False, "建议人选")]
    assert [s["role"] for s in res["team"]].count("writer") == 1  # no second 主笔 next to the seated one
    assert "writer" not in res["alternatives"] and "w1" not in _everyone_offered(res)
    assert res["open_seats"] == 2 and res["coverage"] | {"weak_seats": 0} == {
        "seats": 3, "filled": 3, "seated": 1, "open": 2, "roles": 3, "roles_covered": 3, "weak_seats": 0}
    assert res["team"][0]["reason"] == "已就位（运营记录：主笔）" and res["team"][0]["fitness"] == 0.95
    assert "项目「测试项目」已在进行，已就位1人：w1（主笔）；本建议只补其余2个空缺席位" in res["warnings"]
    en = propose_team(store, brief, lang="en")
    assert en["team"][0]["status"] == "seated" and en["team"][0]["role_label"] == "writer"
    assert "team 测试项目 is running with 1 seated: w1 (writer); this proposal fills the 2 open seats only" in en["warnings"]


def test_a_role_with_several_seats_keeps_the_remaining_count(store):
    _fitness(store, _crew(), aspects=(("e1", "续航与充电", 0.9), ("x2", "续航与充电", 0.6)))
    brief = _brief({"role": "writer", "count": 2}, {"role": "expert", "aspect": "续航与充电"}, size=4)
    _seat(store, "w2", "writer")
    _seat(store, "e1", "续航与充电专家")  # an expert named by its aspect
    _seat(store, "v1", "顾问")  # a role the brief does not have: an open seat (成员)
    res = propose_team(store, brief, alternatives=3)
    seated = [(s["member_id"], s["role"], s["role_label"]) for s in res["team"] if s["seated"]]
    assert seated == [("w2", "writer", "主笔"), ("e1", "expert:续航与充电", "续航与充电技术专家"), ("v1", "member", "成员")]
    proposed = [s for s in res["team"] if not s["seated"]]
    assert [(s["seat"], s["role"]) for s in proposed] == [(4, "writer")] and proposed[0]["member_id"] == "w1"
    assert set(res["alternatives"]) == {"writer"} and not {"w2", "e1", "v1"} & _everyone_offered(res)
    assert "占一个成员席位" in res["team"][2]["reason"] and res["excluded"]["seated"] == 3


def test_a_full_team_is_said_to_be_full_instead_of_proposed(store):
    _fitness(store, _crew())
    brief = _brief({"role": "writer"}, {"role": "visual"})
    _seat(store, "x1", "主笔")
    _seat(store, "v2", "视觉")
    _seat(store, "w1", "主笔")  # a second 主笔 on a one-writer brief: listed, but holds no seat
    _seat(store, "v1", "视觉", status="done")  # finished: not on the team
    res = propose_team(store, brief)
    assert [(s["seat"], s["member_id"], s["seated"]) for s in res["team"]] == [(1, "x1", True), (2, "v2", True), (None, "w1", True)]
    assert res["open_seats"] == 0 and res["alternatives"] == {} and res["baseline"]["team"] == [] and res["candidates"] == 0
    assert res["coverage"]["filled"] == 2 and res["coverage"]["roles_covered"] == 2
    warning = next(w for w in res["warnings"] if w.startswith("项目「测试项目」"))
    assert warning == ("项目「测试项目」已在进行，已就位3人：x1（主笔）、v2（视觉）、w1（主笔）；全部2个席位均已就位，无需再推荐；"
                       "w1的角色已满或不在本项目中，未占席位")
