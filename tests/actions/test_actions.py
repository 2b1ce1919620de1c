"""The actions library: users, actions, audit, masking, views — without any web framework."""
from __future__ import annotations

import json

import pytest

from reef import actions as A
from reef.errors import InvalidParameterError, NotFoundError


@pytest.fixture
def s(store):
    with store.transaction():
        store.execute("INSERT INTO members (member_id, name, joined_at, contact) VALUES "
                      "('m1', '小李 13812345678', now(), 'wx_car_fan_2024')")
    return store


def test_users_passwords_tokens_and_sessions(s):
    pytest.importorskip("argon2")
    A.add_user(s, "li", "operator", password="long-enough-1")
    assert A.authenticate(s, "li", "long-enough-1")["role"] == "operator"
    with pytest.raises(A.AuthenticationError):
        A.authenticate(s, "li", "wrong-password")
    with pytest.raises(A.AuthenticationError):
        A.authenticate(s, "nobody", "long-enough-1")
    with pytest.raises(InvalidParameterError):
        A.add_user(s, "li", "admin", password="long-enough-2")  # taken
    with pytest.raises(InvalidParameterError):
        A.add_user(s, "wang", "superuser", password="long-enough-2")
    token = A.issue_token(s, "li")
    assert A.user_for_token(s, token)["username"] == "li"
    assert token not in str(s.fetch_all("SELECT * FROM api_tokens"))
    sid, csrf = A.create_session(s, "li", hours=1)
    assert A.session_for(s, sid)["csrf_token"] == csrf
    A.end_session(s, sid)
    with pytest.raises(A.AuthenticationError):
        A.session_for(s, sid)


def test_roles_are_ordered():
    assert A.allowed("admin", "viewer") and A.allowed("operator", "operator")
    assert not A.allowed("viewer", "operator") and not A.allowed(None, "viewer") and not A.allowed("root", "viewer")


def test_actions_are_canonical_rows_and_audited(s):
    a = A.record_action(s, "m1", "recognise", note="分享了充电攻略", status="open", by="li", role="operator")
    assert s.fetch_value("SELECT kind FROM operator_actions WHERE action_id = ?", [a["action_id"]]) == "recognise"
    A.update_action(s, a["action_id"], status="done", by="wang")
    assert A.list_actions(s, member_id="m1")["items"][0]["updated_by"] == "wang"
    assert [e["action"] for e in A.audit_entries(s)["items"]] == ["action.update", "action.create"]
    with pytest.raises(NotFoundError):
        A.record_action(s, "ghost", "recognise")
    with pytest.raises(InvalidParameterError):
        A.update_action(s, a["action_id"], status="maybe")


def test_done_and_cancelled_are_final_and_new_actions_start_open_or_done(s):
    done = A.record_action(s, "m1", "recognise", status="done")
    with pytest.raises(InvalidParameterError, match="already done"):
        A.update_action(s, done["action_id"], status="open")
    with pytest.raises(InvalidParameterError, match="already done"):
        A.update_action(s, done["action_id"], status="cancelled")
    assert A.update_action(s, done["action_id"], status="done", note="补记")["note"] == "补记"  # same status: a note edit
    plan = A.record_action(s, "m1", "recognise", status="open")
    A.update_action(s, plan["action_id"], status="cancelled")
    with pytest.raises(InvalidParameterError, match="already cancelled"):
        A.update_action(s, plan["action_id"], status="done")
    with pytest.raises(InvalidParameterError, match="status"):
        A.record_action(s, "m1", "recognise", status="cancelled")


def test_masking_contact_and_text():
    assert A.mask_contact("13812345678") == "138****5678"
    assert "car_fan" not in A.mask_contact("wx_car_fan_2024")
    assert A.mask_text("电话 13812345678 车牌粤B12345") == "电话 138****5678 车牌粤B***45" or \
        "13812345678" not in A.mask_text("电话 13812345678 车牌粤B12345")
    rows = A.mask_rows([{"contact": "13812345678", "name": "小李 13812345678", "n": 1}], ["name"])
    assert rows == [{"contact": "138****5678", "name": "小李 138****5678", "n": 1}]


def test_login_limiter_blocks_after_the_configured_failures():
    limiter = A.LoginLimiter(attempts=2, window=3600)
    limiter.failed("k")
    limiter.check("k")
    limiter.failed("k")
    with pytest.raises(A.RateLimitedError):
        limiter.check("k")
    limiter.check("other")


def test_page_view_masks_and_rejects_unknown_filters(s):
    from reef.analyses import run_analyses

    run_analyses(s, only=["member_summary"])
    page = A.page_view(s, "member_summary")
    assert page["items"][0]["name"] == "小李 138****5678"
    assert A.page_view(s, "member_summary", masked=False)["items"][0]["name"] == "小李 13812345678"
    with pytest.raises(InvalidParameterError):
        A.page_view(s, "member_summary", filters={"password": "x"})
    with pytest.raises(NotFoundError):
        A.page_view(s, "nope")


