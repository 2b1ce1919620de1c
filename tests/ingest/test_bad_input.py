"""Every class of bad input gets a clear answer (quarantine with file, line, reason) and nothing is lost."""
from __future__ import annotations

import gzip
from datetime import datetime, timezone

import pytest

from ingest_helpers import MEMBERS, THREAD, quarantine, write_jsonl
from reef.errors import ReefError, UnreadableFileError
from reef.ingest import import_paths


def _one_reason(store, path, line):
    rows = [q for q in quarantine(store, path) if q["line"] == line]
    assert len(rows) == 1, quarantine(store)
    row = rows[0]
    assert row["file"] == str(path) and row["reason"]
    return row


def _balanced(summary):
    assert summary["read"] == summary["imported"] + summary["updated"] + summary["duplicate"] + summary["quarantined"]


def test_malformed_lines_are_quarantined_and_the_rest_imported(store, imp, tmp_path):
    p = write_jsonl(tmp_path / "data.jsonl", [MEMBERS[0], '{"entity": "members", "member_id": "m9"', "[1, 2]", MEMBERS[1]])
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (2, 2)
    assert "malformed JSON" in _one_reason(store, p, 2)["reason"]
    assert "not a JSON object" in _one_reason(store, p, 3)["reason"]
    _balanced(s)


def test_a_malformed_line_in_a_file_of_several_entities_is_quarantined_not_fatal(store, imp, tmp_path):
    # lines without an "entity" key take the file's entity; the broken line must not stop the others
    p = write_jsonl(tmp_path / "members.jsonl", ['{"member_id": "m1", "joined_at": "2025-01-01 08:00"}',
                                                 '{"member_id": "m2", "joined_at": "2025-01-01',
                                                 {"entity": "groups", "group_id": "g1", "name": "车友会", "created_at": "2025-01-01"}])
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (2, 1)
    assert "malformed JSON" in _one_reason(store, p, 2)["reason"]
    _balanced(s)


def test_wrong_types_name_the_field(store, imp, tmp_path):
    rows = [*MEMBERS, THREAD,
            {"entity": "members", "member_id": "m3", "joined_at": "昨天"},
            {"entity": "interactions", "interaction_id": "i1", "kind": "vote", "actor_id": "m2",
             "target_content_id": "t1", "created_at": "2025-01-02 08:00", "value": "很多"},
            {"entity": "content", "content_id": "t2", "kind": "thread", "created_at": "2025-01-02 08:00", "tags": "[1, "}]
    p = write_jsonl(tmp_path / "data.jsonl", rows)
    s = imp(p)
    assert s["quarantined"] == 3
    assert _one_reason(store, p, 4)["field"] == "joined_at" and "not a valid timestamp" in _one_reason(store, p, 4)["reason"]
    assert _one_reason(store, p, 5)["field"] == "value" and "not a valid number" in _one_reason(store, p, 5)["reason"]
    assert _one_reason(store, p, 6)["field"] == "tags"


def test_unknown_kinds_and_entities(store, imp, tmp_path):
    rows = [*MEMBERS, {**THREAD, "kind": "blog"}, {"entity": "robots", "id": "x"}, {"member_id": "m5"}]
    p = write_jsonl(tmp_path / "data.jsonl", rows)
    s = imp(p)
    assert s["imported"] == 2 and s["quarantined"] == 3
    assert "unknown kind 'blog'" in _one_reason(store, p, 3)["reason"]
    assert "unknown entity 'robots'" in _one_reason(store, p, 4)["reason"]
    assert "no entity" in _one_reason(store, p, 5)["reason"]


