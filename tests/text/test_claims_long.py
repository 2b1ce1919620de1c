"""Long texts: extract_claims reads them piece by piece, so a 1 MB paste costs time linear in its length.

The pieces must cover the text exactly and fall between sentences where the text has sentence ends, so a long post
gives the same claims (values, offsets, models) as its sentences read one by one.
"""
from __future__ import annotations

from reef.text.claims import _PIECE_CHARS, extract_claims, text_pieces


def test_pieces_cover_the_text_and_stay_bounded():
    for text in ("汉EV续航五百二十公里。" * 300, "1万" * 5_000, "123456789" * 500, "短句。", ""):
        pieces = list(text_pieces(text))
        assert "".join(piece for _, piece in pieces) == text
        assert all(len(piece) <= _PIECE_CHARS for _, piece in pieces)
        assert [base for base, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]


def test_pieces_end_at_a_sentence_end_when_there_is_one():
    text = "今天去试驾了，感觉不错。" * 200
    assert all(piece.endswith("。") for _, piece in list(text_pieces(text))[:-1])


def test_a_long_post_gives_the_claims_of_its_sentences_with_offsets_into_it():
    sentence = "续航五百二十公里，零百3.9秒。"
    text = "我开的是汉EV。" + sentence * 120
    claims = extract_claims(text)
    assert len(claims) == 240 and len(text) > 4 * _PIECE_CHARS
    assert {(c["attribute"], c["value"]) for c in claims} == {("range", 520.0), ("acceleration_0_100", 3.9)}
    assert all(text[c["start"]:c["end"]] in ("五百二十公里", "3.9秒") for c in claims)
    # The model named in the first sentence, pieces earlier, is still the model of the last claim.
    assert {c["model"] for c in claims} == {"汉EV"}


def test_a_model_named_later_does_not_reach_back():
    claims = extract_claims("续航五百二十公里。" + "说说别的。" * 100 + "汉EV续航六百公里。")
    assert [(c["value"], c["model"]) for c in claims] == [(520.0, None), (600.0, "汉EV")]


def test_text_without_punctuation_is_still_read():
    claims = extract_claims("油耗在8.2，" * 2_500)
    assert len(claims) == 2_500 and {c["value"] for c in claims} == {8.2}
