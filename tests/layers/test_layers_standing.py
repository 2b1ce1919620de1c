"""One conduct standard for every list that suggests members (plaza, leaders, council), the council's counts and
stage reason, and the roles members hold counted as load and shown (QA: layers 1, 2, 6, 10)."""
from __future__ import annotations

from reef.config import load_config
from reef.layers.api import council_slate
from reef.layers.common import layer_params
from reef.layers.council import write_council
from reef.layers.leaders import write_leaders
from reef.layers.plaza import write_plaza
from reef.layers.team import propose_team
from test_layers_council import AS_OF, tables  # noqa: F401  (fixture)
from test_layers_plaza import plaza_store  # noqa: F401  (fixture)
from test_layers_team import _brief, _crew, _fitness, _on_team


def _risks(store, *rows):
    store.execute("CREATE OR REPLACE TABLE risk_evidence (family VARCHAR, part VARCHAR, subject VARCHAR, member_id VARCHAR, "
                  "content_id VARCHAR, detail_zh VARCHAR, detail_en VARCHAR)")
    for part, member, detail in rows:
        store.execute("INSERT INTO risk_evidence VALUES ('x', ?, ?, ?, NULL, ?, ?)", [part, member, member, detail, detail])


def test_the_plaza_leaves_out_members_on_the_burnout_or_care_lists(plaza_store):  # noqa: F811
    """QA 1: the plaza's #1 host was in the radar's burnout evidence, twelve plaza hosts on its care list."""
    p = layer_params(load_config())
    with plaza_store.transaction():
        write_plaza(plaza_store, AS_OF, p)
    assert "host" in {r[0] for r in plaza_store.fetch_all("SELECT member_id FROM layers_plaza")}
    for part in ("burnout", "care"):
        with plaza_store.transaction():
            _risks(plaza_store, (part, "host", "核心成员近14天未发帖"))
            write_plaza(plaza_store, AS_OF, p)
        assert "host" not in {r[0] for r in plaza_store.fetch_all("SELECT member_id FROM layers_plaza")}, part


def test_the_plaza_applies_the_lifetime_conduct_bar_and_notes_a_record_below_it(plaza_store):  # noqa: F811
    """QA 2: one standard; a lifetime hostile act (none in the window) bars the plaza as it bars the council."""
    with plaza_store.transaction():
        plaza_store.execute("CREATE TABLE ladder_members AS SELECT 'host' AS member_id, 0 AS hostile, 1 AS life_hostile")
        write_plaza(plaza_store, AS_OF, layer_params(load_config()))
    assert "host" not in {r[0] for r in plaza_store.fetch_all("SELECT member_id FROM layers_plaza")}
    with plaza_store.transaction():
        write_plaza(plaza_store, AS_OF, {**layer_params(load_config()), "conduct_max_hostile": 1})
    ev = plaza_store.fetch_value("SELECT evidence_zh FROM layers_plaza WHERE member_id = 'host'")
    assert ev.endswith("有1次不当言论记录（标准为不超过1次）")


def test_the_council_uses_the_shared_bar_and_says_when_a_record_is_below_it(tables):  # noqa: F811
    p = {**layer_params(load_config()), "council_seats": 2, "council_candidate_factor": 0.0, "conduct_max_hostile": 2}
    with tables.transaction():
        write_council(tables, AS_OF, p)
    angry = tables.fetch_dicts("SELECT * FROM layers_council_candidates WHERE member_id = 'angry'")[0]
    assert angry["eligible"] and "有2次不当言论记录（标准为不超过2次）" in angry["evidence_zh"]


def _leader_tables(store):
    store.execute("ALTER TABLE layers_circle_members ADD COLUMN confidence DOUBLE DEFAULT 0.8")
    store.execute("ALTER TABLE layers_circles ADD COLUMN rank INTEGER DEFAULT 1")
    store.execute("ALTER TABLE ladder_members ADD COLUMN evidence_zh VARCHAR DEFAULT '近90天互动20次'")
    store.execute("ALTER TABLE ladder_members ADD COLUMN evidence_en VARCHAR DEFAULT '20 acts in 90 days'")
    store.execute("UPDATE ladder_members SET evidence_zh = '近90天互动20次；保级期内：若无新的主动创造价值的行为，约 2026-07-08 降级', "
                  "evidence_en = '20 acts; grace period: with no new proactive act, demoted around 2026-07-08' WHERE member_id = 'good1'")
    _risks(store, ("recently_inactive", "good2", "高活跃成员近14天未发帖"), ("care", "caremember", ""))


