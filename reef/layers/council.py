"""The advisory council (核心顾问团): long-tenured, broadly trusted, constructive members, balanced.

Candidates (``layers_council_candidates``): members at ladder stage >= ``council_fallback_stage`` who
joined at least ``council_min_tenure_days`` ago. Eligible when they meet the conduct standard
(:mod:`reef.layers.standing`: at most ``conduct_max_hostile`` hostile acts on record, not on the backlash
care list, not cooling off) and wrote no hostile reply in an escalated conflict thread. Quality 0-1 = ``council_weights`` x parts: ``tenure`` (days /
``council_tenure_full_days``, capped), ``breadth`` (entropy of the circles of the members who turn to
them — asks, accepted answers, agreement, mentions, quotes — over ln(number of circles)), ``trusters``
(distinct such members, scaled by ``score_quantile``) and ``potential`` (ladder, /100).

The slate (:func:`propose_slate`) is greedy: each seat goes to the eligible candidate with the largest
quality + ``council_balance_weight`` x the share of ``council_dimensions`` (car model, region, circle,
tenure band) in which they fill an open quota, a value's quota being max(1, round(seats x its share of
the community)). Stage-4 members only, unless fewer than ``council_candidate_factor`` x seats are
eligible: then stage-3 members join the pool (``fallback`` in the result says so).

Example:
    >>> cands = [{"member_id": "a", "quality": 0.9, "stage": 4, "car_model": "S7"},
    ...          {"member_id": "b", "quality": 0.8, "stage": 4, "car_model": "S7"},
    ...          {"member_id": "c", "quality": 0.7, "stage": 4, "car_model": "L9"}]
    >>> shares = {"car_model": {"S7": 0.5, "L9": 0.5}}
    >>> [s["member_id"] for s in propose_slate(cands, shares, 2, balance=0.6, factor=0)["slate"]]
    ['a', 'c']
"""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa

from reef.i18n import counted, plural
from reef.layers.common import scaled, write_table
from reef.layers.standing import conduct_bar, left_out_because, record_note, standing

__all__ = ["propose_slate", "write_council", "community_shares", "tenure_band", "exclusion_label"]


def tenure_band(days: float | None, bands: list[int]) -> str | None:
    """'<365d', '365-730d', '730d+' style band of a tenure in days."""
    if days is None:
        return None
    edges = sorted(int(b) for b in bands)
    for i, edge in enumerate(edges):
        if days < edge:
            return f"<{edge}d" if i == 0 else f"{edges[i - 1]}-{edge}d"
    return f"{edges[-1]}d+" if edges else "all"


def community_shares(store, as_of: datetime, p: dict) -> dict[str, dict[str, float]]:
    """Share of each value of each balance dimension among the members with a circle (the active community)."""
    rows = store.fetch_all("""
        SELECT m.car_model, m.region, cm.circle_id, date_diff('day', m.joined_at, $ts::TIMESTAMPTZ) AS tenure
        FROM layers_circle_members cm JOIN members_at($ts) m USING (member_id)""", {"ts": as_of}) if store.table_exists("layers_circle_members") else []
    dims = list(p["council_dimensions"])
    counts: dict[str, dict[str, int]] = {d: {} for d in dims}
    bands = list(p["council_tenure_bands"])
    for car, region, circle, tenure in rows:
        values = {"car_model": car, "region": region, "circle": circle, "tenure": tenure_band(tenure, bands)}
        for d in dims:
            v = values.get(d)
            if v:
                counts[d][v] = counts[d].get(v, 0) + 1
    return {d: {v: n / sum(c.values()) for v, n in sorted(c.items(), key=lambda x: -x[1])} for d, c in counts.items()}


def propose_slate(candidates: list[dict], shares: dict[str, dict[str, float]], seats: int, *, balance: float,
                  factor: float, min_stage: int = 4) -> dict:
    """Greedy balanced slate from eligible ``candidates`` (dicts with member_id, quality, stage and dimension values)."""
    top = [c for c in candidates if c["stage"] >= min_stage]
    fallback = len(top) < factor * seats
    pool = list(candidates if fallback else top)
    quota = {d: {v: max(1, int(round(seats * s))) for v, s in vals.items()} for d, vals in shares.items()}
    filled: dict[str, dict[str, int]] = {d: {} for d in shares}
    slate = []
    while pool and len(slate) < seats:
        best, best_gain, best_cov = None, -np.inf, []
        for c in pool:
            cov = [d for d in shares if c.get(d) is not None and filled[d].get(c[d], 0) < quota[d].get(c[d], 1)]
            gain = float(c["quality"]) + balance * len(cov) / max(len(shares), 1)
            if gain > best_gain + 1e-12 or (abs(gain - best_gain) <= 1e-12 and best is not None and c["member_id"] < best["member_id"]):
                best, best_gain, best_cov = c, gain, cov
        pool.remove(best)
        for d in shares:
            if best.get(d) is not None:
                filled[d][best[d]] = filled[d].get(best[d], 0) + 1
        slate.append({**best, "seat": len(slate) + 1, "objective_gain": round(best_gain, 4),
                      "balance_gain": round(best_gain - float(best["quality"]), 4), "covers": best_cov})
    coverage = []
    for d, vals in shares.items():
        for v, s in vals.items():
            # unrounded: the council reader sums these shares again, and 4-decimal roundings summed passed 100 %
            coverage.append({"dimension": d, "value": v, "community_share": s, "quota": quota[d][v],
                             "seats": filled[d].get(v, 0)})
    summary = {d: {"values": len(vals), "covered": sum(1 for v in vals if filled[d].get(v)),
                   "members_represented": round(min(1.0, sum(s for v, s in vals.items() if filled[d].get(v))), 4)}
               for d, vals in shares.items()}
    return {"seats": seats, "slate": slate, "fallback": fallback, "pool": len(candidates if fallback else top),
            "coverage": coverage, "summary": summary}


