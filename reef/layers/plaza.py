"""The open plaza (开放广场): who starts topics that draw broad, diverse, friendly participation.

Threads (``plaza_kinds``) that members started in the last ``plaza_window_days`` — not help requests or
complaints (``plaza_exclude_intents``), not rumours the risk radar flagged, not threads someone had to
correct (a reply with ``plaza_exclude_reply_intents``, e.g. a clarification with the spec); their repliers are other
members who wrote in the thread. Per starter with at least ``plaza_min_threads`` threads:

* ``repliers`` — distinct repliers per thread (mean), scaled by its ``score_quantile``;
* ``newcomers`` — repliers in their first ``newcomer_days`` per thread (mean), scaled likewise;
* ``diversity`` — entropy of the interest circles of all their distinct repliers / log(number of circles);
* ``tone`` — mean sentiment of the replies minus the plaza's mean, a ramp from ``tone_bad`` to ``tone_ok``.

Score = 100 x weighted mean (``plaza_weights``). Starters whose replies are more than ``plaza_max_hostile``
hostile, whom the risk radar caught stating wrong specs, or who do not meet the conduct standard
(:mod:`reef.layers.standing`: ``conduct_max_hostile`` hostile acts on record, their own hostile items in the
window included; burnout evidence; backlash care list) are left out, as the leaders and the council leave them out. ``layers_plaza_topics``: per
aspect, tag and kind of thread, the mean repliers against the plaza-wide mean (``lift``), newcomers and tone.

Example:
    >>> plaza_score({"repliers": 1.0, "newcomers": 0.5, "diversity": 0.8, "tone": 1.0},
    ...             {"repliers": 0.35, "newcomers": 0.2, "diversity": 0.25, "tone": 0.2})
    85.0
"""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa

from reef.i18n import plural
from reef.layers.common import HOSTILE_SQL, ramp, scaled, write_table
from reef.layers.standing import conduct_bar, left_out_because, record_note, standing
from reef.layers.wording import KIND_NAMES, topic_label

__all__ = ["plaza_score", "write_plaza", "KIND_ZH"]

# Kinds of thread as operators call them (topics of type 'kind').
KIND_ZH = {kind: zh for kind, (zh, _) in KIND_NAMES.items()}


def plaza_score(parts: dict[str, float], weights: dict[str, float]) -> float:
    total = sum(float(weights[k]) for k in parts) or 1.0
    return round(100.0 * sum(float(weights[k]) * v for k, v in parts.items()) / total, 1)


def _prepare(store, as_of: datetime, p: dict) -> None:
    """Temp tables ``_lay_plaza_th`` (the window's member threads that open a topic) and ``_lay_plaza_rep`` (their replies)."""
    has_f = store.table_exists("content_features")
    feats = "LEFT JOIN content_features f ON f.content_id = {}.content_id" if has_f else \
        "LEFT JOIN (SELECT NULL::TINYINT AS sentiment, NULL::VARCHAR[] AS intents, NULL::FLOAT AS toxicity, NULL::VARCHAR[] AS aspect_names) f ON true"
    # Help requests, complaints and rumours draw replies too, but they are not topics a plaza host would start.
    rumours = "SELECT content_id FROM risk_evidence WHERE part = 'misinformation' AND content_id IS NOT NULL" \
        if store.table_exists("risk_evidence") else "SELECT NULL::VARCHAR AS content_id WHERE false"
    corrected = ("AND c.content_id NOT IN (SELECT r.thread_id FROM content_at($ts) r JOIN content_features fr ON fr.content_id = r.content_id "
                 "WHERE r.thread_id IS NOT NULL AND list_has_any(coalesce(fr.intents, []), $skip_reply))") if has_f else ""
    params = {"ts": as_of, "kinds": list(p["plaza_kinds"]), "days": int(p["plaza_window_days"]), "skip": list(p["plaza_exclude_intents"]),
              **({"skip_reply": list(p["plaza_exclude_reply_intents"])} if has_f else {})}
    store.execute(f"""
        CREATE OR REPLACE TEMP TABLE _lay_plaza_th AS
        SELECT c.content_id, c.author_id, c.kind, c.tags, f.aspect_names FROM content_at($ts) c
        JOIN members_at($ts) m ON m.member_id = c.author_id AND coalesce(m.account_type, 'member') = 'member' {feats.format('c')}
        WHERE c.kind IN (SELECT unnest($kinds)) AND c.parent_id IS NULL AND c.created_at >= $ts::TIMESTAMPTZ - to_days($days)
          AND NOT list_has_any(coalesce(f.intents, []), $skip) AND c.content_id NOT IN ({rumours}) {corrected}""", params)
    store.execute(f"""
        CREATE OR REPLACE TEMP TABLE _lay_plaza_rep AS
        SELECT t.content_id AS thread_id, t.author_id AS starter, r.content_id, r.author_id AS replier,
               r.created_at <= m.joined_at + to_days($nd) AS newcomer, f.sentiment, {HOSTILE_SQL} AS hostile
        FROM _lay_plaza_th t JOIN content_at($ts) r ON r.thread_id = t.content_id AND r.content_id <> t.content_id AND r.author_id <> t.author_id
        JOIN members_at($ts) m ON m.member_id = r.author_id AND coalesce(m.account_type, 'member') = 'member' {feats.format('r')}""",
        {"ts": as_of, "nd": int(p["newcomer_days"]), "tox": float(p["attack_toxicity"])})


