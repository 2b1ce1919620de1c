"""QA of the knowledge reef's surfaces (知识礁, 危机室, the kb API views, `reef ask`, the guide): one reading per
surface, no wave's words where there is no wave, essence that is knowledge, and every list saying what it counts."""
from __future__ import annotations

import json

import re
import shutil

import pytest
from typer.testing import CliRunner

from surface_fixtures import PASSWORD, client_on
from reef.cli import app as cli_app
from tests.kb.test_kb import kb_path  # noqa: F401 - the small kb store fixture

pytest.importorskip("fastapi")


def _login(client, role="viewer"):
    r = client.post("/api/v1/login", json={"username": role, "password": PASSWORD})
    assert r.status_code == 200, r.text


def _calm_page(db_path):
    from reef.kb.surfaces import crisis_page
    from reef.store import close_all, open_store

    store = open_store(db_path)
    page = crisis_page(store, masked=False)
    close_all()
    return page


def test_a_calm_room_lists_no_facts_under_its_no_wave_sentence(db_path):
    """QA #4: with no current wave the page listed 可引用的官方资料 right under "当前没有负面声浪 … 只在有声浪时列出"."""
    from reef.store import close_all, open_store

    aspect = _calm_page(db_path)["aspect"]
    store = open_store(db_path)
    store.execute("""INSERT INTO official_facts (fact_id, kind, model, attribute, value_text, source)
                     VALUES ('f-calm', 'selling_point', '澜途S7', ?, '官方说明', '官网')""", [aspect])
    close_all()
    page = _calm_page(db_path)
    assert not page["current_wave"] and page["facts"]  # guard: a fact on the opened aspect, and no wave
    with client_on(db_path) as c:
        _login(c)
        html = c.get("/crisis").text
    facts = html[html.index('id="crisis-facts"'):html.index('id="crisis-chart"')]
    assert 'id="crisis-no-wave-facts"' in facts and "<li>" not in facts and "官方说明" not in facts


def test_a_calm_room_pins_by_credibility_alone(db_path):
    """QA #5: the pins said "与声浪同话题（车机）", matched to the trailing window's one negative post, under the title
    建议置顶的事实帖（与声浪同话题）."""
    page = _calm_page(db_path)
    assert page["aspects"] and not page["current_wave"] and page["surface"]  # guard: no wave, posts to pin
    assert page["wave"]["total"] > 0  # guard: the trailing window has a negative post whose words old code matched
    assert all(p["terms"] == [] and p["reason_zh"].startswith("该方面的可信事实帖") for p in page["surface"])
    assert all(p["reason_en"].startswith("credible factual post on the aspect") for p in page["surface"])
    with client_on(db_path) as c:
        _login(c)
        html = c.get("/crisis").text
    assert "与声浪同话题" not in html and "当前没有声浪：该方面的可信事实帖" in html


def test_the_room_states_one_window_the_tests_whole_hour(db_path):
    """QA #10: the header read 23:59 至 23:59 (as_of itself) beside the timeline's 过去 24 小时：23:00 至 23:00 and hourly
    labels ending in :59; every window now ends at the tests' last evaluation, a whole hour."""
    page = _calm_page(db_path)
    last = page["series"][-1]
    assert page["window"]["end"].endswith(":00") and page["window"]["start"].endswith(":00")
    if last["partial"]:
        assert page["window"]["end"][-5:] == last["until"]
    assert page["growth"] and all(h["hour"].endswith(":00") for h in page["growth"])


def test_essence_is_knowledge_and_keeps_a_departed_authors_name(db_path):
    """QA #7, #8: a member who left showed with a null name (members_at drops them), and bare questions and homework
    photos ranked as essence."""
    from reef.analyses.runner import resolve_as_of
    from reef.kb.essence import write_essence
    from reef.store import close_all, open_store

    store = open_store(db_path)
    as_of = resolve_as_of(store, None)
    author = store.fetch_value("""SELECT e.author_id FROM kb_essence e JOIN members m ON m.member_id = e.author_id
                                  WHERE m.name IS NOT NULL ORDER BY e.score DESC LIMIT 1""")
    store.execute("UPDATE members SET left_at = TIMESTAMPTZ '2000-01-01 00:00:00+00' WHERE member_id = ?", [author])
    write_essence(store, as_of, store.config)
    named = store.fetch_all("SELECT DISTINCT author_name IS NOT NULL FROM kb_essence WHERE author_id = ?", [author])
    bare = store.fetch_value("""SELECT count(*) FROM kb_essence e LEFT JOIN content_features f USING (content_id)
                                WHERE e.kind NOT IN ('answer', 'guide') AND coalesce(len(f.claims), 0) = 0
                                  AND coalesce(len(list_intersect(f.intents, ['experience', 'answer', 'guide'])), 0) = 0""")
    questions = store.fetch_value("""SELECT count(*) FROM kb_essence e JOIN kb_questions q ON q.question_id = e.content_id
                                     JOIN content_features f USING (content_id)
                                     WHERE f.intents = ['question'] AND len(f.claims) = 0""")
    close_all()
    assert named == [(True,)]
    assert bare == 0 and questions == 0


def test_the_api_has_an_essence_view(db_path):
    """QA #6: /api/v1/kb_essence was 404 and /api/v1/views did not list it."""
    with client_on(db_path) as c:
        _login(c)
        assert "kb_essence" in [v["name"] for v in c.get("/api/v1/views").json()]
        ess = c.get("/api/v1/kb_essence?per_page=5").json()
        assert ess["available"] and ess["total"] > 0 and ess["items"][0]["explanation_zh"]
        scores = [r["score"] for r in ess["items"]]
        assert scores == sorted(scores, reverse=True)
        assert c.get("/api/v1/kb_essence?kind=poll").status_code == 422


