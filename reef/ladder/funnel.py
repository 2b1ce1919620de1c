"""The ladder's funnel: counts per stage, conversion by join cohort, median days to each stage, stuck members.

Split out of :mod:`reef.ladder.queries` (which re-exports :func:`ladder_funnel` and :func:`median_basis_note`): the
funnel's SQL reads the ladder tables, ``content`` and ``interactions``; the other reads are per member.

Example:
    >>> from reef.store import open_store
    >>> ladder_funnel(open_store(":memory:"))["stages"]
    []
"""
from __future__ import annotations

from typing import Any

from reef.i18n import counted
from reef.ladder.params import STAGE_NAMES, LadderParams
from reef.store.asof import iso_sql

__all__ = ["ladder_funnel", "median_basis_note", "cohort_note", "complete_cohorts"]


# Who the funnel's median days count (ladder_funnel's median_basis), said on the 成长阶梯 page and by `reef funnel`.
# The bound is a moment ({at}: to the minute, the store's time zone): a member who joined on its day but before it is
# left out, and the note says how many were (`before`) so the join-month cohort table, which lists them, agrees.
_BOUNDS = {"data": ("数据开始（{at}，最早的内容或互动）", "the data starts ({at}, the first content or interaction)"),
           "history": ("成长阶梯回溯期开始（{at}）", "the ladder's replayed history starts ({at})")}
_MEDIAN_NOTES = {
    "some": ("中位天数只统计在{bound}当时或之后加入的 {n} 名成员。", "Median days count only the {n:member} who joined at or after the moment {bound}."),
    "left": ("更早加入的 {before} 名成员不计入：他们何时到达某阶段，{src}里看不出来。",
             " The {before:member who joined earlier is|members who joined earlier are} left out: when they reached a "
             "stage the {src} cannot tell."),
    "all_before": ("暂无可统计的成员：全部 {before} 名成员都在{bound}之前加入，他们何时到达某阶段，{src}里看不出来。",
                   "No one to count yet: the {before:member} on the ladder joined before {bound}, so when "
                   "they reached a stage the {src} cannot tell."),
    "none": ("暂无可统计的成员：数据开始之后还没有人加入。", "No one to count yet: nobody has joined since the data starts."),
}
_SOURCE = {"data": ("数据", "data"), "history": ("回溯", "replay")}


def median_basis_note(basis: dict | None, lang: str = "zh") -> str:
    """Who the median days to reach a stage count, in ``lang`` (``basis``: :func:`ladder_funnel`'s ``median_basis``):
    those who joined at or after the bound's moment, and how many joined before it and why they are left out.

    >>> median_basis_note(None, "en")
    'No one to count yet: nobody has joined since the data starts.'
    >>> median_basis_note({"since": "2026-03-10", "since_at": "2026-03-10 10:00", "bound": "data", "members": 0, "before": 2}, "en")
    'No one to count yet: the 2 members on the ladder joined before the data starts (2026-03-10 10:00, the first content or interaction), so when they reached a stage the data cannot tell.'
    """
    en = 1 if lang == "en" else 0
    n, before = (basis or {}).get("members") or 0, (basis or {}).get("before") or 0
    if not basis or not (n or before):
        return _MEDIAN_NOTES["none"][en]
    kind = "data" if basis.get("bound") == "data" else "history"
    words = {"n": n, "before": before, "src": _SOURCE[kind][en],
             "bound": _BOUNDS[kind][en].format(at=basis.get("since_at") or basis["since"])}
    if not n:
        return counted(_MEDIAN_NOTES["all_before"][en], **words)
    return counted(_MEDIAN_NOTES["some"][en], **words) + (counted(_MEDIAN_NOTES["left"][en], **words) if before else "")


# The join months the conversion table leaves out (ladder_funnel's cohort_basis), said under it on every surface.
_COHORT_NOTE = ("更早的 {n} 个加入月份未列出（{first} 至 {last}，{members} 名成员）：他们在成长阶梯回溯期开始（{at}）之前加入，"
                "回溯只看得到他们此后到达的阶段，看不出此前是否到达过。",
                "The {n:earlier join month is|earlier join months are} not listed ({first} to {last}, {members:member}): "
                "those members joined before the ladder's replayed history starts ({at}), so the replay shows only the "
                "stages they reached since then, not whether they ever reached one.")


