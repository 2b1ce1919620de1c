"""The ``ladder`` analysis: every member's stage, its timeline, like flags and recognise-now alerts.

Writes ``ladder_members`` (one row per non-staff member present at ``as_of``: stage, ``rank``, potential
0-100 from recency-weighted evidence and the trend (``momentum``, ``rising``), evidence in Chinese and
English, window and lifetime measures, flags), ``ladder_events``
(promotions and demotions with their reason), ``ladder_like_flags`` (like rings and bursts) and
``ladder_alerts`` (acts of the last ``alert_backlog_days``, ``is_new`` for the last ``alert_hours``). docs/ladder.md explains every rule.

Example:
    >>> from reef.store import open_store
    >>> from datetime import datetime, timezone
    >>> s = open_store(":memory:")
    >>> compute_ladder(s, datetime(2026, 1, 1, tzinfo=timezone.utc), s.config)
    0
"""
from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import polars as pl

from reef.analyses.registry import register_analysis
from reef.i18n import plural
from reef.ladder.dating import date_demotions, date_promotions
from reef.ladder.evidence import HELP_COLUMNS, evidence_expr, rising_expr, status_expr
from reef.ladder.items import build_items, build_likes, drop_temp_tables
from reef.ladder.params import STAGE_NAMES, LadderParams
from reef.ladder.scale import scaled_params
from reef.ladder.stages import potential, replay, stage_ratios, trend
from reef.ladder.windows import DECAYED, MEASURES, build_windows

__all__ = ["compute_ladder", "ladder_analysis", "LADDER_TABLES"]

LADDER_TABLES = ("ladder_members", "ladder_events", "ladder_like_flags", "ladder_alerts")
_KIND = {0: "start", 1: "promote", 2: "demote"}


def _write(store, table: str, df: pl.DataFrame) -> None:
    view = f"_lad_df_{table}"
    with store.registered(view, df.to_arrow()):
        store.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM "{view}"')


def _frame(store, sql: str) -> pl.DataFrame:
    return pl.from_arrow(store.fetch_arrow(sql))


def _events(win: pl.DataFrame, events: pl.DataFrame, ids: pl.DataFrame, as_of, p: LadderParams) -> pl.DataFrame:
    """Timeline rows: each replay event with the window measures of its row (its reason) and the member id."""
    if "act_at" not in events.columns:  # not dated by date_promotions: every promotion at its bucket's last act
        events = events.with_columns(act_at=pl.lit(None, dtype=pl.Datetime("us", "UTC")))
    ev = pl.concat([events, win.drop("mc", "k")[events["row"].to_numpy()]], how="horizontal").join(ids, on="mc", how="left")
    at_k = pl.lit(as_of) - pl.duration(days=pl.col("k") * p.checkpoint_days)
    names_zh = pl.col("to_stage").replace_strict({i: n[0] for i, n in enumerate(STAGE_NAMES)}, return_dtype=pl.Utf8)
    names_en = pl.col("to_stage").replace_strict({i: n[1] for i, n in enumerate(STAGE_NAMES)}, return_dtype=pl.Utf8)
    from_zh = pl.col("from_stage").replace_strict({i: n[0] for i, n in enumerate(STAGE_NAMES)}, return_dtype=pl.Utf8)
    from_en = pl.col("from_stage").replace_strict({i: n[1] for i, n in enumerate(STAGE_NAMES)}, return_dtype=pl.Utf8)
    demote = pl.col("kind") == 2
    # Hostility bars stages 3 and 4 at once (stage_ratios): such a demotion says so, not "below 90%".
    hostile = demote & (pl.col("hostile") >= p.hostile_max) & (pl.col("from_stage") >= 3)
    n_hostile = pl.col("hostile").cast(pl.Int64).cast(pl.Utf8)
    attacks_en = pl.when(pl.col("hostile") == 1).then(pl.lit(" personal attack or uncivil post")) \
        .otherwise(pl.lit(" personal attacks or uncivil posts"))  # hostile_max may be 1
    return ev.with_columns(
        # A promotion is dated at the act that met the requirement, a demotion when its grace period ran out after the
        # window fell below (dating.py): moments of the data, independent of the bucket edges.
        at=pl.when(pl.col("act_at").is_not_null()).then(pl.col("act_at").dt.convert_time_zone("UTC"))
        .when(~demote & pl.col("bucket_last_at").is_not_null()).then(pl.col("bucket_last_at").dt.convert_time_zone("UTC"))
        .otherwise(at_k.dt.convert_time_zone("UTC")),
        event=pl.col("kind").replace_strict(_KIND, return_dtype=pl.Utf8),
        reason_zh=pl.when(hostile).then(pl.concat_str([pl.lit(f"近{p.window_days}天人身攻击或不文明言论"), n_hostile,
                                                      pl.lit(f"次（达到上限{p.hostile_max}次），不能保持"), from_zh,
                                                      pl.lit("，降为"), names_zh, pl.lit("；"),
                                                      evidence_expr("zh", p.window_days, False)]))
        .when(demote).then(pl.concat_str([pl.lit(f"连续{p.grace_days}天低于要求的{int(p.keep_ratio * 100)}%，降为"),
                                                      names_zh, pl.lit("；"), evidence_expr("zh", p.window_days, False)]))
        .otherwise(pl.concat_str([pl.lit("升为"), names_zh, pl.lit("："), evidence_expr("zh", p.window_days, False)])),
        reason_en=pl.when(hostile).then(pl.concat_str([n_hostile, attacks_en,
                                                      pl.lit(f" in {plural(p.window_days, 'day')} (the limit is {p.hostile_max}) bar "), from_en,
                                                      pl.lit(", now "), names_en, pl.lit("; "),
                                                      evidence_expr("en", p.window_days, False)]))
        .when(demote).then(pl.concat_str([pl.lit(f"below {int(p.keep_ratio * 100)}% of the requirement for "
                                                             f"{plural(p.grace_days, 'day')}, now "), names_en, pl.lit("; "),
                                                      evidence_expr("en", p.window_days, False)]))
        .otherwise(pl.concat_str([pl.lit("reached "), names_en, pl.lit(": "), evidence_expr("en", p.window_days, False)])),
    ).select("member_id", "at", "event", "from_stage", "to_stage", "reason_zh", "reason_en").sort("member_id", "at")


