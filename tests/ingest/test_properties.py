"""Property tests of import value parsing and of whole imports (hypothesis, derandomized so CI is reproducible).

The typed-value SQL (timestamps, numbers, booleans, lists, JSON, ids, kinds) reads any text without an error: a value
or NULL, which the validator turns into a quarantine reason. A parsed timestamp written out and read again is the
same instant. A CSV, JSONL or raw-bytes file of generated cells imports or quarantines row by row: the only exception
is a ReefError about the file, the per-entity counts add up, every quarantined row has a reason, and a good row
beside bad ones is imported.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reef.errors import ReefError
from reef.ingest import import_paths
from reef.ingest.validate import typed_expression
from reef.ingest.value_hints import timestamp_hint
from reef.model.schema import ENTITIES, Field
from reef.store import open_store

SQL = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
IMPORTS = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

TS_PIECES = ["2024", "-", "/", ".", "年", "月", "日", "03", "3", "05", "12", "31", "29", "02", " ", "T", ":", "：", "08", "00",
             "59", "60", "24", "+08:00", "+0800", " +08:00", "Z", "CST", "UTC", "上午", "下午", "中午", "晚上", "凌晨", "AM",
             "PM", "a.m.", "时", "分", "秒", ".123", ".1234567", "0000", "9999", "99999", "1709596800", "1709596800123",
             "45356.33", "20240305", "20240305080700", "+14:00", "+15:00", "-12:00", "Asia/Shanghai", "America/Bogus",
             "\x00", "E+16", "1.23457", "infinity", "epoch", "BC", "294277", "-294276", "١٢"]
timestamp_texts = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(TS_PIECES), max_size=10).map("".join),
                            st.datetimes(min_value=dt.datetime(1, 1, 1)).map(str), st.integers(-10**20, 10**20).map(str),
                            st.floats().map(str))
FIELDS = [Field("x", t, "doc") for t in ("TIMESTAMPTZ", "DOUBLE", "BOOLEAN", "VARCHAR[]", "JSON")] + [
    ENTITIES["content"].field("author_id"), ENTITIES["content"].field("content_id"), ENTITIES["content"].field("kind")]

SAMPLES = ["m1", "m2", "c1", "007", "7", "7.0", "１２", "M1", "1.23457E+16", "2024-03-05", "2024-03-05 08:07:00",
           "2024/3/5 下午8:07", "2024-03-05T08:07:00+08:00", "2024-03-05 08:07:00 +0800", "1709596800", "20240305",
           "3/5/2024", "45356.33", "epoch", "infinity", "2099-01-01", "1999-12-31", "thread", "reply", "回复", "主题",
           "member", "brand", "会员", "true", "NaN", "inf", "-1e309", "[\"a\",\"b\"]", "a|b|c", "[", "{\"a\":1}",
           "{\"a\":1,\"a\":2}", "null", "\x00", "\\u0000", "<p>续航<b>很好</b></p>", "&nbsp;", "13812345678", "\ufeff",
           "\r\n", "\n", "\"", ",", "\t", ";", "|", " ", "", "😀", "\ud800", "长" * 300]
cells = st.one_of(st.sampled_from(SAMPLES), st.text(max_size=20), st.lists(st.sampled_from(SAMPLES), max_size=3).map("".join))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False, allow_infinity=False), cells),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)
MEMBER_COLS = ["member_id", "joined_at", "name", "account_type", "level"]
CONTENT_COLS = ["content_id", "kind", "author_id", "created_at", "body", "parent_id", "tags"]
GOOD = ["m_good", "2024-03-05 08:00:00", "老王", "member", "3"]  # first after the header: no bad row can swallow it


@pytest.fixture(scope="module")
def con():
    store = open_store(":memory:")
    yield store.con
    store.close()


def _typed(con, f: Field, value: str):
    return con.execute(f"SELECT {typed_expression(f, col='$v', entity='content')}", {"v": value}).fetchone()[0]


@SQL
@given(value=st.one_of(timestamp_texts, st.text(max_size=40)), i=st.sampled_from(range(len(FIELDS))))
def test_typed_values_are_read_or_null_never_an_error(con, value, i):
    _typed(con, FIELDS[i], value)


@settings(SQL, max_examples=80)  # three statements of the long timestamp expression each
@given(value=timestamp_texts)
def test_a_parsed_timestamp_written_out_reads_back_as_the_same_instant(con, value):
    at = _typed(con, FIELDS[0], value)
    assume(at is not None and at.tzinfo is not None)  # None: refused; naive: +-infinity, quarantined as impossible
    assert _typed(con, FIELDS[0], at.isoformat()) == at
    written = con.execute("SELECT strftime($t, '%Y-%m-%d %H:%M:%S.%f%z')", {"t": at}).fetchone()[0]
    assert _typed(con, FIELDS[0], written) == at


@SQL
@given(value=st.one_of(timestamp_texts, st.text(max_size=40)), lang=st.sampled_from(["zh", "en"]))
def test_timestamp_hints_never_raise(value, lang):
    hint = timestamp_hint(value, lang)
    assert hint == "" or hint.endswith(("; ", "；"))


def _import(folder: Path, paths: list[Path], db: str = "reef.duckdb") -> tuple[dict | None, object]:
    store = open_store(folder / db)
    try:
        summary = import_paths(store, paths).as_dict()
    except ReefError as exc:  # a file-level refusal (empty, no header): said, never a bare Python error
        assert str(exc)
        summary = None
    else:
        for counts in summary["by_entity"].values():
            assert counts["read"] == counts["imported"] + counts["updated"] + counts["duplicate"] + counts["quarantined"]
        reasons = store.con.execute("SELECT reason FROM quarantine").fetchall()
        assert len(reasons) >= summary["quarantined"] and all(r for (r,) in reasons)
    return summary, store


def _csv(path: Path, cols: list[str], rows: list[list[str]], encoding: str) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([cols, *rows])
    path.write_bytes(buf.getvalue().encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace"))
    return path


@IMPORTS
@given(members=st.lists(st.lists(cells, min_size=5, max_size=5), max_size=4),
       content=st.lists(st.lists(cells, min_size=7, max_size=7), max_size=4), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_a_csv_of_generated_cells_imports_or_quarantines_row_by_row(members, content, encoding):
    assume(all(row[0] != GOOD[0] for row in members))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [_csv(folder / "members.csv", MEMBER_COLS, [GOOD, *members], encoding),
                 _csv(folder / "content.csv", CONTENT_COLS, content, encoding)]
        summary, store = _import(folder, paths)
        assert summary is not None  # both files have a header
        assert store.con.execute("SELECT name FROM members WHERE member_id = ?", [GOOD[0]]).fetchall() == [("老王",)]
        store.close()


@IMPORTS
@given(members=st.lists(st.dictionaries(st.sampled_from(MEMBER_COLS + ["entity", "attrs"]), json_values, max_size=6), max_size=4),
       content=st.lists(st.dictionaries(st.sampled_from(CONTENT_COLS + ["entity", "attrs"]), json_values, max_size=8), max_size=4))
def test_a_jsonl_of_generated_values_imports_or_quarantines_row_by_row(members, content):
    good = dict(zip(MEMBER_COLS, GOOD))
    assume(all(row.get("member_id") != GOOD[0] for row in members))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        a, b = folder / "members.jsonl", folder / "content.jsonl"
        # ensure_ascii=False writes a lone surrogate as invalid UTF-8 bytes, as a broken export would
        a.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [good, *members]).encode("utf-8", "surrogatepass"))
        b.write_text("".join(json.dumps(r) + "\n" for r in content), encoding="utf-8")
        summary, store = _import(folder, [a])
        assert summary is not None
        assert store.con.execute("SELECT name FROM members WHERE member_id = ?", [GOOD[0]]).fetchall() == [("老王",)]
        store.close()
        # An empty file, or one where no line has a content_id, is refused as a whole (a ReefError): by design.
        _import(folder, [b], "content.duckdb")[1].close()


RAW_LINES = [b"m1,2024-03-05,\xc0\xee\xcd\xf5\n", b"m2,2024-03-05,\xff\xfe\n", b'm3,"2024-03-05\n', b"m4,2024-03-05,a,b\n",
             b"\x00\x00\n", b"\xef\xbb\xbf", b"\r", b"\r\n", b'"', b"m5,2024-03-05,\xe8\xbd\xa6\n", b"\xa1\xa2\xa3\n", b"\n\n",
             b'{"member_id": "m6", "joined_at": "2024-03-05"}\n', b"[", b"]", b"{", b"}"]


@IMPORTS
@given(lines=st.lists(st.one_of(st.sampled_from(RAW_LINES), st.binary(max_size=30)), max_size=8), header=st.booleans(),
       name=st.sampled_from(["members.csv", "members.tsv", "members.jsonl", "members.json"]))
def test_a_file_of_arbitrary_bytes_is_imported_quarantined_or_refused_with_a_reef_error(lines, header, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        head = b"member_id,joined_at,name\n" if header and name.endswith(("csv", "tsv")) else b""
        path.write_bytes(head + b"".join(lines))
        _, store = _import(Path(tmp), [path])
        store.close()
