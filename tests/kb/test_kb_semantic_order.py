"""The community LSA model learns each thread as its posts were written, whatever order the store holds them in."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from reef.kb.hybrid import SearchParams
from reef.kb.search import community_threads
from tests.conftest import import_rows

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))


def _rows(reverse: bool) -> dict:
    members = [{"member_id": m, "name": m, "joined_at": T0.isoformat()} for m in ("a", "b")]
    bodies = ["冬天续航掉多少", "零下十度表显打了七折", "建议提前预热电池", "物业不让装家充怎么办"]
    content = [{"content_id": f"p{k}", "kind": "thread" if k == 0 else "reply", "author_id": "ab"[k % 2],
                "created_at": (T0 + timedelta(hours=1 + k)).isoformat(), "body": body,
                **({"parent_id": "p0"} if k else {"title": "续航"})} for k, body in enumerate(bodies)]
    return {"members": members, "content": content[::-1] if reverse else content}


def test_a_thread_reads_in_the_order_written_whatever_the_stored_order(tmp_path):
    as_of = T0 + timedelta(days=1)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    written = community_threads(import_rows(tmp_path / "a", _rows(reverse=False)), SearchParams(), as_of)
    stored_backwards = community_threads(import_rows(tmp_path / "b", _rows(reverse=True)), SearchParams(), as_of)
    assert len(written) == 1
    # before, string_agg took the posts in the stored order: the same thread gave another document, and the model
    # trained on it differed with the table's layout (a store cut at a past date gave another model than the full one)
    assert stored_backwards == written
    assert written[0].index("冬天") < written[0].index("预热")
