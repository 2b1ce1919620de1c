"""``reef kb ...``, ``reef ask`` and ``reef crisis`` on the hand-made knowledge-reef store."""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from reef.cli import app
from tests.kb.test_kb import kb_path  # noqa: F401 - module fixture reused


@pytest.fixture
def db(tmp_path, kb_path):  # noqa: F811
    path = tmp_path / "reef.duckdb"
    shutil.copy(kb_path, path)
    return str(path)


def run(*args):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_ask_json_gives_the_best_answer_and_author(db):
    rows = json.loads(run("ask", "冬天续航掉多少", "--db", db, "--json"))
    assert rows[0]["answerer_id"] == "pro" and "七折" in rows[0]["answer"]


def test_kb_subcommands_run_and_gaps_list_unanswered(db):
    gaps = json.loads(run("kb", "gaps", "--db", db, "--json"))
    assert gaps == [] or all(g["kind"] in ("unanswered", "poorly_answered", "outdated", "stale") for g in gaps)
    assert all(g["label"] in ("unanswered", "mostly_unanswered", "poorly_answered", "outdated", "stale", "topic_unanswered")
               for g in gaps)
    repeated = json.loads(run("kb", "repeated", "--db", db, "--json"))
    assert repeated[0]["times_asked"] == 2
    for sub in ("qa", "essence", "topics"):
        assert isinstance(json.loads(run("kb", sub, "--db", db, "--json")), list)
    assert "知识地图" in run("kb", "topics", "--db", db)


def test_crisis_json_has_tests_buffer_and_timeline(db):
    data = json.loads(run("crisis", "--db", db, "--json"))
    assert {"aspects", "buffer", "surface", "timeline"} <= set(data)


def test_gap_kinds_are_named_in_the_operators_language(db):
    gaps = json.loads(run("kb", "gaps", "--db", db, "--json"))
    assert gaps, "the hand-made store has gaps"
    zh, en = run("kb", "gaps", "--db", db), run("kb", "gaps", "--db", db, "--lang", "en")
    names = {"unanswered": "无人回答", "mostly_unanswered": "多数未回答", "outdated": "已过时", "stale": "回答陈旧",
             "topic_unanswered": "话题无人回答", "poorly_answered": "回答质量偏低"}
    from reef.i18n import code_label

    for g in gaps:  # the table names each row by its label, which agrees with its answered share
        assert names[g["label"]] in zh and code_label(g["label"], "en") in en


def test_crisis_prints_operator_labels_in_both_languages(db):
    zh = run("crisis", "--db", db)
    for leak in ("factual_posts_before", "wave_posts", "True", "False", "p_value", "00:00:00+"):
        assert leak not in zh, leak
    assert "负面声量检验：近 24 小时" in zh and "p 值" in zh
    # no current wave in the hand-made store: one sentence instead of a wave's buffer and facts (QA: "缓冲比 0.0")
    assert not json.loads(run("crisis", "--db", db, "--json"))["current_wave"]
    assert "当前没有负面声浪" in zh and "缓冲比（同话题 / 声浪）" not in zh and "可引用的官方资料" not in zh.replace("可引用的官方资料只在", "")
    en = run("crisis", "--db", db, "--lang", "en")
    assert "续航与充电" not in en and "全部" not in en  # aspects named in English (the narrow test terminal folds them)
    for leak in ("new_authors", "p_value", "True", "False", "方面"):
        assert leak not in en, leak
    data = json.loads(run("crisis", "--db", db, "--json"))
    assert {"wave", "growth", "facts", "first_alarm_at", "window"} <= set(data)
    from reef.cli.kb import crisis_display

    shown = crisis_display(data, "en")
    assert "range and charging" in [a["aspect"] for a in shown["aspects"]] and shown["aspects"][0]["alarm"] in ("yes", "no")
    assert all(r["day"][:4].isdigit() and len(r["day"]) >= 10 and "+" not in r["day"] for r in shown["timeline"])


def test_tables_say_yes_or_no_and_json_keeps_booleans(db):
    """Human tables word booleans as the workbook does (是/否, Yes/No), never Python's True/False."""
    wide = CliRunner(env={"COLUMNS": "400"})
    for args in (("kb", "qa"), ("ask", "冬天续航掉多少")):
        zh = wide.invoke(app, [*args, "--db", db, "--lang", "zh"])
        en = wide.invoke(app, [*args, "--db", db, "--lang", "en"])
        assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
        assert "True" not in zh.stdout + en.stdout and "False" not in zh.stdout + en.stdout
        assert "是" in zh.stdout or "否" in zh.stdout
        assert "Yes" in en.stdout or "No" in en.stdout.split()
    rows = json.loads(run("kb", "qa", "--db", db, "--json"))
    assert {type(r["best_accepted"]) for r in rows if r["best_accepted"] is not None} <= {bool}


def test_aspect_takes_english_names_too(db):
    zh = json.loads(run("kb", "qa", "--aspect", "续航与充电", "--db", db, "--json"))
    en = json.loads(run("kb", "qa", "--aspect", "Range and charging", "--lang", "en", "--db", db, "--json"))
    assert en == zh
    crisis = json.loads(run("crisis", "--aspect", "range and charging", "--db", db, "--json"))
    assert crisis["aspect"] == "续航与充电"
    assert CliRunner().invoke(app, ["kb", "qa", "--aspect", "warp drive", "--db", db]).exit_code == 2


def test_crisis_prints_the_waves_size_as_the_page_does(db, monkeypatch):
    """`reef crisis` left out the sentence the 危机室 page and the report show (total, authors, core, unanswered)."""
    import reef.kb.room as room

    real = room.crisis_report

    def with_wave(*a, **k):  # the hand-made store has no wave: the room's report with one
        d = real(*a, **k)
        d.update(current_wave=True, first_alarm_at="2026-04-09 18:00", wave_start="2026-04-08 18:00")
        d["wave"].update(total=18, authors=17, unanswered=15, core_authors=1)
        return d

    monkeypatch.setattr(room, "crisis_report", with_wave)
    assert "自 2026-04-08 18:00 起 18 个负面帖，17 位作者（其中核心成员 1 位），15 帖尚无官方回应" in run("crisis", "--db", db)
    en = " ".join(CliRunner(env={"COLUMNS": "400"}).invoke(app, ["crisis", "--db", db, "--lang", "en"]).output.split())
    assert "18 negative posts since 2026-04-08 18:00 by 17 authors (core members: 1), 15 not yet answered" in en
