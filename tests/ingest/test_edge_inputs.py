"""Inputs a data engineer meets in real exports: repeated paths, odd encodings and line endings, odd values."""
from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_helpers import MEMBERS, THREAD, quarantine, write_jsonl
from reef.errors import InvalidParameterError
from reef.ingest import import_paths
from reef.ingest.files import detect_encoding


def _members(store):
    return dict(store.con.execute("SELECT member_id, name FROM members").fetchall())


def test_the_same_file_named_twice_is_read_once(store, imp, tmp_path, monkeypatch):
    p = write_jsonl(tmp_path / "members.jsonl", [MEMBERS[0], MEMBERS[1]])
    monkeypatch.chdir(tmp_path)
    s = imp(p, p, "members.jsonl")
    assert s["imported"] == 2
    assert store.con.execute("SELECT count(*), count(DISTINCT member_id) FROM members").fetchone() == (2, 2)


def test_unknown_entity_option_is_a_parameter_error_and_aliases_work(store, tmp_path):
    p = tmp_path / "data.csv"
    p.write_text("member_id,joined_at\nm1,2025-01-01\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="entity"):
        import_paths(store, [p], entity="bogus")
    assert import_paths(store, [p], entity="Users").imported == 1


def test_utf16_csv_imports(store, imp, tmp_path):
    p = tmp_path / "members.csv"
    p.write_bytes("member_id,name,joined_at\nm1,老王,2025-01-01\n".encode("utf-16"))
    assert imp(p)["imported"] == 1
    assert _members(store) == {"m1": "老王"}


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_csv_without_a_byte_order_mark_imports(store, imp, tmp_path, codec):
    p = tmp_path / "members.csv"
    p.write_bytes("member_id,joined_at,name,region\nm1,2025-01-01,老王,广东\nm2,2025-01-02,小李,北京\n".encode(codec))
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (2, 0)
    assert _members(store) == {"m1": "老王", "m2": "小李"}


def test_cr_only_line_endings_are_lines(store, imp, tmp_path):
    p = tmp_path / "members.csv"
    p.write_bytes(b"member_id,joined_at\rm1,2025-01-01\rm2,2025-01-02\r")
    assert imp(p)["imported"] == 2


def test_gb18030_character_cut_by_the_sample_is_still_gb18030():
    body = "编号,名字,地址\nm1,小王,广东省深圳市南山区科技园\n".encode("gb18030") * 50
    cuts = [detect_encoding(body[:n]) for n in range(len(body) // 2, len(body) // 2 + 4)]
    assert cuts == ["gb18030"] * 4


def test_big5_is_told_from_gb18030(store, imp, tmp_path):
    p = tmp_path / "members.csv"
    p.write_bytes("member_id,name,joined_at\nz1,陳大文,2025-01-01\nz2,臺北車主,2025-01-02\n".encode("big5"))
    imp(p)
    assert _members(store) == {"z1": "陳大文", "z2": "臺北車主"}
    assert detect_encoding("编号,名字\nm1,车主俱乐部\n".encode("gbk")) == "gb18030"


def test_jsonl_byte_order_mark_and_field_name_case(store, imp, tmp_path):
    p = tmp_path / "members.jsonl"
    rows = ['{"Member_ID": "m1", "Joined_At": "2025-01-01", "Nick": "x"}', json.dumps(MEMBERS[1], ensure_ascii=False)]
    p.write_bytes(b"\xef\xbb\xbf" + "\n".join(rows).encode("utf-8") + b"\n")
    assert imp(p)["imported"] == 2
    attrs = store.con.execute("SELECT attrs FROM members WHERE member_id = 'm1'").fetchone()[0]
    assert json.loads(attrs) == {"Nick": "x"}


def test_attrs_that_is_not_an_object_is_quarantined_in_every_format(store, imp, tmp_path):
    j = write_jsonl(tmp_path / "members.jsonl", [{"member_id": "j1", "joined_at": "2025-01-01", "attrs": "hello", "vip": "yes"}])
    pq.write_table(pa.table({"member_id": ["p1"], "joined_at": ["2025-01-01"], "attrs": ["[1,2]"], "vip": [None]}),
                   tmp_path / "members.parquet")
    s = imp(j, tmp_path / "members.parquet")
    assert (s["imported"], s["quarantined"]) == (0, 2)
    assert {q["reason"].split(":")[0] for q in quarantine(store)} == {"not a valid JSON object"}


def test_a_json_null_attrs_is_no_attrs_in_every_format(store, imp, tmp_path):
    # An export of rows without attrs writes "attrs": null; re-importing it (edits, corrections) must not quarantine them.
    j = write_jsonl(tmp_path / "members.jsonl", [{"member_id": "j1", "joined_at": "2025-01-01", "attrs": None},
                                                 {"member_id": "j2", "joined_at": "2025-01-01", "attrs": None, "vip": "yes"}])
    pq.write_table(pa.table({"member_id": ["p1"], "joined_at": ["2025-01-01"], "attrs": ["null"]}), tmp_path / "members.parquet")
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "members.csv").write_text("member_id,joined_at,attrs\nc1,2025-01-01,null\n", encoding="utf-8")
    s = imp(j, tmp_path / "members.parquet", tmp_path / "csv" / "members.csv")
    assert (s["imported"], s["quarantined"]) == (4, 0)
    got = dict(store.con.execute("SELECT member_id, attrs FROM members").fetchall())
    assert got["j1"] is None and got["p1"] is None and got["c1"] is None and json.loads(got["j2"]) == {"vip": "yes"}


@pytest.mark.parametrize("value", ["NaN", "inf", "-Infinity", "1e400"])
def test_non_finite_numbers_are_not_numbers(store, imp, tmp_path, value):
    vote = {"interaction_id": "i1", "kind": "vote", "actor_id": "m1", "target_content_id": "t1",
            "created_at": "2025-01-02 08:00", "value": value}
    s = imp(write_jsonl(tmp_path / "data.jsonl", [*MEMBERS, THREAD, {"entity": "interactions", **vote}]))
    assert s["quarantined"] == 1
    assert "not a valid number" in quarantine(store)[0]["reason"]


def test_invalid_utf8_in_a_binary_parquet_column_loses_only_its_row(store, imp, tmp_path):
    p = tmp_path / "members.parquet"
    pq.write_table(pa.table({"member_id": ["b1", "b2"], "joined_at": ["2025-01-01"] * 2,
                             "name": pa.array([b"\xe5\xb0\x8f", b"\xff\xfe"], pa.binary())}), p)
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (1, 1)
    assert _members(store) == {"b1": "小"}
    assert quarantine(store)[0]["line"] == 2


def test_older_copy_of_an_edited_item_does_not_undo_the_edit(store, imp, tmp_path):
    first = write_jsonl(tmp_path / "content-1.jsonl", [*MEMBERS, THREAD])
    edited = dict(THREAD, body="改过的正文", edited_at="2025-02-01 10:00:00")
    imp(first)
    assert imp(write_jsonl(tmp_path / "content-2.jsonl", [edited]))["updated"] == 1
    again = imp(first)
    assert (again["updated"], again["duplicate"]) == (0, 3)
    assert store.con.execute("SELECT body FROM content WHERE content_id = 't1'").fetchone()[0] == "改过的正文"


def test_a_later_deletion_without_an_edit_time_deletes_and_keeps_the_edit(store, imp, tmp_path):
    imp(write_jsonl(tmp_path / "content-1.jsonl", [*MEMBERS, dict(THREAD, body="改过的正文", edited_at="2025-02-01 10:00:00")]))
    deleted = dict(THREAD, deleted_at="2025-02-03 08:00:00")  # a moderation export: the original body, no edit time
    s = imp(write_jsonl(tmp_path / "content-del.jsonl", [deleted]))
    assert (s["updated"], s["duplicate"]) == (1, 0)
    body, gone, iid = store.con.execute("SELECT body, deleted_at, import_id FROM content WHERE content_id = 't1'").fetchone()
    assert body == "改过的正文" and gone is not None and iid == 2
    again = imp(write_jsonl(tmp_path / "content-del.jsonl", [deleted]))
    assert (again["updated"], again["duplicate"]) == (0, 1)


def test_quarantine_of_a_reimported_file_drops_rows_that_now_import(store, imp, tmp_path):
    reply = {"entity": "content", "content_id": "r1", "kind": "reply", "author_id": "m1", "parent_id": "t1",
             "created_at": "2025-01-02 10:00:00", "body": "同问"}
    replies = write_jsonl(tmp_path / "replies.jsonl", [reply, "not json"])
    imp(write_jsonl(tmp_path / "members.jsonl", MEMBERS))
    assert imp(replies)["quarantined"] == 2
    t = imp(write_jsonl(tmp_path / "threads.jsonl", [THREAD]))
    assert t["imported"] == 2  # the thread brings the reply held for it (reef.ingest.held)
    assert [q["line"] for q in quarantine(store, replies)] == [2]  # the bad line stays held
    s = imp(replies)
    assert (s["imported"], s["duplicate"], s["quarantined"]) == (0, 1, 1)
    assert [q["line"] for q in quarantine(store, replies)] == [2]


def test_html_bodies_lose_tags_scripts_and_every_entity(store, imp, tmp_path):
    bodies = {"h1": "<p>it&#8217;s &copy; &mdash; &#x4E2D;文 &amp;lt;&nbsp;x</p>",
              "h2": "<table><tr><th>续航</th><td>500</td></tr></table>",
              "h3": "<style>.a{color:red}</style><div>正文</div><script>alert(1)</script>",
              "h4": "plain &amp; text"}
    rows = [dict(THREAD, content_id=k, body=v) for k, v in bodies.items()]
    imp(write_jsonl(tmp_path / "data.jsonl", [*MEMBERS, *rows]))
    got = dict(store.con.execute("SELECT content_id, body FROM content").fetchall())
    assert got == {"h1": "it’s © — 中文 &lt; x", "h2": "续航 500", "h3": "正文", "h4": "plain &amp; text"}


def test_cst_is_china_time_and_impossible_offsets_are_rejected(store, imp, tmp_path):
    rows = [{"member_id": "m1", "joined_at": "2025-01-01 08:00 CST"},
            {"member_id": "m2", "joined_at": "2025-01-01T08:00:00+25:00"}]
    s = imp(write_jsonl(tmp_path / "members.jsonl", rows))
    assert (s["imported"], s["quarantined"]) == (1, 1)
    utc = store.con.execute("SELECT strftime(joined_at AT TIME ZONE 'UTC', '%H:%M') FROM members").fetchone()[0]
    assert utc == "00:00"


def test_csv_column_without_a_header_keeps_its_values(store, imp, tmp_path):
    p = tmp_path / "members.csv"
    p.write_text("member_id,joined_at,\nm4,2025-01-01,extra\n", encoding="utf-8")
    imp(p)
    assert json.loads(store.con.execute("SELECT attrs FROM members").fetchone()[0]) == {"column_3": "extra"}
