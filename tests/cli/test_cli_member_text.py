"""Member text reaches the terminal as written: brackets and colons are not rich markup or emoji codes.

Found on the Stack Exchange bicycles meta dump, whose titles name tags in brackets: `reef kb qa` printed "Do we need
both the [children] and [kids] tags?" as "Do we need both the  and  tags?" (rich read the brackets as style tags), and
a title holding "[/]" stopped the command with rich's MarkupError.
"""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reef.cli import app
from tests.conftest import import_rows

TITLE = "Do we need both the [children] and [kids] tags? [/] :thumbs_up:"
NAME = "[bold]Ann[/bold] :smile:"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("membertext")
    at = "2026-03-10T10:00:00+08:00"
    store = import_rows(folder, {
        "members": [{"member_id": "m1", "name": NAME, "joined_at": "2026-03-01T09:00:00+08:00"},
                    {"member_id": "m2", "name": "Bob", "joined_at": "2026-03-01T09:00:00+08:00"}],
        "content": [{"content_id": "q1", "kind": "thread", "author_id": "m1", "created_at": at, "title": TITLE,
                     "body": "Two tags [children] and [kids] mean the same."},
                    {"content_id": "a1", "kind": "answer", "author_id": "m2", "parent_id": "q1",
                     "created_at": "2026-03-10T11:00:00+08:00",
                     "body": "Merge them into [children].\n\n\n\n  Then retag the old questions.\n\n\n"}]})
    store.close()
    return str(folder / "reef.duckdb")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_titles_with_brackets_print_whole_in_kb_qa(db, lang):
    result = CliRunner().invoke(app, ["kb", "qa", "--db", db, "--lang", lang])
    assert result.exit_code == 0, result.output  # "[/]" raised rich's MarkupError before
    text = " ".join(result.output.replace("│", " ").split())
    assert "[children] and [kids]" in text and "[/]" in text and ":thumbs_up:" in text, result.output


def test_member_names_with_brackets_print_whole(db):
    result = CliRunner().invoke(app, ["member", "m1", "--db", db, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert NAME in result.output  # was "Ann 😄": the markup dropped, the emoji code replaced


def test_reef_ask_shows_one_blank_line_between_an_answer_s_paragraphs(db):
    # A Stack Exchange answer converted from HTML keeps the source's line breaks beside each paragraph's (three to five
    # newlines): the table showed four blank lines between paragraphs, 243 lines for ten answers on the bicycles dump.
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["ask", "children kids tags", "--db", db, "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = [line.split("│")[4].strip() if line.count("│") > 5 else None for line in result.output.splitlines()]
    first = next(i for i, x in enumerate(lines) if x and x.startswith("Merge them into [children]."))
    assert lines[first + 1] == "" and lines[first + 2] == "Then retag the old questions.", result.output