def test_dangling_references_cascade(store, imp, tmp_path):
    reply = {"entity": "content", "content_id": "r1", "kind": "reply", "author_id": "m2", "parent_id": "t1",
             "created_at": "2025-01-01 11:00"}
    rows = [*MEMBERS, {**THREAD, "author_id": "ghost"}, reply,
            {"entity": "interactions", "interaction_id": "i1", "kind": "like", "actor_id": "m1",
             "target_content_id": "r1", "created_at": "2025-01-01 12:00"}]
    p = write_jsonl(tmp_path / "data.jsonl", rows)
    s = imp(p)
    assert s["imported"] == 2 and s["quarantined"] == 3
    assert "dangling reference: author_id 'ghost'" in _one_reason(store, p, 3)["reason"]
    assert _one_reason(store, p, 4)["field"] == "parent_id"  # its parent was quarantined
    assert _one_reason(store, p, 5)["field"] == "target_content_id"
    # A later import that brings the missing member in lets the same rows through.
    fixed = write_jsonl(tmp_path / "fix.jsonl", [{"entity": "members", "member_id": "ghost", "joined_at": "2024-01-01"}, *rows[2:]])
    assert imp(fixed)["imported"] == 4


def test_duplicate_ids_in_one_file(store, imp, tmp_path):
    changed = {**MEMBERS[0], "name": "另一个老王"}
    p = write_jsonl(tmp_path / "members.jsonl", [MEMBERS[0], MEMBERS[1], dict(MEMBERS[0]), changed])
    s = imp(p)
    assert (s["imported"], s["duplicate"], s["quarantined"]) == (2, 1, 1)
    q = _one_reason(store, p, 4)
    assert q["field"] == "member_id" and f"differs from the row at {p}:1" in q["reason"]
    assert "另一个老王" in q["raw"]
    assert store.fetch_value("SELECT name FROM members WHERE member_id = 'm1'") == "老王"
    _balanced(s)


@pytest.mark.parametrize("value, expect", [
    ("1970-01-01 08:00:00", "impossible timestamp"),
    ("2025-02-30 08:00:00", "not a valid timestamp"),
    ("2199-01-01T00:00:00Z", "impossible timestamp"),
])
def test_impossible_timestamps(store, imp, tmp_path, value, expect):
    p = write_jsonl(tmp_path / "members.jsonl", [MEMBERS[0], {"member_id": "m3", "joined_at": value}])
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (1, 1)
    q = _one_reason(store, p, 2)
    assert q["field"] == "joined_at" and expect in q["reason"]


def test_mis_encoded_bytes(store, imp, tmp_path):
    bad = '{"member_id": "m3", "name": "'.encode() + "老张".encode("gbk") + b'", "joined_at": "2024-01-01"}'
    p = write_jsonl(tmp_path / "members.jsonl", [MEMBERS[0], bad, MEMBERS[1]])
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (2, 1)
    q = _one_reason(store, p, 2)
    assert "mis-encoded" in q["reason"] and "m3" in q["raw"]


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_whole_jsonl_file_in_another_encoding_is_read_not_quarantined(store, imp, tmp_path, encoding):
    # Exports from Windows tools (WeChat bots, forum backups) are often GBK: every line used to be quarantined.
    import json

    rows = [*MEMBERS, {**THREAD, "title": "冬季续航", "body": "零下十度掉电多少？"}]
    p = tmp_path / "data.jsonl"
    p.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode(encoding))
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (3, 0)
    assert store.fetch_all("SELECT name FROM members ORDER BY member_id") == [("老王",), ("小李",)]
    assert store.fetch_value("SELECT body FROM content") == "零下十度掉电多少？"
    assert store.fetch_value("SELECT encoding FROM import_files WHERE path = ?", [str(p)]) in ("gb18030", "utf-16")


def test_a_gbk_json_array_is_read(store, imp, tmp_path):
    import json

    p = tmp_path / "members.json"
    p.write_bytes(json.dumps([{"member_id": "m7", "name": "张师傅", "joined_at": "2024-01-01"}], ensure_ascii=False).encode("gbk"))
    assert imp(p)["imported"] == 1
    assert store.fetch_value("SELECT name FROM members") == "张师傅"


