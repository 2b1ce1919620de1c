"""The 成长阶梯, 成员, 成员档案 and 网络 pages as QA read them: per-stage and cumulative counts labelled apart, who each
member count includes, median days that only count members joined after the data starts, ladder flags marked next
to members (with what they mean), the profile's ladder stage, evidence and timeline, and the recognition text."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from surface_fixtures import PASSWORD, client_on, post_login

pytest.importorskip("fastapi")


def _login(client, role="operator"):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def _read(app, fn):
    handle = app.state.pool.acquire()
    try:
        return fn(handle)
    finally:
        app.state.pool.release(handle)


def _rows(html: str, table: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table}"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@pytest.fixture
def flagged(db_path):
    """The shared store with the alert's member and the boost list's first member flagged as a like ring."""
    from reef.server import create_app
    from reef.store import close_all, open_store

    store = open_store(db_path)
    alert = store.fetch_value("SELECT member_id FROM ladder_alerts ORDER BY rank LIMIT 1")
    boost = store.fetch_value("SELECT member_id FROM network_boost ORDER BY engagement DESC, ring, member_id LIMIT 1")
    assert alert and boost, "the shared store has an alert and a boost list"
    with store.transaction():
        for m, partner in ((alert, boost), (boost, alert)):
            store.execute("UPDATE ladder_members SET flags = ['like_ring'] WHERE member_id = ?", [m])
            store.execute("INSERT INTO ladder_like_flags (member_id, flag, partners, partner_ids, likes, content_id, as_of) "
                          "SELECT ?, 'like_ring', 1, [?], 4, NULL, max(as_of) FROM ladder_members", [m, partner])
    store.checkpoint()
    close_all()
    app = create_app(db_path)
    yield app, alert, boost
    app.state.jobs.shutdown()


def test_ladder_funnel_labels_per_stage_and_cumulative_counts_and_says_who_it_counts(client, app):
    from reef.ladder import headcount, ladder_funnel

    _login(client, "viewer")
    html = client.get("/ladder").text
    assert '<th scope="col">当前在此阶段</th>' in html and '<th scope="col">达到此阶段及以上</th>' in html
    rows = _rows(html, "funnel")
    at, above = [int(r[1]) for r in rows], [int(r[3]) for r in rows]
    assert above == [sum(at[i:]) for i in range(len(at))]  # the chart's series, now in the table with its own label
    n = _read(app, headcount)
    assert n["ordinary"] == sum(at) and n["total"] == n["ordinary"] + n["left"] + n["staff"] + n["later"]
    assert (f"当前在群的普通成员 {n['ordinary']} 人 = 累计加入 {n['total']} 人 − 已退出 {n['left']} 人"
            f" − 官方/员工账号 {n['staff']} 个") in html
    basis = _read(app, ladder_funnel)["median_basis"]
    assert f"数据开始（{basis['since_at']}，最早的内容或互动）当时或之后加入的 {basis['members']} 名成员" in html
    assert "回溯期内" not in html  # the old note, which the old statistic did not keep
    en = client.get("/ladder?lang=en").text
    assert '<th scope="col">Now at this stage</th>' in en and '<th scope="col">At this stage or above</th>' in en
    assert f"Counted: {n['ordinary']} ordinary members" in en and f"only the {basis['members']} members who joined at or after the moment the data starts ({basis['since_at']}" in en


def test_members_list_says_what_it_counts(client, app):
    from reef.ladder import headcount

    _login(client, "viewer")
    html = client.get("/members").text
    n = _read(app, lambda s: headcount(s, of="member_summary"))
    listed = _read(app, lambda s: s.fetch_value("SELECT count(*) FROM member_summary"))
    assert n["present"] == listed and f"共 {listed} 条" in html
    assert (f"列表共 {listed} 人 = 累计加入 {n['total']} 人 − 已退出 {n['left']} 人；其中含官方/员工账号 {n['staff']} 个"
            f"（成长阶梯和报告的成员数不含这 {n['staff']} 个，为 {n['ordinary']} 人）") in html
    assert f"The list holds {listed} people" in client.get("/members?lang=en").text


def test_flagged_members_are_marked_on_the_ladder_network_and_profile(flagged):
    from fastapi.testclient import TestClient

    app, alert, boost = flagged
    with TestClient(app) as client:
        _login(client, "viewer")
        ladder = client.get("/ladder").text
        marker = re.search(rf'<a href="/members/{alert}">{alert}</a> <span class="flag" data-flag="like_ring" title="([^"]+)">⚑ 互赞圈</span>',
                           ladder)
        assert marker and "互赞圈" in marker.group(1) and "降权" in marker.group(1)
        assert "⚑ 标记" in ladder  # the legend
        network = client.get("/network").text
        assert re.search(rf'<a href="/members/{boost}">{boost}</a> <span class="flag" data-flag="like_ring"', network)
        profile = client.get(f"/members/{boost}").text
        assert '<span class="flag" data-flag="like_ring"' in profile.split("</h1>")[0]
        note = re.search(r'<p class="flag-note" data-flag="like_ring">(.*?)</p>', profile, re.S).group(1)
        assert "互赞圈" in note and alert in note and "0.1" in note and "核实" in note
        en = client.get(f"/members/{boost}?lang=en").text
        assert "like ring" in en and "counts 0.1" in en


def test_member_profile_shows_stage_evidence_and_stage_timeline(client, app):
    member, stage, evidence = _read(app, lambda s: s.fetch_all(
        "SELECT m.member_id, m.stage_name, m.evidence_zh FROM ladder_members m WHERE stage > 0 AND EXISTS "
        "(SELECT 1 FROM ladder_events e WHERE e.member_id = m.member_id AND e.event = 'promote') ORDER BY rank LIMIT 1")[0])
    _login(client, "viewer")
    html = client.get(f"/members/{member}").text
    assert re.search(rf'<dd id="member-stage">\d {stage}', html)
    assert htmllib.escape(evidence, quote=False) in html
    timeline = _rows(html, "member-timeline")
    assert any(re.match(r"阶段 \d → \d：升为", r[1]) for r in timeline)
    staff = _read(app, lambda s: s.fetch_value("SELECT member_id FROM members WHERE account_type IN ('staff', 'brand') LIMIT 1"))
    assert "官方/员工账号不参与阶梯" in client.get(f"/members/{staff}").text


def test_the_recognition_text_is_on_the_profile_masked_for_viewers(client, app):
    member = _read(app, lambda s: s.fetch_value("SELECT member_id FROM ladder_members ORDER BY rank LIMIT 1"))
    _login(client, "operator")
    page = client.get(f"/members/{member}").text
    r = client.post(f"/members/{member}/actions", data={"kind": "recognise", "status": "done", "note": "本周之星",
                                                        "text": "感谢分享！领奖请加 13812345678", "csrf_token": _csrf(page)},
                    follow_redirects=False)
    assert r.status_code == 303
    html = client.get(f"/members/{member}").text
    assert "表彰文案：感谢分享！领奖请加 13812345678" in html
    _login(client, "viewer")
    html = client.get(f"/members/{member}").text
    assert "表彰文案：感谢分享！领奖请加 138****5678" in html and "13812345678" not in html


def test_kb_page_names_gaps_by_their_label_titles_topics_in_english_and_explains_the_score(client, app):
    rows = _read(app, lambda s: s.fetch_dicts("SELECT kind, label, title, title_en FROM kb_gaps ORDER BY rank"))
    topic = ("stale", "topic_unanswered")  # a topic row: stale, or with no answer at all (kind stale before kb_gaps 7)
    assert any(r["label"] in topic for r in rows), "the shared store has a topic gap"
    _login(client, "viewer")
    zh, en = client.get("/kb").text, client.get("/kb?lang=en").text
    from reef.i18n import code_label

    gap_rows = _rows(zh, "kb-gaps")
    assert [r[2] for r in gap_rows] == [code_label(r["label"]) for r in rows[:len(gap_rows)]]
    en_titles = [r[1] for r in _rows(en, "kb-gaps")]
    for r, shown in zip(rows, en_titles):
        if r["label"] in topic:  # a generated topic name, not a member's words
            assert shown == r["title_en"] and not re.search(r"[\u4e00-\u9fff]{2} · ", shown)
    assert "<h2>问答：每个问题得分最高的回答</h2>" in zh and "最佳回答</h2>" not in zh
    assert 'id="kb-score-note"' in zh and "对数几率" in zh and "log-odds" in en


def test_a_negative_scoring_top_answer_is_marked_weak_not_best(db_path):
    from reef.store import open_store

    store = open_store(db_path)
    qid = store.fetch_value("SELECT question_id FROM kb_questions WHERE best_answer_id IS NOT NULL "
                            "ORDER BY created_at DESC, question_id LIMIT 1")  # first row of the first page
    store.execute("UPDATE kb_questions SET best_score = -2.0, best_accepted = false WHERE question_id = ?", [qid])
    store.checkpoint()
    with client_on(db_path) as client:
        _login(client, "viewer")
        first = _rows(client.get("/kb").text, "kb-best")[0]
        assert first[3] == "-2.0" and first[1].endswith("（质量偏低：只是目前得分最高，还算不上好回答）")
        assert _rows(client.get("/kb?lang=en").text, "kb-best")[0][1].endswith("(weak: only the top score so far, not a good answer)")
