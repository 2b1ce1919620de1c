"""Excel workbooks are read as CSV (the first sheet, same checks); other spreadsheet files get a Chinese message
saying what to save them as."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.ingest import import_paths
from reef.store import open_store

openpyxl = pytest.importorskip("openpyxl")


def _workbook(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_an_xlsx_file_is_imported_like_the_same_csv(tmp_path):
    members = _workbook(tmp_path / "members.xlsx", [["用户ID", "昵称", "注册时间"], ["m1", "小王", datetime(2025, 1, 1, 8, 0)],
                                                    [1002, "小李", "2025-01-02 08:00"], [None, None, None]])
    posts = _workbook(tmp_path / "content.xlsx", [["帖子ID", "用户ID", "内容", "发布时间", "类型"],
                                                  ["p1", "m9", "内容", datetime(2025, 2, 1, 8, 0), "主题"]])
    store = open_store(tmp_path / "s.duckdb")
    summary = import_paths(store, [members, posts])
    assert (summary.imported, summary.quarantined) == (2, 1)  # the post's author is no member: the same row checks
    assert store.fetch_all("SELECT member_id, name, strftime(joined_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M') "
                           "FROM members ORDER BY 1") == [("1002", "小李", "2025-01-02 08:00"), ("m1", "小王", "2025-01-01 08:00")]
    assert store.fetch_value("SELECT file FROM quarantine") == str(posts)
    assert store.fetch_all("SELECT format FROM import_files ORDER BY path") == [("xlsx",), ("xlsx",)]
    assert summary.mapped_columns[0]["file"] == str(members)
    again = import_paths(store, [members])
    assert again.duplicate == 2
    store.close()


def test_an_old_spreadsheet_format_is_refused_in_chinese_with_what_to_save_it_as(tmp_path):
    old = tmp_path / "members.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 not read")
    zh = CliRunner().invoke(app, ["import", str(old), "--db", str(tmp_path / "a.duckdb")])
    assert zh.exit_code == 3
    assert "无法根据文件名判断格式" in zh.stderr and "CSV UTF-8" in zh.stderr and ".tsv" in zh.stderr and ".xlsx" in zh.stderr
    assert "Cannot tell" not in zh.stderr
    en = CliRunner().invoke(app, ["import", str(old), "--db", str(tmp_path / "b.duckdb"), "--lang", "en"])
    assert en.exit_code == 3 and "save it as .xlsx or as CSV UTF-8" in en.stderr


def test_separators_inside_an_xlsx_header_name_do_not_split_the_columns(tmp_path):
    # the sheet is written as CSV with its header quoted, so 说明;备注;附注 does not make the file look ';'-separated
    from reef.text.records import read_records

    book = _workbook(tmp_path / "members.xlsx", [["member_id", "joined_at", "说明;备注;附注;其他"],
                                                 ["m1", "2025-01-01 08:00", "老车主"]])
    store = open_store(tmp_path / "s.duckdb")
    assert import_paths(store, [book]).imported == 1
    assert json.loads(store.fetch_value("SELECT attrs FROM members")) == {"说明;备注;附注;其他": "老车主"}
    store.close()
    assert read_records(book, column="说明;备注;附注;其他").texts == ["老车主"]
