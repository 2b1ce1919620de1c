"""The analysis ``layers_role_fitness``: how well each member fits each project-team role, 0-1.

Candidates are members at ladder stage ``team.min_stage`` or higher (prefer stages 2-4). Over the
last ``team.window_days`` before ``as_of``:

* **writer (主笔)** — long original posts: threads and guides of at least ``writer_min_chars``
  characters whose text intents include ``writer_intents`` (experience, guide); each counts
  ``min(chars / writer_ref_chars, 2) x (1 + ln(1 + likes))``, so length and reception both matter;
* **visual (视觉)** — photo and video posts (and items whose ``attrs`` carry photos/images/video),
  ``(1 + ln(1 + likes))`` each, videos ``video_weight`` times;
* **structurer (信息架构)** — guides (kind ``guide`` or the ``guide`` intent) weighted
  ``structurer_guide_weight``, plus accepted and thanked answers from the help ledger;
* **expert on an aspect** (table ``layers_aspect_fitness``) — help credit (answers, accepted,
  thanked) on questions or answers about the aspect, plus experience/guide posts on it at
  ``expert_post_weight``; blended with the member's ExpertiseRank part (``expert_rank_weight``).

Each raw score is divided by its ``scale_quantile`` quantile among members with a positive score
(capped at 1) and multiplied by a stage factor (``1 - stage_discount`` at ``min_stage``, 1 at
stage 4). Risk flags are copied from the risk radar: ``burnout`` (a ``core_burnout`` alert: never
proposed), ``cooling`` (the burnout evidence lists them: silent or far below their own rate) and
``care`` (on the backlash care list). ``layers_team_partners`` holds each candidate's strongest
partners (:mod:`reef.layers.team_ties`) so that a proposal never scans the whole graph.

Example:
    >>> from reef.analyses import discover
    >>> discover()["layers_role_fitness"].writes
    ('layers_role_fitness', 'layers_aspect_fitness', 'layers_team_partners')
"""
from __future__ import annotations

from reef.analyses.registry import register_analysis, report_section
from reef.i18n import code_label, plural
from reef.layers.team_ties import write_partner_lists
from reef.report.model import Section, Table

__all__ = ["FITNESS_TABLES", "write_role_fitness", "role_fitness_section"]

FITNESS_TABLES = ("layers_role_fitness", "layers_aspect_fitness", "layers_team_partners")

_NO_FEATURES = "(SELECT NULL::VARCHAR AS content_id, NULL::VARCHAR[] AS intents, NULL::VARCHAR[] AS aspect_names WHERE false)"


def _params(store, as_of, config) -> dict:
    c = config.section("team")
    return {"ts": as_of, "win": int(c["window_days"]), "min_stage": int(c["min_stage"]),
            "min_chars": int(c["writer_min_chars"]), "ref_chars": float(c["writer_ref_chars"]),
            "intents": list(c["writer_intents"]), "video_w": float(c["video_weight"]),
            "guide_w": float(c["structurer_guide_weight"]), "acc_w": float(c["structurer_accepted_weight"]),
            "thx_w": float(c["structurer_thanked_weight"])}


def _items(store, p: dict) -> None:
    """Temp table of the candidates' items in the window with likes, text intents and aspects."""
    feats = "content_features" if store.table_exists("content_features") else _NO_FEATURES
    store.execute("""
        CREATE OR REPLACE TEMP TABLE _team_cand AS
        SELECT member_id, name, stage, stage_name, stage_name_en, potential FROM ladder_members WHERE stage >= $min_stage""",
                  {"min_stage": p["min_stage"]})
    store.execute(f"""
        CREATE OR REPLACE TEMP TABLE _team_items AS
        WITH cc AS (
            SELECT c.content_id, c.kind, c.author_id, c.group_id,
                   length(coalesce(c.title, '')) + length(coalesce(c.body, '')) AS chars,
                   json_exists(c.attrs, '$.photos') OR json_exists(c.attrs, '$.images') OR json_exists(c.attrs, '$.video') AS has_media
            FROM content_at($ts) c
            WHERE c.created_at >= CAST($ts AS TIMESTAMPTZ) - to_days(CAST($win AS INTEGER))
              AND c.author_id IN (SELECT member_id FROM _team_cand)),
        lk AS (SELECT target_content_id AS content_id, count(*) AS likes FROM interactions_at($ts)
               WHERE kind IN ('like', 'vote') AND coalesce(value, 1) > 0 AND target_content_id IN (SELECT content_id FROM cc)
               GROUP BY 1)
        SELECT cc.*, coalesce(lk.likes, 0) AS likes, coalesce(f.intents, []) AS intents,
               coalesce(f.aspect_names, []) AS aspects, f.content_id IS NOT NULL AS enriched
        FROM cc LEFT JOIN lk USING (content_id) LEFT JOIN {feats} f USING (content_id)""", {"ts": p["ts"], "win": p["win"]})


