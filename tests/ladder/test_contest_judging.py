"""Contest judging as an operator reads it (QA of reef contest): engagement counts only the likes of the exposure
window, each part's points add up to the score, equal scores share a rank, the excerpt tells entries apart when
every title is the call's hashtag, the judged count is given, and an unknown campaign is said in Chinese too."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.errors import NotFoundError
from reef.ingest import import_paths
from reef.ladder.contest import contest_scores
from reef.store import open_store

T0 = datetime(2026, 3, 1, tzinfo=timezone.utc)


def _store(tmp_path, content, interactions=(), likers=0):
    members = [{"member_id": m, "name": m, "joined_at": (T0 - timedelta(days=300)).isoformat()}
               for m in ("a", "b", "c", *(f"f{i}" for i in range(likers)))]
    rows = {"members": members, "campaigns": [{"campaign_id": "call", "name": "晒出你的自驾游照片", "started_at": T0.isoformat()}],
            "content": [{"kind": "thread", "campaign_id": "call", "title": "#自驾游#", **c} for c in content],
            "interactions": list(interactions)}
    paths = []
    for name, rs in rows.items():
        if rs:
            (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rs), encoding="utf-8")
            paths.append(tmp_path / f"{name}.jsonl")
    store = open_store(tmp_path / "c.duckdb")
    import_paths(store, paths)
    return store


def _at(days):
    return (T0 + timedelta(days=days)).isoformat()


def test_late_likes_do_not_lift_an_early_entry(tmp_path):
    """An entry posted on day 1 collects 12 likes in days 12-23, after its first week; one posted on day 23 gets 4 in
    its first week. The old engagement counted every like up to as_of but divided by at most 7 days online, so the
    early entry ranked first on likes that came weeks later (engagement 0.507 against 0.255)."""
    body = "周末带家人去海边自驾，三百公里开了四个小时，续航稳定。"
    likes = [{"interaction_id": f"e{i}", "kind": "like", "actor_id": f"f{i}", "target_content_id": "early",
              "created_at": _at(12 + i)} for i in range(12)]
    likes += [{"interaction_id": f"l{i}", "kind": "like", "actor_id": f"f{i}", "target_content_id": "late",
               "created_at": _at(24 + i)} for i in range(4)]
    store = _store(tmp_path, [{"content_id": "early", "author_id": "a", "body": body, "created_at": _at(1)},
                              {"content_id": "late", "author_id": "b", "body": body.replace("海边", "山里"), "created_at": _at(23)}],
                   likes, likers=12)
    got = {e["content_id"]: e for e in contest_scores(store, "call", as_of=T0 + timedelta(days=30))["entries"]}
    assert got["early"]["likes"] == 0 and got["early"]["engagement"] == 0
    assert got["late"]["likes"] == 4 and got["late"]["engagement"] > 0
    assert got["late"]["rank"] < got["early"]["rank"]


def test_parts_add_up_to_the_score_and_ties_share_a_rank(tmp_path):
    # Two entries alike in every part (same length, same moment, no likes): a tie, not first and second by id.
    store = _store(tmp_path, [{"content_id": "x2", "author_id": "a", "body": "带家人去海边自驾，续航稳定。", "created_at": _at(2)},
                              {"content_id": "x1", "author_id": "b", "body": "一个人进山露营，外放电好用。", "created_at": _at(2)},
                              {"content_id": "x3", "author_id": "c", "body": "短", "created_at": _at(3)}])
    r = contest_scores(store, "call", as_of=T0 + timedelta(days=10))
    ranks = {e["content_id"]: e["rank"] for e in r["entries"]}
    assert ranks == {"x1": 1, "x2": 1, "x3": 3}
    parts = ("text_points", "originality_points", "media_points", "engagement_points")
    for e in r["entries"]:
        assert round(sum(e[p] for p in parts), 1) == e["score"]
        assert e["text_points"] == round(100 * 0.35 * e["text_quality"], 1)
    assert r["max_points"] == {"text_points": 35.0, "originality_points": 25.0, "media_points": 15.0, "engagement_points": 25.0}
    top = contest_scores(store, "call", as_of=T0 + timedelta(days=10), top=1)
    assert len(top["entries"]) == 1 and top["entries_judged"] == 3


def test_excerpt_tells_entries_apart_when_every_title_is_the_hashtag(tmp_path):
    store = _store(tmp_path, [{"content_id": "x1", "author_id": "a", "body": "#自驾游# 带家人去海边，续航稳定。", "created_at": _at(2)},
                              {"content_id": "x2", "author_id": "b", "title": "川西小环线", "body": "七天两千公里。", "created_at": _at(2)}])
    snippets = {e["content_id"]: e["snippet"] for e in contest_scores(store, "call", as_of=T0 + timedelta(days=5))["entries"]}
    assert snippets == {"x1": "#自驾游# 带家人去海边，续航稳定。", "x2": "川西小环线｜七天两千公里。"}


def test_unknown_campaign_is_said_in_chinese_with_the_known_ids(tmp_path):
    store = _store(tmp_path, [{"content_id": "x1", "author_id": "a", "body": "带家人去海边。", "created_at": _at(2)}])
    with pytest.raises(NotFoundError) as exc:
        contest_scores(store, "nope", as_of=T0 + timedelta(days=5))
    assert exc.value.text("zh") == "活动ID“nope”在数据库中不存在。已有的活动ID：call。"  # no space after 。
    assert exc.value.text("en").startswith("No campaign 'nope' in the store. Known campaign ids: call")
    assert "call" in exc.value.hint and exc.value.facts["known"] == ["call"]


def test_cli_table_shows_points_of_each_part_and_the_judged_count(tmp_path):
    store = _store(tmp_path, [{"content_id": f"x{i}", "author_id": a, "body": f"带家人去海边自驾第{i}次。", "created_at": _at(2 + i)}
                              for i, a in enumerate("abc")])
    store.close()
    out = CliRunner().invoke(app, ["contest", "--campaign", "call", "--db", str(tmp_path / "c.duckdb"), "--top", "2",
                                   "--as-of", _at(10)], env={"COLUMNS": "300"}).stdout
    assert "文字质量（满分35）" in out and "原创度（满分25）" in out and "点赞（首7天）" in out
    assert "共3份投稿参评，显示前2份" in out
