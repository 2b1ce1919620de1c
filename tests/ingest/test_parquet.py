"""Parquet reader: typed columns judged by the shared validator, attrs, row numbers, corrupt files."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_helpers import quarantine
from reef.errors import UnreadableFileError
from reef.ingest import import_paths


def _ts(*values):
    # pyarrow reads naive datetimes as UTC; make the wall-clock time Shanghai's explicitly.
    return pa.array([v.replace(tzinfo=ZoneInfo("Asia/Shanghai")) for v in values], pa.timestamp("us", tz="Asia/Shanghai"))


def test_typed_columns_case_insensitive_names_and_attrs(store, tmp_path):
    members = tmp_path / "members.parquet"
    pq.write_table(pa.table({
        "Member_ID": ["m1", "m2"], "JoinedAt_unused": [1, 2], "joined_at": _ts(datetime(2024, 1, 1, 8), datetime(2024, 2, 1, 8)),
        "Name": ["老王", "車友😀"], "level": [3, None], "prefs": pa.array([{"a": 1}, None], pa.struct([("a", pa.int64())])),
    }), members)
    content = tmp_path / "content.parquet"
    pq.write_table(pa.table({
        "content_id": ["t1"], "kind": ["THREAD"], "author_id": ["m1"], "created_at": _ts(datetime(2025, 1, 1, 10)),
        "tags": pa.array([["续航", "冬季"]]), "body": ["<p>你好</p>"],
    }), content)
    s = import_paths(store, [members, content])
    assert (s.imported, s.quarantined) == (3, 0)
    attrs = {m: json.loads(a) for m, a in store.fetch_all("SELECT member_id, attrs FROM members")}
    # attrs is normalised: numbers as text (as a CSV holds them), nested values as JSON
    assert attrs["m1"] == {"JoinedAt_unused": "1", "level": "3", "prefs": {"a": 1}}
    assert attrs["m2"] == {"JoinedAt_unused": "2"}
    row = store.fetch_all("SELECT kind, tags, body, body_html, created_at FROM content")[0]
    assert row[:4] == ("thread", ["续航", "冬季"], "你好", "<p>你好</p>")
    assert row[4].astimezone(timezone.utc) == datetime(2025, 1, 1, 2, tzinfo=timezone.utc)
    assert store.fetch_value("SELECT name FROM members WHERE member_id = 'm2'") == "車友😀"


def test_naive_parquet_timestamps_are_read_in_shanghai(store, tmp_path):
    p = tmp_path / "members.parquet"
    pq.write_table(pa.table({"member_id": ["m1"], "joined_at": pa.array([datetime(2025, 3, 1, 8)], pa.timestamp("us"))}), p)
    import_paths(store, [p])
    got = store.fetch_value("SELECT joined_at FROM members").astimezone(timezone.utc)
    assert got == datetime(2025, 3, 1, 0, tzinfo=timezone.utc)


def test_bad_rows_are_quarantined_with_row_number_plus_one(store, tmp_path):
    p = tmp_path / "members.parquet"
    pq.write_table(pa.table({
        "member_id": ["m1", "m2", None, "m1", "m4"],
        "joined_at": ["2024-01-01", "1970-01-01", "2024-01-01", "2024-01-01", "2024-13-01"],
        "account_type": ["member", "staff", "member", "member", "alien"],
    }), p, row_group_size=2)
    s = import_paths(store, [p])
    assert (s.imported, s.duplicate, s.quarantined) == (1, 1, 3)
    q = {r["line"]: r for r in quarantine(store, p)}
    assert set(q) == {2, 3, 5}
    assert "impossible timestamp" in q[2]["reason"] and "missing required id" in q[3]["reason"]
    assert q[5]["field"] == "joined_at"


def test_entity_column_groups_rows(store, tmp_path):
    p = tmp_path / "export.parquet"
    pq.write_table(pa.table({
        "entity": ["members", "content", "robots", "Member"],
        "member_id": ["m1", None, None, "m2"], "joined_at": ["2024-01-01", None, None, "2024-01-02"],
        "content_id": [None, "t1", None, None], "kind": [None, "thread", None, None],
        "author_id": [None, "m2", None, None], "created_at": [None, "2025-01-01", None, None],
    }), p)
    s = import_paths(store, [p])
    assert (s.imported, s.quarantined) == (3, 1)
    (q,) = quarantine(store, p)
    assert q["line"] == 3 and "unknown entity 'robots'" in q["reason"]
    # The content row's other-entity columns are empty, so they add nothing to attrs.
    assert store.fetch_value("SELECT attrs FROM content") is None


def test_reimport_is_idempotent(store, tmp_path):
    p = tmp_path / "members.parquet"
    pq.write_table(pa.table({"member_id": ["m1", "m2"], "joined_at": ["2024-01-01", "bad"]}), p)
    first, second = import_paths(store, [p]), import_paths(store, [p])
    assert (first.imported, second.imported, second.duplicate) == (1, 0, 1)
    assert store.fetch_value("SELECT count(*) FROM quarantine") == 1


@pytest.mark.parametrize("payload", [b"", b"PAR1", b"not parquet at all" * 100])
def test_corrupt_parquet_is_a_one_line_error(store, tmp_path, payload):
    p = tmp_path / "members.parquet"
    p.write_bytes(payload)
    with pytest.raises(UnreadableFileError) as info:
        import_paths(store, [p])
    assert str(p) in str(info.value) and "\n" not in str(info.value)


def test_truncated_parquet_is_a_one_line_error(store, tmp_path):
    p = tmp_path / "members.parquet"
    pq.write_table(pa.table({"member_id": [f"m{i}" for i in range(1000)], "joined_at": ["2024-01-01"] * 1000}), p)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2] + data[-8:])  # footer length now points at garbage
    with pytest.raises(UnreadableFileError) as info:
        import_paths(store, [p])
    assert str(p) in str(info.value) and "\n" not in str(info.value)
    assert store.fetch_value("SELECT count(*) FROM members") == 0


def test_several_files_of_one_entity_reference_each_other(store, tmp_path):
    pq.write_table(pa.table({"member_id": ["m1"], "joined_at": ["2024-01-01"]}), tmp_path / "members.parquet")
    pq.write_table(pa.table({"content_id": ["a"], "kind": ["thread"], "author_id": ["m1"], "created_at": ["2025-01-01"]}),
                   tmp_path / "content-1.parquet")
    pq.write_table(pa.table({"content_id": ["b", "c"], "kind": ["reply", "reply"], "parent_id": ["a", "zz"],
                             "created_at": ["2025-01-01", "2025-01-01"]}), tmp_path / "content-2.parquet")
    pq.write_table(pa.table({"interaction_id": ["i"], "kind": ["like"], "target_content_id": ["b"], "created_at": ["2025-01-02"]}),
                   tmp_path / "interactions.parquet")
    s = import_paths(store, sorted(tmp_path.glob("*.parquet")))
    assert (s.imported, s.quarantined) == (4, 1)
    (q,) = quarantine(store)
    assert q["file"] == str(tmp_path / "content-2.parquet") and q["line"] == 2 and q["field"] == "parent_id"
    assert store.fetch_value("SELECT thread_id FROM content WHERE content_id = 'b'") == "a"
    assert store.fetch_value("SELECT rows_read FROM import_files WHERE path LIKE '%content-2.parquet'") == 2


def test_whole_number_float_ids_from_pandas_still_reference_their_members(store, tmp_path):
    at = _ts(datetime(2025, 1, 1, 8), datetime(2025, 1, 2, 8), datetime(2025, 1, 3, 8))
    pq.write_table(pa.table({"member_id": pa.array([1, 2, 3]), "joined_at": at}), tmp_path / "members.parquet")
    # an author column with a gap: pandas writes it as float64 (1.0, NaN, 3.0)
    pq.write_table(pa.table({"content_id": ["c1", "c2", "c3"], "kind": ["thread"] * 3,
                             "author_id": pa.array([1.0, None, 3.0], pa.float64()), "created_at": at,
                             "score": pa.array([0.5, 2.0, 7.25], pa.float64())}), tmp_path / "content.parquet")
    s = import_paths(store, [tmp_path / "members.parquet", tmp_path / "content.parquet"])
    assert s.quarantined == 0, quarantine(store)
    assert store.fetch_all("SELECT content_id, author_id FROM content ORDER BY 1") == [("c1", "1"), ("c2", None), ("c3", "3")]
    assert json.loads(store.fetch_value("SELECT attrs FROM content WHERE content_id = 'c3'"))["score"] in ("7.25", 7.25)