def _starters(store, as_of: datetime, p: dict) -> list[dict]:
    feats = "LEFT JOIN content_features f ON f.content_id = c.content_id" if store.table_exists("content_features") else \
        "LEFT JOIN (SELECT NULL::VARCHAR[] AS intents, NULL::FLOAT AS toxicity) f ON true"
    return store.fetch_dicts(f"""
        WITH per AS (SELECT t.content_id, t.author_id, count(DISTINCT r.replier) AS repliers,
                            count(DISTINCT r.replier) FILTER (WHERE r.newcomer) AS newcomers
                     FROM _lay_plaza_th t LEFT JOIN _lay_plaza_rep r ON r.thread_id = t.content_id GROUP BY ALL),
        starters AS (SELECT author_id AS member_id, count(*) AS threads, avg(repliers) AS mean_repliers, avg(newcomers) AS mean_newcomers,
                            arg_max(content_id, (repliers, content_id)) AS example_id FROM per GROUP BY 1 HAVING count(*) >= $min_threads),
        rep AS (SELECT starter AS member_id, count(DISTINCT replier) AS repliers, count(DISTINCT replier) FILTER (WHERE newcomer) AS newcomers,
                       avg(coalesce(sentiment, 0)) AS sentiment, avg(CAST(hostile AS INT)) AS hostile_share
                FROM _lay_plaza_rep GROUP BY 1),
        div AS (SELECT starter AS member_id, entropy(cm.circle_id) AS bits, count(DISTINCT cm.circle_id) AS circles
                FROM (SELECT DISTINCT starter, replier FROM _lay_plaza_rep) d JOIN layers_circle_members cm ON cm.member_id = d.replier
                GROUP BY 1),
        own AS (SELECT c.author_id AS member_id, count(*) AS hostile_items FROM content_at($ts) c {feats}
                WHERE c.created_at >= $ts::TIMESTAMPTZ - to_days($days) AND {HOSTILE_SQL} GROUP BY 1)
        SELECT s.*, m.name, coalesce(r.repliers, 0) AS repliers, coalesce(r.newcomers, 0) AS newcomer_repliers, r.sentiment,
               coalesce(r.hostile_share, 0) AS hostile_share, coalesce(d.bits, 0) AS bits, coalesce(d.circles, 0) AS circles,
               coalesce(o.hostile_items, 0) AS hostile_items
        FROM starters s JOIN members_at($ts) m USING (member_id) LEFT JOIN rep r USING (member_id) LEFT JOIN div d USING (member_id)
        LEFT JOIN own o USING (member_id) ORDER BY s.member_id""",
        {"ts": as_of, "days": int(p["plaza_window_days"]), "min_threads": int(p["plaza_min_threads"]), "tox": float(p["attack_toxicity"])})


