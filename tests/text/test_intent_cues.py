"""The cue reader's personal-attack patterns: insults fire, innocent look-alikes do not."""
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
