"""The as-of coverage warning (reef.store.coverage): before the first content, long after the last, or inside."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.store.coverage import analysis_as_of, coverage_warning, results_warning

FIRST = datetime(2026, 3, 1, 2, tzinfo=timezone.utc)  # 10:00 in Shanghai
LAST = datetime(2026, 3, 20, 2, tzinfo=timezone.utc)


@pytest.fixture
def dated(store):
    for i, at in enumerate((FIRST, LAST)):
        store.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES (?, 'thread', 'm1', ?)", [f"c{i}", at])
    return store


def _ran(store, name, as_of, finished, status="ok"):
    store.execute("INSERT INTO analysis_runs (name, as_of, finished_at, status) VALUES (?, ?, ?, ?)", [name, as_of, finished, status])


def test_inside_the_data_or_within_stale_data_days_says_nothing(dated):
    assert coverage_warning(dated, FIRST) is None  # the first item itself is covered
    assert coverage_warning(dated, LAST + timedelta(days=1.9), lang="en") is None  # risks.stale_data_days = 2


def test_before_the_first_content_in_chinese_by_default_and_english_on_request(dated):
    zh = coverage_warning(dated, FIRST - timedelta(days=400))
    assert zh.startswith("注意") and "早于最早的内容（2026-03-01）" in zh and "as_of 参数" in zh  # the library's word
    from reef.store.coverage import cli_wording

    assert cli_wording(zh).endswith("请换一个更晚的 --as-of。")  # the command line's
    en = coverage_warning(dated, FIRST - timedelta(days=400), lang="en")
    assert en.startswith("Warning") and "before the first content (2026-03-01)" in en and "注意" not in en


def test_long_after_the_last_content_names_the_gap_and_the_setting(dated):
    late = coverage_warning(dated, LAST + timedelta(days=30), lang="en")
    assert "30 days after the last content (2026-03-20" in late and "risks.stale_data_days = 2" in late
    assert "晚30天" in coverage_warning(dated, LAST + timedelta(days=30))
    wider = dated.config.with_overrides({"risks.stale_data_days": 40})
    assert coverage_warning(dated, LAST + timedelta(days=30), wider) is None


def test_dates_read_in_the_store_time_zone_not_utc(dated):
    # --as-of 2000-01-01 in Shanghai is 1999-12-31 16:00 UTC, which is how a run keeps it
    moment = datetime(1999, 12, 31, 16, tzinfo=timezone.utc)
    assert "as of 2000-01-01 is before" in coverage_warning(dated, moment, lang="en")


def test_an_as_of_on_the_first_content_s_day_names_both_times(dated):
    # --as-of 2026-03-01 is its 00:00, before the first post at 10:00 that day (the bicycles meta dump's first post is at
    # 03:50 on 2010-08-26): "as of 2026-03-01 is before the first content (2026-03-01)" read as a contradiction.
    moment = datetime(2026, 2, 28, 16, tzinfo=timezone.utc)  # 2026-03-01 00:00 in Shanghai
    assert "as of 2026-03-01 00:00 is before the first content (2026-03-01 10:00)" in coverage_warning(dated, moment, lang="en")
    assert "评估时点2026-03-01 00:00早于最早的内容（2026-03-01 10:00）" in coverage_warning(dated, moment)


def test_an_empty_store_always_warns(store):
    assert "no content yet" in coverage_warning(store, None, lang="en")
    assert "没有任何内容" in coverage_warning(store, datetime(2026, 1, 1, tzinfo=timezone.utc))


def test_results_warning_reads_the_latest_successful_run_of_each_analysis(dated):
    assert results_warning(dated, ["ladder"]) is None  # never ran
    _ran(dated, "ladder", LAST, LAST)
    assert results_warning(dated, ["ladder"], "en") is None
    _ran(dated, "ladder", FIRST - timedelta(days=10), LAST + timedelta(hours=1))  # a later run, back-dated
    assert analysis_as_of(dated, "ladder") == FIRST - timedelta(days=10)
    assert "before the first content" in results_warning(dated, ["ladder"], "en")
    _ran(dated, "ladder", LAST + timedelta(days=99), LAST + timedelta(hours=2), status="failed")  # failed runs wrote nothing
    assert "before the first content" in results_warning(dated, ["kb_qa", "ladder"], "en")


def test_the_risk_radars_name_is_the_shared_function():
    import reef.risks.surfaces as surfaces
    import reef.store

    assert surfaces.coverage_warning is coverage_warning is reef.store.coverage_warning
