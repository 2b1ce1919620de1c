"""The registered analysis ``risks``: four families scored 0-100 with parts, evidence and alerts.

Tables (all as of the run's ``as_of``): ``risk_scores`` (one row per family), ``risk_parts``,
``risk_evidence`` (drill-down rows; part 'care' is the backlash care list), ``risk_series``
(weekly measures) and ``risk_alerts`` (current alerts with severity, ``first_seen`` = the earliest as_of the key was raised at, ``is_new`` when
the key was not raised at this severity or higher in the last ``risks.dedupe_days``). ``risk_alert_sightings`` keeps
every key raised at every run, ``risk_alert_log`` one row per key with its first and last sighting; what was delivered where is
``risk_alert_delivery`` (reef/risks/delivery_state.py).

Example:
    >>> from reef.analyses import discover
    >>> discover()["risks"].writes[:2]
    ('risk_scores', 'risk_parts')
"""
from __future__ import annotations

import pyarrow as pa

from reef.analyses.registry import register_analysis
from reef.risks.alert_log import SCORE_LOG_DDL, record_sightings
from reef.risks.backlash import backlash
from reef.risks.common import family_score, level, risk_base
from reef.risks.conflict import implosion
from reef.risks.entropy import entropy
from reef.risks.heat import heat_death

__all__ = ["FAMILIES", "RISK_TABLES", "compute_risks", "run_risks"]

FAMILIES = {"heat_death": (heat_death, "热寂", "heat death"), "implosion": (implosion, "内爆", "implosion"),
            "backlash": (backlash, "反噬", "backlash"), "entropy": (entropy, "熵增", "entropy")}
RISK_TABLES = ("risk_scores", "risk_parts", "risk_evidence", "risk_series", "risk_alerts", "risk_alert_log", "risk_alert_sightings",
               "risk_score_log")
_EVIDENCE_COLS = ("part", "subject", "member_id", "content_id", "value", "rank", "detail_zh", "detail_en")
_ALERT_COLS = ("part", "subject", "member_id", "content_id", "score", "message_zh", "message_en")


def compute_risks(store, as_of, config) -> dict[str, list[dict]]:
    """Run the four families and return the rows of every result table (nothing written)."""
    from reef.analyses.runner import resolve_as_of

    as_of = resolve_as_of(store, as_of)  # a date string or naive datetime works as in Community.analyze
    c = config.section("risks")
    with risk_base(store, as_of, int(c["horizon_days"])):  # one base for the four families
        results = {name: fn(store, as_of, config) for name, (fn, _, _) in FAMILIES.items()}
    out: dict[str, list[dict]] = {t: [] for t in SCHEMAS}
    for name, (fn, zh, en) in FAMILIES.items():
        r = results[name]
        score = family_score(r.parts)
        top = max(r.parts, key=lambda p: p.score) if r.parts else None
        out["risk_scores"].append({"family": name, "name_zh": zh, "name_en": en, "score": score, "level": level(score, c["alert_score"], c["high_score"]),
                                   "top_part": top.name if top else None, "summary_zh": top.note_zh if top else "", "summary_en": top.note_en if top else ""})
        out["risk_parts"] += [{"family": name, "part": p.name, "value": None if p.value is None else float(p.value), "score": p.score,
                               "baseline": None if p.baseline is None else float(p.baseline), "note_zh": p.note_zh, "note_en": p.note_en} for p in r.parts]
        out["risk_evidence"] += [{"family": name, **{k: e.get(k) for k in _EVIDENCE_COLS}} for e in r.evidence]
        out["risk_series"] += [{"family": name, "metric": s["metric"], "period": str(s.get("week_start", s.get("weeks_ago"))),
                                "value": float(s["value"])} for s in r.series]
        alerts = [{"family": name, **{k: a.get(k) for k in _ALERT_COLS}} for a in r.alerts]
        for a in alerts:
            a["score"] = float(a["score"] or 0)
            a["severity"] = level(a["score"], c["alert_score"], c["high_score"])
        # A family score above the bar is usually carried by a part that alerts itself; saying it twice is one event
        # sent as two messages (round seven: every family alert of the nine round-six replays came with a part alert).
        part_alerted = any(a["severity"] != "low" for a in alerts)
        if score >= c["alert_score"] and top and not (part_alerted and c["family_alert_only_without_parts"]):
            alerts.append({"family": name, "part": "family_score", "subject": name, "member_id": None, "content_id": None,
                           "score": float(score), "severity": level(score, c["alert_score"], c["high_score"]),
                           "message_zh": f"{zh}风险{score:.0f}分：{top.note_zh}", "message_en": f"{en} risk {score:.0f}: {top.note_en}"})
        for a in alerts:
            a["alert_key"] = f"{name}:{a['part']}:{a['subject']}"
        out["risk_alerts"] += [a for a in alerts if a["severity"] != "low"]
    # One alert per key: a part that raised a key twice would stop the whole run at the history's primary key
    # (a rumour post with two wrong claims did). The highest score stays.
    best: dict[str, dict] = {}
    for a in out["risk_alerts"]:
        if a["alert_key"] not in best or a["score"] > best[a["alert_key"]]["score"]:
            best[a["alert_key"]] = a
    out["risk_alerts"] = list(best.values())
    return out


