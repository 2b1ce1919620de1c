"""Entropy (熵增): misinformation against the official spec sheet, and narrative dilution.

Misinformation: a spec claim from the text layer (``content_features.claims``) whose value differs
from the official value (``official_facts_at``, kind spec) by more than the attribute's relative
tolerance (``risks.claim_tolerance``, default ``claim_tolerance_default``); a claim naming no model
contradicts only when it fits no model and every model of the sheet has a value for it (the comparison is :mod:`reef.text.spec_facts`, shared with the ladder's
welcomes and the post page). One post is one rumour (one alert, keyed by the post): its worst
claim leads and every wrong claim is named; a claim said twice (title and body) counts once. Spread = replies
in its thread + likes/shares/quotes of it; a claim is corrected when a later item in the thread states the
official value, and every claim of the post when an operator recorded a 官方回应 (``respond``) naming the post
or its thread after it was posted. Dilution: weekly share of
original posts naming a core selling point (``official_facts`` kind selling_point) vs
``dilution_target_share``; the alert also comes from a CUSUM of the daily naming posts against the
target (``dilution_cusum_*``), which piles up the evidence of a share that has stayed below it.

Example:
    >>> ATTRIBUTE_ALIASES["range_cltc"]
    'range'
"""
from __future__ import annotations

import re
from datetime import timedelta

import pyarrow as pa

from reef.actions.cutoff import action_cutoff, responses_sql
from reef.risks.common import CONTENT, MEMBER_POSTS, ORIGINAL_KINDS, FamilyResult, Part, decline_cusum, poisson_low_surprise, ramp, risk_base, scaled, size_factor
from reef.risks import wording as W
from reef.text.claims import ATTRIBUTE_NAMES
from reef.text.spec_facts import ATTRIBUTE_ALIASES, ClaimRules, SpecSheet, with_unit

__all__ = ["entropy", "selling_terms", "naming_counts", "ATTRIBUTE_ALIASES", "with_unit"]  # the last two live in reef.text.spec_facts, kept here for old imports


def entropy(store, as_of, config) -> FamilyResult:
    """Score entropy at ``as_of``; parts: misinformation (uncorrected rumours) and dilution (share of voice vs target)."""
    c = config.section("risks")
    res = FamilyResult("entropy")
    with risk_base(store, as_of, int(c["horizon_days"])):
        _misinformation(store, as_of, c, res)
        _dilution(store, as_of, c, res)
    return res


