"""Chinese exports: Chinese column headers and values (reef.ingest.aliases), and a file without its id column."""
from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_helpers import write_jsonl
from reef.errors import AmbiguousColumnError, MissingColumnError
from reef.ingest import import_paths
from reef.ingest.aliases import HEADER_ALIASES, VALUE_ALIASES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "importers.md"


def _gb(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    return path


def _forum(tmp_path: Path) -> list[Path]:
    """A forum's export as its backend writes it: GB18030, Chinese headers, Chinese kinds."""
    return [
        _gb(tmp_path / "members.csv", ["用户ID,昵称,注册时间,地区,积分", "u1,小王,2025-01-01 08:00,上海,120",
                                       "u2,小李,2025/02/01 09:00,北京,30", "u3,老张,2025年2月3日 10:00,广州,7"]),
        _gb(tmp_path / "content.csv", ["帖子ID,作者ID,类型,发布时间,父帖ID,标题,正文",
                                       "p1,u1,主帖,2025-03-01 08:00,,冬季续航,冬天掉电多少？",
                                       "p2,u2,回复,2025-03-01 09:00,p1,,大概三成",
                                       "p3,u3,评论,2025-03-01 10:00,p2,,同感",
                                       "p4,u1,攻略,2025-03-02 08:00,,保养攻略,换机油……"]),
        _gb(tmp_path / "interactions.csv", ["互动ID,用户ID,帖子ID,互动类型,时间",
                                            "i1,u2,p1,点赞,2025-03-02 08:00", "i2,u3,p4,收藏,2025-03-02 09:00",
                                            "i3,u3,p1,转发,2025-03-02 10:00", "i4,u1,,签到,2025-03-03 08:00"]),
    ]


def test_a_gb18030_export_with_chinese_headers_and_values_imports_cleanly(store, tmp_path):
    summary = import_paths(store, _forum(tmp_path)).as_dict()
    assert (summary["read"], summary["imported"], summary["quarantined"]) == (11, 11, 0), summary["quarantine_reasons"]
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 0
    members = store.fetch_dicts("SELECT member_id, name, region, attrs FROM members ORDER BY member_id")
    assert [(m["member_id"], m["name"], m["region"]) for m in members] == [("u1", "小王", "上海"), ("u2", "小李", "北京"), ("u3", "老张", "广州")]
    assert '"积分":"120"' in members[0]["attrs"]  # a column no alias names stays in attrs
    kinds = dict(store.con.execute("SELECT content_id, kind FROM content").fetchall())
    assert kinds == {"p1": "thread", "p2": "reply", "p3": "comment", "p4": "guide"}
    acts = dict(store.con.execute("SELECT interaction_id, kind FROM interactions").fetchall())
    assert acts == {"i1": "like", "i2": "bookmark", "i3": "share", "i4": "checkin"}
    mapped = {m["entity"]: m for m in summary["mapped_columns"]}
    assert mapped["members"]["columns"] == {"用户ID": "member_id", "昵称": "name", "注册时间": "joined_at", "地区": "region"}
    assert mapped["interactions"]["columns"]["帖子ID"] == "target_content_id"
    assert "已按中文列名导入：用户ID → member_id" in mapped["members"]["message_zh"]
    assert not [w for w in summary["warnings"] if w["code"] == "unused_column"]  # mapped columns are used columns
    again = import_paths(store, _forum(tmp_path)).as_dict()  # stored canonical: the same file again is all duplicates
    assert (again["duplicate"], again["updated"], again["quarantined"]) == (11, 0, 0)


def test_chinese_keys_of_jsonl_and_parquet_map_too(store, tmp_path):
    write_jsonl(tmp_path / "members.jsonl", [{"用户ID": "u1", "昵称": "小王", "注册时间": "2025-01-01 08:00", "等级": "3"}],
                encoding="gb18030")
    pq.write_table(pa.table({"帖子ID": ["p1", "p2"], "作者ID": ["u1", "u1"], "类型": ["帖子", "回答"],
                             "发布时间": ["2025-03-01 08:00"] * 2, "父帖ID": [None, "p1"], "内容": ["问", "答"]}),
                   tmp_path / "content.parquet")
    summary = import_paths(store, [tmp_path / "members.jsonl", tmp_path / "content.parquet"]).as_dict()
    assert (summary["imported"], summary["quarantined"]) == (3, 0)
    assert store.con.execute("SELECT member_id, name, attrs FROM members").fetchall() == [("u1", "小王", '{"等级":"3"}')]
    assert sorted(store.con.execute("SELECT content_id, kind, body FROM content").fetchall()) == [
        ("p1", "thread", "问"), ("p2", "answer", "答")]


def test_a_canonical_column_wins_over_its_alias(store, tmp_path):
    p = tmp_path / "members.csv"
    p.write_text("member_id,用户ID,joined_at\nm1,u1,2025-01-01\n", encoding="utf-8")
    summary = import_paths(store, [p]).as_dict()
    assert summary["imported"] == 1 and summary["mapped_columns"] == []
    (member_id, attrs), = store.con.execute("SELECT member_id, attrs FROM members").fetchall()
    assert member_id == "m1" and attrs.lower() == '{"用户id":"u1"}'  # kept in attrs (a CSV header in lower case)


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_a_file_without_its_id_column_is_refused_whole_naming_the_columns(store, tmp_path, suffix):
    p = tmp_path / f"members.{suffix}"
    if suffix == "csv":
        _gb(p, ["用户,昵称,注册时间", "u1,小王,2025-01-01", "u2,小李,2025-01-02"])
    else:
        write_jsonl(p, [{"用户": "u1", "昵称": "小王", "注册时间": "2025-01-01"}, {"用户": "u2", "注册时间": "2025-01-02"}])
    with pytest.raises(MissingColumnError) as exc:
        import_paths(store, [p])
    err = exc.value
    assert err.code == "missing_column" and err.exit_code == 3 and err.to_dict()["error"]["code"] == "missing_column"
    assert "member_id" in err.message and "用户" in err.message and "昵称" in err.message
    assert "Rename column 用户 to member_id" in err.hint and err.facts["suggestion"] == "用户"
    assert "缺少 member_id 列" in err.text("zh") and "请将列 用户 改名为 member_id" in err.text("zh")
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 0  # not a record per row
    assert store.fetch_value("SELECT count(*) FROM members") == 0


def test_two_columns_mapping_to_one_field_are_an_error_naming_both(store, tmp_path):
    p = tmp_path / "members.csv"
    p.write_text("用户ID,会员ID,joined_at\nu1,u1,2025-01-01\n", encoding="utf-8")
    with pytest.raises(AmbiguousColumnError) as exc:
        import_paths(store, [p])
    assert "用户ID" in str(exc.value) and "会员ID" in str(exc.value) and exc.value.code == "ambiguous_column"
    assert "列 用户ID、会员ID 都对应 members.member_id" in exc.value.text("zh")


def test_every_alias_is_in_the_docs_tables():
    text = DOCS.read_text(encoding="utf-8")
    headers = text[text.index("### Chinese column headers"):]
    for entity, fields in HEADER_ALIASES.items():
        for field, names in fields.items():
            row = re.search(rf"^\| `{entity}` \| `{field}` \| (.+) \|$", headers, flags=re.M)
            assert row, (entity, field)
            assert set(names) <= set(re.findall(r"`([^`]+)`", row.group(1))), (entity, field)
    values = text[text.index("### Chinese values"):]
    for entity, fields in VALUE_ALIASES.items():
        for field, table in fields.items():
            for zh, canonical in table.items():
                row = re.search(rf"^\| `{entity}` \| `{field}` \| `{canonical}` \| (.+) \|$", values, flags=re.M)
                assert row and f"`{zh}`" in row.group(1), (entity, field, zh)
