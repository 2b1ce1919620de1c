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


def test_replies_by_brand_or_staff_accounts_are_marked_official_and_counted(s):
    v = content_view(s, "r1", masked=False)
    assert [(r["content_id"], r["official"]) for r in v["thread"]["replies"]] == [("r2", True), ("r3", False), ("r4", False)]
    assert v["thread"]["official_replies"] == 1 and v["item"]["official"] is False
    s.execute("UPDATE members SET account_type = 'brand' WHERE member_id = 'm1'")
    assert content_view(s, "r1")["thread"]["official_replies"] == 3  # r3 and r4 are by m1, now a brand account
    assert content_view(s, "t1")["item"]["official"] is True


def test_a_post_contradicting_the_official_sheet_names_the_figure_its_source_and_the_risk_alerts(s):
    """The radar's comparison (reef.text.spec_facts) against the sheet in force when the post was written."""
    with s.transaction():
        s.execute("""INSERT INTO official_facts (fact_id, kind, model, attribute, value, unit, valid_from, valid_to, source) VALUES
            ('r-old', 'spec', '澜途S7', 'range_cltc', 620, 'km', TIMESTAMPTZ '2025-01-01 00:00+08', TIMESTAMPTZ '2026-05-01 00:00+08', '澜途官网配置表'),
            ('r-new', 'spec', '澜途S7', 'range_cltc', 450, 'km', TIMESTAMPTZ '2026-05-01 00:00+08', NULL, '澜途OTA公告')""")
        s.execute("""UPDATE content_features SET claims = [{'model': NULL, 'attribute': 'range', 'value': 450.0, 'value_max': NULL,
                     'unit': 'km', 'qualifier': 'CLTC', 'start': 0, 'end': 5, 'evidence': '澜途S7的CLTC续航只有450km，问13912345678'}]
                     WHERE content_id = 'r1'""")
        s.execute("CREATE TABLE risk_alerts (alert_key VARCHAR, family VARCHAR, part VARCHAR, severity VARCHAR, score DOUBLE, subject VARCHAR, "
                  "member_id VARCHAR, content_id VARCHAR, message_zh VARCHAR, message_en VARCHAR, first_seen TIMESTAMPTZ, is_new BOOLEAN)")
        s.execute("INSERT INTO risk_alerts VALUES ('entropy:misinformation:r1', 'entropy', 'misinformation', 'medium', 60, 'r1', 'm2', 'r1', "
                  "'“…13912345678”与官方续航620公里不符', 'contradicts the official range 620 km', now(), true), "
                  "('entropy:misinformation:t1', 'entropy', 'misinformation', 'medium', 60, 't1', 'm1', 't1', '别的帖子', 'another', now(), true)")
    facts = content_view(s, "r1")["facts"]  # posted in March: the 620 km figure was in force then
    [x] = facts["contradictions"]
    assert (x["official"], x["claimed"], x["model"], x["source"]) == ("CLTC续航620公里", "450公里", "澜途S7", "澜途官网配置表")
    assert "13912345678" not in x["evidence"] and "139****5678" in x["evidence"]  # member text, masked for viewers
    assert [(a["alert_key"], a["family"]) for a in facts["risk_alerts"]] == [("entropy:misinformation:r1", "entropy")]
    assert "13912345678" not in facts["risk_alerts"][0]["message"]
    en = content_view(s, "r1", lang="en")["facts"]
    assert en["contradictions"][0]["official"] == "CLTC range 620 km" and en["risk_alerts"][0]["message"].startswith("contradicts")
    # After the new figure came into force the same claim is the official one: a post written then is no rumour.
    s.execute("UPDATE content SET created_at = TIMESTAMPTZ '2026-06-01 09:00+08' WHERE content_id = 'r1'")
    assert content_view(s, "r1")["facts"]["contradictions"] == []
    assert content_view(s, "t1")["facts"]["contradictions"] == []  # no claims
    # Deleted: the alert's message quotes the post's sentence, so it is withheld like the text (admins still read it).
    s.execute("UPDATE content SET deleted_at = TIMESTAMPTZ '2026-06-02 09:00+08' WHERE content_id = 'r1'")
    [gone] = content_view(s, "r1")["facts"]["risk_alerts"]
    assert gone["alert_key"] == "entropy:misinformation:r1" and gone["message"] is None
    [admin] = content_view(s, "r1", masked=False, show_deleted=True)["facts"]["risk_alerts"]
    assert "13912345678" in admin["message"]


def test_the_docstring_example_holds():
    import doctest

    import reef.actions.content

    result = doctest.testmod(reef.actions.content)
    assert result.attempted > 0 and result.failed == 0
