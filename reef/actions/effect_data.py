"""What the effect estimate (:mod:`reef.actions.effect`) reads: its parameters (the ``effect`` settings,
checked) and the store, as of the moment asked: members who count, their thread, reply and answer counts
around each action day, their ladder stage at any time, and the operator actions (the treated members'
first action of a kind, why the others are left out, and who got another action and when).

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
    >>> _recorded(open_store(":memory:"), "recognise", t, t)
    []
"""
from __future__ import annotations

from typing import Any

import numpy as np

from reef.errors import InvalidParameterError
from reef.params import MAX_DAYS, MAX_WHOLE

__all__ = ["DAY", "THREAD_KINDS", "REPLY_KINDS", "OUTCOMES", "LEFT_OUT", "effect_params", "counted_members",
           "stage_reader"]

DAY = 86400.0
THREAD_KINDS = ("thread", "photo", "video", "guide", "event", "poll")
REPLY_KINDS = ("reply", "comment", "answer")
# Outcome -> (Chinese, English) wording for the summary.
OUTCOMES = {"threads": ("发帖", "threads"), "replies": ("回帖", "replies"), "content": ("发帖和回帖", "posts and replies")}


def effect_params(store, config, overrides: dict[str, Any]) -> dict[str, Any]:
    """The ``effect`` settings of ``config`` (else the store's) with ``overrides`` that are not None, checked:
    :class:`InvalidParameterError` names the first out of range (``reef config check`` calls it too)."""
    p = (config or store.config).section("effect")
    p.update({k: v for k, v in overrides.items() if v is not None})
    for key in ("window_days", "pre_days", "matches", "bootstrap_reps"):
        top = MAX_DAYS if key.endswith("_days") else MAX_WHOLE  # a window past the calendar overflows date arithmetic
        if not 1 <= int(p[key]) <= top:
            raise InvalidParameterError(key, p[key], "a whole number of at least 1" if int(p[key]) < 1
                                        else f"a whole number from 1 to {top}")
    if p["outcome"] not in OUTCOMES:
        raise InvalidParameterError("outcome", p["outcome"], "one of " + ", ".join(OUTCOMES))
    if p["ci_method"] not in ("bootstrap", "t"):
        raise InvalidParameterError("ci_method", p["ci_method"], "bootstrap or t")
    if not 0.5 <= float(p["confidence"]) < 1:
        raise InvalidParameterError("confidence", p["confidence"], "a level between 0.5 and 1, e.g. 0.95")
    return p


# Members who count (not staff, brand or bot accounts), numbered by id; every reader joins on this numbering.
_MEMBERS = ("SELECT member_id, CAST(row_number() OVER (ORDER BY member_id) - 1 AS BIGINT) AS idx, epoch(joined_at) AS joined, "
            "coalesce(epoch(left_at), 'inf'::DOUBLE) AS left_ FROM members_at($t) WHERE coalesce(account_type, 'member') = 'member'")


def counted_members(store, as_of) -> dict[str, Any]:
    """The members who count at ``as_of``, numbered by id: ``ids``, ``index`` (id -> number), ``joined`` and ``left``
    (epoch seconds, ``inf`` for a member who has not left), the numbering :func:`stage_reader` uses."""
    rows = store.fetch_arrow(f"SELECT * FROM ({_MEMBERS}) ORDER BY idx", {"t": as_of})
    ids = rows.column("member_id").to_pylist()
    return {"ids": ids, "index": {m: i for i, m in enumerate(ids)},
            "joined": rows.column("joined").to_numpy(), "left": rows.column("left_").to_numpy()}


def _activity(store, as_of, days: np.ndarray, p) -> dict[str, np.ndarray]:
    """Counts per (action day, member idx, slot): slots 0-2 are pre threads, replies and answers, 3-5 the same after."""
    if not len(days):
        return {k: np.array([]) for k in ("d", "idx", "slot", "n")}
    table = store.fetch_arrow(
        f"""WITH d AS (SELECT unnest($days) AS d), m AS ({_MEMBERS}),
                 c AS (SELECT m.idx, epoch(created_at) AS e, CASE WHEN kind IN {THREAD_KINDS} THEN 0 WHEN kind = 'answer' THEN 2 ELSE 1 END AS cls
                       FROM content_at($t) JOIN m ON author_id = m.member_id WHERE kind IN {THREAD_KINDS + REPLY_KINDS})
            SELECT d.d, c.idx, (CASE WHEN c.e < d.d THEN 0 ELSE 3 END) + c.cls AS slot, count(*) AS n
            FROM d JOIN c ON c.e >= d.d - $pre AND c.e < d.d + $win GROUP BY ALL""",
        {"days": days.tolist(), "t": as_of, "pre": p["pre_days"] * DAY, "win": p["window_days"] * DAY})
    return {k: table.column(k).to_numpy() for k in ("d", "idx", "slot", "n")}


