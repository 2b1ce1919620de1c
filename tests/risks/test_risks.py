"""The risk radar: part maths, misinformation on hand-made data, a small simulated community, webhooks."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from reef.analyses import run_analyses
from reef.config import load_config
from reef.ingest import import_paths
from reef.risks.common import change_point, family_score, ramp, Part
from reef.risks.entropy import entropy
from reef.risks.robots import format_message
from reef.risks.sending import deliver
from reef.risks.webhook import redeliver
from reef.store import open_store

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))


def test_ramp_family_score_and_change_point():
    assert ramp(0.05, ok=0.1, bad=0.5) == 0 and ramp(0.9, ok=0.1, bad=0.5) == 100
    assert ramp(0.02, ok=0.15, bad=0.03) == 100  # reversed: lower is worse
    assert family_score([Part("a", 1, 100), Part("b", 0, 0)]) == 75
    k, shift = change_point([10, 11, 10, 9, 10, 3, 2, 3, 2])
    assert k == 5 and shift < -2


def _write(folder, rows):
    paths = []
    for name, rs in rows.items():
        p = folder / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rs), encoding="utf-8")
        paths.append(p)
    return paths


def _rumour_rows(ts, *more: dict) -> dict:
    """Two rumours about the official range (t1 by a, t2 by b, 424 and 400 km against 620) and ``more`` content."""
    return {
        "members": [{"member_id": m, "joined_at": ts(-100)} for m in ("a", "b", "c")],
        "official_facts": [{"fact_id": "s7r", "kind": "spec", "model": "澜途S7", "attribute": "range_cltc", "value": 620, "unit": "km", "valid_from": ts(-200)}],
        "content": [
            {"content_id": "t1", "kind": "thread", "author_id": "a", "created_at": ts(1), "title": "听说", "body": "听说澜途S7的CLTC续航只有424km，大家别买"},
            {"content_id": "t2", "kind": "thread", "author_id": "b", "created_at": ts(2), "title": "传言", "body": "澜途S7的CLTC续航是400km，真的假的"},
            *more,
        ],
    }


def test_misinformation_flags_uncorrected_claims_only(tmp_path):
    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    rows = _rumour_rows(ts,
        {"content_id": "r2", "kind": "reply", "author_id": "c", "parent_id": "t2", "created_at": ts(3), "body": "辟谣：澜途S7官方CLTC续航620km"},
        {"content_id": "t3", "kind": "thread", "author_id": "c", "created_at": ts(4), "title": "实测", "body": "澜途S7的CLTC续航620km，很准"})
    store = open_store(tmp_path / "r.duckdb")
    import_paths(store, _write(tmp_path, rows))
    run_analyses(store, as_of=T0 + timedelta(days=10), only=["text_features"])
    res = entropy(store, T0 + timedelta(days=10), load_config())
    flagged = {e["content_id"] for e in res.evidence if e["part"] == "misinformation"}
    assert flagged == {"t1", "t2"}  # t3 agrees with the sheet
    assert {a["content_id"] for a in res.alerts if a["part"] == "misinformation"} == {"t1"}  # t2 was corrected
    alert = next(a for a in res.alerts if a["part"] == "misinformation")
    # What was claimed against the official value and its model, with units and no raw keys.
    assert "称续航424公里，官方620公里（澜途S7）" in alert["message_zh"], alert["message_zh"]
    assert "claimed range 424 km, official 620 km (澜途S7);" in alert["message_en"], alert["message_en"]
    # As of day 1.5 only t1 exists: the point-in-time view hides t2 and its correction.
    early = entropy(store, T0 + timedelta(days=1.5), load_config())
    assert {e["content_id"] for e in early.evidence if e["part"] == "misinformation"} == {"t1"}


def test_radar_on_a_simulated_community(sim_path):
    from reef.risks import risk_alerts, risk_radar

    store = open_store(sim_path)
    radar = risk_radar(store, lang="en")
    assert [f["family"] for f in radar["families"]] == ["heat_death", "implosion", "backlash", "entropy"]
    for f in radar["families"]:
        assert 0 <= f["score"] <= 100 and f["parts"] and all(0 <= p["score"] <= 100 for p in f["parts"])
    alerts = risk_alerts(store)
    assert alerts and len({a["alert_key"] for a in alerts}) == len(alerts)
    assert all(a["severity"] in ("medium", "high") for a in alerts)
    # The planted heat-death circle is the coldest group.
    circle = json.loads(store.fetch_value("SELECT params FROM truth_scenarios WHERE scenario = 'heat_death'"))["group_id"]
    worst = store.fetch_value("SELECT subject FROM risk_evidence WHERE part = 'circle_decay' ORDER BY value DESC LIMIT 1")
    assert worst == circle


def test_alerts_are_deduplicated_across_runs_and_as_of_is_honoured(sim_path):
    store = open_store(sim_path)
    first = {r[0] for r in store.fetch_all("SELECT alert_key FROM risk_alerts")}
    report = run_analyses(store, only=["risks"], force=True)
    again = dict(store.fetch_all("SELECT alert_key, is_new FROM risk_alerts"))
    assert set(again) == first and not any(again.values())
    earlier = report.as_of - timedelta(days=30)
    run_analyses(store, only=["risks"], as_of=earlier)
    assert store.fetch_value("SELECT max(as_of) FROM risk_scores") == earlier
    late = store.fetch_value("""SELECT count(*) FROM risk_evidence e JOIN content c USING (content_id)
                                WHERE c.created_at >= $t""", {"t": earlier})
    assert late == 0


def test_webhook_formats_retries_and_logs_failures(tmp_path, robot):
    url, handler = robot
    alert = {"alert_key": "backlash:x:m1", "family": "backlash", "severity": "high", "message": "核心成员情绪转负", "member_id": "m1"}
    assert format_message(alert, "dingtalk")["markdown"]["title"].startswith("Reef")
    assert "核心成员情绪转负" in format_message(alert, "feishu")["content"]["text"]
    store = open_store(tmp_path / "w.duckdb")
    waits = []
    handler.fail_first = 2  # two 500s, then accepted: retried with doubling backoff
    assert deliver(store, [alert], url, "wecom", sleep=waits.append) == {"sent": 1, "failed": 0}
    assert waits == [1.0, 2.0] and handler.received[0]["msgtype"] == "markdown"
    dead = "http://127.0.0.1:9/nothing"  # nothing listens on port 9
    assert deliver(store, [alert], dead, "feishu", sleep=waits.append) == {"sent": 0, "failed": 1}
    assert store.fetch_value("SELECT count(*) FROM risk_webhook_log WHERE status = 'failed'") == 1
    assert redeliver(store, url, "feishu", sleep=waits.append) == {"sent": 1, "failed": 0}
    assert handler.received[-1]["msg_type"] == "text"


def test_weekly_report_is_self_contained_and_bilingual(sim_path, tmp_path):
    from reef.risks.weekly import write_weekly_report

    store = open_store(sim_path)
    run_analyses(store, only=["risks"])
    path = write_weekly_report(store, tmp_path / "weekly.html", weeks=3)
    html = path.read_text(encoding="utf-8")
    en = write_weekly_report(store, tmp_path / "weekly-en.html", lang="en", weeks=3).read_text(encoding="utf-8")
    # one language per file (pasted into an e-mail, a CSS switch showed both interleaved)
    assert html.startswith("<!DOCTYPE html>") and "风险周报" in html and "Weekly risk report" in en and "Weekly risk report" not in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    assert html.count("<polyline") == 4  # one sparkline per family
    families = store.fetch_all("SELECT name_zh, name_en FROM risk_scores")
    assert all(zh in html and name_en in en for zh, name_en in families)
    # The trend came from the score log or was recomputed: three weekly points per family.
    from reef.risks.weekly import score_history

    hist = score_history(store, store.fetch_value("SELECT max(as_of) FROM risk_scores"), weeks=3)
    assert sorted(hist) == sorted(f for f, in store.fetch_all("SELECT family FROM risk_scores")) and all(len(v) == 3 for v in hist.values())
    assert store.fetch_value("SELECT count(*) FROM risk_score_log") >= 4


def test_cli_risks_writes_the_report(sim_path, tmp_path):
    from typer.testing import CliRunner

    from reef.cli.commands import app

    out = tmp_path / "w.html"
    result = CliRunner().invoke(app, ["risks", "--db", str(sim_path), "--report", str(out), "--lang", "en", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["report"] == str(out) and 'lang="en"' in out.read_text(encoding="utf-8")


def test_weekly_change_compares_with_the_run_at_last_weeks_end(tmp_path, monkeypatch):
    """'vs last week' reads the run at the previous week end, not any run that falls in that week's bucket."""
    from datetime import datetime, timedelta, timezone

    import reef.risks.weekly as weekly

    store = open_store(tmp_path / "s.duckdb")
    t = datetime(2026, 3, 1, tzinfo=timezone.utc)
    store.execute("CREATE TABLE risk_score_log (as_of TIMESTAMPTZ, family VARCHAR, score DOUBLE, level VARCHAR)")
    fams = ("heat_death", "implosion", "backlash", "entropy")
    for at, score in ((t, 50.0), (t - timedelta(days=7), 30.0), (t - timedelta(days=12), 90.0)):
        for f in fams:
            store.execute("INSERT INTO risk_score_log VALUES (?, ?, ?, 'low')", [at, f, score])
    monkeypatch.setattr("reef.risks.analysis.compute_risks", lambda *a: pytest.fail("every week end has a logged run"))
    hist = weekly.score_history(store, t, weeks=2)
    assert hist["backlash"] == [(str((t - timedelta(days=7)).date()), 30.0), (str(t.date()), 50.0)]
    # Without a run at that week end it is computed there, not borrowed from the run 12 days back.
    store.execute("DELETE FROM risk_score_log WHERE as_of = ?", [t - timedelta(days=7)])
    asked = []
    monkeypatch.setattr("reef.risks.analysis.compute_risks",
                        lambda s, ts, c: asked.append(ts) or {"risk_scores": [{"family": f, "score": 10.0} for f in fams]})
    assert weekly.score_history(store, t, weeks=2)["backlash"][0][1] == 10.0 and asked == [t - timedelta(days=7)]


