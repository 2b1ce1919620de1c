"""Integer codes in the canonical tables (reef/store/codes.py): assigned at import, stable across re-imports and
updates, filled for late references, backfilled by migration 0013 exactly as a fresh import fills them, and read
correctly through the as-of macros."""
from __future__ import annotations

from datetime import datetime, timezone

from reef.ingest import import_paths
from reef.store import open_store
from reef.store.codes import CODE_KEYS, CODE_REFS
from tests.conftest import drop_integer_codes
from tests.ingest.ingest_helpers import write_jsonl as _jsonl, write_members_csv as _members


def _content(path, body="怎么充电更快？"):
    return _jsonl(path, [
        {"content_id": "q1", "kind": "thread", "author_id": "u1", "created_at": "2026-01-02 10:00:00+08", "body": body},
        {"content_id": "a1", "kind": "answer", "author_id": "u2", "parent_id": "q1", "created_at": "2026-01-03 10:00:00+08",
         "body": "用快充桩"},
        {"content_id": "a2", "kind": "answer", "author_id": "u3", "parent_id": "q1", "created_at": "2026-01-05 10:00:00+08",
         "body": "晚上充"}])


def _likes(path, rows):
    return _jsonl(path, [{"interaction_id": i, "kind": "like", "actor_id": who, "target_content_id": what,
                          "created_at": at} for i, who, what, at in rows])


def _codes(store):
    """Every row's codes, by id."""
    return {
        "members": dict(store.fetch_all("SELECT member_id, member_code FROM members")),
        "content": {r[0]: r[1:] for r in store.fetch_all("SELECT content_id, content_code, author_code, parent_code FROM content")},
        "interactions": {r[0]: r[1:] for r in store.fetch_all(
            "SELECT interaction_id, actor_code, target_content_code FROM interactions")},
    }


def _references_resolve(store):
    """Each reference code is the code of the row its string id names."""
    for table, ref, code, target in CODE_REFS:
        key, target_code = CODE_KEYS[target]
        bad = store.fetch_value(f"""SELECT count(*) FROM "{table}" t LEFT JOIN "{target}" k ON k."{key}" = t."{ref}"
                                    WHERE t."{code}" IS DISTINCT FROM k."{target_code}" """)
        assert bad == 0, (table, ref)


def test_codes_are_assigned_at_import_and_stay_stable_across_reimports_and_updates(tmp_path):
    store = open_store(tmp_path / "s.duckdb")
    import_paths(store, [_members(tmp_path / "members.csv", "u1", "u2", "u3"), _content(tmp_path / "content.jsonl"),
                         _likes(tmp_path / "interactions.jsonl", [("l1", "u1", "a1", "2026-01-04 10:00:00+08")])])
    before = _codes(store)
    assert sorted(before["members"].values()) == [1, 2, 3]
    assert len(set(c[0] for c in before["content"].values())) == 3
    assert before["content"]["a1"][2] == before["content"]["q1"][0]  # parent_code is the question's code
    assert before["interactions"]["l1"] == (before["members"]["u1"], before["content"]["a1"][0])
    _references_resolve(store)
    # The same files again (duplicates), then the question edited (an update: the row is written again) and a new item.
    import_paths(store, [_members(tmp_path / "members.csv", "u1", "u2", "u3"), _content(tmp_path / "content.jsonl")])
    assert _codes(store) == before
    edited = _content(tmp_path / "content2.jsonl", body="怎么充电更快？（已解决）")
    more = _jsonl(tmp_path / "content3.jsonl", [{"content_id": "a3", "kind": "answer", "author_id": "u1", "parent_id": "q1",
                                           "created_at": "2026-01-06 10:00:00+08", "body": "谢谢"}])
    summary = import_paths(store, [edited, more])
    assert summary.by_entity["content"]["updated"] == 1
    after = _codes(store)
    assert {k: v for k, v in after["content"].items() if k != "a3"} == before["content"]
    assert after["interactions"] == before["interactions"]
    assert after["content"]["a3"][0] not in {c[0] for c in before["content"].values()}
    assert after["content"]["a3"][2] == before["content"]["q1"][0]
    _references_resolve(store)
    store.close()


