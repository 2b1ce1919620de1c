"""Drill-down evidence of the risk parts, the radar's coverage warning and the `reef risks` front door.

Each evidence list is checked against a direct count from the store, and evidence never moves a score.
"""
from __future__ import annotations

import json
import re
import shutil
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.config import load_config
from reef.errors import InvalidParameterError
from reef.risks.analysis import compute_risks
from reef.risks.common import risk_base
from reef.store import close_all, open_store
from tests.risks.conftest import T0, handmade_store, ts

runner = CliRunner()


@pytest.fixture(scope="module")
def sim(sim_path):
    path = sim_path
    store = open_store(path)
    as_of = store.fetch_value("SELECT max(as_of) FROM risk_scores")
    # Every part's full list (no cap), computed once: the tests compare it with direct counts.
    rows = compute_risks(store, as_of, load_config().with_overrides({"risks.evidence_rows": 100000}))
    store.close()
    close_all()
    return path, as_of, rows


def _ev(rows, part):
    return [e for e in rows["risk_evidence"] if e["part"] == part]


def _ranked(rows, part):
    """The part's evidence rows, checked to be there and ordered by value, highest first."""
    ev = _ev(rows, part)
    assert ev and [e["value"] for e in ev] == sorted((e["value"] for e in ev), reverse=True)
    return ev


def _part(rows, part):
    return next(p for p in rows["risk_parts"] if p["part"] == part)


def test_evidence_never_changes_scores_parts_or_alerts(sim):
    path, as_of, full = sim
    store = open_store(path)
    none = compute_risks(store, as_of, load_config().with_overrides({"risks.evidence_rows": 0}))
    key = lambda r: json.dumps(r, sort_keys=True, default=str)  # noqa: E731 - alerts of one part come in no fixed order
    for table in ("risk_scores", "risk_parts", "risk_alerts"):
        assert sorted(map(key, none[table])) == sorted(map(key, full[table])), table
    capped = {"unresolved", "complaints", "newcomers", "homogenisation", "hostility", "cliques", "polarisation"}
    assert not [e for e in none["risk_evidence"] if e["part"] in capped]
    assert {e["part"] for e in full["risk_evidence"]} & capped  # the cap, not an empty community, removed them


def test_unresolved_lists_every_unresolved_core_complaint(sim):
    path, as_of, rows = sim
    store = open_store(path)
    ev = _ev(rows, "unresolved")
    assert len(ev) == _part(rows, "unresolved")["value"] > 0
    ud = load_config().get("risks.unresolved_days")
    core = {m for (m,) in store.fetch_all("SELECT member_id FROM ladder_members WHERE greatest(stage, coalesce(max_stage, stage)) >= 3")}
    for e in ev:
        author, created, thread, intents = store.fetch_all("""SELECT c.author_id, c.created_at, coalesce(c.thread_id, c.content_id), f.intents
            FROM content c JOIN content_features f USING (content_id) WHERE c.content_id = $id""", {"id": e["content_id"]})[0]
        assert author == e["member_id"] and author in core and "complaint" in intents
        assert e["value"] == pytest.approx((as_of - created).total_seconds() / 86400, abs=0.06) and e["value"] >= ud
        staff = store.fetch_value("""SELECT count(*) FROM content c JOIN members m ON m.member_id = c.author_id
            WHERE coalesce(c.thread_id, c.content_id) = $t AND m.account_type IN ('staff', 'brand') AND c.created_at > $at AND c.created_at <= $ts""",
                                  {"t": thread, "at": created, "ts": as_of})
        assert staff == 0
    assert [e["value"] for e in ev] == sorted((e["value"] for e in ev), reverse=True)  # oldest first
    en = ev[0]["detail_en"]
    assert ev[0]["content_id"] in en and ev[0]["member_id"] in ev[0]["detail_zh"] and "days old" in en


