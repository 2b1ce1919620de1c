"""CSV / TSV reader: encodings, header mapping, record line numbers, quarantine of bad rows."""
from __future__ import annotations

import gzip
import json

import pytest

from ingest_helpers import quarantine
from reef.config import load_config
from reef.errors import NoEntityError
from reef.ingest import import_paths
from reef.store import open_store

MEMBERS_CSV = (
    "Member_ID,JOINED_AT,name,昵称,tags_extra\n"
    "m1,2024-05-01 10:00:00,老王,王哥,\n"
    "m2,2024-06-01T09:30:00+08:00,車友們😀,,x\n"
    "m3,2024-06-01 09:30:00,少一列\n"  # wrong number of fields
    "m4,不是日期,小赵,,\n"  # wrong type
    "m1,2024-05-01 10:00:00,老王,王哥,\n"  # identical duplicate
    "m2,2024-06-01T09:30:00+08:00,改了名字,,x\n"  # different duplicate
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_same_checks_in_every_encoding(store, tmp_path, encoding):
    p = tmp_path / "members.csv"
    p.write_bytes(MEMBERS_CSV.encode(encoding))
    s = import_paths(store, [p]).as_dict()
    assert (s["read"], s["imported"], s["duplicate"], s["quarantined"]) == (6, 2, 1, 3)
    rows = dict(store.fetch_all("SELECT member_id, name FROM members"))
    assert rows == {"m1": "老王", "m2": "車友們😀"}
    assert json.loads(store.fetch_value("SELECT attrs FROM members WHERE member_id = 'm1'")) == {"昵称": "王哥"}
    q = {r["line"]: r for r in quarantine(store, p)}
    assert set(q) == {4, 5, 7}
    assert "wrong number of fields: expected 5, found 3" in q[4]["reason"] and q[4]["raw"].startswith("m3,")
    assert q[5]["field"] == "joined_at"
    assert f"differs from the row at {p}:3" in q[7]["reason"]
    assert store.fetch_value("SELECT encoding FROM import_files") == ("utf-8" if encoding == "utf-8" else encoding)


def test_gbk_file_is_detected(store, tmp_path):
    p = tmp_path / "members.csv"
    p.write_bytes("member_id,joined_at,name,region\nm1,2024-01-01,张伟,广东省深圳市\n".encode("gbk"))
    assert import_paths(store, [p]).imported == 1
    assert store.fetch_all("SELECT name, region FROM members") == [("张伟", "广东省深圳市")]


def test_mis_encoded_line_is_quarantined_with_its_line(store, tmp_path):
    p = tmp_path / "members.csv"
    good = "名字".encode("utf-8")
    p.write_bytes(b"member_id,joined_at,name\nm1,2024-01-01," + good + b"\nm2,2024-01-01," + "坏".encode("gbk")
                  + b"\nm3,2024-01-01," + good + b"\n")
    s = import_paths(store, [p])
    assert (s.imported, s.quarantined) == (2, 1)
    (q,) = quarantine(store, p)
    assert q["line"] == 3 and "mis-encoded" in q["reason"] and q["raw"].startswith("m2,")


def test_a_mis_encoded_line_inside_a_quoted_cell_quarantines_the_whole_record(store, tmp_path):
    p = tmp_path / "members.csv"
    p.write_bytes(b"member_id,joined_at,name\nm0,2025-01-01 08:00,\xe9\x9b\xb6\n"
                  + "m1,2025-01-01 08:00,\"第一行\n".encode("utf-8") + "第二行".encode("gbk") + "\n第三行\"\n".encode("utf-8")
                  + "m2,2025-01-01 08:00,二\n".encode("utf-8"))
    s = import_paths(store, [p])
    assert sorted(r[0] for r in store.fetch_all("SELECT member_id FROM members")) == ["m0", "m2"]  # m1 not stored cut
    q = {r["line"]: r for r in quarantine(store, p)}
    assert set(q) == {3, 4}
    assert "line 4 inside this record" in q[3]["reason"] and q[3]["raw"].startswith("m1,")
    assert s.imported == 2


def test_multiline_record_reports_its_first_physical_line(store, tmp_path):
    p = tmp_path / "content.csv"
    p.write_text(
        "content_id,kind,created_at,body\n"
        't1,thread,2025-01-01 08:00,"第一行\n第二行\n第三行"\n'
        "t2,thread,not-a-date,x\n"
        't3,thread,2025-01-01 08:00,"unclosed\n'
        "t4,thread,2025-01-01 08:00,y\n",
        encoding="utf-8",
    )
    s = import_paths(store, [p])
    assert s.imported == 1
    assert store.fetch_value("SELECT body FROM content") == "第一行\n第二行\n第三行"
    q = {r["line"]: r["reason"] for r in quarantine(store, p)}
    assert "not a valid timestamp" in q[5]
    assert "unclosed quote" in q[6]


def test_tsv_gzip_lists_and_entity_column(store, tmp_path):
    p = tmp_path / "export.tsv.gz"
    text = ("entity\tcontent_id\tkind\tcreated_at\ttags\tboard_name\n"
            "content\tt1\tthread\t2025-01-01 08:00\t改装|音响 | \t影音区\n"
            "content\tt2\tthread\t2025-01-01 09:00\t[\"续航\", \"冬季\"]\t\n"
            "members\tm1\t\t2025-01-01\t\t\n")
    p.write_bytes(gzip.compress(text.encode("utf-8")))
    s = import_paths(store, [p])
    assert (s.imported, s.quarantined) == (2, 1)
    tags = dict(store.fetch_all("SELECT content_id, tags FROM content"))
    assert tags == {"t1": ["改装", "音响"], "t2": ["续航", "冬季"]}
    assert json.loads(store.fetch_value("SELECT attrs FROM content WHERE content_id = 't1'")) == {"board_name": "影音区"}
    assert store.fetch_value("SELECT attrs FROM content WHERE content_id = 't2'") is None
    (q,) = quarantine(store, p)
    assert q["line"] == 4 and "one entity per CSV file" in q["reason"]


def test_entity_argument_overrides_the_file_name(store, tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("member_id,joined_at\nm1,2024-01-01\n", encoding="utf-8")
    with pytest.raises(NoEntityError):  # no entity anywhere: one error for the file
        import_paths(store, [p])
    assert import_paths(store, [p], entity="members").imported == 1


def test_small_batches_keep_line_numbers(tmp_path):
    cfg = load_config().with_overrides({"ingest.batch_rows": 3})
    store = open_store(tmp_path / "s.duckdb", config=cfg)
    p = tmp_path / "members.csv"
    lines = ["member_id,joined_at"] + [f"m{i},2024-01-01" if i != 8 else "m8,nope" for i in range(10)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = import_paths(store, [p])
    assert (s.imported, s.quarantined) == (9, 1)
    assert [q["line"] for q in quarantine(store, p)] == [10]


def test_header_only_file_imports_nothing(store, tmp_path):
    p = tmp_path / "members.csv"
    p.write_text("member_id,joined_at\n", encoding="utf-8")
    s = import_paths(store, [p])
    assert (s.read, s.imported) == (0, 0)