def test_activity_against_an_empty_baseline_says_so(tmp_path):
    """A community whose first posts are this week has no baseline: the note says so instead of "vs baseline 0 (-0%)"."""
    from reef.risks.heat import heat_death

    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    rows = {"members": [{"member_id": m, "joined_at": ts(-60)} for m in ("a", "b", "c")],
            "content": [{"content_id": f"t{i}", "kind": "thread", "author_id": m, "created_at": ts(i * 0.5), "title": "你好", "body": "第一帖"}
                        for i, m in enumerate(("a", "b", "c"))]}
    store = open_store(tmp_path / "r.duckdb")
    import_paths(store, _write(tmp_path, rows))
    run_analyses(store, as_of=T0 + timedelta(days=3), only=["text_features"])
    part = next(p for p in heat_death(store, T0 + timedelta(days=3), load_config()).parts if p.name == "activity")
    assert "empty baseline" in part.note_en and "baseline 0" not in part.note_en and "-0%" not in part.note_en
    assert "基线为空" in part.note_zh and "基线0人" not in part.note_zh


def test_activity_against_a_zero_median_says_some_weeks_had_contributors(tmp_path):
    """A sparse community (the Stack Exchange bicycles meta site): most of the 8 weeks before had no contributor, two
    had. The median is 0, but the note said "no active contributors in the weeks before"."""
    from reef.risks.heat import heat_death

    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    posts = [("a", -40), ("b", -20), ("a", -19), ("a", 0.5), ("b", 1), ("c", 1.5)]
    rows = {"members": [{"member_id": m, "joined_at": ts(-90)} for m in ("a", "b", "c")],
            "content": [{"content_id": f"t{i}", "kind": "thread", "author_id": m, "created_at": ts(d), "title": "你好", "body": "一帖"}
                        for i, (m, d) in enumerate(posts)]}
    store = open_store(tmp_path / "r.duckdb")
    import_paths(store, _write(tmp_path, rows))
    run_analyses(store, as_of=T0 + timedelta(days=3), only=["text_features"])
    part = next(p for p in heat_death(store, T0 + timedelta(days=3), load_config()).parts if p.name == "activity")
    assert part.value is None and part.score == 0  # unchanged: no change is stated against a median of 0
    assert "a baseline of 0 (the median of the 8 weeks before: only 2 weeks with active contributors)" in part.note_en, part.note_en
    assert "基线为0（此前8周的中位数：仅2周有活跃贡献者）" in part.note_zh and "基线为空" not in part.note_zh