def test_leaders_use_the_shared_bar_and_carry_grace_and_inactivity_notes(tables):  # noqa: F811
    """QA 2: /org suggested a leader with 2 lifetime hostile acts whom the council on the same page excluded for them;
    a leader in the ladder's grace period or the radar's recently_inactive list carries that note."""
    with tables.transaction():
        _leader_tables(tables)
        write_leaders(tables, AS_OF, layer_params(load_config()))
    leaders = {r["member_id"]: r for r in tables.fetch_dicts("SELECT * FROM layers_circle_leaders")}
    assert "angry" not in leaders and "caremember" not in leaders and {"good1", "good2"} <= set(leaders)
    assert "保级期内：若无新的主动创造价值的行为，约 2026-07-08 降级" in leaders["good1"]["evidence_zh"]
    assert "grace period: with no new proactive act" in leaders["good1"]["evidence_en"]
    assert "近期不活跃：高活跃成员近14天未发帖" in leaders["good2"]["evidence_zh"]


def test_the_council_reader_gives_the_stage_reason_and_labelled_counts(tables):  # noqa: F811
    """QA 6: a stage-3 member left out 'for hostile acts' was never in the stage-4 pool; 候选N人 vs the sheet's rows."""
    tables.execute("UPDATE ladder_members SET stage = 3 WHERE member_id = 'angry'")
    p = {**layer_params(load_config()), "council_seats": 2, "council_candidate_factor": 0.0}
    with tables.transaction():
        write_council(tables, AS_OF, p)
    cfg = load_config().with_overrides({"layers.council_seats": 2, "layers.council_candidate_factor": 0.0})
    d = council_slate(tables, config=cfg)
    reasons = {x["member_id"]: x["excluded_because"] for x in d["excluded"]}
    assert reasons["angry"] == ["stage", "hostile"] and reasons["caremember"] == ["care"]
    assert d["counts"] == {"candidates": 5, "eligible": 2, "pool": 2, "label": d["counts"]["label"]}
    assert d["counts"]["label"].startswith("候选5人（第3阶及以上、注册满180天），其中记录合格2人，入选池2人（仅第4阶）")


def test_roles_held_count_as_team_load_and_a_running_team_shows_who_is_seated(store):
    """QA 10: a council seat holder was offered for a team as '目前未参与其他项目'; re-proposing a running team did not
    say who was seated."""
    _fitness(store, _crew())
    store.execute("CREATE TABLE layers_council AS SELECT 'w1' AS member_id, 1 AS seat")
    res = propose_team(store, _brief({"role": "writer"}), alternatives=3)
    rows = res["team"] + [a for v in res["alternatives"].values() for a in v]
    w1 = next(r for r in rows if r["member_id"] == "w1")
    assert "另担任核心顾问团第1席（计入负担）" in w1["reason"] and w1["other_roles"] == 1
    assert res["seated"] == []
    _on_team(store, "w2", "测试项目")
    res = propose_team(store, _brief({"role": "writer"}))
    assert res["seated"] == [{"member_id": "w2", "name": None, "role": "writer", "role_key": "writer", "role_label": "主笔",
                              "role_label_en": "writer"}]
    assert any("已就位1人：w2（主笔）" in w for w in res["warnings"])


def test_the_member_profile_lists_the_roles_a_member_holds(store):
    from reef.actions.views import member_profile

    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at, account_type) VALUES ('m1', 'm1', ?, 'member')", [AS_OF])
        store.execute("CREATE TABLE layers_council AS SELECT 'm1' AS member_id, 3 AS seat")
        store.execute("CREATE TABLE layers_circle_leaders AS SELECT 'c05' AS circle_id, 1 AS rank, 'm1' AS member_id")
    _on_team(store, "m1", "上手指南")
    roles = member_profile(store, "m1")["roles"]
    assert [r["label_zh"] for r in roles] == ["核心顾问团第3席", "c05圈层引领者建议第1位", "项目「上手指南」（writer）"]