def _roles(store, p: dict) -> None:
    conn = "network_connectors" if store.table_exists("network_connectors") else \
        "(SELECT NULL::VARCHAR AS member_id, 0.0 AS expertise_part WHERE false)"
    helpers = "network_help_acts" if store.table_exists("network_help_acts") else \
        "(SELECT NULL::VARCHAR AS helper_id, NULL::VARCHAR AS act, NULL::TIMESTAMPTZ AS act_at WHERE false)"
    risk = store.table_exists("risk_alerts") and store.table_exists("risk_evidence")
    burnout = "SELECT member_id FROM risk_alerts WHERE part = 'core_burnout' AND member_id IS NOT NULL" if risk else \
        "SELECT NULL::VARCHAR AS member_id WHERE false"
    cooling = "SELECT member_id FROM risk_evidence WHERE part = 'burnout' AND member_id IS NOT NULL" if risk else burnout
    care = "SELECT member_id FROM risk_evidence WHERE part = 'care' AND member_id IS NOT NULL" if risk else burnout
    store.execute(f"""
        CREATE OR REPLACE TEMP TABLE _team_raw AS
        WITH per AS (
            SELECT author_id AS member_id,
                count(*) FILTER (WHERE w) AS long_posts, coalesce(avg(likes) FILTER (WHERE w), 0) AS long_likes,
                coalesce(sum(least(chars / $ref_chars, 2.0) * (1 + ln(1 + likes))) FILTER (WHERE w), 0) AS writer_raw,
                count(*) FILTER (WHERE kind = 'photo' OR (kind NOT IN ('video') AND has_media)) AS photos,
                count(*) FILTER (WHERE kind = 'video') AS videos,
                coalesce(avg(likes) FILTER (WHERE m), 0) AS media_likes,
                coalesce(sum((1 + ln(1 + likes)) * CASE WHEN kind = 'video' THEN $video_w ELSE 1 END) FILTER (WHERE m), 0) AS visual_raw,
                count(*) FILTER (WHERE g) AS guides,
                coalesce(sum(1 + ln(1 + likes)) FILTER (WHERE g), 0) AS guide_raw,
                list(DISTINCT group_id ORDER BY group_id) FILTER (WHERE group_id IS NOT NULL) AS groups
            FROM (SELECT *, kind IN ('thread', 'guide') AND chars >= $min_chars
                            AND (NOT enriched OR list_has_any(intents, $intents)) AND NOT list_contains(intents, 'question') AS w,
                         kind IN ('photo', 'video') OR has_media AS m,
                         kind = 'guide' OR (kind = 'thread' AND list_contains(intents, 'guide')) AS g
                  FROM _team_items) GROUP BY 1),
        hp AS (SELECT helper_id AS member_id, count(*) FILTER (WHERE act = 'answer') AS answers,
                      count(*) FILTER (WHERE act = 'accepted') AS accepted, count(*) FILTER (WHERE act = 'thanked') AS thanked
               FROM {helpers} WHERE act_at >= CAST($ts AS TIMESTAMPTZ) - to_days(CAST($win AS INTEGER))
                 AND helper_id IN (SELECT member_id FROM _team_cand) GROUP BY 1)
        SELECT k.*, coalesce(per.long_posts, 0) AS long_posts, coalesce(per.long_likes, 0) AS long_likes,
               coalesce(per.writer_raw, 0) AS writer_raw, coalesce(per.photos, 0) AS photos, coalesce(per.videos, 0) AS videos,
               coalesce(per.media_likes, 0) AS media_likes, coalesce(per.visual_raw, 0) AS visual_raw,
               coalesce(per.guides, 0) AS guides, coalesce(hp.answers, 0) AS answers, coalesce(hp.accepted, 0) AS accepted,
               coalesce(hp.thanked, 0) AS thanked,
               $guide_w * coalesce(per.guide_raw, 0) + $acc_w * coalesce(hp.accepted, 0) + $thx_w * coalesce(hp.thanked, 0) AS structurer_raw,
               coalesce(per.groups, []) AS groups, coalesce(x.expertise_part, 0) AS expertise_part,
               k.member_id IN ({burnout}) AS burnout, k.member_id IN ({cooling}) AND k.member_id NOT IN ({burnout}) AS cooling,
               k.member_id IN ({care}) AS care
        FROM _team_cand k LEFT JOIN per USING (member_id) LEFT JOIN hp USING (member_id) LEFT JOIN {conn} x USING (member_id)""",
                  {k: p[k] for k in ("ts", "win", "ref_chars", "min_chars", "intents", "video_w", "guide_w", "acc_w", "thx_w")})


