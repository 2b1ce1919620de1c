"""One row, one meaning, whatever the format: normalised attrs, NUL characters, duplicate keys, dates in order."""
from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_helpers import MEMBERS, THREAD, quarantine, write_jsonl
from reef.model.schema import ENTITIES

MEMBER = {"member_id": "m1", "joined_at": "2025-01-01 08:00:00", "name": "老王"}


def _member_files(tmp_path) -> dict:
    """The same member with three extras (a number, a boolean, a text) as CSV, JSONL and Parquet."""
    csv = tmp_path / "csv" / "members.csv"
    csv.parent.mkdir()
    csv.write_text("member_id,joined_at,name,level,vip,nick\nm1,2025-01-01 08:00:00,老王,3,true,王哥\n", encoding="utf-8")
    # keys in another order, typed values, an empty extra
    jsonl = write_jsonl(tmp_path / "members.jsonl", [{**MEMBER, "vip": True, "nick": "王哥", "level": 3, "note": None}])
    parquet = tmp_path / "members.parquet"
    pq.write_table(pa.table({"member_id": ["m1"], "joined_at": ["2025-01-01 08:00:00"], "name": ["老王"],
                             "nick": ["王哥"], "level": pa.array([3], pa.int64()), "vip": [True]}), parquet)
    return {"csv": csv, "jsonl": jsonl, "parquet": parquet}


@pytest.mark.parametrize("first", ["csv", "jsonl", "parquet"])
def test_the_same_member_in_another_format_is_unchanged(store, imp, tmp_path, first):
    files = _member_files(tmp_path)
    assert imp(files[first])["imported"] == 1
    stored = store.fetch_value("SELECT attrs FROM members")
    assert json.loads(stored) == {"level": "3", "nick": "王哥", "vip": "true"}
    for fmt, path in files.items():
        if fmt != first:
            s = imp(path)
            assert (s["duplicate"], s["updated"], s["imported"]) == (1, 0, 0), fmt
    assert store.fetch_value("SELECT attrs FROM members") == stored


def test_a_changed_extra_is_still_an_update(store, imp, tmp_path):
    files = _member_files(tmp_path)
    imp(files["csv"])
    changed = write_jsonl(tmp_path / "members.jsonl", [{**MEMBER, "level": 4, "vip": True, "nick": "王哥"}])
    assert imp(changed)["updated"] == 1
    assert json.loads(store.fetch_value("SELECT attrs FROM members"))["level"] == "4"


def test_rows_stored_before_attrs_were_normalised_are_duplicates_on_reimport(store, imp, tmp_path):
    """A store written by an older Reef holds typed attrs and a row_hash of them: re-importing the same file is a no-op."""
    thread = {**THREAD, "views": 10, "pinned": False}
    p = write_jsonl(tmp_path / "all.jsonl", [{**MEMBERS[0], "level": 3}, MEMBERS[1], thread])
    assert imp(p)["imported"] == 3
    # What the older Reef stored: attrs as the file typed them, and the hash of the row as typed (before thread_id
    # was filled from the parent chain).
    store.con.execute("""UPDATE members SET attrs = '{"level":3}' WHERE member_id = 'm1'""")
    store.con.execute("""UPDATE content SET attrs = '{"views":10,"pinned":false}'""")
    for name, where in (("members", "member_id = 'm1'"), ("content", "content_id = 't1'")):
        cols = [f'"{f.name}"' if f.name != "thread_id" else "NULL::VARCHAR" for f in ENTITIES[name].fields]
        store.con.execute(f"UPDATE {name} SET row_hash = hash({', '.join(cols)}) WHERE {where}")
    assert store.fetch_value("SELECT attrs FROM members WHERE member_id = 'm1'") == '{"level":3}'
    s = imp(p)
    assert (s["duplicate"], s["updated"], s["imported"]) == (3, 0, 0)
    csv = tmp_path / "members.csv"
    csv.write_text("member_id,name,joined_at,level\nm1,老王,2024-05-01T10:00:00+08:00,3\n", encoding="utf-8")
    s = imp(csv)
    assert (s["duplicate"], s["updated"]) == (1, 0)


# -- NUL characters -------------------------------------------------------------------------------------------------

def _nul_files(tmp_path) -> dict:
    csv = tmp_path / "members.csv"
    csv.write_bytes("member_id,joined_at,name\nm1,2025-01-01,老\x00王\nm2,2025-01-02,小李\n".encode("utf-8"))
    raw_jsonl = tmp_path / "raw" / "members.jsonl"
    raw_jsonl.parent.mkdir()
    raw_jsonl.write_bytes('{"member_id":"m1","joined_at":"2025-01-01","name":"老\x00王"}\n'
                          '{"member_id":"m2","joined_at":"2025-01-02","name":"小李"}\n'.encode("utf-8"))
    escaped = write_jsonl(tmp_path / "members.jsonl", [{"member_id": "m1", "joined_at": "2025-01-01", "name": "老\x00王"},
                                                       {"member_id": "m2", "joined_at": "2025-01-02", "name": "小李"}])
    assert b"\\u0000" in escaped.read_bytes()
    parquet = tmp_path / "members.parquet"
    pq.write_table(pa.table({"member_id": ["m1", "m2"], "joined_at": ["2025-01-01", "2025-01-02"], "name": ["老\x00王", "小李"]}),
                   parquet)
    return {"csv": csv, "raw_jsonl": raw_jsonl, "jsonl": escaped, "parquet": parquet}


