"""The date patterns the HTTP API documents (AS_OF_PATTERN, DAY_PATTERN) claim only what the parsers read, and cover
the forms people and programs write: a date and ISO 8601 timestamps (Python's isoformat, JavaScript's toISOString)."""
from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone

import pytest

from reef.errors import InvalidParameterError
from reef.params import DAY_EXAMPLE, DAY_PATTERN, parse_day
from reef.store.asof import AS_OF_EXAMPLES, AS_OF_PATTERN, AS_OF_YEARS, as_of_timestamp

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WRITTEN = ["2026-03-01", "2026-03-01T08:00", "2026-03-01T08:00:00", "2026-03-01 08:00:00", "2026-03-01T08:00:00Z",
           "2026-03-01T08:00+08:00", "2026-03-01T08:00:00+08:00", "2026-03-01T08:00:00.123Z", "2026-03-01T08:00:00-05:30",
           "1900-01-01", "2999-12-31T23:59:59.999999+14:00",
           datetime(2026, 3, 1, 8, 0, 0, 123456).isoformat(),  # what Python writes, naive and aware
           datetime(2026, 3, 1, 8, tzinfo=timezone(timedelta(hours=8))).isoformat(),
           datetime(2026, 3, 1, 8, tzinfo=timezone.utc).isoformat(timespec="milliseconds")]


def _real_day(text: str) -> bool:
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:10])
    return day <= calendar.monthrange(year, month)[1]


@pytest.mark.parametrize("text", [*WRITTEN, *AS_OF_EXAMPLES])
def test_the_forms_people_write_are_documented_and_read(text):
    assert re.search(AS_OF_PATTERN, text), text
    assert as_of_timestamp(text) is not None


@pytest.mark.parametrize("text", [f"{AS_OF_YEARS[0] - 1}-12-31", f"{AS_OF_YEARS[1] + 1}-01-01", "0001-01-01", "9999-12-31",
                                  "2026-13-01", "2026-03-01T24:00", "2026-03-01t08:00:00z", "2026-03", "", "zzbogus"])
def test_what_the_parser_refuses_the_pattern_does_not_claim(text):
    with pytest.raises(InvalidParameterError):
        as_of_timestamp(text)
    assert not re.search(AS_OF_PATTERN, text), text


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.from_regex(AS_OF_PATTERN, fullmatch=True))
def test_every_as_of_the_pattern_matches_is_read(text):
    if _real_day(text):  # a pattern cannot know February 30th is no day; the parser refuses it
        assert AS_OF_YEARS[0] <= as_of_timestamp(text).year <= AS_OF_YEARS[1]


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(st.from_regex(DAY_PATTERN), st.sampled_from(["", "T08:00", "T08:00:00+08:00", " 12:00"]))
def test_every_day_the_pattern_matches_is_read(text, time):
    day = re.search(DAY_PATTERN, text).group(0)
    if _real_day(day):  # of a timestamp only its date counts; whatever follows the date, the pattern leaves open
        assert parse_day("since", day + time) == day and parse_day("since", text) == day


def test_the_day_pattern_claims_no_day_the_parser_refuses():
    assert re.search(DAY_PATTERN, DAY_EXAMPLE) and parse_day("since", DAY_EXAMPLE) == DAY_EXAMPLE
    for text in ("0000-01-01", "2026-13-01", "2026-00-10", "26-05-01", "zzbogus"):
        assert not re.search(DAY_PATTERN, text), text
        with pytest.raises(InvalidParameterError):
            parse_day("since", text)