def _aspects(store, p: dict, c: dict) -> None:
    helpers = "network_help_acts" if store.table_exists("network_help_acts") else None
    feats = "content_features" if store.table_exists("content_features") else _NO_FEATURES
    help_rows = f"""
        SELECT h.helper_id AS member_id, a.aspect, h.act, h.credit
        FROM {helpers} h
        LEFT JOIN {feats} fa ON fa.content_id = h.content_id LEFT JOIN {feats} fq ON fq.content_id = h.about_id,
             LATERAL (SELECT unnest(list_distinct(list_concat(coalesce(fa.aspect_names, []), coalesce(fq.aspect_names, [])))) AS aspect) a
        WHERE h.act IN ('answer', 'accepted', 'thanked') AND h.act_at >= CAST($ts AS TIMESTAMPTZ) - to_days(CAST($win AS INTEGER))
          AND h.helper_id IN (SELECT member_id FROM _team_cand)""" if helpers else \
        "SELECT NULL::VARCHAR AS member_id, NULL::VARCHAR AS aspect, NULL::VARCHAR AS act, 0.0 AS credit WHERE false"
    store.execute(f"""
        CREATE OR REPLACE TEMP TABLE _team_asp AS
        WITH h AS ({help_rows}),
        hs AS (SELECT member_id, aspect, count(*) FILTER (WHERE act = 'answer') AS answers,
                      count(*) FILTER (WHERE act = 'accepted') AS accepted, count(*) FILTER (WHERE act = 'thanked') AS thanked,
                      sum(credit) AS help_credit FROM h GROUP BY ALL),
        ps AS (SELECT member_id, aspect, count(*) AS posts, sum(1 + ln(1 + likes)) AS post_raw
               FROM (SELECT author_id AS member_id, unnest(aspects) AS aspect, likes FROM _team_items
                     WHERE kind IN ('thread', 'guide', 'photo', 'video') AND list_has_any(intents, ['experience', 'guide']))
               GROUP BY ALL)
        SELECT member_id, aspect, coalesce(hs.answers, 0) AS answers, coalesce(hs.accepted, 0) AS accepted,
               coalesce(hs.thanked, 0) AS thanked, coalesce(ps.posts, 0) AS posts,
               coalesce(hs.help_credit, 0) + $post_w * coalesce(ps.post_raw, 0) AS raw
        FROM hs FULL JOIN ps USING (member_id, aspect)""", {"ts": p["ts"], "win": p["win"], "post_w": float(c["expert_post_weight"])})


def write_role_fitness(store, as_of, config) -> int:
    """(Re)create the fitness tables and the candidates' partner lists; returns the number of candidates."""
    c = config.section("team")
    p = _params(store, as_of, config)
    _items(store, p)
    _roles(store, p)
    _aspects(store, p, c)
    q = {"q": float(c["scale_quantile"]), "disc": float(c["stage_discount"]), "min_stage": p["min_stage"],
         "er_w": float(c["expert_rank_weight"]), "ts": as_of}
    stage = "(1 - $disc * greatest(4 - stage, 0) / greatest(4 - $min_stage, 1))"
    store.execute(f"""
        CREATE OR REPLACE TABLE layers_role_fitness AS
        WITH s AS (SELECT quantile_cont(writer_raw, $q) FILTER (WHERE writer_raw > 0) AS w,
                          quantile_cont(visual_raw, $q) FILTER (WHERE visual_raw > 0) AS v,
                          quantile_cont(structurer_raw, $q) FILTER (WHERE structurer_raw > 0) AS st FROM _team_raw)
        SELECT r.*, CASE WHEN writer_raw > 0 THEN least(writer_raw / s.w, 1) * {stage} ELSE 0 END AS writer_fit,
               CASE WHEN visual_raw > 0 THEN least(visual_raw / s.v, 1) * {stage} ELSE 0 END AS visual_fit,
               CASE WHEN structurer_raw > 0 THEN least(structurer_raw / s.st, 1) * {stage} ELSE 0 END AS structurer_fit,
               CAST($ts AS TIMESTAMPTZ) AS as_of
        FROM _team_raw r, s ORDER BY member_id""", {k: v for k, v in q.items() if k != "er_w"})
    store.execute(f"""
        CREATE OR REPLACE TABLE layers_aspect_fitness AS
        WITH s AS (SELECT aspect, quantile_cont(raw, $q) AS cut FROM _team_asp WHERE raw > 0 GROUP BY 1)
        SELECT a.member_id, a.aspect, a.answers, a.accepted, a.thanked, a.posts, a.raw,
               ((1 - $er_w) * least(a.raw / s.cut, 1) + $er_w * r.expertise_part) * {stage} AS fit
        FROM _team_asp a JOIN s USING (aspect) JOIN _team_raw r USING (member_id)
        WHERE a.raw > 0 ORDER BY a.aspect, fit DESC, a.member_id""", {k: v for k, v in q.items() if k != "ts"})
    for t in ("_team_cand", "_team_items", "_team_raw", "_team_asp"):
        store.execute(f"DROP TABLE IF EXISTS {t}")
    write_partner_lists(store, config)
    return int(store.fetch_all("SELECT count(*) FROM layers_role_fitness")[0][0])