def complete_cohorts(funnel: dict) -> list[dict]:
    """The join cohorts of ``funnel`` (:func:`ladder_funnel`) the replayed history saw whole: those the CLI, the
    dashboard and the report list (``--json`` keeps every month, marked ``complete``).

    >>> complete_cohorts({"cohorts": [{"cohort": "2010-08", "complete": False}, {"cohort": "2026-01", "complete": True}]})
    [{'cohort': '2026-01', 'complete': True}]
    """
    return [c for c in funnel["cohorts"] if c["complete"]]


def cohort_note(basis: dict | None, lang: str = "zh") -> str:
    """Which join months the conversion table leaves out and why, in ``lang`` ("" when it leaves out none;
    ``basis``: :func:`ladder_funnel`'s ``cohort_basis``).

    >>> cohort_note({"since_at": "2022-09-01 18:52", "left_out": 2, "members": 5, "first": "2010-08", "last": "2010-09"}, "en")[:60]
    'The 2 earlier join months are not listed (2010-08 to 2010-09'
    >>> cohort_note({"since_at": "2022-09-01 18:52", "left_out": 0, "members": 0, "first": None, "last": None}, "en")
    ''
    """
    if not basis or not basis.get("left_out"):
        return ""
    return counted(_COHORT_NOTE[1 if lang == "en" else 0], n=basis["left_out"], members=basis["members"],
                   first=basis["first"], last=basis["last"], at=basis["since_at"])


