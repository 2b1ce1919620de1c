"""Wording seen on the Weibo CED walk: `reef status` showed analysis finish times with microseconds, `reef member`
headed a nameless member's card "wb:2838821357 " (a trailing space), and a table with no rows printed its header
row and nothing else (`reef kb essence`, `action list`, `recognise`, `alerts`, `plaza`, `member`'s timeline ...).
"""
from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

from reef.analyses import run_analyses
from reef.cli import app
from reef.cli._common import rows_table
from tests.conftest import import_rows

runner = CliRunner(env={"COLUMNS": "400"})


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wbword")
    members = [{"member_id": f"wb:{i}", "joined_at": "2024-03-01T09:00:00+08:00"} for i in range(4)]  # no names
    content = [{"content_id": f"c{n}", "kind": "thread", "author_id": f"wb:{n % 4}", "title": f"帖子 {n}",
                "body": "转发这条微博", "created_at": f"2024-03-{n + 1:02d}T10:00:00+08:00"} for n in range(12)]
    store = import_rows(folder, {"members": members, "content": content})
    run_analyses(store, only=["ladder"])
    # a finish time with microseconds, as every real run has
    store.execute("UPDATE analysis_runs SET finished_at = TIMESTAMPTZ '2026-11-25 10:50:04.085389+08:00'")
    store.close()
    return str(folder / "reef.duckdb")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_shows_finish_times_to_the_second(db, lang):
    result = runner.invoke(app, ["status", "--db", db, "--lang", lang])
    assert result.exit_code == 0, result.output
    assert "2026-11-25T10:50:04+08:00" in result.output, result.output
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d", result.output), result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_member_heading_has_no_trailing_space_without_a_name(db, lang):
    result = runner.invoke(app, ["member", "wb:1", "--db", db, "--lang", lang])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "wb:1"


@pytest.mark.parametrize("lang, line", [("zh", "行动（第 1/1 页，共 0 条）：暂无。"), ("en", "Actions (page 1 of 1, 0 in all): none.")])
def test_an_empty_table_prints_one_line_saying_there_is_none(db, lang, line):
    result = runner.invoke(app, ["action", "list", "--db", db, "--lang", lang])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == [line]


@pytest.mark.parametrize("lang, line", [("zh", "精华：暂无。"), ("en", "Essence: none.")])
def test_rows_table_without_rows(lang, line):
    console = Console(record=True, width=120, file=io.StringIO())
    rows_table("精华" if lang == "zh" else "Essence", [], ["content_id", "title"], console, lang=lang)
    text = console.export_text()
    assert text.strip() == line and "┏" not in text
    rows_table("Essence", [{"content_id": "c1", "title": "t"}], ["content_id", "title"], console, lang="en")
    text = console.export_text()
    assert "┏" in text and "c1" in text  # rows still make a table