@register_analysis("layers_role_fitness", "1", depends_on=("text_features", "ladder", "network_connectors", "network_helpers", "risks"),
                   writes=FITNESS_TABLES, title={"zh": "项目团队角色适配", "en": "Project-team role fitness"},
                   description={"zh": "每位阶段 2 及以上成员担任写手、视觉、整理者和方面专家角色的适配度（0-1），含风险标记。"}, order=72)
def layers_role_fitness(store, as_of, config) -> int:
    """Fitness 0-1 of every stage-2+ member for writer, visual, structurer and aspect-expert roles, with risk flags."""
    return write_role_fitness(store, as_of, config)


@report_section("layers_role_fitness")
def role_fitness_section(store, as_of, lang: str) -> Section:
    """项目团队人才库: strong candidates per role, the strongest of each, and how many are held back by burnout."""
    from reef.report.empty import before_data, empty_text

    zh = lang == "zh"
    if before_data(store, as_of):  # nobody could qualify yet: one line, not a table of zeros
        return Section("项目团队人才库" if zh else "Project-team talent pool", paragraphs=[empty_text(store, as_of, lang, ("", ""))])
    cut = float(store.config.get("team.min_fitness"))
    rows = []
    for kind, label in (("writer", "主笔"), ("visual", "视觉"), ("structurer", "信息架构")):
        r = store.fetch_all(f"""SELECT count(*) FILTER (WHERE {kind}_fit >= $cut AND NOT burnout),
                                       arg_max(name, {kind}_fit) FILTER (WHERE NOT burnout), max({kind}_fit) FILTER (WHERE NOT burnout)
                                FROM layers_role_fitness""", {"cut": cut})[0]
        rows.append([label if zh else kind, r[0], r[1], None if r[2] is None else round(r[2], 2)])
    rows += [[f"{a}专家" if zh else f"expert ({code_label(a, 'en')})", n, name, round(best, 2)] for a, n, name, best in store.fetch_all("""
        SELECT a.aspect, count(*) FILTER (WHERE a.fit >= $cut), arg_max(r.name, a.fit), max(a.fit)
        FROM layers_aspect_fitness a JOIN layers_role_fitness r USING (member_id) WHERE NOT r.burnout GROUP BY 1 ORDER BY 2 DESC, 1""",
                                                                             {"cut": cut})]
    held = store.fetch_all("SELECT count(*) FILTER (WHERE burnout), count(*) FROM layers_role_fitness")[0]
    text = (f"阶段2及以上候选{held[1]}人，其中{held[0]}人因倦怠提醒不参与组队；适配度≥{cut}计为可用。可在仪表盘“组织”页的“组建项目团队”中组队。"
            if zh else f"{plural(held[1], 'candidate')} at stage 2+, {held[0]} held back by a burnout alert; fitness >= {cut}"
            + " counts as available. "
            "Build one on the dashboard's Organisation page (Build a project team).")
    cols = ["角色", "可用人数", "最适合", "适配度"] if zh else ["Role", "Available", "Best fit", "Fitness"]
    return Section("项目团队人才库" if zh else "Project-team talent pool", paragraphs=[text], tables=[Table(cols, rows)])
