"""A copied original is no adequate original on the ladder (near-duplicate MinHash bands), the first one stays one."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from reef.ladder.analysis import compute_ladder
from tests.conftest import import_rows

AS_OF = datetime(2026, 6, 1, 9, tzinfo=timezone.utc)
TEXTS = ["周末带家人自驾去海边，高速巡航空调开着也没有焦虑，分享真实体验和几张照片，充电站排队二十分钟。",
         "第一次去露营，用外放电给电磁炉和投影仪供电，三个小时只用了百分之十二的电量，非常省心。",
         "冬天出发前在APP里打开电池预热，到了充电桩能快很多，我每次都这样做，分享给新车主参考。"]


def _orig_ok(tmp_path, posts) -> dict[str, int]:
    at = lambda days: (AS_OF - timedelta(days=days)).isoformat()  # noqa: E731
    members = [{"member_id": m, "name": m, "joined_at": at(300)} for m in ("first", "copier", "other")]
    content = [{"content_id": cid, "kind": "thread", "author_id": a, "created_at": at(d), "title": "分享", "body": body}
               for cid, (a, d, body) in posts.items()]
    store = import_rows(tmp_path, {"members": members, "content": content})
    from reef.text.enrich import enrich_store

    enrich_store(store)
    compute_ladder(store, AS_OF, store.config)
    out = dict(store.fetch_all("SELECT member_id, life_orig_ok FROM ladder_members"))
    store.close()
    return out


def test_a_copy_of_an_earlier_post_is_not_an_adequate_original(tmp_path):
    got = _orig_ok(tmp_path, {"a1": ("first", 10, TEXTS[0]), "a2": ("first", 9, TEXTS[1]),
                              "c1": ("copier", 5, TEXTS[0]), "c2": ("copier", 4, TEXTS[1] + "！"),  # a near copy
                              "c3": ("copier", 3, TEXTS[2]), "o1": ("other", 2, TEXTS[2][::-1])})
    assert got["first"] == 2  # the originals, written first
    assert got["copier"] == 1  # only c3, its own words: the exact and the near copy do not count
    assert got["other"] == 1  # the same characters in another order are not a copy


def test_without_copies_every_post_counts(tmp_path):
    got = _orig_ok(tmp_path, {"a1": ("first", 10, TEXTS[0]), "c1": ("copier", 5, TEXTS[1]), "c3": ("copier", 3, TEXTS[2])})
    assert got == {"first": 1, "copier": 2, "other": 0}