def test_huge_text_is_quarantined(store, imp, tmp_path):
    limit = store.config.get("ingest.max_text_chars")
    rows = [*MEMBERS, {**THREAD, "body": "长" * (limit + 1)}, {**THREAD, "content_id": "t2", "body": "长" * limit}]
    p = write_jsonl(tmp_path / "data.jsonl", rows)
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (3, 1)
    q = _one_reason(store, p, 3)
    assert q["field"] == "body" and "text too long" in q["reason"] and "ingest.max_text_chars" in q["reason"]


def test_html_is_stored_as_text_with_the_original_kept(store, imp, tmp_path):
    html = "<p>冬天续航&amp;能耗</p><p>第二段<br/>换行</p>"
    p = write_jsonl(tmp_path / "data.jsonl", [*MEMBERS, {**THREAD, "body": html}])
    assert imp(p)["imported"] == 3
    body, body_html = store.fetch_all("SELECT body, body_html FROM content")[0]
    assert body == "冬天续航&能耗\n第二段\n换行" and body_html == html


def test_html_paragraphs_are_one_blank_line_apart_and_code_keeps_its_lines(store, imp, tmp_path):
    """A Stack Exchange body (a paragraph per line, blank lines between) kept runs of 3-5 blank lines; at most one now,
    but a <pre> block is code and keeps its blank lines as written (the white space before its closing tags is no line)."""
    html = ("<p>冬天续航怎么样？</p>\n\n\n<p>我的车掉了&nbsp;30%。</p>\n\n<ul>\n<li>一</li>\n</ul>\n\n"
            "<pre><code>def f():\n\n\n    return 1\n</code></pre>\n\n<blockquote>\n  <p>引用</p>\n</blockquote>\n\n<p>完</p>")
    p = write_jsonl(tmp_path / "data.jsonl", [*MEMBERS, {**THREAD, "body": html}])
    assert imp(p)["imported"] == 3
    body, body_html = store.fetch_all("SELECT body, body_html FROM content")[0]
    assert body == "冬天续航怎么样？\n\n我的车掉了 30%。\n\n一\n\ndef f():\n\n\n    return 1\n\n  引用\n\n完", repr(body)
    assert body_html == html


def test_emoji_and_traditional_characters_are_kept_intact(store, imp, tmp_path):
    text = "車友們好😀🚗，續航表現👍 ｢全形｣"
    p = write_jsonl(tmp_path / "data.jsonl", [*MEMBERS, {**THREAD, "title": "測試🚙", "body": text}])
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (3, 0)
    assert store.fetch_all("SELECT title, body FROM content") == [("測試🚙", text)]


def test_naive_timestamps_are_read_in_shanghai_and_zoned_ones_kept(store, imp, tmp_path):
    rows = [{"member_id": "a", "joined_at": "2025-03-01 08:00:00"},
            {"member_id": "b", "joined_at": "2025-03-01T08:00:00Z"},
            {"member_id": "c", "joined_at": "2025-03-01T08:00:00-05:00"},
            {"member_id": "d", "joined_at": "2025/03/01 08:00"},
            {"member_id": "e", "joined_at": "1740787200"}]
    imp(write_jsonl(tmp_path / "members.jsonl", rows))
    got = {m: t.astimezone(timezone.utc).replace(tzinfo=None) for m, t in store.fetch_all("SELECT member_id, joined_at FROM members")}
    assert got == {"a": datetime(2025, 3, 1, 0, 0), "b": datetime(2025, 3, 1, 8, 0), "c": datetime(2025, 3, 1, 13, 0),
                   "d": datetime(2025, 3, 1, 0, 0), "e": datetime(2025, 3, 1, 0, 0)}


def test_every_quarantine_row_has_file_line_and_reason(store, imp, tmp_path):
    p = write_jsonl(tmp_path / "data.jsonl", ["nope", {"entity": "members", "member_id": "x", "joined_at": "bad"},
                                               {**THREAD, "author_id": "ghost"}, b"\xff\xfe"])
    s = imp(p)
    assert s["quarantined"] == 4 == len(quarantine(store))
    for q in quarantine(store):
        assert q["file"] == str(p) and q["line"] >= 1 and q["reason"] and q["raw"]
    assert sum(s["quarantine_reasons"].values()) == 4