@pytest.mark.parametrize("fmt", ["csv", "raw_jsonl", "jsonl", "parquet"])
def test_a_nul_in_a_text_field_quarantines_the_row_in_every_format(store, imp, tmp_path, fmt):
    path = _nul_files(tmp_path)[fmt]
    s = imp(path)
    assert (s["imported"], s["quarantined"]) == (1, 1)
    [q] = quarantine(store, path)
    assert (q["line"], q["field"]) == ((2 if fmt == "csv" else 1), "name")
    assert q["reason"].startswith("NUL character (\\x00) in name") and "import again" in q["reason"]
    assert store.fetch_all("SELECT member_id FROM members") == [("m2",)]


def test_a_nul_in_an_extra_column_or_a_list_names_its_field(store, imp, tmp_path):
    members = tmp_path / "members.csv"
    members.write_bytes("member_id,joined_at,nick\nm1,2025-01-01,a\x00b\nm2,2025-01-02,ok\n".encode("utf-8"))
    content = write_jsonl(tmp_path / "content.jsonl", [{**THREAD, "author_id": "m2", "tags": ["续航\x00"]}])
    s = imp(members, content)
    assert (s["imported"], s["quarantined"]) == (1, 2)
    assert {(q["entity"], q["field"]) for q in quarantine(store)} == {("members", "attrs"), ("content", "tags")}


def test_a_json_backslash_before_u0000_is_text_not_a_nul(store, imp, tmp_path):
    p = write_jsonl(tmp_path / "members.jsonl", [{**MEMBER, "nick": "C:\\u0000"}])
    assert imp(p)["imported"] == 1
    assert json.loads(store.fetch_value("SELECT attrs FROM members"))["nick"] == "C:\\u0000"


# -- duplicate keys -------------------------------------------------------------------------------------------------

def test_a_json_key_given_twice_is_quarantined_naming_the_key(store, imp, tmp_path):
    p = write_jsonl(tmp_path / "members.jsonl", [
        '{"member_id": "m1", "joined_at": "2025-01-01", "name": "老王", "name": "小王"}',
        '{"Member_ID": "m2", "member_id": "m3", "joined_at": "2025-01-01"}',
        '{"member_id": "m4", "joined_at": "2025-01-01", "attrs": {"level": 1, "level": 2}}',
        '{"member_id": "m5", "joined_at": "2025-01-01", "attrs": {"level": 1}}',
    ])
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (1, 3)
    q = quarantine(store, p)
    assert [(r["file"], r["line"], r["field"]) for r in q] == [(str(p), 1, "name"), (str(p), 2, "member_id"), (str(p), 3, "attrs")]
    assert q[0]["reason"].startswith("duplicate key 'name': it appears twice") and "keep one" in q[0]["reason"]
    assert q[2]["reason"].startswith("duplicate key 'level' in attrs")


def test_a_csv_attrs_cell_with_a_key_twice_is_quarantined(store, imp, tmp_path):
    p = tmp_path / "members.csv"
    p.write_text('member_id,joined_at,attrs\nm1,2025-01-01,"{""a"": 1, ""a"": 2}"\n', encoding="utf-8")
    s = imp(p)
    assert s["quarantined"] == 1
    assert quarantine(store, p)[0]["field"] == "attrs"


# -- dates against each other ---------------------------------------------------------------------------------------

def test_an_end_date_before_its_start_quarantines_the_row(store, imp, tmp_path):
    members = tmp_path / "members.csv"
    members.write_text("member_id,joined_at,left_at\n"
                       "m1,2025-01-01 08:00,2024-12-31 08:00\n"   # left before joining
                       "m2,2025-01-01 08:00,2025-01-01 08:00\n"   # same instant: fine
                       "m3,2025-01-01 08:00,2025-03-01 08:00\n", encoding="utf-8")
    content = write_jsonl(tmp_path / "content.jsonl", [
        {**THREAD, "content_id": "t1", "author_id": "m2", "deleted_at": "2024-12-31 10:00:00"},
        {**THREAD, "content_id": "t2", "author_id": "m2", "edited_at": "2024-12-31 10:00:00"},
        {**THREAD, "content_id": "t3", "author_id": "m2", "edited_at": "2025-01-02 10:00:00", "deleted_at": "2025-01-03 10:00:00"},
    ])
    s = imp(members, content)
    assert (s["imported"], s["quarantined"]) == (3, 3)
    q = quarantine(store)
    assert [(r["file"], r["line"], r["field"]) for r in q] == [
        (str(content), 1, "deleted_at"), (str(content), 2, "edited_at"), (str(members), 2, "left_at")]
    assert q[2]["reason"] == ("dates out of order: left_at 2024-12-31 08:00:00+08 is before joined_at 2025-01-01 08:00:00+08: "
                              "correct the dates (or leave left_at empty) and import again")
    assert "deleted_at 2024-12-31 10:00:00+08 is before created_at 2025-01-01 10:00:00+08" in q[0]["reason"]


@pytest.mark.parametrize("before", ["\\", "\\\\"])
def test_a_raw_nul_right_after_a_backslash_is_still_quarantined(store, imp, tmp_path, before):
    # the escape written for the NUL must not pair with the backslash before it (read as "\\" and the text "u0000")
    p = tmp_path / "members.jsonl"
    p.write_bytes(('{"member_id": "z1", "joined_at": "2025-01-01", "name": "a' + before + '\x00b"}\n'
                   '{"member_id": "z2", "joined_at": "2025-01-01", "name": "ok"}\n').encode("utf-8"))
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (1, 1)
    assert store.fetch_all("SELECT member_id FROM members") == [("z2",)]