def test_a_late_target_gets_its_code_when_it_arrives(tmp_path):
    store = open_store(tmp_path / "s.duckdb")
    # A like on an item not imported yet is held; the item's import brings it in, with the item's code.
    import_paths(store, [_members(tmp_path / "members.csv", "u1", "u2", "u3"),
                         _likes(tmp_path / "interactions.jsonl", [("l1", "u2", "q1", "2026-01-04 10:00:00+08")])])
    assert store.fetch_value("SELECT count(*) FROM interactions") == 0
    import_paths(store, [_content(tmp_path / "content.jsonl")])
    assert store.fetch_all("SELECT target_content_code FROM interactions") == \
        store.fetch_all("SELECT content_code FROM content WHERE content_id = 'q1'")
    # A row another tool wrote before its target (no check, no code) gets the code when an import brings the target.
    store.execute("INSERT INTO interactions (interaction_id, kind, actor_id, target_content_id, created_at) "
                  "VALUES ('l2', 'like', 'u1', 'a9', TIMESTAMPTZ '2026-01-08 10:00:00+08')")
    import_paths(store, [_jsonl(tmp_path / "content9.jsonl", [{"content_id": "a9", "kind": "answer", "author_id": "u3",
                                                          "parent_id": "q1", "created_at": "2026-01-07 10:00:00+08"}])])
    assert store.fetch_value("SELECT target_content_code FROM interactions WHERE interaction_id = 'l2'") == \
        store.fetch_value("SELECT content_code FROM content WHERE content_id = 'a9'")
    assert store.fetch_value("SELECT actor_code FROM interactions WHERE interaction_id = 'l2'") == \
        store.fetch_value("SELECT member_code FROM members WHERE member_id = 'u1'")
    _references_resolve(store)
    store.close()


def _dump(store):
    out = {}
    for table in ("members", "content", "interactions", "content_features"):
        cols = [r[0] for r in store.fetch_all(f"SELECT * FROM (DESCRIBE {table})") if r[0] != "ingested_at"]
        out[table] = sorted(map(repr, store.fetch_all(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM {table}')))
    return out


def test_the_migration_backfills_the_codes_a_fresh_import_writes(tmp_path):
    path = tmp_path / "s.duckdb"
    store = open_store(path)
    import_paths(store, [_members(tmp_path / "members.csv", "u1", "u2", "u3"), _content(tmp_path / "content.jsonl"),
                         _likes(tmp_path / "interactions.jsonl", [("l1", "u1", "a1", "2026-01-04 10:00:00+08"),
                                                       ("l2", "u3", "a1", "2026-01-04 11:00:00+08"),
                                                       ("l3", "u2", "q1", "2026-01-04 12:00:00+08")])])
    from reef.text.enrich import enrich_store

    enrich_store(store)  # content_features with the items' codes
    fresh = _dump(store)
    # An older store: no code columns, no record of the migration.
    drop_integer_codes(store)
    store.close()
    store = open_store(path)
    assert _dump(store) == fresh
    assert store.fetch_value("SELECT count(*) FROM content_features WHERE content_code IS NOT NULL") == 3
    _references_resolve(store)
    store.close()


def test_as_of_reads_carry_the_codes_and_join_only_what_existed(tmp_path):
    store = open_store(tmp_path / "s.duckdb")
    import_paths(store, [_members(tmp_path / "members.csv", "u1", "u2", "u3"), _content(tmp_path / "content.jsonl"),
                         _likes(tmp_path / "interactions.jsonl", [("l1", "u1", "a1", "2026-01-04 10:00:00+08"),
                                                       ("l2", "u1", "a2", "2026-01-06 10:00:00+08")])])
    ts = datetime(2026, 1, 4, 12, tzinfo=timezone.utc)
    on_codes = store.fetch_all("""SELECT i.interaction_id, c.content_id FROM interactions_at($ts) i
                                  JOIN content_at($ts) c ON c.content_code = i.target_content_code ORDER BY 1""", {"ts": ts})
    on_ids = store.fetch_all("""SELECT i.interaction_id, c.content_id FROM interactions_at($ts) i
                                JOIN content_at($ts) c ON c.content_id = i.target_content_id ORDER BY 1""", {"ts": ts})
    assert on_codes == on_ids == [("l1", "a1")]
    parents = store.fetch_all("""SELECT c.content_id, p.content_id FROM content_at($ts) c
                                 JOIN content_at($ts) p ON p.content_code = c.parent_code""", {"ts": ts})
    assert parents == [("a1", "q1")]  # a2 did not exist yet
    store.close()


def test_the_ladder_fills_the_codes_of_rows_written_by_other_tools(tmp_path):
    from reef.ladder import compute_ladder

    store = open_store(tmp_path / "s.duckdb")
    import_paths(store, [_members(tmp_path / "members.csv", "u1", "u2", "u3"), _content(tmp_path / "content.jsonl")])
    store.execute("INSERT INTO members (member_id, joined_at) VALUES ('u4', TIMESTAMPTZ '2025-12-01 00:00:00+08')")
    store.execute("INSERT INTO interactions (interaction_id, kind, actor_id, target_content_id, created_at) "
                  "VALUES ('l9', 'like', 'u4', 'a1', TIMESTAMPTZ '2026-01-04 10:00:00+08')")
    compute_ladder(store, datetime(2026, 2, 1, tzinfo=timezone.utc), store.config)
    _references_resolve(store)
    liked = store.fetch_value("SELECT life_wlikes FROM ladder_members WHERE member_id = 'u2'")
    assert liked > 0  # u4's like reached u2's answer through the codes filled before the run
    store.close()
