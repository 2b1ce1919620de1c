"""Suggested leaders of each interest circle (圈层引领者), written to ``layers_circle_leaders``.

Candidates: members of the circle at ladder stage >= ``leader_min_stage`` who meet the conduct standard
(:mod:`reef.layers.standing`: at most ``conduct_max_hostile`` hostile acts on record, not in the risk radar's
burnout evidence nor on the backlash care list). Their evidence adds a hostile record below the bar, the
ladder's grace period before demotion and the radar's ``recently_inactive`` note. Parts (each 0-1):

* ``expertise`` — decayed weight of ties (``trust_kinds``: asks, accepted answers, agreement, mentions,
  quotes) from members of the same circle to the candidate, scaled by its ``score_quantile``;
* ``help`` — help credit (``network_help_acts``) given to members of the same circle, scaled likewise;
* ``stage`` — 1 at stage 4 (引领者), 0.5 at stage 3;
* ``affinity`` — the candidate's own confidence of belonging to the circle.

Score = 100 x weighted mean of the parts (``leader_weights``); the best ``leaders_per_circle`` per circle.

Example:
    >>> leader_score({"expertise": 1.0, "help": 0.5, "stage": 1.0, "affinity": 0.8},
    ...              {"expertise": 0.4, "help": 0.3, "stage": 0.15, "affinity": 0.15})
    82.0
"""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa

from reef.i18n import plural
from reef.layers.common import scaled, write_table
from reef.layers.standing import conduct_bar, left_out_because, record_note, risk_notes, standing

__all__ = ["leader_score", "write_leaders"]


def leader_score(parts: dict[str, float], weights: dict[str, float]) -> float:
    total = sum(float(weights[k]) for k in parts) or 1.0
    return round(100.0 * sum(float(weights[k]) * v for k, v in parts.items()) / total, 1)


def _candidates(store, as_of: datetime, p: dict) -> list[dict]:
    # Step by step through small temp tables: inside the analysis' transaction the fresh circle table has no
    # statistics, and a single query let DuckDB join the circle table with itself on circle_id first
    # (10^5 x 10^5 / k rows: 300 s at 200k members instead of under a second).
    store.execute("""CREATE OR REPLACE TEMP TABLE _lay_cand AS
        SELECT m.member_id, m.circle_id, m.confidence, l.name, l.stage, l.stage_name, l.stage_name_en, l.potential,
               coalesce(l.life_hostile, 0) AS life_hostile
        FROM layers_circle_members m JOIN ladder_members l USING (member_id) WHERE l.stage >= $stage""",
                  {"stage": int(p["leader_min_stage"])})
    trust = help_ = "SELECT NULL::VARCHAR AS member_id, NULL::VARCHAR AS other, 0.0 AS w WHERE false"
    if store.table_exists("network_edges"):
        store.execute("""CREATE OR REPLACE TEMP TABLE _lay_trust AS SELECT e.dst AS member_id, e.src AS other, e.weight AS w
                         FROM network_edges e WHERE e.kind IN (SELECT unnest($kinds)) AND e.dst IN (SELECT member_id FROM _lay_cand)""",
                      {"kinds": list(p["trust_kinds"])})
        trust = "SELECT * FROM _lay_trust"
    if store.table_exists("network_help_acts"):
        store.execute("""CREATE OR REPLACE TEMP TABLE _lay_help AS SELECT a.helper_id AS member_id, a.helped_id AS other, a.credit AS w
                         FROM network_help_acts a WHERE a.helper_id IN (SELECT member_id FROM _lay_cand)""")
        help_ = "SELECT * FROM _lay_help"
    rows = store.fetch_dicts(f"""
        WITH t AS (SELECT x.member_id, sum(x.w) AS trust, count(DISTINCT x.other) AS trusters
                   FROM ({trust}) x JOIN layers_circle_members o ON o.member_id = x.other
                   JOIN _lay_cand c ON c.member_id = x.member_id WHERE o.circle_id = c.circle_id GROUP BY 1),
        h AS (SELECT x.member_id, sum(x.w) AS help, count(DISTINCT x.other) AS helped
              FROM ({help_}) x JOIN layers_circle_members o ON o.member_id = x.other
              JOIN _lay_cand c ON c.member_id = x.member_id WHERE o.circle_id = c.circle_id GROUP BY 1)
        SELECT c.*, coalesce(t.trust, 0) AS trust, coalesce(t.trusters, 0) AS trusters, coalesce(h.help, 0) AS help,
               coalesce(h.helped, 0) AS helped
        FROM _lay_cand c LEFT JOIN t USING (member_id) LEFT JOIN h USING (member_id) ORDER BY c.circle_id, c.member_id""")
    store.execute("DROP TABLE IF EXISTS _lay_cand; DROP TABLE IF EXISTS _lay_trust; DROP TABLE IF EXISTS _lay_help")
    return rows


