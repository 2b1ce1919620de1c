"""The project-team proposer: brief validation, role fitness, coverage, load and burnout, cohesion, alternatives, CLI."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pytest

from reef.errors import ConfigError
from reef.layers.team import propose_team
from reef.layers.team_brief import load_brief, parse_brief
from reef.layers.team_ties import write_partner_lists

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "team-brief.toml"
AS_OF = datetime(2026, 6, 30, tzinfo=timezone.utc)
GOOD = {"name": "上手指南", "deadline": "2026-08-31", "roles": [{"role": "writer"}]}


# ---------------------------------------------------------------- brief validation

@pytest.mark.parametrize("change, field", [
    ({"name": None}, "name"),
    ({"roles": []}, "roles"),
    ({"roles": [{"role": "poet"}]}, "roles[0].role"),
    ({"roles": [{"role": "expert"}]}, "roles[0].aspect"),
    ({"roles": [{"role": "expert", "aspect": "马力"}]}, "roles[0].aspect"),
    ({"roles": [{"role": "writer", "aspect": "动力"}]}, "roles[0].aspect"),
    ({"roles": [{"role": "writer", "count": 0}]}, "roles[0].count"),
    ({"roles": [{"role": "writer", "count": "2"}]}, "roles[0].count"),
    ({"roles": [{"role": "writer"}, {"role": "主笔"}]}, "roles[1].role"),
    ({"roles": [{"role": "writer", "count": 3}], "size": 2}, "size"),
    ({"deadline": "next friday"}, "deadline"),
    ({"deadlin": "2026-08-31"}, "deadlin"),
    ({"aspects": ["续航"]}, "aspects[0]"),
    ({"exclude": "m1"}, "exclude"),
])
def test_bad_briefs_name_the_field_and_what_to_do(change, field):
    raw = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(ConfigError) as info:
        parse_brief(raw, "brief.toml")
    err = info.value
    assert err.where.file == "brief.toml" and err.where.field == field
    assert err.hint, "every brief error says what to do"
    assert err.to_dict()["error"]["where"]["field"] == field


def test_brief_file_errors_and_the_example(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_brief(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML") as info:
        load_brief(bad)
    assert info.value.where.file == str(bad)
    b = load_brief(EXAMPLE)
    assert b.size == 6 and [r["key"] for r in b.roles] == ["writer", "visual", "structurer", "expert:续航与充电", "expert:智能与车机", "member"]
    assert b.aspects == ("续航与充电", "智能与车机") and b.deadline.isoformat() == "2026-08-31"


# ---------------------------------------------------------------- hand-made stores

_DEFAULTS = dict(stage=3, stage_name="连接者", stage_name_en="connector", potential=50.0, long_posts=3, long_likes=2.0, photos=1,
                 videos=0, media_likes=1.0, guides=1, answers=2, accepted=1, thanked=1, groups=["g-1"], burnout=False, cooling=False,
                 care=False, writer_fit=0.05, visual_fit=0.05, structurer_fit=0.05)


def _fitness(store, members: dict[str, dict], aspects: tuple = (), edges: tuple = ()) -> None:
    rows = [{"member_id": m, "name": f"name-{m}", **{**_DEFAULTS, **kw}} for m, kw in members.items()]
    store.con.register("_f", pa.Table.from_pylist(rows))
    store.execute("CREATE OR REPLACE TABLE layers_role_fitness AS SELECT *, $ts::TIMESTAMPTZ AS as_of FROM _f", {"ts": AS_OF})
    store.con.unregister("_f")
    arows = [{"member_id": m, "aspect": a, "fit": f, "answers": 5, "accepted": 2, "thanked": 1, "posts": 1} for m, a, f in aspects]
    store.con.register("_a", pa.Table.from_pylist(arows, schema=pa.schema(
        [("member_id", pa.string()), ("aspect", pa.string()), ("fit", pa.float64()), ("answers", pa.int64()),
         ("accepted", pa.int64()), ("thanked", pa.int64()), ("posts", pa.int64())])))
    store.execute("CREATE OR REPLACE TABLE layers_aspect_fitness AS SELECT * FROM _a")
    store.con.unregister("_a")
    erows = [{"src": a, "dst": b, "kind": "reply", "n": n, "weight": float(n)} for a, b, n in edges]
    store.con.register("_e", pa.Table.from_pylist(erows, schema=pa.schema(
        [("src", pa.string()), ("dst", pa.string()), ("kind", pa.string()), ("n", pa.int32()), ("weight", pa.float64())])))
    store.execute("CREATE OR REPLACE TABLE network_edges AS SELECT * FROM _e")
    store.con.unregister("_e")
    write_partner_lists(store, store.config)


def _on_team(store, member: str, team: str, status: str = "open") -> None:
    store.execute("""INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs)
                     VALUES ($id, 'add_to_team', 'ops', $m, $ts, $st, $attrs)""",
                  {"id": f"{member}-{team}-{status}", "m": member, "ts": AS_OF, "st": status,
                   "attrs": json.dumps({"team": team, "role": "writer"})})


def _crew() -> dict[str, dict]:
    """Two strong writers, two visuals, a structurer, an expert and a few weaker members."""
    return {"w1": {"writer_fit": 0.95}, "w2": {"writer_fit": 0.80}, "v1": {"visual_fit": 0.9}, "v2": {"visual_fit": 0.7},
            "s1": {"structurer_fit": 0.85}, "e1": {}, "x1": {"writer_fit": 0.3, "visual_fit": 0.3},
            "x2": {"structurer_fit": 0.4, "groups": ["g-2"]}, "x3": {"visual_fit": 0.2, "groups": ["g-2"]}}


def _ids(res) -> list[str]:
    return [s["member_id"] for s in res["team"]]


def _brief(*roles, size=None, **extra):
    return {"name": "测试项目", "deadline": "2026-08-31", "roles": list(roles), **({"size": size} if size else {}), **extra}


def test_every_role_is_covered_by_a_distinct_member(store):
    _fitness(store, _crew(), aspects=(("e1", "续航与充电", 0.9), ("w2", "续航与充电", 0.4)))
    res = propose_team(store, _brief({"role": "writer", "count": 2}, {"role": "visual"}, {"role": "structurer"},
                                     {"role": "expert", "aspect": "续航与充电"}, size=6))
    roles = [s["role"] for s in res["team"]]
    assert sorted(roles) == sorted(["writer", "writer", "visual", "structurer", "expert:续航与充电", "member"])
    assert len(set(_ids(res))) == 6
    by_role = {s["role"]: s["member_id"] for s in res["team"]}
    assert by_role["expert:续航与充电"] == "e1" and by_role["structurer"] == "s1"
    assert res["coverage"] == {"seats": 6, "filled": 6, "seated": 0, "open": 6, "roles": 5, "roles_covered": 5,
                               "weak_seats": res["coverage"]["weak_seats"]}
    assert all("适配度" in s["reason"] for s in res["team"])


def test_members_on_two_active_teams_are_never_picked(store):
    _fitness(store, _crew())
    brief = _brief({"role": "writer"})
    assert _ids(propose_team(store, brief)) == ["w1"]
    _on_team(store, "w1", "冬季专题", status="done")  # finished work is no load
    _on_team(store, "w1", "试驾报道", status="cancelled")
    assert _ids(propose_team(store, brief)) == ["w1"]
    _on_team(store, "w1", "冬季专题")
    one = propose_team(store, brief, alternatives=3)  # one team: allowed, but 0.95 - load_penalty 0.3 < 0.80
    assert _ids(one) == ["w2"] and one["baseline"]["team"] == ["w1"]
    w1 = next(a for a in one["alternatives"]["writer"] if a["member_id"] == "w1")
    assert w1["active_teams"] == 1 and "已在1个项目中（冬季专题）" in w1["reason"]
    _on_team(store, "w1", "试驾报道")
    two = propose_team(store, brief, alternatives=5)
    assert "w1" not in _ids(two) and all(a["member_id"] != "w1" for a in two["alternatives"]["writer"])
    assert two["excluded"]["overloaded"] == 1
    # The brief's own team does not count as load: for 试驾报道 itself w1 is on one other team only, and is its writer.
    own = propose_team(store, {**brief, "name": "试驾报道"}, alternatives=3)
    assert own["excluded"]["overloaded"] == 0 and [(s["member_id"], s["seated"]) for s in own["team"]] == [("w1", True)]


def test_burnout_members_are_excluded(store):
    crew = _crew()
    _fitness(store, crew)
    assert _ids(propose_team(store, _brief({"role": "writer"}))) == ["w1"]
    crew["w1"]["burnout"] = True
    _fitness(store, crew)
    res = propose_team(store, _brief({"role": "writer"}), alternatives=8)
    assert _ids(res) == ["w2"] and res["excluded"]["burnout"] == 1
    assert "w1" not in {a["member_id"] for alts in res["alternatives"].values() for a in alts}
    assert "w1" not in res["baseline"]["team"]


def test_cohesion_is_preferred_when_it_pays(store):
    """A and C are the top writer and visual; B and D are slightly weaker but have worked together a lot."""
    members = {"A": {"writer_fit": 0.90}, "B": {"writer_fit": 0.85}, "C": {"visual_fit": 0.90}, "D": {"visual_fit": 0.85}}
    _fitness(store, members, edges=(("B", "D", 6), ("D", "B", 4)))
    brief = _brief({"role": "writer"}, {"role": "visual"})
    res = propose_team(store, brief)
    assert sorted(_ids(res)) == ["B", "D"]
    assert sorted(res["baseline"]["team"]) == ["A", "C"]
    assert res["objective"]["cohesion"] > res["baseline"]["objective"]["cohesion"] > -1
    assert res["baseline"]["improvement"] > 0
    assert "有过直接互动（共10次）" in res["team"][0]["reason"]
    # Without a cohesion weight the same store gives the top-skill team: the ties are what moved it.
    no_ties = store.config.with_overrides({"team.cohesion_weight": 0.0})
    assert sorted(_ids(propose_team(store, brief, config=no_ties))) == ["A", "C"]


def test_alternatives_per_role(store):
    _fitness(store, _crew(), aspects=(("e1", "续航与充电", 0.9), ("x2", "续航与充电", 0.5), ("w2", "续航与充电", 0.3)))
    res = propose_team(store, _brief({"role": "writer"}, {"role": "visual"}, {"role": "expert", "aspect": "续航与充电"}), alternatives=2)
    team = set(_ids(res))
    assert set(res["alternatives"]) == {"writer", "visual", "expert:续航与充电"}
    for role, alts in res["alternatives"].items():
        assert len(alts) == 2 and not team & {a["member_id"] for a in alts}
        changes = [a["objective_change"] for a in alts]
        assert changes == sorted(changes, reverse=True) and all(a["reason"] for a in alts)
    assert res["alternatives"]["expert:续航与充电"][0]["member_id"] == "x2"
    assert all(v == [] for v in propose_team(store, _brief({"role": "writer"}), alternatives=0)["alternatives"].values())


def test_circle_exclude_language_and_seed(store):
    _fitness(store, _crew())
    store.execute("INSERT INTO groups (group_id, name, kind, created_at) VALUES ('g-2', '摄影圈', 'circle', $ts)", {"ts": AS_OF})
    res = propose_team(store, _brief({"role": "visual"}, {"role": "structurer"}, circle="摄影圈"))
    assert sorted(_ids(res)) == ["x2", "x3"]
    assert _ids(propose_team(store, _brief({"role": "writer"}, exclude=["w1"]))) == ["w2"]
    # A discovered interest circle (reef groups) by its name.
    store.execute("CREATE TABLE layers_circles AS SELECT 'c1' AS circle_id, '改装·轮毂' AS name")
    store.execute("CREATE TABLE layers_circle_members AS SELECT * FROM (VALUES ('w2', 'c1'), ('v2', 'c1')) t(member_id, circle_id)")
    assert sorted(_ids(propose_team(store, _brief({"role": "writer"}, {"role": "visual"}, circle="改装·轮毂")))) == ["v2", "w2"]
    en = propose_team(store, _brief({"role": "writer"}), lang="en")
    assert "fitness" in en["team"][0]["reason"] and "适配度" not in en["team"][0]["reason"]
    brief = _brief({"role": "writer"}, {"role": "visual"}, {"role": "structurer"}, size=5)
    assert _ids(propose_team(store, brief, seed=3)) == _ids(propose_team(store, brief, seed=3))
    from reef.errors import NotFoundError

    with pytest.raises(NotFoundError):
        propose_team(store, _brief({"role": "writer"}, circle="不存在的圈子"))


# ---------------------------------------------------------------- the analysis on canonical rows

def test_role_fitness_analysis_ranks_the_right_members(store):
    from reef.layers.team_fitness import write_role_fitness

    ts = "2026-06-01 10:00:00+08"
    members = ["wr", "sh", "ph", "gd", "ex", "bo"]
    for m in members + ["fan"]:
        store.execute("INSERT INTO members (member_id, name, joined_at) VALUES ($m, $m, TIMESTAMPTZ '2025-01-01 00:00:00+08')", {"m": m})
    items = [("wr1", "thread", "wr", "长" * 300, None), ("wr2", "thread", "wr", "长" * 260, None),
             ("sh1", "thread", "sh", "短帖" * 10, None), ("ph1", "photo", "ph", "晒图", '{"photos": 9}'),
             ("ph2", "video", "ph", "视频", '{"duration_s": 300}'), ("gd1", "guide", "gd", "攻略" * 80, None),
             ("q1", "thread", "fan", "充电桩怎么装？", None), ("ex1", "answer", "ex", "先找物业开证明", None),
             ("bo1", "thread", "bo", "长" * 300, None)]
    for cid, kind, author, body, attrs in items:
        parent = "q1" if kind == "answer" else None
        store.execute("""INSERT INTO content (content_id, kind, author_id, created_at, body, parent_id, thread_id, attrs)
                         VALUES ($c, $k, $a, $ts::TIMESTAMPTZ, $b, $p, coalesce($p, $c), $at::JSON)""",
                      {"c": cid, "k": kind, "a": author, "ts": ts, "b": body, "p": parent, "at": attrs})
    for i, target in enumerate(["wr1", "wr1", "wr2", "ph1", "ph2", "gd1", "sh1", "bo1"]):
        store.execute("""INSERT INTO interactions (interaction_id, kind, actor_id, target_content_id, created_at)
                         VALUES ($i, 'like', 'fan', $t, $ts::TIMESTAMPTZ)""", {"i": f"l{i}", "t": target, "ts": ts})
    intents = {"wr1": ["experience"], "wr2": ["experience"], "sh1": ["experience"], "gd1": ["guide"], "q1": ["question"],
               "ex1": ["answer"], "bo1": ["experience"]}
    for cid, it in intents.items():
        store.execute("INSERT INTO content_features (content_id, intents, aspect_names) VALUES ($c, $i, $a)",
                      {"c": cid, "i": it, "a": ["续航与充电"] if cid in ("q1", "ex1") else []})
    store.execute(f"""CREATE TABLE ladder_members AS SELECT * FROM (VALUES {', '.join(f"('{m}', '{m}', 3, '连接者', 'connector', 50.0)" for m in members)})
                      t(member_id, name, stage, stage_name, stage_name_en, potential)""")
    store.execute("""CREATE TABLE network_help_acts AS SELECT 'ex1' AS content_id, 'ex' AS helper_id, 'fan' AS helped_id,
                     TIMESTAMPTZ '2026-06-01 10:00:00+08' AS act_at, act, 'q1' AS about_id, credit FROM (VALUES ('answer', 1.0), ('accepted', 3.0)) t(act, credit)""")
    store.execute("CREATE TABLE risk_alerts AS SELECT 'bo' AS member_id, 'core_burnout' AS part")
    store.execute("CREATE TABLE risk_evidence AS SELECT 'bo' AS member_id, 'burnout' AS part")
    assert write_role_fitness(store, AS_OF, store.config) == len(members)
    fit = {r["member_id"]: r for r in store.fetch_dicts("SELECT * FROM layers_role_fitness")}
    assert fit["wr"]["writer_fit"] > fit["sh"]["writer_fit"] == 0 and fit["wr"]["long_posts"] == 2
    assert fit["ph"]["visual_fit"] == max(r["visual_fit"] for r in fit.values()) and fit["ph"]["videos"] == 1
    assert fit["gd"]["structurer_fit"] > fit["ex"]["structurer_fit"] > 0 and fit["ex"]["accepted"] == 1
    assert fit["bo"]["burnout"] and not fit["bo"]["cooling"] and not fit["wr"]["burnout"]
    asp = store.fetch_dicts("SELECT * FROM layers_aspect_fitness")
    assert [(r["member_id"], r["aspect"], r["accepted"]) for r in asp] == [("ex", "续航与充电", 1)]


# ---------------------------------------------------------------- CLI

def test_cli_team_json(db_path, tmp_path):
    from typer.testing import CliRunner

    from reef.cli import app

    brief = tmp_path / "b.toml"
    brief.write_text('name = "小队"\ndeadline = 2026-08-31\nsize = 3\n[[roles]]\nrole = "writer"\n[[roles]]\nrole = "视觉"\n',
                     encoding="utf-8")
    result = CliRunner().invoke(app, ["team", "--brief", str(brief), "--db", str(db_path), "--json", "--alternatives", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["role"] for s in data["team"]] == ["writer", "visual", "member"] and len({s["member_id"] for s in data["team"]}) == 3
    assert set(data["alternatives"]) == {"writer", "visual", "member"} and data["coverage"]["filled"] == 3
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\ndeadline = 2026-08-31\n[[roles]]\nrole = "poet"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["team", "--brief", str(bad), "--db", str(db_path), "--json"])
    assert result.exit_code == 2 and json.loads(result.output)["error"]["where"]["field"] == "roles[0].role"


def test_actions_recorded_by_the_workflow_count_as_load(store):
    """Team seats recorded through reef.actions (the operator workflow) are what the proposer reads as load."""
    from reef.actions.log import record_action, update_action

    _fitness(store, _crew())
    for m in ("w1", "w2"):
        store.execute("INSERT INTO members (member_id, name, joined_at) VALUES ($m, $m, $ts)", {"m": m, "ts": AS_OF})
    first = record_action(store, "w1", "add_to_team", details={"team": "冬季专题", "role": "主笔"}, by="ops")
    record_action(store, "w1", "add_to_team", details={"team": "试驾报道", "role": "主笔"}, by="ops")
    assert "w1" not in _ids(propose_team(store, _brief({"role": "writer"}, size=2)))
    update_action(store, first["action_id"], status="done", by="ops")  # the project is finished: w1 is free again
    res = propose_team(store, _brief({"role": "writer"}, size=2), alternatives=2)
    assert res["excluded"]["overloaded"] == 0
    assert "w1" in _ids(res) + [a["member_id"] for alts in res["alternatives"].values() for a in alts]


def test_team_load_at_an_earlier_as_of_counts_work_finished_later(store):
    from datetime import timedelta

    from reef.layers.team_pool import active_teams

    for team, status, closed in (("冬季专题", "done", "done_at"), ("试驾报道", "cancelled", "cancelled_at")):
        store.execute("""INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs)
                         VALUES ($id, 'add_to_team', 'ops', 'w1', $ts, $st, $attrs)""",
                      {"id": f"w1-{team}", "ts": AS_OF - timedelta(days=30), "st": status,
                       "attrs": json.dumps({"team": team, closed: (AS_OF + timedelta(days=10)).isoformat()})})
    assert active_teams(store, ["add_to_team"], exclude_team=None) == {}
    assert active_teams(store, ["add_to_team"], exclude_team=None, as_of=AS_OF) == {"w1": ["冬季专题", "试驾报道"]}
    assert active_teams(store, ["add_to_team"], exclude_team=None, as_of=AS_OF + timedelta(days=20)) == {}


def test_the_deadline_is_judged_on_the_communitys_day_and_reasons_name_aspects_in_english(store):
    _fitness(store, _crew(), aspects=(("e1", "续航与充电", 0.9),))
    store.execute("INSERT INTO members (member_id, joined_at) VALUES ('w1', TIMESTAMPTZ '2026-01-01 00:00:00+08')")
    res = propose_team(store, {**_brief({"role": "writer"}), "deadline": "2026-05-31"}, as_of="2026-06-01")
    assert res["days_to_deadline"] == -1 and any("早于2026-06-01" in w for w in res["warnings"])  # 06-01 00:00 in Beijing
    en = propose_team(store, _brief({"role": "expert", "aspect": "续航与充电"}), lang="en")
    reason = next(s["reason"] for s in en["team"] if s["role"].startswith("expert"))
    assert "range and charging" in reason and "续航" not in reason


def test_a_brief_on_an_interest_circle_brings_the_circles_up_to_date_too(store):
    from reef.layers.team import analyses_for
    from reef.layers.team_brief import parse_brief

    store.execute("INSERT INTO groups (group_id, name, created_at) VALUES ('g-1', '改装', TIMESTAMPTZ '2026-01-01 00:00:00+08')")
    brief = lambda circle: parse_brief({"name": "x", "deadline": "2026-08-31", "circle": circle, "roles": [{"role": "writer"}]})  # noqa: E731
    assert analyses_for(store, brief("g-1")) == analyses_for(store, brief("改装")) == ["layers_role_fitness"]
    assert analyses_for(store, brief("c01")) == ["layers_role_fitness", "layers_groups"]
    assert analyses_for(store, parse_brief({"name": "x", "deadline": "2026-08-31", "roles": [{"role": "writer"}]})) == ["layers_role_fitness"]