@pytest.mark.parametrize("staff_after, unresolved", [(False, 1), (True, 0)])
def test_a_staff_post_after_the_complaint_answers_it_even_after_an_earlier_one(tmp_path, staff_after, unresolved):
    from reef.risks.backlash import backlash
    from reef.risks.common import risk_base

    members = [{"member_id": "core", "joined_at": ts(-300)}, {"member_id": "s", "joined_at": ts(-300), "account_type": "staff"}]
    content = [{"content_id": "t", "kind": "thread", "author_id": "s", "created_at": ts(1), "title": "官方答疑", "body": "有问题请在这里反馈"},
               {"content_id": "c", "kind": "reply", "author_id": "core", "parent_id": "t", "created_at": ts(2),
                "body": "售后太差了，投诉了三次都没人处理，非常失望"}]
    if staff_after:
        content.append({"content_id": "r", "kind": "reply", "author_id": "s", "parent_id": "c", "created_at": ts(3),
                        "body": "已安排专人跟进"})
    store = handmade_store(tmp_path, {"members": members, "content": content}, core=("core",))
    from reef.text.enrich import enrich_store

    enrich_store(store)
    assert "complaint" in store.fetch_value("SELECT intents FROM content_features WHERE content_id = 'c'")
    as_of = T0 + timedelta(days=10)
    with risk_base(store, as_of, 400):
        res = backlash(store, as_of, load_config())
    assert next(p for p in res.parts if p.name == "unresolved").value == unresolved


def test_complaint_examples_add_up_to_the_part(sim):
    path, as_of, rows = sim
    store = open_store(path)
    ev = _ev(rows, "complaints")
    assert ev and sum(e["value"] for e in ev) == _part(rows, "complaints")["value"]
    for e in ev:
        author, intents = store.fetch_all("SELECT c.author_id, f.intents FROM content c JOIN content_features f USING (content_id) WHERE content_id = $id",
                                          {"id": e["content_id"]})[0]
        assert author == e["member_id"] and "complaint" in intents


def test_newcomer_evidence_matches_the_unanswered_share(sim):
    from reef.risks.metrics import newcomer_metrics

    path, as_of, rows = sim
    store = open_store(path)
    c = load_config().section("risks")
    with risk_base(store, as_of, int(c["horizon_days"])):
        m = newcomer_metrics(store, as_of, int(c["newcomer_days"]), c)
    ev = _ev(rows, "newcomers")
    assert len(ev) == round(m["unanswered"] * m["newcomers"]) > 0
    for e in ev:
        first_at = store.fetch_value("SELECT created_at FROM content WHERE content_id = $id", {"id": e["content_id"]})
        answered = store.fetch_value("""SELECT count(*) FROM content WHERE (parent_id = $id OR thread_id = $id) AND author_id <> $a
            AND created_at <= $at""", {"id": e["content_id"], "a": e["member_id"], "at": first_at + timedelta(hours=c["response_hours"])})
        assert answered == 0 and e["value"] > c["response_hours"]


def test_duplicate_groups_add_up_to_the_duplicate_share(sim):
    path, as_of, rows = sim
    store = open_store(path)
    c = load_config().section("risks")
    ev = _ev(rows, "homogenisation")
    assert ev and all(e["content_id"] != e["subject"] for e in ev)
    with risk_base(store, as_of, int(c["horizon_days"])):
        originals = store.fetch_value("""SELECT count(DISTINCT d.content_id) FROM _risk_dupkeys d JOIN _risk_posts p USING (content_id)
            WHERE p.created_at >= $ts::TIMESTAMPTZ - to_days($w)""", {"ts": as_of, "w": int(c["window_days"])})
    share = sum(e["value"] for e in ev) / originals
    assert share == pytest.approx(_part(rows, "homogenisation")["value"], abs=0.0006)
    for e in ev:  # the example repeats an item posted before it
        at = dict(store.fetch_all("SELECT content_id, created_at FROM content WHERE content_id IN ($a, $b)", {"a": e["subject"], "b": e["content_id"]}))
        assert at[e["subject"]] < at[e["content_id"]]


