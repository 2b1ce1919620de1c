"""What drives a wave and what was answered: the crisis room's posts, growth and citable facts.

:func:`wave_posts` lists the wave's negative root posts on the aspect with their **reach** (replies, likes and
other interactions, plus ``views`` when the import carries them in ``attrs``), their author (name, ladder stage
**at as_of**, read from the ladder's timeline ``ladder_events`` however late the ladder last ran, ``core`` from
``kb.crisis_core_stage``; ``ladder_as_of`` names the run read, ``ladder_behind`` when it was before as_of and so knows
no later change) and whether the post was **answered**: a brand or staff account replied in
its thread, or an operator recorded a 官方回应 (a ``respond`` action naming it, open or done, not cancelled: the risk
radar's rule, :func:`reef.actions.cutoff.responses_sql`). A post is listed only with negative evidence of its own
(``evidence`` from :mod:`reef.kb.crisis`: a complaint intent on a positive-scored post is not one). The order is whom
to answer first: unanswered before answered, then ``strong`` evidence (a leaning score with a negative label or a
complaint intent) before ``lean`` (one signal), then by reach, a core member's post counting double.
:func:`hourly_growth` is the aspect's negative posts per hour of the last 48 hours; :func:`official_facts` the
official spec sheet and selling points about the aspect (what a correction can cite, ``value_zh`` / ``value_en`` with the unit), the aspect is the spec attribute's
(:data:`SPEC_ASPECTS`) or found by the text layer's aspect cues in the fact's name and text.

Example:
    >>> from reef.store import open_store
    >>> official_facts(open_store(":memory:"), None, "续航与充电")
    []
"""
from __future__ import annotations

import numpy as np

from reef.i18n import register_code_labels
from reef.ladder.params import STAGE_NAMES
from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["wave_posts", "hourly_growth", "official_facts", "local_at", "SPEC_ASPECTS"]

# The spec sheet's attributes (official_facts.attribute, see reef.risks.entropy.ATTRIBUTE_ALIASES) by aspect.
SPEC_ASPECTS = {"range_cltc": "续航与充电", "range": "续航与充电", "battery_kwh": "续航与充电", "dc_charge_10_80": "续航与充电",
                "accel_0_100": "动力", "price": "价格", "warranty": "售后与服务"}


register_code_labels({"range_cltc": ("CLTC 续航", "CLTC range"), "accel_0_100": ("百公里加速", "0-100 km/h"),
                      "battery_kwh": ("电池容量", "battery capacity"), "dc_charge_10_80": ("快充 10-80%", "DC charge 10-80%"),
                      "warranty": ("质保", "warranty")})


def local_at(store, t: float | None, fmt: str = "%Y-%m-%d %H:%M") -> str | None:
    """Epoch seconds as the store's zone writes them (None for none)."""
    from reef.store.coverage import local_time

    from datetime import datetime, timezone

    if t is None:
        return None
    # Not pd.Timestamp(t, unit="s").to_pydatetime(): a time with milliseconds (Stack Exchange dumps) carries float
    # nanoseconds, and pandas printed "UserWarning: Discarding nonzero nanoseconds" under `reef crisis`.
    return local_time(datetime.fromtimestamp(float(t), timezone.utc), store.config.get("general.timezone"), fmt)

