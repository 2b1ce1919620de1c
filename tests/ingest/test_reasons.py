"""Quarantine reasons have a stable code and a Chinese text with their values kept; the stored reason stays English."""
from __future__ import annotations

import re

from ingest_helpers import MEMBERS, THREAD, quarantine, write_jsonl
from reef.ingest import import_paths
from reef.ingest.reasons import reason_code, reason_kind_counts, reason_label, reason_text

_CJK = re.compile(r"[\u4e00-\u9fff]")

BAD_JSONL = [
    *MEMBERS, THREAD,
    '{"entity": "members", "member_id": "m9"',  # malformed JSON
    "[1, 2]",  # not an object
    '{"entity": "members", "member_id": "m8", "member_id": "m7", "joined_at": "2025-01-01"}',  # duplicate key
    {"entity": "spaceships", "id": "x"},  # unknown entity
    {"entity": "members", "joined_at": "2025-01-01"},  # missing id
    {"entity": "members", "member_id": "m3", "joined_at": "昨天"},  # not a valid timestamp
    {"entity": "content", "content_id": "c1", "kind": "poem", "author_id": "m1", "created_at": "2025-01-02"},  # unknown kind
    {"entity": "content", "content_id": "c2", "kind": "reply", "author_id": "m1", "created_at": "2025-01-02"},  # needs parent
    {"entity": "content", "content_id": "c3", "kind": "reply", "parent_id": "c3", "author_id": "m1", "created_at": "2025-01-02"},
    {"entity": "content", "content_id": "c4", "kind": "thread", "author_id": "m404", "created_at": "2025-01-02"},  # dangling
    {"entity": "content", "content_id": "c5", "kind": "reply", "parent_id": "t1", "author_id": "m1",
     "created_at": "2024-12-01 10:00:00"},  # before its parent
    {"entity": "members", "member_id": "m5", "joined_at": "1970-01-02"},  # impossible timestamp
    {"entity": "members", "member_id": "m6", "joined_at": "2025-01-02", "left_at": "2024-01-01"},  # dates out of order
    {"entity": "members", "member_id": "m1", "name": "另一个老王", "joined_at": "2024-05-01T10:00:00+08:00"},  # duplicate id
    {"entity": "members", "member_id": "m4", "name": "坏\u0000名", "joined_at": "2025-01-01"},  # NUL
    b'{"entity": "members", "member_id": "m2\xff1", "joined_at": "2025-01-01"}',  # mis-encoded
    {"entity": "interactions", "interaction_id": "i1", "kind": "like", "actor_id": "m1", "created_at": "2025-01-02"},
]


def _stored(store, tmp_path):
    path = write_jsonl(tmp_path / "data.jsonl", BAD_JSONL)
    csv_path = tmp_path / "members.csv"
    csv_path.write_bytes(b"member_id,joined_at\nm20,2025-01-01,extra\n")
    import_paths(store, [path, csv_path])
    return quarantine(store)


def test_every_reason_an_import_writes_has_a_code_and_a_chinese_text_with_its_values(store, tmp_path):
    rows = _stored(store, tmp_path)
    codes = {reason_code(r["reason"]) for r in rows}
    assert {"malformed_json", "not_json_object", "duplicate_key", "unknown_entity", "missing_id", "invalid_value",
            "unknown_code", "missing_target", "own_parent", "dangling_reference", "reply_before_parent",
            "impossible_time", "dates_out_of_order", "duplicate_id", "nul_character", "wrong_field_count",
            "bad_encoding"} <= codes, codes
    for r in rows:
        code, zh = reason_code(r["reason"]), reason_text(r["reason"])
        assert code != "other", r["reason"]
        assert _CJK.search(zh) and r["reason"] not in zh, (r["reason"], zh)  # a form matched, not the fallback
        assert reason_text(r["reason"], "en").startswith(r["reason"])  # English is the stored text (+ what to do)
        assert not r["reason"].startswith(("缺少", "引用"))  # the store keeps English (re-import dedup compares it)
    dangling = next(r["reason"] for r in rows if reason_code(r["reason"]) == "dangling_reference")
    assert reason_text(dangling).startswith("引用不存在：author_id 'm404' 不是已知的成员 ID；")


