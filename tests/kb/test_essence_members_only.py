"""The essence list credits members: a brand, staff or bot account's post with lasting engagement is not essence."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from reef.analyses import run_analyses
from tests.conftest import import_rows

T0 = datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=8)))


def ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


def test_brand_staff_and_bot_posts_are_not_essence(tmp_path):
    authors = {"pro": "member", "brand": "brand", "ops": "staff", "robot": "bot"}
    fans = [f"fan{k}" for k in range(6)]
    members = [{"member_id": m, "name": m, "joined_at": ts(-30), "account_type": t} for m, t in authors.items()]
    members += [{"member_id": m, "name": m, "joined_at": ts(-30)} for m in fans]
    content, interactions = [], []
    for k, author in enumerate(authors):
        cid = f"g-{author}"
        content.append({"content_id": cid, "kind": "thread", "author_id": author, "created_at": ts(0),
                        "title": "冬季续航实测", "body": "冬天续航打七折，开热泵能多跑30公里"})
        for j, fan in enumerate(fans):  # the same lasting engagement on each: bookmarks and late likes
            interactions.append({"interaction_id": f"b-{k}-{j}", "kind": "bookmark", "actor_id": fan,
                                 "target_content_id": cid, "created_at": ts(20 + j)})
            interactions.append({"interaction_id": f"l-{k}-{j}", "kind": "like", "actor_id": fan,
                                 "target_content_id": cid, "created_at": ts(40 + j)})
    store = import_rows(tmp_path, {"members": members, "content": content, "interactions": interactions})
    run_analyses(store, as_of=T0 + timedelta(days=90), only=["kb_essence"])
    from reef.kb.views import essence_list

    assert [r["content_id"] for r in essence_list(store, top=10)] == ["g-pro"]
    store.close()