def _help(store, as_of, p: LadderParams) -> pl.DataFrame:
    """Help credit per member from the mutual-help ledger (``network_helpers`` analysis): window, lifetime, decayed.

    Help is credited at least as much as content: one credit weighs like one adequate original in the
    potential (``help_credit_weight``) and adds ``help_credit_points`` connector points. The potential reads
    the recency-weighted credit and the breadth of help (distinct people helped, each weighted by the
    most recent help), both scaled to window-equivalent counts.
    """
    empty = pl.DataFrame(schema={"member_id": pl.Utf8, "help_credit": pl.Float64, "people_helped": pl.Int64,
                                 "life_help_credit": pl.Float64, "dec_help_credit": pl.Float64,
                                 "dec_people_helped": pl.Float64})
    if not store.table_exists("network_help_acts"):
        return empty
    # Continuous decay: a steady pace r per day sums to r x half-life / ln 2; the window holds r x window days.
    scale = p.window_checkpoints * p.checkpoint_days * math.log(2) / p.potential_half_life_days
    return pl.from_arrow(store.fetch_arrow(
        """WITH a AS (SELECT helper_id, helped_id, credit, act_at,
                             pow(2.0, -(epoch($ts) - epoch(act_at)) / (86400.0 * $half)) AS w
                      FROM network_help_acts WHERE act_at < $ts),
           people AS (SELECT helper_id, sum(w) AS dec_people FROM (SELECT helper_id, helped_id, max(w) AS w FROM a GROUP BY ALL)
                      GROUP BY 1)
           SELECT helper_id AS member_id, CAST(coalesce(sum(credit) FILTER (WHERE act_at >= $since), 0) AS DOUBLE) AS help_credit,
                  CAST(count(DISTINCT helped_id) FILTER (WHERE act_at >= $since) AS BIGINT) AS people_helped,
                  CAST(sum(credit) AS DOUBLE) AS life_help_credit, CAST(sum(credit * w) * $scale AS DOUBLE) AS dec_help_credit,
                  CAST(any_value(people.dec_people) * $scale AS DOUBLE) AS dec_people_helped
           FROM a LEFT JOIN people USING (helper_id) GROUP BY 1""",
        {"ts": as_of, "since": as_of - timedelta(days=p.window_days), "half": float(p.potential_half_life_days),
         "scale": scale}))