def _misinformation(store, as_of, c: dict, res: FamilyResult) -> None:
    rules, sheet = ClaimRules.from_section(c), SpecSheet.load(store, as_of)
    claims = store.fetch_dicts(f"""
        WITH p AS ({MEMBER_POSTS}), cl AS (SELECT p.content_id, p.author_id, p.created_at, coalesce(p.thread_id, p.content_id) AS thread_id, unnest(f.claims) AS k
                                           FROM p JOIN content_features f USING (content_id)
                                           WHERE len(f.claims) > 0 AND p.created_at >= $ts::TIMESTAMPTZ - to_days($days))
        SELECT cl.content_id, author_id, created_at, thread_id, k.model AS model, k.attribute AS attribute, k.value AS value, k.unit AS unit,
               k.qualifier AS qualifier, k.evidence AS evidence, f.text_simplified AS text
        FROM cl JOIN content_features f USING (content_id)""",
        {"ts": as_of, "days": int(c["misinfo_window_days"])})
    rumours = []
    for k in claims:  # the comparison rules (qualifiers, model, tolerance, plausibility): reef.text.spec_facts
        hit = sheet.contradiction(k, rules)
        if hit is not None:
            rumours.append({**k, "official": hit["official"], "official_unit": hit["unit"], "official_model": hit["model"]})
    # One wrong claim said twice in a post (title and body) is one claim.
    rumours = list({(r["content_id"], r["attribute"], float(r["value"]), r["official"]): r for r in rumours}.values())
    found, responded = _spread_and_corrections(store, as_of, rumours, rules)
    # One alert and one evidence row per post (its alert key is the post): its worst claim leads, every wrong claim is named.
    posts: dict[str, list[dict]] = {}
    for i, r in enumerate(rumours):
        posts.setdefault(r["content_id"], []).append({**r, "corrected": bool(found.get(i, (0, 0))[1]), "spread": found.get(i, (0, 0))[0]})
    uncorrected = 0
    rows = []
    for cid, claims_of in posts.items():
        spread = max(k["spread"] for k in claims_of)
        official = cid in responded
        open_ = [] if official else [k for k in claims_of if not k["corrected"]]
        uncorrected += bool(open_)
        # Worst = furthest from the official value (relative), among the claims nobody corrected yet.
        ranked = sorted(open_ or claims_of, key=lambda k: -abs(float(k["value"]) - k["official"]) / abs(k["official"]))
        said_zh, said_en = _said(ranked)
        state_zh = "已由官方回应纠正" if official else ("尚无人纠正" if len(open_) == len(claims_of) else
                                                    "已有人纠正" if not open_ else f"{len(claims_of) - len(open_)}处已有人纠正")
        state_en = "corrected by an official response" if official else ("not corrected yet" if len(open_) == len(claims_of) else
                                                                        "corrected" if not open_ else f"{len(claims_of) - len(open_)} corrected")
        zh = f"{'；'.join(said_zh)}；扩散{spread}次，{state_zh}"
        en = f"{'; '.join(said_en)}; spread {spread}, {state_en}"
        first = claims_of[0]
        rows.append({"part": "misinformation", "subject": cid, "content_id": cid, "member_id": first["author_id"],
                     "value": spread, "detail_zh": zh, "detail_en": en, "open": bool(open_)})
        if open_:
            res.alerts.append({"part": "misinformation", "subject": cid, "content_id": cid, "member_id": first["author_id"],
                               "score": min(100.0, 60.0 + 5 * spread), "message_zh": zh, "message_en": en})
    # The rumours still standing come first (what the operator has to answer), then by spread: ranked, so every surface
    # that reads the evidence (radar, report, dashboard, export) lists them in this order.
    rows.sort(key=lambda e: (not e["open"], -e["value"], e["subject"]))
    for rank, e in enumerate(rows, 1):
        del e["open"]
        res.evidence.append({**e, "rank": rank})
    active = store.fetch_value(f"SELECT count(DISTINCT author_id) FROM ({MEMBER_POSTS}) WHERE created_at >= $ts::TIMESTAMPTZ - INTERVAL 30 DAY", {"ts": as_of})
    ok, bad = scaled(c, "misinfo", size_factor(active, c))
    res.parts.append(Part("misinformation", uncorrected, ramp(uncorrected, ok=ok, bad=bad), None,
                          f"近{c['misinfo_window_days']}天{len(posts)}条帖子含与配置表不符的说法，{uncorrected}条未被纠正",
                          f"{W.plural(len(posts), 'post')} contradicting the spec sheet in {W.plural(c['misinfo_window_days'], 'day')}, {uncorrected} uncorrected"))


def _claim_text(k: dict) -> tuple[str, str]:
    """One wrong claim: the value claimed and the official one, with the model it is official for (zh, en), e.g.
    ``称百公里加速6秒，官方3.9秒（曜川Y5）``."""
    name_zh, name_en = ATTRIBUTE_NAMES.get(k["attribute"], (k["attribute"], k["attribute"]))
    said_zh, said_en = with_unit(float(k["value"]), k.get("unit") or k["official_unit"])
    off_zh, off_en = with_unit(k["official"], k["official_unit"])
    model = k.get("official_model")
    return (f"称{name_zh}{said_zh}，官方{off_zh}" + (f"（{model}）" if model else ""),
            f"claimed {name_en} {said_en}, official {off_en}" + (f" ({model})" if model else ""))