_POSTS = """
WITH w AS (SELECT unnest($ids) AS content_id),
c AS (SELECT * FROM content_at($ts)),
rp AS (SELECT c.thread_id AS content_id, count(*) AS replies,
              min(c.created_at) FILTER (WHERE coalesce(m.account_type, 'member') IN ('brand', 'staff')) AS staff_reply_at
       FROM c LEFT JOIN members_at($ts) m ON m.member_id = c.author_id
       WHERE c.thread_id IN (SELECT content_id FROM w) AND c.content_id <> c.thread_id GROUP BY 1),
it AS (SELECT target_content_id AS content_id, count(*) FILTER (WHERE kind = 'like') AS likes, count(*) AS interactions
       FROM interactions_at($ts) WHERE target_content_id IN (SELECT content_id FROM w) GROUP BY 1),
act AS (SELECT content_id, TRUE AS responded FROM ({responses}) WHERE content_id IN (SELECT content_id FROM w))
SELECT c.content_id, coalesce(nullif(c.title, ''), left(c.body, 60)) AS title, coalesce(c.title, '') || ' ' || coalesce(c.body, '') AS text,
       c.created_at, c.author_id, m.name AS author, l.stage,
       coalesce(rp.replies, 0) AS replies, coalesce(it.likes, 0) AS likes, TRY_CAST(c.attrs->>'views' AS BIGINT) AS views,
       coalesce(rp.replies, 0) + coalesce(it.interactions, 0) AS reach,
       rp.staff_reply_at IS NOT NULL AS staff_replied, coalesce(act.responded, false) AS responded
FROM w JOIN c USING (content_id) LEFT JOIN members_at($ts) m ON m.member_id = c.author_id
LEFT JOIN rp USING (content_id) LEFT JOIN it USING (content_id) LEFT JOIN act USING (content_id)
LEFT JOIN ({ladder}) l ON l.member_id = c.author_id"""

# A member's ladder stage at $ts, read from the ladder's timeline as the action-effect estimate does
# (reef.actions.effect_data): the last stage change up to $ts, else the stage before the first change after it, else
# the stage of the run (a member with no change). A run as of before $ts knows no later change: its stages stand.
_LADDER_AT = """
SELECT l.member_id, coalesce(e.before, e.after, l.stage) AS stage
FROM ladder_members l LEFT JOIN (
    SELECT member_id, arg_max(to_stage, "at") FILTER (WHERE "at" <= $ts) AS before,
           arg_min(from_stage, "at") FILTER (WHERE "at" > $ts) AS after
    FROM ladder_events WHERE member_id IN (SELECT author_id FROM content_at($ts) WHERE content_id IN (SELECT unnest($ids)))
    GROUP BY 1) e USING (member_id)"""
_NO_LADDER = "SELECT NULL::VARCHAR AS member_id, NULL::INT AS stage"


