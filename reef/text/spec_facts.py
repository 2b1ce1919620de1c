"""Spec claims against the official spec sheet: the one comparison behind the risk radar's misinformation part,
the ladder's welcomes and the post page.

A claim (``content_features.claims``: attribute, value, model, qualifier, evidence) contradicts the sheet
(``official_facts_at(ts)``, kind spec) when it is comparable (an attribute listed in ``risks.claim_qualifiers``
only when its qualifier or sentence holds one of the words: a range is compared only as the CLTC/official figure),
its value differs from the nearest official value of a fitting model by more than the attribute's relative
tolerance (``risks.claim_tolerance``, else ``risks.claim_tolerance_default``) and it is plausible (within
``risks.claim_plausible_ratio`` times that value: a number many times off is a misread, not a rumour). A claim
naming no model takes the one model its sentence names, if exactly one; with none it is compared with every model
of the sheet (contradicts only when it fits none, and not at all when a model of the sheet has no value for it).
A claim about a model the sheet has no row for is not judged (:meth:`SpecSheet.named_models`): its ``model`` (the
text layer's) is not a sheet model, or its sentence names one — the sheet's series prefix with another code (星驰A3
beside 星驰A1), a bare code such as A3 or X5 that is no sheet model's code, or a car model of the text lexicon.

Example:
    >>> rules = ClaimRules({"range": 0.05}, 0.1, {"range": ["cltc"]}, 5.0)
    >>> sheet = SpecSheet([("澜途S7", "range_cltc", 620.0, "km", "官网配置表")])
    >>> claim = {"attribute": "range", "value": 450.0, "model": None, "qualifier": "CLTC", "evidence": "澜途S7的CLTC续航只有450km"}
    >>> hit = sheet.contradiction(claim, rules)
    >>> hit["official"], hit["model"], hit["source"], official_text(hit, "zh")
    (620.0, '澜途S7', '官网配置表', 'CLTC续航620公里')
    >>> sheet.contradiction({**claim, "value": 615.0}, rules) is None   # within 5 %
    True
    >>> sheet.contradiction({**claim, "evidence": "澜途X5的CLTC续航只有450km"}, rules) is None   # no row for 澜途X5
    True
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["ATTRIBUTE_ALIASES", "SPEC_NAME_ALIASES", "ClaimRules", "SpecSheet", "contradictions", "official_text", "spec_attribute",
           "unknown_spec_reason", "UNKNOWN_SPEC_TAIL", "with_unit"]

# Official spec attribute names -> the text layer's claim attributes (docs/text.md).
ATTRIBUTE_ALIASES = {"range_cltc": "range", "range": "range", "accel_0_100": "acceleration_0_100", "battery_kwh": "battery_capacity",
                     "dc_charge_10_80": "charging_time", "price": "price", "warranty": "warranty"}
# Names spec sheets use for those attributes -> the canonical name (docs/data-model.md, "Spec attribute names"). Compared
# after spec_attribute's normalisation (lower case, no spaces); a range named without CLTC is the plain range.
SPEC_NAME_ALIASES = {
    **dict.fromkeys(("cltc续航", "cltc纯电续航", "cltc续航里程", "官方续航", "标称续航", "续航(cltc)", "续航（cltc）"), "range_cltc"),
    **dict.fromkeys(("续航", "续航里程", "纯电续航", "纯电续航里程"), "range"),
    **dict.fromkeys(("0-100加速", "0-100km/h加速", "0-100km/h加速时间", "百公里加速", "百公里加速时间", "零百加速", "零百", "0-100",
                     "0-100km/h"), "accel_0_100"),
    **dict.fromkeys(("电池容量", "电池电量", "带电量", "电池能量"), "battery_kwh"),
    **dict.fromkeys(("快充", "快充时间", "直流快充", "快充10-80%", "10-80%快充", "快充(10-80%)", "快充（10-80%）"), "dc_charge_10_80"),
    **dict.fromkeys(("价格", "指导价", "官方指导价", "厂商指导价", "售价", "起售价"), "price"),
    **dict.fromkeys(("质保", "整车质保", "保修", "整车保修"), "warranty"),
}

# What a sheet attribute's figure is measured by, named before it in the official text ("CLTC续航620公里").
_FACT_QUALIFIERS = {"range_cltc": "CLTC", "dc_charge_10_80": "10-80%"}

# Units of the spec sheet (official_facts.unit) as the texts write them after a value: (zh, en). Units not listed are
# written as the sheet has them (a space before them in English).
_UNITS = {"年": ("年", "years"), "year": ("年", "years"), "years": ("年", "years"), "万元": ("万元", None), "元": ("元", "CNY"),
          "km": ("公里", "km"), "公里": ("公里", "km"), "千米": ("公里", "km"), "s": ("秒", "s"), "秒": ("秒", "s"),
          "min": ("分钟", "min"), "分钟": ("分钟", "min"), "h": ("小时", "h"), "小时": ("小时", "h"), "kwh": ("kWh", "kWh"),
          "度": ("kWh", "kWh"), "千瓦时": ("kWh", "kWh"), "kw": ("kW", "kW"), "千瓦": ("kW", "kW"), "万公里": ("万公里", None)}


# A sheet model: a Chinese series prefix and a Latin/number code ("澜途S7", "星驰 A1", "星驰001").
_MODEL_PARTS = re.compile(r"^(?P<prefix>[^\x00-\x7f]+?)\s*(?P<code>[A-Za-z]{0,3}\d{1,4})[A-Za-z0-9+ -]*$")
# A bare model code in a sentence: one or two letters and a number (A3, X5, SU7), not inside a longer run of letters
# and digits (CLTC520, EPA400, 4S, 10.93s) nor a version (V3.2); _NOT_MODELS are codes that name no car.
# A code ends before a digit or a decimal point, except a model run into "0-100" ("澜途S70-100加速" is S7's 0-100).
# Likewise a model run into a charging window ("澜途S710-80%快充" is S7's 10-80 %): a code never ends just before the
# dash of a percent range, and may end before the range's first number (5-99, no leading zero).
_RANGE_TAIL = r"\s*[-~～到至]\s*(?:100|\d{1,3}\s*[%％])"
_CODE_END = rf"(?:(?=0\s*[-~～到至]\s*100)|(?=[1-9]\d?\s*[-~～到至]\s*\d{{1,3}}\s*[%％])|(?![\d.])(?!{_RANGE_TAIL}))"
_BARE_CODE = re.compile(rf"(?<![A-Za-z0-9.])[A-Za-z]{{1,2}}\d{{1,3}}{_CODE_END}(?![A-Z](?![a-z]))")
_NOT_MODELS = frozenset({"l0", "l1", "l2", "l3", "l4", "l5", "q1", "q2", "q3", "q4", "h1", "h2", "v2", "5g"})

def spec_attribute(name: str | None) -> str | None:
    """The canonical spec attribute a sheet's name stands for (a canonical name or a Chinese alias), else None.

    >>> spec_attribute("0-100加速"), spec_attribute(" CLTC续航 "), spec_attribute("accel_0_100"), spec_attribute("马力")
    ('accel_0_100', 'range_cltc', 'accel_0_100', None)
    """
    key = "".join(str(name or "").split()).lower()
    return key if key in ATTRIBUTE_ALIASES else SPEC_NAME_ALIASES.get(key)


def unknown_spec_reason(name: str) -> str:
    """The quarantine reason of a spec row whose attribute the misinformation check cannot compare (the import writes
    the same sentence in SQL: reef.ingest.validate)."""
    return f"unknown spec attribute '{name[:80]}'" + UNKNOWN_SPEC_TAIL


UNKNOWN_SPEC_TAIL = (f": the misinformation check compares only {', '.join(ATTRIBUTE_ALIASES)} or their Chinese names "
                     "(docs/data-model.md, 'Spec attribute names'); rename the attribute, or import it as kind selling_point, "
                     "and import again")


def with_unit(value: float, unit: str | None) -> tuple[str, str]:
    """An official value with its unit as the zh and en texts write it (the value alone when the sheet gives no unit).

    >>> with_unit(8, "年"), with_unit(32.98, "万元"), with_unit(705, "km"), with_unit(5.4, "s")
    (('8年', '8 years'), ('32.98万元', '329,800 CNY'), ('705公里', '705 km'), ('5.4秒', '5.4 s'))
    >>> with_unit(1, "年"), with_unit(12, "万公里"), with_unit(620, None)
    (('1年', '1 year'), ('12万公里', '120,000 km'), ('620', '620'))
    """
    u = (unit or "").strip()
    if not u:
        return f"{value:g}", f"{value:g}"
    zh, en = _UNITS.get(u.lower(), (u, u))
    if u == "万元":  # ten thousand yuan: English readers get the amount itself
        return f"{value:g}{zh}", f"{value * 10000:,.0f} CNY"
    if u == "万公里":
        return f"{value:g}{zh}", f"{value * 10000:,.0f} km"
    if en == "years" and value == 1:
        en = "year"
    return f"{value:g}{zh}", f"{value:g} {en}"


@dataclass(frozen=True)
class ClaimRules:
    """The comparison's settings (``risks.claim_*``): tolerances per attribute, qualifier words (lower case), plausibility."""

    tolerance: dict
    default_tolerance: float
    qualifiers: dict
    plausible_ratio: float

    @classmethod
    def from_config(cls, config) -> "ClaimRules":
        return cls.from_section(config.section("risks"))

    @classmethod
    def from_section(cls, c: dict) -> "ClaimRules":
        """From the ``[risks]`` section as a dict."""
        return cls(dict(c.get("claim_tolerance") or {}), float(c["claim_tolerance_default"]),
                   {a: [q.lower() for q in v] for a, v in dict(c.get("claim_qualifiers") or {}).items()},
                   float(c["claim_plausible_ratio"]))

    def tolerance_of(self, attribute: str) -> float:
        return float(self.tolerance.get(attribute, self.default_tolerance))