def test_dilution_weeks_are_dated_and_match_the_series(sim):
    path, as_of, rows = sim
    ev = _ev(rows, "dilution")
    series = [s for s in rows["risk_series"] if s["metric"] == "selling_point_share"]
    assert len(ev) == 2 and [s["period"] for s in series] == [e["subject"] for e in ev]
    starts = [e["subject"] for e in ev]
    store = open_store(path)
    # Whole weeks of 7 x 24 h ending at as_of, each dated by the day it starts on (local time).
    assert starts == sorted(starts) and starts[-1] == str(store.fetch_value("SELECT CAST($ts::TIMESTAMPTZ - INTERVAL 7 DAY AS DATE)", {"ts": as_of}))
    assert [round(e["value"], 4) for e in ev] == [s["value"] for s in series]
    assert all("target" in e["detail_en"] and "目标" in e["detail_zh"] for e in ev)


def test_hostility_lists_hostile_replies(sim):
    path, as_of, rows = sim
    ev = _ranked(rows, "hostility")


def test_clique_evidence_lists_insular_core_members_with_their_counts(sim):
    path, as_of, rows = sim
    store = open_store(path)
    c = load_config().section("risks")
    ev = _ranked(rows, "cliques")
    days = 4 * int(c["window_days"])
    core = {m for (m,) in store.fetch_all("SELECT member_id FROM ladder_members WHERE greatest(stage, coalesce(max_stage, stage)) >= 3")}
    for e in ev[:5]:  # each share and count is the member's own replies, counted directly
        replies = store.fetch_all("""SELECT p.author_id FROM content r JOIN content p ON p.content_id = r.parent_id
            JOIN members m ON m.member_id = p.author_id AND m.account_type = 'member'
            WHERE r.author_id = $a AND p.author_id <> $a AND r.created_at >= $ts::TIMESTAMPTZ - to_days($d) AND r.created_at < $ts
              AND (r.deleted_at IS NULL OR r.deleted_at >= $ts)""", {"a": e["member_id"], "ts": as_of, "d": days})
        assert e["member_id"] in core and len(replies) >= c["clique_evidence_min_replies"]
        assert e["value"] == pytest.approx(sum(to in core for (to,) in replies) / len(replies), abs=0.0006)
        assert f"回复他人{len(replies)}次" in e["detail_zh"] and f"{len(replies)} replies" in e["detail_en"]


def test_polarisation_evidence_is_hostile_replies_across_tenure(sim):
    path, as_of, rows = sim
    store = open_store(path)
    c = load_config().section("risks")
    ev = _ranked(rows, "polarisation")
    for e in ev:
        (at, joined, parent_joined, intents, tox), = store.fetch_all("""SELECT r.created_at, a.joined_at, b.joined_at, f.intents, f.toxicity
            FROM content r JOIN content p ON p.content_id = r.parent_id JOIN members a ON a.member_id = r.author_id
            JOIN members b ON b.member_id = p.author_id LEFT JOIN content_features f ON f.content_id = r.content_id
            WHERE r.content_id = $id""", {"id": e["content_id"]})
        assert as_of - timedelta(days=2 * c["window_days"]) <= at < as_of
        tenure = sorted((at.date() - j.date()).days for j in (joined, parent_joined))
        assert tenure[0] < c["newcomer_days"] and tenure[1] >= c["old_tenure_days"]  # one new, one old
        assert {"personal_attack", "disagreement"} & set(intents or []) or (tox or 0) >= load_config().get("text.attack_toxicity")
    assert ("老成员" in ev[0]["detail_zh"]) == ("old member" in ev[0]["detail_en"])


