"""The knowledge reef on hand-made data: best answers, clusters, search, essence, as_of, crisis test."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from reef.analyses import run_analyses
from reef.ingest import import_paths
from reef.kb.clusters import cluster_labels
from reef.kb.crisis import window_test
from reef.kb.index import BM25Index, concepts, tokenize
from reef.kb.search import ask, search_docs
from reef.store import open_store

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))


def ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


def rows():
    members = [{"member_id": m, "name": m, "joined_at": ts(-100)} for m in ("ask1", "ask2", "ask3", "pro", "fan", "noob")]
    content, inter = [], []

    def c(cid, kind, author, day, **kw):
        content.append({"content_id": cid, "kind": kind, "author_id": author, "created_at": ts(day), **kw})

    def i(iid, kind, actor, day, **kw):
        inter.append({"interaction_id": iid, "kind": kind, "actor_id": actor, "created_at": ts(day), **kw})

    c("q1", "thread", "ask1", 1, title="冬天续航掉多少？", body="请问冬天续航掉多少？北方车主说说")
    c("a1", "answer", "fan", 1.1, parent_id="q1", body="不清楚")
    c("a2", "answer", "pro", 1.2, parent_id="q1", body="冬天零下十度表显打了七折，百公里电耗二十度左右，建议提前预热电池。")
    c("t1", "reply", "ask1", 1.3, parent_id="a2", body="谢谢，很有帮助！")
    for k in range(3):
        i(f"l{k}", "like", f"ask{k + 1}", 2 + k * 10, target_content_id="a2")
    c("q2", "thread", "ask2", 5, title="零下的时候续航衰减厉害吗？", body="请教一下，零下的时候续航衰减厉害吗？")
    c("a3", "answer", "pro", 5.1, parent_id="q2", body="零下十五度大概打六到七折，开座椅加热比开空调省电。")
    i("acc", "accept", "ask2", 5.2, target_content_id="a3")
    c("q3", "thread", "ask3", 8, title="取送车服务怎么预约？", body="请问取送车服务怎么预约？")
    c("q4", "thread", "noob", 40, title="车机支持CarPlay吗？", body="请问车机支持CarPlay吗？")
    return {"members": members, "content": content, "interactions": inter}


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb")
    paths = []
    for name, rs in rows().items():
        p = folder / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rs), encoding="utf-8")
        paths.append(p)
    store = open_store(folder / "reef.duckdb")
    import_paths(store, paths)
    run_analyses(store, as_of=T0 + timedelta(days=60), only=["kb_qa", "kb_essence", "kb_gaps"])
    store.close()
    return folder / "reef.duckdb"


def test_tokens_and_synonym_concepts():
    assert "续航" in tokenize("冬天续航掉多少")
    assert concepts("零下的时候续航衰减厉害吗") == concepts("冬天续航掉多少") == ["@冬季", "@续航"]


def test_bm25_title_boost_beats_body_mention():
    idx = BM25Index.build([{"title": "冬天续航", "body": "随便聊聊"}, {"title": "随便聊聊", "body": "冬天续航"}])
    assert idx.search("冬天续航", k=2)[0][0] == 0


def test_paraphrases_cluster_and_other_questions_do_not():
    labels = cluster_labels(["冬天续航掉多少？", "零下的时候续航衰减厉害吗？", "北方冬天续航大概打几折？",
                             "取送车服务怎么预约？", "APP里怎么约取送车？", "车机支持CarPlay吗？"], threshold=0.6)
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] == labels[4] != labels[0]
    assert labels[5] not in (labels[0], labels[3])


def test_best_answer_is_the_factual_one_and_credits_its_author(kb_path):
    store = open_store(kb_path, read_only=True)
    best, answerer, n = store.fetch_all("SELECT best_answer_id, best_answerer_id, answers FROM kb_questions WHERE question_id = 'q1'")[0]
    assert (best, answerer, n) == ("a2", "pro", 2)
    assert store.fetch_value("SELECT thanks FROM kb_answers WHERE answer_id = 'a2'") >= 1


def test_paraphrased_questions_share_a_cluster_and_gaps_list_the_unanswered(kb_path):
    store = open_store(kb_path, read_only=True)
    c1, c2 = store.fetch_all("SELECT cluster_id FROM kb_questions WHERE question_id IN ('q1', 'q2') ORDER BY question_id")
    assert c1 == c2
    assert store.fetch_value("SELECT times_asked FROM kb_clusters WHERE cluster_id = ?", [c1[0]]) == 2
    assert store.fetch_value("SELECT count(*) FROM kb_topics") > 0


def test_ask_returns_the_best_answer_and_its_author(kb_path):
    store = open_store(kb_path, read_only=True)
    hits = ask(store, "冬季掉电严重吗", top=3)
    assert hits[0]["answerer_id"] == "pro" and hits[0]["times_asked"] == 2
    assert search_docs([{"title": "怎么装家充桩"}, {"title": "北方冬天续航大概打几折"}], "零下续航", k=1)[0][0] == 1


def test_as_of_hides_later_questions(tmp_path, kb_path):
    store = open_store(kb_path)
    run_analyses(store, as_of=T0 + timedelta(days=20), only=["kb_qa"])
    assert store.fetch_value("SELECT count(*) FROM kb_questions WHERE question_id = 'q4'") == 0
    run_analyses(store, as_of=T0 + timedelta(days=60), only=["kb_qa"])
    assert store.fetch_value("SELECT count(*) FROM kb_questions WHERE question_id = 'q4'") == 1


def test_essence_counts_late_engagement(kb_path):
    store = open_store(kb_path, read_only=True)
    late, early = store.fetch_all("SELECT late, early FROM kb_essence WHERE content_id = 'a2'")[0]
    assert (late, early) == (2, 1)


def test_window_test_flags_a_spike_and_not_a_steady_rate():
    day, week = 86400.0, 7 * 86400.0
    steady = np.sort(np.concatenate([np.arange(5) * 3600 + w * week for w in range(5)]))
    assert window_test(steady, 4 * week, 4 * week + day, weeks=4)["p_value"] > 0.1
    spike = np.sort(np.concatenate([steady, 4 * week + np.arange(20) * 60.0]))
    t = window_test(spike, 4 * week, 4 * week + day, weeks=4)
    assert t["observed"] == 25 and t["baseline"] == 5 and t["p_value"] < 1e-4