class SpecSheet:
    """Official spec values by claim attribute: ``rows`` of (model, attribute, value, unit, source)."""

    def __init__(self, rows) -> None:
        self.by_attribute: dict[str, list[tuple[str | None, float, str | None, str | None, str]]] = {}
        for model, attr, value, unit, source in rows:
            name = spec_attribute(attr)  # a row the import let through before names were checked stays out
            if name is not None:
                self.by_attribute.setdefault(ATTRIBUTE_ALIASES[name], []).append((model, float(value), unit, source, name))
        self.models = sorted({m for vals in self.by_attribute.values() for m, *_ in vals if m}, key=len, reverse=True)  # longest first
        # A model's series prefix and code ("澜途" + "S7"): a code after the prefix, or a bare code, names a model too.
        split = [(m, _MODEL_PARTS.match(m)) for m in self.models]
        self.codes = {p["code"].lower(): m for m, p in split if p}
        prefixes = sorted({p["prefix"] for _, p in split if p}, key=len, reverse=True)
        digits = any(c.isdigit() for c in self.codes)  # a sheet of digit codes (星驰001) reads "星驰002" as a model
        self._series = re.compile(rf"(?:{'|'.join(map(re.escape, prefixes))})\s*(?P<code>[A-Za-z]{{{0 if digits else 1},3}}\d{{1,4}}){_CODE_END}",
                                  re.IGNORECASE) if prefixes else None

    @classmethod
    def load(cls, store, ts) -> "SpecSheet":
        """The sheet in force at ``ts``."""
        return cls(store.fetch_all("SELECT model, attribute, value, unit, source FROM official_facts_at($ts) "
                                   "WHERE kind = 'spec' AND value IS NOT NULL ORDER BY fact_id", {"ts": ts}))

    def resolve(self, name: str) -> str | None:
        """The sheet model ``name`` stands for (its full name, a name ending in it, its code), else None.

        >>> SpecSheet([("澜途S7", "range_cltc", 620, "km", "")]).resolve("S7"), SpecSheet([("澜途S7", "range_cltc", 620, "km", "")]).resolve("澜途X5")
        ('澜途S7', None)
        """
        key = "".join(name.split()).lower()
        for m in self.models:
            low = "".join(m.split()).lower()
            if key == low or (key.startswith(low) and not key[len(low)].isdigit()) \
                    or (low.endswith(key) and not low[-len(key) - 1].isascii()):
                return m
        return self.codes.get(key)

    def named_models(self, sentence: str) -> tuple[set[str], set[str]]:
        """(sheet models, names of models the sheet has no row for) that ``sentence`` names.

        >>> s = SpecSheet([("星驰A1", "range_cltc", 620, "km", ""), ("星驰L9", "range_cltc", 700, "km", "")])
        >>> s.named_models("星驰A3官方CLTC续航520公里"), s.named_models("L2辅助驾驶，V2L放电")
        ((set(), {'星驰A3'}), (set(), set()))
        >>> sorted(s.named_models("L9和A1的续航")[0])
        ['星驰A1', '星驰L9']
        """
        from reef.text.lexicon import car_models_pattern

        known, unknown, spans = set(), set(), []
        found = [m for m in (self._series.finditer(sentence) if self._series else ())]
        found += [m for m in _BARE_CODE.finditer(sentence) if m.group(0).lower() not in _NOT_MODELS]
        found += list(car_models_pattern().finditer(sentence))
        for m in sorted(found, key=lambda m: (m.start(), -m.end())):
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                continue  # "S7" inside "澜途S7"
            spans.append(m.span())
            model = self.resolve(m.group(0))
            if model:
                known.add(model)
            else:
                unknown.add(m.group(0))
        low = sentence.lower()
        for m in self.models:  # a sheet model no pattern above reads (a Chinese name: 海豹), not inside a name read ("澜途S70")
            if m not in known and m.lower() in low and not any(low[a:b].startswith(m.lower()) for a, b in spans):
                known.add(m)
        return known, unknown

    def contradiction(self, claim: dict[str, Any], rules: ClaimRules) -> dict[str, Any] | None:
        """``{attribute, fact_attribute, model, official, unit, source, claimed, evidence}`` when ``claim`` contradicts the sheet,
        else None (``fact_attribute``: the sheet's own name, e.g. range_cltc)."""
        attr = claim["attribute"]
        if claim.get("value") is None:
            return None
        # A range or charging time is only comparable with the sheet when stated as the official (CLTC, 10-80%) figure;
        # the qualifier may sit anywhere in the claim's sentence, not only where the text layer put it.
        said = f"{claim.get('qualifier') or ''} {claim.get('evidence') or ''}".lower()
        if rules.qualifiers.get(attr) and not any(q in said for q in rules.qualifiers[attr]):
            return None
        # The model the claim is about: the text layer's, else the one its own sentence names; a model the sheet has no
        # row for (a newer model, another brand's car) leaves the claim unjudged, even where the brand has one figure.
        known, unknown = self.named_models(claim.get("evidence") or "")
        model = claim.get("model")
        if model and (known or unknown) and not any(model.lower() in n.lower() or n.lower() in model.lower() for n in known | unknown):
            model = None  # the text layer's model comes from another sentence than the one its sentence names
        if model:
            model = self.resolve(model)
            if model is None:
                return None
        elif unknown:
            return None
        elif len(known) == 1:
            model = next(iter(known))
        value = float(claim["value"])
        rows = self.by_attribute.get(attr, [])
        cands = [row for row in rows if model is None or row[0] is None or model == row[0]]
        if not cands:
            return None  # nothing official to contradict
        # A claim naming no model, where models differ, may be about any of them (or no car at all): it is wrong only
        # when every model's value makes it wrong, so a model the sheet gives no value for leaves it unjudged.
        if model is None and len(self.models) > 1 and not any(row[0] is None for row in rows):
            if {row[0] for row in rows} != set(self.models):
                return None
        best = min(cands, key=lambda row: abs(row[1] - value))
        off = best[1]
        if abs(off - value) <= rules.tolerance_of(attr) * abs(off):
            return None
        # A value many times off every official figure is a misread number (e.g. two numbers run together), not a rumour.
        if not off / rules.plausible_ratio <= abs(value) <= off * rules.plausible_ratio:
            return None
        return {"attribute": attr, "fact_attribute": best[4], "model": best[0], "official": off, "unit": best[2], "source": best[3],
                "claimed": value, "evidence": claim.get("evidence")}