def _said(ranked: list[dict]) -> tuple[list[str], list[str]]:
    """The wrong claims of a post, worst first, each sentence quoted once before the claims it holds (zh, en)."""
    by_sentence: dict[str, list[dict]] = {}
    for k in ranked:
        by_sentence.setdefault(k["evidence"] or "", []).append(k)
    zh, en = [], []
    for sentence, ks in by_sentence.items():
        texts = [_claim_text(k) for k in ks]
        zh.append(f"“{sentence}”：" + "；".join(t[0] for t in texts))
        en.append(f"'{sentence}': " + "; ".join(t[1] for t in texts))
    return zh, en


def _spread_and_corrections(store, as_of, rumours: list[dict], rules: ClaimRules) -> tuple[dict[int, tuple[int, int]], set[str]]:
    """({index of a rumour: (spread, corrected in its thread)}, posts an operator's 官方回应 answered) in one query each.

    Spread = replies in the thread + likes/shares/quotes/votes of the post; corrected = a later item of the thread
    states the official value. A ``respond`` action naming the post, or its thread's first post after it was
    posted, not cancelled by then, corrects every claim of the post (as it resolves a complaint, reef/risks/backlash.py);
    actions count up to :func:`reef.actions.cutoff.action_cutoff` (no limit, for a run at the end of the data).
    """
    if not rumours:
        return {}, set()
    keyed = pa.table({"i": list(range(len(rumours))), "cid": [r["content_id"] for r in rumours], "t": [r["thread_id"] for r in rumours],
                      "at": pa.array([r["created_at"] for r in rumours], pa.timestamp("us", tz="UTC")),
                      "attr": [r["attribute"] for r in rumours], "off": [float(r["official"]) for r in rumours],
                      "tol": [rules.tolerance_of(r["attribute"]) for r in rumours]})
    with store.registered("_risk_rumours", keyed):
        found = {row[0]: (row[1], row[2]) for row in store.fetch_all(f"""
            SELECT r.i,
                   (SELECT count(*) FROM {CONTENT} x WHERE x.thread_id = r.t AND x.content_id <> r.cid)
                 + (SELECT count(*) FROM interactions_at($ts) i WHERE i.target_content_id = r.cid AND i.kind IN ('like', 'share', 'quote', 'vote')),
                   (SELECT count(*) FROM {CONTENT} x JOIN content_features f USING (content_id), unnest(f.claims) u(k)
                    WHERE x.thread_id = r.t AND x.created_at > r.at AND u.k.attribute = r.attr AND abs(u.k.value - r.off) <= r.tol * abs(r.off))
            FROM _risk_rumours r""", {"ts": as_of})}
        responded = {cid for (cid,) in store.fetch_all(f"""
            WITH a AS ({responses_sql("acts")})
            SELECT DISTINCT r.cid FROM _risk_rumours r JOIN a ON a.content_id = r.cid OR (a.content_id = r.t AND a.at > r.at)""",
                                                       {"acts": action_cutoff(store, as_of)})}
    return found, responded