def test_reimport_imports_nothing_twice_and_keeps_one_quarantine_record(store, imp, tmp_path):
    p = write_jsonl(tmp_path / "data.jsonl", [*MEMBERS, THREAD, "broken", {**THREAD, "content_id": "t9", "author_id": "ghost"}])
    first = imp(p)
    second = imp(p)
    assert (first["imported"], first["quarantined"]) == (3, 2)
    assert (second["imported"], second["duplicate"], second["updated"], second["quarantined"]) == (0, 3, 0, 2)
    assert store.fetch_value("SELECT count(*) FROM content") == 1
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 2
    assert store.fetch_value("SELECT count(*) FROM imports") == 2


def test_changed_row_on_reimport_is_an_update(store, imp, tmp_path):
    imp(write_jsonl(tmp_path / "a.jsonl", [*MEMBERS, THREAD]))
    s = imp(write_jsonl(tmp_path / "b.jsonl", [{**THREAD, "title": "冬季续航（更新）"}]))
    assert (s["imported"], s["updated"]) == (0, 1)
    assert store.fetch_all("SELECT title FROM content") == [("冬季续航（更新）",)]


@pytest.mark.parametrize("make", ["missing", "directory", "empty", "corrupt_gzip", "corrupt_parquet", "empty_csv"])
def test_unreadable_files_are_one_line_errors_naming_the_file(store, tmp_path, make):
    path = {
        "missing": tmp_path / "nope.jsonl", "directory": tmp_path / "folder.jsonl", "empty": tmp_path / "empty.jsonl",
        "corrupt_gzip": tmp_path / "members.jsonl.gz", "corrupt_parquet": tmp_path / "members.parquet",
        "empty_csv": tmp_path / "members.csv",
    }[make]
    if make == "directory":
        path.mkdir()
    elif make in ("empty", "empty_csv"):
        path.write_bytes(b"")
    elif make == "corrupt_gzip":
        path.write_bytes(gzip.compress(b'{"member_id": "m1"}\n')[:12] + b"garbage")
    elif make == "corrupt_parquet":
        path.write_bytes(b"PAR1 this is not really parquet")
    with pytest.raises(ReefError) as info:
        import_paths(store, [path])
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    assert info.value.exit_code != 0
    if make != "directory":  # a folder is refused as an unknown format (only Stack Exchange dumps are folders)
        assert isinstance(info.value, UnreadableFileError)
    assert store.fetch_value("SELECT count(*) FROM imports") == 0


def test_truncated_gzip_stream_is_an_error_not_a_partial_import(store, tmp_path):
    path = tmp_path / "members.jsonl.gz"
    rows = "".join(f'{{"member_id": "m{i}", "joined_at": "2024-01-01"}}\n' for i in range(5000))
    path.write_bytes(gzip.compress(rows.encode())[:-200])
    with pytest.raises(ReefError) as info:
        import_paths(store, [path])
    assert str(path) in str(info.value)
    assert store.fetch_value("SELECT count(*) FROM members") == 0


@pytest.mark.parametrize("header, what", [(b"member_id,joined_at\x00\n", "NUL character"),
                                          (b"member_id,na\rme,joined_at\n", "not valid CSV"),
                                          (b"\rmember_id,joined_at\n", "not valid CSV")])
def test_a_damaged_csv_header_is_a_one_line_error_naming_the_file_and_line(store, tmp_path, header, what):
    """Found by property tests: a NUL in a column name (a DuckDB TransactionException) or a bare CR inside the header
    line (a _csv.Error) escaped import_paths as a library error instead of a ReefError."""
    path = tmp_path / "members.csv"
    path.write_bytes(b"\n" + header + b"m1,2024-01-01\n")
    with pytest.raises(UnreadableFileError) as info:
        import_paths(store, [path])
    message = str(info.value)
    assert f"{path}:2" in message and what in message and "\n" not in message
    assert info.value.text("zh") != message  # the operator's words in Chinese too
    assert store.fetch_value("SELECT count(*) FROM imports") == 0