def _candidates(store, as_of: datetime, p: dict) -> list[dict]:
    trust = ("""SELECT d.dst AS member_id, count(*) AS trusters, entropy(s.circle_id) AS bits, count(DISTINCT s.circle_id) AS circles
                FROM (SELECT DISTINCT e.dst, e.src FROM network_edges e JOIN cand c ON c.member_id = e.dst
                      WHERE e.kind IN (SELECT unnest($kinds))) d LEFT JOIN layers_circle_members s ON s.member_id = d.src GROUP BY 1"""
             if store.table_exists("network_edges") else "SELECT NULL::VARCHAR AS member_id, 0 AS trusters, 0.0 AS bits, 0 AS circles WHERE false")
    return store.fetch_dicts(f"""
        WITH cand AS (SELECT l.member_id, l.name, l.stage, l.stage_name, l.stage_name_en, coalesce(l.potential, 0) AS potential,
                             coalesce(l.life_hostile, 0) AS life_hostile, date_diff('day', m.joined_at, $ts::TIMESTAMPTZ) AS tenure_days,
                             m.car_model, m.region, cm.circle_id, ci.name AS circle_name
                      FROM ladder_members l JOIN members_at($ts) m USING (member_id)
                      LEFT JOIN layers_circle_members cm USING (member_id) LEFT JOIN layers_circles ci ON ci.circle_id = cm.circle_id
                      WHERE l.stage >= $stage AND m.joined_at <= $ts::TIMESTAMPTZ - to_days($tenure)),
        trust AS ({trust})
        SELECT c.*, coalesce(t.trusters, 0) AS trusters, coalesce(t.bits, 0) AS bits, coalesce(t.circles, 0) AS circles
        FROM cand c LEFT JOIN trust t USING (member_id) ORDER BY c.member_id""",
        {"ts": as_of, "stage": int(p["council_fallback_stage"]), "tenure": int(p["council_min_tenure_days"]),
         "kinds": list(p["trust_kinds"])})


_SHORT = {"hostile": ("不当言论", "hostile acts"), "conflict": ("冲突帖敌意回复", "conflict thread"),
          "care": ("关怀名单", "care list"), "burnout": ("倦怠风险", "burnout risk"),
          "stage": ("未达第4阶（第3阶仅在第4阶候选不足时补位）", "below stage 4 (stage 3 joins only when stage 4 is too few)")}
_REASONS = {"hostile": ("有{n}次人身攻击或不当言论记录", "{n:hostile act} on record"),
            "conflict": ("曾在升级的冲突帖中发表敌意回复", "hostile replies in an escalated conflict thread"),
            "care": ("在反噬关怀名单上（转负或投诉未回应，需先跟进）", "on the backlash care list (turning negative or complaints unanswered: follow up first)"),
            "burnout": ("近期活跃度骤降（倦怠风险）", "cooling off sharply (burnout risk)")}