def _dilution(store, as_of, c: dict, res: FamilyResult) -> None:
    """Weekly share of original posts naming a selling point, against the target."""
    terms = selling_terms(store, as_of, c)
    weeks, days = naming_counts(store, as_of, c, terms)
    # Week k holds the posts of the complete 7 x 24 hours that end k weeks before as_of (as the activity part's weeks,
    # reef/risks/heat.py), dated by the day it starts on: as_of - 7(k+1) days in the session's zone. Calendar-day bins
    # anchored on as_of's date split the window 1 + 7 + 6 days when as_of is a midnight (a date), and showed the first
    # day alone as a "week".
    local = store.fetch_value("SELECT $ts::TIMESTAMPTZ", {"ts": as_of})
    for w in weeks:
        w["week_start"] = (local - timedelta(days=7 * (int(w["k"]) + 1))).date()
    res.series = [{"metric": "selling_point_share", "week_start": w["week_start"], "value": round(w["naming"] / w["posts"], 4)}
                  for w in weeks if w["posts"]]
    posts, naming = sum(w["posts"] for w in weeks), sum(w["naming"] for w in weeks)
    share = naming / posts if posts and terms else None
    target = float(c["dilution_target_share"])
    gap = 1 - share / target if share is not None else None
    # A few posts say little about a share: the shortfall counts in full once it is unlikely under the target.
    gate = min(1.0, poisson_low_surprise(naming, posts * target) / float(c["part_surprise"])) if posts else 0.0
    score = round(ramp(gap, ok=c["dilution_gap_ok"], bad=c["dilution_gap_bad"]) * gate, 1)
    res.parts.append(Part("dilution", None if share is None else round(share, 4), score, target,
                          f"近{c['dilution_weeks']}周核心卖点声量占比{'—' if share is None else f'{share:.1%}'}，目标{target:.0%}",
                          f"selling-point share of voice {'—' if share is None else f'{share:.1%}'} over {W.plural(c['dilution_weeks'], 'week')}, target {target:.0%}"))
    # Accumulated evidence (CUSUM) of a share below target: a slow slide is seen once it has lasted, not only once
    # a fortnight alone falls far below the target.
    cs, run_days = _shortfall_cusum(days, c, target) if terms else (0.0, 0)
    alert_at = float(c["dilution_cusum_alert"])
    if cs > 0:
        res.parts[-1].score = round(max(score, min(100.0, float(c["alert_score"]) * cs / alert_at)), 1)
        below_zh, below_en = W.evidence(cs, alert_at, "低于目标", "share below target")
        res.parts[-1].note_zh += f"；近{run_days}天{below_zh}"
        res.parts[-1].note_en += f"; over {W.plural(run_days, 'day')}: {below_en}"
    target_txt = f"{target:.0%}"
    for w in weeks if terms else ():
        share_w = w["naming"] / w["posts"] if w["posts"] else None
        txt = "—" if share_w is None else f"{share_w:.1%}"
        res.evidence.append({"part": "dilution", "subject": f"{w['week_start']:%Y-%m-%d}", "value": None if share_w is None else round(share_w, 4),
                             "detail_zh": f"{w['week_start']:%Y-%m-%d}起一周：原创帖{w['posts']}条，提及核心卖点{w['naming']}条，占比{txt}（目标{target_txt}）",
                             "detail_en": f"week from {w['week_start']:%Y-%m-%d}: {w['naming']} of {W.plural(w['posts'], 'original post')} "
                                          f"{'names' if w['naming'] == 1 else 'name'} a selling point, "
                                          f"share {txt} (target {target_txt})"})
    if score >= c["alert_score"] or cs >= alert_at:
        res.alerts.append({"part": "dilution", "subject": "selling_points", "member_id": None, "content_id": None,
                           "score": res.parts[-1].score,
                           "message_zh": res.parts[-1].note_zh, "message_en": res.parts[-1].note_en})
    _unknown_term_titles(store, as_of, c, res)


def _unknown_term_titles(store, as_of, c: dict, res: FamilyResult) -> None:
    """Say so (in the dilution part's note and a first evidence row) when ``risks.selling_point_terms`` is keyed by a
    title that is no imported selling point at ``as_of``: its words are never counted, which used to pass silently."""
    titles = [t for (t,) in store.fetch_all("SELECT DISTINCT attribute FROM official_facts_at($ts) WHERE kind = 'selling_point' "
                                             "ORDER BY attribute", {"ts": as_of})]
    unknown = [k for k in dict(c.get("selling_point_terms") or {}) if k not in titles]
    if not unknown:
        return
    said_zh, said_en = "、".join(f"“{k}”" for k in unknown), ", ".join(f"'{k}'" for k in unknown)
    known_zh = f"已导入的卖点标题：{'、'.join(titles)}" if titles else "尚未导入任何卖点（official_facts 类型 selling_point）"
    known_en = f"imported selling-point titles: {', '.join(titles)}" if titles else "no selling point imported yet (official_facts kind selling_point)"
    zh = f"risks.selling_point_terms 中的{said_zh}不是已导入的卖点标题，其同义词未计入（{known_zh}）"
    en = f"risks.selling_point_terms keys {said_en} are no imported selling-point title, their words are not counted ({known_en})"
    part = next(p for p in res.parts if p.name == "dilution")
    part.note_zh += f"；{zh}"
    part.note_en += f"; {en}"
    first = next((i for i, e in enumerate(res.evidence) if e["part"] == "dilution"), len(res.evidence))
    res.evidence.insert(first, {"part": "dilution", "subject": "selling_point_terms", "value": None, "rank": 0,  # shown first
                              "detail_zh": zh, "detail_en": en})