def wave_posts(store, as_of, neg: pd.DataFrame, aspect: str, *, since: float, top: int = 20, config=None,
               masked: bool = False) -> dict:
    """The wave's negative posts on ``aspect`` written from ``since`` (epoch s): ``posts`` (the ``top`` to answer
    first), ``total``, ``authors``, ``unanswered``, ``core_authors`` and ``texts`` (every post's text, for the topic)."""
    from reef.actions.cutoff import action_cutoff, responses_sql
    from reef.actions.privacy import mask_rows
    from reef.kb.params import KbParams
    from reef.store.asof import local_iso

    # a wave post needs negative evidence of its own (``evidence`` >= 1, reef.kb.crisis): a complaint intent on a
    # positive-scored post is counted by the detector (its validated rule) but never listed as a post to answer
    mine = neg.loc[(neg["aspect"] == aspect) & (neg["t"] >= since)]
    evidence = mine.groupby("content_id")["evidence"].max() if "evidence" in mine else pd.Series(1, index=mine["content_id"].unique())
    ids = sorted(evidence.index[evidence >= 1])
    if not ids:
        return {"posts": [], "total": 0, "authors": 0, "unanswered": 0, "core_authors": 0, "texts": [], "ladder_as_of": None,
                "ladder_behind": False}
    has_ladder = store.table_exists("ladder_members") and store.table_exists("ladder_events")
    # a respond recorded and not cancelled is the answer, open or done: the radar's rule (reef.actions.cutoff)
    rows = store.fetch_dicts(_POSTS.format(ladder=_LADDER_AT if has_ladder else _NO_LADDER, responses=responses_sql("acts")),
                             {"ids": ids, "ts": as_of, "acts": action_cutoff(store, as_of)})
    ladder_as_of = store.fetch_value("SELECT max(as_of) FROM ladder_members") if has_ladder else None
    core = KbParams.from_config(config or store.config).crisis_core_stage
    for r in rows:
        stage = None if r["stage"] is None else int(r["stage"])
        r["stage_name"], r["stage_name_en"] = STAGE_NAMES[stage] if stage is not None else (None, None)
        r["core"] = stage is not None and stage >= core
        r["answered"] = bool(r["staff_replied"] or r["responded"])
        r["reach"] = int(r["reach"]) + int(r["views"] or 0)
        r["priority"] = r["reach"] * (2 if r["core"] else 1)
        r["evidence"] = "strong" if int(evidence[r["content_id"]]) >= 2 else "lean"
        r["created_at"] = r["created_at"].isoformat() if hasattr(r["created_at"], "isoformat") else r["created_at"]
    # reach orders posts within the same strength of negative evidence: it never lifts a barely negative post
    rows.sort(key=lambda r: (r["answered"], r["evidence"] != "strong", -r["priority"], r["created_at"]))
    texts = [r.pop("text") for r in rows]
    out = {"posts": rows[:top], "total": len(rows), "authors": len({r["author_id"] for r in rows}),
           "unanswered": sum(not r["answered"] for r in rows), "core_authors": len({r["author_id"] for r in rows if r["core"]}),
           "texts": texts, "ladder_as_of": local_iso(ladder_as_of, store.config.get("general.timezone")),
           # the stages are the ladder's as of its run when that run was before as_of (it knows no later change)
           "ladder_behind": ladder_as_of is not None and ladder_as_of < pd.Timestamp(as_of)}
    if masked:
        out["posts"] = mask_rows(out["posts"], ("title", "author"))
    return out


def hourly_growth(store, neg: pd.DataFrame, aspect: str, end: float, hours: int = 48) -> list[dict]:
    """Negative root posts on ``aspect`` per hour of the ``hours`` before ``end`` (epoch s), oldest first, each
    with its hour's local start (``hour``) and the running total (``cumulative``)."""
    t = np.sort(neg.loc[neg["aspect"] == aspect].drop_duplicates("content_id")["t"].to_numpy(float))
    edges = end - 3600.0 * np.arange(hours, -1, -1)
    counts = np.diff(np.searchsorted(t, edges, "left"))
    return [{"hour": local_at(store, float(edges[i])), "posts": int(counts[i]), "cumulative": int(counts[: i + 1].sum())}
            for i in range(hours)]


def official_facts(store, as_of, aspect: str) -> list[dict]:
    """Official facts (spec sheet values, selling points) whose name or text names ``aspect``, valid at ``as_of``."""
    from reef.i18n import code_label
    from reef.text.spec_facts import spec_attribute, with_unit
    from reef.text.lexicon import seed_aspects

    if not store.table_exists("official_facts"):
        return []
    cue = seed_aspects().get(aspect)
    rows = store.fetch_dicts("""SELECT fact_id, kind, model, attribute, value, value_text, unit, source FROM official_facts
                                WHERE ($ts IS NULL OR ((valid_from IS NULL OR valid_from <= $ts) AND (valid_to IS NULL OR valid_to > $ts)))
                                ORDER BY kind, model NULLS FIRST, attribute""", {"ts": as_of})
    out = []
    for r in rows:
        text = " ".join(str(x) for x in (r["attribute"], code_label(r["attribute"]), r["value_text"]) if x)
        if SPEC_ASPECTS.get(spec_attribute(r["attribute"]) or r["attribute"]) == aspect or (cue is not None and cue.search(text)) or aspect in text:
            zh, en = with_unit(r["value"], r["unit"]) if r["value"] is not None else (r["value_text"] or "", r["value_text"] or "")
            out.append({**r, "value_zh": zh, "value_en": en})
    return out
