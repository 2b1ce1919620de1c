"""The QA review of the ladder's surfaces (a weekly operator): honest stage-0 and grace-period evidence, alert
messages without doubled punctuation, IDs beside names, the funnel's medians labelled, the council's shares as
percentages and 今日值得表彰 with the council's exclusions at as_of."""
from __future__ import annotations

import json
from datetime import timedelta

from typer.testing import CliRunner

from reef.cli import app
from reef.ladder.params import LadderParams
from reef.store import close_all, open_store
from tests.ladder.conftest import simulated, simulated_path  # noqa: F401 - module fixtures reused


def _cli(*args):
    r = CliRunner(env={"COLUMNS": "400"}).invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.output


def test_stage_zero_evidence_names_the_threshold_not_reached(simulated):
    p = LadderParams()
    rows = simulated.fetch_all("SELECT evidence_zh, evidence_en FROM ladder_members WHERE stage = 0 AND acts > 0")
    assert rows
    assert all(f"未达参与者门槛（近{p.window_days}天互动{p.participant_min_acts}次）" in zh for zh, _ in rows)
    assert all("below the participant threshold" in en for _, en in rows)
    quiet = simulated.fetch_all("SELECT evidence_zh FROM ladder_members WHERE stage = 0 AND acts = 0")
    assert not any("未达" in r[0] for r in quiet)


def test_a_member_held_by_the_grace_period_is_told_when_it_is_demoted(simulated):
    """A member whose kept level is below its stage now (the window measures alone would place it lower) is held by
    the grace period: its evidence says so with a date after as_of."""
    import numpy as np

    from reef.ladder.stages import highest, stage_ratios
    from reef.ladder.windows import MEASURES

    p = LadderParams()
    df = simulated.fetch_arrow(f"SELECT member_id, stage, evidence_zh, evidence_en, as_of, {', '.join(MEASURES)}, help_credit "
                               "FROM ladder_members").to_pylist()
    m = {c: np.array([float(r[c]) for r in df]) for c in MEASURES + ("help_credit",)}
    kept = highest(stage_ratios(m, p), p.keep_ratio)
    held = [r for r, k in zip(df, kept) if k < r["stage"]]
    assert held
    for r in held:
        assert "保级期内：若无新的" in r["evidence_zh"] and "降级" in r["evidence_zh"], r
        day = r["evidence_zh"].split("约 ")[1][:10]
        assert r["as_of"].date().isoformat() <= day <= (r["as_of"] + timedelta(days=p.grace_days + p.checkpoint_days)).date().isoformat()
        assert "grace period: with no new" in r["evidence_en"]
    others = [r for r, k in zip(df, kept) if k >= r["stage"]]
    assert not any("保级期" in r["evidence_zh"] for r in others)


def test_alert_messages_have_no_doubled_punctuation(simulated):
    msgs = [r[0] for r in simulated.fetch_all("SELECT message_zh FROM ladder_alerts")]
    assert msgs
    assert not any(x in m for m in msgs for x in ("。，", "，，", "！，", "？，", "。。"))
    assert all(m.endswith("请立即认可") for m in msgs)


def test_contest_shows_member_ids_and_groups_leaders_with_ids(simulated_path):  # noqa: F811
    store = open_store(simulated_path)
    campaign = store.fetch_value("SELECT campaign_id FROM content WHERE campaign_id IS NOT NULL ORDER BY 1 LIMIT 1")
    close_all()
    out = _cli("contest", "--campaign", campaign, "--db", str(simulated_path))
    assert "成员ID" in out.splitlines()[2]
    data = json.loads(_cli("contest", "--campaign", campaign, "--db", str(simulated_path), "--json"))
    assert data["entries"] and all(e["author_id"] in out for e in data["entries"])


def test_funnel_medians_are_labelled_with_their_basis(simulated_path):  # noqa: F811
    out = _cli("funnel", "--db", str(simulated_path))
    block = out.split("从加入到首次到达各阶段的中位天数")[1].split("长期停留")[0]
    assert "中位天数" in block and "阶段名" in block
    assert all(name in block for name in ("参与者", "创作者", "连接者", "引领者"))  # every stage, reached or not
    assert "中位天数只统计" in block or "暂无可统计的成员" in block
    en = _cli("funnel", "--db", str(simulated_path), "--lang", "en")
    assert "median days" in en.lower() and ("Median days count only" in en or "No one to count yet" in en)


def test_ladder_page_marks_new_alerts(simulated):
    from jinja2 import Environment  # noqa: F401 - the dashboard's renderer is jinja2

    from reef.ladder.surfaces import ladder_page_data

    alerts = ladder_page_data(simulated)["alerts"]
    assert alerts and {a["is_new"] for a in alerts} <= {True, False}
    template = open("reef/web/templates/ladder.html", encoding="utf-8").read()
    assert "a.is_new" in template and "ladder.new" in template