def selling_terms(store, as_of, c: dict) -> list[str]:
    """The words that name a selling point at ``as_of`` (also read by scripts/dilution_oracle_bound.py)."""
    extra = dict(c.get("selling_point_terms") or {})
    terms = []
    for (title,) in store.fetch_all("SELECT attribute FROM official_facts_at($ts) WHERE kind = 'selling_point'", {"ts": as_of}):
        # The title itself, its Latin/number tokens of 3+ characters that hold a digit (800V, 8295) and configured synonyms.
        # A bare acronym (NOA, OTA) names a feature every brand has and every owner mentions: matching it alone counted
        # ordinary posts as share of voice and buried the selling point's own trend.
        terms += [title, *[t for t in re.findall(r"[A-Za-z0-9]{3,}", title) if re.search(r"\d", t)], *extra.get(title, [])]
    return terms


def naming_counts(store, as_of, c: dict, terms: list[str]) -> tuple[list[dict], list[tuple[int, int, int]]]:
    """Original posts and those naming a selling point, in one pass over the longest window: per 7 x 24 hours back
    from ``as_of`` over ``dilution_weeks`` (dicts k/posts/naming, newest last) and per 24 hours back over
    ``dilution_cusum_days`` ((k, posts, naming), oldest first)."""
    rows = store.fetch_all(f"""
        WITH p AS ({MEMBER_POSTS}), o AS (SELECT p.created_at, lower(coalesce(f.text_simplified, '')) AS t FROM p JOIN content_features f USING (content_id)
                                          WHERE p.kind IN {ORIGINAL_KINDS} AND p.created_at >= $ts::TIMESTAMPTZ - to_days(greatest(7 * $n, $d))
                                            AND p.created_at < $ts::TIMESTAMPTZ)
        SELECT CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(created_at)) / (7 * 86400)) AS BIGINT) AS wk, CAST(floor((epoch($ts::TIMESTAMPTZ) - epoch(created_at)) / 86400) AS BIGINT) AS dk,
               created_at >= $ts::TIMESTAMPTZ - to_days(7 * $n) AS in_weeks, created_at >= $ts::TIMESTAMPTZ - to_days($d) AS in_days,
               count(*) AS posts, count(*) FILTER (WHERE len(list_filter($terms, lambda x: contains(t, lower(x)))) > 0) AS naming
        FROM o GROUP BY ALL""", {"ts": as_of, "n": int(c["dilution_weeks"]), "d": int(c["dilution_cusum_days"]), "terms": terms or [""]})
    weeks: dict[int, list[int]] = {}
    days: dict[int, list[int]] = {}
    for wk, dk, in_weeks, in_days, posts, naming in rows:
        for on, into, k in ((in_weeks, weeks, wk), (in_days, days, dk)):
            if on:
                into.setdefault(int(k), [0, 0])
                into[int(k)][0] += posts
                into[int(k)][1] += naming
    return ([{"k": k, "posts": v[0], "naming": v[1]} for k, v in sorted(weeks.items(), reverse=True)],
            [(k, v[0], v[1]) for k, v in sorted(days.items(), reverse=True)])


def _shortfall_cusum(days: list[tuple[int, int, int]], c: dict, target: float) -> tuple[float, int]:
    """Decline CUSUM of the daily posts naming a selling point against ``target`` x that day's original posts
    (``days`` from :func:`naming_counts`, from the first day with posts); returns (statistic, days covered)."""
    if not days:
        return 0.0, 0
    # Oldest first; days without originals add nothing either way.
    cs = decline_cusum([r[2] for r in days], [target * r[1] for r in days], shift=float(c["dilution_cusum_shift"]))
    return round(cs, 2), int(days[0][0]) + 1
