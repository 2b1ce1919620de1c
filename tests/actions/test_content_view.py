"""content_view: one post with its thread around it, what it received and the team's actions, without a web framework."""
from __future__ import annotations

import pytest

from reef.actions import content_view, record_action
from reef.errors import InvalidParameterError, NotFoundError


@pytest.fixture
def s(store):
    """A thread t1 by m1 in 续航圈; r1 replies to it; r1 gets three replies posted out of insertion order, one of them
    a thank-you by m3 and one deleted; likes on r1 by m2, m3 and its own author; an accept by m1."""
    with store.transaction():
        store.execute("INSERT INTO groups (group_id, name, kind, created_at) VALUES ('g1', '续航圈', 'circle', now())")
        store.execute("INSERT INTO members (member_id, name, joined_at, account_type) VALUES "
                      "('m1', '老王', now(), 'member'), ('m2', '小李 13912345678', now(), 'member'), ('m3', '阿强', now(), 'staff')")
        store.execute("""INSERT INTO content (content_id, kind, author_id, created_at, parent_id, thread_id, group_id, title, body, deleted_at) VALUES
            ('t1', 'thread', 'm1', TIMESTAMPTZ '2026-03-01 08:00+08', NULL, 't1', 'g1', '冬天续航掉多少', '充电桩总是坏', NULL),
            ('r1', 'reply', 'm2', TIMESTAMPTZ '2026-03-01 09:00+08', 't1', 't1', 'g1', NULL, '加我微信 13912345678 聊', NULL),
            ('r4', 'reply', 'm1', TIMESTAMPTZ '2026-03-01 12:00+08', 'r1', 't1', 'g1', NULL, '第三条', NULL),
            ('r2', 'reply', 'm3', TIMESTAMPTZ '2026-03-01 10:00+08', 'r1', 't1', 'g1', NULL, '谢谢分享', NULL),
            ('r3', 'reply', 'm1', TIMESTAMPTZ '2026-03-01 11:00+08', 'r1', 't1', 'g1', NULL, '第二条', NULL),
            ('r5', 'reply', 'm1', TIMESTAMPTZ '2026-03-01 09:30+08', 'r1', 't1', 'g1', NULL, '已删', TIMESTAMPTZ '2026-03-02 08:00+08')""")
        store.execute("""INSERT INTO interactions (interaction_id, kind, actor_id, target_content_id, created_at) VALUES
            ('i1', 'like', 'm1', 'r1', now()), ('i2', 'like', 'm3', 'r1', now()), ('i3', 'like', 'm2', 'r1', now()),
            ('i4', 'accept', 'm1', 'r1', now()), ('i5', 'bookmark', 'm3', 'r1', now())""")
        store.execute("""INSERT INTO content_features (content_id, sentiment, aspects, intents, toxicity) VALUES
            ('r1', -1, [{'aspect': '续航与充电', 'sentiment': -1, 'score': 1.0, 'source': 'lexicon'}], ['complaint'], 0.1),
            ('r2', 1, [], ['thanks'], 0.0)""")
    return store


def test_the_item_in_operator_words_with_its_thread_and_replies_in_time_order(s):
    v = content_view(s, "r1", masked=False, replies=2)
    item = v["item"]
    assert (item["kind_name"], item["author_id"], item["author_name"], item["group_name"]) == ("回复", "m2", "小李 13912345678", "续航圈")
    assert v["thread"]["root"]["content_id"] == "t1" and v["thread"]["parent"]["content_id"] == "t1"
    assert v["thread"]["root"]["title"] == "冬天续航掉多少"
    assert [r["content_id"] for r in v["thread"]["replies"]] == ["r2", "r3"]  # oldest first, capped, deleted r5 left out
    assert v["thread"]["replies_total"] == 3
    assert v["features"]["sentiment_name"] == "负面" and v["features"]["intents"] == [{"intent": "complaint", "name": "投诉抱怨"}]
    assert v["features"]["aspects"][0]["name"] == "续航与充电" and v["features"]["aspects"][0]["sentiment_name"] == "负面"
    # likes by others only (the author's own like is not counted); the staff thank-you reply counts as thanks
    assert v["interactions"] == {"likes": 2, "accepts": 1, "thanks": 1, "replies": 3, "by_kind": {"like": 2, "accept": 1, "bookmark": 1}}


def test_english_words_and_a_first_post_without_context_or_features(s):
    v = content_view(s, "t1", lang="en")
    assert v["item"]["kind_name"] == "thread" and v["thread"]["root"] is None and v["thread"]["parent"] is None
    assert v["features"] is None
    assert content_view(s, "r1", lang="en")["features"]["sentiment_name"] == "negative"
    assert content_view(s, "r1", lang="en")["features"]["aspects"][0]["name"] == "range and charging"
    with pytest.raises(InvalidParameterError):
        content_view(s, "r1", lang="fr")


def test_masked_for_viewers_and_unknown_ids_are_not_found(s):
    v = content_view(s, "r1")  # masked by default
    assert "13912345678" not in v["item"]["body"] and "139****5678" in v["item"]["body"]
    assert "13912345678" not in v["item"]["author_name"]
    assert "13912345678" in content_view(s, "r1", masked=False)["item"]["body"]
    with pytest.raises(NotFoundError):
        content_view(s, "nope")


def test_a_deleted_posts_text_is_withheld_except_for_admins_and_actions_naming_it_are_listed(s):
    gone = content_view(s, "r5", masked=False)["item"]
    assert gone["deleted"] is True and gone["deleted_at"] and gone["title"] is None and gone["body"] is None
    assert content_view(s, "r5", masked=False, show_deleted=True)["item"]["body"]  # an admin can still check it
    record_action(s, "m2", "respond", note="已回电 13912345678", details={"content": "r1"}, by="li")
    actions = content_view(s, "r1")["actions"]
    assert [(a["kind"], a["kind_name"], a["member_id"]) for a in actions] == [("respond", "官方回应", "m2")]
    assert "13912345678" not in actions[0]["note"]


def test_the_docstring_example_holds():
    import doctest

    import reef.actions.content

    result = doctest.testmod(reef.actions.content)
    assert result.attempted > 0 and result.failed == 0