def _evidence(r: dict, days: int) -> tuple[str, str]:
    tone = "—" if r["sentiment"] is None else f"{r['sentiment']:+.2f}"
    zh = (f"近{days}天发起{r['threads']}个话题，平均每帖吸引{r['mean_repliers']:.1f}位不同成员回复（共{r['repliers']}人，"
          f"其中新人{r['newcomer_repliers']}人），参与者来自{r['circles']}个兴趣圈（多样性{r['diversity_part']:.2f}），"
          f"回复情绪均值{tone}，敌意回复占{r['hostile_share']:.0%}")
    en = (f"started {plural(r['threads'], 'topic')} in {plural(days, 'day')}, {r['mean_repliers']:.1f} distinct repliers per topic "
          f"({r['repliers']} in all, {plural(r['newcomer_repliers'], 'newcomer')}), from {plural(r['circles'], 'interest circle')} "
          f"(diversity {r['diversity_part']:.2f}), mean reply sentiment {tone}, {r['hostile_share']:.0%} of replies hostile")
    return zh, en


def _topics(store, p: dict) -> pa.Table:
    return store.fetch_arrow("""
        WITH per AS (SELECT thread_id AS content_id, count(DISTINCT replier) AS repliers, count(DISTINCT replier) FILTER (WHERE newcomer) AS newcomers,
                            avg(coalesce(sentiment, 0)) AS sentiment FROM _lay_plaza_rep GROUP BY 1),
        t AS (SELECT t.content_id, t.kind, t.tags, t.aspect_names, coalesce(per.repliers, 0) AS repliers, coalesce(per.newcomers, 0) AS newcomers,
                     per.sentiment FROM _lay_plaza_th t LEFT JOIN per USING (content_id)),
        base AS (SELECT avg(repliers) AS mean FROM t),
        x AS (SELECT 'kind' AS topic_type, kind AS topic, content_id, repliers, newcomers, sentiment FROM t
              UNION ALL SELECT 'tag', lower(unnest(tags)), content_id, repliers, newcomers, sentiment FROM t
              UNION ALL SELECT 'aspect', unnest(aspect_names), content_id, repliers, newcomers, sentiment FROM t)
        SELECT topic_type, topic, count(*) AS threads, round(avg(repliers), 2) AS mean_repliers, round(avg(newcomers), 2) AS mean_newcomers,
               round(avg(sentiment), 3) AS sentiment, round(avg(repliers) / nullif(any_value(base.mean), 0), 3) AS lift,
               round(any_value(base.mean), 2) AS plaza_mean, arg_max(content_id, (repliers, content_id)) AS example_id
        FROM x, base WHERE topic IS NOT NULL GROUP BY ALL HAVING count(*) >= $min ORDER BY lift DESC NULLS LAST, threads DESC, topic""",
        {"min": int(p["plaza_topic_min_threads"])})


