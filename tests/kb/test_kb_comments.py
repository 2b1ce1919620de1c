"""A comment below a question is no answer in the knowledge reef (kb_qa 5), as in the help ledger and the ladder: on
Stack Exchange a comment asks for details, the answers are their own kind; in the simulator a comment is a short
remark. A forum reply (回帖, kind ``reply``) the text layer reads as an answer still is one."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.analyses import run_analyses
from reef.store import open_store
from tests.conftest import import_rows

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))
AS_OF = T0 + timedelta(days=30)
# The text layer reads this as an answer (intent ``answer``), whatever the item's kind.
ADVICE = "建议你去4S店检查一下，一般是12V电瓶亏电，换一个就好了"


def ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


def rows():
    members = [{"member_id": m, "name": m, "joined_at": ts(-100)} for m in ("ask1", "ask2", "ask3", "pro", "fan")]
    content = []

    def c(cid, kind, author, day, **kw):
        content.append({"content_id": cid, "kind": kind, "author_id": author, "created_at": ts(day), **kw})

    # A comment that reads as an answer comes first; a forum reply that reads as one comes later.
    c("q1", "thread", "ask1", 1, title="车子早上打不着火怎么办？", body="请问车子早上打不着火怎么办？")
    c("q1c", "comment", "pro", 1.05, parent_id="q1", thread_id="q1", body=ADVICE)
    c("q1r", "reply", "fan", 1.5, parent_id="q1", thread_id="q1", body=ADVICE)
    # Asked twice; the only words below them by others are comments that read as answers.
    c("q2", "thread", "ask2", 5, title="天窗异响怎么处理？", body="请问天窗异响怎么处理？")
    c("q2c", "comment", "pro", 5.1, parent_id="q2", thread_id="q2", body=ADVICE)
    c("q3", "thread", "ask3", 6, title="天窗异响怎么处理？", body="请问天窗异响怎么处理呢？")
    c("q3c", "comment", "fan", 6.1, parent_id="q3", thread_id="q3", body=ADVICE)
    return {"members": members, "content": content}


@pytest.fixture(scope="module")
def comment_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb_comments")
    store = import_rows(folder, rows())
    run_analyses(store, as_of=AS_OF, only=["kb_qa", "kb_gaps", "kb_search"])
    # the premise: the text layer reads the comments and the reply alike as answers
    intents = dict(store.fetch_all("SELECT content_id, intents FROM content_features WHERE content_id IN ('q1c', 'q1r', 'q2c')"))
    assert all("answer" in intents[k] for k in ("q1c", "q1r", "q2c")), intents
    store.close()
    return folder / "reef.duckdb"


def test_a_comment_reading_as_an_answer_is_no_answer_and_a_reply_is(comment_store):
    store = open_store(comment_store, read_only=True)
    assert {r[0] for r in store.fetch_all("SELECT answer_id FROM kb_answers")} == {"q1r"}
    q = {r["question_id"]: r for r in store.fetch_dicts(
        "SELECT question_id, answers, replies, answered, best_answer_id, best_answerer_id FROM kb_questions")}
    assert (q["q1"]["answers"], q["q1"]["replies"], q["q1"]["best_answer_id"], q["q1"]["best_answerer_id"]) == (1, 1, "q1r", "fan")
    # the reply arrived second, yet it is the first answer: the comment before it is no arrival
    assert store.fetch_value("SELECT \"first\" FROM kb_answers WHERE answer_id = 'q1r'") == 1.0
    for k in ("q2", "q3"):
        assert (q[k]["answers"], q[k]["replies"], q[k]["answered"], q[k]["best_answer_id"]) == (0, 0, False, None)
    store.close()


def test_questions_with_only_comments_are_unanswered_everywhere(comment_store):
    from reef.kb.search import ask
    from reef.kb.views import gaps_list, qa_list

    store = open_store(comment_store, read_only=True)
    unanswered = {r["question_id"] for r in qa_list(store, top=50, unanswered=True)}
    assert unanswered == {"q2", "q3"}
    gap = next(g for g in gaps_list(store, top=50) if g["kind"] == "unanswered" and "天窗" in g["title"])
    # nobody replied: the comments are neither answers nor replies
    assert gap["label"] == "unanswered" and gap["answered_share"] == 0
    hits = ask(store, "天窗异响", top=5)
    assert hits and all(h["answer"] is None for h in hits if "天窗" in h["question"])
    store.close()