def test_grouped_prefixes_count_by_kind():
    # reef status groups reasons by the text before the first quote, colon or digit
    assert reason_kind_counts({"unknown kind ": 2, "unknown entity ": 1, "not a valid timestamp": 3, "line ": 1,
                               "bytes not valid utf-": 1, "something new": 4}) == {
        "other": 4, "invalid_value": 3, "unknown_code": 2, "bad_encoding": 1, "incomplete_record": 1, "unknown_entity": 1}
    assert reason_label("other") == "其他问题" and reason_label("unknown_code", "en") == "unknown value"


def test_csv_and_xml_reasons_translate_with_their_lines():
    assert reason_text("wrong number of fields: expected 2, found 3; it spans lines 4-6, check for an unclosed quote") == (
        "字段数不对：应为 2 个，实际 3 个；该记录跨越第 4-6 行，请检查是否有未闭合的引号；请检查该行的逗号和引号后重新导入")
    assert reason_text("malformed XML: not well-formed (invalid token) at column 7") == (
        "XML 格式错误：not well-formed (invalid token)（第 7 列）；请修正或重新导出该文件后再导入")
    assert reason_text("text too long: 20001 characters (limit 20000, set ingest.max_text_chars)") == (
        "文字过长：20001 个字符（上限 20000，可在 ingest.max_text_chars 中调整）")


def test_every_reason_code_is_documented():
    from pathlib import Path

    from reef.ingest.reasons import REASON_KINDS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "importers.md").read_text(encoding="utf-8")
    assert [k.code for k in REASON_KINDS if f"`{k.code}`" not in doc] == []


def test_the_report_counts_quarantine_by_kind_in_its_language(store, tmp_path):
    from reef.report.build import _health_section

    _stored(store, tmp_path)
    zh = next(tb for tb in _health_section(store, "zh", None, "").tables if tb.columns[0] == "原因")
    en = next(tb for tb in _health_section(store, "en", None, "").tables if tb.columns[0] == "Reason")
    assert ["引用不存在的记录", 1] in zh.rows and ["dangling reference", 1] in en.rows
    assert sum(n for _, n in zh.rows) == store.fetch_value("SELECT count(*) FROM quarantine")


def test_every_reason_the_reviewer_met_says_what_to_do_in_both_languages(store, tmp_path):
    rows = _stored(store, tmp_path)
    for r in rows:
        for lang, todo in (("zh", ("导入", "另存", "删除", "修正")), ("en", ("import", "re-save", "remove", "fix"))):
            shown = reason_text(r["reason"], lang)
            assert any(word in shown for word in todo), (lang, r["reason"], shown)
    stamp = reason_text("not a valid timestamp: '01/02/2026'", "en")
    assert "2025-03-01 08:00" in stamp and "Unix" in stamp  # names the formats it accepts
    assert "2025年3月1日" in reason_text("not a valid timestamp: '01/02/2026'")
    assert "UTF-8" in reason_text("bytes not valid utf-8 at byte 50 (mis-encoded text)")
    assert "members" in reason_text("dangling reference: author_id 'm9' is not a known member id", "en")


def test_an_import_finishes_after_it_starts(store, tmp_path):
    # finished_at was DuckDB's now(), the transaction's start, so it came before started_at
    import_paths(store, [write_jsonl(tmp_path / "members.jsonl", MEMBERS)])
    started, finished = store.fetch_dicts("SELECT started_at, finished_at FROM imports")[0].values()
    assert finished >= started


def test_a_grouped_prefix_is_said_wholly_in_chinese():
    """The import summary counts reasons by their prefix (the text before the first quote or colon); each reads as
    Chinese, not as the kind's name followed by the English ("引用不存在的记录：dangling reference")."""
    from reef.ingest.reasons import reason_text
    from reef.ingest.session import _reason_class

    for reason, zh in [("dangling reference: author_id 'm9' is not a known member id", "引用不存在的记录"),
                       ("unknown kind '跳舞' (expected one of: like)", "kind 的取值无法识别"),
                       ("not a valid timestamp: '昨天'", "不是有效的时间"), ("duplicate id 'm1' differs from the row at a:1", "ID 重复且内容不同"),
                       ("wrong number of fields: expected 2, found 3", "字段数不对"), ("reply dated 2025-01-01, before its parent (x)", "回复早于父内容")]:
        shown = reason_text(_reason_class(reason))
        assert shown.startswith(zh) and _reason_class(reason) not in shown, shown
