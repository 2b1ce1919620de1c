"""Column headers of the operator commands follow the output language, named from one label table (reef.i18n through
reef.cli._common.heading); --json keeps the English keys.

Runs on the small analysed surface store (tests/server/surface_fixtures.py, ``db_path``): every analysis is
fresh there, so each command only reads. A wide terminal keeps each header on one line.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from reef.cli import app
from reef.cli._common import heading, rows_table
from reef.i18n import column_label, register_column_labels

wide = CliRunner(env={"COLUMNS": "600"})
BRIEF = Path(__file__).resolve().parents[2] / "docs" / "examples" / "team-brief.toml"


def _both(db_path, *args: str) -> tuple[str, str]:
    """The command's table output in Chinese and in English."""
    outputs = []
    for lang in ("zh", "en"):
        r = wide.invoke(app, [*args, "--db", str(db_path), "--lang", lang])
        assert r.exit_code == 0, r.output
        outputs.append(r.stdout)
    return outputs[0], outputs[1]


def _check(zh: str, en: str, pairs: dict[str, str]) -> None:
    """Each key's Chinese header is in the Chinese table and not the English one, whose header is the key's English
    words (``times_asked`` -> "Times asked"), not the key."""
    for key, chinese in pairs.items():
        assert chinese in zh and chinese not in en, (key, chinese)
        assert heading(key, "en") != key and heading(key, "en") in en and key not in zh, key


# ---------------------------------------------------------------- the lookup and rows_table


def test_column_label_names_known_keys_and_passes_unknown_ones_through():
    assert column_label("times_asked") == "被问次数" and column_label("times_asked", "en") == "times_asked"
    assert column_label("member_id") == "成员ID" and column_label("help_credit") == "互助积分"
    assert column_label("zz_not_a_column") == "zz_not_a_column" and column_label("zz_not_a_column", "en") == "zz_not_a_column"


def test_registered_columns_are_named_and_cannot_rename_shared_ones():
    register_column_labels({"zz_test_share": ("测试占比", "test share"), "member_id": ("会员号", "member number")})
    assert column_label("zz_test_share") == "测试占比" and column_label("zz_test_share", "en") == "test share"
    assert column_label("member_id") == "成员ID" and column_label("member_id", "en") == "member_id"


def _render(**kwargs) -> str:
    console = Console(width=300, record=True)
    rows_table("t", [{"member_id": "m1", "times_asked": 3, "odd_key": 1}], ["member_id", "times_asked", "odd_key"],
               console=console, **kwargs)
    return console.export_text()


def test_rows_table_headers_by_language():
    assert "member_id" in _render() and "成员ID" not in _render()  # no lang: the keys as given
    zh = _render(lang="zh")
    assert "成员ID" in zh and "被问次数" in zh and "odd_key" in zh and "member_id" not in zh
    en = _render(lang="en")  # English words, not the --json keys
    assert "Member ID" in en and "Times asked" in en and "Odd key" in en and "成员ID" not in en
    assert not {"member_id", "times_asked", "odd_key"} & set(re.findall(r"[a-z_]+", en))
    local = _render(lang="zh", labels={"member_id": ("车主编号", "owner id")})
    assert "车主编号" in local and "成员ID" not in local and "被问次数" in local
    assert "Owner id" in _render(lang="en", labels={"member_id": ("车主编号", "owner id")})


# ---------------------------------------------------------------- each command family


def test_ladder_headers(db_path):
    _check(*_both(db_path, "ladder", "--top", "3"), {"member_id": "成员ID", "potential": "潜力", "momentum": "势头"})
    zh, en = _both(db_path, "funnel")
    _check(zh, en, {"cohort": "加入月份"})
    # no member is stuck here: the table is one line saying so, and its header would be named
    assert "长期停留在同一阶段：暂无。" in zh and "Stuck members: none." in en
    assert heading("days_at_stage", "zh") == "停留天数" and heading("days_at_stage", "en") != "days_at_stage"


def test_kb_headers_and_json_keys(db_path):
    _check(*_both(db_path, "kb", "repeated", "--min-asked", "1"), {"times_asked": "被问次数", "best_answerer": "最佳回答者"})
    zh, en = _both(db_path, "kb", "topics")
    assert "用车阶段" in zh and "Ownership stage" in en  # the topic map's stage is the car's, not the ladder's
    _check(*_both(db_path, "ask", "续航"), {"times_asked": "被问次数", "answerer": "回答者"})
    rows = json.loads(wide.invoke(app, ["kb", "repeated", "--min-asked", "1", "--db", str(db_path), "--json"]).stdout)
    assert rows and "times_asked" in rows[0] and "被问次数" not in rows[0]