def write_leaders(store, as_of: datetime, p: dict) -> int:
    """(Re)create ``layers_circle_leaders`` and add each circle's ``leaders`` (member ids, best first)."""
    if not store.table_exists("ladder_members"):
        rows: list[dict] = []
    else:
        st, bar = standing(store, as_of, float(p["attack_toxicity"])), conduct_bar(p)
        rows = [r for r in _candidates(store, as_of, p) if not left_out_because(r["member_id"], st["hostile"], st, bar)]
        notes = {"zh": risk_notes(store, "zh"), "en": risk_notes(store, "en")}
    q = float(p["score_quantile"])
    expertise = scaled(np.array([float(r["trust"]) for r in rows]), q)
    helping = scaled(np.array([float(r["help"]) for r in rows]), q)
    weights = p["leader_weights"]
    for r, e, h in zip(rows, expertise, helping):
        parts = {"expertise": round(float(e), 3), "help": round(float(h), 3), "stage": 1.0 if r["stage"] >= 4 else 0.5,
                 "affinity": round(float(r["confidence"]), 3)}
        r.update({f"{k}_part": v for k, v in parts.items()})
        r["score"] = leader_score(parts, weights)
        r["evidence_zh"] = (f"圈内{r['trusters']}位成员曾向其求助、采纳其回答、认同、@或引用其内容（信任权重{r['trust']:.1f}）；"
                            f"为圈内{r['helped']}人提供帮助（互助积分{r['help']:.1f}）；成长阶梯第{r['stage']}阶（{r['stage_name']}）；"
                            f"归属本圈置信度{r['confidence']:.0%}")
        r["evidence_en"] = (f"{plural(r['trusters'], 'circle member')} asked them, accepted their answers, agreed with, mentioned or "
                            f"quoted them (trust weight {r['trust']:.1f}); helped {plural(r['helped'], 'circle member')} (help credit {r['help']:.1f}); ladder stage {r['stage']} "
                            f"({r['stage_name_en']}); {r['confidence']:.0%} confident they belong to this circle")
        for lang, sep in (("zh", "；"), ("en", "; ")):
            extra = [record_note(st["hostile"].get(r["member_id"], 0), bar, lang)] + notes[lang].get(r["member_id"], [])
            r[f"evidence_{lang}"] = sep.join([r[f"evidence_{lang}"]] + [x for x in extra if x])
    rows.sort(key=lambda r: (r["circle_id"], -r["score"], r["member_id"]))
    eligible: dict[str, int] = {}
    for r in rows:
        eligible[r["circle_id"]] = eligible.get(r["circle_id"], 0) + 1
    keep, rank, last = [], 0, None
    for r in rows:
        rank = rank + 1 if r["circle_id"] == last else 1
        last = r["circle_id"]
        if rank <= int(p["leaders_per_circle"]):
            keep.append({"circle_id": r["circle_id"], "rank": rank, "member_id": r["member_id"], "name": r["name"],
                         "stage": int(r["stage"]), "score": r["score"], "expertise_part": r["expertise_part"], "help_part": r["help_part"],
                         "stage_part": r["stage_part"], "affinity_part": r["affinity_part"], "trusters": int(r["trusters"]),
                         "trust_weight": round(float(r["trust"]), 3), "helped": int(r["helped"]), "help_credit": round(float(r["help"]), 2),
                         "confidence": float(r["confidence"]), "eligible": eligible[r["circle_id"]],
                         "evidence_zh": r["evidence_zh"], "evidence_en": r["evidence_en"]})
    schema = pa.schema([("circle_id", pa.string()), ("rank", pa.int64()), ("member_id", pa.string()), ("name", pa.string()),
                        ("stage", pa.int64()), ("score", pa.float64()), ("expertise_part", pa.float64()), ("help_part", pa.float64()),
                        ("stage_part", pa.float64()), ("affinity_part", pa.float64()), ("trusters", pa.int64()),
                        ("trust_weight", pa.float64()), ("helped", pa.int64()), ("help_credit", pa.float64()),
                        ("confidence", pa.float64()), ("eligible", pa.int64()), ("evidence_zh", pa.string()),
                        ("evidence_en", pa.string())])
    write_table(store, "layers_circle_leaders", pa.Table.from_pylist(keep, schema=schema))
    store.execute("""CREATE OR REPLACE TABLE layers_circles AS SELECT l.*, coalesce(x.leaders, []) AS leaders,
                         coalesce(x.candidates, 0) AS leader_candidates FROM layers_circles l
                     LEFT JOIN (SELECT circle_id, list(member_id ORDER BY rank) AS leaders, any_value(eligible) AS candidates
                                FROM layers_circle_leaders GROUP BY 1) x USING (circle_id) ORDER BY l.rank""")
    return len(keep)
