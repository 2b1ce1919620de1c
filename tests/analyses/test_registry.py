"""The registry and runner: order, incrementality, failure handling, atomic writes, discovery."""
from __future__ import annotations

import json

import pytest

from analyses.handmade import load_community, write_community
from reef.analyses import registry as reg
from reef.analyses import register_analysis, run_analyses
from reef.errors import AnalysisError, InvalidParameterError


def _make(calls: list, fail: set | None = None) -> dict:
    """A private registry: base <- mid <- top, plus an independent 'side'."""
    local: dict = {}
    fail = fail or set()

    def analysis(name, deps=(), version="1"):
        @register_analysis(name, version, depends_on=deps, writes=(f"t_{name}",), registry=local)
        def run(store, as_of, config):
            calls.append(name)
            store.execute(f"CREATE OR REPLACE TABLE t_{name} AS SELECT count(*) AS n FROM content_at($ts)", {"ts": as_of})
            if name in fail:
                raise ValueError(f"{name} broke")
            return 1
        return run

    analysis("top", ("mid",))
    analysis("mid", ("base",))
    analysis("base")
    analysis("side")
    return local


@pytest.fixture
def loaded(store, tmp_path):
    load_community(store, tmp_path / "data")
    return store


def test_runs_in_dependency_order_and_records_runs(loaded):
    calls: list = []
    report = run_analyses(loaded, registry=_make(calls))
    assert calls.index("base") < calls.index("mid") < calls.index("top")
    assert {r.status for r in report.results} == {"ok"}
    runs = loaded.fetch_dicts("SELECT name, status, rows, watermark, params FROM analysis_runs")
    assert len(runs) == 4 and all(r["status"] == "ok" and r["rows"] == 1 for r in runs)
    assert json.loads(runs[0]["params"])["watermark_parts"]["content"] == 5


def test_second_run_on_same_data_is_skipped_and_force_reruns(loaded):
    calls: list = []
    local = _make(calls)
    run_analyses(loaded, registry=local)
    calls.clear()
    report = run_analyses(loaded, registry=local)
    assert calls == [] and {r.status for r in report.results} == {"skipped"}
    run_analyses(loaded, registry=local, force=True)
    assert sorted(calls) == ["base", "mid", "side", "top"]


def test_new_data_other_as_of_or_new_version_rerun(loaded, tmp_path):
    calls: list = []
    local = _make(calls)
    run_analyses(loaded, registry=local)
    calls.clear()
    run_analyses(loaded, as_of="2026-01-03", registry=local)
    assert len(calls) == 4
    calls.clear()
    # A new import moves the watermark.
    extra = tmp_path / "more" / "content.jsonl"
    extra.parent.mkdir()
    extra.write_text('{"content_id": "c9", "kind": "thread", "author_id": "m1", "created_at": "2026-01-02T15:00:00+08:00"}\n',
                     encoding="utf-8")
    from reef.ingest import import_paths

    import_paths(loaded, [extra])
    run_analyses(loaded, as_of="2026-01-03", registry=local)
    assert len(calls) == 4
    assert loaded.fetch_value("SELECT n FROM t_base") == 4  # 3 items before Jan 3 + c9
    calls.clear()
    # Bumping one version reruns it and, because it was recomputed, its dependants.
    register_analysis("mid", "2", depends_on=("base",), writes=("t_mid",), registry=local)(local["mid"].run)
    run_analyses(loaded, as_of="2026-01-03", registry=local)
    assert sorted(calls) == ["mid", "top"]


def test_an_import_of_duplicates_only_keeps_the_watermark(loaded, tmp_path):
    # A daily cron that imports the same export twice (or an export all stored already) changes nothing:
    # the analyses are skipped, not recomputed; an import that adds a row still moves the watermark.
    from reef.analyses import watermark
    from reef.ingest import import_paths

    calls: list = []
    local = _make(calls)
    run_analyses(loaded, registry=local)
    before = watermark(loaded)[0]
    calls.clear()
    summary = import_paths(loaded, write_community(tmp_path / "again"))
    assert summary.imported == summary.updated == summary.quarantined == 0 and summary.duplicate > 0
    report = run_analyses(loaded, registry=local)
    assert watermark(loaded)[0] == before and calls == [] and {r.status for r in report.results} == {"skipped"}
    extra = tmp_path / "more" / "content.jsonl"
    extra.parent.mkdir()
    extra.write_text('{"content_id": "c9", "kind": "thread", "author_id": "m1", "created_at": "2026-01-02T15:00:00+08:00"}\n',
                     encoding="utf-8")
    import_paths(loaded, [extra])
    run_analyses(loaded, registry=local)
    assert watermark(loaded)[0] != before and len(calls) == 4


def test_failure_is_recorded_dependants_blocked_independents_run(loaded):
    calls: list = []
    local = _make(calls)
    run_analyses(loaded, registry=local)
    before = loaded.fetch_value("SELECT n FROM t_mid")
    broken = _make(calls, fail={"mid"})
    with pytest.raises(AnalysisError) as info:
        run_analyses(loaded, as_of="2026-01-03", registry=broken)
    statuses = {r.name: r.status for r in info.value.report.results}
    assert statuses == {"base": "ok", "mid": "failed", "top": "blocked", "side": "ok"}
    assert "mid broke" in str(info.value)
    assert str(info.value).startswith("1 analysis failed (first: mid") and "; 1 dependant not run." in str(info.value)
    # The failed analysis's table write was rolled back: the earlier result is still there.
    assert loaded.fetch_value("SELECT n FROM t_mid") == before == 5
    recorded = dict(loaded.fetch_all("SELECT name, status FROM analysis_runs WHERE as_of = '2026-01-03 00:00:00+08'"))
    assert recorded == {"base": "ok", "mid": "failed", "top": "blocked", "side": "ok"}
    assert "mid broke" in loaded.fetch_value("SELECT message FROM analysis_runs WHERE status = 'failed'")