def _assess(rows: list[dict], flags: dict, p: dict, n_circles: int) -> None:
    w, bar = p["council_weights"], conduct_bar(p)
    total = sum(float(v) for v in w.values()) or 1.0
    trusters = scaled(np.array([float(r["trusters"]) for r in rows]), float(p["score_quantile"]))
    for r, t in zip(rows, trusters):
        n_hostile = flags["hostile"].get(r["member_id"], 0)
        reasons = left_out_because(r["member_id"], flags["hostile"], flags, bar)
        if r["member_id"] in flags["conflict"]:
            reasons.insert(1 if "hostile" in reasons else 0, "conflict")
        parts = {"tenure": round(min(r["tenure_days"] / float(p["council_tenure_full_days"]), 1.0), 3),
                 "breadth": round(min(float(r["bits"]) / np.log2(n_circles), 1.0), 3) if n_circles > 1 else 0.0,
                 "trusters": round(float(t), 3), "potential": round(float(r["potential"]) / 100.0, 3)}
        r.update({f"{k}_part": v for k, v in parts.items()})
        r["quality"] = round(sum(float(w[k]) * v for k, v in parts.items()) / total, 4)
        r["eligible"] = not reasons
        r["excluded_because"] = reasons
        r["tenure"] = tenure_band(r["tenure_days"], list(p["council_tenure_bands"]))
        r["circle"] = r["circle_id"]
        record_zh = "；".join(_REASONS[k][0].format(n=n_hostile) for k in reasons) or record_note(n_hostile, bar, "zh") or "无冲突与不当言论记录"
        record_en = "; ".join(counted(_REASONS[k][1], n=n_hostile) for k in reasons) or record_note(n_hostile, bar, "en") or "no conflict or hostile record"
        r["evidence_zh"] = (f"注册{r['tenure_days']}天，成长阶梯第{r['stage']}阶（{r['stage_name']}）；{r['trusters']}位成员曾向其求助、"
                            f"采纳、认同、@或引用，来自{r['circles']}个兴趣圈（信任广度{parts['breadth']:.2f}）；{record_zh}")
        r["evidence_en"] = (f"joined {plural(r['tenure_days'], 'day')} ago, ladder stage {r['stage']} ({r['stage_name_en']}); "
                            f"{plural(r['trusters'], 'member')} asked, accepted, agreed with, mentioned or quoted them, from "
                            f"{plural(r['circles'], 'circle')} (trust breadth {parts['breadth']:.2f}); {record_en}")


_CAND_COLS = [("member_id", pa.string()), ("name", pa.string()), ("stage", pa.int64()), ("tenure_days", pa.int64()),
              ("tenure", pa.string()), ("car_model", pa.string()), ("region", pa.string()), ("circle_id", pa.string()),
              ("circle_name", pa.string()), ("trusters", pa.int64()), ("circles", pa.int64()), ("quality", pa.float64()),
              ("tenure_part", pa.float64()), ("breadth_part", pa.float64()), ("trusters_part", pa.float64()),
              ("potential_part", pa.float64()), ("eligible", pa.bool_()), ("excluded_because", pa.list_(pa.string())),
              ("evidence_zh", pa.string()), ("evidence_en", pa.string())]


def write_council(store, as_of: datetime, p: dict) -> int:
    """(Re)create the candidates, the slate for ``council_seats`` and its coverage; returns the seats filled."""
    rows = _candidates(store, as_of, p) if store.table_exists("ladder_members") else []
    n_circles = int(store.fetch_value("SELECT count(*) FROM layers_circles") or 0) if store.table_exists("layers_circles") else 0
    _assess(rows, standing(store, as_of, float(p["attack_toxicity"])), p, n_circles)
    rows.sort(key=lambda r: (not r["eligible"], -r["quality"], r["member_id"]))
    rows = rows[: int(p["council_keep"])]
    write_table(store, "layers_council_candidates",
                pa.Table.from_pylist([{c: r[c] for c, _ in _CAND_COLS} for r in rows], schema=pa.schema(_CAND_COLS)))
    shares = community_shares(store, as_of, p)
    result = propose_slate([r for r in rows if r["eligible"]], shares, int(p["council_seats"]),
                           balance=float(p["council_balance_weight"]), factor=float(p["council_candidate_factor"]),
                           min_stage=int(p["council_min_stage"]))
    seat_cols = [("seat", pa.int64())] + _CAND_COLS[:12] + [("objective_gain", pa.float64()), ("balance_gain", pa.float64()),
                                                             ("covers", pa.list_(pa.string())), ("fallback", pa.bool_()),
                                                             ("evidence_zh", pa.string()), ("evidence_en", pa.string())]
    write_table(store, "layers_council", pa.Table.from_pylist(
        [{**{c: s.get(c) for c, _ in seat_cols}, "fallback": result["fallback"]} for s in result["slate"]], schema=pa.schema(seat_cols)))
    cov_cols = [("dimension", pa.string()), ("value", pa.string()), ("community_share", pa.float64()), ("quota", pa.int64()),
                ("seats", pa.int64())]
    write_table(store, "layers_council_coverage", pa.Table.from_pylist(result["coverage"], schema=pa.schema(cov_cols)))
    return len(result["slate"])


def exclusion_label(code: str, lang: str = "zh") -> str:
    """A council exclusion reason (``hostile``, ``conflict``, ``care``, ``burnout``, ``stage``) in a few words of ``lang``.

    >>> exclusion_label("burnout"), exclusion_label("care", "en")
    ('倦怠风险', 'care list')
    """
    pair = _SHORT.get(code)
    return code if pair is None else pair[1 if lang == "en" else 0]
