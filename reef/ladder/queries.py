"""Read functions over the ladder tables: the list, one member's timeline, the funnel, alerts.

Each is the ONE library call behind a CLI command, an API view or a dashboard panel; they read
result tables only, so they are fast on large stores. Fair judging of a content call is
:func:`reef.ladder.contest.contest_scores`.

Example:
    >>> from reef.store import open_store
    >>> ladder_list(open_store(":memory:"))
    []
"""
from __future__ import annotations

from typing import Any

from reef.errors import NotFoundError
from reef.ladder.contest import contest_scores
from reef.ladder.params import STAGE_NAMES, LadderParams
from reef.params import check_positive

__all__ = ["ladder_list", "member_timeline", "ladder_funnel", "ladder_alerts", "contest_scores"]

_LIST_COLS = ("member_id, name, rank, stage, stage_name, stage_name_en, potential, momentum, rising, next_progress, "
              "evidence_zh, evidence_en, "
              "flags, CAST(stage_since AS VARCHAR) AS stage_since, max_stage, CAST(last_activity_at AS VARCHAR) AS last_activity_at")


def ladder_list(store, *, stage: int | None = None, top: int | None = 50) -> list[dict[str, Any]]:
    """Members ranked by stage then potential (``rank``: exact potential, ties by id), optionally one stage, at most ``top``."""
    if top is not None:
        check_positive("top", top)
    if not store.table_exists("ladder_members"):
        return []
    sql = f"SELECT {_LIST_COLS} FROM ladder_members WHERE ($stage IS NULL OR stage = $stage) " \
          "ORDER BY rank LIMIT $top"
    return store.fetch_dicts(sql, {"stage": stage, "top": top if top is not None else 2**62})


def member_timeline(store, member_id: str) -> dict[str, Any]:
    """One member's current stage and evidence plus every stage change with its reason; NotFoundError says why a
    member is not on the ladder (left, staff, joined later, unknown)."""
    if not store.table_exists("ladder_members"):
        raise NotFoundError("The ladder has not been computed yet.", hint="Run `reef analyze` first.")
    rows = store.fetch_dicts(f"SELECT {_LIST_COLS} FROM ladder_members WHERE member_id = $m", {"m": member_id})
    if not rows:
        raise _not_on_ladder(store, member_id)
    events = store.fetch_dicts(
        'SELECT CAST("at" AS VARCHAR) AS "at", ' "event, from_stage, to_stage, reason_zh, reason_en FROM ladder_events "
        "WHERE member_id = $m ORDER BY \"at\"", {"m": member_id})
    flags = store.fetch_dicts("SELECT flag, partners, partner_ids, likes FROM ladder_like_flags WHERE member_id = $m",
                              {"m": member_id})
    return {**rows[0], "timeline": events, "like_flags": flags}


def ladder_as_of(store):
    """The as_of of the ladder in the store: its members' as_of, else (nobody on it yet) its last successful run's."""
    return store.fetch_value("""SELECT coalesce((SELECT max(as_of) FROM ladder_members),
                                                (SELECT as_of FROM analysis_runs WHERE name = 'ladder' AND status = 'ok'
                                                 ORDER BY finished_at DESC LIMIT 1))""")


def _not_on_ladder(store, member_id: str) -> NotFoundError:
    """Why ``member_id`` is not on the ladder, from the data as of the ladder's ``as_of``: left (and when), a staff or
    brand account, joined after ``as_of``, or unknown."""
    as_of = ladder_as_of(store)
    row = store.fetch_dicts("SELECT account_type, CAST(joined_at AS VARCHAR) AS joined_at, CAST(left_at AS VARCHAR) AS left_at, "
                            "left_at IS NOT NULL AND left_at < $ts AS has_left, joined_at >= $ts AS later "
                            "FROM members WHERE member_id = $m", {"m": member_id, "ts": as_of})
    if not row:
        why, hint = f"No member {member_id} in the store.", "Check the id (`reef ladder` lists members)."
    elif row[0]["has_left"]:
        why, hint = f"Member {member_id} left the community on {row[0]['left_at']}, before the ladder's as_of ({as_of}).", \
            "Use --as-of before that date to see their stage and timeline while they were a member."
    elif (row[0]["account_type"] or "member") in ("staff", "brand", "bot"):
        why, hint = f"Member {member_id} is a {row[0]['account_type']} account; staff and brand accounts are not on the ladder.", None
    elif row[0]["later"]:
        why, hint = f"Member {member_id} joined on {row[0]['joined_at']}, after the ladder's as_of ({as_of}).", "Use a later --as-of."
    else:
        why, hint = f"No member {member_id} on the ladder as of {as_of}.", "Run `reef analyze` to bring the ladder up to date."
    return NotFoundError(why, hint=hint)


