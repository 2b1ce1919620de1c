"""Plain helpers shared by the ingest tests (imported as ingest_helpers)."""
from __future__ import annotations

import json
from pathlib import Path


def write_jsonl(path: Path, rows: list, *, encoding: str = "utf-8") -> Path:
    """Rows are dicts (dumped as JSON) or str/bytes (written verbatim as one line)."""
    out = bytearray()
    for row in rows:
        if isinstance(row, bytes):
            out += row
        elif isinstance(row, str):
            out += row.encode(encoding)
        else:
            out += json.dumps(row, ensure_ascii=False).encode(encoding)
        out += b"\n"
    path.write_bytes(bytes(out))
    return path


def write_members_csv(path: Path, *ids: str, joined: str = "2025-12-01") -> Path:
    """A members CSV with one row per id, all joined on ``joined``."""
    path.write_text("member_id,joined_at\n" + "".join(f"{i},{joined}\n" for i in ids), encoding="utf-8")
    return path


def quarantine(store, file: Path | None = None) -> list[dict]:
    sql = "SELECT file, line, entity, field, reason, raw FROM quarantine"
    if file is None:
        return store.fetch_dicts(sql + " ORDER BY file, line")
    return store.fetch_dicts(sql + " WHERE file = ? ORDER BY line", [str(file)])


MEMBERS = [
    {"entity": "members", "member_id": "m1", "name": "老王", "joined_at": "2024-05-01T10:00:00+08:00"},
    {"entity": "members", "member_id": "m2", "name": "小李", "joined_at": "2024-06-01 09:30:00"},
]
THREAD = {"entity": "content", "content_id": "t1", "kind": "thread", "author_id": "m1",
          "created_at": "2025-01-01 10:00:00", "title": "冬季续航", "body": "冬天续航掉得多吗？"}
