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

Example:
    >>> rules = ClaimRules({"range": 0.05}, 0.1, {"range": ["cltc"]}, 5.0)
    >>> sheet = SpecSheet([("澜途S7", "range_cltc", 620.0, "km", "官网配置表")])
    >>> claim = {"attribute": "range", "value": 450.0, "model": None, "qualifier": "CLTC", "evidence": "澜途S7的CLTC续航只有450km"}
    >>> hit = sheet.contradiction(claim, rules)
    >>> hit["official"], hit["model"], hit["source"], official_text(hit, "zh")
    (620.0, '澜途S7', '官网配置表', 'CLTC续航620公里')
    >>> sheet.contradiction({**claim, "value": 615.0}, rules) is None   # within 5 %
    True
"""
from __future__ import annotations

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

    @classmethod
    def load(cls, store, ts) -> "SpecSheet":
        """The sheet in force at ``ts``."""
        return cls(store.fetch_all("SELECT model, attribute, value, unit, source FROM official_facts_at($ts) "
                                   "WHERE kind = 'spec' AND value IS NOT NULL ORDER BY fact_id", {"ts": ts}))

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
        # A claim whose model the text layer missed takes the one model its own sentence names, if exactly one.
        named = [m for m in self.models if m.lower() in (claim.get("evidence") or "").lower()]
        model = claim.get("model") or (named[0] if len(named) == 1 else None)
        value = float(claim["value"])
        rows = self.by_attribute.get(attr, [])
        cands = [row for row in rows if model is None or row[0] is None or model == row[0] or (model in row[0] or row[0] in model)]
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