def ladder_funnel(store, config=None) -> dict[str, Any]:
    """Counts per stage, conversion by monthly join cohort, median days to advance, stuck members."""
    if not store.table_exists("ladder_members"):
        return {"stages": [], "cohorts": [], "median_days_to_reach": {}, "stuck": []}
    p = LadderParams.from_config(config or store.config)
    stages = store.fetch_dicts("SELECT stage, count(*) AS members FROM ladder_members GROUP BY 1 ORDER BY 1")
    counts = {r["stage"]: r["members"] for r in stages}
    stage_rows = [{"stage": s, "name": STAGE_NAMES[s][0], "name_en": STAGE_NAMES[s][1], "members": counts.get(s, 0)}
                  for s in range(5)]
    # Conversion: of the members who joined in a month, the share that ever reached each stage (max_stage).
    cohorts = store.fetch_dicts(
        """SELECT strftime(joined_at, '%Y-%m') AS cohort, count(*) AS members,
                  round(avg(CAST(max_stage >= 1 AS INT)), 3) AS reached_1, round(avg(CAST(max_stage >= 2 AS INT)), 3) AS reached_2,
                  round(avg(CAST(max_stage >= 3 AS INT)), 3) AS reached_3, round(avg(CAST(max_stage >= 4 AS INT)), 3) AS reached_4
           FROM ladder_members WHERE joined_at IS NOT NULL GROUP BY 1 ORDER BY 1""")
    # Days from joining to first reaching a stage (or higher; a 'start' event counts too). Only members who joined
    # inside the replayed history: for older members the replay's first checkpoint is not when they got there,
    # which used to inflate the median by up to a year.
    medians = {r[0]: r[1] for r in store.fetch_all(
        """WITH h AS (SELECT m.member_id, m.joined_at FROM ladder_members m
                      WHERE m.joined_at >= m.as_of - to_days(CAST($hist AS INTEGER))),
           reach AS (SELECT e.member_id, s.stage, min(e."at") AS first_at FROM ladder_events e
                     JOIN range(1, 5) s(stage) ON e.to_stage >= s.stage WHERE e.event IN ('start', 'promote') GROUP BY ALL)
           SELECT r.stage, round(median(greatest(date_diff('hour', h.joined_at, r.first_at), 0) / 24.0), 1)
           FROM reach r JOIN h USING (member_id) GROUP BY 1 ORDER BY 1""",
        {"hist": p.history_checkpoints * p.checkpoint_days})}
    stuck = store.fetch_dicts(
        """SELECT member_id, name, stage, stage_name, potential, CAST(stage_since AS VARCHAR) AS stage_since,
                  date_diff('day', stage_since, as_of) AS days_at_stage, evidence_zh, evidence_en
           FROM ladder_members WHERE stage BETWEEN 1 AND 3 AND stage_since IS NOT NULL
             AND stage_since <= as_of - to_days(CAST($d AS INTEGER))
           ORDER BY potential DESC, member_id LIMIT 50""", {"d": p.stuck_days})
    for r in stuck:
        r["stage_name_en"] = STAGE_NAMES[r["stage"]][1]
    return {"stages": stage_rows, "cohorts": cohorts, "median_days_to_reach": medians, "stuck": stuck}


def ladder_alerts(store, *, top: int | None = 20) -> list[dict[str, Any]]:
    """Recognise-now alerts (ranked), with the act itself."""
    if top is not None:
        check_positive("top", top)
    if not store.table_exists("ladder_alerts"):
        return []
    return store.fetch_dicts(
        "SELECT rank, alert, member_id, name, stage, potential, content_id, content_kind, act, CAST(\"at\" AS VARCHAR) AS \"at\", "
        "snippet, message_zh, message_en FROM ladder_alerts ORDER BY rank LIMIT $top",
        {"top": top if top is not None else 2**62})
