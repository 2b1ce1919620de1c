"""A fresh community's review: staff and brand posts are neither community questions, wave posts nor pins; a question
with replies from other members is never called 无人回答; every kb list, the crisis room's CLI reading and the
quarantine listing mask personal data."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from reef.analyses import run_analyses
from reef.store import open_store
from tests.conftest import import_rows

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))
AS_OF = T0 + timedelta(days=60)


def ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


def rows():
    members = [{"member_id": m, "name": m, "joined_at": ts(-100)} for m in ("ask1", "ask2", "ask3", "ask4", "pro", "fan")]
    members += [{"member_id": "ops", "name": "运营-小曜", "joined_at": ts(-100), "account_type": "staff"},
                {"member_id": "brand", "name": "曜川官方", "joined_at": ts(-100), "account_type": "brand"}]
    content = []

    def c(cid, kind, author, day, **kw):
        content.append({"content_id": cid, "kind": kind, "author_id": author, "created_at": ts(day), **kw})

    # Asked twice; the only reply (by another member) is not read as an answer: replied to, not "nobody answered".
    c("n1", "thread", "ask1", 40, title="车机支持CarPlay吗？", body="请问车机支持CarPlay吗？")
    c("n1r", "reply", "fan", 40.1, parent_id="n1", thread_id="n1", body="新款CVT最大的改善就是油耗了")
    c("n2", "thread", "ask2", 42, title="车机支持CarPlay吗", body="车机支持CarPlay吗")
    # Asked twice, a licence plate in the title, no reply at all.
    c("p1", "thread", "ask3", 44, title="我的车牌沪A12345，年检在哪里办？", body="我的车牌沪A12345，年检在哪里办？")
    c("p2", "thread", "ask4", 45, title="我的车牌沪A12345，年检在哪里办呢？", body="请问我的车牌沪A12345，年检在哪里办呢？")
    # A staff account asks (an FAQ prompt) twice: not a community question.
    c("s1", "thread", "ops", 46, title="冬天续航怎么保持？", body="请问大家冬天续航怎么保持？")
    c("s2", "thread", "ops", 47, title="冬天续航怎么保持呢？", body="冬天续航怎么保持呢？")
    # Factual posts on 续航与充电 before the wave: one by a member, one by the brand (never a pin).
    c("f1", "thread", "pro", 20, title="冬季续航实测", body="冬天续航打七折，CLTC续航600公里实际420公里，开热泵能多跑30公里")
    c("f2", "thread", "brand", 21, title="冬季续航说明", body="冬天续航打七折是正常的，CLTC续航600公里实际可跑420公里，热泵省电30公里")
    # The wave: complaints by members, and one by a staff account.
    for k, who in enumerate(("ask1", "ask2", "ask3")):
        c(f"w{k}", "thread", who, 59 + k / 10, title="冬天续航太差了", body="冬天续航打了五折，太差了，太失望了")
    c("ws", "thread", "ops", 59.5, title="冬天续航太差了", body="冬天续航打了五折，太差了，太失望了")
    return {"members": members, "content": content}


@pytest.fixture(scope="module")
def review_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb_review")
    store = import_rows(folder, rows())
    run_analyses(store, as_of=AS_OF, only=["kb_qa", "kb_gaps", "kb_essence"])
    store.close()
    return folder / "reef.duckdb"


def test_staff_and_brand_questions_are_not_community_questions(review_store):
    from reef.kb.views import qa_list

    store = open_store(review_store, read_only=True)
    ids = {r["question_id"] for r in qa_list(store, top=50)}
    assert {"n1", "n2", "p1", "p2"} <= ids and not ids & {"s1", "s2"}
    store.close()


def test_a_question_with_replies_is_not_called_unanswered_and_gaps_are_masked(review_store):
    from reef.i18n import code_label
    from reef.kb.views import gaps_list

    store = open_store(review_store, read_only=True)
    replies = dict(store.fetch_all("SELECT question_id, replies FROM kb_questions"))
    assert replies["n1"] == 1 and replies["n2"] == 0
    gaps = {g["canonical_id"]: g for g in gaps_list(store, top=50) if g["kind"] == "unanswered"}
    carplay = next(g for g in gaps.values() if "CarPlay" in g["title"])
    assert carplay["label"] == "replied_unanswered" and carplay["answered_share"] == 0
    assert "有回复，尚无公认答案" in carplay["reason"] and code_label("replied_unanswered") == "有回复，尚无公认答案"
    plate = next(g for g in gaps.values() if "年检" in g["title"])
    assert plate["label"] == "unanswered"  # no reply at all: that one is 无人回答
    en = next(g for g in gaps_list(store, top=50, lang="en") if g["kind"] == "unanswered" and "CarPlay" in g["title"])
    assert "replied to" in en["reason"]
    store.close()


def test_gaps_mask_a_plate_in_a_title_as_kb_qa_does(review_store):
    from reef.kb.views import gaps_list, qa_list

    store = open_store(review_store, read_only=True)
    plate = next(g for g in gaps_list(store, top=50) if "年检" in (g["title"] or ""))
    assert "沪A12345" not in plate["title"] and "沪A" in plate["title"]
    assert all("沪A12345" not in r["question"] for r in qa_list(store, top=50))
    store.close()


def test_the_report_says_how_many_questions_have_replies_as_the_ledger_counts_them(review_store):
    from reef.report.capability_sections import qa_section

    store = open_store(review_store, read_only=True)
    text = " ".join(qa_section(store, AS_OF, "zh").paragraphs)
    assert "共 4 个问题，1 个有其他成员回复" in text and "其中 0 个有被认作回答的回复" in text
    store.close()


def test_staff_posts_are_neither_wave_posts_nor_pins(review_store):
    from reef.kb.crisis import load_signals
    from reef.kb.pin import pin_candidates

    store = open_store(review_store, read_only=True)
    neg = load_signals(store, pd.Timestamp(AS_OF))["neg"]
    assert {"w0", "w1", "w2"} <= set(neg["content_id"]) and "ws" not in set(neg["content_id"])
    pins = pin_candidates(store, pd.Timestamp(AS_OF), "续航与充电", before=pd.Timestamp(ts(50)),
                          since=pd.Timestamp("1970-01-01", tz="UTC"))
    assert "f1" in {p["content_id"] for p in pins} and "f2" not in {p["content_id"] for p in pins}
    store.close()


def test_the_crisis_cli_reading_is_masked(monkeypatch, review_store):
    import reef.kb.room as room
    from reef.reads import kb as reads

    seen = {}
    monkeypatch.setattr(room, "crisis_report", lambda *a, **kw: seen.update(kw) or {})
    store = open_store(review_store, read_only=True)
    monkeypatch.setattr(reads, "prepare", lambda *a, **kw: (AS_OF, None, None))
    reads.crisis(store)
    assert seen["masked"] is True
    store.close()


def test_quarantine_rows_mask_the_raw_row_as_the_export_does(tmp_path):
    from reef.report import quarantine_rows

    members = [{"member_id": "m1", "name": "m1", "joined_at": ts(0)}]
    content = [{"content_id": "x1", "kind": "post", "author_id": "m1", "created_at": ts(1), "body": "联系我13812345678"}]
    store = import_rows(tmp_path, {"members": members, "content": content})
    rows = quarantine_rows(store)
    assert rows and "13812345678" not in rows[0]["raw"] and "138****5678" in rows[0]["raw"]
    assert rows[0]["reason_code"] == "unknown_code"
    store.close()