def test_the_questions_view_folds_traditional_characters(db_path):
    """QA #12: q=續航 found 0 questions where q=续航 found 83."""
    with client_on(db_path) as c:
        _login(c)
        simplified = c.get("/api/v1/kb_questions", params={"q": "续航"}).json()["total"]
        traditional = c.get("/api/v1/kb_questions", params={"q": "續航"}).json()["total"]
    assert simplified > 0 and traditional == simplified


def test_an_unknown_gap_kind_is_refused(db_path):
    """QA #13: /api/v1/kb_gaps?kind=bogus answered total 0 in silence."""
    with client_on(db_path) as c:
        _login(c)
        bad = c.get("/api/v1/kb_gaps?kind=bogus")
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameter"
        assert c.get("/api/v1/kb_gaps?kind=unanswered").status_code == 200


def test_the_topic_map_view_names_its_aspects_in_english(db_path):
    """QA #14: /api/v1/kb_topics?lang=en left the aspect 其他 (and every aspect) in Chinese."""
    with client_on(db_path) as c:
        _login(c)
        topics = c.get("/api/v1/kb_topics?lang=en&per_page=500").json()["items"]
    assert topics and all(not re.search(r"[\u4e00-\u9fff]", r["aspect_label"]) for r in topics)
    assert any(r["aspect"] == "其他" and r["aspect_label"] == "other" for r in topics)


def test_the_kb_page_shows_essence_and_topics_and_says_what_each_list_counts(db_path):
    """QA #6, #9: essence and the topic map were on no page; /kb said 共 1383 条 beside the API's 1913 questions."""
    from reef.store import close_all, open_store

    store = open_store(db_path)
    all_q = store.fetch_value("SELECT count(*) FROM kb_questions")
    clusters = store.fetch_value("SELECT count(*) FROM kb_clusters")
    close_all()
    with client_on(db_path) as c:
        _login(c)
        html = c.get("/kb").text
    assert 'id="kb-essence"' in html and 'id="kb-topics"' in html and "精华帖" in html
    assert f"全部问题共 {all_q} 个" in html and f"共 {clusters} 组" in html


@pytest.fixture
def kb_db(tmp_path, kb_path):  # noqa: F811
    path = tmp_path / "reef.duckdb"
    shutil.copy(kb_path, path)
    return str(path)


def test_ask_says_when_nothing_matches_and_refuses_a_blank_query(kb_db):
    """QA #11: `reef ask "winter range"` printed a bare empty table and `reef ask '   '` one too, exit 0."""
    runner = CliRunner()
    none = runner.invoke(cli_app, ["ask", "zzzz qqqq", "--db", kb_db])
    assert none.exit_code == 0 and "没有找到相关问题。" in none.output and "┏" not in none.output
    for blank in ("", "   "):
        r = runner.invoke(cli_app, ["ask", blank, "--db", kb_db])
        assert r.exit_code == 2 and "query" in r.output
    # A blank query is said to be blank in Chinese, not echoed as squeezed quotes ('   ' read ' '); English quotes it as given.
    zh = runner.invoke(cli_app, ["ask", "   ", "--db", kb_db]).stderr
    assert "'query' 的值为空白（只有空白字符）。应为非空白的问题" in zh and "' '" not in zh
    assert "'query' 的值为空。" in runner.invoke(cli_app, ["ask", "", "--db", kb_db]).stderr
    en = runner.invoke(cli_app, ["ask", "   ", "--db", kb_db, "--lang", "en"]).stderr
    assert "Invalid value for 'query': '   '. Expected a non-blank question" in en
    error = runner.invoke(cli_app, ["ask", "   ", "--db", kb_db, "--json"])
    assert json.loads(error.stdout)["error"]["code"] == "invalid_parameter"


def test_kb_reads_warn_of_stale_data_in_their_own_words(kb_db):
    """QA #14: `reef kb gaps --as-of 2027-01-01` warned with the risk radar's 活跃度下降、成员降温."""
    r = CliRunner().invoke(cli_app, ["kb", "gaps", "--db", kb_db, "--as-of", "2027-01-01"])
    assert r.exit_code == 0, r.output
    assert "回答陈旧" in r.output and "活跃度下降" not in r.output


def test_the_english_guide_counts_one_question_in_the_singular(kb_db):
    """QA #14: "The 1 questions new owners ask most"."""
    from reef.kb.guide import newbie_guide
    from reef.store import close_all, open_store

    store = open_store(kb_db)
    doc = newbie_guide(store, None, store.config, lang="en", per_stage=1)
    close_all()
    intros = [s.intro for s in doc.sections if s.intro and "new owners ask most" in s.intro]
    assert intros and all(i.startswith("The 1 question new owners") for i in intros)


def test_a_blank_search_on_the_kb_page_is_no_search_not_nothing_found(db_path):
    """/kb?q=%20%20 showed a 搜索结果 card saying 没有找到相关问题。, as if a search had run and found nothing; a blank
    query is no search on the page (``reef ask`` refuses one, above), the page as without ``q``."""
    with client_on(db_path) as c:
        _login(c)
        blank, bare = c.get("/kb", params={"q": "  "}).text, c.get("/kb").text
    assert 'id="kb-results"' not in blank and "没有找到相关问题。" not in blank
    assert 'id="kb-results"' not in bare