def test_uncorrected_rumours_lead_the_misinformation_evidence(tmp_path):
    # QA: evidence ranked by spread alone showed five corrected rumours while the note said nine stood uncorrected.
    # The one nobody corrected comes first on every surface, however little it spread.
    from reef.risks import risk_radar
    from reef.risks.surfaces import top_evidence

    ts = lambda d: (T0 + timedelta(days=d)).isoformat()  # noqa: E731
    replies = [{"content_id": f"r{k}", "kind": "reply", "author_id": "c", "parent_id": "t2", "created_at": ts(3 + k / 10), "body": "有道理"}
               for k in range(3)]
    rows = _rumour_rows(ts, {"content_id": "rc", "kind": "reply", "author_id": "c", "parent_id": "t2", "created_at": ts(2.5),
                             "body": "辟谣：澜途S7官方CLTC续航620km"}, *replies)
    store = open_store(tmp_path / "r.duckdb")
    import_paths(store, _write(tmp_path, rows))
    as_of = T0 + timedelta(days=10)
    run_analyses(store, as_of=as_of, only=["text_features"])
    res = entropy(store, as_of, load_config())
    ev = {e["content_id"]: e for e in res.evidence if e["part"] == "misinformation"}
    assert ev["t2"]["value"] > ev["t1"]["value"] and "已有人纠正" in ev["t2"]["detail_zh"]  # t2 spread further, but is corrected
    assert (ev["t1"].get("rank"), ev["t2"].get("rank")) == (1, 2)
    run_analyses(store, as_of=as_of, only=["risks"])
    entropy_radar = next(f for f in risk_radar(store)["families"] if f["family"] == "entropy")
    assert [e["subject"] for e in entropy_radar["evidence"] if e["part"] == "misinformation"] == ["t1", "t2"]
    assert [e["subject"] for e in top_evidence(store, "entropy", 10) if e["part"] == "misinformation"] == ["t1", "t2"]