def test_only_runs_the_named_analysis_and_its_dependencies(loaded):
    calls: list = []
    run_analyses(loaded, only=["mid"], registry=_make(calls))
    assert calls == ["base", "mid"]
    with pytest.raises(InvalidParameterError):
        run_analyses(loaded, only=["nope"], registry=_make(calls))


def test_cycles_and_unknown_dependencies_are_analysis_errors(loaded):
    local: dict = {}
    register_analysis("a", "1", depends_on=("b",), registry=local)(lambda s, t, c: 0)
    register_analysis("b", "1", depends_on=("a",), registry=local)(lambda s, t, c: 0)
    with pytest.raises(AnalysisError, match="cycle"):
        run_analyses(loaded, registry=local)
    with pytest.raises(AnalysisError, match="not registered"):
        run_analyses(loaded, registry={"x": register_analysis("x", "1", depends_on=("ghost",), registry={})(lambda s, t, c: 0).analysis})


def test_discovery_ignores_unbuilt_capabilities_and_explains_missing_extras(monkeypatch, tmp_path):
    pkg = tmp_path / "fakecap"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("import some_heavy_extra_that_is_absent\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(reg, "ANALYSIS_MODULES", ("reef.analyses.overview", "reef.not_built_yet", "fakecap"))
    monkeypatch.setattr(reg, "_DISCOVERED", False)
    monkeypatch.setattr(reg, "_PROBLEMS", {})
    names = {a.name for a in reg.registered()}
    assert {"activity_daily", "member_summary"} <= names
    problems = reg.discovery_problems()
    assert "reef.not_built_yet" not in problems
    assert "skipped because" in problems["fakecap"] and "some_heavy_extra_that_is_absent" in problems["fakecap"]


def test_double_registration_from_another_module_is_refused():
    local: dict = {}
    register_analysis("dup", "1", registry=local)(lambda s, t, c: 0)

    def other(store, as_of, config):
        return 0

    other.__module__ = "somewhere.else"
    with pytest.raises(AnalysisError, match="twice"):
        register_analysis("dup", "1", registry=local)(other)


def test_empty_store_runs_base_analyses(store):
    report = run_analyses(store)
    assert {r.status for r in report.results} >= {"ok"}
    assert store.fetch_value("SELECT count(*) FROM activity_daily") == 0


_ = write_community


def test_dependants_of_an_analysis_that_did_not_load_are_unavailable_not_errors(store, monkeypatch):
    """A capability whose extra is missing never registers; its dependants are skipped with the reason."""
    from reef.analyses import registry as reg
    from reef.analyses.registry import Analysis
    from reef.analyses.runner import run_analyses

    monkeypatch.setattr(reg, "_PROBLEMS", {"reef.fake": "needs the package 'fakepkg'"})
    ran = []
    fake = {
        "base": Analysis("base", "1", lambda s, a, c: ran.append("base") or 1),
        "child": Analysis("child", "1", lambda s, a, c: ran.append("child") or 1, depends_on=("absent",)),
        "grandchild": Analysis("grandchild", "1", lambda s, a, c: ran.append("grandchild") or 1, depends_on=("child",)),
    }
    report = run_analyses(store, registry=fake)
    statuses = {r.name: r.status for r in report.results}
    assert statuses == {"base": "ok", "child": "unavailable", "grandchild": "unavailable"}
    assert ran == ["base"] and not report.failed
    assert "reef[all]" in next(r.message for r in report.results if r.name == "child")


def test_only_settings_analyses_read_make_results_stale(loaded):
    calls: list = []
    local = _make(calls)
    run_analyses(loaded, registry=local)
    base = loaded.config
    for unrelated in ({"server.port": 9001}, {"store.threads": 1}, {"report.out_dir": "elsewhere"}, {"risks.webhook_platform": "feishu"}):
        calls.clear()
        loaded.config = base.with_overrides(unrelated)
        run_analyses(loaded, registry=local)
        assert calls == [], unrelated
    for related in ({"ladder.window_days": 60}, {"server.recognise_days": 3}):
        calls.clear()
        loaded.config = base.with_overrides(related)
        run_analyses(loaded, registry=local)
        assert len(calls) == 4, related
        loaded.config = base
        run_analyses(loaded, registry=local)


def test_an_action_marked_done_or_cancelled_moves_the_watermark(loaded):
    # A cancelled response no longer resolves a complaint: the runs that read actions must not be skipped.
    from reef.actions import record_action, update_action
    from reef.analyses import watermark

    calls: list = []
    local = _make(calls)
    done = record_action(loaded, "m1", "respond", status="open")["action_id"]
    cancelled = record_action(loaded, "m1", "respond", status="open")["action_id"]
    run_analyses(loaded, registry=local)
    before = watermark(loaded)[0]
    calls.clear()
    update_action(loaded, cancelled, status="cancelled")
    run_analyses(loaded, registry=local)
    assert len(calls) == 4 and watermark(loaded)[0] != before
    calls.clear()
    update_action(loaded, done, status="done")
    run_analyses(loaded, registry=local)
    assert len(calls) == 4
    calls.clear()
    update_action(loaded, done, note="a note changes no result")
    run_analyses(loaded, registry=local)
    assert calls == []
