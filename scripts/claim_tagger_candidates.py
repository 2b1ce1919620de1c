"""Claim candidates for the learned-decision prototype (scripts/claim_tagger_cv.py).

Replays the loop of ``reef.text.claims._piece_claims`` over the rules' number+unit patterns, but instead of
dropping a number when a cue or guard check fails, it records every check as a feature and keeps the number as a
candidate with the (attribute, value, unit) the rule would assign. ``rule_accepts`` is set exactly when the real
extractor would emit the claim (checked against ``extract_claims`` by the CV script).

Price parsing is reimplemented here without the cue checks (``reef.text.claim_price.price_value`` mixes both):
an amount with a money unit (or 万/千 in the number, or a bare 1000-200000 right after 优惠) gets a value in 万元.

Example:
    >>> [(c["attribute"], c["value"], c["rule_accepts"]) for c in candidates("修车花了2万，油耗8个")]
    [('price', 2.0, False), ('consumption_fuel', 8.0, True)]
"""
from __future__ import annotations

import re
from typing import Any

from reef.text import claims as C
from reef.text.claim_cues import GOVERNED, other_cue
from reef.text.claim_price import BARE_DISCOUNT, SENTENCE_END, cue_near, money_amount, price_value, sentence_end
from reef.text.numerals import parse_number, parse_span

__all__ = ["candidates"]

_DELTA_ATTRS = ("price", "consumption_fuel", "acceleration_0_100", "range")


def _price_parse(m: re.Match, clause: str, s: int) -> tuple[float, float | None] | None:
    """The amount in 万元 of a price-rule match, whatever its cue: None when it carries no money unit."""
    unit = m["unit"]
    if (not unit and m["num"].isdigit() and not m["num2"] and 1000 <= int(m["num"]) <= 200_000
            and BARE_DISCOUNT.search(clause, 0, s)):
        return int(m["num"]) / 1e4, None
    if not unit and not re.search("[万千]", m[0]):
        return None
    value, value2 = parse_span(m["num"], m["num2"])
    if value is None:
        return None
    return money_amount(m, value, value2)