def test_a_masked_search_matches_what_the_viewer_sees_not_the_hidden_digits(s):
    from reef.analyses import run_analyses

    run_analyses(s, only=["member_summary"])
    # guessing the hidden digits one at a time must not confirm them
    assert A.page_view(s, "member_summary", q="13812345678")["total"] == 0
    assert A.page_view(s, "member_summary", q="1381")["total"] == 0
    assert A.page_view(s, "member_summary", q="138****5678")["total"] == 1  # the masked text is searchable
    assert A.page_view(s, "member_summary", q="小李")["total"] == 1
    assert A.page_view(s, "member_summary", q="13812345678", masked=False)["total"] == 1


def test_a_viewers_member_profile_masks_the_summary_and_the_region(s):
    from reef.analyses import run_analyses

    run_analyses(s, only=["member_summary"])
    mid = s.fetch_value("SELECT member_id FROM members WHERE name LIKE '%13812345678%'")
    s.execute("UPDATE members SET region = '上海 wx:zhang_san_88' WHERE member_id = ?", [mid])
    shown = json.dumps(A.member_profile(s, mid), ensure_ascii=False)
    assert "13812345678" not in shown and "zhang_san_88" not in shown
    assert "zhang_san_88" in json.dumps(A.member_profile(s, mid, masked=False), ensure_ascii=False)


def test_replacing_a_user_ends_their_sessions_and_revokes_their_tokens(s):
    A.add_user(s, "op", "operator", password="a-long-password-1")
    token = A.issue_token(s, "op")
    sid, _ = A.create_session(s, "op", 8)
    assert A.user_for_token(s, token)["role"] == "operator" and A.session_for(s, sid)["username"] == "op"
    done = A.add_user(s, "op", "viewer", password="another-password-2", replace=True)
    assert (done["sessions_ended"], done["tokens_revoked"]) == (1, 1)
    with pytest.raises(A.AuthenticationError):
        A.user_for_token(s, token)
    with pytest.raises(A.AuthenticationError):
        A.session_for(s, sid)


def test_parallel_login_attempts_cannot_all_pass_the_limit():
    import threading

    limiter = A.LoginLimiter(5, 60)
    passed, barrier = [], threading.Barrier(20)

    def guess():
        barrier.wait()
        try:
            limiter.attempt("k")
            passed.append(1)
        except A.RateLimitedError:
            pass

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passed) == 5
    limiter.succeeded("k")
    limiter.attempt("k")  # a success clears the count


def test_attrs_are_masked_by_key_and_by_content():
    import json as _json

    attrs = _json.dumps({"phone": "13812345678", "wechat": "carfan2024", "note": "微信号：carfan2024 车牌粤B12345", "city": "深圳"},
                        ensure_ascii=False)
    masked = _json.loads(A.mask_rows([{"attrs": attrs}])[0]["attrs"])
    assert masked["phone"] == "138****5678" and "carfan2024" not in _json.dumps(masked, ensure_ascii=False)
    assert "粤B12345" not in masked["note"] and masked["city"] == "深圳"


@pytest.mark.parametrize("text, secret", [("加V：abc_123456", "abc_123456"), ("QQ号码：987654321", "987654321"),
                                          ("微信号码：car_fan2024", "car_fan2024"), ("微信ID：car_fan2024", "car_fan2024"),
                                          ("电话１３８１２３４５６７８", "１２３４"), ("138.1234.5678", "1234"), ("粤b12345", "b1234")])
def test_more_written_forms_of_contacts_are_masked(text, secret):
    assert secret not in A.mask_text(text)


def test_completing_a_task_closes_it_without_adding_an_open_one(s):
    task = A.record_action(s, "m1", "assign_task", details={"brief": "发起征集", "due": "2026-07-31"}, by="li")
    done = A.record_action(s, "m1", "complete_task", details={"task": task["action_id"]}, note="征集已发起", by="li")
    assert done["status"] == "done"
    assert A.list_actions(s, status="open")["total"] == 0
    with pytest.raises(InvalidParameterError, match="due"):
        A.record_action(s, "m1", "assign_task", details={"brief": "b", "due": "2026-07-31 maybe later"})
    assert A.record_action(s, "m1", "assign_task", details={"brief": "b", "due": "2026-07-31T18:00:00+08:00"})["due"] == "2026-07-31"