def stage_reader(store, as_of, n_members: int):
    """``stage_at(t) -> array`` over members (-1 unknown) from the ladder, and the ladder's as_of; None without it."""
    if not (store.table_exists("ladder_members") and store.table_exists("ladder_events")):
        return None, None
    current = np.full(n_members, -1.0)
    now = store.fetch_arrow(f"SELECT m.idx, coalesce(l.stage, -1) AS stage FROM ladder_members l JOIN ({_MEMBERS}) m USING (member_id)", {"t": as_of})
    current[now.column("idx").to_numpy()] = now.column("stage").to_numpy()
    ev = store.fetch_arrow(f'SELECT m.idx, CAST(epoch(e."at") AS BIGINT) AS at_, coalesce(e.from_stage, -1) AS from_stage, '
                           f'coalesce(e.to_stage, -1) AS to_stage FROM ladder_events e '
                           f'JOIN ({_MEMBERS}) m USING (member_id) ORDER BY m.idx, e."at"', {"t": as_of})
    ladder_as_of = store.fetch_value("SELECT epoch(max(as_of)) FROM ladder_members")
    who = ev.column("idx").to_numpy().astype(np.int64)
    key = who * 2**32 + ev.column("at_").to_numpy().astype(np.int64)
    frm, to = ev.column("from_stage").to_numpy().astype(float), ev.column("to_stage").to_numpy().astype(float)
    members = np.arange(n_members, dtype=np.int64)

    def stage_at(t: float) -> np.ndarray:
        stage = current.copy()
        if not len(key):
            return stage
        pos = np.searchsorted(key, members * 2**32 + int(t), side="right")
        before = (pos > 0) & (who[np.maximum(pos - 1, 0)] == members)
        after = ~before & (pos < len(key)) & (who[np.minimum(pos, len(key) - 1)] == members)
        stage[before] = to[pos[before] - 1]
        stage[after] = frm[pos[after]]
        return stage
    return stage_at, ladder_as_of


# Not cancelled (nor withdrawn) as of $live, the action cutoff (reef.actions.cutoff): at a past as_of an action
# cancelled later was still live then (its attrs.cancelled_at, kept since the cancellation is recorded; older
# cancellations without it count as cancelled at any as_of); at the data's end a cancellation or withdrawal made since
# counts, as everything recorded since does.
_LIVE = ("(coalesce(status, 'done') <> 'cancelled' "
         "OR coalesce(TRY_CAST(json_extract_string(attrs, '$.cancelled_at') AS TIMESTAMPTZ) > $live, false))")
# Why a recorded action is not among the treated, in the order they are checked (docs/actions.md).
LEFT_OUT = ("cancelled", "no_member", "repeat", "not_a_member", "joined_after", "too_recent", "unmatched")


def _recorded(store, kind: str, as_of, cutoff, topic: str | None = None) -> list[tuple]:
    """Every action of ``kind`` up to ``cutoff`` (:func:`reef.actions.cutoff.action_cutoff`), oldest first:
    (action_id, member_id, start of its day (epoch), live, recorded after as_of). Those up to as_of are what the
    estimate reads; later ones (as_of at the data's end: the present) are only counted as too recent. ``topic``: only
    the seed actions whose ``attrs.topic`` is exactly it (as ``reef action list --topic`` filters)."""
    sql = (f"SELECT action_id, member_id, epoch(date_trunc('day', created_at)), {_LIVE} FROM operator_actions_at($t) "
           "WHERE kind = $k" + (" AND attrs->>'topic' = $topic" if topic is not None else "") + " ORDER BY created_at, action_id")
    params = {"k": kind, "live": cutoff, **({"topic": topic} if topic is not None else {})}
    before = store.fetch_all(sql, {"t": as_of, **params})
    seen = {r[0] for r in before}
    later = [r for r in store.fetch_all(sql, {"t": cutoff, **params}) if r[0] not in seen] if cutoff > as_of else []
    return [(*r, False) for r in before] + [(*r, True) for r in later]


def _sort_actions(recorded: list[tuple], index: dict[str, int], joined: np.ndarray, end: float,
                  win: float) -> dict[str, Any]:
    """Each member's first live action of the kind before as_of (``actions``: member, day; staff too), those measurable
    (``eligible``: member idx, day), the count left out per reason of :data:`LEFT_OUT` (but ``unmatched``, known
    after matching) and the too recent ones (``too_recent``: action_id, day, recorded after as_of), oldest first."""
    left = dict.fromkeys(LEFT_OUT, 0)
    actions, eligible, recent, seen = [], [], [], set()
    for action_id, m, d, live, after in recorded:
        first = live and m is not None and m not in seen
        if first:
            seen.add(m)
            if not after:
                actions.append((m, d))
        # A first action is never measurable when the member joined that day or later, so that comes before too recent.
        reason = ("cancelled" if not live else "no_member" if m is None else "repeat" if not first
                  else "not_a_member" if m not in index else "joined_after" if joined[index[m]] >= d
                  else "too_recent" if after or d + win > end else None)
        if reason is None:
            eligible.append((index[m], d))
        else:
            left[reason] += 1
            if reason == "too_recent":
                recent.append((action_id, d, after))
    return {"actions": actions, "eligible": eligible, "left_out": left, "too_recent": recent}


def _busy(store, as_of, kind: str, index: dict[str, int], cutoff) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """Members ever given ``kind`` (never controls), and every other action as (member, epoch): the actions recorded
    by ``as_of`` that are live at ``cutoff`` (:data:`_LIVE`)."""
    ever = np.zeros(len(index), dtype=bool)
    others = []
    for m, k, e in store.fetch_all("SELECT member_id, kind, epoch(created_at) FROM operator_actions_at($t) "
                                   f"WHERE member_id IS NOT NULL AND {_LIVE}", {"t": as_of, "live": cutoff}):
        if m in index:
            if k == kind:
                ever[index[m]] = True
            else:
                others.append((index[m], e))
    return ever, others
