"""Times with milliseconds (Stack Exchange dumps write `2023-08-31T10:52:36.327`): headings name the as-of to the
second and no Python warning reaches the terminal.

Found on the bicycles meta dump: `reef connectors`, `groups`, `plaza`, `council`, `risks` and `analyze` headed their
tables "as of 2023-08-31 18:52:37.327000+08:00", and `reef crisis` and `reef report` printed pandas' "UserWarning:
Discarding nonzero nanoseconds in conversion" from reef/kb/wave_posts.py.
"""
from __future__ import annotations

import warnings

import pytest
from typer.testing import CliRunner

from reef.cli import app
from tests.conftest import import_rows


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("msdb")
    members = [{"member_id": f"m{i}", "name": f"M{i}", "joined_at": "2023-06-01T09:00:00.250+00:00"} for i in range(6)]
    content, n = [], 0
    for d in range(1, 31):
        for i in range(3):
            n += 1
            content.append({"content_id": f"q{n}", "kind": "thread", "author_id": f"m{(d + i) % 6}", "title": f"Question {n}",
                            "body": "The brake squeals and the shop did nothing, terrible service.",
                            "created_at": f"2023-07-{d:02d}T0{i}:10:36.327+00:00"})
            content.append({"content_id": f"a{n}", "kind": "answer", "author_id": f"m{(d + i + 1) % 6}", "parent_id": f"q{n}",
                            "body": "Adjust the pads.", "created_at": f"2023-07-{d:02d}T0{i}:52:36.327+00:00"})
    store = import_rows(folder, {"members": members, "content": content})
    store.close()
    return str(folder / "reef.duckdb")


@pytest.mark.parametrize("command", [["analyze"], ["connectors"], ["groups"], ["plaza"], ["council"], ["risks"], ["crisis"]])
def test_headings_name_the_moment_to_the_second_without_warnings(db, command):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(app, [*command, "--db", db, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert ".327" not in result.output  # "as of 2023-07-30 10:52:37.327000+08:00" before
    if command != ["crisis"]:  # the crisis room names its window to the minute
        assert "2023-07-30T10:52:37+08:00" in result.output or "2023-07-30 10:52:37+08:00" in result.output, result.output
    assert [str(w.message) for w in caught if "nanoseconds" in str(w.message)] == []
