"""Import problems an analyst QA review found: a .json array, unused look-alike columns, files naming no entity,
and the quarantine's reason filter in the language the table shows."""
from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_helpers import MEMBERS, THREAD, quarantine, write_jsonl
from reef.config import load_config
from reef.errors import NoEntityError, UnreadableFileError
from reef.ingest import import_paths
from reef.report import quarantine_rows
from reef.store import open_store

ARRAY = '[\n{"member_id":"a1","joined_at":"2025-01-01"},\n{"member_id":"a2","joined_at":"2025-01-02"}\n]\n'


def test_a_json_array_is_read_as_rows_not_cut_into_lines(store, imp, tmp_path):
    p = tmp_path / "members.json"
    p.write_text(ARRAY, encoding="utf-8")
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (2, 0)
    assert sorted(r for (r,) in store.fetch_all("SELECT member_id FROM members")) == ["a1", "a2"]


def test_array_rows_keep_the_line_they_start_on_and_their_own_checks(store, imp, tmp_path):
    rows = [{"member_id": "a1", "joined_at": "2025-01-01"}, {"member_id": "a2"}, 7]
    p = tmp_path / "members.json"
    p.write_text(json.dumps(rows, indent=2).replace('"a1"', '"a1", "member_id": "a1"'), encoding="utf-8")
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (0, 3)
    by_line = {q["line"]: q["reason"] for q in quarantine(store, p)}
    assert by_line[2].startswith("duplicate key 'member_id'")  # the element's own text is staged: a key twice is caught
    assert by_line[6] == "missing required field joined_at"
    assert by_line[9].startswith("not a JSON object")


def test_pretty_printed_objects_and_a_gzipped_array_are_read(store, imp, tmp_path):
    one = tmp_path / "members.json"
    one.write_text(json.dumps({"member_id": "p1", "joined_at": "2025-01-01"}, indent=2), encoding="utf-8")
    two = tmp_path / "more" / "members.json.gz"
    two.parent.mkdir()
    two.write_bytes(gzip.compress(ARRAY.encode()))
    s = imp(one, two)
    assert (s["imported"], s["quarantined"]) == (3, 0)


def test_a_broken_or_too_large_array_is_refused_whole(tmp_path):
    broken = tmp_path / "members.json"
    broken.write_text(ARRAY.replace("},\n", "}\n"), encoding="utf-8")  # a missing comma
    store = open_store(tmp_path / "a.duckdb")
    with pytest.raises(UnreadableFileError, match="line 3 column 1"):
        import_paths(store, [broken])
    assert store.fetch_value("SELECT count(*) FROM members") == 0 and quarantine(store) == []
    big = tmp_path / "big" / "members.json"
    big.parent.mkdir()
    big.write_text(json.dumps([{"member_id": f"b{i}", "joined_at": "2025-01-01"} for i in range(100)], indent=1), encoding="utf-8")
    small = open_store(tmp_path / "b.duckdb", config=load_config().with_overrides({"ingest.json_document_max_mb": 0.001}))
    with pytest.raises(UnreadableFileError, match="JSON array, not JSON Lines") as exc:
        import_paths(small, [big])
    assert "jq -c '.[]'" in str(exc.value) and quarantine(small) == []
    assert import_paths(open_store(tmp_path / "c.duckdb"), [big]).imported == 100  # within the default limit


def test_json_lines_are_still_streamed_with_bad_lines_quarantined(store, imp, tmp_path):
    p = write_jsonl(tmp_path / "members.json", [MEMBERS[0], "[1, 2]", '{"member_id": '])
    s = imp(p)
    assert (s["imported"], s["quarantined"]) == (1, 2)
    assert [q["line"] for q in quarantine(store, p)] == [2, 3]