def _piece_candidates(text: str, base: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    carried: set[str] = set()
    current = 0
    for clause_idx, (clause, offset, sentence_start) in enumerate(C.clause_spans(text), start=1):
        if sentence_start != current:
            carried, current = set(), sentence_start
        taken: list[tuple[int, int]] = []
        found: set[str] = set()
        for rule_idx, ((attribute, pattern, cue, scale, unit), needs) in enumerate(zip(C.CLAIM_RULES, C.RULE_NEEDS)):
            if not needs.search(clause):
                continue
            for m in pattern.finditer(clause):
                s, e = (m.start("num"), m.end()) if cue is GOVERNED else m.span()
                overlap = any(s < te and ts < e for ts, te in taken)
                block = s > 0 and (C.BLOCK_BEFORE.search(clause[:s]) is not None or clause[s - 1].isdigit())
                delta_b = attribute in _DELTA_ATTRS and C.DELTA_BEFORE.search(clause, max(0, s - 6), s) is not None
                delta_a = attribute in _DELTA_ATTRS and C.DELTA_AFTER.match(clause, e) is not None
                if attribute == "price":
                    money = _price_parse(m, clause, s)
                    if money is None:
                        continue
                    value, value2 = money
                    passed = (not (overlap or block or delta_b or delta_a)
                              and price_value(m, clause, text, offset, sentence_start, carried) is not None)
                    cue_ok = cue_near(clause, s, cue)
                else:
                    value, value2 = parse_span(m["num"], m["num2"])
                    if value is None:
                        continue
                    passed = other_cue(attribute, m, clause, text, s, e, cue, offset, sentence_start, carried, value)
                    cue_ok = cue_near(clause, s, cue) if cue is not GOVERNED else True
                factor = scale.get(m["unit"], 1.0)
                if attribute == "consumption_fuel" and m["unit"] in ("个", "个油"):
                    tenth = re.match(r"([一二三四五六七八九])(?![个十百千万月人])", clause[e:])
                    if tenth and m["num"].isdigit():
                        value += parse_number(tenth.group(1)) / 10
                u = "万公里" if attribute == "warranty" and m["unit"] == "万公里" else unit
                accepts = passed and not (overlap or block or delta_b or delta_a)
                sent_text = text[sentence_start:sentence_end(text, offset + e)]
                out.append({
                    "attribute": attribute, "value": round(value * factor, 4), "unit": u, "raw_unit": m["unit"],
                    "num": m["num"], "is_range": bool(m["num2"]), "rule": rule_idx,
                    "start": base + offset + s, "end": base + offset + e,
                    "rule_accepts": accepts, "cue_pass": passed, "overlap_taken": overlap, "block_before": block,
                    "delta_before": delta_b, "delta_after": delta_a, "cue_near": cue_ok,
                    "cue_in_sentence": cue.search(sent_text) is not None,
                    "carried_same": attribute in carried, "carried_any": bool(carried),
                    "clause": clause, "sentence": sent_text, "clause_idx": clause_idx,
                })
                if accepts:
                    taken.append((s, e))
                    found.add(attribute)
        carried |= found
    return out


# Extra generators beyond the rules' patterns (``extra=True``): a bare number in a sentence that names 油耗 (owners'
# "11.4左右 高速…8左右"), and a capital S after a time ("加速7.6S"). They only widen what the learner may accept.
_BARE = re.compile(r"(?<![\d.])(?P<num>\d{1,2}(?:\.\d+)?|[一二三四五六七八九十]{1,3}(?:点[一二三四五六七八九])?)(?P<num2>)(?P<unit>)"
                   r"(?![\d.]|\s*(?:万|千|公里|km|KM|年|月|天|%|块|元|次|度|秒|分|小时|码|毛|角|钱|号|款|T|t|万公里))")
_CAP_S = re.compile(r"(?<![\d.])(?P<num>\d{1,2}(?:\.\d+)?)(?P<num2>)\s*(?P<unit>S)(?![a-zA-Z])")
_FUEL_WORD = re.compile(r"油耗|有耗")


def _extra_candidates(text: str, taken: list[tuple[int, int]]) -> list[dict[str, Any]]:
    out = []
    for attribute, pattern, unit, lo, hi in (("consumption_fuel", _BARE, "L/100km", 1.5, 30),
                                             ("acceleration_0_100", _CAP_S, "s", 2, 20)):
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            sent_start = max(text.rfind(ch, 0, s) for ch in SENTENCE_END) + 1
            sent_text = text[sent_start:sentence_end(text, e)]
            if attribute == "consumption_fuel" and not _FUEL_WORD.search(sent_text):
                continue
            value = parse_number(m["num"])
            if value is None or not lo <= value <= hi:
                continue
            cstart = max([text.rfind(ch, 0, s) for ch in "。！？!?；;\n,，"]) + 1
            cend = min([i for i in (text.find(ch, e) for ch in "。！？!?；;\n,，") if i != -1] or [len(text)])
            out.append({"attribute": attribute, "value": round(value, 4), "unit": unit, "raw_unit": m["unit"],
                        "num": m["num"], "is_range": False, "rule": -1, "start": s, "end": e,
                        "rule_accepts": False, "cue_pass": False, "overlap_taken": False, "block_before": False,
                        "delta_before": C.DELTA_BEFORE.search(text, max(0, s - 6), s) is not None,
                        "delta_after": C.DELTA_AFTER.match(text, e) is not None, "cue_near": False,
                        "cue_in_sentence": True, "carried_same": False, "carried_any": False,
                        "clause": text[cstart:cend], "sentence": sent_text, "clause_idx": 0})
    return out


def candidates(text: str, extra: bool = False) -> list[dict[str, Any]]:
    """Every number the claim rules' unit patterns match in ``text``, with the rules' checks as fields."""
    if not text:
        return []
    if "，" in text and "油耗" in text:
        text = C.COMMA_DECIMAL.sub(r"\1.\2", text)
    out: list[dict[str, Any]] = []
    for base, piece in C.text_pieces(text):
        out.extend(_piece_candidates(piece, base))
    if extra:
        out.extend(_extra_candidates(text, [(c["start"], c["end"]) for c in out]))
    # One number may be matched by several rules of the same attribute (the fuel patterns): keep the first match,
    # OR its rule checks, and note every rule that matched.
    merged: dict[tuple, dict[str, Any]] = {}
    for c in out:
        k = (c["attribute"], c["start"], c["value"])
        if k not in merged:
            c["rules"] = {c["rule"]}
            c["text"] = text
            merged[k] = c
        else:
            d = merged[k]
            d["rules"].add(c["rule"])
            for f in ("rule_accepts", "cue_pass", "cue_near", "cue_in_sentence"):
                d[f] = d[f] or c[f]
    return sorted(merged.values(), key=lambda c: (c["start"], c["rule"]))
