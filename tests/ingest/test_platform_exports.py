"""Quirks of exports from Chinese platforms: full-width digits in ids, ids written as floats (7.0), time stamps in
年月日 时分秒 form or with a space before the offset, and Excel workbooks whose data is not the first sheet's first row."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from ingest_helpers import quarantine, write_jsonl

SH = "strftime({} AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S')"


def test_full_width_and_float_written_ids_name_the_same_member(store, imp, tmp_path):
    members = tmp_path / "members.csv"
    members.write_text("member_id,joined_at\n8,2024-01-01\n７,2024-01-01\n", encoding="utf-8")
    content = tmp_path / "content.csv"
    content.write_text("content_id,kind,author_id,created_at\np1,thread,８,2024-02-01\np2,thread,7.0,2024-02-01\n"
                       "ｐ３,thread,8,2024-02-01\n", encoding="utf-8")
    inter = write_jsonl(tmp_path / "interactions.jsonl", [
        {"interaction_id": 1.0, "kind": "like", "actor_id": 7.0, "target_content_id": "p1", "created_at": "2024-02-02"}])
    s = imp(members, content, inter)
    assert s["quarantined"] == 0, quarantine(store)
    assert store.fetch_all("SELECT member_id FROM members ORDER BY 1") == [("7",), ("8",)]
    assert store.fetch_all("SELECT content_id, author_id FROM content ORDER BY 1") == [("p1", "8"), ("p2", "7"), ("p3", "8")]
    assert store.fetch_all("SELECT interaction_id, actor_id FROM interactions") == [("1", "7")]
    # a float-written id is the integer id only when whole; other text ids are left as they are
    again = tmp_path / "more" / "members.csv"
    again.parent.mkdir()
    again.write_text("member_id,joined_at\n7.5,2024-01-01\n0 07,2024-01-01\nv1.0.2,2024-01-01\n", encoding="utf-8")
    imp(again)
    assert store.fetch_all("SELECT member_id FROM members ORDER BY 1") == [("0 07",), ("7",), ("7.5",), ("8",), ("v1.0.2",)]


def test_chinese_and_spaced_offset_time_stamps_are_read_at_the_right_hour(store, imp, tmp_path):
    f = tmp_path / "members.csv"
    f.write_text("member_id,joined_at\nb1,2024-03-05 08:07:00 +0800\nb2,2024-03-05 00:07:00 +00:00\n"
                 "b3,2024年03月05日 08时07分\nb4,2024年3月5日 8时7分0秒\nb5,2024-03-05 08:07:00 +2500\n", encoding="utf-8")
    s = imp(f)
    assert (s["imported"], s["quarantined"]) == (4, 1)
    assert set(store.fetch_all(f"SELECT {SH.format('joined_at')} FROM members")) == {("2024-03-05 08:07:00",)}
    assert quarantine(store)[0]["reason"].startswith("not a valid timestamp: '2024-03-05 08:07:00 +2500'")


def _book(path, sheets, *, merge=(), formats=()):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for k, (title, rows) in enumerate(sheets):
        sheet = book.active if k == 0 else book.create_sheet()
        sheet.title = title
        for row in rows:
            sheet.append(row)
    for cells in merge:
        book.worksheets[-1].merge_cells(cells)
    for cell, fmt in formats:
        book.worksheets[-1][cell].number_format = fmt
    book.save(path)
    return path


def test_a_workbook_whose_data_is_below_a_title_on_its_second_sheet_is_read_with_excel_row_numbers(store, imp, tmp_path):
    book = _book(tmp_path / "members.xlsx", [
        ("说明", [["本表由社区后台导出"], ["导出时间：2024-03-06"]]),
        ("会员", [["会员列表（2024年3月）", None, None], [None, None, None], ["用户ID", "注册时间", "昵称"],
                  ["m1", datetime(2024, 3, 5, 8, 7), "老王"], [None, None, None], ["m2", "昨天", "小李"]])],
        merge=["A1:C1"])
    s = imp(book)
    assert (s["imported"], s["quarantined"]) == (1, 1)
    assert store.fetch_all(f"SELECT member_id, {SH.format('joined_at')} FROM members") == [("m1", "2024-03-05 08:07:00")]
    q = quarantine(store)
    assert (q[0]["file"], q[0]["line"], q[0]["field"]) == (str(book), 6, "joined_at")  # row 6 of the sheet 会员
    assert s["warnings"] == []  # the notes sheet holds no id column, and no row of it is data


def test_a_second_sheet_of_data_is_said_not_silently_dropped(store, imp, tmp_path):
    book = _book(tmp_path / "members.xlsx", [("一月", [["用户ID", "注册时间"], ["m1", "2024-01-05"]]),
                                             ("二月", [["用户ID", "注册时间"], ["m2", "2024-02-05"]])])
    s = imp(book)
    assert s["imported"] == 1
    (w,) = s["warnings"]
    assert (w["code"], w["file"], w["sheets"]) == ("sheets_not_read", str(book), ["二月"])
    assert "二月" in w["message_zh"] and "一月" in w["message_zh"]


def test_an_empty_first_sheet_is_passed_over_and_zero_padded_ids_keep_their_zeros(store, imp, tmp_path):
    book = _book(tmp_path / "members.xlsx", [("Sheet1", []), ("data", [["member_id", "joined_at"], [7, "2024-01-05"]])],
                 formats=[("A2", "000")])
    content = tmp_path / "content.csv"
    content.write_text("content_id,kind,author_id,created_at\np1,thread,007,2024-02-01\n", encoding="utf-8")
    s = imp(book, content)
    assert s["quarantined"] == 0, quarantine(store)
    assert store.fetch_all("SELECT member_id FROM members") == [("007",)]  # as Excel shows the cell