def _write(store, table: str, rows: list[dict], as_of, schema: pa.Schema) -> None:
    data = pa.Table.from_pylist([{**r, "as_of": as_of} for r in rows], schema=schema.append(pa.field("as_of", pa.timestamp("us", tz="UTC"))))
    with store.registered("_risk_rows", data):
        store.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _risk_rows")


_S, _F, _I = pa.string(), pa.float64(), pa.int64()
SCHEMAS = {
    "risk_scores": pa.schema([("family", _S), ("name_zh", _S), ("name_en", _S), ("score", _F), ("level", _S), ("top_part", _S),
                              ("summary_zh", _S), ("summary_en", _S)]),
    "risk_parts": pa.schema([("family", _S), ("part", _S), ("value", _F), ("score", _F), ("baseline", _F), ("note_zh", _S), ("note_en", _S)]),
    "risk_evidence": pa.schema([("family", _S), ("part", _S), ("subject", _S), ("member_id", _S), ("content_id", _S), ("value", _F),
                                ("rank", _I), ("detail_zh", _S), ("detail_en", _S)]),
    "risk_series": pa.schema([("family", _S), ("metric", _S), ("period", _S), ("value", _F)]),
    "risk_alerts": pa.schema([("alert_key", _S), ("family", _S), ("part", _S), ("severity", _S), ("score", _F), ("subject", _S),
                              ("member_id", _S), ("content_id", _S), ("message_zh", _S), ("message_en", _S)]),
}


@register_analysis("risks", "10", depends_on=("text_features", "ladder", "network_connectors"), writes=RISK_TABLES, order=60,
                   title={"zh": "风险雷达", "en": "Risk radar"},
                   description={"zh": "冷寂、内爆、反噬和熵增四项风险的 0-100 评分，含分项、依据和去重后的提醒。"})
def run_risks(store, as_of, config) -> int:
    """Heat death, implosion, backlash and entropy scored 0-100 with parts, evidence and deduplicated alerts."""
    from reef.analyses.runner import resolve_as_of

    as_of = resolve_as_of(store, as_of)
    rows = compute_risks(store, as_of, config)
    for a in rows["risk_evidence"]:
        a["subject"] = None if a["subject"] is None else str(a["subject"])
        a["value"] = None if a["value"] is None else float(a["value"])
    for table, schema in SCHEMAS.items():
        _write(store, table, rows[table], as_of, schema)
    # The history survives runs: is_new and first_seen are read from it as of this run (reef/risks/alert_log.py).
    # Delivery (sent at most once per robot URL) is tracked apart, in risk_alert_delivery (reef/risks/delivery_state.py).
    record_sightings(store, as_of, int(config.get("risks.dedupe_days")))
    # Scores of every run stay, one row per as_of and family: the weekly report draws its trend from them.
    store.execute(SCORE_LOG_DDL)
    store.execute("DELETE FROM risk_score_log WHERE as_of = $ts", {"ts": as_of})
    store.execute("INSERT INTO risk_score_log SELECT as_of, family, score, level FROM risk_scores")
    return len(rows["risk_alerts"]) + len(rows["risk_scores"])

