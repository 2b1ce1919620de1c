"""An assign_task's due date: the pattern the HTTP API documents for it (reef.actions.kinds.DUE_PATTERN) claims only
what the check reads (the whole value a date, or a date and time), and covers the forms people and programs write."""
from __future__ import annotations

import re

import pytest

from reef.actions.kinds import DUE_EXAMPLE, DUE_PATTERN, _details
from reef.errors import InvalidParameterError

WRITTEN = [DUE_EXAMPLE, "2026-07-31T18:00", "2026-07-31 18:00:00", "2026-07-31T18:00:00.123456", "2026-07-31T18:00:00Z",
           "2026-07-31T18:00:00+08:00", "2026-07-31T18:00+0800", "0001-01-01", "9999-12-31T23:59:59-05:30"]


@pytest.mark.parametrize("text", WRITTEN)
def test_the_forms_people_write_are_documented_and_read(text):
    assert re.search(DUE_PATTERN, text), text
    assert _details("assign_task", {"brief": "x", "due": text}, None)["due"] == text[:10]


@pytest.mark.parametrize("text", ["2026-07-31 maybe later", "2026-13-01", "2026-07-31T24:00", "31.07.2026", "2026-07",
                                  "zz-no-such-choice"])
def test_what_the_check_refuses_the_pattern_does_not_claim(text):
    with pytest.raises(InvalidParameterError) as got:
        _details("assign_task", {"brief": "x", "due": text}, None)
    assert "'due'" in str(got.value)
    assert not re.search(DUE_PATTERN, text), text
