"""The knowledge reef on hand-made data: best answers, clusters, search, essence, as_of, crisis test."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from reef.analyses import run_analyses
from reef.ingest import import_paths
from reef.kb.clusters import cluster_labels

from reef.kb.index import BM25Index, concepts, tokenize
from reef.kb.search import ask, search_docs
from reef.store import open_store
from tests.conftest import import_rows

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
    # An answer written under OTA 5.0; from day 30 three members discuss OTA 6.1 on the same topic.
    c("q5", "thread", "ask3", 10, title="车机升级后卡顿怎么办？", body="请问车机升级后卡顿怎么办？")
    c("a5", "answer", "pro", 10.2, parent_id="q5", body="升级到OTA 5.0之后重启车机就不卡了，有问题打我电话13812345678")
    for k, who in enumerate(("ask1", "ask2", "fan")):
        c(f"o{k}", "thread", who, 30 + k, title=f"OTA 6.1 车机体验{k}", body="OTA 6.1推送了，车机流畅了不少，续航显示也准了")
    return {"members": members, "content": content, "interactions": inter}


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb")
    store = import_rows(folder, rows())
    run_analyses(store, as_of=T0 + timedelta(days=60), only=["kb_qa", "kb_essence", "kb_gaps", "kb_search"])
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


def test_best_answer_model_prefers_the_voted_thanked_factual_answer():
    import pandas as pd

    from reef.kb.answer_rank import BestAnswerModel, answer_features

    ans = pd.DataFrame({"question_id": ["q"] * 3, "answerer_id": ["a", "b", "c"], "votes": [0, 6, 1], "thanks": [0, 2, 0],
                        "created_at": pd.to_datetime(["2026-01-01 10:00", "2026-01-01 11:00", "2026-01-01 12:00"]),
                        "body": ["不知道", "零下十度打七折，百公里电耗20度", "看情况"], "n_claims": [0, 1, 0],
                        "toxicity": [0.0, 0.0, 0.0], "sentiment": [0, 0, 0]})
    f = answer_features(ans, {"q": pd.Timestamp("2026-01-01 09:00")}, {"q": ["续航与充电"]})
    assert f["v_top"].tolist() == [0.0, 1.0, 0.0] and f["first"].tolist() == [1.0, 0.0, 0.0]
    assert int(np.argmax(BestAnswerModel.builtin().decision_function(f))) == 1


def test_outdated_best_answer_is_a_gap(kb_path):
    store = open_store(kb_path, read_only=True)
    rows = store.fetch_dicts("SELECT kind, canonical_id, reason_zh FROM kb_gaps WHERE kind = 'outdated'")
    q5 = [r for r in rows if r["canonical_id"] == "q5"]
    assert q5 and "OTA 6.1" in q5[0]["reason_zh"] and "OTA 5.0" in q5[0]["reason_zh"]


def test_newbie_guide_credits_authors_and_masks_pii(kb_path, tmp_path):
    from reef.kb.guide import write_guide

    store = open_store(kb_path, read_only=True)
    paths = write_guide(store, T0 + timedelta(days=60), store.config, "newbie", tmp_path)
    md, page = (p.read_text(encoding="utf-8") for p in paths)
    assert [p.suffix for p in paths] == [".md", ".html"]
    assert "pro" in md and "车机升级后卡顿怎么办" in md and "致谢" in md
    assert "13812345678" not in md and "13812345678" not in page and "138****5678" in md
    assert page.startswith("<!DOCTYPE html>") and "http" not in page.replace("http-equiv", "")


def test_chronicle_lists_the_ota_versions_owners_discussed(kb_path, tmp_path):
    from reef.kb.guide import write_guide

    store = open_store(kb_path, read_only=True)
    (md,) = write_guide(store, T0 + timedelta(days=60), store.config, "chronicle", tmp_path, fmt="md")
    text = md.read_text(encoding="utf-8")
    assert "**OTA 6.1**" in text and "3位车友" in text and "OTA 5.0" not in text.split("## OTA")[-1].split("**")[1]


def test_hybrid_index_uses_the_lsa_model_and_round_trips_it(tmp_path):
    from reef.kb.hybrid import HybridIndex, SearchParams, doc_fields, query_tokens
    from reef.kb.semantic import LsaEncoder

    threads = [["冬天", "续航", "打折", "零下"], ["零下", "续航", "衰减"], ["物业", "家充", "安装"], ["家充", "电桩", "物业"]] * 5
    enc = LsaEncoder(n_components=2, min_df=1).fit(threads)
    again = LsaEncoder.load(enc.save(tmp_path / "m.npz"))
    assert np.allclose(enc.transform(threads[:2]), again.transform(threads[:2]), atol=1e-3)
    docs = [doc_fields("零下衰减大吗", ""), doc_fields("物业不让装家充", "")]
    idx = HybridIndex(SearchParams(semantic_weight=1.0, semantic_min_cosine=0.5)).fit(docs, encoder=enc)
    # No word in common with either title: only the semantic half can find it.
    assert idx.search(query_tokens("冬天打折"), k=1)[0][0] == 0


def test_ask_uses_the_stored_community_model(kb_path):
    from reef.kb.search import build_index

    store = open_store(kb_path, read_only=True)
    assert store.fetch_value("SELECT threads FROM kb_semantic") > 3
    idx, rows = build_index(store)
    assert idx.vectors_ is not None and len(rows) == idx.vectors_.shape[0]


def test_wave_detector_alarms_on_outsiders_piling_on_not_on_regulars():
    import pandas as pd

    from reef.kb.wave import WaveParams, hourly_tests

    day = 86400
    rng = np.random.default_rng(1)
    regulars = [(d * day + int(rng.integers(0, day)), f"r{rng.integers(0, 20)}") for d in range(40) for _ in range(3)]
    # Day 36: fifteen regulars complain at once (a bad day for the usual crowd), day 39: twelve newcomers.
    burst_regulars = [(36 * day + 1800 * h, f"r{h}") for h in range(15)]
    wave = [(39 * day + 3600 * h, f"new{h}") for h in range(12)]
    items = pd.DataFrame(regulars + burst_regulars + wave, columns=["t", "author_id"]).assign(aspect="续航")
    items["new"] = items["author_id"].str.startswith("new")
    hours = hourly_tests(items, 0, 40 * day, active_per_day=100.0, params=WaveParams())
    alarms = hours.loc[hours["alarm"], "t"]
    assert len(alarms) and alarms.min() >= 39 * day
    counted = hourly_tests(items, 0, 40 * day, active_per_day=100.0, params=WaveParams(count_outsiders=False, min_new_authors=0, new_authors_per_1k=0.0))
    assert counted.loc[counted["alarm"], "t"].min() < 39 * day  # counting everyone cries wolf on day 36


def test_crisis_daily_flags_a_planted_wave(tmp_path):
    from reef.kb.evaluation import crisis_outcome

    members = [{"member_id": f"m{i}", "name": f"m{i}", "joined_at": ts(-100)} for i in range(120)]
    content, k = [], 0
    rng = np.random.default_rng(3)
    for d in range(50):
        for _ in range(4):  # a steady trickle of complaints by a few regulars
            k += 1
            content.append({"content_id": f"c{k}", "kind": "thread", "author_id": f"m{rng.integers(0, 10)}",
                            "created_at": ts(d + rng.random()), "title": "续航太差了", "body": "充电慢，续航太差了，很失望"})
    for i in range(15):  # day 45: fifteen members who never wrote about it
        content.append({"content_id": f"w{i}", "kind": "thread", "author_id": f"m{50 + i}", "created_at": ts(45 + i / 20),
                        "title": "OTA之后续航太差了", "body": "升级之后续航太差了，充电慢，很失望"})
    p = tmp_path / "content.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in content), encoding="utf-8")
    (tmp_path / "members.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in members), encoding="utf-8")
    store = open_store(tmp_path / "r.duckdb")
    import_paths(store, [tmp_path / "members.jsonl", p])
    run_analyses(store, as_of=T0 + timedelta(days=50), only=["kb_crisis"])
    daily = store.fetch_arrow("SELECT * FROM crisis_daily").to_pandas()
    out = crisis_outcome(daily, {"start": (T0 + timedelta(days=45)).replace(hour=0), "aspect": "续航与充电"})
    assert out["delay_hours"] is not None and out["delay_hours"] <= 24
    assert out["false_alarm_days"] == 0 and out["normal_days"] > 0
    from reef.kb.surfaces import crisis_page

    aspects = [a["aspect"] for a in crisis_page(store)["aspects"]]
    assert "全部" in aspects and aspects[-1] == "全部" and len(aspects) > 1  # the all-aspects total closes the table


def test_crisis_never_suggests_pinning_a_complaint(kb_path, tmp_path):
    from reef.kb.views import surface_posts

    copy = tmp_path / "k.duckdb"
    shutil.copy(kb_path, copy)
    store = open_store(copy)
    as_of = T0 + timedelta(days=60)
    before = [r["content_id"] for r in surface_posts(store, as_of, "油耗")]
    assert before, "the answer with an energy-use figure is suggested"
    # The same post, read as a complaint (with a sentiment the model left neutral), is no longer suggested.
    store.execute("UPDATE content_features SET intents = list_append(intents, 'complaint'), sentiment = 0 WHERE content_id = $c", {"c": before[0]})
    after = [r["content_id"] for r in surface_posts(store, as_of, "油耗")]
    assert before[0] not in after and after == before[1:]
    store.close()


def test_reef_guide_cli_writes_both_formats(kb_path, tmp_path):
    import shutil

    from typer.testing import CliRunner

    from reef.cli import app

    db = tmp_path / "g.duckdb"
    shutil.copy(kb_path, db)
    res = CliRunner().invoke(app, ["guide", "--kind", "newbie", "--out", str(tmp_path / "out"), "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    assert sorted(Path(x["path"]).name for x in json.loads(res.output)) == ["newbie.html", "newbie.md"]



def test_ask_masks_the_answerer_name_like_the_answer(kb_path, tmp_path):
    import shutil

    copy = tmp_path / "kb.duckdb"
    shutil.copy(kb_path, copy)
    store = open_store(copy)
    store.execute("UPDATE members SET name = '老周13700001111' WHERE member_id = 'pro'")
    hit = ask(store, "冬季掉电严重吗", top=3)[0]
    assert hit["answerer_id"] == "pro" and hit["answerer"] == "老周137****1111"


def test_a_traditional_query_finds_the_simplified_question(kb_path):
    store = open_store(kb_path)
    assert tokenize("冬天續航") == tokenize("冬天续航")
    assert ask(store, "冬天續航掉多少", top=1)[0]["question_id"] == ask(store, "冬天续航掉多少", top=1)[0]["question_id"]


def test_answered_only_fills_the_page_when_answered_questions_exist(kb_path):
    store = open_store(kb_path)
    answered = [r for r in ask(store, "车机 续航 服务 预约 CarPlay 卡顿", top=50) if r["answer_id"]]
    assert len(ask(store, "车机 续航 服务 预约 CarPlay 卡顿", top=len(answered), answered_only=True)) == len(answered)


def test_a_topic_nobody_answered_is_a_stale_gap(kb_path):
    from reef.kb.views import gaps_list, topics_list

    store = open_store(kb_path)
    never = [t for t in topics_list(store, top=100) if t["answered_share"] == 0 and t["questions"] >= 2]
    stale = [g for g in gaps_list(store, top=100) if g["kind"] == "stale"]
    assert all(any(g["reason"] == "该话题还没有任何回答" for g in stale) for _ in never)


def test_search_model_is_skipped_not_failed_on_a_tiny_community(tmp_path):
    from reef.kb.semantic import train_lsa
    from reef.kb.hybrid import SearchParams

    assert train_lsa([["冬天"], ["物业"], ["轮胎"]], SearchParams()) is None  # no shared term
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "members.jsonl").write_text("".join(json.dumps({"member_id": m, "name": m, "joined_at": ts(-10)}) + "\n" for m in "abc"),
                                    encoding="utf-8")
    content = [{"content_id": f"q{i}", "kind": "thread", "author_id": m, "created_at": ts(i), "title": t, "body": t}
               for i, (m, t) in enumerate(zip("abc", ["冬天", "物业", "轮胎"]))]
    content.append({"content_id": "a0", "kind": "answer", "author_id": "b", "parent_id": "q0", "created_at": ts(1.5), "body": "预热"})
    (folder / "content.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in content), encoding="utf-8")
    store = open_store(folder / "t.duckdb")
    # Files named after what they hold: m.jsonl / c.jsonl were quarantined whole, so this once ran on an empty store.
    import_paths(store, [folder / "members.jsonl", folder / "content.jsonl"])
    assert store.fetch_value("SELECT count(*) FROM content") == 4
    report = run_analyses(store, as_of=T0 + timedelta(days=20), only=["kb_qa", "kb_search"])
    assert not report.failed


def test_lists_mask_a_phone_in_a_member_name(kb_path, tmp_path):
    import shutil

    from reef.kb.views import qa_list

    path = tmp_path / "copy.duckdb"
    shutil.copy(kb_path, path)
    store = open_store(path)
    store.execute("UPDATE members SET name = '老王 13812345678' WHERE member_id = 'pro'")
    rows = [r for r in qa_list(store, top=20) if r["best_answerer_id"] == "pro"]
    assert rows and all("13812345678" not in r["best_answerer"] and r["best_answerer"].startswith("老王") for r in rows)


def test_chronicle_names_every_version_tied_for_most_discussed():
    import pandas as pd

    from reef.kb.chronicle import _most_discussed

    assert _most_discussed(pd.Series(["5.10", "5.9", "5.9", "5.10", "4.0"]), True) == "5.9、5.10（2）"
    assert _most_discussed(pd.Series(["5.10", "5.9", "5.10"]), False) == "5.10 (2)"
    assert _most_discussed(pd.Series([], dtype=object), False) == "—"
