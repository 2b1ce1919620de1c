"""The network commands end to end on a small simulated community (JSON output)."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.simulate import SimulationSpec, simulate_to_store
from reef.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("netcli") / "c.duckdb"
    store = open_store(path)
    simulate_to_store(store, SimulationSpec(members=800, days=60, seed=3, end_date="2026-06-30"))
    store.close()
    return str(path)


def _run(*args):
    r = CliRunner().invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_connectors_json_has_parts_and_examples(db):
    rows = _run("connectors", "--db", db, "--top", "5", "--role", "all")
    assert len(rows) == 5 and rows[0]["rank"] == 1
    assert {"expertise_part", "asked_part", "brokerage_part", "reach_part", "followon_part", "examples"} <= set(rows[0])


def test_seed_plan_helpers_and_ripple(db):
    first = _run("seed-plan", "--db", db, "--k", "3", "--runs", "50")["seeds"][0]
    plan = _run("seed-plan", "--db", db, "--k", "3", "--runs", "50", "--exclude", f"nobody-else, {first}".split(", ")[1] + " , ")
    assert len(plan["seeds"]) == 3 and first not in plan["seeds"] and first in plan["excluded"]
    typo = CliRunner().invoke(app, ["seed-plan", "--db", db, "--k", "3", "--runs", "50", "--exclude", f"{first}, m-typo", "--json"])
    assert typo.exit_code == 5 and "m-typo" in typo.stdout
    assert {"top_degree", "top_pagerank", "random"} <= set(plan["baselines"])
    helpers = _run("helpers", "--db", db, "--top", "3")
    assert helpers["leaders"] and helpers["summary"]["acts"]
    ledger = _run("helpers", "--db", db, "--member", helpers["leaders"][0]["member_id"])
    assert ledger["acts"]
    store = open_store(db)
    camp = store.fetch_value("SELECT campaign_id FROM campaigns LIMIT 1")
    store.close()
    if camp:
        r = _run("ripple", "--db", db, "--campaign", camp)
        assert r["rings"][0]["ring"] == 0


def test_ripple_needs_seeds(db):
    r = CliRunner().invoke(app, ["ripple", "--db", db, "--topic", "露营", "--json"])
    assert r.exit_code != 0 and "seeds" in r.stdout
    zh = CliRunner().invoke(app, ["ripple", "--db", db, "--topic", "露营"])  # Chinese by default: no English words
    assert zh.exit_code == 2 and "应为种子成员和开始时间" in zh.output and "请给出 --campaign" in zh.output, zh.output
    assert "seed members" not in zh.output and "Pass " not in zh.output, zh.output


@pytest.mark.parametrize("args, code", [
    (("connectors", "--top", "-2"), 2), (("connectors", "--role", "bogus"), 2), (("helpers", "--top", "-1"), 2),
    (("helpers", "--member", "zzz"), 5), (("seed-plan", "--k", "-1"), 2), (("seed-plan", "--k", "2", "--runs", "0"), 2),
    (("seed-plan", "--k", "2", "--circle", "nope"), 5), (("ripple", "--campaign", "camp-1", "--since", "2026/01/01"), 2),
])
def test_bad_values_are_one_line_errors_not_tracebacks(db, args, code):
    r = CliRunner().invoke(app, [*args, "--db", db])
    assert r.exit_code == code, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output and r.stderr.startswith("错误：")


@pytest.mark.parametrize("args, named", [
    (("ripple", "--campaign", "nope"), "nope"), (("ripple", "--topic", "续航", "--seeds", "nobody", "--since", "2026-05-01"), "nobody"),
    (("seed-plan", "--k", "2", "--exclude", "nobody"), "nobody"),
    # before any interaction there is no graph to plan on: a typo is still refused, not an empty plan with exit code 0
    (("seed-plan", "--k", "2", "--exclude", "nobody", "--as-of", "2000-01-01"), "nobody"),
])
def test_unknown_ids_are_not_found_with_the_known_ids(db, args, named):
    """docs/cli.md: 5 = something asked for does not exist; the message lists ids that do (as `reef contest` does)."""
    r = CliRunner().invoke(app, [*args, "--db", db])
    assert r.exit_code == 5, r.output
    assert named in r.stderr and "Known " in r.stderr
    err = json.loads(CliRunner().invoke(app, [*args, "--db", db, "--json"]).stdout)["error"]
    assert err["code"] == "not_found" and err["hint"].startswith("Known ")


def test_titles_show_the_as_of_day_in_the_stores_time_zone(db):
    r = CliRunner().invoke(app, ["connectors", "--db", db, "--as-of", "2026-06-01", "--top", "3"])
    assert r.exit_code == 0, r.output
    assert "2026-06-01 00:00:00+08:00" in r.stdout and "+00:00" not in r.stdout


def test_unknown_seeds_and_aspects_are_errors_not_empty_results(db):
    seeds = CliRunner().invoke(app, ["ripple", "--topic", "续航", "--seeds", "zzz", "--since", "2026-05-01", "--db", db])
    assert seeds.exit_code == 5 and "zzz" in seeds.stderr and "Known member ids" in seeds.stderr
    aspect = CliRunner().invoke(app, ["crisis", "--aspect", "不存在", "--db", db])
    assert aspect.exit_code == 2 and "续航与充电" in aspect.stderr
    qa = CliRunner().invoke(app, ["kb", "qa", "--aspect", "不存在", "--db", db])
    assert qa.exit_code == 2


def test_connector_roles_read_in_the_table_language(db):
    wide = CliRunner(env={"COLUMNS": "400"})  # one line per row: a folded cell splits the label
    zh = wide.invoke(app, ["connectors", "--db", db, "--top", "20", "--role", "all", "--lang", "zh"])
    en = wide.invoke(app, ["connectors", "--db", db, "--top", "20", "--role", "all", "--lang", "en"])
    assert zh.exit_code == 0 and en.exit_code == 0
    assert "连接者" in zh.output and "connector" not in zh.output.replace("Key connectors", "")
    assert "connector" in en.output and "连接者" not in en.output
    assert _run("connectors", "--db", db, "--top", "3")[0]["role"] == "connector"  # JSON keeps the code


def test_help_summary_labels_follow_the_table_language(db):
    wide = CliRunner(env={"COLUMNS": "400"})
    zh = wide.invoke(app, ["helpers", "--db", db, "--top", "3", "--lang", "zh"]).output
    en = wide.invoke(app, ["helpers", "--db", db, "--top", "3", "--lang", "en"]).output
    assert "24小时内获答比例" in zh and "answered_24h_share" not in zh
    assert "Share answered within 24 h" in en and "24小时内获答" not in en


def test_seed_plan_table_is_chinese_and_rounded(db):
    """No English labels, strategy codes or unrounded Monte-Carlo means in the Chinese table; the empty plan's
    reason is Chinese too, English with --lang en."""
    out = CliRunner().invoke(app, ["seed-plan", "--db", db, "--k", "2", "--runs", "20", "--lang", "zh"]).output
    for raw in ("seeds", "RR sets", "candidates", "imm", "top_degree", "brand_broadcast"):
        assert raw not in out
    assert "反向可达集数" in out and "推荐的种子名单" in out
    assert not re.search(r"\d\.\d{3,}", out)
    empty = CliRunner().invoke(app, ["seed-plan", "--db", db, "--k", "2", "--topic", "zzzqqq-nothing", "--lang", "zh"])
    assert "No member fits" not in empty.output and "没有成员符合" in empty.output
    en = CliRunner().invoke(app, ["seed-plan", "--db", db, "--k", "2", "--topic", "zzzqqq-nothing", "--lang", "en"])
    assert "No member fits" in en.output and "RR sets" in en.output


def test_seed_plan_table_is_the_pages_view(db):
    """QA: `reef seed-plan` printed bare ids and '排除 43' while the page showed names, reasons, a headline and (now)
    who was left out and why: both render reef.network.seedplan.seed_plan_view."""
    from reef.network.seedplan import seed_plan_view
    from reef.reads.network import seed_plan
    from reef.store import close_all

    wide = CliRunner(env={"COLUMNS": "400"})
    out = wide.invoke(app, ["seed-plan", "--db", db, "--k", "3", "--runs", "20", "--exclude", "m000", "--lang", "zh"]).output
    close_all()
    store = open_store(db)
    r = seed_plan(store, k=3, runs=20, exclude="m000")
    view = seed_plan_view(store, r.data, masked=False, lang="zh")
    store.close()
    assert view["headline"] and view["headline"] in out
    for s in view["seeds"]:
        assert s["member_id"] in out and s["name"] in out and s["reasons"][0][:8] in out
    assert "排除的成员" in out if view["exclusions"] else "排除的成员" not in out
    assert all(x["reasons"][0]["text"][:8] in out for x in view["exclusions"])
    assert "m000" not in r.data["excluded"]  # staff (the simulator's brand account) is no candidate to leave out


def test_connectors_examples_are_joined_not_a_python_list(db):
    out = CliRunner().invoke(app, ["connectors", "--db", db, "--top", "3", "--role", "all", "--lang", "zh"]).output
    assert "['" not in out and "、" in out
