"""find_pii skips a text that cannot hold personal data before running its patterns, and never misses a span for it."""
from __future__ import annotations

import json
import random
from pathlib import Path

import reef.text.pii as pii

FIXTURE = Path(__file__).parent / "fixtures" / "pii.jsonl"


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(29)
    # Digits (ASCII and full width), letters, separators, province and cue characters, other Chinese.
    alphabet = list("0123456789０１２３４５６７８９ABCDEFGHJKLMNPRSTUVWXYZabcxyzＡＢｖｘ -_.·@:：()（）") + \
        ["粤", "京", "微信", "加", "QQ", "qq", "vx", "WX", "扣扣", "车架号", "电话", "的", "车", "友", "价", "万", "公里", ".com"]
    for _ in range(20000):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))))
    texts += ["车友583161", "Gabriel Romon", "138 1234 5678", "（0755）12345678", "粤b12345", "LSVAB12C3DE456789"]
    return texts


def test_the_prefilter_never_drops_a_span(monkeypatch):
    texts = _texts()
    fast = [pii.find_pii(t) for t in texts]
    monkeypatch.setattr(pii, "_may_hold_pii", lambda text: True)
    slow = [pii.find_pii(t) for t in texts]
    assert fast == slow
    assert sum(map(bool, slow)) > 500  # the generated texts do hold spans of several kinds
    assert {s["kind"] for spans in slow for s in spans} >= {"phone", "plate", "qq"}


def test_display_names_without_contact_details_are_skipped():
    for name in ("车友583161", "Gabriel Romon", "zenith", "老王的车"):
        assert not pii._may_hold_pii(name), name
    for name in ("车友13812345678", "粤B12345", "vx carfan88"):
        assert pii._may_hold_pii(name), name