def test_evidence_follows_whichever_clique_measure_drives_the_part(tmp_path):
    # Three members write nearly everything: the contributor-absence factor, not insularity, drives the part.
    members = [{"member_id": f"m{i}", "joined_at": ts(-300)} for i in range(40)]
    content = [{"content_id": f"c{i}", "author_id": f"m{i % 3 if i < 300 else i % 40}", "kind": "thread", "created_at": ts(3 + i * 0.07),
                "title": "t", "body": f"post {i}"} for i in range(340)]
    store = handmade_store(tmp_path, {"members": members, "content": content})
    from reef.risks.heat import heat_death

    res = heat_death(store, T0 + timedelta(days=30), load_config())
    ev = [e for e in res.evidence if e["part"] == "cliques"]
    cliques = next(p for p in res.parts if p.name == "cliques")
    assert cliques.score > 0 and [e["member_id"] for e in ev] == ["m0", "m1", "m2"][: len(ev)] and len(ev) >= 1
    assert "make half the content" in ev[0]["detail_en"] and ev[0]["value"] > 0.25


def test_change_point_is_in_both_notes(tmp_path):
    members = [{"member_id": f"m{i}", "joined_at": ts(-200)} for i in range(30)]
    content = []
    for week in range(9):
        for i in range(24 if week < 7 else 4):  # a fall from 24 to 4 contributors a week in the last two weeks
            content.append({"content_id": f"c{week}_{i}", "author_id": f"m{i}", "kind": "thread", "created_at": ts(7 * week + 1 + i * 0.2),
                            "title": "t", "body": f"post {week} {i}"})
    store = handmade_store(tmp_path, {"members": members, "content": content})
    from reef.risks.heat import heat_death

    res = heat_death(store, T0 + timedelta(days=63), load_config())
    activity = next(p for p in res.parts if p.name == "activity")
    assert "拐点" in activity.note_zh and "change point from" in activity.note_en
    points = [e for e in res.evidence if e["part"] == "activity" and "change point" in e["detail_en"]]
    assert len(points) == 1 and points[0]["value"] < -2


def test_coverage_warning(sim):
    from reef.risks.surfaces import coverage_warning

    path, as_of, _ = sim
    store = open_store(path)
    cfg = load_config()
    assert coverage_warning(store, as_of, cfg, "en") is None
    before = coverage_warning(store, as_of - timedelta(days=1000), cfg, "en")
    assert before.startswith("Warning") and "before the first content" in before
    assert "早于最早的内容" in coverage_warning(store, as_of - timedelta(days=1000), cfg, "zh")
    last = store.fetch_value("SELECT max(created_at) FROM content")
    assert coverage_warning(store, last + timedelta(days=1.9), cfg, "en") is None  # within stale_data_days = 2
    late = coverage_warning(store, last + timedelta(days=30), cfg, "en")
    assert "30 days after the last content" in late and "stale_data_days" in late
    assert coverage_warning(store, last + timedelta(days=30), cfg.with_overrides({"risks.stale_data_days": 40}), "en") is None


def test_radar_view_shows_the_strongest_parts_evidence_first(sim):
    from reef.risks.surfaces import radar_view

    path, _, _ = sim
    store = open_store(path)
    radar = radar_view(store, lang="en", evidence=3)
    explains = {"care": ("drift", "unresolved"), "recently_inactive": ("burnout",)}  # the care list: both kinds of member
    for f in radar["families"]:
        assert len(f["evidence"]) <= 3
        scores = {p["part"]: p["score"] for p in f["parts"]}
        got = [max(scores.get(x, 0) for x in explains.get(e["part"], (e["part"],))) for e in f["evidence"]]
        assert got == sorted(got, reverse=True)
    assert radar["warning"] is None


def _cli(path, tmp_path, *args):
    db = tmp_path / "cli.duckdb"
    if not db.exists():
        shutil.copy(path, db)
    return runner.invoke(app, [*map(str, args), "--db", str(db)])


