"""Which operator actions an as-of analysis reads.

Community data (members, posts, interactions) is imported and ends at some moment; operator actions
are recorded live, at the wall clock. In the demo, or any store whose data stopped coming in, an
action recorded today falls after the data's end, and an analysis run at that end (the default
as_of) read only actions recorded before it: a 官方回应 recorded on a complaint left the complaint
unresolved on the risk radar after every new run, as if the click were lost.

The rule (docs/actions.md): actions that describe the operators' present state (a complaint
answered, a seat on a team) are read up to ``action_cutoff(store, as_of)``, which is as_of when it
lies inside the data and has no limit when it is at or after the data's end: the data's end is
the present as far as the data knows, and everything recorded since is part of that present. A
past as_of (a backtest, last month's radar) still reads only what was recorded before it. Readers
that measure what happened after an action (:mod:`reef.actions.effect`, and the ladder, which asks
whether a post was made under an operator's task) keep as_of: an action with no data after it has
had no effect yet. Lists of actions (the 任务 page, a member's actions and timeline, ``reef action
list``) take no as_of at all: they are the operators' record and work list, not history.

Example:
    >>> from reef.store import open_store
    >>> action_cutoff(open_store(":memory:"), None) == NO_LIMIT
    True
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

__all__ = ["NO_LIMIT", "action_cutoff", "responses_sql"]

# Far enough: operator_actions_at(NO_LIMIT) reads every action, and "cancelled after the cutoff" is never true.
NO_LIMIT = datetime(9999, 12, 31, tzinfo=timezone.utc)


def action_cutoff(store, as_of: Any) -> datetime:
    """The moment up to which an analysis at ``as_of`` reads operator actions describing the present:
    ``as_of`` (resolved, UTC) when it lies before the end of the data, else :data:`NO_LIMIT`. None means
    the end of the data, as for every analysis; in a store without data an ``as_of`` is all there is to go by."""
    from reef.analyses.runner import data_end, resolve_as_of

    if as_of is None:
        return NO_LIMIT
    ts, end = resolve_as_of(store, as_of), data_end(store)
    return ts if end is None or ts < end else NO_LIMIT


def responses_sql(param: str = "acts") -> str:
    """The official responses (官方回应) live at ``$param`` (an :func:`action_cutoff`), as a query of ``content_id``
    and ``at`` (its latest respond's creation): the one rule the risk radar and the crisis room share
    (docs/actions.md): a ``respond`` action counts from its creation on, open or done, unless it was cancelled by
    then (an open respond is the answer recorded, not a plan to answer)."""
    return (f"SELECT content_id, max(created_at) AS at FROM operator_actions_at(${param}) WHERE kind = 'respond' "
            f"AND content_id IS NOT NULL AND (status <> 'cancelled' OR TRY_CAST(attrs->>'cancelled_at' AS TIMESTAMPTZ) > ${param}) "
            "GROUP BY 1")