def _rank(df: pl.DataFrame, p: LadderParams) -> pl.DataFrame:
    """Potential from recency-weighted measures and the trend; ``rank`` orders by stage then exact potential."""
    stage = df["stage"].to_numpy().astype(np.int64)
    d = {m: df[f"dec_{m}"].to_numpy().astype(float) * p.decay_norm for m in DECAYED}  # window-equivalent counts
    d |= {"hostile": df["hostile"].to_numpy().astype(float), "help_credit": df["dec_help_credit"].to_numpy().astype(float),
          "people_helped": df["dec_people_helped"].to_numpy().astype(float)}
    if p.potential_lifetime_weight:
        d["life"] = {m: df[f"life_{m}"].to_numpy().astype(float) for m in DECAYED if f"life_{m}" in df.columns}
        d["life"]["help_credit"] = df["life_help_credit"].to_numpy().astype(float)
    recent, earlier = df["pace_recent"].to_numpy().astype(float), df["pace_earlier"].to_numpy().astype(float)
    tr = trend(recent, earlier, p)
    r_pace, e_pace = recent / p.recent_checkpoints, earlier / p.window_checkpoints
    rising = (r_pace >= p.rising_ratio * e_pace) & (r_pace >= p.participant_min_acts / p.window_checkpoints)
    ratio = np.where(e_pace > 0, r_pace / np.where(e_pace > 0, e_pace, 1.0), np.nan)
    exact = potential(stage, d, tr, p)
    df = df.with_columns(potential=pl.Series(np.round(exact, 1)), momentum=pl.Series(np.round(tr, 2)),
                         rising=pl.Series(rising), pace_ratio=pl.Series(ratio).fill_nan(None),
                         _exact=pl.Series(np.round(exact, 9)))  # float noise must not reorder equal members
    df = df.sort(["stage", "_exact", "member_id"], descending=[True, True, False]).with_row_index("rank", offset=1)
    return df.with_columns(pl.col("rank").cast(pl.Int64)).drop("_exact")


