"""The stage-2 and stage-3 welcomes (立即认可) never praise a complaint, an attack, a toxic post, a fire report not read
as positive or a rumour that contradicts the official spec sheet; the stage evidence still counts those posts as docs/ladder.md says."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.ladder.analysis import compute_ladder
from tests.conftest import import_rows

T0 = datetime(2026, 6, 1, 9, tzinfo=timezone(timedelta(hours=8)))
AS_OF = T0 + timedelta(days=30)

# Each author's texts are distinct (no near-duplicates), long enough for an adequate original (30 characters).
POSTS = {  # content id: (author, days before AS_OF, kind, title, body, features forced after enrichment)
    "good": ("ga", 0.5, "thread", "海边自驾", "周末带家人自驾去海边，高速巡航空调开着也没有焦虑，分享真实体验和几张照片。",
             {"intents": ["experience"], "sentiment": 1}),
    "sad": ("gb", 0.5, "thread", "车机OTA后黑屏死机", "OTA升级到5.2之后车机黑屏重启，导航和倒车影像全没了，太坑了，大家有没有遇到？",
            {"intents": [], "sentiment": -1}),  # a complaint the intent reader missed: negative overall
    "moan": ("gc", 0.5, "thread", "维权", "维权：OTA后车机黑屏，售后一直拖着不处理，已经等了两个星期，联系不上任何人。",
             {"intents": ["complaint"], "sentiment": 0}),
    "attack": ("gd", 0.5, "thread", "说两句", "某些人天天在群里带节奏，脑子是不是有问题，懂不懂车就出来乱说一通，真是服了。",
               {"intents": ["personal_attack"], "sentiment": 0, "toxicity": 0.3}),
    "toxic": ("ge", 0.5, "thread", "吐个槽", "这个论坛的管理员和车主都一个样，看看这些帖子写的都是什么东西，全是垃圾内容。",
              {"intents": ["experience"], "sentiment": 0, "toxicity": 0.6}),
    "rumour": ("gf", 0.5, "thread", "OTA后官方偷偷把澜途S7续航改了", "内部消息：这次OTA之后澜途S7的CLTC续航只有450km了，大家都去看看自己的车。",
               {"intents": ["experience"], "sentiment": 0}),
    "fact": ("gg", 0.5, "thread", "澜途S7续航实测", "实测分享：澜途S7的CLTC续航是620km，这个夏天高速跑了五百多公里，表现符合预期。",
             {"intents": ["experience"], "sentiment": 1}),
    "moan_old": ("gh", 3, "thread", "售后太慢", "售后维修等了三周还没有消息，打电话也没人接，真的太失望了，谁能帮帮我。",
                 {"intents": ["complaint"], "sentiment": -1}),
    "after": ("gh", 0.4, "thread", "露营体验", "第一次去露营，用外放电给电磁炉和投影仪供电，三个小时只用了百分之十二的电量。",
              {"intents": ["experience"], "sentiment": 1}),
    # a fire rumour the sentiment models read as neutral, no complaint intent: the fire cue makes it unfit
    "fire": ("gi", 0.5, "thread", "紧急：澜途S7电池起火了！", "官方一直在隐瞒，朋友的车昨晚在地库里冒烟，大家赶紧检查一下自己的电池。",
             {"intents": [], "sentiment": 0}),
    # a fire cue in a post read as positive is no incident report: still welcomed
    "fire_ok": ("gj", 0.5, "thread", "电池安全", "看了澜途S7电池包的针刺实验视频，热失控以后不起火，家里人终于放心了，分享给大家参考。",
                {"intents": ["experience"], "sentiment": 1}),
    # the crisis wave's complaint the text model reads neutral with no complaint intent, its score leaning negative
    # (QA store A, 2026-05-20 10:00: 6 of the 20 first-original welcomes were planted pr_crisis posts at -0.05..-0.20)
    "lean": ("gk", 0.5, "thread", "大家遇到过吗：续航问题", "OTA把续航搞坏了，通勤每天46公里，一周充一次电，大家有没有一样的情况？",
             {"intents": [], "sentiment": 0, "score": -0.13}),
    "lean_ok": ("gl", 0.5, "thread", "提车一个月", "提车一个月，说说日常通勤的感受，空调和座椅都还可以，有问题评论区问我。",
                {"intents": ["experience"], "sentiment": 0, "score": -0.02}),  # above kb.crisis_lean_score: welcomed
    "q": ("nw", 0.8, "thread", "新手求助", "请问澜途S7的CLTC续航到底是多少？冬天会掉多少？", {"intents": ["question"], "sentiment": 0}),
    "ans_rumour": ("ha", 0.6, "answer", None, "澜途S7的CLTC续航其实只有450km，冬天还要再打个七折，别信宣传。",
                   {"intents": ["answer"], "sentiment": 0}),
    "ans_fact": ("hb", 0.6, "answer", None, "澜途S7的CLTC续航是620km，冬天大概掉两到三成，建议出发前预热电池。",
                 {"intents": ["answer"], "sentiment": 0}),
    "q_old": ("nw", 4, "thread", "新手提问", "刚提车，请问冬天充电桩排队的时候电池需要提前预热吗？怎么设置？",
              {"intents": ["question"], "sentiment": 0}),
    "ans_moan_old": ("hc", 3.5, "answer", "q_old", "别问了，售后根本不管，我的车充电故障拖了一个月，这品牌太让人失望。",
                     {"intents": ["complaint"], "sentiment": -1}),
    "ans_later": ("hc", 0.6, "answer", None, "冬天出发前在APP里打开电池预热，到了充电桩能快很多，我每次都这样。",
                  {"intents": ["answer"], "sentiment": 0}),
}


@pytest.fixture(scope="module")
def welcomed(tmp_path_factory):
    from reef.text.enrich import enrich_store

    at = lambda days: (AS_OF - timedelta(days=days)).isoformat()  # noqa: E731
    authors = sorted({a for a, *_ in POSTS.values()} - {"nw"})
    members = [{"member_id": m, "name": m, "joined_at": (T0 - timedelta(days=200)).isoformat()} for m in authors]
    members.append({"member_id": "nw", "name": "nw", "joined_at": at(5)})  # a newcomer asks
    content = [{"content_id": cid, "kind": kind, "author_id": a, "created_at": at(d), "title": title, "body": body,
                **({"parent_id": title or "q", "thread_id": title or "q", "title": None} if kind == "answer" else {})}
               for cid, (a, d, kind, title, body, _) in POSTS.items()]
    facts = [{"fact_id": "s7-range", "kind": "spec", "model": "澜途S7", "attribute": "range_cltc", "value": 620, "unit": "km",
              "valid_from": (T0 - timedelta(days=400)).isoformat(), "source": "澜途官网配置表"}]
    store = import_rows(tmp_path_factory.mktemp("welcome"), {"members": members, "content": content, "official_facts": facts})
    enrich_store(store)
    for cid, (*_, forced) in POSTS.items():  # the reading each case is about, whatever the text model says
        store.execute("UPDATE content_features SET intents = $i, sentiment = $s, toxicity = $t, "
                      "sentiment_score = coalesce($sc, sentiment_score) WHERE content_id = $c",
                      {"i": forced["intents"], "s": forced["sentiment"], "t": forced.get("toxicity", 0.05), "c": cid,
                       "sc": forced.get("score")})
    claims = dict(store.fetch_all("SELECT content_id, list_transform(claims, lambda k: k.value) FROM content_features "
                                  "WHERE content_id IN ('rumour', 'fact', 'ans_rumour', 'ans_fact')"))
    assert claims == {"rumour": [450.0], "fact": [620.0], "ans_rumour": [450.0], "ans_fact": [620.0]}  # the claims the cases need
    compute_ladder(store, AS_OF, store.config)
    alerts = {r[0]: r[1] for r in store.fetch_all("SELECT content_id, alert FROM ladder_alerts")}
    life = dict(store.fetch_all("SELECT member_id, life_orig_ok FROM ladder_members"))
    members_sql = "SELECT * FROM ladder_members ORDER BY member_id"
    members_now = store.fetch_all(members_sql)
    # The same run with no post unfit: the welcome filter must leave every stage and measure as it was.
    import reef.ladder.welcome as welcome

    real = welcome.build_unfit
    welcome.build_unfit = lambda store, *a, **k: (real(store, *a, **k), store.execute("DELETE FROM _lad_unfit"))[0]
    try:
        compute_ladder(store, AS_OF, store.config)
        all_fit = {r[0]: r[1] for r in store.fetch_all("SELECT content_id, alert FROM ladder_alerts")}
        assert store.fetch_all(members_sql) == members_now
    finally:
        welcome.build_unfit = real
    yield alerts, life, all_fit
    store.close()


def test_only_posts_fit_to_praise_are_welcomed(welcomed):
    alerts, *_ = welcomed
    assert alerts.get("good") == "first_original" and alerts.get("fact") == "first_original"
    assert alerts.get("fire_ok") == "first_original"
    assert alerts.get("lean_ok") == "first_original"
    for cid in ("sad", "moan", "attack", "toxic", "rumour", "fire", "lean"):
        assert cid not in alerts, cid
    assert alerts.get("ans_fact") == "first_newcomer_answer"
    assert "ans_rumour" not in alerts  # an answer spreading the rumour to a newcomer is no help to praise


def test_the_welcome_goes_to_the_first_post_fit_to_praise(welcomed):
    alerts, *_ = welcomed
    # gh complained three days ago (an original the stages count) and wrote an experience post today: gh is no
    # newcomer to the forum's originals, so neither is welcomed (the welcome never moves to a later post).
    assert "after" not in alerts and "moan_old" not in alerts
    # hc answered a newcomer with a complaint days ago; today's helpful answer is not a first either.
    assert "ans_later" not in alerts and "ans_moan_old" not in alerts


def test_the_filter_only_drops_welcomes(welcomed):
    alerts, _, all_fit = welcomed
    # With nothing unfit the same store welcomes the unfit firsts (stages equal, checked in the fixture); the filter
    # removes welcomes and never adds one.
    assert set(alerts) < set(all_fit) and all(all_fit[c] == a for c, a in alerts.items())
    assert {"sad", "moan", "rumour", "ans_rumour", "fire"} <= set(all_fit) and "after" not in all_fit and "ans_later" not in all_fit


def test_stage_evidence_still_counts_the_posts_the_welcome_skips(welcomed):
    _, life, _ = welcomed
    # docs/ladder.md: an adequate original is any non-toxic original; complaints and rumours count as activity there.
    assert life["gb"] == 1 and life["gc"] == 1 and life["gf"] == 1 and life["gh"] == 2 and life["gi"] == 1
    assert life["ge"] == 0  # the toxic one never counted


def test_spec_check_is_the_radars_comparison():
    """The ladder and the risk radar share one comparison (reef.text.spec_facts), with the radar's tolerances."""
    from reef.config import load_config
    from reef.risks import entropy
    from reef.text.spec_facts import ClaimRules, SpecSheet

    rules = ClaimRules.from_config(load_config())
    sheet = SpecSheet([("澜途S7", "range_cltc", 620.0, "km", "官网")])
    claim = {"attribute": "range", "model": None, "qualifier": "CLTC", "evidence": "澜途S7的CLTC续航"}
    assert sheet.contradiction({**claim, "value": 450.0}, rules)["official"] == 620.0
    assert sheet.contradiction({**claim, "value": 600.0}, rules) is None  # within the 5 % range tolerance
    assert sheet.contradiction({**claim, "value": 450.0, "qualifier": None, "evidence": "澜途S7续航450"}, rules) is None  # no CLTC
    assert sheet.contradiction({**claim, "value": 45000.0}, rules) is None  # a misread number
    assert entropy.with_unit(620, "km") == ("620公里", "620 km")  # old import path kept