def test_imported_actions_with_an_unknown_status_are_quarantined(tmp_path):
    from tests.conftest import import_rows

    store = import_rows(tmp_path, {"members": [{"member_id": "m1", "joined_at": "2026-01-01T00:00:00+08:00"}],
                                   "operator_actions": [
                                       {"action_id": "x1", "kind": "recognise", "member_id": "m1", "status": "pending",
                                        "operator": "li", "created_at": "2026-02-01T00:00:00+08:00"},
                                       {"action_id": "x2", "kind": "recognise", "member_id": "m1", "status": "done",
                                        "operator": "li", "created_at": "2026-02-01T00:00:00+08:00"}]})
    assert [r[0] for r in store.fetch_all("SELECT action_id FROM operator_actions")] == ["x2"]
    assert "unknown status 'pending'" in store.fetch_value("SELECT reason FROM quarantine")


def test_user_changes_and_tokens_are_audited(s):
    A.add_user(s, "li", "viewer", password="correct horse battery", by="admin")
    A.add_user(s, "li", "operator", password="correct horse battery", replace=True, by="admin")
    A.issue_token(s, "li", by="admin")
    rows = [(e["action"], e["username"], e["target"]) for e in A.audit_entries(s)["items"]]
    assert rows[:3] == [("user.token", "admin", "user:li"), ("user.replace", "admin", "user:li"), ("user.create", "admin", "user:li")]
    replaced = A.audit_entries(s, action="user.replace")["items"][0]
    assert '"previous_role": "viewer"' in replaced["details"] and '"role": "operator"' in replaced["details"]
    assert "correct horse" not in str(A.audit_entries(s)["items"])


def test_an_update_that_changes_nothing_is_not_audited_and_a_note_edit_says_so(s):
    a = A.record_action(s, "m1", "recognise", note="谢谢", status="done", by="li")
    n = A.audit_entries(s)["total"]
    assert A.update_action(s, a["action_id"], status="done", by="li")["status"] == "done"
    assert A.update_action(s, a["action_id"], note="谢谢", by="li")["note"] == "谢谢"
    assert A.audit_entries(s)["total"] == n
    A.update_action(s, a["action_id"], note="谢谢分享", by="li")
    last = A.audit_entries(s)["items"][0]
    assert last["action"] == "action.update" and '"note_changed": true' in last["details"]


def test_a_boost_carries_its_campaign_and_is_recorded_once_a_day_per_member_campaign_and_content(s):
    with s.transaction():
        s.execute("INSERT INTO content (content_id, kind, author_id, created_at, title, body) VALUES "
                  "('c1', 'photo', 'm1', now(), '#周末#', '周末去露营'), ('c2', 'photo', 'm1', now(), '#周末#', '又去了')")
        s.execute("INSERT INTO campaigns (campaign_id, name, started_at) VALUES ('camp-1', '周末征集', now())")
    first = A.record_action(s, "m1", "boost", status="done", details={"content": "c1", "campaign": "camp-1"}, by="li")
    assert first["campaign_id"] == "camp-1" and first["campaign_name"] == "周末征集" and first["content_id"] == "c1"
    assert "already_recorded" not in first
    again = A.record_action(s, "m1", "boost", status="done", details={"content": "c1", "campaign": "camp-1"}, by="li")
    assert again["action_id"] == first["action_id"] and again["already_recorded"] is True
    assert s.fetch_value("SELECT count(*) FROM operator_actions") == 1
    assert [e["action"] for e in A.audit_entries(s)["items"]] == ["action.create"]  # nothing written, nothing audited
    other = A.record_action(s, "m1", "boost", details={"content": "c2", "campaign": "camp-1"})  # another post
    assert other["action_id"] != first["action_id"]
    A.update_action(s, other["action_id"], status="cancelled")
    assert A.record_action(s, "m1", "boost", details={"content": "c2", "campaign": "camp-1"})["action_id"] != other["action_id"]
    # Other kinds are not folded: two recognitions of one post the same day stay two.
    assert A.record_action(s, "m1", "recognise", details={"content": "c1"})["action_id"] != \
        A.record_action(s, "m1", "recognise", details={"content": "c1"})["action_id"]
    for detail, value in (("campaign", "no-such"), ("content", "no-such")):
        with pytest.raises(NotFoundError) as err:
            A.record_action(s, "m1", "boost", details={detail: value})
        assert err.value.where.field == detail and err.value.to_dict()["error"]["where"]["field"] == detail
    with pytest.raises(InvalidParameterError):
        A.record_action(s, "m1", "recognise", details={"campaign": "camp-1"})  # only a boost carries a campaign


def test_dismiss_alert_is_retired_but_imported_rows_keep_their_label(s):
    with pytest.raises(InvalidParameterError) as info:
        A.record_action(s, "m1", "dismiss_alert", note="不用管")
    assert "respond" in (info.value.hint or "")
    assert "dismiss_alert" not in A.OFFERED_KINDS and "respond" in A.OFFERED_KINDS
    assert A.ACTION_KINDS["dismiss_alert"] == ("忽略提醒", "Dismiss an alert")  # imported rows are still listed by name
    assert not s.fetch_value("SELECT count(*) FROM operator_actions")
