"""The cue reader: personal-attack patterns (insults fire, innocent look-alikes do not) and negated complaint cues."""
import pytest

from reef.text.intents import detect_intents


@pytest.mark.parametrize("text", ["你个sb", "SB东西别来了", "滚！", "给我滚", "滚出去", "水军滚🚗", "你这个傻逼", "赶紧滚"])
def test_insults_are_personal_attacks(text):
    assert "personal_attack" in detect_intents(text)


@pytest.mark.parametrize("text", [
    "Fisher at UCSB has some speculative thinking",   # "sb" inside a Latin word (Stack Exchange posts)
    "Oral communication by Mark Giesbrecht",
    "报名加微信wxid_33rsbq",                             # ... or inside an id
    "OTA滚动升级，这次修了车机卡顿",                        # 滚 in ordinary words
    "年检上滚筒也没事",
    "小孩在地上打滚。",
    "我马上打包自己滚过去了",
])
def test_look_alikes_are_not_personal_attacks(text):
    assert "personal_attack" not in detect_intents(text)


@pytest.mark.parametrize("text", [
    "+1，客服我也觉得没让人失望🙏",          # the simulator's praise phrase, read as a complaint before
    "车机没有让我失望",
    "全系车不会让你失望！",
    "提2.5不后悔。",
    "选择斯巴鲁我一点都不后悔",
    "后悔没早点买",                          # regret not buying sooner is praise
    "做工也不太差",
    "后备箱的垃圾桶很实用",
])
def test_negated_complaint_cues_are_no_complaint(text):
    assert "complaint" not in detect_intents(text)


@pytest.mark.parametrize("text", [
    "售后太让人失望了", "买了就后悔", "服务垃圾", "4S店不给解决", "没人管，只能投诉", "别提多失望了", "无力吐槽",
])
def test_complaints_still_found(text):
    assert "complaint" in detect_intents(text)
