"""`reef import` and `reef text analyze` split a delimited file on the same separator (reef.ingest.delimiter):
semicolon and bar exports from Chinese BI tools import as columns, with the same row checks and quarantine."""
from __future__ import annotations

import json

import pytest

from ingest_helpers import quarantine
from reef.ingest import import_paths
from reef.ingest.delimiter import csv_delimiter
from reef.text.records import read_records

# 用户ID / 注册时间 / 昵称 are the Chinese headers a BI tool writes; 备注 is kept in attrs.
ROWS = [["用户ID", "注册时间", "昵称", "备注"],
        ["m1", "2025-01-01 08:00", "小王", "老车主"],
        ["m2", "2025-01-02 09:00", "小李"],  # one field short: quarantined at line 3
        ["m3", "2025-01-03 10:00", "阿强", ""]]


def _write(path, sep, rows=ROWS, encoding="utf-8"):
    path.write_bytes(("\n".join(sep.join(r) for r in rows) + "\n").encode(encoding))
    return path


@pytest.mark.parametrize("sep,name,encoding", [(";", "members.csv", "utf-8"), ("|", "members.csv", "gb18030"),
                                               ("|", "members.txt", "utf-8"), ("\t", "members.txt", "gb18030")])
def test_semicolon_bar_and_tab_exports_import_as_columns(store, tmp_path, sep, name, encoding):
    p = _write(tmp_path / name, sep, encoding=encoding)
    s = import_paths(store, [p])
    assert (s.imported, s.quarantined) == (2, 1)
    assert store.fetch_all("SELECT member_id, name FROM members ORDER BY 1") == [("m1", "小王"), ("m3", "阿强")]
    assert json.loads(store.fetch_value("SELECT attrs FROM members WHERE member_id = 'm1'")) == {"备注": "老车主"}
    (q,) = quarantine(store, p)  # the file and the line are named, and the raw line kept
    assert q["file"] == str(p) and q["line"] == 3
    assert "wrong number of fields: expected 4, found 3" in q["reason"] and q["raw"] == sep.join(ROWS[2])


def test_a_tab_file_whose_quoted_header_names_hold_commas_is_split_on_tabs(store, tmp_path):
    rows = [["member_id", "joined_at", "name", '"备注,说明,附注"'], ["m1", "2025-01-01 08:00", "小王", "老车主"]]
    p = _write(tmp_path / "members.txt", "\t", rows)
    assert import_paths(store, [p]).imported == 1
    assert json.loads(store.fetch_value("SELECT attrs FROM members")) == {"备注,说明,附注": "老车主"}
    assert read_records(p.rename(tmp_path / "m.csv"), column="name").rows == [
        {"member_id": "m1", "joined_at": "2025-01-01 08:00", "name": "小王", "备注,说明,附注": "老车主"}]


@pytest.mark.parametrize("header", ["member_id;joined_at;name;渠道", "member_id|joined_at|name|渠道",
                                    "member_id\tjoined_at\tname\t渠道,来源", "member_id,joined_at,name,渠道;来源",
                                    'member_id\tjoined_at\tname\t"a,b,c"', "member_id;joined_at;name;渠道|来源"])
def test_import_and_text_analyze_see_the_same_columns(store, tmp_path, header):
    sep = csv_delimiter(header)
    p = tmp_path / "members.csv"
    p.write_text(header + "\n" + sep.join(["m1", "2025-01-01 08:00", "小王", "x"]) + "\n", encoding="utf-8")
    assert import_paths(store, [p]).imported == 1
    attrs = json.loads(store.fetch_value("SELECT attrs FROM members"))
    imported = ["member_id", "joined_at", "name", *attrs]
    assert list(read_records(p, column="name").rows[0]) == imported
    assert len(imported) == 4


@pytest.mark.parametrize("header,name,sep", [("id;text", "a.csv", ";"), ("用户ID|昵称", "a.csv", "|"),
                                             ("id\ttext\t渠道,来源", "a.txt", "\t"), ("id\ttext,备注", "a.txt", ","), ("id,text", "a.tsv.gz", "\t"),
                                             ("id,名称;说明", "a.csv", ","), ('"a;b;c",text', "a.csv", ","),
                                             ("id;a,b;c|d", "a.csv", ";"), ("text", "a.csv", ","), ("", "", ",")])
def test_the_shared_rule(header, name, sep):
    assert csv_delimiter(header, name) == sep


@pytest.mark.parametrize("lead", ["\n", "\r\n\n", "  \n", "\ufeff\n", " \t\n\t\n"])
@pytest.mark.parametrize("sep", [",", ";", "|"])
def test_blank_lines_before_the_header_are_skipped_by_import_as_by_text_analyze(store, tmp_path, lead, sep):
    """`reef text analyze` judged the separator on the first non-blank line, `reef import` on the very first: a file
    starting with a blank line was refused (no entity column) or split on the wrong separator."""
    rows = [["member_id", "joined_at", "name", "备注"], ["m1", "2025-01-01 08:00", "小王", "老车主"],
            ["m2", "2025-01-02 09:00", "小李"]]
    p = tmp_path / "members.csv"
    p.write_bytes((lead + "\n".join(sep.join(r) for r in rows) + "\n").encode("utf-8"))
    s = import_paths(store, [p])
    assert (s.imported, s.quarantined) == (1, 1)
    assert store.fetch_all("SELECT member_id, name FROM members") == [("m1", "小王")]
    assert json.loads(store.fetch_value("SELECT attrs FROM members")) == {"备注": "老车主"}
    (q,) = quarantine(store, p)  # the physical line is still named, blank lines counted
    assert q["line"] == lead.count("\n") + 3
    # text analyze reads the same header (a line of spaces or tabs was its one-column header before header_line)
    assert list(read_records(p, column="name").rows[0]) == ["member_id", "joined_at", "name", "备注"]
