"""Property tests of the text layer's input-facing functions (hypothesis, derandomized so CI is reproducible).

Whatever a batch holds (CJK, emoji, HTML, control characters, NUL, lone surrogates, combining marks, full-width
digits, long runs of digits or punctuation, phone- and plate-like fragments, bytes from GBK exports, None, NaN),
``analyze`` returns one defined row per item and never raises; PII spans index the text and masking removes them
for good; spec claims are finite and in the documented units. The defects these found are pinned by plain
regression tests beside the rules (test_rules.py, test_pii_gaps.py, test_analyze.py, test_text_files_robust.py).
"""
from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reef.text import analyze, extract_claims, find_pii, mask_pii, parse_number
from reef.text.claims import CLAIM_ATTRIBUTES
from reef.text.files import mask_table
from reef.text.numerals import parse_colloquial_range
from reef.text.pii import PII_KINDS

FEW = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

UNITS = {"km", "s", "min", "kW", "L/100km", "kWh/100km", "万元", "kWh", "年", "万公里"}  # docs/text.md, claims row
FRAGMENTS = [
    "续航", "公里", "万", "元", "油耗", "百公里", "零百", "秒", "充电", "分钟", "kW", "kWh", "度", "质保", "年", "优惠", "落地",
    "价格", "汉EV", "Model 3", "电池", "个", "升", "到", "-", "~", "、", "，", "。", "！", "\n", "五百二十", "三点九", "1万3",
    "七八万", "二十万", "13812345678", "+86 138-1234-5678", "010-12345678", "（021）12345678", "Tel(021)12345678",
    "粤B12345", "京A·D12345", "粤b12345", "LSVAM4187C2184847", "车架号 lsvam4187c2184847", "11010519491231002X",
    "微信 car_fan2024", "加V：abc_123456", "QQ 12345678", "12345678@qq.com", "https://x.cn/13812345678", "订单号13812345678",
    "积分13800000000", "<p>", "</p>", "<script>", "</script>", "<br/>", "&nbsp;", "&amp;", "&#x4e2d;", "<!--", "-->",
    "\x00", "\x1e", "\u200b", "\ufeff", "\u0301", "\u3000", "\xa0", "\r", "１３８１２３４５６７８", "ＶＩＮ", "😀", "👍🏻",
    "這輛車", "續航", "很好", "垃圾", "你", "楼主", "Great car", "ß", "İ", "ﬁ", "\ud83d", "\udc00",
]
RUN_CHARS = list("0123456789９亿万千百十一九点.,，。!！?？-~、 *#@<>&;") + ["亿万", "13", "粤B", "微信"]
runs = st.tuples(st.sampled_from(RUN_CHARS), st.integers(1, 500)).map(lambda p: p[0] * p[1])
texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6), runs), max_size=10).map("".join),
)
items = st.one_of(texts, st.none(), st.just(float("nan")), st.binary(max_size=40),
                  texts.map(lambda s: s.encode("gbk", "ignore")))


def _check_row(row: dict) -> None:
    assert row["sentiment"] in (-1, 0, 1)
    for key in ("sentiment_score", "sentiment_confidence", "toxicity"):
        assert math.isfinite(row[key]), key
    assert -1 <= row["sentiment_score"] <= 1
    assert 0 <= row["sentiment_confidence"] <= 1 and 0 <= row["toxicity"] <= 1
    for a in row["aspects"]:
        assert a["sentiment"] in (-1, 0, 1) and math.isfinite(a["score"])
    for s in row["pii"]:
        assert s["kind"] in PII_KINDS
        assert 0 <= s["start"] < s["end"] <= len(row["original"]) and row["original"][s["start"]:s["end"]] == s["text"]
    for c in row["claims"]:
        assert c["attribute"] in CLAIM_ATTRIBUTES and c["unit"] in UNITS
        assert math.isfinite(c["value"]) and (c["value_max"] is None or math.isfinite(c["value_max"]))
        assert 0 <= c["start"] <= c["end"] <= len(row["text"])


@FEW
@given(st.lists(items, max_size=4))
def test_analyze_gives_one_defined_row_per_item_in_order_and_batches_change_nothing(batch):
    table = analyze(batch)
    assert table.num_rows == len(batch)
    rows = table.to_pylist()
    for item, row in zip(batch, rows):
        _check_row(row)
        if isinstance(item, str) and not any("\ud800" <= ch <= "\udfff" for ch in item):
            assert row["original"] == item  # in order: each row is its own item
    assert [analyze([item]).to_pylist()[0] for item in batch] == rows  # alone or in a batch, and run again


@FEW
@given(st.lists(texts, min_size=1, max_size=3))
def test_mask_table_leaves_no_pii_and_a_second_pass_changes_nothing(batch):
    once = mask_table(analyze(batch))
    for row in once.to_pylist():
        assert find_pii(row["original"]) == [] and find_pii(row["text"]) == []
        assert all(find_pii(c["evidence"]) == [] for c in row["claims"])
    assert mask_table(once).to_pylist() == once.to_pylist()


@MANY
@given(texts)
def test_pii_spans_lie_in_the_text_and_masking_removes_them_for_good(text):
    spans = find_pii(text)
    end = 0
    for s in spans:
        assert s["kind"] in PII_KINDS
        assert end <= s["start"] < s["end"] <= len(text) and text[s["start"]:s["end"]] == s["text"]  # ordered, apart
        end = s["end"]
    masked = mask_pii(text)
    assert find_pii(masked) == []
    assert mask_pii(masked) == masked
    starred = mask_pii(text, char="*")
    inside = {i for s in spans for i in range(s["start"], s["end"])}
    assert len(starred) == len(text)
    assert all(starred[i] == ("*" if i in inside else text[i]) for i in range(len(text)))


@MANY
@given(texts)
def test_claims_are_finite_in_documented_units_and_index_the_text(text):
    for c in extract_claims(text):
        assert c["attribute"] in CLAIM_ATTRIBUTES and c["unit"] in UNITS
        assert math.isfinite(c["value"]) and (c["value_max"] is None or math.isfinite(c["value_max"]))
        assert 0 <= c["start"] <= c["end"] <= len(text)


@MANY
@given(st.one_of(texts, st.sampled_from(["nan", "inf", "-Infinity", "1e3", "1_000", " ", "一" + "亿" * 40])))
def test_numbers_are_finite_or_none(text):
    value = parse_number(text)
    assert value is None or math.isfinite(value)
    pair = parse_colloquial_range(text)
    assert pair is None or all(math.isfinite(v) for v in pair)
