"""Rows held for a dangling reference are tried again when an import brings what they refer to (reef.ingest.held)."""
from __future__ import annotations

import json

from reef.ingest import import_paths
from reef.store import open_store
from ingest_helpers import write_jsonl as _jsonl, write_members_csv as _members


def _held(store):
    return store.fetch_all("SELECT import_id, file, entity, reason FROM quarantine ORDER BY file, line")


def test_a_members_import_brings_the_held_thread_and_its_held_reply(tmp_path):
    store = open_store(tmp_path / "s.duckdb")
    content = _jsonl(tmp_path / "content.jsonl", [
        {"content_id": "t1", "kind": "thread", "author_id": "u9", "created_at": "2026-01-02 10:00:00+08", "body": "新人报到",
         "attrs": {"src": "wx"}},
        {"content_id": "t1r1", "kind": "reply", "author_id": "u1", "parent_id": "t1", "created_at": "2026-01-02 11:00:00+08",
         "body": "欢迎"}])
    first = import_paths(store, [_members(tmp_path / "members.csv", "u1"), content])
    assert first.quarantined == 2 and len(_held(store)) == 2  # the thread (no author) and its reply (no parent)
    second = import_paths(store, [_members(tmp_path / "members-extra.csv", "u9")])
    assert _held(store) == []
    assert second.by_entity["content"]["imported"] == 2 and second.quarantined == 0
    assert [w["code"] for w in second.warnings] == ["held_rows_retried"]
    row = store.fetch_all("SELECT author_id, CAST(attrs AS VARCHAR), epoch(created_at) FROM content WHERE content_id = 't1'")[0]
    assert row[0] == "u9" and json.loads(row[1]) == {"src": "wx"} and row[2] == 1767319200  # 02:00 UTC, as imported
    assert store.fetch_value("SELECT thread_id FROM content WHERE content_id = 't1r1'") == "t1"
    store.close()


def test_rows_still_missing_something_stay_held_once_and_others_are_left_alone(tmp_path):
    store = open_store(tmp_path / "s.duckdb")
    content = _jsonl(tmp_path / "content.jsonl", [
        {"content_id": "a", "kind": "thread", "author_id": "u8", "created_at": "2026-01-02 10:00:00+08", "body": "甲"},
        {"content_id": "b", "kind": "thread", "author_id": "u1", "campaign_id": "c404", "created_at": "2026-01-02 10:00:00+08",
         "body": "乙"}])
    import_paths(store, [_members(tmp_path / "members.csv", "u1"), content])
    (campaign,) = [r for r in _held(store) if "campaign" in r[3]]
    for n in range(2):  # members arrive twice, never u8: its row is tried again and held again, one record of it
        import_paths(store, [_members(tmp_path / f"members-{n}.csv", f"u{20 + n}")])
        held = _held(store)
        assert len(held) == 2
        assert campaign in held  # held for a campaign: a members import does not touch it
        (author,) = [r for r in held if "author_id" in r[3]]
        assert author[1] == f"{content} (held rows)" and author[0] == 2 + n
    import_paths(store, [content])  # the file itself again: its held-rows record is settled, one record per row
    assert sorted(r[3].split(":")[1].split()[0] for r in _held(store)) == ["author_id", "campaign_id"]
    assert {r[1] for r in _held(store)} == {str(content)}
    store.close()
