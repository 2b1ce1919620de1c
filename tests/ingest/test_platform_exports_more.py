"""More quirks of Chinese platform exports: 12-hour clocks (上午/下午, AM/PM) and compact 20240305 dates, Excel serial
dates in timestamp cells, ids that differ from a known one by leading zeros or case, and 16+ digit ids Excel rounded."""
from __future__ import annotations

import pytest

from ingest_helpers import quarantine

from reef.ingest.reasons import reason_code, reason_text

SH = "strftime({} AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S')"


def _book(path, rows):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_twelve_hour_and_compact_time_stamps_are_read_and_epochs_still_are(store, imp, tmp_path):
    read = {"a1": ("2024/3/5 上午8:07", "08:07"), "a2": ("2024/3/5 下午8:07", "20:07"), "a3": ("2024/3/5 下午12:30", "12:30"),
            "a4": ("2024/3/5 上午12:30", "00:30"), "a5": ("2024年3月5日 中午12:10", "12:10"), "a6": ("2024/3/5 中午1:10", "13:10"),
            "a7": ("2024/3/5 晚上9:00:30", "21:00:30"), "a8": ("2024/3/5 凌晨2:00", "02:00"), "a9": ("2024-03-05 8:07 PM", "20:07"),
            "b1": ("2024-03-05 8:07 am", "08:07"), "b2": ("20240305", "00:00"), "b3": ("20240305 080700", "08:07"),
            "b4": ("20240305080700", "08:07"), "b5": ("1709597220", "08:07"), "b6": ("1709597220000", "08:07")}
    refused = {"c1": "2024/3/5 晚上3:00", "c2": "2024/3/5 上午13:00", "c3": "2024/3/5 上午8:07 PM", "c4": "20241305",
               "c5": "3/5/2024"}
    f = tmp_path / "members.csv"
    f.write_text("member_id,joined_at\n" + "".join(f"{k},{v}\n" for k, v in {**{k: v for k, (v, _) in read.items()}, **refused}.items()),
                 encoding="utf-8")
    s = imp(f)
    assert (s["imported"], s["quarantined"]) == (len(read), len(refused)), quarantine(store)
    got = dict(store.fetch_all(f"SELECT member_id, {SH.format('joined_at')} FROM members"))
    for k, (_, at) in read.items():
        assert got[k] == "2024-03-05 " + (at if at.count(":") == 2 else at + ":00"), k
    by_value = {r["raw"].split('"joined_at":"')[1].split('"')[0]: r["reason"] for r in quarantine(store)}
    assert set(by_value) == set(refused.values())
    ambiguous = by_value["3/5/2024"]
    assert "2024-03-05（月/日）或 2024-05-03（日/月）" in reason_text(ambiguous)
    assert "ambiguous date: 3/5/2024 is 2024-03-05 (month/day) or 2024-05-03 (day/month); write it as YYYY-MM-DD" in reason_text(ambiguous, "en")


def test_an_excel_serial_date_is_explained_in_csv_and_read_in_a_workbook_timestamp_column(store, imp, tmp_path):
    f = tmp_path / "members.csv"
    f.write_text("member_id,joined_at\nm1,45356.33\n", encoding="utf-8")
    assert imp(f)["quarantined"] == 1  # a number in a CSV may be anything: not converted
    (q,) = quarantine(store)
    assert "Excel serial date (45356.33 is 2024-03-05 07:55)" in reason_text(q["reason"], "en")
    assert "Excel 的日期序列号（45356.33 即 2024-03-05 07:55）" in reason_text(q["reason"])
    (tmp_path / "more").mkdir()
    book = _book(tmp_path / "more" / "members.xlsx",
                 [["用户ID", "注册时间", "昵称"], ["m2", 45356.33, 45356], ["m3", 1709597220, "x"], ["m4", 2024, "y"]])
    s = imp(book)
    assert (s["imported"], s["quarantined"]) == (2, 1), quarantine(store)
    assert store.fetch_all(f"SELECT member_id, {SH.format('joined_at')}, name FROM members ORDER BY 1") == [
        ("m2", "2024-03-05 07:55:12", "45356"), ("m3", "2024-03-05 08:07:00", "x")]  # an epoch in seconds stays one


def test_a_dangling_reference_off_by_leading_zeros_or_case_says_did_you_mean(store, imp, tmp_path):
    members = tmp_path / "members.csv"
    members.write_text("member_id,joined_at\n7,2024-01-01\nP3,2024-01-01\n8,2024-01-01\n08,2024-01-01\n", encoding="utf-8")
    content = tmp_path / "content.csv"
    content.write_text("content_id,kind,author_id,created_at\nx1,thread,007,2024-02-01\nx2,thread,p3,2024-02-01\n"
                       "x3,thread,9,2024-02-01\nx4,thread,008,2024-02-01\n", encoding="utf-8")
    assert imp(members, content)["quarantined"] == 4
    reasons = {r["raw"].split('"author_id":"')[1].split('"')[0]: r["reason"] for r in quarantine(store)}
    assert reasons["007"] == "dangling reference: author_id '007' is not a known member id; did you mean '7'?"
    assert reasons["p3"].endswith("did you mean 'P3'?")
    assert reasons["9"] == reasons["9"].split(";")[0] and reasons["008"].endswith("member id")  # none, or two alike
    assert reason_code(reasons["007"]) == "dangling_reference"
    assert "是否应为 '7'" in reason_text(reasons["007"]) and "leading zeros" in reason_text(reasons["007"], "en")


def test_an_id_excel_rounded_to_a_float_is_refused_not_stored(store, imp, tmp_path):
    f = tmp_path / "members.csv"
    f.write_text("member_id,joined_at\n1.23457E+16,2024-01-01\n7,2024-01-01\n", encoding="utf-8")
    content = tmp_path / "content.csv"
    content.write_text("content_id,kind,author_id,created_at\nx1,thread,1.23457E+16,2024-02-01\n", encoding="utf-8")
    (tmp_path / "x").mkdir()
    book = _book(tmp_path / "x" / "members.xlsx", [["member_id", "joined_at"], [12345678901234567, "2024-01-01"],
                                                    [1234567890123456.0, "2024-01-01"], [123456789012345.0, "2024-01-01"]])
    imp(f, content)
    imp(book)
    assert store.fetch_all("SELECT member_id FROM members ORDER BY 1") == [("123456789012345",), ("7",)]
    q = quarantine(store)
    assert [r["reason"].split(":")[0] for r in q] == ["rounded id"] * 4
    assert {reason_code(r["reason"]) for r in q} == {"rounded_id"}
    assert "文本格式" in reason_text(q[0]["reason"]) and "format the id column as text" in reason_text(q[0]["reason"], "en")