def official_text(hit: dict[str, Any], lang: str) -> str:
    """The official figure a contradiction names, with what the sheet measures it by, e.g. ``CLTC续航620公里`` / ``CLTC range 620 km``."""
    from reef.text.claims import ATTRIBUTE_NAMES

    en = lang == "en"
    name = ATTRIBUTE_NAMES.get(hit["attribute"], (hit["attribute"], hit["attribute"]))[en]
    value = with_unit(hit["official"], hit["unit"])[en]
    qual = _FACT_QUALIFIERS.get(hit.get("fact_attribute"), "")
    return f"{qual} {name} {value}".strip() if en else f"{qual}{name}{value}"


def contradictions(store, ts, content_ids, rules: ClaimRules, sheet: SpecSheet | None = None) -> dict[str, list[dict[str, Any]]]:
    """Claims of ``content_ids`` (from ``content_features``) that contradict the sheet in force at ``ts``, by content id."""
    ids = list(dict.fromkeys(content_ids))
    if not ids or not store.table_exists("content_features") or not store.table_exists("official_facts"):
        return {}
    sheet = sheet or SpecSheet.load(store, ts)
    if not sheet.by_attribute:
        return {}
    rows = store.fetch_dicts("""SELECT content_id, k.model AS model, k.attribute AS attribute, k.value AS value,
                                       k.qualifier AS qualifier, k.evidence AS evidence
                                FROM (SELECT content_id, unnest(claims) AS k FROM content_features
                                      WHERE content_id IN (SELECT unnest($ids)) AND len(claims) > 0)""", {"ids": ids})
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        hit = sheet.contradiction(row, rules)
        if hit is not None:
            out.setdefault(row["content_id"], []).append(hit)
    return out
