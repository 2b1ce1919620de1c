"""Five degenerate but legal stores, written as JSONL and imported as an operator would, for the sweeps of
tests/test_degenerate_stores.py: (a) members only, no content; (b) one member, one post, no interactions; (c) two members
whose content and interactions all fall on one day; (d) content only from staff and brand accounts; (e) every post
empty or emoji-only."""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["STORES", "build", "PASSWORD"]

PASSWORD = "correct-horse-电池"
_DAY = "2026-03-10T"


def _m(member_id: str, kind: str = "member", joined: str = "2026-03-01T09:00:00+08:00") -> dict:
    return {"member_id": member_id, "name": f"车主{member_id}", "joined_at": joined, "account_type": kind}


def _c(cid: str, kind: str, author: str, at: str, body: str | None, title: str | None = None, parent: str | None = None) -> dict:
    row = {"content_id": cid, "kind": kind, "author_id": author, "created_at": at}
    row.update({k: v for k, v in (("body", body), ("title", title), ("parent_id", parent)) if v is not None})
    return row


def _i(iid: str, kind: str, actor: str, at: str, content: str | None = None, member: str | None = None) -> dict:
    row = {"interaction_id": iid, "kind": kind, "actor_id": actor, "created_at": at}
    row.update({k: v for k, v in (("target_content_id", content), ("target_member_id", member)) if v is not None})
    return row


def _campaign(seed: str, topic: str, at: str = "2026-03-01T08:00:00+08:00") -> list[dict]:
    return [{"campaign_id": "k1", "name": "征文", "topic": topic, "started_at": at, "seed_member_ids": [seed]}]


STORES: dict[str, dict[str, list[dict]]] = {
    "members_only": {"members": [_m("m1"), _m("m2"), _m("m3")]},
    "one_post": {"members": [_m("m1")], "content": [_c("c1", "thread", "m1", _DAY + "10:00:00+08:00", "冬天续航掉多少？", "续航")],
                 "campaigns": _campaign("m1", "续航")},
    "one_day": {
        "members": [_m("m1", joined=_DAY + "08:00:00+08:00"), _m("m2", joined=_DAY + "08:00:00+08:00")],
        "content": [_c("c1", "thread", "m1", _DAY + "10:00:00+08:00", "冬天续航掉多少？", "续航"),
                    _c("c2", "reply", "m2", _DAY + "11:00:00+08:00", "大概三成左右，开空调更多", parent="c1"),
                    _c("c3", "thread", "m2", _DAY + "12:00:00+08:00", "今天提车了，分享一下", "提车作业"),
                    _c("c4", "answer", "m1", _DAY + "13:00:00+08:00", "恭喜恭喜", parent="c3")],
        "interactions": [_i("i1", "like", "m2", _DAY + "10:30:00+08:00", content="c1"),
                         _i("i2", "like", "m1", _DAY + "12:30:00+08:00", content="c3"),
                         _i("i3", "accept", "m1", _DAY + "14:00:00+08:00", content="c2"),
                         _i("i4", "mention", "m1", _DAY + "15:00:00+08:00", member="m2")],
        "campaigns": _campaign("m1", "续航", _DAY + "08:00:00+08:00")},
    "staff_only": {
        "members": [_m("s1", "staff"), _m("b1", "brand"), _m("m1")],
        "content": [_c("c1", "thread", "s1", "2026-03-02T10:00:00+08:00", "冬季续航保养指南", "官方公告"),
                    _c("c2", "reply", "b1", "2026-03-03T10:00:00+08:00", "欢迎到店检测电池", parent="c1"),
                    _c("c3", "thread", "b1", "2026-03-05T10:00:00+08:00", "新款车型发布会", "新车发布")],
        "interactions": [_i("i1", "like", "s1", "2026-03-05T11:00:00+08:00", content="c3"),
                         _i("i2", "like", "m1", "2026-03-06T11:00:00+08:00", content="c1")],
        "campaigns": _campaign("s1", "续航")},
    "emoji_only": {
        "members": [_m("m1"), _m("m2"), _m("m3")],
        "content": [_c("c1", "thread", "m1", "2026-03-02T10:00:00+08:00", "😀😀😀", "😀😀"),
                    _c("c2", "reply", "m2", "2026-03-02T11:00:00+08:00", "", parent="c1"),
                    _c("c3", "thread", "m2", "2026-03-04T10:00:00+08:00", "👍"),
                    _c("c4", "answer", "m3", "2026-03-05T10:00:00+08:00", "🚗🔋⚡", parent="c3"),
                    _c("c5", "comment", "m1", "2026-03-06T10:00:00+08:00", None, parent="c3")],
        "interactions": [_i("i1", "like", "m2", "2026-03-02T10:30:00+08:00", content="c1"),
                         _i("i2", "accept", "m2", "2026-03-05T12:00:00+08:00", content="c4"),
                         _i("i3", "mention", "m1", "2026-03-06T12:00:00+08:00", member="m3")],
        "campaigns": _campaign("m1", "😀")},
}


def build(folder: Path, name: str) -> tuple[Path, list[dict]]:
    """Import store ``name`` of :data:`STORES` into ``folder/<name>.duckdb`` (files written beside it), run every
    registered analysis and add an ``admin`` user; returns the store's path and the analysis results."""
    from reef.actions import add_user
    from reef.analyses import run_analyses
    from reef.ingest import import_paths
    from reef.store import close_all, open_store

    data = folder / name
    data.mkdir(parents=True, exist_ok=True)
    paths = []
    for entity, rows in STORES[name].items():
        paths.append(data / f"{entity}.jsonl")
        paths[-1].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    path = folder / f"{name}.duckdb"
    store = open_store(path)
    import_paths(store, paths)
    assert store.fetch_all("SELECT count(*) FROM quarantine")[0][0] == 0, name  # legal: every row imported
    results = run_analyses(store).as_dict()["results"]
    add_user(store, "admin", "admin", password=PASSWORD)
    store.checkpoint()
    close_all()
    return path, results
