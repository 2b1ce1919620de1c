"""A tiny hand-made community (4 members, one staff) whose figures are computed by hand in the tests."""
from __future__ import annotations

import json
from pathlib import Path

MEMBERS = [
    {"member_id": "m1", "name": "老王", "joined_at": "2026-01-01T09:00:00+08:00"},
    {"member_id": "m2", "name": "小李", "joined_at": "2026-01-02T09:00:00+08:00"},
    {"member_id": "s1", "name": "官方客服", "joined_at": "2026-01-01T08:00:00+08:00", "account_type": "staff"},
    {"member_id": "m3", "name": "新人", "joined_at": "2026-01-05T10:00:00+08:00"},
]
CONTENT = [
    {"content_id": "c1", "kind": "thread", "author_id": "m1", "created_at": "2026-01-02T10:00:00+08:00", "title": "续航", "body": "冬天续航掉多少"},
    {"content_id": "c2", "kind": "reply", "author_id": "m2", "parent_id": "c1", "created_at": "2026-01-02T11:00:00+08:00", "body": "三成左右"},
    {"content_id": "c3", "kind": "reply", "author_id": "s1", "parent_id": "c1", "created_at": "2026-01-02T12:00:00+08:00", "body": "官方回复"},
    {"content_id": "c4", "kind": "thread", "author_id": "m2", "created_at": "2026-01-04T23:30:00+08:00", "title": "提车", "body": "提车作业"},
    {"content_id": "c5", "kind": "answer", "author_id": "m3", "parent_id": "c4", "created_at": "2026-01-06T10:00:00+08:00", "body": "恭喜"},
]
INTERACTIONS = [
    {"interaction_id": "i1", "kind": "like", "actor_id": "m2", "target_content_id": "c1", "created_at": "2026-01-02T10:30:00+08:00"},
    {"interaction_id": "i2", "kind": "like", "actor_id": "s1", "target_content_id": "c1", "created_at": "2026-01-02T13:00:00+08:00"},
    {"interaction_id": "i3", "kind": "mention", "actor_id": "m1", "target_member_id": "m3", "created_at": "2026-01-05T12:00:00+08:00"},
    {"interaction_id": "i4", "kind": "like", "actor_id": "m1", "target_content_id": "c1", "created_at": "2026-01-03T12:00:00+08:00"},
    {"interaction_id": "i5", "kind": "accept", "actor_id": "m2", "target_content_id": "c5", "created_at": "2026-01-06T12:00:00+08:00"},
]


def write_community(folder: Path) -> list[Path]:
    """Write members/content/interactions JSONL files into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in (("members", MEMBERS), ("content", CONTENT), ("interactions", INTERACTIONS)):
        path = folder / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        paths.append(path)
    return paths


def load_community(store, folder: Path):
    from reef.ingest import import_paths

    return import_paths(store, write_community(folder))