def compute_ladder(store, as_of, config) -> int:
    """Build every ladder table as of ``as_of``; returns the number of members placed."""
    p = LadderParams.from_config(config)
    build_likes(store, as_of, p)
    build_items(store, as_of, p)
    drop_temp_tables(store, keep=("_lad_members", "_lad_cx", "_lad_likes0", "_lad_ring", "_lad_burst", "_lad_burst_likes",
                                  "_lad_likes", "_lad_used", "_lad_items"))
    buckets: dict = {}  # build_windows' (member, bucket) sums, which the promotion dating reads
    win, life = build_windows(store, as_of, p, buckets=buckets)
    # Per-community thresholds (ladder.scale_to_community): one factor from the window ending at as_of.
    p, scale = scaled_params(p, win.filter(pl.col("k") == 0)["acts"].to_numpy())
    members = _frame(store, "SELECT mc, member_id, name, joined_at FROM _lad_members")
    life = life.rename({"last_at": "last_activity_at"})
    codes, events, cur, below = replay(win, p, with_grace=True)
    events = date_demotions(store, as_of, p, date_promotions(store, as_of, p, events, buckets=buckets))
    del buckets  # _lad_iacts stays: the alerts' replays read it (windows.py), drop_temp_tables drops it at the end
    timeline = _events(win, events, members.select("mc", "member_id"), as_of, p)
    now = win.filter(pl.col("k") == 0).drop("k", "bucket_last_at").join(
        pl.DataFrame({"mc": pl.Series(codes, dtype=pl.Int32), "stage": cur.astype(np.int8),
                      "_grace_k": pl.Series(below - p.grace_checkpoints, dtype=pl.Int64)}).with_columns(
                          _grace_k=pl.when(pl.Series(below) >= 0).then(pl.col("_grace_k"))),
        on="mc")
    del win
    df = members.join(now, on="mc", how="left").join(life, on="mc", how="left").drop("mc")
    df = df.with_columns([pl.col(c).fill_null(0) for c in df.columns
                          if c in MEASURES or c.startswith(("life_", "dec_", "pace_"))]
                         + [pl.col("stage").fill_null(0).cast(pl.Int8)])
    df = df.join(_help(store, as_of, p), on="member_id", how="left").with_columns(
        [pl.col(c).fill_null(0) for c in HELP_COLUMNS + ("dec_help_credit", "dec_people_helped")])
    # next_progress is the window's (it matches the evidence); the potential reads recency-weighted measures.
    m = {c: df[c].to_numpy().astype(float) for c in MEASURES + ("help_credit",)}
    ratios = stage_ratios(m, p)
    stage = df["stage"].to_numpy().astype(np.int64)
    df = df.with_columns(next_progress=pl.Series(np.round(100 * np.clip(ratios[np.arange(len(stage)), np.minimum(stage + 1, 4)], 0, 1), 1)))
    df = _rank(df, p)
    df = df.drop([c for c in df.columns if c.startswith("dec_")])
    flags = _frame(store, "SELECT member_id, list(DISTINCT flag ORDER BY flag) AS flags FROM ladder_like_flags GROUP BY 1")
    since = timeline.group_by("member_id").agg(stage_since=pl.col("at").max(), max_stage=pl.col("to_stage").max())
    recent = p.recent_checkpoints * p.checkpoint_days
    zone = str(config.get("general.timezone"))
    df = df.with_columns(stage_name=pl.col("stage").replace_strict({i: n[0] for i, n in enumerate(STAGE_NAMES)}, return_dtype=pl.Utf8),
                         stage_name_en=pl.col("stage").replace_strict({i: n[1] for i, n in enumerate(STAGE_NAMES)}, return_dtype=pl.Utf8),
                         evidence_zh=pl.concat_str([evidence_expr("zh", p.window_days), rising_expr("zh", recent),
                                                    status_expr("zh", p, as_of, zone)],
                                                   separator="；", ignore_nulls=True).str.strip_chars("；"),
                         evidence_en=pl.concat_str([evidence_expr("en", p.window_days), rising_expr("en", recent),
                                                    status_expr("en", p, as_of, zone)],
                                                   separator="; ", ignore_nulls=True).str.strip_chars("; "))
    df = df.drop("_grace_k")
    df = (df.join(flags, on="member_id", how="left").join(since, on="member_id", how="left")
          .with_columns(flags=pl.when(pl.col("hostile") >= p.hostile_max)
                        .then(pl.col("flags").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))).list.concat(pl.lit(["hostile"])))
                        .otherwise(pl.col("flags").fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))),
                        max_stage=pl.max_horizontal(pl.col("max_stage").fill_null(0).cast(pl.Int8), pl.col("stage")),
                        evidence_zh=pl.when(pl.col("evidence_zh") == "").then(pl.lit("注册后近期无互动")).otherwise("evidence_zh"),
                        evidence_en=pl.when(pl.col("evidence_en") == "").then(pl.lit("no recent activity")).otherwise("evidence_en"),
                        threshold_scale=pl.lit(round(scale, 4)), as_of=pl.lit(as_of).dt.convert_time_zone("UTC"))
          .drop("pace_ratio").sort("rank"))
    first = ["member_id", "name", "rank", "stage", "stage_name", "stage_name_en", "potential", "momentum", "rising",
             "next_progress", "evidence_zh",
             "evidence_en", "flags", "stage_since", "max_stage", "joined_at", "last_activity_at"]
    df = df.select(first + [c for c in df.columns if c not in first])
    _write(store, "ladder_members", df)
    _write(store, "ladder_events", timeline.with_columns(as_of=pl.lit(as_of).dt.convert_time_zone("UTC")))
    from reef.ladder.alerts import build_alerts
    from reef.text.spec_facts import ClaimRules

    build_alerts(store, as_of, p, ClaimRules.from_config(config))
    drop_temp_tables(store)  # a contest in this session rebuilds its like weights as of its own date
    return len(df)


@register_analysis("ladder", "14", depends_on=("text_features", "network_helpers"), writes=LADDER_TABLES, order=30,
                   title={"zh": "成长阶梯", "en": "Emergence ladder"},
                   description={"zh": "每位成员的阶段（0 沉默 … 4 领袖），含依据、时间线、点赞标记和提醒。"})
def ladder_analysis(store, as_of, config) -> int:
    """Every member's stage (0 silent … 4 leader) with evidence, timeline, like flags and alerts."""
    return compute_ladder(store, as_of, config)