def write_plaza(store, as_of: datetime, p: dict) -> int:
    """(Re)create ``layers_plaza`` and ``layers_plaza_topics``; returns the starters ranked."""
    _prepare(store, as_of, p)
    plaza_tone = store.fetch_value("SELECT avg(coalesce(sentiment, 0)) FROM _lay_plaza_rep")
    circles = int(store.fetch_value("SELECT count(*) FROM layers_circles") or 0) if store.table_exists("layers_circles") else 0
    st, bar = standing(store, as_of, float(p["attack_toxicity"])), conduct_bar(p)
    rows = _starters(store, as_of, p)
    for r in rows:  # acts on record: the ladder's count, or the starter's own hostile items in the window when more
        r["hostile_acts"] = max(st["hostile"].get(r["member_id"], 0), int(r["hostile_items"] or 0))
    # A starter nobody answered has drawn no one to talk: not a plaza starter (their unknown tone would score 0.5).
    rows = [r for r in rows if r["hostile_share"] <= float(p["plaza_max_hostile"]) and r["member_id"] not in st["misinformation"]
            and not left_out_because(r["member_id"], {r["member_id"]: r["hostile_acts"]}, st, bar) and int(r["repliers"] or 0) > 0]
    q, w = float(p["score_quantile"]), p["plaza_weights"]
    rep = scaled(np.array([float(r["mean_repliers"]) for r in rows]), q)
    new = scaled(np.array([float(r["mean_newcomers"]) for r in rows]), q)
    for r, a, b in zip(rows, rep, new):
        div = float(r["bits"]) / np.log2(circles) if circles > 1 else 0.0
        parts = {"repliers": round(float(a), 3), "newcomers": round(float(b), 3), "diversity": round(min(div, 1.0), 3),
                 "tone": round(ramp(None if r["sentiment"] is None else float(r["sentiment"]) - float(plaza_tone or 0),
                                     bad=p["tone_bad"], ok=p["tone_ok"]), 3)}
        r.update({f"{k}_part": v for k, v in parts.items()})
        r["score"] = plaza_score(parts, w)
        r["mean_repliers"], r["mean_newcomers"] = round(float(r["mean_repliers"]), 2), round(float(r["mean_newcomers"]), 2)
        r["sentiment"] = None if r["sentiment"] is None else round(float(r["sentiment"]), 3)
        r["hostile_share"] = round(float(r["hostile_share"]), 4)
        r["evidence_zh"], r["evidence_en"] = _evidence(r, int(p["plaza_window_days"]))
        for lang, sep in (("zh", "；"), ("en", "; ")):
            note = record_note(r["hostile_acts"], bar, lang)
            r[f"evidence_{lang}"] += f"{sep}{note}" if note else ""
    rows.sort(key=lambda r: (-r["score"], r["member_id"]))
    cols = [("rank", pa.int64()), ("member_id", pa.string()), ("name", pa.string()), ("score", pa.float64()),
            ("repliers_part", pa.float64()), ("newcomers_part", pa.float64()), ("diversity_part", pa.float64()), ("tone_part", pa.float64()),
            ("threads", pa.int64()), ("mean_repliers", pa.float64()), ("mean_newcomers", pa.float64()), ("repliers", pa.int64()),
            ("newcomer_repliers", pa.int64()), ("circles", pa.int64()), ("sentiment", pa.float64()), ("hostile_share", pa.float64()),
            ("example_id", pa.string()), ("evidence_zh", pa.string()), ("evidence_en", pa.string())]
    keep = [{**r, "rank": i + 1} for i, r in enumerate(rows[: int(p["plaza_keep"])])]
    write_table(store, "layers_plaza", pa.Table.from_pylist([{c: r[c] for c, _ in cols} for r in keep], schema=pa.schema(cols)))
    topics = _topics(store, p)
    write_table(store, "layers_plaza_topics", topics)
    days = int(p["plaza_window_days"])
    english = store.fetch_all("SELECT DISTINCT topic_type, topic FROM layers_plaza_topics WHERE topic_type IN ('aspect', 'kind') "
                              "AND topic IS NOT NULL") or [("", "")]
    store.execute("""CREATE OR REPLACE TABLE layers_plaza_topics AS SELECT *,
        printf('「%s」近%d天%d帖，平均每帖%.1f位回复者（广场平均%.1f，×%.2f），平均新人%.1f位',
               CASE topic_type WHEN 'kind' THEN coalesce(map_extract(MAP($kk, $kv), topic)[1], topic) ELSE topic END,
               $d::INT, threads::INT, mean_repliers, plaza_mean, coalesce(lift, 0), mean_newcomers) AS evidence_zh,
        printf('"%s": %d threads in %d days, %.1f repliers each (plaza mean %.1f, x%.2f), %.1f newcomers',
               -- the topic as the English workbook names it (reef.layers.wording.topic_label): an aspect in English
               coalesce(map_extract(MAP($ek, $ev), topic_type || ':' || topic)[1], topic), threads::INT, $d::INT,
               mean_repliers, plaza_mean, coalesce(lift, 0), mean_newcomers) AS evidence_en
        FROM layers_plaza_topics ORDER BY lift DESC NULLS LAST, threads DESC, topic""",
                  {"d": days, "kk": list(KIND_ZH), "kv": list(KIND_ZH.values()), "ek": [f"{t}:{k}" for t, k in english], "ev": [
                      topic_label(k, t, "en") or k for t, k in english] or [""]})
    store.execute("DROP TABLE IF EXISTS _lay_plaza_rep")
    store.execute("DROP TABLE IF EXISTS _lay_plaza_th")
    return len(keep)