def ladder_funnel(store, config=None) -> dict[str, Any]:
    """Counts per stage (``members`` at the stage, ``reached`` at it or above), conversion by monthly join cohort,
    median days from joining to reaching each stage (with ``median_basis``: who those medians count: the ``members`` who
    joined at or after the moment ``since_at`` (``since`` its date), ``bound`` ``data`` when that is the data's start,
    ``history`` the replay's; ``before``: the members left out, who joined earlier), stuck members.

    A cohort is ``complete`` when the ladder's replayed history saw all of its members' acts: they joined at or after
    the replay starts, or the replay covers the data's start. An earlier cohort's ``max_stage`` is only the highest
    stage of the replayed year (on the 13-year bicycles meta dump every cohort from 2010 read 0% at stage 1 or above,
    its founders included), so the surfaces list complete cohorts only and say which were left out
    (``cohort_basis``: ``since_at`` the replay's start, ``left_out`` months, their ``members``, ``first`` and ``last``
    month; :func:`cohort_note`)."""
    if not store.table_exists("ladder_members"):
        return {"stages": [], "cohorts": [], "cohort_basis": None, "median_days_to_reach": dict.fromkeys(range(1, 5)),
                "median_basis": None, "stuck": []}
    p = LadderParams.from_config(config or store.config)
    stages = store.fetch_dicts("SELECT stage, count(*) AS members FROM ladder_members GROUP BY 1 ORDER BY 1")
    counts = {r["stage"]: r["members"] for r in stages}
    stage_rows = [{"stage": s, "name": STAGE_NAMES[s][0], "name_en": STAGE_NAMES[s][1], "members": counts.get(s, 0),
                   "reached": sum(n for k, n in counts.items() if k >= s)}
                  for s in range(5)]
    # Conversion: of the members who joined in a month, the share that ever reached each stage (max_stage).
    data_start, replay_start = _starts(store, p)
    covered = replay_start is None or data_start is None or data_start >= replay_start
    cohorts = store.fetch_dicts(
        """SELECT strftime(joined_at, '%Y-%m') AS cohort, count(*) AS members,
                  round(avg(CAST(max_stage >= 1 AS INT)), 3) AS reached_1, round(avg(CAST(max_stage >= 2 AS INT)), 3) AS reached_2,
                  round(avg(CAST(max_stage >= 3 AS INT)), 3) AS reached_3, round(avg(CAST(max_stage >= 4 AS INT)), 3) AS reached_4,
                  $covered OR min(joined_at) >= CAST($replay AS TIMESTAMPTZ) AS complete
           FROM ladder_members WHERE joined_at IS NOT NULL GROUP BY 1 ORDER BY 1""", {"covered": covered, "replay": replay_start})
    early = [c for c in cohorts if not c["complete"]]
    cohort_basis = {"since_at": str(replay_start)[:16] if replay_start is not None else None, "left_out": len(early),
                    "members": sum(c["members"] for c in early), "first": early[0]["cohort"] if early else None,
                    "last": early[-1]["cohort"] if early else None}
    # Days from joining to first reaching a stage (or higher; a 'start' event counts too). Only members who joined
    # after the data starts (the first content item or interaction) and inside the replayed history: for anyone who
    # joined earlier the first event is when the data (or the replay) first saw them there, not when they got there.
    # That inflated the median to ~185 days on a 90-day data set whose members had joined up to two years before it.
    since, bound = _median_since(data_start, replay_start)
    medians = {r[0]: r[1] for r in store.fetch_all(
        """WITH h AS (SELECT member_id, joined_at FROM ladder_members WHERE joined_at >= CAST($since AS TIMESTAMPTZ)),
           reach AS (SELECT e.member_id, s.stage, min(e."at") AS first_at FROM ladder_events e
                     JOIN range(1, 5) s(stage) ON e.to_stage >= s.stage WHERE e.event IN ('start', 'promote') GROUP BY ALL)
           SELECT r.stage, round(median(greatest(date_diff('hour', h.joined_at, r.first_at), 0) / 24.0), 1)
           FROM reach r JOIN h USING (member_id) GROUP BY 1 ORDER BY 1""", {"since": since})} if since is not None else {}
    basis = None
    if since is not None:
        n, before = store.fetch_all(
            """SELECT count(*) FILTER (WHERE joined_at >= CAST($since AS TIMESTAMPTZ)),
                      count(*) FILTER (WHERE joined_at < CAST($since AS TIMESTAMPTZ)) FROM ladder_members""", {"since": since})[0]
        basis = {"since": str(since)[:10], "since_at": str(since)[:16], "bound": bound, "members": int(n), "before": int(before)}
    stuck = store.fetch_dicts(
        f"""SELECT member_id, name, stage, stage_name, potential, {iso_sql('stage_since')} AS stage_since,
                  date_diff('day', stage_since, as_of) AS days_at_stage, evidence_zh, evidence_en
           FROM ladder_members WHERE stage BETWEEN 1 AND 3 AND stage_since IS NOT NULL
             AND stage_since <= as_of - to_days(CAST($d AS INTEGER))
           ORDER BY potential DESC, member_id LIMIT 50""", {"d": p.stuck_days})
    for r in stuck:
        r["stage_name_en"] = STAGE_NAMES[r["stage"]][1]
    medians = {stage: medians.get(stage) for stage in range(1, 5)}  # every stage a key: null when nobody counted reached it
    return {"stages": stage_rows, "cohorts": cohorts, "cohort_basis": cohort_basis, "median_days_to_reach": medians,
            "median_basis": basis, "stuck": stuck}


def _starts(store, p: LadderParams):
    """(the data's start: its first content item or interaction before the ladder's ``as_of``; the start of the replayed
    history, ``history_days`` before it); (None, None) without a ladder."""
    row = store.fetch_all(
        """WITH a AS (SELECT max(as_of) AS t FROM ladder_members)
           SELECT least((SELECT min(created_at) FROM content WHERE created_at < a.t),
                        (SELECT min(created_at) FROM interactions WHERE created_at < a.t)),
                  a.t - to_days(CAST($hist AS INTEGER)) FROM a""",
        {"hist": p.history_checkpoints * p.checkpoint_days})
    return (row[0][0], row[0][1]) if row else (None, None)


def _median_since(data_start, replay_start):
    """The earliest join time whose time-to-stage the data can tell, and which bound it is: the data's start (``data``)
    or, when that is older, the start of the replayed history (``history``); (None, None) without a ladder."""
    if replay_start is None:
        return None, None
    if data_start is None or data_start < replay_start:
        return replay_start, "history"
    return data_start, "data"