def test_cli_language_from_config_and_checked(sim, tmp_path):
    path, _, _ = sim
    zh = _cli(path, tmp_path, "risks")
    assert zh.exit_code == 0, zh.output
    assert "风险雷达" in zh.stdout and "级别" in zh.stdout and "证据" in zh.stdout and "level" not in zh.stdout
    assert any(w in zh.stdout for w in ("│ 低", "│ 中", "│ 高"))
    cfg = tmp_path / "en.toml"
    cfg.write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    en = _cli(path, tmp_path, "risks", "--config", cfg)
    assert en.exit_code == 0 and "Risk radar" in en.stdout and "evidence" in en.stdout and "风险雷达" not in en.stdout
    for cmd in (["risks", "--lang", "fr"], ["alerts", "--lang", "fr"]):
        bad = _cli(path, tmp_path, *cmd)
        assert bad.exit_code == 2 and "'fr'" in bad.stderr and ("zh or en" in bad.stderr or "zh 或 en" in bad.stderr)
    cfg.write_text('[general]\nlanguage = "fr"\n', encoding="utf-8")
    bad = _cli(path, tmp_path, "risks", "--config", cfg)
    assert bad.exit_code == 2 and "general.language" in bad.stderr


def test_cli_severity_report_path_and_evidence(sim, tmp_path):
    path, _, _ = sim
    bad = _cli(path, tmp_path, "alerts", "--severity", "bogus")
    assert bad.exit_code == 2 and ("medium or high" in bad.stderr or "medium 或 high" in bad.stderr)
    (tmp_path / "blocker").write_text("a file, not a folder")
    rep = _cli(path, tmp_path, "risks", "--report", tmp_path / "blocker" / "weekly.html")
    # the words of every output path the CLI cannot write (reef.output_paths.output_error): the file in the way, named
    assert rep.exit_code == 3 and str(tmp_path / "blocker") in rep.stderr and "Traceback" not in rep.output
    assert "这里需要一个文件夹，却是一个文件。" in rep.stderr or "A file stands where a folder is needed." in rep.stderr
    one = _cli(path, tmp_path, "risks", "--evidence", "1", "--json")
    data = json.loads(one.stdout)
    assert data["warning"] is None and all(len(f["evidence"]) <= 1 for f in data["families"])
    assert sum(len(f["evidence"]) for f in data["families"]) >= 3
    early = json.loads(_cli(path, tmp_path, "risks", "--as-of", "2001-01-01", "--json", "--lang", "en").stdout)
    assert "before the first content" in early["warning"] and all(f["score"] == 0 for f in early["families"])


def test_weekly_report_carries_the_coverage_warning_only_when_as_of_is_outside_the_data(sim, tmp_path):
    from reef.risks.weekly import weekly_report

    path, as_of, _ = sim
    store = open_store(path)
    assert 'class="warn"' not in weekly_report(store, as_of, weeks=1)
    last = store.fetch_value("SELECT max(created_at) FROM content")
    with pytest.raises(InvalidParameterError, match="as_of") as refused:  # the report reads the last run: no other date on it
        weekly_report(store, last + timedelta(days=30), weeks=1)
    # the run's moment with its offset, as every other message writes it; "(2016-06-01 00:00 CST)" read as US Central time
    assert re.search(r"last risks run \(\d{4}-\d\d-\d\dT\d\d:\d\d\+08:00\)", str(refused.value)) and "CST" not in str(refused.value)
    assert "datetime.datetime" not in str(refused.value)  # the moment asked for, as ISO 8601
    from reef.risks.analysis import run_risks

    run_risks(store, last + timedelta(days=30), store.config)
    late = weekly_report(store, last + timedelta(days=30), weeks=1)
    late_en = weekly_report(store, last + timedelta(days=30), lang="en", weeks=1)
    assert '<p class="warn">' in late and "30 days after the last content" in late_en and "比最后一条内容" in late


