"""Knowledge-reef rules a review found broken: whose accept and thanks count, a topic's freshness, filler words,
traditional characters, and questions made of fillers only."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from reef.analyses import run_analyses
from reef.ingest import import_paths
from reef.kb.clusters import cluster_labels
from reef.kb.index import concepts, tokenize
from reef.store import open_store

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))


def ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


def _store(tmp_path, content, interactions=()):
    members = [{"member_id": m, "name": m, "joined_at": ts(-100)} for m in ("asker", "pro", "weak", "other")]
    paths = []
    for name, rows in (("members", members), ("content", content), ("interactions", list(interactions))):
        if not rows:
            continue
        p = tmp_path / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        paths.append(p)
    store = open_store(tmp_path / "kb.duckdb")
    import_paths(store, paths)
    return store


def _c(cid, kind, author, day, **kw):
    return {"content_id": cid, "kind": kind, "author_id": author, "created_at": ts(day), **kw}


def test_only_the_askers_accept_wins_and_an_answerers_own_thanks_do_not_count(tmp_path):
    content = [_c("q", "thread", "asker", 1, title="冬天续航掉多少？", body="请问冬天续航掉多少？"),
               _c("x", "answer", "pro", 1.1, parent_id="q", body="冬天零下十度表显打了七折，百公里电耗二十度左右，建议提前预热电池。"),
               _c("y", "answer", "weak", 1.2, parent_id="q", body="不知道"),
               # the weak answerer thanks under their own answer, three times
               *[_c(f"t{k}", "reply", "weak", 1.3 + k / 10, parent_id="y", body="谢谢！谢谢大家") for k in range(3)]]
    inter = [{"interaction_id": "acc", "kind": "accept", "actor_id": "other", "target_content_id": "y", "created_at": ts(1.5)},
             *[{"interaction_id": f"l{k}", "kind": "like", "actor_id": m, "target_content_id": "x", "created_at": ts(2)}
               for k, m in enumerate(("asker", "other"))]]
    store = _store(tmp_path, content, inter)
    run_analyses(store, as_of=T0 + timedelta(days=10), only=["kb_qa"])
    q = store.fetch_dicts("SELECT best_answer_id, best_accepted FROM kb_questions")[0]
    assert q == {"best_answer_id": "x", "best_accepted": False}
    assert store.fetch_value("SELECT thanks FROM kb_answers WHERE answer_id = 'y'") == 0


def test_a_topic_is_fresh_when_any_answer_is_new_not_only_the_best(tmp_path):
    content = [_c("q", "thread", "asker", 1, title="冬天续航掉多少？", body="请问冬天续航掉多少？"),
               _c("a1", "answer", "pro", 1.1, parent_id="q", body="冬天零下十度表显打了七折，百公里电耗二十度左右，建议提前预热电池。"),
               _c("a2", "answer", "weak", 195, parent_id="q", body="今年冬天也差不多打七折")]
    inter = [{"interaction_id": "acc", "kind": "accept", "actor_id": "asker", "target_content_id": "a1", "created_at": ts(2)}]
    store = _store(tmp_path, content, inter)
    run_analyses(store, as_of=T0 + timedelta(days=200), only=["kb_qa", "kb_gaps"])
    assert store.fetch_value("SELECT best_answer_id FROM kb_questions") == "a1"
    ages = store.fetch_all("SELECT DISTINCT answer_age_days, stale FROM kb_topics")
    assert ages == [(5, False)]


def test_questions_of_fillers_only_do_not_stop_the_analysis(tmp_path):
    assert cluster_labels(["求助！", "谢谢大家"]).tolist() == [0, 1]
    content = [_c("q1", "thread", "asker", 1, title="求助！", body="求助！"),
               _c("q2", "thread", "other", 2, title="谢谢大家", body="请问？")]
    store = _store(tmp_path, content)
    report = run_analyses(store, as_of=T0 + timedelta(days=10), only=["kb_qa", "kb_gaps", "kb_search"])
    assert not report.failed


def test_fillers_rjieba_splits_are_dropped_and_traditional_text_finds_its_concepts():
    assert tokenize("澜途S7座椅说说", bigrams=False) == ["澜途", "s7", "座椅"]
    assert concepts("冬天續航打幾折") == concepts("冬天续航打几折") == ["@冬季", "@续航"]
    # two reviews that share only the brand and a filler are not one repeated question
    assert len(set(cluster_labels(["澜途X5车漆说说", "澜途S7空间说说"], threshold=0.6).tolist())) == 2
    assert cluster_labels(["冬天續航打幾折？", "零下续航衰减多少", "怎么装家充桩"], threshold=0.6).tolist() == [0, 0, 1]


def test_english_gap_titles_and_topics_name_the_aspect_and_stage_in_english(tmp_path):
    from reef.kb.views import gaps_list, topics_list

    content = [_c(f"q{k}", "thread", m, 1 + k, title="冬天续航掉多少？", body="请问冬天续航掉多少？")
               for k, m in enumerate(("asker", "other"))]
    store = _store(tmp_path, content)
    run_analyses(store, as_of=T0 + timedelta(days=10), only=["kb_qa", "kb_gaps"])
    # topic rows (no answer at all: label topic_unanswered since kb_gaps 7, kind stale before)
    stale_en = [g["title"] for g in gaps_list(store, top=50, lang="en") if g["label"] in ("stale", "topic_unanswered")]
    stale_zh = [g["title"] for g in gaps_list(store, top=50, lang="zh") if g["label"] in ("stale", "topic_unanswered")]
    assert stale_en and all(not any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in stale_en)
    assert stale_zh and all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in stale_zh)
    topics = topics_list(store, lang="en")
    assert topics and all(not any("\u4e00" <= ch <= "\u9fff" for ch in f"{t['aspect']}{t['car_model']}{t['stage']}") for t in topics)


def test_a_model_year_written_my26_arrives_like_2026():
    from reef.kb.versions import arrivals, mentions

    assert mentions("提了 MY26 的车") == [("model_year", "2026")]
    from reef.store import open_store as _open

    store = _open(":memory:")
    store.execute("INSERT INTO members (member_id, joined_at) SELECT 'm' || i, TIMESTAMPTZ '2026-01-01' FROM range(3) t(i)")
    store.execute("""INSERT INTO content (content_id, kind, author_id, created_at, body)
                     SELECT 'c' || i, 'thread', 'm' || i, TIMESTAMPTZ '2026-02-01' + INTERVAL (i) DAY, '提了 MY26 的车'
                     FROM range(3) t(i)""")
    got = arrivals(store, datetime(2026, 3, 1, tzinfo=timezone.utc), min_authors=3)
    assert set(zip(got["kind"], got["value"])) == {("model_year", "2026")}