def test_a_look_alike_column_left_unused_is_warned_about(imp, tmp_path):
    p = tmp_path / "content.csv"
    p.write_text("content_id,kind,created_at,user,text\nt1,thread,2025-01-01,m1,冬季续航怎么样\n", encoding="utf-8")
    s = imp(p)
    assert s["imported"] == 1  # a warning, not an error
    assert {(w["column"], w["suggestion"]) for w in s["warnings"]} == {("text", "body"), ("user", "author_id")}
    w = next(w for w in s["warnings"] if w["column"] == "text")
    assert w["message_zh"] == "列 text 未使用（已存入 attrs）；是否应为 body？" and w["file"] == str(p)
    assert "did you mean body?" in w["message"]


def test_extra_columns_beside_the_expected_ones_say_nothing(imp, tmp_path):
    p = tmp_path / "content.csv"
    p.write_text("content_id,kind,created_at,body,text,likes\nt1,thread,2025-01-01,正文,另一段,3\n", encoding="utf-8")
    assert imp(p)["warnings"] == []


def test_jsonl_keys_and_parquet_columns_are_checked_too(imp, tmp_path):
    thread = {k: v for k, v in THREAD.items() if k not in ("body", "author_id")}
    j = write_jsonl(tmp_path / "threads.jsonl", [{**MEMBERS[0]}, {**thread, "content": "正文", "autor_id": "m1"}])
    q = tmp_path / "content.parquet"
    pq.write_table(pa.table({"content_id": ["t9"], "kind": ["thread"], "created_at": ["2025-01-02"], "message": ["正文"]}), q)
    s = imp(j, q)
    got = {(w["file"], w["column"], w["suggestion"]) for w in s["warnings"]}
    assert got == {(str(j), "autor_id", "author_id"), (str(j), "content", "body"), (str(q), "message", "body")}


def test_a_file_naming_no_entity_is_one_error_not_a_quarantine_flood(store, tmp_path):
    p = tmp_path / "export_2025.csv"
    p.write_text("member_id,joined_at\n" + "".join(f"m{i},2025-01-01\n" for i in range(5000)), encoding="utf-8")
    with pytest.raises(NoEntityError) as exc:
        import_paths(store, [p])
    assert exc.value.exit_code == 3 and "members" in str(exc.value) and "interactions" in str(exc.value)
    assert "entity=" in str(exc.value) and str(p) in str(exc.value) and "--entity" in exc.value.cli_hint  # the CLI says --entity
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 0
    assert import_paths(store, [p], entity="members").imported == 5000


def test_jsonl_and_parquet_naming_no_entity_are_refused_too(store, tmp_path):
    j = write_jsonl(tmp_path / "export.jsonl", [{"member_id": "m1", "joined_at": "2025-01-01"}] * 3)
    q = tmp_path / "export.parquet"
    pq.write_table(pa.table({"member_id": ["m1"], "joined_at": ["2025-01-01"]}), q)
    for p in (j, q):
        with pytest.raises(NoEntityError):
            import_paths(store, [p])
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 0


def test_quarantine_reason_filter_takes_a_code_or_the_chinese_shown(store, imp, tmp_path):
    rows = [*MEMBERS, {"entity": "members", "member_id": "m3"}, {**THREAD, "kind": "blog"},
            {"entity": "robots", "id": "x"}]
    imp(write_jsonl(tmp_path / "data.jsonl", rows))
    assert [r["reason_code"] for r in quarantine_rows(store, reason="missing_field")] == ["missing_field"]
    assert [r["reason_code"] for r in quarantine_rows(store, reason="unknown_code")] == ["unknown_code"]  # not unknown_entity
    assert [r["reason_code"] for r in quarantine_rows(store, reason="缺少必填字段")] == ["missing_field"]
    assert [r["reason_code"] for r in quarantine_rows(store, reason="无法识别的数据类型")] == ["unknown_entity"]
    assert [r["reason_code"] for r in quarantine_rows(store, reason="Missing Required")] == ["missing_field"]
    assert quarantine_rows(store, reason="不存在的原因") == []
    assert len(quarantine_rows(store, reason="other")) == 0