def test_crisis_headers(db_path):
    # The crisis room labels its columns in both languages (operator words in English too, not the keys).
    zh, en = _both(db_path, "crisis")
    for chinese, english in (("p 值", "p-value"), ("新抱怨者占比", "New complainers (share)"), ("负面帖", "Negative posts")):
        assert chinese in zh and chinese not in en, chinese
        assert english in en and english not in zh, english
    assert "p_value" not in zh + en and "new_author_share" not in zh + en


def test_network_headers(db_path):
    _check(*_both(db_path, "connectors", "--role", "all", "--top", "3"),
           {"member_id": "成员ID", "distinct_others": "信任者", "brokerage_part": "桥梁度"})
    _check(*_both(db_path, "helpers", "--top", "3"), {"help_credit": "互助积分", "people_helped": "帮助人数", "paid_forward": "传递善意"})
    zh, en = _both(db_path, "seed-plan", "--k", "2", "--runs", "20")  # QA: English headers were the keys (ci_low, runs)
    for chinese, english in (("置信区间下限", "CI low"), ("方案", "Strategy"), ("账号数", "Accounts")):
        assert chinese in zh and chinese not in en and english in en, (chinese, english)
    assert not {"ci_low", "runs", "strategy"} & set(re.findall(r"[a-z_]+", en))


def test_layers_headers(db_path):
    _check(*_both(db_path, "plaza", "--top", "3"), {"mean_repliers": "平均回复者", "lift": "参与度倍数", "topic_type": "话题类型"})
    zh, en = _both(db_path, "groups", "--top", "3")
    _check(zh, en, {"circle_id": "小组ID", "member_growth": "活跃成员变化"})
    assert "小组名称" in zh  # a circle's name, not a nickname
    _check(*_both(db_path, "council", "--seats", "3"), {"tenure_days": "入驻天数", "members_represented": "代表成员占比"})


def test_team_headers(db_path):
    _check(*_both(db_path, "team", "--brief", str(BRIEF)), {"role_label": "角色", "fitness": "适配度", "active_teams": "在任团队"})


def test_risks_headers(db_path):
    zh, en = _both(db_path, "risks")
    assert "分数" in zh and "级别" in zh and "证据" in zh  # the radar keeps the risk page's words
    assert "Score" in en and "Evidence" in en and "分数" not in en
    _check(*_both(db_path, "alerts", "--top", "5"), {"severity": "严重度", "first_seen": "首次出现"})


def test_action_headers(db_path):
    record = wide.invoke(app, ["action", "add", "evil", "--kind", "note", "--note", "called", "--db", str(db_path)])
    assert record.exit_code == 0, record.output
    zh, en = _both(db_path, "action", "list")
    _check(zh, en, {"action_id": "行动ID", "created_at": "创建时间", "operator": "操作人"})
    assert "called" in zh and "called" in en
    zh, en = _both(db_path, "effect", "--action", "note", "--no-ladder")
    # the note is too recent to evaluate: the outcome table is one line saying there is none, its headers named
    assert "效果（双重差分，对照为匹配的未行动成员）：暂无。" in zh and "(difference in differences vs matched controls): none." in en
    assert heading("treated_pre", "zh") == "行动组（前）" and heading("control_post", "zh") == "对照组（后）"
    assert heading("treated_pre", "en") != "treated_pre" and heading("control_post", "en") != "control_post"
    # the counts above the table: named, not keys; stage_source's value too
    assert not any(k in zh for k in ("n_actions", "n_treated", "stage_source", "none")) and "行动数" in zh and "阶段匹配" in zh
    assert "Members acted on" in en and "n_treated" not in en


def test_action_list_rejects_a_bad_language(db_path):
    r = wide.invoke(app, ["action", "list", "--lang", "fr", "--db", str(db_path)])
    assert r.exit_code == 2 and "--lang" in r.stderr


def test_alert_subjects_of_community_wide_alerts_are_named(db_path):
    from reef.store import close_all, open_store

    store = open_store(db_path)
    key = store.fetch_value("SELECT min(alert_key) FROM risk_alerts")
    with store.transaction():
        store.execute("UPDATE risk_alerts SET subject = 'selling_points', member_id = NULL, content_id = NULL, "
                      "severity = 'high', score = 99 WHERE alert_key = ?", [key])
    store.checkpoint()
    close_all()
    zh, en = _both(db_path, "alerts", "--top", "5")
    assert "核心卖点" in zh and "selling points" in en
    assert "selling_points" not in zh and "selling_points" not in en