def test_weekly_reports_warning_speaks_to_its_reader_not_of_as_of_or_a_setting(sim):
    """QA: the weekly report told its reader 请导入更新的数据或换一个更早的 as_of 参数 (… risks.stale_data_days = 2): a
    reader of a forwarded page has no parameter and sets no configuration; it says the limit in days and a date to pick,
    as the operations report does."""
    import re

    from reef.risks.analysis import run_risks
    from reef.risks.weekly import weekly_report

    path, _, _ = sim
    store = open_store(path)
    late_at = store.fetch_value("SELECT max(created_at) FROM content") + timedelta(days=30)
    run_risks(store, late_at, store.config)
    for lang, advice in (("zh", "请导入更新的数据或选择更早的日期。"), ("en", "Import newer data or pick an earlier date.")):
        banner = re.search(r'<p class="warn">(.*?)</p>', weekly_report(store, late_at, lang=lang, weeks=1)).group(1)
        assert banner.endswith(advice), banner
        assert "as_of" not in banner and "stale_data_days" not in banner, banner
        assert ("超过2天" if lang == "zh" else "more than 2 days") in banner, banner


@pytest.mark.parametrize("names, at, cancelled, unresolved", [
    ("c", 5, False, 0),      # the complaint itself
    ("t", 5, False, 0),      # its thread, answered after the complaint
    ("t", 1.5, False, 1),    # its thread, but before the complaint was posted
    ("c", 5, True, 1),       # a response since cancelled
    ("t0", 5, False, 1),     # another thread
])
def test_an_operator_respond_naming_the_complaint_resolves_it(tmp_path, names, at, cancelled, unresolved):
    from reef.actions import record_action, update_action
    from reef.risks.backlash import backlash
    from reef.text.enrich import enrich_store

    members = [{"member_id": "core", "joined_at": ts(-300)}, {"member_id": "s", "joined_at": ts(-300), "account_type": "staff"}]
    content = [{"content_id": "t", "kind": "thread", "author_id": "core", "created_at": ts(1), "title": "售后", "body": "售后问题"},
               {"content_id": "t0", "kind": "thread", "author_id": "s", "created_at": ts(1), "title": "公告", "body": "公告"},
               {"content_id": "c", "kind": "reply", "author_id": "core", "parent_id": "t", "created_at": ts(2),
                "body": "售后太差了，投诉了三次都没人处理，非常失望"}]
    store = handmade_store(tmp_path, {"members": members, "content": content}, core=("core",))
    enrich_store(store)
    # open: a response planned, then cancelled (a respond is recorded as done by default, and done is final)
    a = record_action(store, "core", "respond", details={"content": names}, note="已电话回访", by="ops",
                      status="open" if cancelled else None)
    assert a["content_id"] == names
    if cancelled:
        update_action(store, a["action_id"], status="cancelled", by="ops")
        store.execute("UPDATE operator_actions SET attrs = json_merge_patch(attrs, json_object('cancelled_at', ?))",
                      [ts(6)])
    store.execute("UPDATE operator_actions SET created_at = ?", [ts(at)])  # recorded then
    as_of = T0 + timedelta(days=10)
    with risk_base(store, as_of, 400):
        res = backlash(store, as_of, load_config())
    assert next(p for p in res.parts if p.name == "unresolved").value == unresolved


def test_respond_content_must_exist_and_fit_the_kind(tmp_path):
    from reef.actions import record_action
    from reef.errors import NotFoundError

    store = handmade_store(tmp_path, {"members": [{"member_id": "m", "joined_at": ts(0)}],
                                      "content": [{"content_id": "p", "kind": "thread", "author_id": "m", "created_at": ts(1), "body": "x"}]})
    with pytest.raises(NotFoundError, match="'nope'"):
        record_action(store, "m", "respond", details={"content": "nope"})
    with pytest.raises(InvalidParameterError, match="content"):
        record_action(store, "m", "invite", details={"content": "p"})
    assert record_action(store, "m", "boost", details={"content": "p"})["content_id"] == "p"
