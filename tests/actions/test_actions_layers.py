"""The operator workflow of the organisation layers: per-kind details, teams, tasks, audit, timeline, CLI, API."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef import actions as A
from reef.actions.views import member_timeline
from reef.errors import InvalidParameterError, NotFoundError
from surface_fixtures import login


@pytest.fixture
def s(store):
    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at) VALUES "
                      "('m1', '老周', TIMESTAMPTZ '2025-01-01 10:00:00+08'), ('m2', '小林', TIMESTAMPTZ '2025-02-01 10:00:00+08')")
        store.execute("INSERT INTO groups (group_id, name) VALUES ('g-1', '改装圈'), ('g-2', '长途自驾圈')")
    return store


@pytest.mark.parametrize("kind, details, note, bad", [
    ("appoint_leader", {}, None, "group"),                       # a leader of which group?
    ("add_to_team", {"role": "主笔"}, None, "team"),              # a role without a team
    ("recognise", {"team": "上手指南"}, "感谢", "team"),           # a detail the kind does not take
    ("assign_task", {"brief": "写开箱", "layer": "square"}, None, "layer"),
    ("assign_task", {"brief": "写开箱", "due": "7/31"}, None, "due"),
    ("assign_task", {"layer": "plaza"}, None, "brief"),          # no brief and no note to stand in
    ("note", {"group": "g-1"}, "备注", "group"),
    ("complete_task", {"task": "ui-999"}, None, None),           # unknown task: NotFoundError
])
def test_each_kind_checks_its_details(s, kind, details, note, bad):
    before = s.fetch_value("SELECT count(*) FROM operator_actions")
    with pytest.raises(NotFoundError if bad is None else InvalidParameterError) as err:
        A.record_action(s, "m1", kind, note=note, details=details, by="li")
    if bad is not None:
        assert err.value.name == bad and bad in str(err.value)
    assert s.fetch_value("SELECT count(*) FROM operator_actions") == before  # nothing half-written


def test_details_land_in_group_id_and_attrs(s):
    inv = A.record_action(s, "m1", "appoint_leader", details={"group": "g-2"}, by="li")
    rec = A.record_action(s, "m2", "recognise", note="整理了冬季续航实测", by="li")
    task = A.record_action(s, "m1", "assign_task", details={"layer": "plaza", "due": "2026-07-31T12:00"},
                           note="发起“晒出爱车最美侧颜”话题", by="li")
    assert s.fetch_value("SELECT group_id FROM operator_actions WHERE action_id = ?", [inv["action_id"]]) == "g-2"
    assert rec["text"] == "整理了冬季续航实测"  # the note stands in for the recognition text
    attrs = json.loads(s.fetch_value("SELECT attrs FROM operator_actions WHERE action_id = ?", [task["action_id"]]))
    assert (attrs["layer"], attrs["due"], attrs["brief"]) == ("plaza", "2026-07-31", "发起“晒出爱车最美侧颜”话题")
    assert task["overdue"] in (True, False) and task["due"] == "2026-07-31"
    past = A.record_action(s, "m2", "assign_task", details={"brief": "回访", "due": "2020-01-01"}, by="li")
    assert past["overdue"] is True
    assert A.update_action(s, past["action_id"], status="done")["overdue"] is False


def test_team_membership_is_stored_listed_and_readable_by_the_team_proposer(s):
    a = A.record_action(s, "m1", "add_to_team", details={"team": "新车主上手指南", "role": "主笔"}, by="li")
    A.record_action(s, "m2", "add_to_team", details={"team": "新车主上手指南", "role": "视觉"}, by="li")
    A.record_action(s, "m2", "add_to_team", details={"team": "冬季续航专题"}, by="li")
    A.update_action(s, a["action_id"], status="cancelled", by="li")
    listed = A.list_actions(s, team="新车主上手指南", kind="add_to_team")["items"]
    assert sorted((r["member_id"], r["role"], r["status"]) for r in listed) == [("m1", "主笔", "cancelled"), ("m2", "视觉", "open")]
    # The contract the team proposer reads: open add_to_team actions name the team in attrs.
    active = s.fetch_all("SELECT member_id, attrs->>'team' FROM operator_actions WHERE kind = 'add_to_team' "
                         "AND status = 'open' ORDER BY 1, 2")
    assert active == [("m2", "冬季续航专题"), ("m2", "新车主上手指南")]


def test_marking_a_task_done_and_complete_task(s):
    t1 = A.record_action(s, "m1", "assign_task", details={"brief": "写一篇开箱", "layer": "group", "group": "g-1"}, by="li")
    t2 = A.record_action(s, "m1", "assign_task", details={"brief": "拍一组侧颜", "layer": "plaza"}, by="li")
    done = A.update_action(s, t1["action_id"], status="done", by="wang")
    assert done["status"] == "done" and done["done_at"] and done["updated_by"] == "wang"
    c = A.record_action(s, "m1", "complete_task", details={"task": t2["action_id"]}, status="done", by="wang")
    assert c["task"] == t2["action_id"]
    assert A.list_actions(s, kind="assign_task", status="open")["total"] == 0
    other = A.record_action(s, "m2", "assign_task", details={"brief": "别人的任务"}, by="li")
    with pytest.raises(InvalidParameterError):  # a task of another member cannot be completed here
        A.record_action(s, "m1", "complete_task", details={"task": other["action_id"]}, by="li")
    entries = A.audit_entries(s, per_page=100)["items"]
    creates = [json.loads(e["details"]) for e in entries if e["action"] == "action.create"]
    updates = [json.loads(e["details"]) for e in entries if e["action"] == "action.update"]
    assert {"kind": "assign_task", "layer": "group", "group": "g-1"}.items() <= creates[-1].items()
    assert {(u["action_id"], u["to"]) for u in updates} == {(t1["action_id"], "done"), (t2["action_id"], "done")}
    assert all(e["username"] in ("li", "wang") for e in entries)


def test_the_member_timeline_shows_actions_and_stage_changes(s):
    A.record_action(s, "m1", "seat_council", details={"group": "council-2026"}, note="长期贡献", by="li")
    team = A.record_action(s, "m1", "add_to_team", details={"team": "上手指南", "role": "主笔"}, by="li")
    A.update_action(s, team["action_id"], status="done", by="li")
    with s.transaction():
        s.execute("CREATE TABLE ladder_events (member_id VARCHAR, \"at\" TIMESTAMPTZ, event VARCHAR, from_stage TINYINT, "
                  "to_stage TINYINT, reason_zh VARCHAR, reason_en VARCHAR, as_of TIMESTAMPTZ)")
        s.execute("INSERT INTO ladder_events VALUES ('m1', TIMESTAMPTZ '2025-06-01 00:00:00+08', 'promote', 2, 3, "
                  "'帮助了新人', 'helped newcomers', now())")
    timeline = A.member_profile(s, "m1")["timeline"]
    assert timeline == member_timeline(s, "m1")
    labels = [e["label_zh"] for e in timeline]
    assert labels[-1].startswith("阶段 2 → 3")  # the oldest entry comes last
    assert "进入顾问团" in labels and "加入项目团队" in labels and "完成：加入项目团队" in labels
    team_entry = next(e for e in timeline if e["label_zh"] == "加入项目团队")
    assert "上手指南" in team_entry["detail"] and "主笔" in team_entry["detail"]
    assert member_timeline(s, "m2") == []


def test_exports_carry_the_details_with_personal_data_masked(s, tmp_path):
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from reef.export import export_tables

    A.record_action(s, "m1", "recognise", details={"text": "感谢老周，电话13812345678"}, by="li")
    A.record_action(s, "m1", "add_to_team", details={"team": "上手指南", "role": "主笔"}, by="li")
    export_tables(s, tmp_path / "out", fmt="parquet")
    rows = pq.read_table(tmp_path / "out" / "operator_actions.parquet").to_pylist()
    attrs = [json.loads(r["attrs"]) for r in rows]
    assert {a.get("team") for a in attrs} == {None, "上手指南"}
    text = next(a["text"] for a in attrs if "text" in a)
    assert "13812345678" not in text and "138****5678" in text
    export_tables(s, tmp_path / "raw", fmt="parquet", unmask=True)
    raw = pq.read_table(tmp_path / "raw" / "operator_actions.parquet").to_pylist()
    assert any("13812345678" in r["attrs"] for r in raw)


def test_cli_add_list_done(tmp_path):
    from reef.cli import app
    from reef.store import close_all, open_store

    db = str(tmp_path / "c.duckdb")
    st = open_store(db)
    st.execute("INSERT INTO members (member_id, joined_at) VALUES ('m1', now())")
    close_all()
    run = CliRunner().invoke
    r = run(app, ["action", "add", "m1", "--kind", "add_to_team", "--team", "上手指南", "--role", "主笔", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    action_id = json.loads(r.output)["action_id"]
    bad = run(app, ["action", "add", "m1", "--kind", "add_to_team", "--db", db])
    assert bad.exit_code == 2 and "team" in bad.output
    task = json.loads(run(app, ["action", "add", "m1", "--kind", "assign_task", "--layer", "team", "--brief", "写提纲",
                                "--due", "2026-07-31", "--db", db, "--json"]).output)
    listed = json.loads(run(app, ["action", "list", "--team", "上手指南", "--db", db, "--json"]).output)
    assert [(i["action_id"], i["role"]) for i in listed["items"]] == [(action_id, "主笔")]
    done = json.loads(run(app, ["action", "done", task["action_id"], "--by", "wang", "--db", db, "--json"]).output)
    assert done["status"] == "done" and done["updated_by"] == "wang"
    assert run(app, ["action", "done", "ui-999", "--db", db]).exit_code != 0


def test_api_records_details_and_viewers_cannot_act(client):
    csrf = login(client, "viewer")
    body = {"member_id": "evil", "kind": "add_to_team", "team": "上手指南", "role": "视觉"}
    assert client.post("/api/v1/actions", json=body, headers={"X-CSRF-Token": csrf}).status_code == 403
    effect = client.get("/api/v1/effect?action=recognise&window=7")
    assert effect.status_code == 200 and effect.json()["action"] == "recognise" and "summary" in effect.json()
    assert client.get("/api/v1/effect?action=bribe").status_code == 422
    csrf = login(client, "operator")
    h = {"X-CSRF-Token": csrf}
    a = client.post("/api/v1/actions", json=body, headers=h)
    assert a.status_code == 201 and (a.json()["team"], a.json()["role"]) == ("上手指南", "视觉")
    assert client.post("/api/v1/actions", json={"member_id": "evil", "kind": "appoint_leader"}, headers=h).status_code == 422
    listed = client.get("/api/v1/actions?team=上手指南").json()["items"]
    assert [x["action_id"] for x in listed] == [a.json()["action_id"]]
    timeline = client.get("/api/v1/members/evil").json()["timeline"]
    assert any(e["kind"] == "add_to_team" and "上手指南" in e["detail"] for e in timeline)
    page = client.get("/members/evil").text  # the dashboard's member page lists the action with its team and role
    assert "加入项目团队" in page and "上手指南 · 视觉" in page


@pytest.mark.parametrize("kind,extra", [("invite", {}), ("appoint_leader", {}), ("assign_task", {"brief": "带新人"})])
def test_a_group_id_that_names_no_group_or_circle_is_refused(s, kind, extra):
    """QA: `reef action add m0470 --kind invite --group 不存在的小组` was recorded."""
    before = s.fetch_value("SELECT count(*) FROM operator_actions")
    with pytest.raises(NotFoundError) as err:
        A.record_action(s, "m1", kind, details={"group": "不存在的小组", **extra}, by="li")
    assert err.value.where.field == "group" and "reef groups" in err.value.hint
    assert "不存在的小组" in err.value.text("zh") and "兴趣圈" in err.value.text("zh")
    assert s.fetch_value("SELECT count(*) FROM operator_actions") == before
    assert A.record_action(s, "m1", kind, details={"group": "g-1", **extra}, by="li")["group_id"] == "g-1"


def test_interest_circle_ids_are_group_ids_and_listed_as_choices(s):
    from reef.actions.listing import group_choices

    s.execute("CREATE TABLE layers_circles (circle_id VARCHAR, name VARCHAR)")
    s.execute("INSERT INTO layers_circles VALUES ('c06', '影音·智能与车机·内饰')")
    assert A.record_action(s, "m1", "appoint_leader", details={"group": "c06"}, by="li")["group_id"] == "c06"
    assert [(g["group_id"], g["source"]) for g in group_choices(s)] == [("c06", "circle"), ("g-1", "group"), ("g-2", "group")]
    # the council's group is its own, not one of the store's
    assert A.record_action(s, "m1", "seat_council", details={"group": "council-2026"}, by="li")["group_id"] == "council-2026"


def test_cli_refuses_an_unknown_group_in_the_operators_language(tmp_path):
    from reef.cli import app
    from reef.store import close_all, open_store

    db = tmp_path / "r.duckdb"
    st = open_store(db)
    st.execute("INSERT INTO members (member_id, joined_at) VALUES ('m0470', now())")
    close_all()
    r = CliRunner().invoke(app, ["action", "add", "m0470", "--kind", "invite", "--group", "不存在的小组", "--db", str(db)])
    assert r.exit_code == 5 and "不存在的小组" in r.output and "reef groups" in r.output and "group" in r.output
    en = CliRunner().invoke(app, ["action", "add", "m0470", "--kind", "invite", "--group", "nope", "--lang", "en", "--db", str(db)])
    assert en.exit_code == 5 and "No group or interest circle with id 'nope'" in en.output
